// The page's one WebSocket to the server, shared by the board, the TiB page and the trainer page:
// reconnects with backoff, and keeps the connection indicator honest (#connection with
// data-state connected | reconnecting | offline, in words as well as colour, with the time the
// page last had the server). pageConnection() routes the server's frames: state to the client
// model, sign-in to the session, answers to the command tracker; resultIn() shows a command's
// results the usual way; heartbeat() keeps clocks and ages going.
import {ERROR_TEXT, PROTOCOL_VERSION, setText, timeHM, wsUrl} from './common.js';
import {showResult} from './session.js';

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 5_000;
const OFFLINE_AFTER_MS = 2_000;  // this long without the server, "Återansluter…" becomes "Frånkopplad"

export class Connection {
  /**
   * @param {object} options
   * @param {() => string} options.url  the address for the next attempt (the board adds since=…)
   * @param {(data: string) => void} options.onMessage  frames of the current socket only
   * @param {(socket: WebSocket) => void} [options.onOpen]
   * @param {(reason: 'closed' | 'replaced') => void} [options.onLost]  the current socket is gone:
   *   it closed, or reconnectNow() replaced it
   * @param {() => boolean} options.hasState  whether the page shows a state (the last known one)
   * @param {() => number} options.now  the page's wall clock, in ms
   */
  constructor(options) {
    this.options = options;
    this.socket = null;
    this.synced = false;     // the current socket delivered a snapshot (or "resumed")
    this.backoff = BACKOFF_MIN_MS;
    this.failures = 0;
    this.timer = null;
    this.lostAt = null;      // when the page lost the server (null while in sync)
    this.goAtOnce = false;   // the next attempt replaces a socket on purpose: no backoff
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = null;
    this.synced = false;
    let socket;
    try {
      socket = new WebSocket(this.options.url());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => { if (this.socket === socket) this.options.onOpen?.(socket); };
    socket.onmessage = (event) => { if (this.socket === socket) this.options.onMessage(event.data); };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.options.onLost?.('closed');
      this.scheduleReconnect();
    };
    socket.onerror = () => { /* onclose follows */ };
  }

  isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  send(message) {
    this.socket.send(JSON.stringify(message));
  }

  /** The page has the server's state again. */
  markSynced() {
    this.synced = true;
    this.backoff = BACKOFF_MIN_MS;
    this.failures = 0;
    this.lostAt = null;
    this.show('connected');
  }

  /** Drops the socket and opens a new one at once: a gap in the deltas, or another sign-in. */
  reconnectNow(reason) {
    const old = this.socket;
    this.socket = null;
    if (old) {
      this.options.onLost?.('replaced');
      try { old.close(4000, reason); } catch { /* already closing */ }
    }
    clearTimeout(this.timer);
    this.timer = null;
    this.goAtOnce = true;
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.timer) return;
    if (this.lostAt === null) this.lostAt = this.options.now();
    let delay = 0;
    if (this.goAtOnce) {
      this.goAtOnce = false;
    } else {
      this.failures++;
      delay = this.backoff;
      this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
    }
    this.show(this.failures >= 2 || this.options.now() - this.lostAt >= OFFLINE_AFTER_MS
      ? 'offline' : 'reconnecting');
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Every second: "Återansluter…" turns into "Frånkopplad" even between attempts. */
  tick() {
    if (this.lostAt !== null && this.state() === 'reconnecting' &&
        this.options.now() - this.lostAt >= OFFLINE_AFTER_MS) {
      this.show('offline');
    }
  }

  state() {
    return document.getElementById('connection').dataset.state;
  }

  /** The socket is open but the server shows nothing before a sign-in (sign_in_required). */
  showSignInNeeded() {
    this.show('reconnecting', 'Ansluten – logga in för att se läget');
  }

  /** Shows `state` with its usual words, or with `text` (e.g. why the server refused us). */
  show(state, text) {
    const el = document.getElementById('connection');
    el.dataset.state = state;
    document.body.dataset.conn = state;
    const has = this.options.hasState();
    setText(el.querySelector('.conn-text'), text ?? (
      state === 'connected' ? 'Ansluten'
        : state === 'reconnecting' ? (has ? 'Återansluter…' : 'Ansluter…')
          : has ? `Frånkopplad – visar senast kända läge (${timeHM(this.lostAt ?? this.options.now())})`
            : 'Frånkopplad – inget läge mottaget ännu'));
  }
}

