// The TiB page's outbox (web/outbox.js) without a browser: entries kept per user and space in a
// storage, restored in their order, dropped on their answer; what is sent again after a reconnect
// (with the same id, oldest first) and what is asked about instead (too old, or older than figures
// someone else reported since); the tracker's interface kept for the page's parts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandTracker } from '../../web/command_tracker.js';
import {
  Outbox, OutboxTracker, STALE_AFTER_MS, MAX_ENTRIES, RETRY_AFTER_MS, outboxKey, staleness, newerFigures, newerFor,
  newestReport,
} from '../../web/outbox.js';

const T0 = Date.parse('2026-11-23T10:02:00.000Z');
const MIN = 60_000;
const iso = (ms) => new Date(ms).toISOString();

/** A localStorage of its own. */
function memoryStorage() {
  const data = new Map();
  return {
    data,
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => { data.set(k, String(v)); },
    removeItem: (k) => { data.delete(k); },
  };
}

function clock(start = T0) {
  let t = start;
  return { now: () => t, set: (v) => { t = v; }, add: (ms) => { t += ms; } };
}

/** Timers the test runs by hand. */
function manualTimers() {
  let next = 1;
  const due = new Map();
  return {
    setTimeout: (fn, ms) => { const id = next++; due.set(id, { fn, ms }); return id; },
    clearTimeout: (id) => { due.delete(id); },
    fire(ms) { for (const [id, t] of [...due]) if (ms === undefined || t.ms === ms) { due.delete(id); t.fn(); } },
  };
}

const report = (id, hospital = 'karlstad', beds = { AdultICU: { available: 6 } }) =>
  ({ v: 1, type: 'report_capacity', id, space: 'live', hospital, beds });

function outbox({ storage = memoryStorage(), space = 'live', time = clock(), local = clock() } = {}) {
  return { box: new Outbox({ space, storage, now: time.now, localNow: local.now }), storage, time, local };
}

// ---------------------------------------------------------------------------------------------
// Outbox: storage

test('entries are kept under the user\'s key, survive a new page, and go on their answer', () => {
  const { box, storage, time, local } = outbox();
  assert.equal(box.add(report('r-1')), null, 'nobody signed in: nothing kept');
  box.open('tib-varmland');
  const a = box.add(report('r-1'), { kind: 'report', hospital: 'karlstad', hospitalName: 'Centralsjukhuset Karlstad' });
  time.add(MIN); local.add(MIN);
  box.add(report('r-2', 'arvika'), { kind: 'report', hospital: 'arvika' });
  assert.equal(a.at, T0);
  assert.deepEqual(box.entries.map((e) => e.id), ['r-1', 'r-2']);
  assert.equal(box.add(report('r-1')), a, 'the same id is one entry');

  const stored = JSON.parse(storage.getItem(outboxKey('tib-varmland')));
  assert.equal(outboxKey('tib-varmland'), 'lagesbild.outbox.tib-varmland');
  assert.equal(stored.v, 1);
  assert.deepEqual(stored.entries[0].cmd, report('r-1'), 'the command exactly, with its id');
  assert.equal(stored.entries[0].meta.hospitalName, 'Centralsjukhuset Karlstad');
  assert.equal(stored.entries[0].at, T0);
  assert.ok(!JSON.stringify(stored).includes('token'));

  // A reload: a new outbox on the same storage.
  const again = new Outbox({ space: 'live', storage, now: time.now, localNow: local.now });
  again.open('tib-varmland');
  assert.deepEqual(again.entries.map((e) => [e.id, e.state, e.at]), [['r-1', 'waiting', T0], ['r-2', 'waiting', T0 + MIN]]);
  assert.deepEqual(again.get('r-1').cmd, report('r-1'));

  assert.equal(again.drop('r-1').id, 'r-1');
  assert.equal(again.drop('r-1'), null);
  assert.deepEqual(JSON.parse(storage.getItem(outboxKey('tib-varmland'))).entries.map((e) => e.id), ['r-2']);
  again.drop('r-2');
  assert.equal(storage.getItem(outboxKey('tib-varmland')), null, 'an empty outbox leaves nothing behind');
});

