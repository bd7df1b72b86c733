// Lägesbild — the messages of one space as a page knows them (protocol.md "Messages in the state",
// GET /api/messages): the snapshot's records, the deltas, and older pages fetched on request.
// Pure: no DOM; the page gives it a fetch with its credentials. Shown by messages.js.

import {ERROR_TEXT} from './common.js';

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
