// Exercises against the real server: a scenario runs at high speed in its own space, every inject
// reaches board clients in order marked as exercise, and live operation is untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { getJson, repoRoot } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { serverFixture, withServer, scratchDir } from '../support/fixture.mjs';

const server = serverFixture();
const dir = scratchDir();

const demo = JSON.parse(readFileSync(`${repoRoot}/scenarios/demo-10min.json`, 'utf8'));

test('the scenario list shows every file with its validation status, to trainers only', async () => {
  // The script of an exercise (its injects and checkpoints) is the trainers' alone.
  assert.equal((await getJson(server, '/api/scenarios')).status, 401);
  assert.equal((await getJson(server, '/api/scenarios', server.tokens['tib-uppsala'])).status, 403);
  assert.equal((await getJson(server, '/api/scenarios', 'no-such-token')).status, 401);
  assert.equal((await getJson(server, '/api/scenarios', server.tokens.viewer)).status, 403);
  assert.equal((await getJson(server, '/api/scenarios', server.tokens.admin)).status, 200, 'an admin reads them too');
  const { body } = await getJson(server, '/api/scenarios', server.tokens.trainer);
  const ids = body.scenarios.map((s) => s.id);
  for (const id of ['arboga-bus', 'demo-10min', 'disco-fire', 'orebro-school', 'train-derailment']) {
    const entry = body.scenarios.find((s) => s.id === id);
    assert.ok(entry, id);
    assert.equal(entry.valid, true, `${id}: ${entry.errors.join('; ')}`);
    assert.ok(entry.injects.length > 3);
    // What each inject does, as data (kind and fields): the pages word it.
    for (const inject of entry.injects) assert.equal(inject.summary.kind, inject.kind, `${id}: ${JSON.stringify(inject)}`);
  }
  // The Sydöstra scenario is listed but cannot run under the Mellansverige configuration.
  const sydost = body.scenarios.find((s) => s.healthcare_region === 'sydost');
  assert.equal(sydost.valid, false);
  assert.match(sydost.errors[0], /is for 'sydost'/);
  assert.ok(ids.length >= 6);
});

test('the demo scenario runs at high speed in its own space; live is unchanged', async () => {
  // Live is written by the admin (a trainer writes only in exercises).
  const admin = await server.client('admin');
  const liveReply = await admin.command(report('uso', { beds: { AdultICU: { available: 5 } } }));
  assert.equal(liveReply.type, 'ack');
  const trainer = await server.client('trainer');
  const liveBefore = (await getJson(server, '/api/state')).body;

  const reporter = await server.client('tib-uppsala');
  assert.equal((await reporter.command({ v: 1, type: 'start_exercise', id: 'x', scenario: 'demo-10min' })).code, 'forbidden');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 's1', scenario: 'demo-10min', paused: true });
  assert.equal(started.type, 'ack', JSON.stringify(started));
  const space = started.space;
  assert.match(space, /^ovning-demo-10min-/);

  const board = await server.client(null, `?space=${space}`);
  const snapshot = await board.nextOfType('snapshot');
  assert.equal(snapshot.exercise, true);
  assert.equal(snapshot.exercise_info.scenario.id, 'demo-10min');
  assert.equal(snapshot.exercise_info.status, 'paused');
  if (demo.start_from === 'live') {
    assert.equal(snapshot.state.hospitals.find((h) => h.id === 'uso').beds.AdultICU.available, 5, 'a copy of live');
  }

  assert.equal((await trainer.command({ v: 1, type: 'control_exercise', id: 'c1', space, action: 'speed', speed: 60 })).type, 'ack');
  assert.equal((await trainer.command({ v: 1, type: 'control_exercise', id: 'c2', space, action: 'resume' })).type, 'ack');
  // A participant acts in the exercise, with exercise time.
  const inExercise = await reporter.command(report('akademiska', { beds: { AdultICU: { available: 2 } } }, space));
  assert.equal(inExercise.type, 'ack', JSON.stringify(inExercise));
  assert.equal((await trainer.command({ v: 1, type: 'control_exercise', id: 'c3', space, action: 'jump', to: '10:00' })).type, 'ack');

  // Every played inject reaches the board, in order, as exercise deltas.
  const expectedMessages = demo.injects.filter((i) => i.kind === 'message').length;
  const deltas = [];
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const delta = await board.nextOfType('delta', 15000);
    deltas.push(delta);
    if (delta.event.kind === 'exercise_clock_set' && delta.event.status === 'stopped') break;
  }
  assert.ok(deltas.every((d) => d.space === space));
  const seqs = deltas.map((d) => d.seq);
  assert.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i), 'no gaps, no repeats');
  // Injects due at 00:00 were played at the start, so they are in the snapshot already.
  const inSnapshot = snapshot.state.messages.filter((m) => m.sent_by === 'demo-10min').length;
  const inDeltas = deltas.filter((d) => d.event.kind === 'message_posted' && d.event.actor.kind === 'scenario').length;
  assert.equal(inSnapshot + inDeltas, expectedMessages);
  const injectTimes = deltas.filter((d) => d.event.actor.kind === 'scenario').map((d) => Date.parse(d.event.at));
  assert.deepEqual(injectTimes, [...injectTimes].sort((a, b) => a - b), 'injects in exercise-time order');
  assert.ok(deltas.some((d) => d.event.kind === 'casualties_arrived'));
  assert.equal(deltas.at(-1).event.kind, 'exercise_clock_set');

  // Nothing of it touched live.
  const liveAfter = (await getJson(server, '/api/state')).body;
  assert.equal(liveAfter.seq, liveBefore.seq);
  assert.deepEqual(liveAfter.state.hospitals, liveBefore.state.hospitals);
  assert.deepEqual(liveAfter.state.messages, liveBefore.state.messages);
  // The ended exercise can only be read.
  assert.equal((await reporter.command(report('akademiska', { reception: { P1: 1 } }, space))).code, 'exercise_stopped');
  const { body } = await getJson(server, '/api/spaces');
  assert.equal(body.spaces.find((s) => s.space === space).exercise_info.status, 'stopped');

  // The after-action review: every checkpoint judged, the participant's report counted.
  const review = (await getJson(server, `/api/review?space=${space}`)).body;
  assert.equal(review.label, 'ÖVNING');
  assert.equal(review.checkpoints.length, demo.injects.filter((i) => i.kind === 'checkpoint').length);
  assert.ok(review.checkpoints.every((c) => ['met', 'not_met'].includes(c.status)), 'all judged once the exercise is over');
  assert.equal(review.first_reports.find((f) => f.hospital === 'akademiska').by, 'tib-uppsala');
  assert.ok(review.injects.every((i) => i.status === 'played'));
  assert.ok(review.timeline.length >= deltas.length);
  // What happened, as data (kind and fields): the pages word it.
  for (const entry of [...review.timeline, ...review.injects]) assert.equal(entry.summary.kind, entry.kind, JSON.stringify(entry));
  const csv = await (await fetch(server.url(`/api/review?space=${space}&format=csv`))).text();
  assert.match(csv, /^# ÖVNING/);
  // Live has an after-action report too, never labelled ÖVNING.
  const live = await getJson(server, '/api/review?space=live', server.tokens['tib-uppsala']);
  assert.equal(live.status, 200);
  assert.equal(live.body.label, 'LIVE');
  assert.equal((await getJson(server, '/api/review?space=live&from=yesterday', server.tokens.viewer)).body.code, 'invalid_value');
  // Reading the live log is the reader's heaviest job: not for anonymous connections.
  const anonymous = await getJson(server, '/api/review?space=live');
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.code, 'sign_in_required');
});

