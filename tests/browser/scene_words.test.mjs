// The pure pieces behind the scene, the forecast, the ambulances and the review's outcomes, without
// a browser: patients at the scene and on the way per wave (web/scene.js), a hospital's forecast in
// Swedish local time (web/forecast.js), a region's ambulances and helicopters with their age
// (web/transport.js) and an outcome of the review in words (web/outcomes.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sceneOf, isTransfer } from '../../web/scene.js';
import { forecastOf } from '../../web/forecast.js';
import { transportOf, transportFigures } from '../../web/transport.js';
import { outcomeWords, changeText, minutesText } from '../../web/outcomes.js';

const MIN = 60_000;

const group = (extra) => ({ wave: 'vag-1', location: 'E18 vid Arboga', region: 'vastmanland', priority: 'P1', count: 1,
  burns: 0, since_ms: 12 * MIN, hospital: null, arrives_ms: null, ...extra });

test('the scene: per priority at the scene and on the way, the longest wait, per wave', () => {
  const info = {
    patients: [
      group({ priority: 'P1', count: 3, burns: 1, since_ms: 12 * MIN }),
      group({ priority: 'P2', count: 5, since_ms: 12 * MIN }),
      // Deteriorated later: its since_ms is when it became P1, so the wait counts from the wave's others.
      group({ priority: 'P1', count: 2, since_ms: 30 * MIN }),
      group({ priority: 'P2', count: 2, hospital: 'uso', arrives_ms: 50 * MIN }),
      group({ wave: 'vag-2', location: 'Köping centrum', region: 'vastmanland', priority: 'P3', count: 12, since_ms: 20 * MIN }),
      group({ wave: 'vag-2', location: 'Köping centrum', priority: 'P3', count: 4, hospital: 'koping', arrives_ms: 44 * MIN }),
      group({ wave: 'transfer-88', location: 'vasteras', priority: 'P1', count: 2, burns: 2, hospital: 'akademiska', arrives_ms: 70 * MIN }),
      group({ priority: 'P3', count: 0 }),
      { wave: 'x', priority: 'deceased', count: 3 },
    ],
    at_scene: { P1: 5, P2: 5, P3: 12 }, on_the_way: { P1: 0, P2: 2, P3: 4 }, deceased_waiting: 1,
  };
  const s = sceneOf(info, 35 * MIN);
  assert.equal(s.known, true);
  assert.deepEqual(s.atScene, { P1: 5, P2: 5, P3: 12 });
  assert.deepEqual(s.onTheWay, { P1: 0, P2: 2, P3: 4 }, 'the transfer between hospitals is not from the scene');
  assert.equal(s.atSceneTotal, 22);
  assert.equal(s.onTheWayTotal, 6);
  assert.equal(s.deceased, 1);
  assert.equal(s.waitedMs, 23 * MIN, 'the group that has waited longest');
  assert.equal(s.nextArrivalMs, 44 * MIN);
  assert.deepEqual(s.waves.map((w) => [w.wave, w.location, w.atSceneTotal, w.onTheWayTotal, w.waitedMs, w.burns]),
    [['vag-1', 'E18 vid Arboga', 10, 2, 23 * MIN, 1], ['vag-2', 'Köping centrum', 12, 4, 15 * MIN, 0]]);
  assert.deepEqual(s.transfers, [{ wave: 'transfer-88', priority: 'P1', count: 2, burns: 2, from: 'vasteras', hospital: 'akademiska',
    arrivesMs: 70 * MIN }]);
  assert.equal(s.show, true);
  assert.ok(isTransfer({ wave: 'transfer-3' }) && !isTransfer({ wave: 'vag-1' }));
});

test('the scene: nothing before the first wave, the dead still shown once everyone has left, an older server', () => {
  assert.equal(sceneOf({ status: 'running', elapsed_ms: 0 }, 0).known, false, 'a server without patients');
  const empty = sceneOf({ patients: [], at_scene: { P1: 0, P2: 0, P3: 0 }, on_the_way: { P1: 0, P2: 0, P3: 0 }, deceased_waiting: 0 }, 0);
  assert.equal(empty.known, true);
  assert.equal(empty.show, false);
  assert.ok(Number.isNaN(empty.waitedMs));
  const dead = sceneOf({ patients: [], at_scene: { P1: 0, P2: 0, P3: 0 }, deceased_waiting: 2 }, 0);
  assert.equal(dead.show, true);
  assert.equal(dead.deceased, 2);
  // Only the totals: they are used.
  const totals = sceneOf({ at_scene: { P1: 1, P2: 2, P3: 3 }, on_the_way: { P1: 4 } }, 0);
  assert.deepEqual([totals.atScene, totals.onTheWay], [{ P1: 1, P2: 2, P3: 3 }, { P1: 4, P2: 0, P3: 0 }]);
  assert.equal(sceneOf(null, 0).show, false);
});

