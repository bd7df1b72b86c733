// Lägesbild — the TiB page's outbox (utkorg): every write command the page has made that has not
// had its answer, kept in the browser (localStorage, one key per signed-in user) so that a report
// made while the link is down, or sent just before it went, is not lost — not even by a reload.
// Pure: no DOM; the storage and the clock are given (tests give their own).
//
// - An entry holds the command exactly as made (with its client `id`), what the page needs to show
//   it (`meta`: kind, hospital, names …), when it was made in the space's time (`at`, comparable
//   with the state's reported_at) and on the local clock (`made`, for the order and for ages before
//   the page has the server's clock). Never a token: commands carry none.
// - The server remembers, per user and space, the ids of the commands it has committed (24 h of the
//   space's time). A command sent again with the same id is answered with the original `ack` and
//   `"already": true`, so sending an entry again is safe whether or not it arrived.
// - When the connection is back and the user signed in again, every entry is sent again, oldest
//   first, with its id — except a stale one (staleness() below), which waits until the user says
//   "send anyway" or "discard".
// - The answer (ack or error) drops the entry. Two errors say "nothing was done, send it again"
//   (rate_limited, shutting_down): the entry then waits and is sent again.
//
// OutboxTracker puts the outbox in front of a CommandTracker (command_tracker.js) and gives the
// page the tracker's interface (send, has, busy, answer, dropAll), so the page's parts send as they
// always did. Its results add three states to the tracker's:
//   'waiting'    kept in the outbox: sent when the connection is back (result.text says so)
//   'ask'        stale: waits for sendAnyway(id) or discard(id) (result.stale says why)
//   'discarded'  the user threw it away unsent (result.text)

/** An entry older than this (in the space's time) is not sent without asking: 15 minutes. */
export const STALE_AFTER_MS = 15 * 60_000;
/** How long the server remembers a committed command's id (the space's time). */
export const SERVER_REMEMBERS_MS = 24 * 60 * 60_000;
/** A clock this far behind an entry's time has been set back (an exercise clock, say). */
export const CLOCK_SLACK_MS = 60_000;
/** At most this many entries per user: a page that cannot reach the server for days stops here. */
export const MAX_ENTRIES = 200;
/** Errors that mean "nothing was done, send it again" (protocol.md "error"). */
export const RETRY_CODES = new Set(['rate_limited', 'shutting_down']);
export const RETRY_AFTER_MS = 2_000;

const KEY_PREFIX = 'lagesbild.outbox.';

/** The storage key of a user's outbox. */
export const outboxKey = (userId) => `${KEY_PREFIX}${userId}`;

const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
const timeOf = (s) => (s ? Date.parse(s) : NaN);

/** The newest of `records` ({reported_at, reported_by}) reported after `after` by anyone but `me`. */
export function newestReport(records, after, me) {
  let best = null;
  for (const r of records) {
    const t = timeOf(r?.reported_at);
    if (!(t > after) || (me && r.reported_by === me)) continue;
    if (!best || t > best.at) best = {at: t, by: r.reported_by || ''};
  }
  return best;
}

/** Every figure record of a hospital: beds, reception, ED status, readiness. */
export function hospitalRecords(hosp) {
  return [...Object.values(isObject(hosp?.beds) ? hosp.beds : {}),
    ...Object.values(isObject(hosp?.reception) ? hosp.reception : {}), hosp?.ed_status, hosp?.readiness]
    .filter(isObject);
}

/**
 * Figures of hospital `hosp` newer than `after` (ms) that someone other than `me` reported:
 * {at, by} of the newest, or null. The user's own newer figures do not count: they may be this very
 * command, committed before the link went. When the records do not explain the hospital's
 * last_reported_at, it counts (by an unknown reporter).
 */
export function newerFigures(hosp, after, me) {
  const records = hospitalRecords(hosp);
  const best = newestReport(records, after, me);
  if (best) return best;
  const last = timeOf(hosp?.last_reported_at);
  if (!(last > after)) return null;
  const explained = records.some((r) => timeOf(r.reported_at) >= last);
  return explained ? null : {at: last, by: ''};
}

/**
 * What now on the board is newer than entry `box`, for the kinds that report figures: a hospital's
 * (report, confirm), the region's readiness level, its ambulances and helicopters. `state` gives
 * {hospital(id), region(id)} records; `me` is the user's id. Null for the other kinds.
 */