test('after a restart a running exercise comes back paused where its log ends, and resumes', async () => {
  const trainer = await server.client('trainer');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'r1', scenario: 'arboga-bus' });
  assert.equal(started.type, 'ack');
  const space = started.space;
  assert.equal((await trainer.command({ v: 1, type: 'control_exercise', id: 'r2', space, action: 'jump', to: '20:00' })).type, 'ack');
  // The jump's injects are committed after its ack: wait until the log stands still.
  let before = (await getJson(server, `/api/state?space=${space}`)).body;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = (await getJson(server, `/api/state?space=${space}`)).body;
    if (now.seq === before.seq) break;
    before = now;
  }
  assert.ok(before.state.messages.length >= 2, 'the injects up to 20:00 were played');
  await trainer.close();
  await server.restart();
  assert.match(server.output(), new RegExp(`exercise ${space} resumed paused at 00:2`));
  let after = (await getJson(server, `/api/state?space=${space}`)).body;
  for (let i = 0; i < 20 && after.seq === before.seq; i++) {  // the pause is being committed
    await new Promise((resolve) => setTimeout(resolve, 100));
    after = (await getJson(server, `/api/state?space=${space}`)).body;
  }
  assert.equal(after.exercise_info.status, 'paused');
  assert.ok(after.exercise_info.elapsed_ms >= 20 * 60000);
  assert.equal(after.seq, before.seq + 1, 'only the pause was added: no inject played twice');
  const again = await server.client('trainer');
  assert.equal((await again.command({ v: 1, type: 'control_exercise', id: 'r3', space, action: 'resume' })).type, 'ack');
  assert.equal((await getJson(server, '/api/spaces')).body.spaces.find((s) => s.space === space).exercise_info.status, 'running');
  assert.equal((await again.command({ v: 1, type: 'control_exercise', id: 'r4', space, action: 'stop' })).type, 'ack');
});

