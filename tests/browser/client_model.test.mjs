// The client model (web/client_model.js) without a browser: snapshots replace, deltas apply in seq
// order, a gap asks for a resync, a duplicate is passed over, the server's clock and the exercise
// clock are followed, and freshness is the server's, judged at the space's "now".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientModel, freshnessOf, exerciseElapsed, majorIncidentOf, DECISIONS_KEPT } from '../../web/client_model.js';

const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const iso = (ms) => new Date(ms).toISOString();
const MIN = 60_000;

function hospital(id, region, extra = {}) {
  return { id, name: `Sjukhus ${id}`, region, beds: { AdultICU: { available: null, baseline: 10, surge24h: 2 } },
    reception: {}, ed_status: { value: null }, readiness: { value: 'normal' }, ...extra };
}

function snapshot(seq, { space = 'live', serverTime = T0, hospitals, exercise_info, messages, decisions } = {}) {
  return {
    v: 1, type: 'snapshot', space, seq, server_time: iso(serverTime), exercise: !!exercise_info, exercise_info,
    state: {
      healthcare_region: { id: 'hcr', name: 'Sjukvårdsregion' }, staleness: { normal: 60, staff: 30 },
      regions: [{ id: 'r1', name: 'Region Ett', hospitals: ['a', 'b'], readiness: { value: 'normal' } }],
      hospitals: hospitals ?? [hospital('a', 'r1'), hospital('b', 'r1')],
      messages: messages ?? [],
      ...(decisions ? { decisions } : {}),
    },
  };
}

const delta = (seq, body) => ({ v: 1, type: 'delta', space: 'live', seq, event: { seq, kind: 'capacity_reported' }, ...body });

/** A model whose changes are recorded as [kind, detail]. */
function recorded(options = {}) {
  let now = T0;
  const model = new ClientModel({ space: 'live', clock: () => now, ...options });
  const seen = [];
  for (const kind of ['snapshot', 'hospital', 'region', 'message', 'decision', 'patients', 'clock', 'delta', 'resync', 'synced']) {
    model.on(kind, (detail) => seen.push([kind, detail]));
  }
  return { model, seen, kinds: () => seen.map(([k]) => k), setNow: (t) => { now = t; } };
}

test('a snapshot replaces everything the model had', () => {
  const { model, seen } = recorded();
  model.receive(snapshot(5, { hospitals: [hospital('a', 'r1'), hospital('b', 'r1'), hospital('c', 'r1')] }));
  assert.equal(model.hospitals.size, 3);
  model.receive(snapshot(9, { hospitals: [hospital('a', 'r1', { name: 'Nytt namn' })] }));
  assert.equal(model.seq, 9);
  assert.deepEqual([...model.hospitals.keys()], ['a']);
  assert.equal(model.hospital('a').name, 'Nytt namn');
  assert.equal(model.hospital('b'), null);
  assert.deepEqual(seen.map(([k, d]) => [k, d.sameSpace, d.prevSeq]), [['snapshot', false, 0], ['snapshot', true, 5]]);
});

test('frames of another space are ignored', () => {
  const { model, seen } = recorded();
  assert.equal(model.receive(snapshot(5, { space: 'ovning-1' })), 'ignored');
  assert.equal(model.have, false);
  assert.equal(seen.length, 0);
});