test('each user has an outbox of their own, and a space sees only its own entries', () => {
  const storage = memoryStorage();
  const live = new Outbox({ space: 'live', storage });
  live.open('tib-varmland');
  live.add(report('r-1'));
  live.open('tib-dalarna');
  assert.equal(live.size, 0, 'another user sees none of them');
  live.add(report('r-9', 'falun'));
  live.close();
  assert.equal(live.user, null);
  assert.equal(live.size, 0);

  const exercise = new Outbox({ space: 'ovning-1', storage });
  exercise.open('tib-varmland');
  assert.equal(exercise.size, 0, 'the live report is not sent into an exercise');
  exercise.add({ ...report('r-2'), space: 'ovning-1' });
  // Both spaces' entries stay stored under the user's one key.
  const ids = JSON.parse(storage.getItem(outboxKey('tib-varmland'))).entries.map((e) => e.id);
  assert.deepEqual(ids.sort(), ['r-1', 'r-2']);
  live.open('tib-varmland');
  assert.deepEqual(live.entries.map((e) => e.id), ['r-1']);
  assert.deepEqual(JSON.parse(storage.getItem(outboxKey('tib-dalarna'))).entries.map((e) => e.id), ['r-9']);
});

test('restored entries come back oldest first; another tab\'s are kept on save; junk is passed over', () => {
  const storage = memoryStorage();
  const local = clock(1000);
  storage.setItem(outboxKey('u'), JSON.stringify({ v: 1, entries: [
    { id: 'b', cmd: report('b'), meta: { kind: 'report' }, at: T0 + MIN, made: 2000 },
    { id: 'a', cmd: report('a'), meta: { kind: 'report' }, at: T0, made: 1000 },
    { id: 'x', cmd: report('not-x') },
    'junk',
  ] }));
  const tab1 = new Outbox({ space: 'live', storage, localNow: local.now });
  tab1.open('u');
  assert.deepEqual(tab1.entries.map((e) => e.id), ['a', 'b']);
  // Another tab adds one meanwhile; this tab's save keeps it.
  const tab2 = new Outbox({ space: 'live', storage });
  tab2.open('u');
  tab2.add(report('c'));
  tab1.drop('a');
  assert.deepEqual(JSON.parse(storage.getItem(outboxKey('u'))).entries.map((e) => e.id).sort(), ['b', 'c']);

  storage.setItem(outboxKey('v'), '{not json');
  const broken = new Outbox({ space: 'live', storage });
  assert.deepEqual(broken.open('v'), []);
});

test('a storage that refuses to write leaves the outbox working in memory', () => {
  const storage = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => {} };
  const box = new Outbox({ space: 'live', storage });
  box.open('u');
  assert.ok(box.add(report('r-1')));
  assert.equal(box.size, 1);
  const none = new Outbox({ space: 'live', storage: null });
  none.open('u');
  assert.ok(none.add(report('r-1')));
});

test('the outbox holds at most MAX_ENTRIES', () => {
  const box = new Outbox({ space: 'live', storage: memoryStorage() });
  box.open('u');
  for (let i = 0; i < MAX_ENTRIES; i++) assert.ok(box.add(report(`r-${i}`)));
  assert.equal(box.add(report('one-more')), null);
});

// ---------------------------------------------------------------------------------------------
// Stale rules

