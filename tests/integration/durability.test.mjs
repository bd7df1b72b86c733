// Nothing acknowledged may be lost: a graceful stop and a kill -9 both keep every acked report.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeTempDir, getJson } from '../support/server.mjs';
import { TestClient, report } from '../support/client.mjs';

const dir = makeTempDir();
after(() => dir.remove());

const hospitals = ['falun', 'mora', 'gavle', 'hudiksvall', 'eskilstuna', 'akademiska', 'karlstad', 'uso'];

// Five clients report concurrently; returns the acked reports as {hospital, available, seq}.
async function reportConcurrently(server, rounds) {
  const clients = await Promise.all(hospitals.slice(0, 5).map(() => TestClient.connectAs(server, 'trainer')));
  const acked = [];
  await Promise.all(clients.map(async (client, index) => {
    for (let round = 0; round < rounds; round++) {
      const hospital = hospitals[(index + round) % hospitals.length];
      const available = (index * 7 + round) % 10;
      const reply = await client.command(report(hospital, { beds: { MedicalSurgical: { available } } }));
      assert.equal(reply.type, 'ack', JSON.stringify(reply));
      acked.push({ hospital, available, seq: reply.seq });
    }
  }));
  await Promise.all(clients.map((client) => client.close()));
  return acked;
}

// The last acked value per hospital must be what the restarted server shows.
function expectedLatest(acked) {
  const latest = new Map();
  for (const entry of [...acked].sort((a, b) => a.seq - b.seq)) latest.set(entry.hospital, entry.available);
  return latest;
}

async function checkRestartKeeps(dbPath, acked) {
  const restarted = await startServer({ dbPath });
  try {
    const { body } = await getJson(restarted, '/api/state');
    assert.ok(body.seq >= Math.max(...acked.map((a) => a.seq)), `seq ${body.seq} covers every ack`);
    for (const [hospital, available] of expectedLatest(acked)) {
      const record = body.state.hospitals.find((h) => h.id === hospital);
      assert.equal(record.beds.MedicalSurgical.available, available, hospital);
    }
    // The resumed server keeps numbering after the log, with no gap and no reuse.
    const client = await TestClient.connectAs(restarted, 'trainer');
    const reply = await client.command(report('falun', { reception: { P1: 1 } }));
    assert.equal(reply.seq, body.seq + 1);
    await client.close();
    return body.seq;
  } finally {
    await restarted.stop();
  }
}

test('a graceful restart keeps every acknowledged report', async () => {
  const dbPath = `${dir.path}/graceful.db`;
  const server = await startServer({ dbPath });
  const acked = await reportConcurrently(server, 20);
  assert.equal(acked.length, 100);
  assert.deepEqual(acked.map((a) => a.seq).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1));
  const { code } = await server.stop('SIGTERM');
  assert.equal(code, 0, 'SIGTERM is a clean exit');
  assert.match(server.output(), /stopped/);
  assert.equal(await checkRestartKeeps(dbPath, acked), 100);
});

test('kill -9 right after the acks keeps every acknowledged report', async () => {
  const dbPath = `${dir.path}/killed.db`;
  const server = await startServer({ dbPath });
  const acked = await reportConcurrently(server, 20);
  const { signal } = await server.stop('SIGKILL');
  assert.equal(signal, 'SIGKILL');
  await checkRestartKeeps(dbPath, acked);
});

test('a configuration for another healthcare region cannot open this log', async () => {
  const dbPath = `${dir.path}/graceful.db`;
  await assert.rejects(
    startServer({ dbPath, usersPath: `${dir.path}/no-users.json`, args: ['--config', new URL('../../config/sydost.json', import.meta.url).pathname] }),
    /holds the event log of healthcare region 'mellansverige'/,
  );
});

test('a broken configuration file stops the server before it listens, naming file and field', async () => {
  const bad = `${dir.path}/bad.json`;
  const { writeFileSync } = await import('node:fs');
  writeFileSync(bad, JSON.stringify({ healthcare_region: { id: 'x', name: 'X' }, regions: [{ id: 'r', name: 'R', hospitals: [{ id: 'h', name: 'H', beds: { AdultICU: { baseline: 'ten' } } }] }] }));
  await assert.rejects(
    startServer({ dbPath: `${dir.path}/unused.db`, args: ['--config', bad] }),
    new RegExp(`${bad}: \\$\\.regions\\[0\\]\\.hospitals\\[0\\]\\.beds\\.AdultICU\\.baseline: must be an integer`),
  );
});
