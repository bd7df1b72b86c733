// Store faults: a full store gives store_failed and acknowledges nothing; the boards and reads go
// on; /healthz says 503 with the reason while writes fail; the server recovers by itself when room
// returns, and every acknowledged report survives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { getJson, noRateLimits } from '../support/server.mjs';
import { withServer, scratchDir } from '../support/fixture.mjs';

const dir = scratchDir();

const waitFor = async (what, check, timeoutMs = 15000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

// Posts messages until the store refuses one; returns the ids of those acknowledged.
async function fillUntilRefused(client, prefix) {
  const acked = [];
  for (let i = 0; i < 20000; i++) {
    const reply = await client.command({ v: 1, type: 'post_message', id: `${prefix}-${i}`, space: 'live', kind: 'information',
      to: 'all', text: `${prefix} ${i} `.padEnd(4000, 'z') }, 20000);
    if (reply.type === 'ack') { acked.push(reply.seq); continue; }
    assert.equal(reply.code, 'store_failed', JSON.stringify(reply));
    return acked;
  }
  throw new Error('the store never filled up');
}

async function checkServedWhileFailing(server, acked) {
  const health = await getJson(server, '/healthz');
  assert.equal(health.status, 503);
  assert.equal(health.body.status, 'store_failed');
  assert.ok(health.body.reason.length > 5, health.body.reason);
  // Boards and reads are served meanwhile.
  const board = await server.client();
  const snapshot = await board.nextOfType('snapshot');
  assert.equal(snapshot.state.message_log.total, acked.length, 'exactly the acknowledged messages');
  await board.close();
  const page = await getJson(server, '/api/messages?space=live&limit=5');
  assert.equal(page.status, 200);
  assert.equal(page.body.messages[0].seq, acked.at(-1));
}

test('a real full filesystem: store_failed, nothing acknowledged, 503 health, recovery by itself when room returns', { timeout: 180000 }, async (t) => {
  const mount = `${dir.path}/small-fs`;
  mkdirSync(mount);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount], { stdio: 'ignore' });
  } catch {
    t.skip('mounting a small tmpfs needs root (CI runs as root); the --max-db-size test below still runs');
    return;
  }
  try {
    // Another program's file takes half of the filesystem; the event log fills the rest (the
    // users file is kept outside it).
    const filler = `${mount}/other-program.tmp`;
    writeFileSync(filler, Buffer.alloc(2 * 1024 * 1024, 1));
    await withServer({ dbPath: `${mount}/lagesbild.db`, usersPath: `${dir.path}/users.json`,
      users: [{ id: 'admin', role: 'admin' }], args: noRateLimits }, async (server) => {
      const admin = await server.client('admin');
      const acked = await fillUntilRefused(admin, 'full');
      assert.ok(acked.length > 20, `${acked.length} messages fitted`);
      // Every later write fails the same way while the disk is full.
      const again = await admin.command({ v: 1, type: 'set_region_readiness', id: 'r-1', space: 'live', region: 'orebro', level: 'staff' });
      assert.equal(again.code, 'store_failed');
      await checkServedWhileFailing(server, acked);
      // Room returns (another program's file is deleted): the server finds out by itself.
      rmSync(filler);
      await waitFor('healthz 200', async () => (await getJson(server, '/healthz')).status === 200);
      const ok = await admin.command({ v: 1, type: 'set_region_readiness', id: 'r-2', space: 'live', region: 'orebro', level: 'staff' });
      assert.equal(ok.type, 'ack');
      // Every acknowledged message is in the log after a restart.
      await server.restart();
      const snapshot = (await getJson(server, '/api/state')).body;
      assert.equal(snapshot.state.message_log.total, acked.length);
      assert.equal(snapshot.seq, acked.at(-1) + 1);
    });
  } finally {
    execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
  }
});

test('a capped event log (--max-db-size): store_failed, nothing acknowledged, 503 health, boards and reads served', { timeout: 120000 }, () => withServer({ args: ['--max-db-size', '1', ...noRateLimits] }, async (server) => {
  const admin = await server.client('admin');
  const acked = await fillUntilRefused(admin, 'cap');
  assert.ok(acked.length > 20, `${acked.length} messages fitted`);
  await checkServedWhileFailing(server, acked);
  // The state was not harmed by the failed write: a small command still judged against it.
  const refused = await admin.command({ v: 1, type: 'acknowledge', id: 'a-1', space: 'live', message: `live:${acked.at(-1) + 1}` });
  assert.equal(refused.code, 'unknown_message', 'the refused message was not kept in memory');
}));
