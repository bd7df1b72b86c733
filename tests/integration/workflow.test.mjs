// The TiB and regional command workflow over real WebSocket and HTTP: roles, alerts with
// acknowledgement, history, staleness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getJson, repoRoot } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { serverFixture } from '../support/fixture.mjs';

const server = serverFixture();

let counter = 0;
const post = (fields) => ({ v: 1, type: 'post_message', id: `p-${++counter}`, space: 'live', ...fields });
const acknowledge = (message, extra = {}) => ({ v: 1, type: 'acknowledge', id: `k-${++counter}`, space: 'live', message, ...extra });

test('signing in: a token names the user; a wrong token is refused; tokens never reach the log', async () => {
  const client = await server.client();
  assert.deepEqual(await client.signIn(server.tokens['tib-uppsala']), { id: 'tib-uppsala', role: 'reporter', region: 'uppsala' });
  client.send({ v: 1, type: 'hello', token: 'not-a-token' });
  const refused = await client.nextOfType('error');
  assert.equal(refused.code, 'unauthorized');
  // Still signed in as before.
  assert.equal((await client.command(report('akademiska', { reception: { P1: 2 } }))).type, 'ack');
  await client.close();
  for (const token of Object.values(server.tokens)) assert.ok(!server.output().includes(token));
});

test('a reporter of region A cannot write region B; the refusal is recorded', async () => {
  const watcher = await server.client();
  const start = (await watcher.nextOfType('snapshot')).seq;
  const uppsala = await server.client('tib-uppsala');
  const refused = await uppsala.command(report('uso', { beds: { AdultICU: { available: 1 } } }));
  assert.equal(refused.type, 'error');
  assert.equal(refused.code, 'forbidden');
  assert.match(refused.message, /uppsala, not for orebro/);
  const denied = await watcher.nextOfType('delta');
  assert.equal(denied.seq, start + 1);
  assert.equal(denied.event.kind, 'access_denied');
  assert.equal(denied.event.actor.id, 'tib-uppsala');
  assert.equal(denied.event.command, 'report_capacity');
  assert.equal(denied.event.target, 'uso');
  for (const command of [
    { v: 1, type: 'set_region_readiness', id: 'x1', space: 'live', region: 'orebro', level: 'staff' },
    { v: 1, type: 'confirm_figures', id: 'x2', space: 'live', hospital: 'karlskoga' },
  ]) {
    assert.equal((await uppsala.command(command)).code, 'forbidden');
  }
  const { body } = await getJson(server, '/api/state');
  assert.equal(body.state.hospitals.find((h) => h.id === 'uso').beds.AdultICU.available, null);
  assert.equal(body.state.regions.find((r) => r.id === 'orebro').readiness.value, 'normal');
  // Its own region is fine.
  assert.equal((await uppsala.command(report('enkoping', { beds: { AdultICU: { available: 1 } } }))).type, 'ack');

  const anonymous = await server.client();
  const anonymousReply = await anonymous.command(report('enkoping', { reception: { P3: 1 } }));
  assert.equal(anonymousReply.code, 'forbidden');
  assert.match(anonymousReply.message, /sign in first/);
  const viewer = await server.client('viewer');
  assert.equal((await viewer.command(report('enkoping', { reception: { P3: 1 } }))).code, 'forbidden');
});

