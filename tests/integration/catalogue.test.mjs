// The scenario catalogue against the real server: versions saved by trainers (drafts too) survive a
// restart, an exercise's review names the exact version it ran, an exported file loads unchanged
// on a second server, and only trainers check, save, restore or read scripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { getJson, repoRoot } from '../support/server.mjs';
import { serverFixture, withServer, scratchDir } from '../support/fixture.mjs';

const server = serverFixture();
const dir = scratchDir();
const demo = JSON.parse(readFileSync(`${repoRoot}/scenarios/demo-10min.json`, 'utf8'));

function copyOfDemo(id, changes = {}) {
  return { ...structuredClone(demo), id, name: `Kopia: ${demo.name}`, ...changes };
}

async function fetchText(srv, path, token) {
  const response = await fetch(srv.url(path), token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  return { status: response.status, headers: response.headers, text: await response.text() };
}

// check_scenario is answered with scenario_check (or an error).
function check(client, id, scenario) {
  client.send({ v: 1, type: 'check_scenario', id, scenario });
  return client.next((reply) => (reply.type === 'scenario_check' || reply.type === 'error') && reply.id === id);
}

async function until(what, check, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('check_scenario answers with the loader\'s problems and their JSON paths', async () => {
  const trainer = await server.client('trainer');
  const good = await check(trainer, 'k1', copyOfDemo('kopia'));
  assert.equal(good.type, 'scenario_check');
  assert.equal(good.valid, true, JSON.stringify(good.problems));
  const broken = copyOfDemo('kopia');
  broken.injects[2].at = 'kvart över';
  broken.planned_duration_minutes = -3;
  const bad = await check(trainer, 'k2', broken);
  assert.equal(bad.valid, false);
  const paths = bad.problems.map((p) => p.path);
  assert.ok(paths.includes('$.injects[2].at'), JSON.stringify(bad.problems));
  assert.ok(paths.includes('$.planned_duration_minutes'), JSON.stringify(bad.problems));
  for (const problem of bad.problems) assert.ok(problem.message.length > 5);
  // An admin checks too (everything a trainer may).
  const admin = await server.client('admin');
  assert.equal((await check(admin, 'k5', copyOfDemo('kopia'))).valid, true);
  // Only trainers: a reporter and an anonymous connection are refused, and nothing is stored.
  const reporter = await server.client('tib-uppsala');
  assert.equal((await check(reporter, 'k3', broken)).code, 'forbidden');
  const anonymous = await server.client(null);
  await anonymous.nextOfType('snapshot');
  assert.equal((await check(anonymous, 'k4', broken)).code, 'forbidden');
});

test('saves are versions: drafts too, conflicts refused, shipped ids kept, only trainers', async () => {
  const trainer = await server.client('trainer');
  const first = await trainer.command({ v: 1, type: 'save_scenario', id: 's1', scenario: copyOfDemo('kopia-a'), base_version: 0 });
  assert.equal(first.type, 'ack', JSON.stringify(first));
  assert.equal(first.version, 1);
  assert.equal(first.valid, true);
  const draft = copyOfDemo('kopia-a');
  draft.injects[0].at = 'nu';
  const second = await trainer.command({ v: 1, type: 'save_scenario', id: 's2', scenario: draft, base_version: 1 });
  assert.equal(second.version, 2);
  assert.equal(second.valid, false, 'a scenario with problems is saved as a draft');
  assert.equal(second.problems[0].path, '$.injects[0].at');
  // Someone who edited version 1 meanwhile is told, not silently overwritten.
  const stale = await trainer.command({ v: 1, type: 'save_scenario', id: 's3', scenario: copyOfDemo('kopia-a'), base_version: 1 });
  assert.equal(stale.code, 'version_conflict');
  // A shipped file is copied, never overwritten.
  assert.equal((await trainer.command({ v: 1, type: 'save_scenario', id: 's4', scenario: copyOfDemo('demo-10min'), base_version: 0 })).code, 'scenario_id_taken');
  // A draft cannot be started; an earlier valid version can.
  assert.equal((await trainer.command({ v: 1, type: 'start_exercise', id: 'x1', scenario: 'kopia-a', paused: true })).code, 'invalid_scenario');
  const reporter = await server.client('tib-uppsala');
  assert.equal((await reporter.command({ v: 1, type: 'save_scenario', id: 's5', scenario: copyOfDemo('kopia-b'), base_version: 0 })).code, 'forbidden');
  assert.equal((await reporter.command({ v: 1, type: 'restore_scenario', id: 's6', scenario: 'kopia-a', version: 1 })).code, 'forbidden');
  // Restore: version 1's text again, as version 3.
  const restored = await trainer.command({ v: 1, type: 'restore_scenario', id: 's7', scenario: 'kopia-a', version: 1 });
  assert.equal(restored.version, 3);
  assert.equal(restored.restored_from, 1);
  assert.equal(restored.valid, true);
  const v1 = await fetchText(server, '/api/scenario?id=kopia-a&version=1', server.tokens.trainer);
  const v3 = await fetchText(server, '/api/scenario?id=kopia-a', server.tokens.trainer);
  assert.equal(v3.text, v1.text);
  // The catalogue lists who saved which version when; scripts are the trainers' alone.
  const { body } = await getJson(server, '/api/scenarios', server.tokens.trainer);
  const entry = body.scenarios.find((s) => s.id === 'kopia-a');
  assert.equal(entry.origin, 'saved');
  assert.equal(entry.version, 3);
  assert.deepEqual(entry.versions.map((v) => [v.version, v.valid, v.saved_by.id, v.restored_from]),
    [[1, true, 'trainer', null], [2, false, 'trainer', null], [3, true, 'trainer', 1]]);
  assert.equal(body.scenarios.find((s) => s.id === 'demo-10min').origin, 'file');
  assert.equal((await fetchText(server, '/api/scenario?id=kopia-a', server.tokens.admin)).text, v3.text, 'an admin reads it too');
  assert.equal((await fetchText(server, '/api/scenario?id=kopia-a', server.tokens['tib-uppsala'])).status, 403);
  assert.equal((await fetchText(server, '/api/scenario?id=kopia-a')).status, 401);
  assert.equal((await fetchText(server, '/api/scenario?id=nothing-here', server.tokens.trainer)).status, 404);
  // The catalogue is no space a board can read.
  assert.equal((await getJson(server, '/api/state?space=scenarios')).status, 404);
  assert.ok(!(await getJson(server, '/api/spaces')).body.spaces.some((s) => s.space === 'scenarios'));
});

test('a saved version survives a restart; the review names the version it ran', async () => {
  const trainer = await server.client('trainer');
  const saved = await trainer.command({ v: 1, type: 'save_scenario', id: 'r1', scenario: copyOfDemo('kopia-r', { name: 'Omstart' }), base_version: 0 });
  assert.equal(saved.version, 1);
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'r2', scenario: 'kopia-r', paused: true });
  assert.equal(started.type, 'ack', JSON.stringify(started));
  // A later edit never changes the exercise already running.
  const edited = copyOfDemo('kopia-r', { name: 'Omstart, ändrad' });
  edited.injects = edited.injects.slice(0, 2);
  assert.equal((await trainer.command({ v: 1, type: 'save_scenario', id: 'r3', scenario: edited, base_version: 1 })).version, 2);
  await server.restart();
  const { body } = await getJson(server, '/api/scenarios', server.tokens.trainer);
  const entry = body.scenarios.find((s) => s.id === 'kopia-r');
  assert.equal(entry.version, 2);
  assert.equal(entry.name, 'Omstart, ändrad');
  assert.equal(entry.injects.length, 2);
  const review = await getJson(server, `/api/review?space=${started.space}`, server.tokens.trainer);
  assert.equal(review.status, 200);
  assert.equal(review.body.scenario.id, 'kopia-r');
  assert.equal(review.body.scenario.origin, 'saved');
  assert.equal(review.body.scenario.version, 1, 'the version it started with, not the newest');
  assert.equal(review.body.injects.length + review.body.checkpoints.length, demo.injects.length,
    'the injects and checkpoints of version 1');
  // After the restart it resumes with that version's script.
  const again = await server.client('trainer');
  assert.equal((await again.command({ v: 1, type: 'control_exercise', id: 'r4', space: started.space, action: 'speed', speed: 60 })).type, 'ack');
  assert.equal((await again.command({ v: 1, type: 'control_exercise', id: 'r5', space: started.space, action: 'resume' })).type, 'ack');
  const version1 = (await fetchText(server, '/api/scenario?id=kopia-r&version=1', server.tokens.trainer)).text;
  assert.equal(JSON.parse(version1).name, 'Omstart');
});