test('an entry older than 15 minutes, or older than someone else\'s figures, is stale', () => {
  const entry = { at: T0, meta: { kind: 'report', hospital: 'karlstad' }, cmd: report('r-1') };
  assert.equal(STALE_AFTER_MS, 15 * MIN);
  assert.equal(staleness(entry, { now: T0 + 15 * MIN }), null, '15 minutes exactly is not too old');
  assert.deepEqual(staleness(entry, { now: T0 + 15 * MIN + 1 }), { why: 'age', age: 15 * MIN + 1 });
  assert.deepEqual(staleness(entry, { now: T0 - 2 * MIN }), { why: 'clock', age: -2 * MIN }, 'the clock went back');
  assert.equal(staleness(entry, { now: T0 - 1000 }), null, 'a little clock noise is not');
  assert.deepEqual(staleness(entry, { now: T0 + MIN, newer: { at: T0 + 3 * MIN, by: 'tib-x' } }),
    { why: 'newer', at: T0 + 3 * MIN, by: 'tib-x' });

  const hosp = {
    id: 'karlstad', last_reported_at: iso(T0 + 3 * MIN),
    beds: {
      AdultICU: { available: 4, reported_at: iso(T0 + 3 * MIN), reported_by: 'tib-x' },
      MedicalSurgical: { available: 9, reported_at: iso(T0 - 10 * MIN), reported_by: 'tib-y' },
    },
    reception: { P1: { value: 2, reported_at: iso(T0 + 2 * MIN), reported_by: 'tib-varmland' } },
    ed_status: { value: 'open', reported_at: null, reported_by: null },
    readiness: { value: 'normal', reported_at: null, reported_by: null },
  };
  assert.deepEqual(newerFigures(hosp, T0, 'tib-varmland'), { at: T0 + 3 * MIN, by: 'tib-x' });
  assert.equal(newerFigures(hosp, T0 + 3 * MIN, 'tib-varmland'), null, 'not newer: the same time');
  // The user's own newer figures do not make it stale: they may be this very command, committed.
  assert.deepEqual(newerFigures(hosp, T0, 'tib-x'), { at: T0 + 2 * MIN, by: 'tib-varmland' }, 'the next newest, by another');
  assert.equal(newerFigures(hosp, T0 + 2 * MIN, 'tib-x'), null, 'only the user\'s own are newer');
  // last_reported_at the records do not explain counts, by an unknown reporter.
  assert.deepEqual(newerFigures({ last_reported_at: iso(T0 + MIN) }, T0, 'me'), { at: T0 + MIN, by: '' });
  assert.equal(newerFigures({ last_reported_at: null }, T0, 'me'), null);
  assert.deepEqual(newestReport([{ reported_at: iso(T0 + MIN), reported_by: 'a' }, { reported_at: iso(T0 + 2 * MIN) }], T0, 'me'),
    { at: T0 + 2 * MIN, by: '' });

  const state = {
    hospital: (id) => (id === 'karlstad' ? hosp : null),
    region: (id) => (id === 'varmland' ? {
      readiness: { value: 'staff', reported_at: iso(T0 + MIN), reported_by: 'admin' },
      transport: { ambulances: { available: 3, reported_at: iso(T0 - MIN), reported_by: 'admin' } },
    } : null),
  };
  assert.deepEqual(newerFor(entry, state, 'tib-varmland'), { at: T0 + 3 * MIN, by: 'tib-x' });
  assert.deepEqual(newerFor({ ...entry, meta: { kind: 'confirm', hospital: 'karlstad' } }, state, 'me').by, 'tib-x');
  const readiness = { at: T0, meta: { kind: 'readiness' }, cmd: { type: 'set_region_readiness', region: 'varmland', level: 'staff' } };
  assert.deepEqual(newerFor(readiness, state, 'tib-varmland'), { at: T0 + MIN, by: 'admin' });
  assert.equal(newerFor({ ...readiness, meta: { kind: 'transport' } }, state, 'tib-varmland'), null);
  assert.equal(newerFor({ at: T0, meta: { kind: 'message' }, cmd: { type: 'post_message' } }, state, 'me'), null);
  assert.equal(newerFor({ ...entry, meta: { kind: 'report', hospital: 'gone' }, cmd: report('r', 'gone') }, state, 'me'), null);
});

test('due(): oldest first; stale ones asked about; a confirmed one sent without judging; on the wire left alone', () => {
  const { box, time, local } = outbox();
  box.open('u');
  for (const id of ['a', 'b', 'c', 'd']) { box.add(report(id)); time.add(MIN); local.add(MIN); }
  box.markSent('d');
  const judge = (e) => (e.id === 'b' || e.id === 'c' ? { why: 'age' } : null);
  let due = box.due(judge);
  assert.deepEqual(due.send.map((e) => e.id), ['a']);
  assert.deepEqual(due.ask.map((x) => x.entry.id), ['b', 'c']);
  box.confirm('c');
  due = box.due(judge);
  assert.deepEqual(due.send.map((e) => e.id), ['a', 'c']);
  assert.deepEqual(box.lost().map((e) => e.id), ['d']);
  assert.equal(box.get('d').state, 'waiting');
  assert.equal(box.get('d').tried, true, 'it went on the wire once');
  assert.equal(box.get('a').tried, false);
});