/**
 * The connection of a page to its space: the model (client_model.js) gets the snapshots, deltas and
 * `resumed`, and asks for a resync on a gap (reconnect with since=<last seq>); the session
 * (session.js) gets `welcome` and the answers to hello (hello goes first on every socket); the
 * command tracker, when the page sends commands, gets the `ack`s and `error`s to its commands, and
 * gives them up when the socket is lost.
 * @param {object} page
 * @param {import('./client_model.js').ClientModel} page.model
 * @param {import('./session.js').Session} page.session
 * @param {import('./command_tracker.js').CommandTracker} [page.tracker]
 * @param {{closed: string, replaced: string}} [page.lostTexts]  why, for each way a socket is lost
 * @param {(reason: string) => void} [page.onLost]  after the socket is gone
 * @param {() => void} [page.onSnapshot]  after a snapshot is applied
 * @param {(msg: object) => void} [page.onOther]  any other message of the protocol's version
 * @param {(msg: object) => void} [page.onRefused]  an error, before the page is in sync, that is
 *   neither an answer to a command nor to hello (e.g. unknown_space)
 */
export function pageConnection({model, session, tracker = null, lostTexts = {}, onLost, onSnapshot, onRefused, onOther}) {
  const connection = new Connection({
    url: () => wsUrl({space: model.space, since: model.since()}),
    onOpen: (socket) => session.opened(socket),
    onMessage: (data) => route(data),
    onLost: (reason) => {
      tracker?.dropAll(lostTexts[reason] || lostTexts.closed || '');
      session.closed();
      onLost?.(reason);
    },
    hasState: () => model.have,
    now: () => model.wallNow(),
  });
  model.on('resync', () => connection.reconnectNow('gap'));
  model.on('synced', () => connection.markSynced());
  function route(data) {
    let msg;
    try { msg = JSON.parse(data); } catch { return; }
    if (!msg || typeof msg !== 'object' || msg.v !== PROTOCOL_VERSION) return;
    switch (msg.type) {
      case 'snapshot':
        if (model.receive(msg) !== 'snapshot') return;
        session.served();
        connection.markSynced();
        onSnapshot?.();
        break;
      case 'delta':
      case 'resumed':
        model.receive(msg);
        break;
      case 'welcome':
        session.handle(msg);
        break;
      case 'ack':
        tracker?.answer(msg);
        break;
      case 'error':
        if (tracker?.answer(msg)) break;
        if (session.handle(msg)) {
          // An answer to hello, or sign_in_required: the page shows its sign-in box.
          if (session.blocked && !connection.synced) connection.showSignInNeeded();
        } else if (!connection.synced) {
          if (onRefused) onRefused(msg);
          else if (!model.have) connection.show('offline', ERROR_TEXT[msg.code] || 'Servern vägrade: okänt fel');
        }
        break;
      default:
        onOther?.(msg);  // e.g. neighbours (the board's Grannar section)
        break;
    }
  }
  return connection;
}

/**
 * The usual showing of a command's results in `el` (session.js showResult): "Skickar…", the
 * time-out note, and why it was refused or lost; `answered(result, entry)` shows the ack or error.
 * A page with an outbox (outbox.js) also has 'waiting' and 'ask' (kept until the connection is
 * back, result.text says so) and 'discarded' (thrown away unsent).
 */
export function resultIn(el, answered, {pendingText = 'Skickar…', slowText = 'Skickar… inget svar från servern ännu.'} = {}) {
  return (result, entry) => {
    if (result.state === 'pending') showResult(el, 'pending', pendingText);
    else if (result.state === 'slow') setText(el, slowText);
    else if (result.state === 'refused' || result.state === 'lost') showResult(el, 'error', result.text);
    else if (result.state === 'waiting' || result.state === 'ask' || result.state === 'discarded') {
      showResult(el, result.state, result.text || '');
    } else answered(result, entry);
  };
}

/**
 * The page's heartbeat, every second: the connection indicator, then `second()` (clocks); and
 * `ages()` whenever `everyMs` of the space's time have passed since it last ran (sooner in a
 * sped-up exercise, at once when the clock went back). Returns a function that runs ages() now.
 */
export function heartbeat(conn, model, {everyMs = Infinity, second = () => {}, ages = () => {}}) {
  let last = -Infinity;  // model.now() when ages() last ran
  const agesNow = () => {
    if (!model.have) return;
    last = model.now();
    ages();
  };
  setInterval(() => {
    conn.tick();
    second();
    const now = model.now();
    if (now - last >= everyMs || now < last) agesNow();
  }, 1000);
  return agesNow;
}