// Three hospitals of Region Örebro län receive patients: USÖ more P1 than it has free IVA beds,
// Karlskoga more P2 in the hour than its reported reception rate, Lindesberg within its figures.
const overload = {
  format: 1, id: 'overbelastning', name: 'Överbelastning',
  description: 'Testscenario: USÖ får fler P1 än lediga IVA-platser och Karlskoga fler P2 i timmen än sin mottagningskapacitet (över kapacitet); Lindesberg klarar sina.',
  modelled_on: { incident: 'Ingen verklig händelse', source: 'Integrationstest' },
  healthcare_region: 'mellansverige', planned_duration_minutes: 10, start_from: 'scenario',
  baseline: {
    hospitals: {
      uso: { beds: { AdultICU: { available: 2 }, MedicalSurgical: { available: 20 } }, reception: { P1: 5, P2: 8, P3: 13 } },
      karlskoga: { beds: { AdultICU: { available: 3 }, MedicalSurgical: { available: 20 } }, reception: { P1: 1, P2: 8, P3: 3 } },
      lindesberg: { beds: { MedicalSurgical: { available: 3 } }, reception: { P1: 1, P2: 1, P3: 3 } },
    },
    regions: { orebro: 'normal' },
  },
  injects: [{
    id: 'vag-1', at: '01:00', kind: 'casualty_wave', location: 'Testvägen', casualties: { P1: 5, P2: 9, P3: 1, deceased: 0 },
    distribution: [{ hospital: 'uso', P1: 5 }, { hospital: 'karlskoga', P2: 9 }, { hospital: 'lindesberg', P3: 1 }],
    transport_minutes: { uso: 1, karlskoga: 1, lindesberg: 1 },
  }],
};

test('over capacity comes with its reason as data; the review and the scenario list summarise as data too', async () => {
  const scenarios = `${dir.path}/scenarios`;
  mkdirSync(scenarios);
  writeFileSync(`${scenarios}/overbelastning.json`, JSON.stringify(overload));
  await withServer({ dir, db: 'overload.db', args: ['--scenarios', scenarios] }, async (own) => {
    const [entry] = (await getJson(own, '/api/scenarios', own.tokens.trainer)).body.scenarios;
    assert.equal(entry.valid, true, entry.errors.join('; '));
    const waveSummary = { kind: 'casualty_wave', location: 'Testvägen', casualties: { P1: 5, P2: 9, P3: 1 }, deceased: 0, suggest: false };
    assert.deepEqual(entry.injects.map((i) => i.summary), [waveSummary]);

    const trainer = await own.client('trainer');
    const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'o-1', scenario: 'overbelastning' });
    assert.equal(started.type, 'ack', JSON.stringify(started));
    const { space } = started;
    const board = await own.client(null, `?space=${space}`);
    const before = (await board.nextOfType('snapshot')).state.hospitals.filter((h) => h.region === 'orebro');
    assert.ok(before.every((h) => h.casualties.over_capacity === false && h.casualties.over_capacity_reason === null));
    assert.equal((await trainer.command({ v: 1, type: 'control_exercise', id: 'o-2', space, action: 'jump', to: '05:00' })).type, 'ack');
    const expected = {
      uso: { kind: 'icu_short', p1: 5, free_icu: 2 },
      karlskoga: { kind: 'reception_rate', priority: 'P2', last_hour: 9, per_hour: 8 },
      lindesberg: null,
    };
    const arrivedAt = {};
    for (const [hospital, reason] of Object.entries(expected)) {
      const arrived = await board.next((m) => m.type === 'delta' && m.event.kind === 'casualties_arrived' && m.hospital.id === hospital);
      assert.deepEqual(arrived.hospital.casualties.over_capacity_reason, reason, hospital);
      assert.equal(arrived.hospital.casualties.over_capacity, reason !== null, hospital);
      arrivedAt[hospital] = arrived.seq;
    }
    const state = (await getJson(own, `/api/state?space=${space}`)).body.state;
    for (const [hospital, reason] of Object.entries(expected)) {
      assert.deepEqual(state.hospitals.find((h) => h.id === hospital).casualties.over_capacity_reason, reason, hospital);
    }

    const review = (await getJson(own, `/api/review?space=${space}`, own.tokens.trainer)).body;
    assert.deepEqual(review.injects.map((i) => i.summary), [waveSummary]);
    const names = Object.fromEntries(JSON.parse(readFileSync(`${repoRoot}/config/mellansverige.json`, 'utf8'))
      .regions.flatMap((r) => r.hospitals).map((h) => [h.id, h.name]));
    for (const hospital of Object.keys(expected)) {
      const arrival = review.timeline.find((e) => e.seq === arrivedAt[hospital]);
      assert.deepEqual(arrival.summary, { kind: 'casualties_arrived', hospital, hospital_name: names[hospital] });
      const dispatch = review.timeline.find((e) => e.kind === 'casualties_dispatched' && e.summary.hospital === hospital);
      const patients = { P1: 0, P2: 0, P3: 0, ...overload.injects[0].distribution.find((d) => d.hospital === hospital) };
      delete patients.hospital;
      assert.deepEqual(dispatch.summary, { kind: 'casualties_dispatched', hospital, hospital_name: names[hospital], patients });
    }
  });
});