// ---------------------------------------------------------------------------------------------
// OutboxTracker: the page's tracker

/** An outbox tracker on a fake connection: `link.ready` says whether it is open, in sync, signed in. */
function rig({ storage = memoryStorage(), user = 'tib-varmland', judge = () => null, time = clock() } = {}) {
  const wire = [];
  const link = { ready: false };
  const timers = manualTimers();
  const inner = new CommandTracker({ send: (cmd) => wire.push(cmd), timers,
    refuse: () => (link.ready ? null : 'Ingen anslutning till servern – inget skickades.') });
  const box = new Outbox({ space: 'live', storage, now: time.now, localNow: time.now });
  const seen = [];
  const t = new OutboxTracker({
    outbox: box, tracker: inner, ready: () => link.ready, judge, timers,
    meta: (cmd, entry) => ({ kind: entry.kind, hospital: entry.hospital }),
    texts: { waiting: 'Väntar på anslutning', ask: 'Svara', full: 'Full', discarded: 'Slängd', closed: 'Utloggad' },
    onResult: (result, b, own) => seen.push([b.id, result.state, own]),
  });
  if (user) t.open(user);
  return { t, box, wire, link, timers, seen, storage, time, inner };
}

const results = () => {
  const list = [];
  return { list, onResult: (r, entry) => list.push([r.state, r.answer?.seq ?? r.text ?? null, entry.kind]) };
};

test('without a user the tracker behaves as before: refused when it cannot go, lost when the link goes', () => {
  const { t, wire, link } = rig({ user: null });
  const a = results();
  assert.equal(t.send(report('r-1'), { kind: 'report', ...a }), false);
  assert.deepEqual(a.list, [['refused', 'Ingen anslutning till servern – inget skickades.', 'report']]);
  link.ready = true;
  const b = results();
  assert.equal(t.send(report('r-2'), { kind: 'report', ...b }), true);
  assert.ok(t.busy('report') && t.has('r-2'));
  t.dropAll('Anslutningen bröts');
  assert.deepEqual(b.list.at(-1), ['lost', 'Anslutningen bröts', 'report']);
  assert.deepEqual(wire.map((c) => c.id), ['r-2']);
});

test('made while disconnected: kept, shown waiting, sent with its id once signed in again', () => {
  const { t, box, wire, link, storage } = rig();
  const a = results();
  assert.equal(t.send(report('r-1'), { kind: 'report', hospital: 'karlstad', ...a }), true);
  assert.deepEqual(a.list, [['waiting', 'Väntar på anslutning', 'report']]);
  assert.equal(wire.length, 0);
  assert.ok(t.busy('report', (e) => e.hospital === 'karlstad'), 'the row is busy while it waits');
  assert.equal(t.busy('report', (e) => e.hospital === 'arvika'), false);
  assert.ok(t.has('r-1'));
  assert.ok(storage.getItem(outboxKey('tib-varmland')).includes('"r-1"'));

  t.flush();
  assert.equal(wire.length, 0, 'not ready: nothing sent');
  link.ready = true;
  t.flush();
  assert.deepEqual(wire, [report('r-1')], 'the same command, the same id');
  assert.equal(box.get('r-1').state, 'sent');
  assert.deepEqual(a.list.at(-1), ['pending', null, 'report']);
  assert.equal(t.answer({ type: 'ack', id: 'r-1', seq: 12, already: true }), true);
  assert.deepEqual(a.list.at(-1), ['ok', 12, 'report']);
  assert.equal(box.size, 0);
  assert.equal(storage.getItem(outboxKey('tib-varmland')), null);
  assert.equal(t.busy('report'), false);
});

