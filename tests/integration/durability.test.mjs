// Nothing acknowledged may be lost: a graceful stop and a kill -9 both keep every acked report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { getJson } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { withServer, startFixture, scratchDir } from '../support/fixture.mjs';

const dir = scratchDir();

const hospitals = ['falun', 'mora', 'gavle', 'hudiksvall', 'eskilstuna', 'akademiska', 'karlstad', 'uso'];

// Five clients report concurrently; returns the acked reports as {hospital, available, seq}.
async function reportConcurrently(server, rounds) {
  const clients = await Promise.all(hospitals.slice(0, 5).map(() => server.client('admin')));
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

// Starts the stopped server again on its log: it must show every acked report.
async function checkRestartKeeps(server, acked) {
  await server.start();
  const { body } = await getJson(server, '/api/state');
  assert.ok(body.seq >= Math.max(...acked.map((a) => a.seq)), `seq ${body.seq} covers every ack`);
  for (const [hospital, available] of expectedLatest(acked)) {
    const record = body.state.hospitals.find((h) => h.id === hospital);
    assert.equal(record.beds.MedicalSurgical.available, available, hospital);
  }
  // The resumed server keeps numbering after the log, with no gap and no reuse.
  const client = await server.client('admin');
  const reply = await client.command(report('falun', { reception: { P1: 1 } }));
  assert.equal(reply.seq, body.seq + 1);
  return body.seq;
}

test('a graceful restart keeps every acknowledged report', () => withServer({ dir, db: 'graceful.db' }, async (server) => {
  const acked = await reportConcurrently(server, 20);
  assert.equal(acked.length, 100);
  assert.deepEqual(acked.map((a) => a.seq).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1));
  const { code } = await server.stop('SIGTERM');
  assert.equal(code, 0, 'SIGTERM is a clean exit');
  assert.match(server.output(), /stopped/);
  assert.equal(await checkRestartKeeps(server, acked), 100);
}));

test('kill -9 right after the acks keeps every acknowledged report', () => withServer(async (server) => {
  const acked = await reportConcurrently(server, 20);
  const { signal } = await server.stop('SIGKILL');
  assert.equal(signal, 'SIGKILL');
  await checkRestartKeeps(server, acked);
}));

test('a configuration for another healthcare region cannot open this log', async () => {
  await assert.rejects(
    startFixture({ dir, db: 'graceful.db', usersPath: `${dir.path}/no-users.json`, args: ['--config', new URL('../../config/sydost.json', import.meta.url).pathname] }),
    /holds the event log of healthcare region 'mellansverige'/,
  );
});

test('a broken configuration file stops the server before it listens, naming file and field', async () => {
  const bad = `${dir.path}/bad.json`;
  writeFileSync(bad, JSON.stringify({ healthcare_region: { id: 'x', name: 'X' }, regions: [{ id: 'r', name: 'R', hospitals: [{ id: 'h', name: 'H', beds: { AdultICU: { baseline: 'ten' } } }] }] }));
  await assert.rejects(
    startFixture({ dir, db: 'unused.db', args: ['--config', bad] }),
    new RegExp(`${bad}: \\$\\.regions\\[0\\]\\.hospitals\\[0\\]\\.beds\\.AdultICU\\.baseline: must be an integer`),
  );
});