test('a delta replaces the records it carries and emits a change per record', () => {
  const { model, seen, kinds } = recorded();
  model.receive(snapshot(5));
  seen.length = 0;
  const reported = hospital('a', 'r1', { beds: { AdultICU: { available: 4, baseline: 10, surge24h: 2 } } });
  assert.equal(model.receive(delta(6, { hospital: reported })), 'applied');
  assert.equal(model.seq, 6);
  assert.equal(model.hospital('a').beds.AdultICU.available, 4);
  assert.equal(model.state.hospitals.find((x) => x.id === 'a'), reported, 'the list holds the new record too');
  assert.deepEqual(kinds(), ['hospital', 'delta']);
  assert.equal(seen[0][1].hospital, reported);
  assert.equal(seen[0][1].previous.beds.AdultICU.available, null);

  // A region's readiness: the region and every hospital of it (their freshness changes with it).
  seen.length = 0;
  const region = { id: 'r1', name: 'Region Ett', hospitals: ['a', 'b'], readiness: { value: 'staff' } };
  model.receive(delta(7, { region, hospitals: [hospital('a', 'r1', { x: 1 }), hospital('b', 'r1', { x: 2 })] }));
  assert.deepEqual(kinds(), ['hospital', 'hospital', 'region', 'delta']);
  assert.equal(model.region('r1').readiness.value, 'staff');
  assert.deepEqual(model.hospitalsOf('r1').map((x) => x.x), [1, 2]);
  assert.equal(seen[2][1].hospitalsChanged, false);

  // A new hospital is a change of structure: it has no previous record.
  seen.length = 0;
  model.receive(delta(8, { hospital: hospital('c', 'r1') }));
  assert.equal(seen[0][1].previous, null);
});

test('a delta whose seq is not last + 1 asks for a resync and changes nothing', () => {
  const { model, kinds, seen } = recorded();
  model.receive(snapshot(5));
  seen.length = 0;
  assert.equal(model.receive(delta(7, { hospital: hospital('a', 'r1', { name: 'Ny' }) })), 'gap');
  assert.deepEqual(kinds(), ['resync']);
  assert.deepEqual(seen[0][1], { reason: 'gap', have: 5, got: 7 });
  assert.equal(model.seq, 5);
  assert.equal(model.hospital('a').name, 'Sjukhus a');
  assert.equal(model.since(), 5, 'the next connection resumes after the last applied seq');
  // A `resumed` beyond what the model has is a gap too; at the model's seq it is in sync.
  assert.equal(model.receive({ v: 1, type: 'resumed', space: 'live', seq: 9 }), 'gap');
  assert.equal(model.receive({ v: 1, type: 'resumed', space: 'live', seq: 5 }), 'synced');
  assert.deepEqual(kinds().slice(1), ['resync', 'synced']);
});

test('a delta already applied is passed over', () => {
  const { model, kinds, seen } = recorded();
  model.receive(snapshot(5));
  model.receive(delta(6, { hospital: hospital('a', 'r1', { name: 'Sex' }) }));
  seen.length = 0;
  assert.equal(model.receive(delta(6, { hospital: hospital('a', 'r1', { name: 'Igen' }) })), 'duplicate');
  assert.equal(model.receive(delta(4, { hospital: hospital('a', 'r1', { name: 'Gammal' }) })), 'duplicate');
  assert.deepEqual(kinds(), []);
  assert.equal(model.hospital('a').name, 'Sex');
  assert.equal(model.seq, 6);
});

test('a delta before any snapshot is ignored', () => {
  const { model, kinds } = recorded();
  assert.equal(model.receive(delta(1, { hospital: hospital('a', 'r1') })), 'ignored');
  assert.deepEqual(kinds(), []);
  assert.equal(model.since(), undefined, 'no snapshot yet: the next connection asks for one');
});

test('the server clock: the offset is measured at each snapshot', () => {
  const { model, setNow } = recorded();
  setNow(T0 - 90_000);  // the local clock is 90 s behind the server's
  model.receive(snapshot(1, { serverTime: T0 }));
  assert.equal(model.offsetMs, 90_000);
  setNow(T0 - 90_000 + 5000);
  assert.equal(model.wallNow(), T0 + 5000);
  assert.equal(model.now(), T0 + 5000, 'outside an exercise "now" is the server clock');
  setNow(T0 + 20_000);  // the local clock corrected itself
  model.receive(snapshot(2, { serverTime: T0 + 20_000 }));
  assert.equal(model.offsetMs, 0);
});