test('sent but unanswered when the link drops: it waits, and the reconnect sends it again with the same id', () => {
  const { t, box, wire, link } = rig();
  link.ready = true;
  t.flush();  // a fresh connection: nothing to send, new commands go straight out
  const a = results();
  t.send(report('r-1'), { kind: 'report', hospital: 'karlstad', ...a });
  assert.deepEqual(wire.map((c) => c.id), ['r-1']);
  assert.deepEqual(a.list, [['pending', null, 'report']]);
  link.ready = false;
  t.dropAll('Anslutningen bröts');
  assert.deepEqual(a.list.at(-1), ['waiting', 'Väntar på anslutning', 'report'], 'not lost: it waits');
  assert.equal(box.get('r-1').state, 'waiting');

  // Back, and a new command before the page flushed: the old one goes first.
  link.ready = true;
  const b = results();
  t.send(report('r-2', 'arvika'), { kind: 'report', hospital: 'arvika', ...b });
  assert.deepEqual(wire.map((c) => c.id), ['r-1', 'r-1', 'r-2'], 'again, oldest first');
  assert.deepEqual(b.list, [['pending', null, 'report']]);
  t.flush();
  assert.deepEqual(wire.map((c) => c.id), ['r-1', 'r-1', 'r-2'], 'what is on the wire is not sent twice');
  t.answer({ type: 'ack', id: 'r-1', seq: 5, already: true });
  t.answer({ type: 'error', id: 'r-2', code: 'over_capacity' });
  assert.deepEqual(a.list.at(-1), ['ok', 5, 'report']);
  assert.deepEqual(b.list.at(-1), ['error', null, 'report']);
  assert.equal(box.size, 0, 'an error drops the entry too');
});

test('a reload: restored entries are sent after the welcome, their results go to the adopter or the view', () => {
  const storage = memoryStorage();
  const first = rig({ storage });
  first.t.send(report('r-1'), { kind: 'report', hospital: 'karlstad', onResult: () => {} });
  first.t.send({ v: 1, type: 'report_transport', id: 'a-1', space: 'live', region: 'varmland', ambulances: { available: 3 } },
    { kind: 'transport', onResult: () => {} });

  const second = rig({ storage, user: null });
  const adopted = [];
  second.t.adopt('report', (entry) => (result) => adopted.push([entry.hospital, entry.cmd.id, result.state]));
  second.t.open('tib-varmland');
  assert.deepEqual(second.box.entries.map((e) => e.id), ['r-1', 'a-1']);
  assert.ok(second.t.busy('transport'));
  second.link.ready = true;
  second.t.flush();
  assert.deepEqual(second.wire.map((c) => c.id), ['r-1', 'a-1']);
  second.t.answer({ type: 'ack', id: 'r-1', seq: 3 });
  second.t.answer({ type: 'ack', id: 'a-1', seq: 4, already: true });
  assert.deepEqual(adopted, [['karlstad', 'r-1', 'pending'], ['karlstad', 'r-1', 'ok']]);
  assert.deepEqual(second.seen.filter(([id]) => id === 'a-1'), [['a-1', 'pending', false], ['a-1', 'ok', false]],
    'nobody made it on this page: the view shows it');
});

test('a stale entry is asked about: "Släng" drops it unsent, "Skicka ändå" sends it with its id', () => {
  const stale = new Set(['r-old', 'r-old-2']);
  const { t, box, wire, link } = rig({ judge: (e) => (stale.has(e.id) ? { why: 'newer', at: T0, by: 'tib-x' } : null) });
  const a = results(), b = results(), c = results();
  t.send(report('r-old'), { kind: 'report', hospital: 'karlstad', ...a });
  t.send(report('r-fresh', 'arvika'), { kind: 'report', hospital: 'arvika', ...b });
  t.send(report('r-old-2', 'torsby'), { kind: 'report', hospital: 'torsby', ...c });
  link.ready = true;
  t.flush();
  assert.deepEqual(wire.map((x) => x.id), ['r-fresh'], 'only the fresh one by itself');
  assert.equal(a.list.at(-1)[0], 'ask');
  assert.equal(box.get('r-old').state, 'ask');
  assert.deepEqual(box.get('r-old').stale, { why: 'newer', at: T0, by: 'tib-x' });
  assert.ok(t.busy('report', (e) => e.hospital === 'karlstad'));

  t.discard('r-old');
  assert.deepEqual(a.list.at(-1), ['discarded', 'Slängd', 'report']);
  assert.equal(box.has('r-old'), false);
  assert.equal(t.busy('report', (e) => e.hospital === 'karlstad'), false);

  t.sendAnyway('r-old-2');
  assert.deepEqual(wire.map((x) => x.id), ['r-fresh', 'r-old-2'], 'sent anyway, with its original id');
  assert.deepEqual(c.list.at(-1), ['pending', null, 'report']);
  t.discard('r-old-2');
  assert.ok(box.has('r-old-2'), 'one on the wire is not thrown away');

  // Confirmed but the link went: the next flush sends it without asking again.
  link.ready = false;
  t.dropAll('bröts');
  link.ready = true;
  t.flush();
  assert.deepEqual(wire.map((x) => x.id), ['r-fresh', 'r-old-2', 'r-fresh', 'r-old-2']);
  assert.equal(box.get('r-old-2').confirmed, true);
});

