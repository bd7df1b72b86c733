// Sign-ins as the operator sees them: a log line each, with the client's address and never the
// token; five failures a minute lock the address out (WebSocket and HTTP alike), a right token
// included, while other addresses go on; behind a trusted proxy the forwarded address counts.
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { TestClient } from '../support/client.mjs';
import { withServer } from '../support/fixture.mjs';

async function hello(client, token) {
  client.send({ v: 1, type: 'hello', token });
  return client.next((m) => m.type === 'welcome' || m.type === 'error');
}

test('failed sign-ins are logged with the address and throttled; a token never reaches the log', async () => {
  await withServer({}, async (srv) => {
    const client = await TestClient.connect(srv.port);
    const wrong = 'f'.repeat(64);
    for (let i = 0; i < 5; i += 1) {
      const reply = await hello(client, wrong);
      assert.equal(reply.code, 'unauthorized', JSON.stringify(reply));
    }
    // Locked: even the admin's right token is refused from this address for now.
    const locked = await hello(client, srv.tokens.admin);
    assert.equal(locked.code, 'too_many_attempts', JSON.stringify(locked));
    assert.match(locked.message, /try again in \d+ s/);
    const http = await fetch(srv.url('/api/spaces'), { headers: { Authorization: `Bearer ${srv.tokens.admin}` } });
    assert.equal(http.status, 429);
    assert.ok(Number(http.headers.get('retry-after')) > 0);
    const health = await (await fetch(srv.url('/healthz'))).json();
    assert.equal(health.connections.sign_ins_failed, 5);
    assert.ok(health.connections.sign_ins_throttled >= 2);

    const output = srv.output();
    assert.equal(output.match(/sign_in_failed address=127\.0\.0\.1 reason="unknown token" via=websocket/g)?.length, 5, output);
    assert.match(output, /warning sign_in_throttled address=127\.0\.0\.1/);
    assert.ok(!output.includes(wrong), 'a presented token is never logged');
    assert.ok(!output.includes(srv.tokens.admin), 'a real token is never logged');
    await client.close();
  });
});

test('a successful sign-in is logged with user, role and address', async () => {
  await withServer({}, async (srv) => {
    const client = await TestClient.connectAs(srv, 'tib-uppsala');
    await client.close();
    assert.match(srv.output(), /info sign_in user=tib-uppsala role=reporter address=127\.0\.0\.1/);
    assert.ok(!srv.output().includes(srv.tokens['tib-uppsala']));
  });
});

test('behind a trusted proxy the forwarded address is the one logged and locked out', async () => {
  await withServer({ args: ['--trusted-proxy', '127.0.0.1', '--log-format', 'json'] }, async (srv) => {
    const headers = (address) => ({ Authorization: `Bearer ${'0'.repeat(64)}`, 'X-Forwarded-For': `6.6.6.6, ${address}` });
    for (let i = 0; i < 5; i += 1) {
      assert.equal((await fetch(srv.url('/api/spaces'), { headers: headers('10.9.8.7') })).status, 401);
    }
    assert.equal((await fetch(srv.url('/api/spaces'), { headers: headers('10.9.8.7') })).status, 429);
    // Another client behind the same proxy is not locked out by the first one's failures.
    const other = await fetch(srv.url('/api/spaces'), {
      headers: { Authorization: `Bearer ${srv.tokens.viewer}`, 'X-Forwarded-For': '10.9.8.6' },
    });
    assert.equal(other.status, 200);
    const lines = srv.output().split('\n').filter((line) => line.startsWith('{'));
    const failed = lines.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'sign_in_failed');
    assert.equal(failed.length, 5);
    for (const entry of failed) {
      assert.equal(entry.address, '10.9.8.7');
      assert.equal(entry.level, 'warning');
      assert.equal(entry.via, 'http');
      assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });
});

// The audit trail itself: sign_in events in the space "audit" of the event log, which no client
// can read over the network.
function auditEvents(dbPath) {
  const out = spawnSync('sqlite3', [dbPath, "select body from events where space = 'audit' order by seq"],
    { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

test('every sign-in, success or failure, is a sign_in event with the address; no client reads them', async () => {
  await withServer({}, async (srv) => {
    const ok = await TestClient.connectAs(srv, 'tib-orebro');
    const bad = await TestClient.connect(srv.port);
    assert.equal((await hello(bad, '1'.repeat(64))).code, 'unauthorized');
    assert.equal((await fetch(srv.url('/api/spaces'), { headers: { Authorization: `Bearer ${'2'.repeat(64)}` } })).status, 401);
    for (const path of ['/api/history?space=audit', '/api/state?space=audit']) {
      const answer = await fetch(srv.url(path), { headers: { Authorization: `Bearer ${srv.tokens.admin}` } });
      assert.equal((await answer.json()).code, 'unknown_space', path);
    }
    const board = await TestClient.connect(srv.port);
    board.send({ v: 1, type: 'subscribe', space: 'audit' });
    assert.equal((await board.next((m) => m.type === 'error')).code, 'unknown_space');
    const spaces = await (await fetch(srv.url('/api/spaces'), { headers: { Authorization: `Bearer ${srv.tokens.admin}` } })).json();
    assert.ok(!JSON.stringify(spaces).includes('"audit"'), 'the audit is not listed');
    await Promise.all([ok.close(), bad.close(), board.close()]);
    await srv.stop();
    const events = auditEvents(srv.dbPath);
    // One WebSocket sign-in and two failures; the admin's successful HTTP reads are requests, not sign-ins.
    assert.equal(events.length, 3, JSON.stringify(events));
    const [success, ...rest] = events.filter((e) => e.success);
    assert.equal(success.user, 'tib-orebro');
    assert.equal(success.address, '127.0.0.1');
    assert.equal(success.via, 'websocket');
    assert.equal(rest.length, 0);
    const failures = events.filter((e) => !e.success);
    assert.deepEqual(failures.map((e) => [e.via, e.reason, e.address]),
      [['websocket', 'unknown token', '127.0.0.1'], ['http', 'unknown token', '127.0.0.1']]);
    for (const e of events) {
      assert.equal(e.kind, 'sign_in');
      assert.equal(e.actor.kind, 'system');
      assert.ok(!JSON.stringify(e).includes('1'.repeat(64)), 'no token in the audit');
    }
  });
});