export function newerFor(box, state, me) {
  const {kind, hospital} = box.meta || {};
  if (kind === 'report' || kind === 'confirm') {
    const hosp = state.hospital(hospital || box.cmd.hospital);
    return hosp ? newerFigures(hosp, box.at, me) : null;
  }
  const region = box.cmd.region ? state.region(box.cmd.region) : null;
  if (kind === 'readiness' && region) return newestReport([region.readiness].filter(isObject), box.at, me);
  if (kind === 'transport' && region) {
    return newestReport(Object.values(isObject(region.transport) ? region.transport : {}).filter(isObject), box.at, me);
  }
  return null;
}

/**
 * Why entry `box` is not to be sent without asking, at `now` (the space's time): null (send it),
 * {why: 'newer', at, by} (the board has newer figures, from `newer`), {why: 'age', age} (it waited
 * longer than `staleAfterMs`) or {why: 'clock', age} (the clock went back past it).
 */
export function staleness(box, {now, newer = null, staleAfterMs = STALE_AFTER_MS}) {
  if (newer) return {why: 'newer', at: newer.at, by: newer.by};
  const age = now - box.at;
  if (age > staleAfterMs) return {why: 'age', age};
  if (age < -CLOCK_SLACK_MS) return {why: 'clock', age};
  return null;
}

/**
 * The entries of one user in one space. `storage` is localStorage-like (getItem, setItem) or null
 * (memory only); `now` is the space's time, `localNow` the local clock (ms).
 */
export class Outbox {
  constructor({space, storage = null, now = () => Date.now(), localNow = () => Date.now(), max = MAX_ENTRIES}) {
    Object.assign(this, {space, storage, now, localNow, max});
    this.user = null;
    this.list = [];          // entries, oldest first: {id, cmd, meta, at, made, confirmed, tried, state, stale}
    this.known = new Set();  // ids this outbox has held: what another tab stored is kept on save
  }

  /** The entries, oldest first. */
  get entries() { return this.list; }
  get size() { return this.list.length; }

  /** Restores user `userId`'s entries of this space (the stored ones), and keeps them from now on. */
  open(userId) {
    this.user = userId || null;
    this.list = [];
    this.known = new Set();
    if (!this.user) return this.list;
    for (const e of this.read()) {
      if (e.cmd.space !== undefined && e.cmd.space !== this.space) continue;
      if (this.known.has(e.id)) continue;
      this.known.add(e.id);
      this.list.push({id: e.id, cmd: e.cmd, meta: isObject(e.meta) ? e.meta : {}, at: Number(e.at),
        made: Number(e.made), confirmed: !!e.confirmed, tried: !!e.tried, state: 'waiting', stale: null});
    }
    this.list.sort((a, b) => (a.made || 0) - (b.made || 0));
    return this.list;
  }

  /** Forgets the user (signed out): the entries stay stored for the next time they sign in. */
  close() {
    this.user = null;
    this.list = [];
    this.known = new Set();
  }

  has(id) { return this.list.some((e) => e.id === id); }
  get(id) { return this.list.find((e) => e.id === id) ?? null; }

  /** Keeps `cmd` (it has its id) with `meta`; null when there is no user or the outbox is full. */
  add(cmd, meta = {}) {
    if (!this.user || !cmd?.id) return null;
    const old = this.get(cmd.id);
    if (old) return old;
    if (this.list.length >= this.max) return null;
    const e = {id: cmd.id, cmd, meta, at: this.now(), made: this.localNow(), confirmed: false, tried: false,
      state: 'waiting', stale: null};
    this.list.push(e);
    this.known.add(e.id);
    this.save();
    return e;
  }

  /** Drops the entry (answered, or thrown away); returns it, or null. */
  drop(id) {
    const i = this.list.findIndex((e) => e.id === id);
    if (i < 0) return null;
    const [e] = this.list.splice(i, 1);
    this.save();
    return e;
  }

  /** The entry is on the wire on the current connection. */
  markSent(id) {
    const e = this.get(id);
    if (!e) return;
    e.state = 'sent';
    e.stale = null;
    if (!e.tried) { e.tried = true; this.save(); }
  }

  /** The user said "send anyway": it is sent without asking again. */
  confirm(id) {
    const e = this.get(id);
    if (!e) return;
    e.confirmed = true;
    e.stale = null;
    if (e.state === 'ask') e.state = 'waiting';
    this.save();
  }

  /** The connection is gone: what was on the wire waits again. Returns those entries. */
  lost() {
    const back = this.list.filter((e) => e.state === 'sent');
    for (const e of back) e.state = 'waiting';
    return back;
  }