test('the exercise clock: from the snapshot, extrapolated at its speed, replaced by clock deltas', () => {
  const { model, setNow, kinds, seen } = recorded();
  const start = Date.parse('2026-11-23T12:00:00.000Z');
  const info = { status: 'running', speed: 10, elapsed_ms: 60_000, start: iso(start), clock_wall_time: iso(T0) };
  model.receive(snapshot(1, { serverTime: T0, exercise_info: info }));
  assert.equal(model.exercise, true);
  setNow(T0 + 3000);
  assert.equal(model.elapsed(), 90_000, '3 s at ×10 after 60 s');
  assert.equal(model.now(), start + 90_000, 'in an exercise "now" is exercise time');
  seen.length = 0;
  const paused = { ...info, status: 'paused', elapsed_ms: 95_000, clock_wall_time: iso(T0 + 3500) };
  model.receive({ v: 1, type: 'delta', space: 'live', seq: 2, event: { seq: 2, kind: 'exercise_clock_set' }, exercise_info: paused });
  assert.deepEqual(kinds(), ['clock', 'delta']);
  assert.deepEqual(seen[0][1].info, paused);
  setNow(T0 + 60_000);
  assert.equal(model.elapsed(), 95_000, 'a paused clock stands still');
  assert.ok(Number.isNaN(exerciseElapsed(null, T0)));
});

test('an exercise\'s patients: from the snapshot, replaced by a patient event\'s delta, kept across clock changes', () => {
  const { model, kinds, seen } = recorded();
  const group = { wave: 'vag-1', location: 'E18', region: 'r1', priority: 'P1', count: 2, burns: 0, since_ms: 60_000,
    hospital: null, arrives_ms: null };
  const info = { status: 'paused', speed: 1, elapsed_ms: 120_000, start: iso(T0), clock_wall_time: iso(T0),
    patients: [group], at_scene: { P1: 2, P2: 0, P3: 0 }, on_the_way: { P1: 0, P2: 0, P3: 0 }, deceased_waiting: 0 };
  model.receive(snapshot(1, { exercise_info: info, hospitals: [hospital('a', 'r1'), hospital('b', 'r1')] }));
  seen.length = 0;
  // Dispatched: the groups and totals replace the old ones; the clock is untouched.
  const onTheWay = { ...group, hospital: 'a', arrives_ms: 900_000 };
  model.receive({ v: 1, type: 'delta', space: 'live', seq: 2, event: { seq: 2, kind: 'casualties_dispatched' },
    hospital: hospital('a', 'r1', { casualties: { incoming: { P1: 2, P2: 0, P3: 0 } } }),
    patients: { patients: [onTheWay], at_scene: { P1: 0, P2: 0, P3: 0 }, on_the_way: { P1: 2, P2: 0, P3: 0 }, deceased_waiting: 0 } });
  assert.deepEqual(kinds(), ['hospital', 'patients', 'delta']);
  assert.deepEqual(model.exerciseInfo.patients, [onTheWay]);
  assert.deepEqual(model.exerciseInfo.on_the_way, { P1: 2, P2: 0, P3: 0 });
  assert.equal(model.exerciseInfo.elapsed_ms, 120_000, 'the clock stays');
  assert.equal(model.exerciseInfo.status, 'paused');
  // A clock change without the patients keeps them.
  model.receive({ v: 1, type: 'delta', space: 'live', seq: 3, event: { seq: 3, kind: 'exercise_clock_set' },
    exercise_info: { status: 'running', speed: 10, elapsed_ms: 130_000, start: iso(T0), clock_wall_time: iso(T0) } });
  assert.equal(model.exerciseInfo.status, 'running');
  assert.deepEqual(model.exerciseInfo.patients, [onTheWay], 'the patients survive a clock change');
  // A transfer: the hospital left and the one going to, both replaced.
  seen.length = 0;
  model.receive({ v: 1, type: 'delta', space: 'live', seq: 4, event: { seq: 4, kind: 'patients_transferred' },
    hospital: hospital('a', 'r1', { name: 'Lämnat' }), hospital_to: hospital('b', 'r1', { name: 'Dit' }),
    patients: { patients: [], at_scene: { P1: 0, P2: 0, P3: 0 }, on_the_way: { P1: 0, P2: 0, P3: 0 }, deceased_waiting: 1 } });
  assert.deepEqual(kinds(), ['hospital', 'hospital', 'patients', 'delta']);
  assert.deepEqual([model.hospital('a').name, model.hospital('b').name], ['Lämnat', 'Dit']);
  assert.equal(model.exerciseInfo.deceased_waiting, 1);
});

