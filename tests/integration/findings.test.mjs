// The four findings of the outside trial (issue "Survive the worst day"), each reproduced as it
// was found. Each of these failed on the server before the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { getJson, noRateLimits } from '../support/server.mjs';
import { rawHttp } from '../support/http.mjs';
import { withServer } from '../support/fixture.mjs';

test('finding 1: a subscribe with since 1e400 is an error, and the server serves on', () => withServer(async (server) => {
  const attacker = await server.client();
  await attacker.nextOfType('snapshot');
  attacker.send('{"v":1,"type":"subscribe","space":"live","since":1e400}');
  const reply = await attacker.nextOfType('error');
  assert.equal(reply.code, 'bad_json');
  // The same connection stays usable, and so does everyone else's.
  attacker.send({ v: 1, type: 'subscribe', space: 'live' });
  assert.equal((await attacker.nextOfType('snapshot')).space, 'live');
  const reporter = await server.client('tib-uppsala');
  const ack = await reporter.command({ v: 1, type: 'report_capacity', id: 'f1', space: 'live', hospital: 'akademiska', beds: { AdultICU: { available: 4 } } });
  assert.equal(ack.type, 'ack');
  await Promise.all([attacker.close(), reporter.close()]);
  const { code, signal } = await server.stop();
  assert.equal(signal ?? null, null, 'the server was not killed by a signal');
  assert.equal(code, 0, 'the server stopped cleanly');
}));

test('finding 2: after 1,200 messages of 4,000 characters a fresh board still gets its snapshot, also after a restart', { timeout: 120000 }, () => withServer({ args: noRateLimits }, async (server) => {
  const writer = await server.client('admin');
  const text = 'Lägesrapport: '.padEnd(4000, 'x');
  const pending = [];
  for (let i = 0; i < 1200; i++) {
    pending.push(writer.command({ v: 1, type: 'post_message', id: `m-${i}`, space: 'live', kind: 'information', to: 'all', text }, 60000));
  }
  const answers = await Promise.all(pending);
  assert.ok(answers.every((a) => a.type === 'ack'), 'every message stored');
  await writer.close();
  for (let round = 0; round < 2; round++) {
    const board = await server.client();
    const snapshot = await board.nextOfType('snapshot', 5000);
    assert.equal(snapshot.state.message_log.total, 1200);
    assert.ok(snapshot.state.messages.length > 0 && snapshot.state.messages.length <= 50);
    // Still open a second later: it was not closed as a slow client.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.ok(!board.isClosed, 'the board is still connected');
    const health = (await getJson(server, '/healthz')).body;
    assert.equal(health.connections.closed_slow, 0);
    await board.close();
    if (round === 0) await server.restart();  // the log replays the same state after a restart
  }
}));

test('finding 3: 2,000 refused post_message frames from a connection that never signed in store nothing', { timeout: 60000 }, () => withServer({ args: noRateLimits }, async (server) => {
  const { dbPath } = server;
  const before = (await getJson(server, '/api/state')).body.seq;
  const sizeBefore = statSync(dbPath).size + (statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  const attacker = await server.client();
  await attacker.nextOfType('snapshot');
  const to = Array.from({ length: 64 }, (_, i) => `region-${i}`.padEnd(64, 'r'));
  for (let i = 0; i < 2000; i++) {
    attacker.send({ v: 1, type: 'post_message', id: `a-${i}`, space: 'live', kind: 'information', to, text: 'x'.repeat(3000) });
  }
  let refused = 0;
  while (refused < 2000) {
    const reply = await attacker.next((m) => m.type === 'error', 20000);
    assert.equal(reply.code, 'forbidden');
    refused++;
  }
  await attacker.close();
  assert.equal((await getJson(server, '/api/state')).body.seq, before, 'no event was stored');
  const sizeAfter = statSync(dbPath).size + (statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  assert.ok(sizeAfter - sizeBefore < 100 * 1024, `the event log grew by ${sizeAfter - sizeBefore} bytes`);
}));

test('finding 4: loose HTTP requests are refused with 400, and every answer says Connection: close', () => withServer(async (server) => {
  const cases = [
    ['two Host headers', 'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'],
    ['non-numeric Content-Length', 'GET /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n'],
    ['control character in a header value', 'GET /healthz HTTP/1.1\r\nHost: a\r\nX-Note: a\u0001b\r\n\r\n'],
    ['unknown HTTP version', 'GET /healthz HTTP/9.9\r\nHost: a\r\n\r\n'],
  ];
  for (const [name, request] of cases) {
    const answer = await rawHttp(server.port, [request]);
    assert.equal(answer.status, 400, `${name}: ${answer.head}`);
    assert.equal(answer.headers.connection, 'close', name);
  }
  const ok = await rawHttp(server.port, ['GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n']);
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.connection, 'close');
  // A keep-alive HTTP/1.1 client (Node's fetch) is told the connection closes: no resets.
  for (let i = 0; i < 50; i++) {
    const response = await fetch(server.url('/healthz'));
    assert.equal(response.headers.get('connection'), 'close');
    await response.json();
  }
}));