test('"Skicka ändå" while the link is down: sent at the next flush, without asking', () => {
  const { t, box, wire, link } = rig({ judge: () => ({ why: 'age', age: 20 * MIN }) });
  t.send(report('r-1'), { kind: 'report', hospital: 'karlstad' });
  link.ready = true;
  t.flush();
  assert.equal(box.get('r-1').state, 'ask');
  link.ready = false;
  t.dropAll('bröts');
  assert.equal(box.get('r-1').state, 'ask', 'the question stands');
  t.sendAnyway('r-1');
  assert.equal(wire.length, 0);
  assert.equal(box.get('r-1').state, 'waiting');
  link.ready = true;
  t.flush();
  assert.deepEqual(wire.map((x) => x.id), ['r-1']);
});

test('rate_limited and shutting_down keep the entry: nothing was done, it is sent again', () => {
  const { t, box, wire, link, timers } = rig();
  link.ready = true;
  t.flush();
  const a = results();
  t.send(report('r-1'), { kind: 'report', hospital: 'karlstad', ...a });
  t.answer({ type: 'error', id: 'r-1', code: 'rate_limited' });
  assert.deepEqual(a.list.at(-1), ['waiting', 'Väntar på anslutning', 'report']);
  assert.ok(box.has('r-1'));
  timers.fire(RETRY_AFTER_MS);
  assert.deepEqual(wire.map((x) => x.id), ['r-1', 'r-1'], 'sent again after a while');
  t.answer({ type: 'error', id: 'r-1', code: 'shutting_down' });
  assert.ok(box.has('r-1'));
  link.ready = false;
  t.dropAll('bröts');
  link.ready = true;
  t.flush();
  assert.deepEqual(wire.map((x) => x.id), ['r-1', 'r-1', 'r-1']);
  t.answer({ type: 'ack', id: 'r-1', seq: 9 });
  assert.equal(box.size, 0);
});

test('signing out keeps the entries for the user, and the next user sees none of them', () => {
  const { t, box, storage } = rig();
  const a = results();
  t.send(report('r-1'), { kind: 'report', hospital: 'karlstad', ...a });
  t.close();
  assert.deepEqual(a.list.at(-1), ['lost', 'Utloggad', 'report']);
  assert.equal(box.size, 0);
  assert.equal(t.busy('report'), false);
  t.open('tib-dalarna');
  assert.equal(box.size, 0);
  t.open('tib-varmland');
  assert.deepEqual(box.entries.map((e) => e.id), ['r-1']);
  assert.ok(storage.getItem(outboxKey('tib-varmland')));
});

test('the entry the page\'s handlers get carries the meta, the command and the outbox entry', () => {
  const { t, link } = rig();
  let got = null;
  t.send(report('r-1'), { kind: 'report', hospital: 'karlstad', onResult: (r, entry) => { got = entry; } });
  assert.equal(got.kind, 'report');
  assert.equal(got.hospital, 'karlstad');
  assert.equal(got.cmd.id, 'r-1');
  assert.equal(got.box.id, 'r-1');
  link.ready = true;
  t.flush();
  t.answer({ type: 'ack', id: 'r-1', seq: 1 });
  assert.equal(got.cmd.id, 'r-1');
});
