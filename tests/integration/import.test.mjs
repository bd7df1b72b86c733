// EDXL-HAVE into capacity reports: the WebSocket command import_have and `lagesbild import-have`,
// both through the one command path (the sender's rights, all or nothing, per-element errors),
// and the event log's one-writer lock that keeps the command line from writing beside a server.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, serverBinary } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { scratchDir, serverFixture, withServer } from '../support/fixture.mjs';

const server = serverFixture();
const dir = scratchDir();
before(() => server.ready);

const haveText = async (srv, path) => (await fetch(srv.url(path))).text();
const hospital = (body, id) => (body.state ?? body).hospitals.find((h) => h.id === id);

// A hospital system's document: HAVE as another producer writes it (names, no identifiers).
const foreignDocument = (hospitals) => `<?xml version="1.0" encoding="UTF-8"?>
<HospitalStatus xmlns="urn:oasis:names:tc:emergency:EDXL:HAVE:1.0" xmlns:xnl="urn:oasis:names:tc:ciq:xnl:3">
${hospitals.map(({ name, icu, ed = 'Normal' }) => `  <Hospital>
    <Organization><OrganizationInformation><xnl:OrganisationName><xnl:NameElement>${name}</xnl:NameElement></xnl:OrganisationName></OrganizationInformation></Organization>
    <EmergencyDepartmentStatus><EMSTraffic><EMSTrafficStatus>${ed}</EMSTrafficStatus></EMSTraffic></EmergencyDepartmentStatus>
    <HospitalBedCapacityStatus><BedCapacity><BedType>AdultICU</BedType><Capacity><AvailableCount>${icu}</AvailableCount></Capacity></BedCapacity>
      <BedCapacity><BedType>NeonatalICU</BedType><Capacity><AvailableCount>2</AvailableCount></Capacity></BedCapacity></HospitalBedCapacityStatus>
    <LastUpdateTime>2026-11-23T11:15:00+01:00</LastUpdateTime>
  </Hospital>`).join('\n')}
</HospitalStatus>`;

test('a reporter imports its region\'s hospitals over WebSocket; all or nothing, with its rights', async () => {
  const tib = await server.client('tib-uppsala');
  const doc = foreignDocument([{ name: 'Akademiska sjukhuset', icu: 4, ed: 'Advisory' }, { name: 'Lasarettet i Enköping', icu: 1 }]);
  const imported = await tib.command({ v: 1, type: 'import_have', id: 'i-1', space: 'live', document: doc });
  assert.equal(imported.type, 'ack', JSON.stringify(imported));
  const state = (await getJson(server, '/api/state')).body;
  assert.equal(hospital(state, 'akademiska').beds.AdultICU.available, 4);
  assert.equal(hospital(state, 'akademiska').beds.AdultICU.reported_by, 'tib-uppsala');
  assert.equal(hospital(state, 'akademiska').ed_status.value, 'restricted');
  assert.equal(hospital(state, 'enkoping').beds.AdultICU.available, 1);
  const history = (await getJson(server, '/api/history?hospital=akademiska')).body;
  assert.equal(history.entries.at(-1).kind, 'capacity_reported');

  // Another region's hospital in the same document: refused as a whole, nothing changed.
  const mixed = foreignDocument([{ name: 'Akademiska sjukhuset', icu: 9 }, { name: 'Falu lasarett', icu: 3 }]);
  const refused = await tib.command({ v: 1, type: 'import_have', id: 'i-2', space: 'live', document: mixed });
  assert.equal(refused.code, 'forbidden', JSON.stringify(refused));
  assert.equal(hospital((await getJson(server, '/api/state')).body, 'akademiska').beds.AdultICU.available, 4);

  // Broken figures and an unknown hospital: every problem named, with its line; nothing taken.
  const broken = foreignDocument([{ name: 'Akademiska sjukhuset', icu: -1 }, { name: 'Okänt sjukhus', icu: 2 },
    { name: 'Lasarettet i Enköping', icu: 2, ed: 'Shut' }]);
  const bad = await tib.command({ v: 1, type: 'import_have', id: 'i-3', space: 'live', document: broken });
  assert.equal(bad.code, 'invalid_have');
  assert.equal(bad.details.length, 2, JSON.stringify(bad.details));
  assert.match(bad.details[0], /^line \d+: Hospital\[1\] \(Akademiska sjukhuset\) BedCapacity\[1\] AvailableCount: '-1' must be a whole number/);
  assert.match(bad.details[1], /Hospital\[3\] \(Lasarettet i Enköping\) EMSTrafficStatus: 'Shut'/);
  const unknown = await tib.command({ v: 1, type: 'import_have', id: 'i-4', space: 'live',
    document: foreignDocument([{ name: 'Okänt sjukhus', icu: 2 }]) });
  assert.equal(unknown.code, 'invalid_have');
  assert.match(unknown.details[0], /Hospital\[1\] \(Okänt sjukhus\): no hospital named 'Okänt sjukhus'/);
  for (const [id, document] of [['i-5', '<HospitalStatus>'], ['i-6', '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'],
    ['i-7', '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>']]) {
    assert.equal((await tib.command({ v: 1, type: 'import_have', id, space: 'live', document })).code, 'invalid_have');
  }
  assert.equal(hospital((await getJson(server, '/api/state')).body, 'enkoping').beds.AdultICU.available, 1);

  // Not signed in, or only a viewer: refused before the document is read.
  const anonymous = await server.client();
  assert.equal((await anonymous.command({ v: 1, type: 'import_have', id: 'i-8', space: 'live', document: doc })).code, 'forbidden');
  const viewer = await server.client('viewer');
  assert.equal((await viewer.command({ v: 1, type: 'import_have', id: 'i-9', space: 'live', document: doc })).code, 'forbidden');
});