test('a dry run plays at 60x in a private space and is stopped at its end', async () => {
  const trainer = await server.client('trainer');
  const saved = await trainer.command({ v: 1, type: 'save_scenario', id: 'd1', scenario: copyOfDemo('kopia-d'), base_version: 0 });
  assert.equal(saved.type, 'ack');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'd2', scenario: 'kopia-d', version: 1, dry_run: true });
  assert.equal(started.type, 'ack', JSON.stringify(started));
  assert.match(started.space, /^provkorning-kopia-d-/);
  // Trainers only: not listed, not readable, not subscribable for anyone else.
  assert.ok(!(await getJson(server, '/api/spaces')).body.spaces.some((s) => s.space === started.space));
  assert.ok((await getJson(server, '/api/spaces', server.tokens.trainer)).body.spaces.some((s) => s.space === started.space));
  assert.equal((await getJson(server, `/api/state?space=${started.space}`)).status, 401);
  assert.equal((await getJson(server, `/api/review?space=${started.space}`, server.tokens['tib-uppsala'])).status, 403);
  const board = await server.client(null, `?space=${started.space}`);
  assert.equal((await board.nextOfType('error')).code, 'forbidden');
  const planned = demo.planned_duration_minutes * 60000;
  const review = await until('the dry run to stop', async () => {
    const { body } = await getJson(server, `/api/review?space=${started.space}`, server.tokens.trainer);
    return body.exercise_info?.status === 'stopped' ? body : null;
  }, planned / 60 + 20000);
  assert.equal(review.exercise_info.dry_run, true);
  assert.equal(review.exercise_info.speed, 60);
  assert.equal(review.label, 'ÖVNING');
  assert.ok(review.injects.every((i) => i.status === 'played'), JSON.stringify(review.injects));
  assert.ok(review.timeline.length >= demo.injects.length);
  assert.ok(Array.isArray(review.indicators));
});