  /**
   * After a reconnect: what to send now and what to ask about, oldest first. `judge(entry)` says
   * why an entry is stale (staleness()), or null. Entries on the wire are left alone; an entry the
   * user confirmed is sent without being judged.
   */
  due(judge) {
    const send = [], ask = [];
    for (const e of this.list) {
      if (e.state === 'sent') continue;
      const stale = e.confirmed ? null : judge(e);
      if (stale) ask.push({entry: e, stale}); else send.push(e);
    }
    return {send, ask};
  }

  // -------------------------------------------------------------------------------------------
  // Storage: {v: 1, entries: [...]} under outboxKey(user), every space's entries of that user.

  read() {
    if (!this.storage || !this.user) return [];
    try {
      const data = JSON.parse(this.storage.getItem(outboxKey(this.user)) || 'null');
      const list = Array.isArray(data?.entries) ? data.entries : [];
      return list.filter((e) => isObject(e) && typeof e.id === 'string' && isObject(e.cmd) && e.cmd.id === e.id);
    } catch {
      return [];
    }
  }

  save() {
    if (!this.storage || !this.user) return;
    const mine = (e) => e.cmd.space === undefined || e.cmd.space === this.space;
    // Other spaces' entries, and those another tab of this space added, stay as stored.
    const kept = this.read().filter((e) => !mine(e) || !this.known.has(e.id));
    const entries = [...kept, ...this.list.map(({id, cmd, meta, at, made, confirmed, tried}) =>
      ({id, cmd, meta, at, made, confirmed, tried}))];
    try {
      if (entries.length) this.storage.setItem(outboxKey(this.user), JSON.stringify({v: 1, entries}));
      else this.storage.removeItem(outboxKey(this.user));
    } catch { /* full or private mode: the outbox lives as long as the page */ }
  }
}

/**
 * The outbox in front of a CommandTracker, with the tracker's interface for the page's parts.
 * @param {object} options
 * @param {Outbox} options.outbox
 * @param {import('./command_tracker.js').CommandTracker} options.tracker  puts commands on the wire
 * @param {() => boolean} options.ready  the connection is open, in sync and signed in as the outbox's user
 * @param {(cmd: object, entry: object) => object} [options.meta]  what an entry keeps to be shown
 * @param {(entry: object) => object|null} [options.judge]  why an entry is stale (staleness()), or null
 * @param {{waiting: string, ask: string, full: string, discarded: string, closed: string}} options.texts
 * @param {(result: object, box: object) => void} [options.onResult]  every result of every entry
 *   (after the page's own handler): the outbox view shows those nobody else shows
 * @param {() => void} [options.onChange]  an entry came, went or changed state
 * @param {{setTimeout: Function}} [options.timers]
 */
export class OutboxTracker {
  constructor({outbox, tracker, ready, meta = (cmd, entry) => ({kind: entry.kind}), judge = () => null, texts,
    onResult = () => {}, onChange = () => {}, timers = globalThis}) {
    Object.assign(this, {outbox, tracker, ready, meta, judge, texts, onResult, onChange, timers});
    this.live = false;             // flushed on the current connection: new commands go straight out
    this.handlers = new Map();     // id → the page's onResult of an entry made on this page
    this.adopters = new Map();     // kind → (entry) => onResult, for entries restored from storage
  }

  get user() { return this.outbox.user; }

  /** Entries of `kind` restored from storage get their results through `make(entry)`'s handler. */
  adopt(kind, make) { this.adopters.set(kind, make); }

  /**
   * Sends `cmd` now if the connection is ready, else keeps it until it is. Without a user (nobody
   * has signed in) the tracker refuses it as before. Returns whether the command is on its way.
   */
  send(cmd, entry = {}) {
    entry.cmd = cmd;
    if (!this.outbox.user) return this.tracker.send(cmd, entry);
    const box = this.outbox.add(cmd, this.meta(cmd, entry));
    if (!box) {
      entry.onResult?.({state: 'refused', text: this.texts.full}, entry);
      return false;
    }
    if (entry.onResult) this.handlers.set(box.id, entry.onResult);
    if (!this.ready()) this.deliver(box, {state: 'waiting', text: this.texts.waiting});
    else if (this.live) this.transmit(box);
    else this.flush();  // ready, but what waits has not gone yet: it goes first
    this.onChange();
    return true;
  }

  has(id) { return this.tracker.has(id) || this.outbox.has(id); }

