// Bounded refusals and rates: what a flood of hostile clients can cost, and what it cannot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { getJson, repoRoot } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { rawHttp } from '../support/http.mjs';
import { withServer } from '../support/fixture.mjs';

// The ctest presets of the sanitizer builds set these (CMakePresets.json).
const sanitized = Boolean(process.env.ASAN_OPTIONS || process.env.TSAN_OPTIONS);

const logBytes = (dbPath) => statSync(dbPath).size + (statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0);
const sql = (dbPath, query) => execFileSync('sqlite3', ['-readonly', dbPath, query], { encoding: 'utf8' }).trim();
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

async function reportLatencies(client, count, spacingMs) {
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const reply = await client.command(report('akademiska', { beds: { AdultICU: { available: i % 10 } } }), 20000);
    assert.equal(reply.type, 'ack', JSON.stringify(reply));
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, spacingMs));
  }
  return latencies;
}

// A sanitizer build reads each refused message about ten times slower: there the flood is a third
// as long, so it ends well within the flood tool's 120 s (the release build floods all 100,000).
const FLOOD_EACH = sanitized ? 300 : 1000;
const FLOODED = 100 * FLOOD_EACH;

test(`${FLOODED.toLocaleString('en')} refused commands from anonymous connections grow the log by less than 1 MB; a reporter is answered as usual`, { timeout: 240000 }, () => withServer({ args: ['--keepalive', '600'] }, async (server) => {
  // The default limits; keepalive off the picture: a flooder's pong waits behind its own flood,
  // which a slow (sanitizer) build takes longer than a ping's time-out to read.
  const { dbPath } = server;
  const reporter = await server.client('tib-uppsala');
  const baseline = await reportLatencies(reporter, 30, 20);
  const sizeBefore = logBytes(dbPath);
  const flood = spawn(process.execPath, [join(repoRoot, 'tests/support/flood.mjs'), String(server.port), '100', String(FLOOD_EACH)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  flood.stdout.on('data', (chunk) => { output += chunk; });
  const finished = new Promise((resolve) => flood.on('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 300));  // the flood is under way
  const during = await reportLatencies(reporter, 30, 20);
  await finished;
  const { answered, codes, closed, closeCodes } = JSON.parse(output);
  assert.equal(closed, 0, `no flooder was closed (${JSON.stringify(closeCodes)}; ${
    JSON.stringify((await getJson(server, '/healthz')).body.connections)})`);
  assert.equal(answered, FLOODED, `every refused command was answered (${JSON.stringify(codes)})`);
  // Refused as forbidden, or as rate_limited beyond a connection's rate (how many of each
  // depends on how fast the build reads them: a sanitizer build reads slower than the rate).
  assert.equal((codes.forbidden ?? 0) + (codes.rate_limited ?? 0), FLOODED, JSON.stringify(codes));
  assert.ok(codes.forbidden > 0, JSON.stringify(codes));
  const grown = logBytes(dbPath) - sizeBefore;
  assert.ok(grown < 1024 * 1024, `the log grew by ${grown} bytes`);
  // The reporter's latency during the flood stays in the usual range. A sanitizer build reads
  // each refused message ten times slower, so there the flood fills its one network thread:
  // it must still answer, within 2 s (the latency figure is the release build's).
  const usual = sanitized ? 2000 : Math.max(50, 5 * percentile(baseline, 0.99));
  assert.ok(percentile(during, 0.99) <= usual,
    `p99 ${percentile(during, 0.99).toFixed(1)} ms during the flood, ${percentile(baseline, 0.99).toFixed(1)} ms before`);
  console.log(`flood: log +${grown} B; reporter p50 ${percentile(baseline, 0.5).toFixed(1)} -> ${percentile(during, 0.5).toFixed(1)} ms, ` +
    `p99 ${percentile(baseline, 0.99).toFixed(1)} -> ${percentile(during, 0.99).toFixed(1)} ms; ${JSON.stringify(codes)}`);
}));

test('a signed-in user\'s refusals: a short record each up to the budget, then one summary with the count', { timeout: 60000 }, () => withServer({ args: ['--message-rate', '1000', '--message-burst', '1000'] }, async (server) => {
  const viewer = await server.client('viewer');
  const to = Array.from({ length: 64 }, (_, i) => `r${i}`.padEnd(64, 'x'));
  for (let i = 0; i < 100; i++) {
    const reply = await viewer.command({ v: 1, type: 'post_message', id: `v-${i}`, space: 'live', kind: 'information', to, text: 'y'.repeat(3900) });
    assert.equal(reply.code, 'forbidden');
  }
  await viewer.close();
  // The summary of the minute is written at the latest when the server stops.
  await server.stop();
  const stored = sql(server.dbPath, "SELECT body FROM events WHERE kind = 'access_denied' ORDER BY seq").split('\n').map((line) => JSON.parse(line));
  assert.equal(stored.length, 21, 'the budget of 20, then one summary');
  for (const record of stored) {
    assert.ok(JSON.stringify(record).length < 1000, `a short record: ${JSON.stringify(record).length} bytes`);
    assert.doesNotMatch(JSON.stringify(record), /yyyyyyyyyy/, 'never the payload');
  }
  assert.equal(stored[0].actor.id, 'viewer');
  assert.equal(stored[0].command, 'post_message');
  const summary = stored[20];
  assert.equal(summary.count, 80);
  assert.equal(summary.target, 'viewer');
  assert.equal(summary.actor.kind, 'system');
}));

test('a connection sending faster than its rate gets rate_limited, then is served again', () => withServer(async (server) => {
  const admin = await server.client('admin');
  const replies = await Promise.all(Array.from({ length: 400 }, (_, i) =>
    admin.command(report('akademiska', { beds: { AdultICU: { available: i % 5 } } }), 20000)));
  const acked = replies.filter((r) => r.type === 'ack').length;
  const limited = replies.filter((r) => r.code === 'rate_limited').length;
  assert.equal(acked + limited, 400);
  assert.ok(acked >= 150 && acked <= 260, `${acked} acked (burst 200)`);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal((await admin.command(report('akademiska', { beds: { AdultICU: { available: 2 } } }))).type, 'ack');
}));

test('the server-wide write rate caps all connections together', () => withServer({ args: ['--write-rate', '20'] }, async (server) => {
  const clients = await Promise.all(['tib-uppsala', 'tib-orebro', 'admin'].map((u) => server.client(u)));
  const hospital = { 'tib-uppsala': 'akademiska', 'tib-orebro': 'uso', admin: 'falun' };
  const replies = (await Promise.all(clients.map((client, n) => Promise.all(Array.from({ length: 30 }, () =>
    client.command(report(Object.values(hospital)[n], { beds: { AdultICU: { available: 1 } } }), 20000)))))).flat();
  const limited = replies.filter((r) => r.code === 'rate_limited');
  assert.ok(limited.length >= 50, `${limited.length} of 90 limited`);
  assert.match(limited[0].message, /server/);
}));

test('connection caps: per address and in total; at the cap a new connection is closed at once', async () => {
  await withServer({ args: ['--max-connections-per-address', '5'] }, async (server) => {
    const open = await Promise.all(Array.from({ length: 5 }, () => server.client()));
    await assert.rejects(server.client(), 'the sixth connection from one address is refused');
    await open[0].close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const health = (await getJson(server, '/healthz')).body;
    assert.ok(health.connections.refused_at_cap >= 1);
    assert.equal(health.connections.max_per_address, 5);
  });
  await withServer({ args: ['--max-connections', '3'] }, async (total) => {
    const open = await Promise.all(Array.from({ length: 3 }, () => total.client()));
    await assert.rejects(total.client());
    await open[2].close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await getJson(total, '/healthz')).status, 200);
  });
});

// Not under the sanitizers: their runtime needs descriptors of its own (UBSan's vptr check opens a
// pipe to probe memory, and reports a valid object as one with an invalid vptr when it cannot).
test('out of descriptors, accepting pauses instead of spinning, and resumes when they are back', { timeout: 60000,
  skip: sanitized && 'a sanitizer runtime cannot work without descriptors; the release build runs this' }, () => withServer(async (server) => {
  const pid = server.child.pid;
  const cpu = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;  // utime + stime, seconds
  };
  const inUse = readdirSync(`/proc/${pid}/fd`).length;
  const limit = inUse + 8;
  const soft = /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))[1];
  execFileSync('prlimit', ['--pid', String(pid), `--nofile=${limit}:`]);  // the soft limit only
  const clients = (await Promise.all(Array.from({ length: 8 }, () => server.client().catch(() => null)))).filter(Boolean);
  // More connections wait in the kernel's backlog: the server has no descriptor for them.
  const waiting = Array.from({ length: 10 }, () => server.client().catch(() => null));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const spent = cpu();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const used = cpu() - spent;
  assert.ok(used < 0.5, `the server used ${used.toFixed(2)} s of CPU in 2 s while out of descriptors`);
  execFileSync('prlimit', ['--pid', String(pid), `--nofile=${soft}:`]);
  for (const client of clients) client.socket.terminate();
  const served = (await Promise.all(waiting)).filter(Boolean);
  assert.ok(served.length >= 1, 'the waiting connections are accepted once descriptors are back');
  for (const client of served) client.socket.terminate();
  const health = (await getJson(server, '/healthz')).body;
  assert.ok(health.connections.accept_failures >= 1, JSON.stringify(health.connections));
}));

