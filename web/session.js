// Lägesbild — signing in (protocol.md "hello — sign in"), shared by every page: the board, the TiB
// page, the trainer page and the review.
//
// The token lives in sessionStorage ('lagesbild.token') for the tab's lifetime; a link may carry it
// once in the fragment (#token=…), which is taken and then removed from the address bar. Tokens
// never go into a URL the server sees: the WebSocket gets them in `hello`, the HTTP API in an
// `Authorization: Bearer` header (apiFetch). On every (re)connect the page sends `hello {token}`
// first; the server answers `welcome {user}` or `error unauthorized`. Until then the connection is
// an anonymous viewer — or, on a server started with --require-sign-in, gets nothing but
// `error sign_in_required` until it signs in.
//
// The page provides an empty #auth; bindSignInBox() builds the sign-in box in it: #signed-in (with
// #user and #sign-out), #sign-in-form (with #token and #sign-in) and #sign-in-result.

import {PROTOCOL_VERSION, ROLE_LABELS, h, setText} from './common.js';

export const TOKEN_KEY = 'lagesbild.token';

export function storedToken() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
}

export function storeToken(t) {
  try {
    if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
  } catch { /* private mode: the token lives only as long as the connection */ }
}

/**
 * A token in the address (#token=…) is taken once, then removed from the address bar.
 * Returns the token, or '' when there was none.
 */
export function takeTokenFromFragment() {
  const m = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (!m) return '';
  let t = '';
  try { t = decodeURIComponent(m[1]).trim(); } catch { t = ''; }
  history.replaceState(history.state, '', location.pathname + location.search);
  if (t) storeToken(t);
  return t;
}

/**
 * GET from the page's own server with the signed-in user's token, if any, as
 * `Authorization: Bearer` (the trainers' API, and every read on a server that requires sign-in).
 */
export function apiFetch(url, init = {}) {
  const headers = new Headers(init.headers || {});
  const t = storedToken();
  if (t) headers.set('Authorization', `Bearer ${t}`);
  return fetch(url, {cache: 'no-store', ...init, headers});
}

/**
 * apiFetch, asked again while the server answers 503 (busy: too many reads waiting), up to `tries`
 * times: after its Retry-After, growing and with jitter, so that many pages (wall screens back
 * after a restart) do not all come back at the same moment.
 */
export async function apiFetchPatiently(url, tries = 4) {
  for (let attempt = 1; ; attempt++) {
    const res = await apiFetch(url);
    if (res.status !== 503 || attempt >= tries) return res;
    const after = Number(res.headers.get('Retry-After'));
    const base = (Number.isFinite(after) && after > 0 ? after : 1) * 1000 * attempt;
    await new Promise((resolve) => setTimeout(resolve, base * (1 + Math.random())));
  }
}

const $ = (id) => document.getElementById(id);

function signInBox() {
  return [
    h('div', {id: 'signed-in', class: 'signed-in', hidden: true},
      h('span', {class: 'user-mark', 'aria-hidden': 'true'}, '●'),
      h('span', {id: 'user'}),
      h('button', {type: 'button', id: 'sign-out', class: 'btn btn-quiet'}, 'Logga ut')),
    h('form', {id: 'sign-in-form', class: 'sign-in', autocomplete: 'off', novalidate: true},
      h('label', {for: 'token'}, 'Inloggningsnyckel'),
      h('div', {class: 'sign-in-row'},
        h('input', {type: 'password', id: 'token', name: 'token', autocomplete: 'current-password',
          spellcheck: 'false', placeholder: 'Klistra in din nyckel'}),
        h('button', {type: 'submit', id: 'sign-in', class: 'btn btn-primary'}, 'Logga in'))),
    h('div', {id: 'sign-in-result', class: 'result', role: 'status', 'aria-live': 'polite'}),
  ];
}

export function showResult(el, state, text) {
  if (!el) return;
  el.dataset.state = state || '';
  setText(el, text || '');
}

/**
 * Builds the sign-in box in #auth, takes a #token= from the address, and wires the form, the
 * sign-out button and #token= links opened on the loaded page.
 * @param {{onSignIn: (token: string) => void, onSignOut: () => void}} handlers
 */
export function bindSignInBox({onSignIn, onSignOut}) {
  $('auth').replaceChildren(...signInBox());
  takeTokenFromFragment();
  $('sign-in-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const t = $('token').value.trim();
    if (!t) {
      showResult($('sign-in-result'), 'error', 'Ange din inloggningsnyckel.');
      $('token').focus();
      return;
    }
    onSignIn(t);
  });
  $('sign-out').addEventListener('click', () => onSignOut());
  window.addEventListener('hashchange', () => {
    const t = takeTokenFromFragment();
    if (t) onSignIn(t);
  });
}

/**
 * The sign-in box of a page that only reads over HTTP with the token (showTokenBox: shown while
 * the page is `locked` — the server wants a token — or one is in use) (the review, "Lägesbild nu"):
 * signing in stores the token, signing out forgets it; either way `render()` shows the box anew
 * and `reload()` fetches the page's data again.
 */
export function showTokenBox(locked) {
  const token = storedToken();
  $('auth').hidden = !token && !locked;
  $('signed-in').hidden = !token;
  $('sign-in-form').hidden = !!token;
  setText($('user'), 'Inloggad med nyckel');
}

