// Slow and dead clients: a board that stops reading is not queued for without limit; it gets one
// fresh snapshot when it reads again; other boards are unaffected; dead links are reaped by ping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { getJson, noRateLimits } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { serverFixture } from '../support/fixture.mjs';

const server = serverFixture({ args: ['--keepalive', '600', ...noRateLimits] });

const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

test('a board that stops reading is resynchronised with one snapshot; others get every delta', async () => {
  const healthy = await server.client();
  const start = (await healthy.nextOfType('snapshot')).seq;
  // Count deltas as they arrive: every one must follow the one before.
  healthy.deltaCount = 0;
  healthy.deltaGaps = 0;
  let expected = start + 1;
  healthy.socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type !== 'delta') return;
    if (message.seq !== expected) healthy.deltaGaps++;
    expected = message.seq + 1;
    healthy.deltaCount++;
  });
  const slow = await server.client();
  await slow.nextOfType('snapshot');
  slow.socket._socket.pause();  // stops reading: the kernel buffers fill, then the server's
  const rssBefore = rssKiB(server.child.pid);

  const admin = await server.client('admin');
  const reports = 4000;
  const hospitals = ['falun', 'mora', 'gavle', 'uso', 'akademiska', 'karlstad', 'vasteras'];
  // A steady stream (16 reports in flight), as a busy day would bring: a reading board keeps up.
  const replies = [];
  for (let i = 0; i < reports; i += 16) {
    const window = [];
    for (let j = i; j < Math.min(i + 16, reports); j++) {
      window.push(admin.command(report(hospitals[j % hospitals.length], {
        beds: { MedicalSurgical: { available: j % 20 } }, reception: { P3: j % 7 },
      }), 60000));
    }
    replies.push(...await Promise.all(window));
    healthy.received = healthy.received.filter((m) => m.type !== 'delta' || m.seq > replies.at(-1).seq - 64);
  }
  assert.ok(replies.every((r) => r.type === 'ack'));
  const last = Math.max(...replies.map((r) => r.seq));
  assert.equal(last, start + reports);

  // The healthy board got every delta, in order (checked as they come, to keep memory flat).
  await healthy.next((m) => m.type === 'delta' && m.seq === last, 20000);
  assert.equal(healthy.deltaGaps, 0, 'no delta missing or out of order');
  assert.equal(healthy.deltaCount, reports);
  assert.ok(!healthy.received.some((m) => m.type === 'snapshot'), 'never needed a resync');
  const health = (await getJson(server, '/healthz')).body.connections;
  assert.ok(health.lagging_detected >= 1, JSON.stringify(health));
  // Sanitizer runtimes keep freed memory in quarantine, so RSS says nothing under them.
  if (!process.env.ASAN_OPTIONS && !process.env.TSAN_OPTIONS) {
    const growthKiB = rssKiB(server.child.pid) - rssBefore;
    assert.ok(growthKiB < 64 * 1024, `server memory grew ${growthKiB} KiB`);
  }

  // Reading again, the laggard catches up with one snapshot at the latest sequence number.
  slow.received.length = 0;
  slow.socket._socket.resume();
  const snapshot = await slow.next((m) => m.type === 'snapshot' && m.seq === last, 20000).catch((e) => {
    throw new Error(`${e.message.slice(0, 100)} / last=${last} / ${JSON.stringify(slow.received.map((m) => [m.type, m.seq]).slice(-5))}`);
  });
  assert.equal(snapshot.seq, last);
  const deltasSeen = slow.received.filter((m) => m.type === 'delta').length;
  assert.ok(deltasSeen < reports, `coalesced: ${deltasSeen} deltas instead of ${reports}`);
  assert.ok((await getJson(server, '/healthz')).body.connections.resynced >= 1);
});

test('a flood of reports is coalesced into snapshots; every report is acked; boards end current', async () => {
  const board = await server.client();
  const start = (await board.nextOfType('snapshot')).seq;
  const admin = await server.client('admin');
  const reports = 3000;
  const hospitals = ['falun', 'mora', 'gavle', 'uso', 'akademiska', 'karlstad', 'vasteras'];
  // All at once, as a flood would bring them (far more than 32 per fan-out).
  const replies = await Promise.all(Array.from({ length: reports }, (_, i) => admin.command(
    report(hospitals[i % hospitals.length], { beds: { MedicalSurgical: { available: i % 40 } } }), 60000)));
  assert.ok(replies.every((r) => r.type === 'ack'), JSON.stringify(replies.find((r) => r.type !== 'ack')));
  const last = start + reports;
  assert.equal(Math.max(...replies.map((r) => r.seq)), last);

  // The board ends at the last seq, whether it got there by a delta or a snapshot...
  const reached = () => board.received.some((m) => (m.type === 'snapshot' || m.type === 'delta') && m.seq === last);
  for (let i = 0; i < 400 && !reached(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const seen = board.received.filter((m) => m.type === 'snapshot' || m.type === 'delta');
  assert.equal(Math.max(...seen.map((m) => m.seq)), last, 'the board reached the last report');
  // ...having been sent far fewer messages than reports, snapshots among them.
  assert.ok(seen.some((m) => m.type === 'snapshot'), 'a coalescing snapshot was sent');
  assert.ok(seen.length < reports / 2, `${seen.length} messages for ${reports} reports`);
  // What it was sent is never older than what it had: seq only grows.
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i].seq > seen[i - 1].seq, `seq went ${seen[i - 1].seq} -> ${seen[i].seq}`);
  }
  // Its last snapshot holds the figures the server has now for that seq.
  const lastSnapshot = seen.filter((m) => m.type === 'snapshot').at(-1);
  const now = (await getJson(server, '/api/state')).body;
  assert.equal(now.seq, last);
  if (lastSnapshot.seq === last) {
    assert.deepEqual(lastSnapshot.state.hospitals.map((h) => h.beds.MedicalSurgical.available),
      now.state.hospitals.map((h) => h.beds.MedicalSurgical.available));
  }
  // Quiet again: the next single report reaches the board as one delta, at once.
  assert.equal((await admin.command(report('mora', { reception: { P2: 3 } }))).type, 'ack');
  const delta = await board.next((m) => m.type === 'delta' && m.seq === last + 1, 5000);
  assert.equal(delta.hospital.reception.P2.value, 3);
});

test('a connection that answers no ping is closed, and the others stay', async () => {
  await server.restart({ args: ['--keepalive', '2', ...noRateLimits] });
  const alive = await server.client();
  await alive.nextOfType('snapshot');
  const dead = await server.client();
  await dead.nextOfType('snapshot');
  dead.socket._socket.pause();  // never sees the ping, never answers
  const before = (await getJson(server, '/healthz')).body.connections.closed_no_pong;
  // Keepalive 2 s: a ping within 2 s, closed when no pong within 1 s more.
  for (let i = 0; i < 40; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if ((await getJson(server, '/healthz')).body.connections.closed_no_pong > before) break;
  }
  assert.ok((await getJson(server, '/healthz')).body.connections.closed_no_pong > before);
  const admin = await server.client('admin');
  assert.equal((await admin.command(report('falun', { reception: { P1: 1 } }))).type, 'ack');
  await alive.nextOfType('delta');  // the live one still gets deltas (it answers pings itself)
  dead.socket.terminate();
});
