// Backup and restore under load: `lagesbild backup` while reporters keep writing, `lagesbild
// verify` of the copy, and a second server started on it ("restore") shows every report that
// was acknowledged before the backup started. A damaged copy fails verify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getJson, noRateLimits, serverBinary } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { startFixture, scratchDir } from '../support/fixture.mjs';

const run = promisify(execFile);
const dir = scratchDir('lagesbild-backup-');

// One reporter per region, each reporting for its own region's hospitals.
const reporters = [
  { user: 'tib-dalarna', hospitals: ['falun', 'mora'] },
  { user: 'tib-gavleborg', hospitals: ['gavle', 'hudiksvall'] },
  { user: 'tib-sormland', hospitals: ['eskilstuna', 'nykoping'] },
  { user: 'tib-uppsala', hospitals: ['akademiska'] },
  { user: 'tib-varmland', hospitals: ['karlstad'] },
  { user: 'tib-orebro', hospitals: ['uso'] },
];
const hospitals = reporters.flatMap((reporter) => reporter.hospitals);

// Every reporter sends its next report when the last one's ack came; every ack is kept with the
// moment it arrived. stop() ends the loops and resolves with all acks (or throws the first
// refusal: under this load every report must be taken).
async function startLoad(server) {
  const acked = [];
  let running = true;
  let failure = null;
  // Two connections per reporter: more reports in flight, bigger group commits.
  const senders = await Promise.all([...reporters, ...reporters].map(({ user }) => server.client(user)));
  const loops = senders.map(async (client, index) => {
    const own = reporters[index % reporters.length].hospitals;
    for (let i = 0; running; i++) {
      const hospital = own[i % own.length];
      const available = (index * 13 + i * 7) % 60;  // below every hospital's beds
      let reply;
      try {
        reply = await client.command(report(hospital, { beds: { MedicalSurgical: { available } } }));
      } catch (error) {
        failure ??= error;
        return;
      }
      if (reply.type !== 'ack') {
        failure ??= new Error(`report refused: ${JSON.stringify(reply)}`);
        return;
      }
      acked.push({ seq: reply.seq, hospital, available, at: performance.now() });
    }
  });
  return {
    acked,
    failed: () => failure,
    async stop() {
      running = false;
      await Promise.all(loops);
      if (failure) throw failure;
      return acked;
    },
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// `lagesbild verify`, resolving with {code, stdout, stderr} whatever its exit code.
async function verify(file, args = []) {
  try {
    const { stdout, stderr } = await run(serverBinary, ['verify', file, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (typeof error.code !== 'number') throw error;
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

// Every capacity report of the live space by seq, from the history API of `server`.
async function historyBySeq(server) {
  const bySeq = new Map();
  for (const hospital of hospitals) {
    const { status, body } = await getJson(server, `/api/history?hospital=${hospital}`);
    assert.equal(status, 200);
    assert.equal(body.truncated, false);
    for (const entry of body.entries) {
      bySeq.set(entry.seq, { hospital, available: entry.report?.beds?.MedicalSurgical?.available });
    }
  }
  return bySeq;
}

// Overwrites most of one page in the middle of a copy, past its header: a torn or bit-rotted
// block on the backup medium.
function damage(path) {
  const bytes = readFileSync(path);
  const page = bytes.readUInt16BE(16);  // SQLite header: the page size
  const middle = Math.floor(bytes.length / page / 2) * page;
  for (let i = 8; i < page - 8; i++) bytes[middle + i] = (0xa5 ^ (i * 37)) & 0xff;
  writeFileSync(path, bytes);
}

test('a backup taken under load restores every report acknowledged before it started', { timeout: 120000 }, async (t) => {
  const server = await startFixture({ dir, db: 'live.db', args: noRateLimits });
  const out = join(dir.path, 'backup.db');
  let acked;
  let backup;
  let started;
  let finished;
  let load;
  try {
    load = await startLoad(server);
    await sleep(1500);  // a log of some hundreds of events before the backup
    // A backup of a small log takes a few tens of ms, about one group commit on a slow disk: it is
    // taken again (into a new file) until acks came in while one ran, so the copy was made
    // beside commits. The last one is the backup checked below.
    let ackedBeforeStart;
    let ackedBeforeEnd;
    for (let attempt = 0; attempt < 20; attempt++) {
      if (existsSync(out)) renameSync(out, join(dir.path, `earlier-${attempt}.db`));
      started = performance.now();
      ackedBeforeStart = load.acked.length;
      backup = await run(serverBinary, ['backup', '--db', server.dbPath, out]);
      finished = performance.now();
      ackedBeforeEnd = load.acked.length;
      t.diagnostic(`backup of ~${ackedBeforeStart} events took ${Math.round(finished - started)} ms ` +
        `(process included); ${ackedBeforeEnd - ackedBeforeStart} acks arrived meanwhile`);
      if (ackedBeforeEnd > ackedBeforeStart) break;
    }
    await sleep(300);  // and writes go on after it
    acked = await load.stop();
    assert.ok(ackedBeforeStart > 100, `load was real before the backup: ${ackedBeforeStart} acks`);
    assert.ok(ackedBeforeEnd > ackedBeforeStart, 'reports were acknowledged while a backup ran');
    assert.ok(acked.length > ackedBeforeEnd, 'and after it');
  } finally {
    await load?.stop().catch(() => {});  // when something above threw: end the loops first
    await server.dispose();
  }

  // What backup says it wrote, and the file itself: owner-only, alone (no -wal, -shm beside it).
  assert.match(backup.stdout, /backed up .*live\.db to .*backup\.db in [\d.]+ s: [\d.]+ MiB \(\d+ bytes\), healthcare region mellansverige/);
  const lastSeq = Number(/space live: last seq (\d+), (\d+) events/.exec(backup.stdout)?.[1]);
  assert.ok(lastSeq > 0, backup.stdout);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  for (const suffix of ['-wal', '-shm', '-journal']) assert.equal(existsSync(out + suffix), false, suffix);

  // Every ack that arrived before the backup started is in it; the copy is a prefix of the log:
  // exactly the events up to its last seq, none after.
  const beforeStart = acked.filter((ack) => ack.at < started);
  assert.ok(beforeStart.every((ack) => ack.seq <= lastSeq),
    `backup ends at ${lastSeq}, acked before it started: ${Math.max(...beforeStart.map((a) => a.seq))}`);
  assert.ok(acked.some((ack) => ack.seq > lastSeq), 'the log went on past the backup');

  const verified = await verify(out);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /integrity ok/);
  assert.match(verified.stdout, new RegExp(`space live: ${lastSeq} events, last seq ${lastSeq}; at start: the first event, ${lastSeq} events replayed; every event replayed`));
  assert.match(verified.stdout, /verified: integrity ok, 2 spaces replay to the last event, from saved states and from every event alike/);
  // The two: live and the sign-in audit (every reporter signed in).
  assert.match(verified.stdout, /space audit: \d+ events/);

  // Restore: the copy put in place in a fresh folder, a server started on it.
  const restoredDir = join(dir.path, 'restored');
  mkdirSync(restoredDir, { mode: 0o700 });
  const restoredDb = join(restoredDir, 'lagesbild.db');
  copyFileSync(out, restoredDb);
  const restored = await startFixture({ dbPath: restoredDb });
  try {
    assert.match(restored.output(), new RegExp(`space live at seq ${lastSeq}:`));
    const { body } = await getJson(restored, '/api/state');
    assert.equal(body.seq, lastSeq);
    const bySeq = await historyBySeq(restored);
    assert.equal(bySeq.size, lastSeq, 'every report of the copy, no other');
    for (const ack of acked.filter((entry) => entry.seq <= lastSeq)) {
      assert.deepEqual(bySeq.get(ack.seq), { hospital: ack.hospital, available: ack.available }, `acked #${ack.seq}`);
    }
    // The latest figure per hospital as of the backup is what the restored board shows.
    const latest = new Map();
    for (const ack of [...acked].filter((entry) => entry.seq <= lastSeq).sort((x, y) => x.seq - y.seq)) {
      latest.set(ack.hospital, ack.available);
    }
    for (const [hospital, available] of latest) {
      assert.equal(body.state.hospitals.find((h) => h.id === hospital).beds.MedicalSurgical.available, available, hospital);
    }
    // The restored server goes on numbering after the copy.
    const client = await restored.client('tib-dalarna');
    const reply = await client.command(report('falun', { reception: { P1: 1 } }));
    assert.equal(reply.seq, lastSeq + 1);
  } finally {
    await restored.dispose();
  }
});

test('verify fails a damaged copy and one that does not replay (1), refuses another region’s configuration (2) and a missing file (2)', async () => {
  const out = join(dir.path, 'backup.db');
  assert.ok(existsSync(out), 'the first test made the backup');
  const damaged = join(dir.path, 'damaged.db');
  copyFileSync(out, damaged);
  damage(damaged);
  const broken = await verify(damaged);
  assert.equal(broken.code, 1, broken.stdout + broken.stderr);
  assert.match(broken.stdout, /damaged: .*damaged\.db: integrity check: /);
  assert.match(broken.stdout, /damaged\.db is damaged: do not restore it/);

  // Every page sound, but one early event no longer reads back. The stopped server saved the
  // live state at its last event, so a start would skip that event; the replay of every event
  // finds it, --quick (the start's replay only) does not.
  const tampered = join(dir.path, 'tampered.db');
  await run(serverBinary, ['backup', '--db', join(dir.path, 'live.db'), tampered]);
  execFileSync('sqlite3', [tampered, `UPDATE events SET body = substr(body, 1, 40) WHERE space = 'live' AND seq = 5;`]);
  const unreadable = await verify(tampered);
  assert.equal(unreadable.code, 1, unreadable.stdout + unreadable.stderr);
  assert.match(unreadable.stdout, /integrity ok/);
  assert.match(unreadable.stdout, /tampered\.db does not replay from its first event: live#5: stored event is unreadable/);
  const quick = await verify(tampered, ['--quick']);
  assert.equal(quick.code, 0, quick.stdout + quick.stderr);
  assert.match(quick.stdout, /at start: the saved state at \d+ \+ 0 events replayed/);

  const sydost = new URL('../../config/sydost.json', import.meta.url).pathname;
  const foreign = await verify(out, ['--config', sydost]);
  assert.equal(foreign.code, 2, foreign.stdout + foreign.stderr);
  assert.match(foreign.stderr, /holds the event log of healthcare region 'mellansverige', but .*sydost\.json is the configuration of 'sydost'/);

  const missing = await verify(join(dir.path, 'no-such.db'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no-such\.db: cannot be opened: No such file or directory/);
});

test('backup refuses to replace an existing file, and replaces it with --overwrite', async () => {
  const out = join(dir.path, 'backup.db');
  const before = readFileSync(out);
  const refused = await run(serverBinary, ['backup', '--db', join(dir.path, 'live.db'), out]).catch((error) => error);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /backup failed: .*backup\.db: not written: the file exists already/);
  assert.deepEqual(readFileSync(out), before);
  const replaced = await run(serverBinary, ['backup', '--overwrite', '--db', join(dir.path, 'live.db'), out]);
  assert.match(replaced.stdout, /backed up/);
  assert.equal((await verify(out)).code, 0);
});