test('every way a connection ends gives its place back: the count returns to the one asking', { timeout: 60000 }, () => withServer({ args: ['--max-connections-per-address', '4', '--request-timeout', '500'] }, async (server) => {
  for (let i = 0; i < 10; i++) assert.equal((await rawHttp(server.port, ['GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n'])).status, 200);
  for (let i = 0; i < 5; i++) assert.equal((await rawHttp(server.port, ['GET /healthz HTTP/9.9\r\nHost: a\r\n\r\n'])).status, 400);
  await Promise.all(Array.from({ length: 3 }, () => rawHttp(server.port, ['GET /healthz HTTP/1.1\r\n'], { timeoutMs: 3000 })));
  for (let i = 0; i < 5; i++) {
    const client = await server.client();
    if (i % 2) client.socket.terminate(); else await client.close();
  }
  for (let i = 0; i < 3; i++) {
    const refused = await rawHttp(server.port, ['GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nOrigin: http://evil.example\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n']);
    assert.equal(refused.status, 403);
  }
  await rawHttp(server.port, ['GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 99\r\n\r\n']);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const health = (await getJson(server, '/healthz')).body;
  assert.equal(health.connections.accepted_open, 1, 'only the request asking');
  assert.equal(health.connections.refused_at_cap, 0);
}));