test('the forecast in Swedish local time, marked as a projection', () => {
  const now = Date.parse('2026-11-23T11:45:00.000Z');
  const hosp = { forecast: { basis_at: '2026-11-23T11:40:00.000Z',
    AdultICU: { free: 2, runs_out_at: '2026-11-23T13:20:00.000Z' },
    OperatingRooms: { free: 3, runs_out_at: '2026-11-23T12:35:00.000Z' },
    MedicalSurgical: { free: 12, runs_out_at: null } } };
  const f = forecastOf(hosp, now);
  assert.equal(f.state, 'runs_out');
  assert.deepEqual(f.items.map((i) => i.text), ['Op-salar fulla ≈ 13:35', 'IVA fullt ≈ 14:20'], 'earliest first, CET');
  assert.equal(f.text, 'Prognos: Op-salar fulla ≈ 13:35 · IVA fullt ≈ 14:20');
  assert.match(f.title, /^Prognos – ingen rapporterad siffra/);
  assert.match(f.title, /Beräknad 12:40/);
  assert.match(f.title, /IVA-platser 2 lediga, Operationssalar 3 lediga, Vårdplatser 12 lediga/);
  // Summer time: UTC+2.
  assert.equal(forecastOf({ forecast: { AdultICU: { free: 0, runs_out_at: '2026-06-10T12:20:00.000Z' } } },
    Date.parse('2026-06-10T12:00:00.000Z')).items[0].time, '14:20');
  // Another day than now: the date too.
  assert.match(forecastOf(hosp, Date.parse('2026-11-22T12:00:00.000Z')).items[1].time, /^23 nov\.? 14:20$/);
  const enough = forecastOf({ forecast: { basis_at: '2026-11-23T11:40:00.000Z', AdultICU: { free: 4, runs_out_at: null },
    OperatingRooms: { free: 2, runs_out_at: null }, MedicalSurgical: { free: 9, runs_out_at: null } } }, now);
  assert.deepEqual([enough.state, enough.text], ['enough', 'Prognos: räcker']);
  assert.deepEqual([forecastOf({ forecast: null }, now).state, forecastOf({ forecast: null }, now).text], ['none', '']);
  assert.equal(forecastOf({}, now).state, 'none', 'a server without forecasts');
});

test('ambulances and helicopters in words, with age and the limit of the region\'s level', () => {
  const now = Date.parse('2026-11-23T12:00:00.000Z');
  const region = { readiness: { value: 'staff' }, transport: {
    ambulances: { available: 6, committed: 9, reported_at: '2026-11-23T11:48:00.000Z', reported_by: 'tib-orebro' },
    helicopters: { available: 1, committed: 1, reported_at: '2026-11-23T11:20:00.000Z', reported_by: 'tib-orebro' } } };
  const t = transportOf(region, now, { normal: 60, staff: 30 });
  assert.equal(t.any, true);
  assert.deepEqual(t.kinds.map((k) => k.text), ['Ambulanser 6 lediga · 9 i uppdrag', 'Helikoptrar 1 ledig · 1 i uppdrag']);
  assert.deepEqual(t.kinds.map((k) => [k.age, k.stale]), [['för 12 min sedan', false], ['för 40 min sedan', true]]);
  assert.equal(t.stale, true);
  assert.equal(t.limitMinutes, 30);
  assert.equal(transportOf({ ...region, readiness: { value: 'normal' } }, now, { normal: 60, staff: 30 }).stale, false);
  const never = transportOf({ transport: { ambulances: { available: null, committed: null, reported_at: null },
    helicopters: { available: null, committed: null } } }, now, {});
  assert.deepEqual([never.any, never.kinds], [false, []]);
  assert.equal(transportOf({}, now, {}).any, false, 'a server without transport');
  assert.equal(transportFigures({ available: null, committed: 2 }), '– lediga · 2 i uppdrag');
});

test('an outcome of the review in words', () => {
  const o = outcomeWords({ wave: 'vag-1', location: 'E18 vid Arboga', region: 'vastmanland', at_ms: 12 * MIN,
    casualties: { P1: 6, P2: 12, P3: 24 }, receiving_decision_ms: 18 * MIN, dispatched_ms: 18 * MIN,
    dispatch_delay_ms: 6 * MIN, last_arrival_ms: 53 * MIN,
    deteriorated: [{ from: 'P2', to: 'P1', count: 2, at_ms: 42 * MIN }, { from: 'P1', to: 'deceased', count: 1, at_ms: 95 * MIN }],
    deceased_waiting: 1 });
  assert.equal(o.at, '12:00');
  assert.equal(o.casualties, 'P1 6 · P2 12 · P3 24');
  assert.deepEqual([o.decision, o.decisionBad], ['vid 18:00 (6 min efter)', false]);
  assert.deepEqual([o.dispatched, o.delay, o.arrival], ['vid 18:00', '6 min', 'vid 53:00']);
  assert.deepEqual(o.changes, ['2 P2 → P1 vid 42:00', '1 P1 avled vid 95:00']);
  assert.equal(o.deceased, 1);
  const none = outcomeWords({ at_ms: 12 * MIN, casualties: { P1: 1 }, receiving_decision_ms: null, dispatched_ms: null,
    dispatch_delay_ms: null, deteriorated: [], deceased_waiting: 0 });
  assert.deepEqual([none.decision, none.decisionBad, none.dispatched, none.dispatchedBad, none.delay, none.changesText],
    ['Inget beslut', true, 'Ingen ännu', true, '–', 'Inga']);
  assert.equal(none.casualties, 'P1 1 · P2 0 · P3 0');
  assert.equal(outcomeWords({ at_ms: 12 * MIN, receiving_decision_ms: 5 * MIN }).decision, 'före skadeutfallet (05:00)');
  assert.deepEqual((({ decision, decisionBad }) => [decision, decisionBad])(outcomeWords({ region: null, at_ms: MIN,
    receiving_decision_ms: null, dispatched_ms: MIN, dispatch_delay_ms: 0 })), ['Fördelad direkt av scenariot', false],
  'a wave distributed at once by the script waited for no decision');
  assert.equal(changeText({ from: 'P3', to: 'P2', count: 4 }), '4 P3 → P2');
  assert.equal(changeText({ from: 'P1', to: null, count: 1, at_ms: 61 * MIN }), '1 P1 avled vid 61:00');
  assert.deepEqual([minutesText(45_000), minutesText(390_000), minutesText(65 * MIN)], ['45 s', '6 min 30 s', '1 h 5 min']);
});
