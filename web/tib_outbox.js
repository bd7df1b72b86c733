// Lägesbild — the TiB page's outbox (utkorg, outbox.js) on the page: what the TiB sent while the
// link was down, or just before it went, waits in the browser and is sent again — with the same id,
// so the server stores it once — when the connection is back and the user signed in again.
//
// - A waiting report or confirmation shows in its hospital's row ("Väntar på anslutning – skickas
//   när servern svarar", with its age); the figures it carries stay in the inputs as typed (held:
//   tib_inputs.js follow()) until it is answered. Every other waiting command, and a report whose
//   row is not shown (another region, no state yet after a reload), is listed in the Utkorg card.
// - A stale entry (older than STALE_AFTER_MS, or older than figures someone else reported since)
//   is not sent by itself: the TiB answers "Skicka ändå" (sent with its original id) or "Släng".
// - The outbox is the signed-in user's (localStorage `lagesbild.outbox.<user id>`). Which user the
//   tab last signed in as is kept in sessionStorage beside the token (never the token itself), so a
//   reload while the server is away still shows — and, once signed in again, sends — the entries.
// - An entry restored from storage has no handler of the part that made it: reports and
//   confirmations are the figure table's again (OutboxTracker.adopt); the answers of the others
//   are shown in the Utkorg card for a while.

import {
  BED_LABELS, ED_STATUS, READINESS, MESSAGE_KINDS, DECISION_KINDS, h, setText, timeWithDay, ageShort, refusalWords,
} from './common.js';
import {CommandTracker} from './command_tracker.js';
import {Outbox, OutboxTracker, STALE_AFTER_MS, SERVER_REMEMBERS_MS, staleness, newerFor} from './outbox.js';
import {storedToken} from './session.js';
import {transportFigures} from './transport.js';

const USER_KEY = 'lagesbild.outbox.user';  // sessionStorage: {id, role, region} of the tab's last welcome
const DONE_SHOWN_MS = 120_000;              // an answer nobody else shows stays this long in the card
const DONE_KEPT = 5;

export const WAITING_TEXT = 'Väntar på anslutning – skickas när servern svarar';
const TEXTS = {
  waiting: WAITING_TEXT,
  full: 'Utkorgen är full – inget skickades. Vänta tills anslutningen är tillbaka.',
  ask: 'Väntar på ditt svar i utkorgen: skicka ändå eller släng?',
  discarded: 'Slängd – skickades inte.',
  closed: 'Utloggad – ligger kvar i utkorgen och skickas när du loggar in igen.',
};

/** The noun of a kind of entry in a sentence: "Rapporten från 10:02 …". */
const NOUNS = {
  report: 'Rapporten', confirm: 'Bekräftelsen', readiness: 'Beredskapsläget', transport: 'Ambulansrapporten',
  message: 'Meddelandet', ack: 'Kvittensen', transfer: 'Sekundärtransporten',
};
const nounOf = (kind) => NOUNS[kind] || (String(kind).startsWith('decision') ? 'Beslutet' : 'Kommandot');

/** Reports and confirmations are shown in their hospital's row. */
const inRow = (box) => box.meta.kind === 'report' || box.meta.kind === 'confirm';

function store(name) {
  try { return globalThis[name] || null; } catch { return null; }
}

function knownUser() {
  try {
    const u = JSON.parse(store('sessionStorage')?.getItem(USER_KEY) || 'null');
    return u && typeof u.id === 'string' ? {id: u.id, role: u.role, region: u.region} : null;
  } catch { return null; }
}

function rememberUser(u) {
  try {
    if (u) store('sessionStorage')?.setItem(USER_KEY, JSON.stringify({id: u.id, role: u.role, region: u.region}));
    else store('sessionStorage')?.removeItem(USER_KEY);
  } catch { /* private mode */ }
}

/** The input names (tib_figures.js, tib_surge.js) of what a report carries, with the values. */
function typedInputs(cmd) {
  const id = cmd.hospital;
  const out = [];
  for (const [key, b] of Object.entries(cmd.beds || {})) {
    if (b.available !== undefined) out.push([`${id}.${key}`, b.available]);
    for (const which of ['surge24h', 'surge72h']) if (b[which] !== undefined) out.push([`${id}.${key}.${which}`, b[which]]);
  }
  for (const [key, v] of Object.entries(cmd.reception || {})) out.push([`${id}.${key}`, v]);
  if (cmd.ed_status) out.push([`${id}.ed_status`, cmd.ed_status]);
  if (cmd.readiness) out.push([`${id}.readiness`, cmd.readiness]);
  if (cmd.reason !== undefined) out.push([`${id}.readiness_reason`, cmd.reason]);
  return out;
}