test('a trainer writes only in exercises: live needs an admin; the refusal is recorded', async () => {
  const watcher = await server.client();
  const start = (await watcher.nextOfType('snapshot')).seq;
  const trainer = await server.client('trainer');
  const admin = await server.client('admin');
  const writes = (space) => [
    report('uso', { beds: { AdultICU: { available: 3 } } }, space),
    { v: 1, type: 'confirm_figures', id: `t-c-${space}`, space, hospital: 'uso' },
    { v: 1, type: 'set_region_readiness', id: `t-r-${space}`, space, region: 'orebro', level: 'staff' },
    { v: 1, type: 'post_message', id: `t-m-${space}`, space, kind: 'information', to: 'all', text: 'Från övningsledningen' },
    { v: 1, type: 'record_decision', id: `t-d-${space}`, space, decision: 'major_incident_declared', region: 'orebro', reason: 'Prov' },
  ];
  // In live every write of the trainer is refused, each recorded as access_denied.
  const live = writes('live');
  for (const [i, command] of live.entries()) {
    const refused = await trainer.command(command);
    assert.equal(refused.type, 'error', JSON.stringify(refused));
    assert.equal(refused.code, 'forbidden', JSON.stringify(refused));
    assert.equal(refused.message, "trainer 'trainer' writes only in exercises; live needs an admin");
    const denied = await watcher.nextOfType('delta');
    assert.equal(denied.seq, start + 1 + i);
    assert.equal(denied.event.kind, 'access_denied');
    assert.equal(denied.event.actor.id, 'trainer');
    assert.equal(denied.event.command, command.type);
  }
  // An acknowledgement for a region too.
  const alert = await admin.command(post({ kind: 'alert', to: ['orebro'], level: 'staff', text: 'Larm till Örebro' }));
  assert.equal(alert.type, 'ack', JSON.stringify(alert));
  assert.equal((await trainer.command(acknowledge(`live:${alert.seq}`, { region: 'orebro' }))).code, 'forbidden');
  let state = (await getJson(server, '/api/state')).body.state;
  assert.equal(state.hospitals.find((h) => h.id === 'uso').beds.AdultICU.available, null);
  assert.equal(state.regions.find((r) => r.id === 'orebro').readiness.value, 'normal');
  assert.equal(state.messages.some((m) => m.text === 'Från övningsledningen'), false);
  assert.deepEqual(state.messages.find((m) => m.id === `live:${alert.seq}`).pending, ['orebro']);

  // In an exercise the trainer runs, the same writes are acknowledged.
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 't-start', scenario: 'demo-10min', paused: true });
  assert.equal(started.type, 'ack', JSON.stringify(started));
  const { space } = started;
  for (const command of writes(space)) {
    const reply = await trainer.command(command);
    assert.equal(reply.type, 'ack', `${command.type}: ${JSON.stringify(reply)}`);
  }
  const exercise = (await getJson(server, `/api/state?space=${space}`)).body.state;
  assert.equal(exercise.hospitals.find((h) => h.id === 'uso').beds.AdultICU.available, 3);
  assert.ok(exercise.messages.some((m) => m.text === 'Från övningsledningen' && m.from === null));
  assert.equal((await trainer.command({ v: 1, type: 'control_exercise', id: 't-stop', space, action: 'stop' })).type, 'ack');

  // The admin writes live, acknowledgements for a region included.
  assert.equal((await admin.command(acknowledge(`live:${alert.seq}`, { region: 'orebro' }))).type, 'ack');
  for (const command of live) {
    const reply = await admin.command({ ...command, id: `admin-${command.id}` });
    assert.equal(reply.type, 'ack', `${command.type}: ${JSON.stringify(reply)}`);
  }
  state = (await getJson(server, '/api/state')).body.state;
  assert.equal(state.hospitals.find((h) => h.id === 'uso').beds.AdultICU.available, 3);
  assert.deepEqual(state.messages.find((m) => m.id === `live:${alert.seq}`).pending, []);
  // Put Örebro back as the other tests expect it.
  assert.equal((await admin.command({ v: 1, type: 'set_region_readiness', id: 't-back', space: 'live', region: 'orebro', level: 'normal' })).type, 'ack');
});

test('an alert to three regions clears only when all three have acknowledged', async () => {
  const orebro = await server.client('tib-orebro');
  const sormland = await server.client('tib-sormland');
  const vastmanland = await server.client('tib-vastmanland');
  const uppsala = await server.client('tib-uppsala');
  const board = await server.client();
  await board.nextOfType('snapshot');

  const posted = await orebro.command(post({
    kind: 'alert', to: ['orebro', 'sormland', 'vastmanland'], level: 'staff',
    text: 'Bussolycka E18/E20 vid Arboga, 51 ombord. Gå upp i stabsläge.',
  }));
  assert.equal(posted.type, 'ack');
  const id = `live:${posted.seq}`;
  const announced = await board.next((m) => m.type === 'delta' && m.event.kind === 'message_posted');
  assert.equal(announced.message.id, id);
  assert.equal(announced.message.from, 'orebro');
  assert.deepEqual(announced.message.pending, ['sormland', 'vastmanland', 'orebro']);  // config order

  assert.equal((await uppsala.command(acknowledge(id))).code, 'not_addressed');
  for (const [client, region, remaining] of [[sormland, 'sormland', 2], [orebro, 'orebro', 1]]) {
    assert.equal((await client.command(acknowledge(id))).type, 'ack');
    const update = await board.next((m) => m.type === 'delta' && m.event.kind === 'message_acknowledged');
    assert.equal(update.message.pending.length, remaining);
    assert.equal(update.message.acks[region].by, `tib-${region}`);
  }
  const twice = await sormland.command(acknowledge(id));
  assert.equal(twice.type, 'ack');
  assert.equal(twice.already, true);
  let state = (await getJson(server, '/api/state')).body.state;
  assert.deepEqual(state.messages.find((m) => m.id === id).pending, ['vastmanland']);

  assert.equal((await vastmanland.command(acknowledge(id))).type, 'ack');
  state = (await getJson(server, '/api/state')).body.state;
  const cleared = state.messages.find((m) => m.id === id);
  assert.deepEqual(cleared.pending, []);
  assert.deepEqual(Object.keys(cleared.acks).sort(), ['orebro', 'sormland', 'vastmanland']);
  assert.equal((await orebro.command(acknowledge('live:999999'))).code, 'unknown_message');
});

