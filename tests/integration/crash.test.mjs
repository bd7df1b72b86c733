// Crash durability: reports under load, kill -9 at random moments, restart, integrity check, and
// every acknowledged report present. 20 rounds here; LAGESBILD_CRASH_ROUNDS=500 for a long run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { getJson } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { withServer } from '../support/fixture.mjs';

const rounds = Number(process.env.LAGESBILD_CRASH_ROUNDS ?? 20);

const hospitals = ['falun', 'gavle', 'eskilstuna', 'akademiska', 'karlstad', 'vasteras', 'uso'];

// Keeps `clients` reporters sending until their connections drop; returns what was acked.
async function reportUntilKilled(server, clients) {
  const acked = [];
  const senders = await Promise.all(Array.from({ length: clients }, () => server.client('admin')));
  const loops = senders.map(async (client, index) => {
    for (let i = 0; ; i++) {
      const hospital = hospitals[(index + i) % hospitals.length];
      const available = Math.floor(Math.random() * 400);
      let reply;
      try {
        reply = await client.command(report(hospital, { beds: { MedicalSurgical: { available } } }), 3000);
      } catch {
        return;  // the server died: no answer
      }
      if (reply.type === 'ack') acked.push({ seq: reply.seq, hospital, available });
    }
  });
  return { acked, done: Promise.all(loops) };
}

test(`kill -9 during load, ${rounds} times: every acknowledged report survives, the log stays intact`, { timeout: 600000 }, () => withServer(async (server) => {
  const allAcked = [];
  for (let round = 0; round < rounds; round++) {
    if (round > 0) await server.start();
    const load = await reportUntilKilled(server, 4);
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 350));
    await server.stop('SIGKILL');  // which also ends the senders' connections
    await load.done;
    allAcked.push(...load.acked);
  }
  assert.ok(allAcked.length > rounds * 10, `load was real: ${allAcked.length} acks`);
  assert.equal(execFileSync('sqlite3', [server.dbPath, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim(), 'ok');

  await server.start();
  const bySeq = new Map();
  for (const hospital of hospitals) {
    const { body } = await getJson(server, `/api/history?hospital=${hospital}`);
    for (const entry of body.entries) bySeq.set(entry.seq, { hospital, available: entry.report?.beds?.MedicalSurgical?.available });
  }
  for (const ack of allAcked) {
    assert.deepEqual(bySeq.get(ack.seq), { hospital: ack.hospital, available: ack.available }, `acked #${ack.seq}`);
  }
  const { body } = await getJson(server, '/api/state');
  assert.ok(body.seq >= Math.max(...allAcked.map((a) => a.seq)));
}));