/** What an entry is, in words: "Rapport – Centralsjukhuset Karlstad: IVA 6 · P1/tim 2". */
function describe(box) {
  const {cmd, meta} = box;
  switch (meta.kind) {
    case 'report': {
      const parts = [];
      for (const [key, b] of Object.entries(cmd.beds || {})) {
        const label = BED_LABELS[key]?.short || key;
        if (b.available !== undefined) parts.push(`${label} ${b.available}`);
        if (b.surge24h !== undefined || b.surge72h !== undefined) {
          parts.push(`förstärkning ${label} ${[b.surge24h, b.surge72h].map((v) => v ?? '–').join('/')}`);
        }
      }
      for (const [key, v] of Object.entries(cmd.reception || {})) parts.push(`${key}/tim ${v}`);
      if (cmd.ed_status) parts.push(`akut ${(ED_STATUS[cmd.ed_status]?.label || cmd.ed_status).toLowerCase()}`);
      if (cmd.readiness) parts.push((READINESS[cmd.readiness]?.label || cmd.readiness).toLowerCase());
      return `Rapport – ${meta.hospitalName || cmd.hospital}: ${parts.join(' · ')}`;
    }
    case 'confirm': return `Oförändrat – bekräftelse, ${meta.hospitalName || cmd.hospital}`;
    case 'readiness': return `Beredskapsläge – ${meta.regionName || cmd.region}: ${READINESS[cmd.level]?.label || cmd.level}`;
    case 'transport': return `Ambulanser och helikoptrar – ${meta.regionName || cmd.region}: ` +
      [['Ambulanser', cmd.ambulances], ['Helikoptrar', cmd.helicopters]]
        .filter(([, rec]) => rec).map(([label, rec]) => `${label} ${transportFigures(rec)}`).join(', ');
    case 'message': return `${MESSAGE_KINDS[cmd.kind]?.label || 'Meddelande'}: ${clip(cmd.text || '')}`;
    case 'ack': return `Kvittens${meta.messageText ? `: ${clip(meta.messageText)}` : ` av meddelande ${cmd.message}`}`;
    case 'transfer': return `Sekundärtransport – ${meta.fromName || cmd.from} → ${meta.toName || cmd.to}`;
    default: return `${DECISION_KINDS[cmd.decision] || 'Beslut'} – ${meta.regionName || cmd.region || ''}`;
  }
}

const clip = (s) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);

/**
 * The outbox of the TiB page. `page` gives {space, model, log, session, errorText}; `connection()`
 * the page's Connection (made later); `refuse` why a command cannot go when nobody is signed in
 * (the CommandTracker's refuse). Returns the tracker the page's parts send with, and the hooks the
 * page calls.
 */
