// Who may read what: the Origin of WebSocket upgrades, the exercise script kept with the trainers,
// the optional closed board (--require-sign-in), and files that only their owner can read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { getJson, createUsers, serverBinary } from '../support/server.mjs';
import { withServer, startFixture } from '../support/fixture.mjs';

// Opens a WebSocket with the given headers; resolves with 'open' or the HTTP status refused with.
function upgrade(port, headers) {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    socket.on('open', () => { socket.terminate(); resolve('open'); });
    socket.on('unexpected-response', (request, response) => { resolve(response.statusCode); socket.terminate(); });
    socket.on('error', () => resolve('error'));
  });
}

test('WebSocket upgrades from another Origin are refused with 403; the own origin, listed ones and no Origin work', () => withServer({ args: ['--allow-origin', 'https://lagesbild.regionorebrolan.se'] }, async (server) => {
  const own = `127.0.0.1:${server.port}`;
  assert.equal(await upgrade(server.port, {}), 'open', 'no Origin: not a browser');
  assert.equal(await upgrade(server.port, { Origin: `http://${own}` }), 'open');
  assert.equal(await upgrade(server.port, { Origin: `HTTP://${own.toUpperCase()}` }), 'open');
  assert.equal(await upgrade(server.port, { Origin: 'https://lagesbild.regionorebrolan.se' }), 'open');
  for (const origin of ['http://evil.example', `http://${own}.evil.example`, `http://127.0.0.1:${server.port + 1}`,
    'null', 'https://lagesbild.regionorebrolan.se.evil.example', `ws://${own}`]) {
    assert.equal(await upgrade(server.port, { Origin: origin }), 403, origin);
  }
  assert.ok((await getJson(server, '/healthz')).body.connections.origin_refused >= 6);
}));

test('the script of a running exercise stays with the trainers; its review opens to all when it stops', { timeout: 60000 }, () => withServer(async (server) => {
  const trainer = await server.client('trainer');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 's-1', scenario: 'demo-10min' });
  assert.equal(started.type, 'ack');
  const space = started.space;
  const review = `/api/review?space=${space}`;
  assert.equal((await getJson(server, review)).status, 401, 'anonymous');
  assert.equal((await getJson(server, review, server.tokens['tib-uppsala'])).status, 403, 'a participant');
  assert.equal((await getJson(server, review, server.tokens.viewer)).status, 403, 'a viewer');
  const trainerView = await getJson(server, review, server.tokens.trainer);
  assert.equal(trainerView.status, 200);
  assert.ok(trainerView.body.checkpoints.length > 0);
  assert.equal(trainerView.body.truncated, false);
  assert.deepEqual(trainerView.body.unreadable, []);
  assert.equal((await getJson(server, review, server.tokens.admin)).status, 200, 'an admin reads it too');
  for (const token of [undefined, server.tokens['tib-uppsala']]) {
    assert.notEqual((await getJson(server, '/api/scenarios', token)).status, 200);
  }
  // Participants see that the exercise exists, its space and clock, not what comes next.
  const spaces = (await getJson(server, '/api/spaces')).body.spaces;
  const entry = spaces.find((s) => s.space === space);
  assert.equal(entry.exercise, true);
  assert.equal(JSON.stringify(entry).includes('inject'), false);
  const board = await server.client(null, `?space=${space}`);
  const snapshot = await board.nextOfType('snapshot');
  assert.equal(JSON.stringify(snapshot).includes('checkpoint'), false);
  await board.close();
  assert.equal((await trainer.command({ v: 1, type: 'control_exercise', id: 'c-1', space, action: 'stop' })).type, 'ack');
  const opened = await getJson(server, review);
  assert.equal(opened.status, 200, 'open to all once stopped');
  assert.ok(opened.body.checkpoints.length > 0);
}));

test('--require-sign-in: nothing is read without a token, everything with one; tokens go in headers, never URLs', () => withServer({ args: ['--require-sign-in'] }, async (server) => {
  for (const path of ['/api/state', '/api/spaces', '/api/history?hospital=akademiska', '/api/messages']) {
    const refused = await getJson(server, path);
    assert.equal(refused.status, 401, path);
    assert.equal(refused.body.code, 'sign_in_required', path);
    assert.equal((await getJson(server, path, server.tokens.viewer)).status, 200, path);
    assert.equal((await getJson(server, path, 'wrong-token')).status, 401, path);
  }
  const health = await getJson(server, '/healthz');
  assert.equal(health.status, 200);
  assert.equal(health.body.spaces, undefined, 'the spaces are not listed to the anonymous');
  assert.equal((await fetch(server.url('/'))).status, 200, 'the page shell itself is served');
  // WebSocket: an error first, no snapshot; after hello the snapshot asked for in the URL.
  const board = await server.client(null, '?space=live');
  const first = await board.next();
  assert.equal(first.type, 'error');
  assert.equal(first.code, 'sign_in_required');
  board.send({ v: 1, type: 'subscribe', space: 'live' });
  assert.equal((await board.next()).code, 'sign_in_required');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(board.received.filter((m) => m.type === 'snapshot').length, 0);
  await board.signIn(server.tokens.viewer);
  const snapshot = await board.nextOfType('snapshot');
  assert.equal(snapshot.space, 'live');
}));

test('the event log, its WAL and data/ are owner-only; a users file others can read stops the server', () => withServer({ db: 'private/data/lagesbild.db' }, async (server) => {
  const data = `${server.dir}/private/data`;
  const reporter = await server.client('tib-orebro');
  await reporter.command({ v: 1, type: 'set_region_readiness', id: 'p-1', space: 'live', region: 'orebro', level: 'staff' });
  await reporter.close();
  assert.equal(statSync(data).mode & 0o777, 0o700, 'data/');
  for (const file of ['lagesbild.db', 'lagesbild.db-wal', 'lagesbild.db-shm']) {
    assert.equal(statSync(`${data}/${file}`).mode & 0o777, 0o600, file);
  }
  await server.stop();
  const usersPath = `${server.dir}/open-users.json`;
  createUsers(usersPath, [{ id: 'trainer', role: 'trainer' }]);
  assert.equal(statSync(usersPath).mode & 0o777, 0o600, 'users add writes it owner-only');
  chmodSync(usersPath, 0o644);
  const refused = spawnSync(serverBinary, ['serve', '--port', '0', '--db', `${server.dir}/x.db`, '--users', usersPath], { encoding: 'utf8', timeout: 10000 });
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /readable or writable by others/);
  // An old database created world-readable is tightened at start.
  const oldDb = `${server.dir}/old.db`;
  writeFileSync(oldDb, '');
  chmodSync(oldDb, 0o644);
  chmodSync(usersPath, 0o600);
  const again = await startFixture({ dbPath: oldDb, usersPath });
  assert.equal(statSync(oldDb).mode & 0o777, 0o600);
  await again.stop();
}));