test('METHANE reports and situation reports are validated and stored', async () => {
  const admin = await server.client('admin');
  const methane = await admin.command(post({
    kind: 'methane', to: 'all',
    methane: { major_incident: 'Ja', exact_location: 'E18 km 154', type: 'Bussolycka', hazards: 'Halka',
      access: 'Från väster', number_of_casualties: '51 ombord, 9 döda', emergency_services: '6 ambulanser' },
  }));
  assert.equal(methane.type, 'ack');
  assert.equal((await admin.command(post({ kind: 'methane', to: 'all', methane: { colour: 'red' } }))).code, 'bad_message');
  assert.equal((await admin.command(post({ kind: 'alert', to: ['orebro'], text: 'x' }))).field, 'level');
  assert.equal((await admin.command(post({ kind: 'information', to: ['gotland'], text: 'x' }))).code, 'unknown_region');
  assert.equal((await admin.command(post({ kind: 'information', to: 'all', text: 'x'.repeat(4001) }))).code, 'invalid_value');
  assert.equal((await admin.command(post({ kind: 'gossip', to: 'all', text: 'x' }))).code, 'invalid_value');
  const sitrep = await admin.command(post({ kind: 'situation_report', to: ['uppsala'], text: 'Läget stabilt', fields: { skadade: '12' }, requires_ack: true }));
  assert.equal(sitrep.type, 'ack');
  const { body } = await getJson(server, '/api/state');
  const stored = body.state.messages.find((m) => m.id === `live:${methane.seq}`);
  assert.equal(stored.methane.exact_location, 'E18 km 154');
  assert.equal(stored.to.length, 7);
  assert.equal(stored.from, null);
  assert.deepEqual(body.state.messages.find((m) => m.id === `live:${sitrep.seq}`).pending, ['uppsala']);
});

test('the history of a hospital returns every change in order', async () => {
  const karlstad = await server.client('tib-varmland');
  const seqs = [];
  for (const available of [9, 7, 4]) {
    seqs.push((await karlstad.command(report('karlstad', { beds: { AdultICU: { available } } }))).seq);
  }
  seqs.push((await karlstad.command({ v: 1, type: 'confirm_figures', id: 'c-1', space: 'live', hospital: 'karlstad' })).seq);
  await karlstad.command(report('arvika', { beds: { AdultICU: { available: 1 } } }));  // not Karlstad's
  const { status, body } = await getJson(server, '/api/history?hospital=karlstad');
  assert.equal(status, 200);
  assert.deepEqual(body.entries.map((e) => e.seq), seqs);
  assert.deepEqual(body.entries.slice(0, 3).map((e) => e.report.beds.AdultICU.available), [9, 7, 4]);
  assert.equal(body.entries[3].kind, 'figures_confirmed');
  assert.ok(body.entries.every((e) => e.by === 'tib-varmland'));
  // A time window.
  const from = body.entries[1].at;
  const windowed = await getJson(server, `/api/history?hospital=karlstad&from=${encodeURIComponent(from)}`);
  assert.ok(windowed.body.entries.length >= 2 && windowed.body.entries[0].seq >= seqs[0]);
  assert.equal((await getJson(server, '/api/history?hospital=nowhere')).status, 404);
  assert.equal((await getJson(server, '/api/history?hospital=karlstad&from=yesterday')).status, 400);
});

test('staleness flags appear when the clock passes the limit, stricter at higher readiness', async () => {
  const dalarna = await server.client('tib-dalarna');
  assert.equal((await dalarna.command(report('mora', {
    beds: { AdultICU: { available: 1 }, MedicalSurgical: { available: 20 }, OperatingRooms: { available: 2 },
      EmergencyDepartment: { available: 5 }, Pediatrics: { available: 0 } },
    reception: { P1: 1, P2: 1, P3: 2 }, ed_status: 'open',
  }))).type, 'ack');
  const stateAt = async (minutes) => {
    const at = new Date(Date.now() + minutes * 60000).toISOString();
    const { body } = await getJson(server, `/api/state?at=${encodeURIComponent(at)}`);
    return body.state.hospitals.find((h) => h.id === 'mora');
  };
  const now = await stateAt(0);
  assert.equal(now.stale, false);
  assert.deepEqual(now.overdue.filter((f) => f !== 'beds.PediatricICU' && f !== 'beds.Burn'), []);
  assert.equal((await stateAt(55)).stale, false);
  const late = await stateAt(61);
  assert.equal(late.stale, true);
  assert.ok(late.overdue.includes('beds.AdultICU') && late.overdue.includes('reception.P1'));
  // In katastrofläge the limit is 15 minutes.
  await dalarna.command({ v: 1, type: 'set_region_readiness', id: 'rl', space: 'live', region: 'dalarna', level: 'disaster' });
  assert.equal((await stateAt(16)).stale, true);
  // Confirming the figures makes them fresh again.
  await dalarna.command({ v: 1, type: 'confirm_figures', id: 'cf', space: 'live', hospital: 'mora' });
  assert.equal((await stateAt(14)).stale, false);
  assert.equal((await getJson(server, '/api/state?at=soon')).status, 400);
});