test('an exported file loads unchanged on a second server', async () => {
  const trainer = await server.client('trainer');
  const saved = await trainer.command({ v: 1, type: 'save_scenario', id: 'e1', scenario: copyOfDemo('delad-ovning'), base_version: 0 });
  assert.equal(saved.valid, true);
  const exported = await fetchText(server, '/api/scenario?id=delad-ovning&download=1', server.tokens.trainer);
  assert.equal(exported.status, 200);
  assert.match(exported.headers.get('content-disposition'), /attachment; filename="delad-ovning\.json"/);
  const folder = `${dir.path}/second-scenarios`;
  mkdirSync(folder, { recursive: true });
  writeFileSync(`${folder}/delad-ovning.json`, exported.text);
  await withServer({ args: ['--scenarios', folder] }, async (second) => {
    const { body } = await getJson(second, '/api/scenarios', second.tokens.trainer);
    const entry = body.scenarios.find((s) => s.id === 'delad-ovning');
    assert.ok(entry, JSON.stringify(body.scenarios.map((s) => s.id)));
    assert.equal(entry.valid, true, entry.errors.join('; '));
    assert.equal(entry.origin, 'file');
    assert.equal(entry.injects.length, demo.injects.length);
    // And imported into the editor there, it saves as a valid first version.
    const other = await second.client('trainer');
    const imported = JSON.parse(exported.text);
    imported.id = 'importerad';
    const again = await other.command({ v: 1, type: 'save_scenario', id: 'e2', scenario: imported, base_version: 0 });
    assert.equal(again.valid, true, JSON.stringify(again.problems));
  });
});