  /** Is a command of this kind (and matching `test`) waiting, in the outbox or for its answer? */
  busy(kind, test = () => true) {
    return this.tracker.busy(kind, test) || this.outbox.entries.some((e) => e.meta.kind === kind && test(this.entryOf(e)));
  }

  answer(msg) { return this.tracker.answer(msg); }

  /** The connection is gone: what was on the wire waits in the outbox (the rest is given up). */
  dropAll(text) {
    this.live = false;
    this.tracker.dropAll(text);
    for (const box of this.outbox.lost()) this.deliver(box, {state: 'waiting', text: this.texts.waiting});
    this.onChange();
  }

  /**
   * The connection is ready (open, in sync, signed in as the outbox's user): every waiting entry is
   * sent, oldest first, with its id; a stale one is asked about instead. From now on new commands
   * go straight out, until the connection goes.
   */
  flush() {
    if (!this.outbox.user || !this.ready()) return;
    this.live = true;
    const {send, ask} = this.outbox.due((box) => this.judge(box));
    for (const {entry: box, stale} of ask) {
      box.state = 'ask';
      box.stale = stale;
      this.deliver(box, {state: 'ask', stale, text: this.texts.ask});
    }
    for (const box of send) this.transmit(box);
    this.onChange();
  }

  /** "Skicka ändå": sent with its original id, now if the connection is ready. */
  sendAnyway(id) {
    const box = this.outbox.get(id);
    if (!box || box.state === 'sent') return;
    this.outbox.confirm(id);
    if (this.live && this.ready()) this.transmit(box);
    else this.deliver(box, {state: 'waiting', text: this.texts.waiting});
    this.onChange();
  }

  /** "Släng": dropped unsent (one on the wire cannot be). */
  discard(id) {
    const box = this.outbox.get(id);
    if (!box || box.state === 'sent') return;
    this.outbox.drop(id);
    this.deliver(box, {state: 'discarded', text: this.texts.discarded, tried: box.tried});
    this.handlers.delete(id);
    this.onChange();
  }

  /** Signed in as `userId` (or, before the welcome, known to be): that user's entries, restored. */
  open(userId) {
    if (userId && userId === this.outbox.user) return;
    this.close();
    this.outbox.open(userId);
    this.onChange();
  }

  /** Signed out: the entries stay stored for the user; those made on this page are told so. */
  close() {
    if (!this.outbox.user) return;
    const boxes = [...this.outbox.entries];
    this.outbox.close();
    this.live = false;
    for (const box of boxes) {
      const fn = this.handlers.get(box.id);
      this.handlers.delete(box.id);
      fn?.({state: 'lost', text: this.texts.closed}, this.entryOf(box));
    }
    this.onChange();
  }

  // -------------------------------------------------------------------------------------------

  /** What the page's handlers get as the entry: its meta, with the command and the outbox entry. */
  entryOf(box) {
    box.entry ||= {...box.meta, cmd: box.cmd, box};
    return box.entry;
  }

  transmit(box) {
    this.outbox.markSent(box.id);
    const inner = {...box.meta, onResult: (result) => this.route(box, result)};
    this.tracker.send(box.cmd, inner);
  }

  /** A result of the tracker for entry `box`. */
  route(box, result) {
    if (this.outbox.get(box.id) !== box) return;  // discarded, or the user signed out
    let out = result;
    if (result.state === 'ok' || (result.state === 'error' && !RETRY_CODES.has(result.answer?.code))) {
      this.outbox.drop(box.id);
    } else if (result.state === 'error' || result.state === 'lost' || result.state === 'refused') {
      // Nothing was done, or the answer may never come: it waits, and is sent again.
      box.state = 'waiting';
      out = {state: 'waiting', text: this.texts.waiting};
      if (result.state === 'error' && result.answer.code === 'rate_limited') {
        this.timers.setTimeout(() => {
          if (this.outbox.get(box.id) === box && box.state === 'waiting' && this.live && this.ready()) {
            this.transmit(box);
            this.onChange();
          }
        }, RETRY_AFTER_MS);
      }
    }
    this.deliver(box, out);
    if (out.state === 'ok' || out.state === 'error') this.handlers.delete(box.id);
    this.onChange();
  }

  deliver(box, result) {
    const entry = this.entryOf(box);
    const fn = this.handlers.get(box.id) || this.adopters.get(box.meta.kind)?.(entry);
    fn?.(result, entry);
    this.onResult(result, box, !!this.handlers.get(box.id));
  }
}