test('a document of 300 KiB is taken from a writer; an exercise\'s document never feeds live', async () => {
  const admin = await server.client('admin');
  const padded = foreignDocument([{ name: 'Falu lasarett', icu: 5 }]).replace('</HospitalStatus>',
    `<!-- ${'x'.repeat(300 * 1024)} -->\n</HospitalStatus>`);
  const big = await admin.command({ v: 1, type: 'import_have', id: 'b-1', space: 'live', document: padded }, 20000);
  assert.equal(big.type, 'ack', JSON.stringify(big).slice(0, 300));

  const trainer = await server.client('trainer');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'x-1', scenario: 'demo-10min', paused: true });
  const drill = await haveText(server, `/api/have?space=${started.space}`);
  const intoLive = await admin.command({ v: 1, type: 'import_have', id: 'b-2', space: 'live', document: drill });
  assert.equal(intoLive.code, 'invalid_have');
  assert.match(intoLive.details[0], /distributionStatus is Exercise/);
  const intoDrill = await trainer.command({ v: 1, type: 'import_have', id: 'b-3', space: started.space, document: drill });
  assert.equal(intoDrill.type, 'ack', JSON.stringify(intoDrill).slice(0, 300));
});

test('lagesbild import-have writes the log with the server stopped, and is refused while it runs', () => withServer({}, async (own) => {
  const file = join(dir.path, 'karlstad.xml');
  writeFileSync(file, foreignDocument([{ name: 'Centralsjukhuset Karlstad', icu: 7 }]));
  const run = (...args) => spawnSync(serverBinary, ['import-have', file, '--db', own.dbPath,
    '--users', `${own.dbPath}.users.json`, ...args], { encoding: 'utf8' });

  const beside = run('--as', 'tib-varmland');
  assert.equal(beside.status, 2, beside.stderr);
  assert.match(beside.stderr, /being written by another process/);
  assert.match(beside.stderr, /import_have/);
  // A second server on the same log is refused the same way.
  const second = spawnSync(serverBinary, ['serve', '--port', '0', '--db', own.dbPath], { encoding: 'utf8', timeout: 10000 });
  assert.notEqual(second.status, 0);
  assert.match(second.stderr, /being written by another process/);

  await own.stop();
  const wrongRegion = run('--as', 'tib-uppsala');
  assert.equal(wrongRegion.status, 1, wrongRegion.stderr);
  assert.match(wrongRegion.stderr, /forbidden/);
  const nobody = run('--as', 'nobody');
  assert.equal(nobody.status, 2);
  const done = run('--as', 'tib-varmland');
  assert.equal(done.status, 0, done.stderr);
  assert.match(done.stdout, /imported 1 hospitals' figures into live as tib-varmland/);
  assert.match(done.stderr, /ignored: Hospital\[1\] \(Centralsjukhuset Karlstad\) BedCapacity\[2\]: NeonatalICU is not a bed type Lägesbild keeps/);

  await own.start();
  const karlstad = hospital((await getJson(own, '/api/state')).body, 'karlstad');
  assert.equal(karlstad.beds.AdultICU.available, 7);
  assert.equal(karlstad.beds.AdultICU.reported_by, 'tib-varmland');
}));