export function createOutbox(page, {connection, refuse}) {
  const {model, session} = page;
  const outbox = new Outbox({space: page.space, storage: store('localStorage'), now: () => model.now()});
  const inner = new CommandTracker({send: (cmd) => connection().send(cmd), refuse});
  const done = [];  // answers to restored entries nobody else shows: {box, state, text, until}
  let known = storedToken() ? knownUser() : null;

  const ready = () => {
    const c = connection();
    return !!c && c.isOpen() && c.synced && model.have && !!session.user && session.user.id === outbox.user;
  };

  function meta(cmd, entry) {
    const m = {kind: entry.kind};
    for (const k of ['hospital', 'message', 'region']) if (typeof entry[k] === 'string') m[k] = entry[k];
    const hosp = cmd.hospital || m.hospital;
    if (hosp) m.hospitalName = model.hospital(hosp)?.name;
    const region = cmd.region || m.region;
    if (region) m.regionName = model.region(region)?.name;
    if (cmd.from) m.fromName = model.hospital(cmd.from)?.name;
    if (cmd.to && typeof cmd.to === 'string') m.toName = model.hospital(cmd.to)?.name;
    if (entry.kind === 'ack') m.messageText = page.log?.list.find((x) => x.id === cmd.message)?.text;
    return m;
  }

  const judge = (box) => staleness(box, {now: model.now(), staleAfterMs: STALE_AFTER_MS,
    newer: newerFor(box, {hospital: (id) => model.hospital(id), region: (id) => model.region(id)}, outbox.user)});

  const tracker = new OutboxTracker({
    outbox, tracker: inner, ready, meta, judge, texts: TEXTS,
    onResult: (result, box, own) => noteResult(result, box, own),
    onChange: () => render(),
  });

  // -------------------------------------------------------------------------------------------
  // Showing the entries

  const $ = (id) => document.getElementById(id);
  const rowResult = (hid) => document.querySelector(`#hospital-rows [data-result="${CSS.escape(hid)}"]`);
  const hospitalOf = (box) => box.meta.hospital || box.cmd.hospital;
  const shownInRow = (box) => inRow(box) && !!rowResult(hospitalOf(box));

  /** The entry's age: in the space's time once the page has the server's clock, else the local one. */
  function ageOf(box) {
    return model.have ? model.now() - box.at : Date.now() - box.made;
  }

  function ageText(box) {
    const age = ageOf(box);
    return `sedan ${timeWithDay(box.at, box.at + age)}, ${ageShort(age)}`;
  }

  function askText(box) {
    const s = box.stale || {};
    const now = box.at + ageOf(box);
    const from = `${nounOf(box.meta.kind)} från ${timeWithDay(box.at, now)}`;
    let text = s.why === 'newer'
      ? `${from} är äldre än siffrorna som nu gäller (${timeWithDay(s.at, now)}${s.by ? ` av ${s.by}` : ''}).`
      : s.why === 'clock' ? `Klockan har ställts om sedan ${from.charAt(0).toLowerCase()}${from.slice(1)} gjordes.`
        : `${from} har väntat i ${ageShort(ageOf(box))} – längre än ${STALE_AFTER_MS / 60_000} min.`;
    if (ageOf(box) > SERVER_REMEMBERS_MS) {
      text += ' Servern minns bara det senaste dygnet: kom den fram redan kan den sparas två gånger.';
    }
    return text;
  }

  function button(label, action, box, cls) {
    const b = h('button', {type: 'button', class: `btn ${cls}`, dataset: {action, outbox: box.id}}, label);
    b.addEventListener('click', () => (action === 'outbox-send' ? tracker.sendAnyway(box.id) : discard(box)));
    return b;
  }

  /** One entry: its state in words, its age, and what the TiB can do about it. */
  function line(box) {
    const state = box.state;
    const old = state === 'waiting' && ageOf(box) > STALE_AFTER_MS;
    const text = state === 'ask' ? askText(box) : state === 'sent' ? 'Skickar…'
      : `${WAITING_TEXT}${old ? ' (du får bekräfta den först)' : ''}`;
    return h('div', {class: 'ob-line', dataset: {outbox: box.id, state}},
      h('span', {class: 'ob-text'}, text),
      h('span', {class: 'ob-age', dataset: {outboxAge: box.id}}, ageText(box)),
      state === 'ask' ? h('div', {class: 'ob-buttons'}, button('Skicka ändå', 'outbox-send', box, 'btn-primary'),
        button('Släng', 'outbox-discard', box, 'btn-secondary'))
        : state === 'waiting' ? h('div', {class: 'ob-buttons'}, button('Släng', 'outbox-discard', box, 'btn-quiet')) : null);
  }

  /** Fills `el` with `nodes` unless it shows the same already (keeps focus and hover calm). */
  function fill(el, key, nodes) {
    if (el.dataset.outboxKey === key && el.querySelector('.ob-line, .ob-item')) return;
    el.dataset.outboxKey = key;
    el.replaceChildren(...nodes());
  }

  const keyOf = (boxes) => JSON.stringify(boxes.map((b) => [b.id, b.state, b.state === 'ask' ? askText(b) : '']));

  function renderRows() {
    for (const el of document.querySelectorAll('#hospital-rows [data-result]')) {
      const boxes = outbox.entries.filter((b) => inRow(b) && hospitalOf(b) === el.dataset.result && b.state !== 'sent');
      if (!boxes.length) { delete el.dataset.outboxKey; continue; }
      el.dataset.state = boxes.some((b) => b.state === 'ask') ? 'ask' : 'waiting';
      fill(el, keyOf(boxes), () => boxes.map(line));
    }
  }

  function renderCard() {
    const card = $('outbox-card');
    if (!card) return;
    const boxes = outbox.entries.filter((b) => !shownInRow(b));
    const now = Date.now();
    while (done.length && (done.length > DONE_KEPT || done[0].until < now)) done.shift();
    card.hidden = !boxes.length && !done.length;
    setText($('outbox-count'), String(boxes.length));
    card.dataset.count = String(boxes.length);
    const who = outbox.user && !session.user ? ` Sparas som ${outbox.user}.` : '';
    setText($('outbox-scope'), boxes.length
      ? `Skickas i tur och ordning när servern svarar – med samma id, så att inget sparas två gånger.${who}` : '');
    fill($('outbox'), JSON.stringify([keyOf(boxes), done.map((d) => [d.box.id, d.result.state])]), () => [
      ...boxes.map((b) => h('li', {class: 'ob-item', dataset: {outbox: b.id, kind: b.meta.kind, state: b.state}},
        h('div', {class: 'ob-what'}, describe(b)), line(b))),
      ...done.map(({box, text, state}) => h('li', {class: 'ob-item', dataset: {outbox: box.id, kind: box.meta.kind, state}},
        h('div', {class: 'ob-what'}, describe(box)), h('div', {class: 'result', dataset: {state}}, text))),
    ]);
  }

  function render() {
    if (typeof document === 'undefined') return;
    renderRows();
    renderCard();
  }

  /** Every second or so: the ages. */
  function tick() {
    for (const el of document.querySelectorAll('[data-outbox-age]')) {
      const box = outbox.get(el.dataset.outboxAge);
      if (box) setText(el, ageText(box));
    }
    if (done.length && done[0].until < Date.now()) renderCard();
  }

  /** An answer to an entry restored from storage whose row is not shown: the card says it. */
  function noteResult(result, box, own) {
    if (own || !['ok', 'error', 'discarded'].includes(result.state)) return;
    if (inRow(box) && rowResult(hospitalOf(box))) return;
    const a = result.answer;
    const text = result.state === 'ok' ? `Sparat (nr ${a.seq})${a.already ? ' · redan sparat' : ''}`
      : result.state === 'error' ? `Inte sparat: ${refusalWords(a, page.errorText)}` : result.text;
    done.push({box, state: result.state, text, until: Date.now() + DONE_SHOWN_MS});
  }

  /** "Släng": the inputs it held go back to the server's figures. */
  function discard(box) {
    if (box.meta.kind === 'report') {
      for (const [name] of typedInputs(box.cmd)) {
        const ctl = document.querySelector(`[name="${CSS.escape(name)}"]`);
        if (!ctl || ctl.dataset.held !== box.id) continue;
        delete ctl.dataset.held;
        if (ctl.dataset.server !== undefined && !name.endsWith('.readiness_reason')) ctl.value = ctl.dataset.server;
        else ctl.value = '';
        ctl.dataset.dirty = 'false';
        ctl.classList.remove('is-dirty');
      }
    }
    tracker.discard(box.id);
  }

  if (known) tracker.open(known.id);

  return {
    tracker,

    /** The user the page acts as while the connection is down: the tab's last welcome. */
    knownUser: () => (outbox.user ? known : null),

    /** Signed in (welcome): that user's outbox. */
    signedIn(user) {
      known = user ? {id: user.id, role: user.role, region: user.region} : null;
      rememberUser(known);
      tracker.open(known?.id || null);
    },

    /** Signed out, or the token refused: the entries stay stored for the next sign-in. */
    signedOut() {
      known = null;
      rememberUser(null);
      tracker.close();
    },

    /** The connection may be ready (welcome, snapshot, resumed): send what waits. */
    flush() { tracker.flush(); render(); },

    /**
     * The figure table's hook, before a row follows the live state: the inputs a waiting report of
     * hospital `hid` carries hold what it sends; those of an answered one are let go.
     */
    holdInputs(hid) {
      const held = new Map();
      for (const box of outbox.entries) {
        if (box.meta.kind !== 'report' || hospitalOf(box) !== hid) continue;
        for (const [name, value] of typedInputs(box.cmd)) held.set(name, [box.id, String(value)]);
      }
      for (const ctl of document.querySelectorAll(`[name^="${CSS.escape(hid)}."]`)) {
        const hold = held.get(ctl.name);
        if (!hold) { delete ctl.dataset.held; continue; }
        if (ctl.dataset.held === hold[0]) continue;
        ctl.dataset.held = hold[0];
        ctl.value = hold[1];
        ctl.dataset.dirty = ctl.value !== ctl.dataset.server ? 'true' : 'false';
      }
    },

    render,
    tick,
  };
}