test('every hospital record says when each figure falls due; a region going up a level sends its hospitals with the shorter limit', async () => {
  const region = JSON.parse(readFileSync(`${repoRoot}/config/mellansverige.json`, 'utf8')).regions.find((r) => r.id === 'gavleborg');
  const gavle = region.hospitals.find((h) => h.id === 'gavle');
  // The expected figures: every bed type with a baseline or surge, reception P1-P3, the ED status.
  const expectedFigures = Object.entries(gavle.beds).filter(([, bed]) => bed.baseline + (bed.surge24h ?? 0) > 0)
    .map(([type]) => `beds.${type}`).concat(['reception.P1', 'reception.P2', 'reception.P3', 'ed_status']);
  const plus = (iso, minutes) => new Date(Date.parse(iso) + minutes * 60000).toISOString();
  // Due: the two figures reported at `at` (none when null); the others were never reported.
  const dueAfter = (at, minutes) => Object.fromEntries(expectedFigures.map((figure) =>
    [figure, at && ['beds.AdultICU', 'reception.P1'].includes(figure) ? plus(at, minutes) : null]));
  const withoutRule = ({ overdue, stale, ...record }) => record;  // what GET /api/state adds

  const board = await server.client();
  const start = (await board.nextOfType('snapshot')).state.hospitals.find((h) => h.id === 'gavle');
  assert.deepEqual(start.freshness, { level: 'normal', limit_minutes: 60, due: dueAfter(null), stale_at: null }, 'never reported');
  const tib = await server.client('tib-gavleborg');
  const ack = await tib.command(report('gavle', { beds: { AdultICU: { available: 3 } }, reception: { P1: 2 } }));
  assert.equal(ack.type, 'ack', JSON.stringify(ack));
  const reported = (await board.next((m) => m.type === 'delta' && m.seq === ack.seq)).hospital;
  const at = reported.beds.AdultICU.reported_at;
  assert.equal(reported.reception.P1.reported_at, at);
  // Due at reported_at + the limit of normalläge (stale_after_minutes, 60).
  assert.deepEqual(reported.freshness, { level: 'normal', limit_minutes: 60, due: dueAfter(at, 60), stale_at: plus(at, 60) });
  // The same record in a fresh snapshot and over HTTP.
  const fresh = await server.client();
  assert.deepEqual((await fresh.nextOfType('snapshot')).state.hospitals.find((h) => h.id === 'gavle'), reported);
  assert.deepEqual(withoutRule((await getJson(server, '/api/state')).body.state.hospitals.find((h) => h.id === 'gavle')), reported);

  // Higher levels, stricter limits (the defaults of stale_after_minutes_by_level): every hospital
  // of the region comes with the region's delta, with the new limit and the earlier due times.
  let previous = Date.parse(reported.freshness.stale_at);
  for (const [level, limit] of [['staff', 30], ['disaster', 15]]) {
    const set = await tib.command({ v: 1, type: 'set_region_readiness', id: `fr-${level}`, space: 'live', region: 'gavleborg', level });
    assert.equal(set.type, 'ack', JSON.stringify(set));
    const delta = await board.next((m) => m.type === 'delta' && m.seq === set.seq);
    assert.equal(delta.event.kind, 'region_readiness_set');
    assert.equal(delta.region.readiness.value, level);
    assert.deepEqual(delta.hospitals.map((h) => h.id).sort(), region.hospitals.map((h) => h.id).sort());
    for (const hospital of delta.hospitals) {
      assert.equal(hospital.freshness.level, level, hospital.id);
      assert.equal(hospital.freshness.limit_minutes, limit, hospital.id);
    }
    const record = delta.hospitals.find((h) => h.id === 'gavle');
    assert.deepEqual(record.freshness, { level, limit_minutes: limit, due: dueAfter(at, limit), stale_at: plus(at, limit) });
    assert.ok(Date.parse(record.freshness.stale_at) < previous, `${level}: due earlier`);
    previous = Date.parse(record.freshness.stale_at);
    // The records are the region's hospitals as the state has them now.
    const now = (await getJson(server, '/api/state')).body.state.hospitals.filter((h) => h.region === 'gavleborg');
    assert.deepEqual(delta.hospitals, now.map(withoutRule));
  }
});
