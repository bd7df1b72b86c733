// The command tracker (web/command_tracker.js) without a browser: a command is pending until the
// ack or error with its id, the page hears of a time-out (and a late answer still counts), a lost
// connection gives every pending command up, and a refused one is never sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandTracker } from '../../web/command_tracker.js';

/** Timers the test runs by hand. */
function manualTimers() {
  let next = 1;
  const due = new Map();
  return {
    setTimeout: (fn, ms) => { const id = next++; due.set(id, { fn, ms }); return id; },
    clearTimeout: (id) => { due.delete(id); },
    fire() { const list = [...due.values()]; due.clear(); for (const t of list) t.fn(); return list.map((t) => t.ms); },
    get count() { return due.size; },
  };
}

function tracker(options = {}) {
  const sent = [];
  const timers = manualTimers();
  let changes = 0;
  const t = new CommandTracker({ send: (cmd) => sent.push(cmd), timers, timeoutMs: 10_000,
    onChange: () => { changes++; }, ...options });
  return { t, sent, timers, changes: () => changes };
}

const results = () => {
  const list = [];
  return { list, onResult: (r, entry) => list.push([r.state, r.answer?.id ?? r.text ?? null, entry.kind]) };
};

test('an ack answers the command with its id, and only that one', () => {
  const { t, sent, timers, changes } = tracker();
  const a = results(), b = results();
  assert.equal(t.send({ id: 'r-1', type: 'report_capacity' }, { kind: 'report', ...a }), true);
  t.send({ id: 'r-2', type: 'report_capacity' }, { kind: 'report', ...b });
  assert.deepEqual(sent.map((c) => c.id), ['r-1', 'r-2']);
  assert.ok(t.has('r-1') && t.busy('report'));
  assert.equal(t.answer({ type: 'ack', id: 'r-2', seq: 7 }), true);
  assert.deepEqual(b.list, [['pending', null, 'report'], ['ok', 'r-2', 'report']]);
  assert.deepEqual(a.list, [['pending', null, 'report']], 'the other command still waits');
  assert.equal(t.has('r-2'), false);
  assert.equal(t.answer({ type: 'ack', id: 'r-2', seq: 7 }), false, 'answered once');
  assert.equal(t.answer({ type: 'ack', id: 'unknown' }), false);
  assert.equal(timers.count, 1, 'the answered command\'s time-out is cleared');
  assert.equal(changes(), 3);
});

test('an error with the command\'s id is its answer; an error without one is not', () => {
  const { t } = tracker();
  const a = results();
  t.send({ id: 'm-1' }, { kind: 'message', ...a });
  assert.equal(t.answer({ type: 'error', id: null, code: 'rate_limited' }), false);
  assert.equal(t.answer({ type: 'welcome', id: 'm-1' }), false, 'only ack and error answer');
  assert.equal(t.answer({ type: 'error', id: 'm-1', code: 'invalid_value', field: 'text' }), true);
  assert.deepEqual(a.list.at(-1), ['error', 'm-1', 'message']);
  assert.equal(t.busy('message'), false);
});

test('no answer within the time-out: the page is told, and a late answer still counts', () => {
  const { t, timers } = tracker();
  const a = results();
  t.send({ id: 'x-1' }, { kind: 'control', ...a });
  assert.deepEqual(timers.fire(), [10_000]);
  assert.deepEqual(a.list.map(([s]) => s), ['pending', 'slow']);
  assert.ok(t.has('x-1'), 'still pending after the time-out');
  assert.equal(t.answer({ type: 'ack', id: 'x-1', seq: 3 }), true);
  assert.deepEqual(a.list.map(([s]) => s), ['pending', 'slow', 'ok']);
});

test('a time-out after the answer says nothing', () => {
  const timers = manualTimers();
  const t = new CommandTracker({ send: () => {}, timers: { ...timers, clearTimeout: () => {} } });
  const a = results();
  t.send({ id: 'x-1' }, { kind: 'control', ...a });
  t.answer({ type: 'ack', id: 'x-1' });
  timers.fire();
  assert.deepEqual(a.list.map(([s]) => s), ['pending', 'ok']);
});

test('a lost connection gives up every pending command, saying why', () => {
  const { t, timers } = tracker();
  const a = results(), b = results();
  t.send({ id: 'r-1' }, { kind: 'report', ...a });
  t.send({ id: 'k-1' }, { kind: 'ack', ...b });
  t.dropAll('Anslutningen bröts');
  assert.deepEqual(a.list.at(-1), ['lost', 'Anslutningen bröts', 'report']);
  assert.deepEqual(b.list.at(-1), ['lost', 'Anslutningen bröts', 'ack']);
  assert.equal(t.busy('report') || t.busy('ack'), false);
  assert.equal(timers.count, 0);
  assert.equal(t.answer({ type: 'ack', id: 'r-1' }), false, 'an answer after that is no longer one');
});

test('a command refused before sending is not sent and not pending', () => {
  const { t, sent } = tracker({ refuse: (cmd) => (cmd.type === 'start_exercise' ? 'Kräver inloggning' : null) });
  const a = results();
  assert.equal(t.send({ id: 's-1', type: 'start_exercise' }, { kind: 'start', ...a }), false);
  assert.deepEqual(sent, []);
  assert.equal(t.has('s-1'), false);
  assert.deepEqual(a.list, [['refused', 'Kräver inloggning', 'start']]);
});

test('busy() looks at the kind and, if asked, at the entry', () => {
  const { t } = tracker();
  t.send({ id: 'k-1' }, { kind: 'ack', message: 'live:4' });
  assert.equal(t.busy('ack', (e) => e.message === 'live:4'), true);
  assert.equal(t.busy('ack', (e) => e.message === 'live:5'), false);
  assert.equal(t.busy('report'), false);
});