test('freshness is the server\'s, judged at "now"', () => {
  const reportedAt = T0 - 20 * MIN;
  const hosp = hospital('a', 'r1', {
    beds: { AdultICU: { available: 4, baseline: 10, surge24h: 2, reported_at: iso(reportedAt) } },
    freshness: { level: 'staff', limit_minutes: 30,
      due: { 'beds.AdultICU': iso(reportedAt + 30 * MIN), 'reception.P1': null, ed_status: iso(T0 + 40 * MIN) },
      stale_at: iso(reportedAt + 30 * MIN) },
  });
  const before = freshnessOf(hosp, T0);
  assert.equal(before.known, true);
  assert.equal(before.level, 'staff');
  assert.equal(before.limitMinutes, 30);
  assert.deepEqual([...before.figures.keys()], ['beds.AdultICU', 'reception.P1', 'ed_status']);
  assert.equal(before.overdue, 1, 'only the figure never reported');
  assert.equal(before.figures.get('reception.P1').never, true);
  assert.equal(before.stale, false, 'a figure never reported does not make the hospital stale');
  const at = freshnessOf(hosp, reportedAt + 30 * MIN);
  assert.equal(at.figures.get('beds.AdultICU').overdue, true, 'overdue once now reaches due');
  assert.equal(at.stale, true);
  assert.equal(at.late, 1);
  assert.equal(at.oldest, reportedAt);
  const later = freshnessOf(hosp, T0 + 41 * MIN);
  assert.equal(later.overdue, 3);
  assert.equal(freshnessOf(hospital('b', 'r1'), T0).known, false, 'a record without freshness judges nothing');
  assert.equal(freshnessOf(hospital('b', 'r1'), T0).overdue, 0);
});

test('the model judges freshness at exercise time in an exercise', () => {
  const { model, setNow } = recorded();
  const start = Date.parse('2026-11-23T12:00:00.000Z');
  const due = start + 30 * MIN;
  const hosp = hospital('a', 'r1', { freshness: { level: 'normal', limit_minutes: 60,
    due: { 'beds.AdultICU': iso(due) }, stale_at: iso(due) } });
  const info = { status: 'running', speed: 60, elapsed_ms: 0, start: iso(start), clock_wall_time: iso(T0) };
  model.receive(snapshot(1, { serverTime: T0, exercise_info: info, hospitals: [hosp] }));
  assert.equal(model.freshness(model.hospital('a')).stale, false);
  setNow(T0 + 31_000);  // 31 s at ×60: 31 minutes of exercise time
  assert.equal(model.freshness(model.hospital('a')).stale, true);
});

test('messages go to the page\'s message log, and a change of one is emitted', () => {
  const calls = [];
  const messages = {
    applySnapshot: (msg, prevSeq) => calls.push(['snapshot', msg.seq, prevSeq]),
    applyDelta: (msg) => { calls.push(['delta', msg.seq]); return !!msg.message; },
  };
  const { model, seen } = recorded({ messages });
  model.receive(snapshot(3));
  model.receive(snapshot(4));
  model.receive(delta(5, { message: { id: 'live:5', kind: 'alert' } }));
  model.receive(delta(6, { hospital: hospital('a', 'r1') }));
  assert.deepEqual(calls, [['snapshot', 3, 0], ['snapshot', 4, 3], ['delta', 5], ['delta', 6]]);
  const changes = seen.filter(([k]) => k === 'message').map(([, d]) => d.id);
  assert.deepEqual(changes, ['live:5']);
});

