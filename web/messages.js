// Lägesbild — messages (lägesrapport, METHANE, larm, information) as the board and the TiB page
// show them (protocol.md "post_message", "acknowledge", "Messages in the state").
//
// A message record arrives whole (snapshot state.messages, or a delta's "message"), so showing one
// is a pure function of the record. Server strings reach the DOM only through textContent (h()).

import {
  MESSAGE_KINDS, METHANE_FIELDS, READINESS, ERROR_TEXT, h, setText, parseTime, ageText, timeWithDay,
  shortRegionName,
} from './common.js';

/** The region ids a message is addressed to ("all" → every region of the state). */
export function addressees(msg, regions) {
  if (msg.to === 'all') return regions.map((r) => r.id);
  return Array.isArray(msg.to) ? msg.to : [];
}

export const pendingOf = (msg) => (Array.isArray(msg.pending) ? msg.pending : []);

/** Unacknowledged first, then newest first (by seq). Returns a new array. */
export function sortMessages(list) {
  return [...list].sort((a, b) => {
    const pa = pendingOf(a).length > 0, pb = pendingOf(b).length > 0;
    if (pa !== pb) return pa ? -1 : 1;
    return (b.seq || 0) - (a.seq || 0);
  });
}

/** Replaces the message with the same id, or appends it; keeps the list in seq order. */
export function upsertMessage(list, msg) {
  if (!msg || !msg.id) return list;
  const i = list.findIndex((m) => m.id === msg.id);
  if (i >= 0) list[i] = msg;
  else {
    list.push(msg);
    list.sort((a, b) => (a.seq || 0) - (b.seq || 0));
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// The messages a page knows (protocol.md "Messages in the state", GET /api/messages)

const isOpen = (msg) => pendingOf(msg).length > 0;
const bySeq = (a, b) => (a.seq || 0) - (b.seq || 0);
const ackCount = (msg) => (msg.acks && typeof msg.acks === 'object' ? Object.keys(msg.acks).length : 0);
const count = (v) => (Number.isFinite(v) && v >= 0 ? Math.floor(v) : null);
export const MESSAGE_PAGE = 50;

/**
 * Where the snapshot's unbroken run of the newest messages begins: every message with this seq
 * or later is in the snapshot, and GET /api/messages?before= it continues; null when the snapshot
 * has every message. That is `older_before`, except that the state also keeps old open messages
 * beyond the newest ones, and a run that reaches one of them would skip the closed messages in
 * between: closed messages are kept only among the newest, so the oldest closed record is a start
 * that skips nothing (asking again for a few open records costs nothing, they merge by id).
 */
function snapshotCursor(records, info) {
  if (!info) return null;  // a server without message_log sends every message
  const older = count(info.older_before);
  if (older === null) return null;
  const closed = records.filter((m) => !isOpen(m) && Number.isFinite(m.seq)).map((m) => m.seq);
  return closed.length ? Math.max(older, Math.min(...closed)) : older;
}

/**
 * The messages of one space as the page knows them, oldest first (`list`): the snapshot's records
 * — which may be only the newest and the open ones — the deltas, and older pages fetched on
 * request (loadOlder(): every message, newest first; loadOlderOpen(): only open ones).
 *
 * A new snapshot (they come at any time) replaces what it carries and keeps the rest only while it
 * is still true: closed messages never change again, but an open one the snapshot no longer carries
 * may have been acknowledged in deltas the snapshot replaced. "Older" goes on from where the page
 * was only when the snapshot joins on to what the page had without a gap (a flood may have pushed
 * more messages past it than it carries); otherwise from the snapshot's own start.
 */
export class MessageLog {
  /**
   * @param {object} options
   * @param {(url: string) => Promise<Response>} options.fetch  a GET with the page's credentials
   * @param {() => void} options.onChange  a page load started, ended or failed
   */
  constructor({fetch, onChange}) {
    this.fetch = fetch;
    this.onChange = onChange || (() => {});
    this.space = null;
    this.list = [];
    this.total = 0;            // every message ever posted in the space
    this.openTotal = 0;        // open messages the server's state tracks
    this.before = null;        // where the next page of all messages starts; null: none older
    this.openBefore = undefined; // the same for open messages (undefined: from the newest)
    this.openDone = true;      // every open message is here
    this.paged = false;        // a page was merged (since the page showed this space)
    this.unreadable = 0;       // messages the server could not read from its log
    this.loading = {all: false, open: false};
    this.error = {all: '', open: ''};
    this.gen = 0;              // bumped when answers on their way are no longer wanted
  }

  /** Older messages exist that the page has not fetched. */
  get hasOlder() { return this.before !== null && this.list.length < this.total; }

  /** How many open messages the page does not have. */
  get hiddenOpen() {
    return this.openDone ? 0 : Math.max(0, this.openTotal - this.list.filter(isOpen).length);
  }

  /** A snapshot of `msg.space`; `prevSeq` is the last seq the page had applied before it. */
  applySnapshot(msg, prevSeq) {
    const st = msg.state || {};
    const records = (Array.isArray(st.messages) ? st.messages : []).filter((m) => m && m.id);
    const info = st.message_log && typeof st.message_log === 'object' ? st.message_log : null;
    const cursor = snapshotCursor(records, info);
    const same = msg.space === this.space;
    const ids = new Set(records.map((m) => m.id));
    const gone = same ? this.list.filter((m) => !ids.has(m.id)) : [];
    // Closed messages never change again: they stay. An open one may have been acknowledged in
    // deltas this snapshot replaced: it goes, and with it the claim to have everything after it.
    const dropped = gone.some(isOpen);
    const joined = same && !dropped && cursor !== null && cursor <= prevSeq + 1;
    if (!same || dropped) {
      this.gen++;  // answers on their way may hold what was dropped
      this.loading = {all: false, open: false};
      this.error = {all: '', open: ''};
    }
    if (!same) {
      this.paged = false;
      this.unreadable = 0;
    }
    this.space = msg.space;
    this.list = [...records, ...(cursor === null ? [] : gone.filter((m) => !isOpen(m)))].sort(bySeq);
    this.total = Math.max(count(info?.total) ?? 0, this.list.length);
    // Every message from `before` on is here: the snapshot's run, joined to what the page had.
    this.before = !joined ? cursor : this.before === null ? null : Math.min(this.before, cursor);
    const open = records.filter(isOpen);
    this.openTotal = count(info?.open) ?? open.length;
    this.openBefore = open.length ? Math.min(...open.map((m) => m.seq)) : undefined;
    this.openDone = this.openTotal <= open.length;
  }

  /**
   * A delta: its whole message record, when it carries one. An acknowledgement that closes an old
   * message may come without it (the state no longer keeps a closed message beyond the newest):
   * the page then notes the acknowledgement in its own copy. Returns whether a message changed.
   */
  applyDelta(delta) {
    if (delta.message && delta.message.id) {
      this.applyMessage(delta.message, delta.seq);
      return true;
    }
    const e = delta.event;
    const old = e?.kind === 'message_acknowledged' && this.list.find((m) => m.id === e.message);
    if (!old || !e.region) return false;
    const acks = {...(old.acks && typeof old.acks === 'object' ? old.acks : {})};
    if (!acks[e.region]) acks[e.region] = {at: e.at, by: e.actor?.id ?? null, seq: e.seq};
    this.applyMessage({...old, acks, pending: pendingOf(old).filter((r) => r !== e.region)}, delta.seq);
    return true;
  }

  /** The whole record of a message from a delta of seq `seq` (posted when its seq is that one). */
  applyMessage(rec, seq) {
    if (!rec || !rec.id) return;
    const old = this.list.find((m) => m.id === rec.id);
    const posted = !old && rec.seq === seq;
    // Unknown and not new: an open message older than what the page has (now acknowledged).
    const wasOpen = old ? isOpen(old) : !posted;
    if (posted) this.total++;
    this.openTotal = Math.max(0, this.openTotal + (isOpen(rec) ? 1 : 0) - (wasOpen ? 1 : 0));
    upsertMessage(this.list, rec);
  }

  loadOlder() { return this.load('all'); }

  loadOlderOpen() { return this.load('open'); }

  /** The next page (for open ones: all of them); pages that bring nothing new are passed over. */
  async load(which) {
    const open = which === 'open';
    const more = () => (open ? !this.openDone : this.hasOlder);
    if (this.loading[which] || !more()) return;
    const gen = this.gen;
    this.loading[which] = true;
    this.error[which] = '';
    this.onChange();
    let error = '';
    try {
      for (let pages = 0; pages < 20 && more(); pages++) {
        const before = open ? this.openBefore : this.before;
        const q = new URLSearchParams({space: this.space});
        if (open) q.set('open', 'true');
        if (before !== undefined) q.set('before', String(before));
        q.set('limit', String(MESSAGE_PAGE));
        const res = await this.fetch(`/api/messages?${q}`);
        const body = await res.json().catch(() => null);
        if (gen !== this.gen) return;
        if (!res.ok || !body || !Array.isArray(body.messages)) {
          error = `${ERROR_TEXT[body?.code] || 'Fel från servern'} (HTTP ${res.status})`;
          break;
        }
        // One click brings every open message (the server tracks at most 500): an
        // unacknowledged one must never stay hidden behind a second click. The log of all
        // messages goes one page per click.
        if (this.merge(body, which, before) > 0 && !open) break;
      }
    } catch {
      error = 'Ingen kontakt med servern';
    } finally {
      if (gen === this.gen) {
        this.loading[which] = false;
        this.error[which] = error;
        this.onChange();
      }
    }
  }

  /** Merges one page by id; returns how many messages the page did not have. */
  merge(body, which, before) {
    let added = 0;
    for (const rec of body.messages) {
      if (!rec || !rec.id) continue;
      // Read from the log a moment ago: a record the page has may be newer (a delta since), and
      // acknowledgements only ever grow.
      const old = this.list.find((m) => m.id === rec.id);
      if (old && ackCount(rec) <= ackCount(old)) continue;
      if (!old) added++;
      upsertMessage(this.list, rec);
    }
    const next = count(body.older_before);
    if (which === 'open') {
      if (this.openBefore === before) {
        this.openBefore = next ?? undefined;
        this.openDone = next === null;
      }
    } else if (this.before === before) {
      this.before = next;
    }
    if (Array.isArray(body.unreadable)) this.unreadable += body.unreadable.length;
    this.paged = true;
    return added;
  }
}

/** 1234 → "1 234". */
export const countText = (n) => Number(n).toLocaleString('sv-SE');

/**
 * The "older messages" line under a list, in `box`: a note (counts), a button while `show` (its
 * label, "Hämtar…" while `busy`) and the last error. The button is made once, so a re-render on
 * every delta keeps its focus; a click calls the latest `onLoad`.
 */
export function renderLoadMore(box, {note, label, show, busy, error, onLoad}) {
  let btn = box.querySelector('button');
  if (!btn) {
    btn = h('button', {type: 'button', class: 'btn btn-more'});
    btn.addEventListener('click', () => box.loadMore?.());
    box.replaceChildren(h('span', {class: 'more-note'}), btn, h('span', {class: 'more-error', role: 'alert'}));
  }
  box.loadMore = onLoad;
  box.hidden = !note && !show && !error;
  setText(box.querySelector('.more-note'), note || '');
  btn.hidden = !show;
  btn.disabled = !!busy;
  setText(btn, busy ? 'Hämtar…' : label);
  const err = box.querySelector('.more-error');
  err.hidden = !error;
  setText(err, error ? `Kunde inte hämta: ${error}. Försök igen.` : '');
}

/** A lookup of region names: id → short name ("Örebro län"); unknown ids are shown as they are. */
export function regionNamer(regions) {
  const names = new Map(regions.map((r) => [r.id, shortRegionName(r.name)]));
  return (id) => names.get(id) || id;
}

/** "Örebro län (tib-orebro)", or "Övningsledningen (ovningsledare)" for from: null. */
export function senderText(msg, regionName) {
  const who = msg.from ? regionName(msg.from) : 'Övningsledningen';
  return msg.sent_by ? `${who} (${msg.sent_by})` : who;
}

/** "Alla regioner" or "Örebro län, Sörmland, Västmanland". */
export function recipientsText(msg, regionName) {
  // The server keeps "all" as to_all: true with `to` expanded to every region.
  if (msg.to === 'all' || msg.to_all === true) return 'Alla regioner';
  return (Array.isArray(msg.to) ? msg.to : []).map(regionName).join(', ');
}

/** An element whose text is the age of `at`, kept current by updateAgeLabels(). */
export function ageLabel(at, now, prefix = '') {
  const el = h('span', {class: 'age-label', dataset: {ageAt: at || '', agePrefix: prefix}});
  const t = parseTime(at);
  el.textContent = `${prefix}${Number.isFinite(t) ? ageText(now - t) : ''}`;
  return el;
}

/** Re-renders every age label under root at server time `now`. */
export function updateAgeLabels(root, now) {
  for (const el of root.querySelectorAll('[data-age-at]')) {
    const t = parseTime(el.dataset.ageAt);
    setText(el, `${el.dataset.agePrefix || ''}${Number.isFinite(t) ? ageText(now - t) : ''}`);
  }
}

/** The kind as icon + word: "⚠ Larm". */
export function kindBadge(kind) {
  const info = MESSAGE_KINDS[kind] || {label: kind || 'Meddelande', icon: '•'};
  return h('span', {class: `msg-kind kind-${kind in MESSAGE_KINDS ? kind : 'other'}`},
    h('span', {class: 'msg-kind-icon', 'aria-hidden': 'true'}, info.icon), info.label);
}

/** The level an alert raises or asks for, drawn like the readiness badges of the board. */
export function levelBadge(level) {
  const info = READINESS[level];
  if (!info) return null;
  return h('span', {class: `badge readiness lvl-${level}`, title: `Larmet gäller ${info.label.toLowerCase()}`},
    h('span', {class: 'pips', 'aria-hidden': 'true'}, h('i'), h('i'), h('i'), h('i')),
    h('span', {class: 'badge-text'}, info.label));
}

/** METHANE as a compact grid: letter, label, text. Empty fields are shown as "–". */
export function methaneGrid(methane) {
  if (!methane || typeof methane !== 'object') return null;
  const dl = h('dl', {class: 'methane'});
  for (const f of METHANE_FIELDS) {
    const v = methane[f.key];
    dl.append(
      h('dt', {title: f.label}, h('span', {class: 'm-letter'}, f.letter), h('span', {class: 'm-label'}, f.label)),
      h('dd', {class: v ? '' : 'empty'}, v ? String(v) : '–'));
  }
  return dl;
}

/** The free-text fields of a situation report (key: value). */
function fieldsList(fields) {
  const entries = fields && typeof fields === 'object' ? Object.entries(fields) : [];
  if (!entries.length) return null;
  const dl = h('dl', {class: 'sitrep-fields'});
  for (const [k, v] of entries) dl.append(h('dt', {}, String(k)), h('dd', {}, String(v)));
  return dl;
}

/**
 * Who has and has not acknowledged, in two labelled lines: "Ej kvitterat: ✖ Sörmland ✖ Västmanland"
 * and "Kvitterat: ✔ Örebro län 10:21 av tib-orebro". Words first, so the state never depends on
 * colour. Each region is an <li data-ack-region=ID data-acked=true|false>. Null when no
 * acknowledgement is required.
 */
export function ackList(msg, regions, regionName, now) {
  if (!msg.requires_ack) return null;
  const pending = new Set(pendingOf(msg));
  const acks = msg.acks && typeof msg.acks === 'object' ? msg.acks : {};
  const ids = addressees(msg, regions);
  // Regions named in acks/pending but not in the list we know of still show.
  for (const id of [...Object.keys(acks), ...pending]) if (!ids.includes(id)) ids.push(id);
  const waiting = ids.filter((id) => pending.has(id) || !acks[id]);
  const done = ids.filter((id) => !waiting.includes(id));
  const box = h('div', {class: 'acks'});
  if (waiting.length) {
    box.append(h('div', {class: 'ack-line wait'},
      h('span', {class: 'ack-head'}, 'Ej kvitterat:'),
      h('ul', {}, ...waiting.map((id) => h('li', {class: 'ack wait', dataset: {ackRegion: id, acked: 'false'}},
        h('span', {class: 'ack-mark', 'aria-hidden': 'true'}, '✖'),
        h('span', {class: 'ack-region'}, regionName(id)))))));
  }
  if (done.length) {
    box.append(h('div', {class: 'ack-line done'},
      h('span', {class: 'ack-head'}, 'Kvitterat:'),
      h('ul', {}, ...done.map((id) => {
        const a = acks[id];
        const t = parseTime(a.at);
        return h('li', {class: 'ack done', dataset: {ackRegion: id, acked: 'true'},
          title: `${regionName(id)} kvitterade ${Number.isFinite(t) ? timeWithDay(t, now) : ''}${a.by ? ` (${a.by})` : ''}`},
        h('span', {class: 'ack-mark', 'aria-hidden': 'true'}, '✔'),
        h('span', {class: 'ack-region'}, regionName(id)),
        h('span', {class: 'ack-state'}, `${Number.isFinite(t) ? timeWithDay(t, now) : ''}${a.by ? ` av ${a.by}` : ''}`));
      }))));
  }
  return box;
}

/**
 * One message as an <article data-message=ID data-kind data-pending=N>.
 * opts: {regions, now, compact (no METHANE grid, text clamped), actions: Node|null, acks: bool}
 */
export function renderMessage(msg, opts) {
  const {regions, now, compact = false, actions = null, acks = true} = opts;
  const regionName = opts.regionName || regionNamer(regions);
  const pending = pendingOf(msg);
  const t = parseTime(msg.at);
  const head = h('div', {class: 'msg-head'},
    kindBadge(msg.kind),
    msg.kind === 'alert' ? levelBadge(msg.level) : null,
    pending.length
      ? h('span', {class: 'msg-flag', title: 'Väntar på kvittens'}, `Ej kvitterat ${pending.length}`)
      : null,
    h('span', {class: 'msg-time'},
      h('time', {datetime: msg.at || ''}, Number.isFinite(t) ? timeWithDay(t, now) : ''),
      ' · ', ageLabel(msg.at, now)));
  const route = h('div', {class: 'msg-route'},
    h('span', {class: 'msg-from'}, h('span', {class: 'lbl'}, 'Från '), senderText(msg, regionName)),
    h('span', {class: 'msg-to'}, h('span', {class: 'lbl'}, 'Till '), recipientsText(msg, regionName)));
  const text = msg.text ? h('p', {class: 'msg-text'}, String(msg.text)) : null;
  const el = h('article', {
    class: `msg kind-${msg.kind}${pending.length ? ' is-pending' : ''}${compact ? ' compact' : ''}`,
    dataset: {message: msg.id, kind: msg.kind || '', pending: String(pending.length)},
  },
  head, route, text,
  compact ? null : methaneGrid(msg.methane),
  compact && msg.methane ? methaneSummary(msg.methane) : null,
  compact ? null : fieldsList(msg.fields),
  acks ? ackList(msg, regions, regionName, now) : null,
  actions);
  return el;
}

/** A one-line METHANE digest for compact places: location and casualties. */
function methaneSummary(m) {
  const parts = [m.exact_location, m.type, m.number_of_casualties].filter((x) => x && String(x).trim());
  return parts.length ? h('p', {class: 'msg-text methane-digest'}, parts.join(' · ')) : null;
}