export function bindTokenSignIn({render, reload}) {
  bindSignInBox({
    onSignIn: (t) => {
      storeToken(t);
      $('token').value = '';
      showResult($('sign-in-result'), 'pending', 'Loggar in…');
      render();
      reload();
    },
    onSignOut: () => {
      storeToken('');
      showResult($('sign-in-result'), 'ok', 'Utloggad.');
      render();
      reload();
    },
  });
}

/**
 * The signed-in user of the page's current connection.
 *   socket():          the page's open WebSocket, or null
 *   onChange(what):    after 'welcome', 'unauthorized', 'failed' or 'signed-out' (re-render)
 *   onSignOut():       after signing out: the page opens a fresh, anonymous connection
 *   regionName(id):    a region's name for the user line
 *   errorText(msg):    Swedish text of an error code
 */
export class Session {
  constructor({socket, onChange, onSignOut, regionName, errorText}) {
    this.socket = socket;
    this.onChange = onChange || (() => {});
    this.onSignOut = onSignOut || (() => {});
    this.regionName = regionName || ((id) => id);
    this.errorText = errorText || ((msg) => msg.code || 'Fel');
    this.user = null;      // {id, role, region} from `welcome` on the current socket
    this.signing = false;  // hello sent on the current socket, no answer yet
    this.required = false; // the server said sign_in_required: it shows nothing before a sign-in
  }

  /** The server shows this page nothing until someone signs in. */
  get blocked() { return this.required && !this.user; }

  get role() { return this.user?.role || 'anonymous'; }

  /** Builds the sign-in box in #auth, takes a #token= from the address and wires the box. */
  bind() {
    bindSignInBox({onSignIn: (t) => this.signIn(t), onSignOut: () => this.signOut()});
  }

  /** A new socket is open: nobody is signed in on it yet; hello goes first when there is a token. */
  opened(sock) {
    this.user = null;
    this.signing = false;
    if (storedToken()) this.hello(sock);
  }

  /** The server sent the page its state: whatever it required is met. */
  served() {
    if (!this.user) this.required = false;
  }

  /** The socket is gone, and with it the sign-in (the next socket says again what it requires). */
  closed() {
    this.user = null;
    this.signing = false;
    this.required = false;
  }

  signIn(t) {
    storeToken(t);
    const sock = this.socket();
    if (sock && sock.readyState === WebSocket.OPEN) this.hello(sock);
    else showResult($('sign-in-result'), 'pending', 'Loggar in när anslutningen är uppe…');
  }

  hello(sock) {
    const t = storedToken();
    if (!t) return;
    this.signing = true;
    sock.send(JSON.stringify({v: PROTOCOL_VERSION, type: 'hello', token: t}));
    showResult($('sign-in-result'), 'pending', 'Loggar in…');
    this.render();
  }

  /**
   * Handles `welcome`, `error unauthorized` and an id-less error while signing in (another answer
   * to hello). Returns true when the message was one of these.
   */
  handle(msg) {
    if (msg.type === 'welcome') {
      this.signing = false;
      this.user = msg.user && typeof msg.user === 'object' ? msg.user : null;
      showResult($('sign-in-result'), '', '');
      $('token').value = '';
      this.onChange('welcome');
      return true;
    }
    if (msg.type !== 'error') return false;
    if (msg.code === 'sign_in_required') {
      // Sent on open (before our hello is read) and to anything but hello before a sign-in.
      this.required = true;
      if (!this.signing && !this.user) {
        showResult($('sign-in-result'), 'error',
          'Servern visar läget bara för inloggade. Logga in med din nyckel – läsare räcker för att se läget.');
      }
      this.onChange('sign-in-required');
      return true;
    }
    if (msg.code === 'unauthorized') {
      this.signing = false;
      storeToken('');
      this.user = null;
      showResult($('sign-in-result'), 'error',
        'Inloggningen misslyckades: nyckeln är okänd eller ogiltig. ' +
        (this.required ? 'Servern visar inget läge förrän du loggat in.' : 'Du ser läget men kan inte ändra något.'));
      this.onChange('unauthorized');
      $('token').focus();
      return true;
    }
    if (this.signing && !msg.id) {
      // Not signed in, but the key may still be right (e.g. bad_message).
      this.signing = false;
      showResult($('sign-in-result'), 'error',
        `Inloggningen misslyckades: ${this.errorText(msg)}`);
      this.onChange('failed');
      return true;
    }
    return false;
  }

  signOut() {
    storeToken('');
    this.user = null;
    this.signing = false;
    showResult($('sign-in-result'), 'ok', 'Utloggad.');
    this.onChange('signed-out');
    // The server keeps a connection signed in: a fresh, anonymous connection ends it.
    this.onSignOut();
  }

  /** The sign-in box: who is signed in, or the form. */
  render() {
    const u = this.user;
    $('signed-in').hidden = !u;
    $('sign-in-form').hidden = !!u;
    if (u) {
      const where = u.region ? `, ${this.regionName(u.region) || u.region}` : '';
      setText($('user'), `${u.id} · ${ROLE_LABELS[u.role] || u.role}${where}`);
    }
    $('sign-in').disabled = this.signing;
    setText($('sign-in'), this.signing ? 'Loggar in…' : 'Logga in');
  }
}
