// The live loop over a real WebSocket: snapshot on connect, deltas to every client, durable acks,
// exact resume after a disconnect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getJson } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { serverFixture } from '../support/fixture.mjs';

const server = serverFixture({ args: ['--resume-window', '5'] });

test('a client receives a snapshot with its sequence number on connect', async () => {
  const client = await server.client('trainer');
  const snapshot = await client.nextOfType('snapshot');
  assert.equal(snapshot.v, 1);
  assert.equal(snapshot.space, 'live');
  assert.equal(snapshot.exercise, false);
  assert.equal(typeof snapshot.seq, 'number');
  assert.equal(snapshot.state.healthcare_region.id, 'mellansverige');
  assert.equal(snapshot.state.regions.length, 7);
  assert.equal(snapshot.state.hospitals.length, 18);
  const uso = snapshot.state.hospitals.find((h) => h.id === 'uso');
  assert.equal(uso.region, 'orebro');
  assert.equal(Object.keys(uso.beds).length, 7);
});

test('a report reaches every other client as a delta, and its sender gets a durable ack', async () => {
  const sender = await server.client('tib-orebro');
  const [boardA, boardB] = await Promise.all([1, 2].map(() => server.client()));
  const start = (await sender.nextOfType('snapshot')).seq;
  await boardA.nextOfType('snapshot');
  await boardB.nextOfType('snapshot');
  const reply = await sender.command(report('uso', {
    beds: { AdultICU: { available: 4 } }, reception: { P1: 3, P2: 5 }, readiness: 'staff',
  }));
  assert.equal(reply.type, 'ack', JSON.stringify(reply));
  assert.equal(reply.seq, start + 1);
  for (const board of [boardA, boardB, sender]) {
    const delta = await board.nextOfType('delta');
    assert.equal(delta.seq, start + 1);
    assert.equal(delta.space, 'live');
    assert.equal(delta.event.kind, 'capacity_reported');
    assert.deepEqual(delta.event.actor, { kind: 'user', id: 'tib-orebro', role: 'reporter', region: 'orebro' });
    assert.equal(delta.hospital.id, 'uso');
    assert.equal(delta.hospital.beds.AdultICU.available, 4);
    assert.equal(delta.hospital.beds.AdultICU.reported_by, 'tib-orebro');
    assert.equal(delta.hospital.reception.P2.value, 5);
    assert.equal(delta.hospital.readiness.value, 'staff');
  }
  const readiness = await sender.command({ v: 1, type: 'set_region_readiness', id: 'rr-1', space: 'live', region: 'orebro', level: 'reinforced' });
  assert.equal(readiness.type, 'ack');
  const regionDelta = await boardA.nextOfType('delta');
  assert.equal(regionDelta.region.id, 'orebro');
  assert.equal(regionDelta.region.readiness.value, 'reinforced');
});

test('a reconnecting client gets exactly the deltas it missed', async () => {
  const board = await server.client('trainer');
  const lastSeen = (await board.nextOfType('snapshot')).seq;
  await board.close();

  const reporter = await server.client('admin');
  const acks = [];
  for (const available of [1, 2, 3]) {
    acks.push(await reporter.command(report('falun', { beds: { AdultICU: { available } } })));
  }
  assert.deepEqual(acks.map((a) => a.seq), [lastSeen + 1, lastSeen + 2, lastSeen + 3]);

  const resumed = await server.client(null, `?since=${lastSeen}`);
  const deltas = [];
  for (let i = 0; i < 3; i++) deltas.push(await resumed.nextOfType('delta'));
  assert.deepEqual(deltas.map((d) => d.seq), [lastSeen + 1, lastSeen + 2, lastSeen + 3]);
  assert.deepEqual(deltas.map((d) => d.hospital.beds.AdultICU.available), [1, 2, 3]);
  const done = await resumed.nextOfType('resumed');
  assert.equal(done.seq, lastSeen + 3);
  // Nothing else: no snapshot, no duplicate.
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(resumed.received, []);

  // Up to date: an empty resume.
  const current = await server.client(null, `?since=${lastSeen + 3}`);
  assert.equal((await current.next()).type, 'resumed');
});

test('a client too far behind, or ahead of the server, gets a fresh snapshot', async () => {
  const reporter = await server.client('admin');
  const start = (await reporter.nextOfType('snapshot')).seq;
  for (let i = 0; i < 7; i++) {  // more than the resume window of 5
    assert.equal((await reporter.command(report('mora', { reception: { P3: i } }))).type, 'ack');
  }
  const behind = await server.client(null, `?since=${start}`);
  const snapshot = await behind.next();
  assert.equal(snapshot.type, 'snapshot');
  assert.equal(snapshot.seq, start + 7);
  assert.equal(snapshot.state.hospitals.find((h) => h.id === 'mora').reception.P3.value, 6);

  const ahead = await server.client(null, `?since=${start + 1000}`);
  assert.equal((await ahead.next()).type, 'snapshot');

  // The same through a subscribe message on an open connection.
  reporter.received.length = 0;  // drop the deltas of its own reports
  reporter.send({ v: 1, type: 'subscribe', space: 'live', since: start + 6 });
  const delta = await reporter.nextOfType('delta');
  assert.equal(delta.seq, start + 7);
  assert.equal((await reporter.nextOfType('resumed')).seq, start + 7);
});

test('the HTTP API serves state, health and the board, and nothing outside web/', async () => {
  const health = await getJson(server, '/healthz');
  assert.equal(health.status, 200);
  assert.equal(health.body.status, 'ok');
  assert.equal(typeof health.body.spaces.live, 'number');
  const state = await getJson(server, '/api/state');
  assert.equal(state.body.type, 'snapshot');
  assert.equal(state.body.seq, health.body.spaces.live);
  assert.equal((await getJson(server, '/api/state?space=nope')).body.code, 'unknown_space');

  const board = await fetch(server.url('/'));
  assert.equal(board.status, 200);
  assert.match(board.headers.get('content-type'), /text\/html/);
  for (const path of ['/../CMakeLists.txt', '/%2e%2e/CMakeLists.txt', '/..%2fREADME.md', '/etc/passwd', '/nope.html']) {
    const response = await fetch(server.url(path));
    assert.equal(response.status, 404, path);
  }
  const post = await fetch(server.url('/api/state'), { method: 'POST', body: '{}' });
  assert.equal(post.status, 405);
});