const decisionRecord = (seq, extra = {}) => ({ seq, at: iso(T0 + seq * 1000), by: 'tib-r1', actor_kind: 'user',
  decision: 'major_incident_declared', region: 'r1', hospital: null, reason: null, ...extra });
const incident = (value) => ({ value, reported_at: iso(T0), reported_by: 'tib-r1' });

test('decisions: the snapshot\'s log, then each delta\'s record appended, the newest 100 kept', () => {
  const { model, seen, kinds } = recorded();
  model.receive(snapshot(5));
  assert.deepEqual(model.decisions, [], 'a server without a decisions log: none');
  model.receive(snapshot(5, { decisions: [decisionRecord(3), decisionRecord(4, { decision: 'icu_need', icu_beds: 4 })] }));
  assert.deepEqual(model.decisions.map((d) => d.seq), [3, 4]);
  seen.length = 0;

  // A decision_recorded delta: the decision, the region's record and the hospital's.
  const region = { id: 'r1', name: 'Region Ett', hospitals: ['a', 'b'], readiness: { value: 'normal' },
    major_incident: incident(true) };
  const declared = decisionRecord(6, { hospital: 'a' });
  const hosp = hospital('a', 'r1', { major_incident: incident(true) });
  model.receive({ v: 1, type: 'delta', space: 'live', seq: 6,
    event: { seq: 6, kind: 'decision_recorded', decision: 'major_incident_declared', region: 'r1', hospital: 'a' },
    decision: declared, region, hospital: hosp });
  assert.deepEqual(kinds(), ['hospital', 'region', 'decision', 'delta']);
  assert.equal(seen[2][1].decision, declared);
  assert.deepEqual(model.decisions.map((d) => d.seq), [3, 4, 6]);
  assert.equal(majorIncidentOf(model.region('r1')), true, 'the region record is replaced');
  assert.equal(majorIncidentOf(model.hospital('a')), true, 'and the hospital record');
  assert.equal(majorIncidentOf(model.hospital('b')), null, 'never declared');
  assert.equal(majorIncidentOf({ major_incident: incident(false) }), false, 'stood down');

  // A readiness decision comes with its own delta kind, and its record too.
  model.receive(delta(7, { event: { seq: 7, kind: 'region_readiness_set' }, region: { ...region, readiness: { value: 'staff' } },
    decision: decisionRecord(7, { decision: 'readiness_set', level: 'staff' }) }));
  assert.equal(model.decisions.at(-1).decision, 'readiness_set');
  // A delta seen twice (a duplicate) adds nothing.
  assert.equal(model.receive(delta(7, { decision: decisionRecord(7) })), 'duplicate');
  assert.equal(model.decisions.length, 4);

  // However many there are, the newest DECISIONS_KEPT stay, oldest first.
  for (let seq = 8; seq < 8 + DECISIONS_KEPT + 5; seq++) {
    model.receive(delta(seq, { event: { seq, kind: 'decision_recorded' }, decision: decisionRecord(seq) }));
  }
  assert.equal(DECISIONS_KEPT, 100);
  assert.equal(model.decisions.length, 100);
  assert.equal(model.decisions.at(-1).seq, 8 + DECISIONS_KEPT + 4);
  assert.equal(model.decisions[0].seq, 8 + DECISIONS_KEPT + 4 - 99);
  // A new snapshot replaces the log.
  model.receive(snapshot(300, { decisions: [decisionRecord(299)] }));
  assert.deepEqual(model.decisions.map((d) => d.seq), [299]);
});
