// The scenario editor (web/scenario-editor.html) in headless Chromium against the real server: a
// trainer copies demo-10min, moves an inject by dragging it and with the keyboard buttons, adds a
// casualty wave and a checkpoint, sees the server's check put an error next to a wrong field and
// fixes it, saves, exports, restores a version, imports a file, dry-runs the saved version at 60×
// and sees its review (ÖVNING · PROVKÖRNING), then starts it as an exercise. An anonymous page and
// a reporter are refused the editor — the page says so and shows no scenario — and the server
// refuses their save_scenario and check_scenario over a WebSocket, and the scenario API over HTTP.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, getJson } from '../support/server.mjs';
import { browserSuite, artifactPath } from '../support/browser.mjs';

const suite = browserSuite();
let server;

before(async () => {
  ({ server } = await suite.ready);
});

const demo = JSON.parse(readFileSync(join(repoRoot, 'scenarios', 'demo-10min.json'), 'utf8'));
const VIEW = { width: 1440, height: 1000 };

/** The rows of the timeline, as [inject id, time]. */
const rowsOf = (page) => page.locator('#injects > li').evaluateAll((lis) =>
  lis.map((li) => [li.dataset.inject, li.querySelector('.ed-at input').value]));
const row = (page, id) => page.locator(`#injects > li[data-inject="${id}"]`);
/** The field frame of `path` (relative to the inject) in an open inject's form. */
const field = (page, id, path) => row(page, id).locator(`[data-field$="|${path}"]`).first();
/** Drags `handle` with the mouse onto the top edge of `target` (HTML5 drag and drop, in steps). */
async function dragRow(page, handle, target) {
  await target.scrollIntoViewIfNeeded();
  await handle.scrollIntoViewIfNeeded();
  const from = await handle.boundingBox();
  const to = await target.boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, from.y - 10, { steps: 5 });
  await page.mouse.move(to.x + 40, to.y + 4, { steps: 10 });
  await page.mouse.up();
}
const checkOk = (page) => page.locator('#check-state[data-state="ok"]').waitFor({ timeout: 5000 });

test('a trainer copies demo-10min, edits, saves, dry-runs and starts it', async () => {
  const page = await suite.openAs('trainer', '/scenario-editor.html', { viewport: VIEW });
  await page.locator('body[data-access="trainer"]').waitFor();
  await page.locator('#open-scenario option[value="demo-10min"]').waitFor({ state: 'attached', timeout: 5000 });

  // Copy: a new id, every inject in time order, and the server finds nothing wrong.
  await page.selectOption('#open-scenario', 'demo-10min');
  await page.click('#copy-scenario');
  await page.locator('#injects > li').nth(demo.injects.length - 1).waitFor();
  assert.equal(await page.locator('#doc-id').textContent(), 'demo-10min-kopia');
  assert.equal(await page.locator('#injects > li').count(), demo.injects.length);
  await checkOk(page);
  assert.match(await page.locator('#meta-form input').first().inputValue(), /\(kopia\)$/);

  // Drag "lagesrapport-skadeplats" (04:00) to just before vag-1 (01:00), after cp-mottagande
  // (00:30): it takes a time between them.
  await dragRow(page, row(page, 'lagesrapport-skadeplats').locator('.ed-handle'), row(page, 'vag-1'));
  await page.waitForFunction(() => document.querySelector('#injects > li[data-inject="lagesrapport-skadeplats"] .ed-at input')?.value === '00:45',
    undefined, { timeout: 5000 });
  let rows = await rowsOf(page);
  const moved = rows.findIndex(([id]) => id === 'lagesrapport-skadeplats');
  assert.deepEqual(rows.slice(moved - 1, moved + 2).map(([id]) => id), ['cp-mottagande', 'lagesrapport-skadeplats', 'vag-1']);
  // The keyboard's way: ▲ moves sormland-ambulanser before sormland-stabslage (both 06:30).
  await row(page, 'sormland-ambulanser').locator('[data-action="up"]').click();
  rows = await rowsOf(page);
  const amb = rows.findIndex(([id]) => id === 'sormland-ambulanser');
  assert.equal(rows[amb + 1][0], 'sormland-stabslage');
  assert.equal(rows[amb][1], '06:30');
  await checkOk(page);

  // A casualty wave: three walking wounded, distribution suggested by the server.
  await page.click('[data-add="casualty_wave"]');
  const wave = page.locator('#injects > li.open').first();
  const waveId = await wave.getAttribute('data-inject');
  assert.equal(waveId, 'vag-3');
  await field(page, waveId, '$.location').locator('input').fill('Egen transport från E18 vid Glanshammar');
  await field(page, waveId, '$.casualties.P3').locator('input').fill('2');
  await row(page, waveId).locator('[data-field$="|$.transport_minutes"] .fe-keyed input').first().fill('3');
  // A wrong value: the check puts its problem right under the field …
  await field(page, waveId, '$.casualties.P1').locator('input').fill('-1');
  await page.locator('#check-state[data-state="bad"]').waitFor({ timeout: 5000 });
  await field(page, waveId, '$.casualties.P1').locator('.fe-problems li').waitFor({ timeout: 5000 });
  assert.match(await field(page, waveId, '$.casualties.P1').getAttribute('class'), /has-problem/);
  assert.equal(await field(page, waveId, '$.casualties.P1').locator('input').getAttribute('aria-invalid'), 'true');
  assert.match(await row(page, waveId).locator('.ed-badge').textContent(), /1 fel/);
  assert.equal(await page.locator('#save').textContent(), 'Spara utkast');
  // … and a time after the planned end next to the time field.
  await row(page, waveId).locator('.ed-at input').fill('15:00');
  await row(page, waveId).locator('.ed-at-problems li').waitFor({ timeout: 5000 });
  assert.match(await row(page, waveId).locator('.ed-at-problems').textContent(), /planerade längd/);
  await row(page, waveId).evaluate((li) => li.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: artifactPath('scenario-editor.png') });
  // Fixed: both problems go.
  await field(page, waveId, '$.casualties.P1').locator('input').fill('0');
  await row(page, waveId).locator('.ed-at input').fill('06:00');
  await row(page, waveId).locator('.ed-at input').press('Tab');
  await checkOk(page);
  assert.equal(await page.locator('.fe-problems li').count(), 0);
  assert.ok(await page.locator('#problems-top').isHidden());
  rows = await rowsOf(page);
  assert.deepEqual(rows.find(([id]) => id === waveId), [waveId, '06:00']);
  assert.ok(rows.findIndex(([id]) => id === waveId) < rows.findIndex(([id]) => id === 'sormland-ambulanser'),
    'sorted in at 06:00, before the 06:30 injects');

  // A checkpoint after it: Region Örebro län judges its own capacity within 3 minutes.
  await page.click('[data-add="checkpoint"]');
  const cpId = await page.locator('#injects > li.open').last().getAttribute('data-inject');
  assert.equal(cpId, 'kp-1');
  assert.equal(await row(page, cpId).locator('.ed-at input').inputValue(), '06:00', 'at the time of the open wave');
  await field(page, cpId, '$.within_minutes').locator('input').fill('3');
  await field(page, cpId, '$.description').locator('textarea').fill('Region Örebro län bedömer sin egen kapacitet inom 3 minuter efter de lindrigt skadade.');
  await field(page, cpId, '$.expect.decision').locator('select').selectOption('capacity_judgement');
  assert.equal(await field(page, cpId, '$.expect.region').locator('select').inputValue(), 'orebro');
  await checkOk(page);

  // Save: version 1, valid; the history lists it.
  await page.click('#save');
  await page.locator('#save-result[data-state="ok"]').waitFor({ timeout: 5000 });
  assert.match(await page.locator('#save-result').textContent(), /version 1 – giltigt/);
  assert.match(await page.locator('#doc-version').textContent(), /version 1/);
  await page.locator('#versions tr[data-version="1"][data-valid="true"]').waitFor({ timeout: 5000 });
  const saved = await getJson(server, '/api/scenarios', server.tokens.trainer);
  const entry = saved.body.scenarios.find((s) => s.id === 'demo-10min-kopia');
  assert.equal(entry.origin, 'saved');
  assert.equal(entry.version, 1);
  assert.equal(entry.valid, true);
  assert.equal(entry.versions.at(-1).saved_by.id, 'trainer');

  // Export: fetched with the token, saved as <id>.json, the scenario as saved.
  const exports = [];
  page.on('request', (r) => { if (r.url().includes('/api/scenario?')) exports.push(r); });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  assert.equal(download.suggestedFilename(), 'demo-10min-kopia.json');
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(file.id, 'demo-10min-kopia');
  assert.equal(file.injects.length, demo.injects.length + 2);
  assert.equal(file.injects.find((i) => i.id === 'lagesrapport-skadeplats').at, '00:45');
  assert.equal(file.injects.find((i) => i.id === 'kp-1').expect.decision, 'capacity_judgement');
  assert.ok(exports.some((r) => r.headers().authorization === `Bearer ${server.tokens.trainer}` && r.url().includes('download=1')));
  for (const r of exports) assert.ok(!r.url().includes(server.tokens.trainer));

  // A second version, then back to the first: "Återställ" makes it version 3.
  const name = page.locator('[data-field="|$.name"] input');
  await name.fill('Demo, andra versionen');
  await checkOk(page);
  await page.click('#save');
  await page.locator('#save-result[data-state="ok"]').filter({ hasText: 'version 2' }).waitFor({ timeout: 5000 });
  await page.locator('#versions [data-restore="1"]').click();
  await page.locator('#versions-result[data-state="ok"]').filter({ hasText: 'version 3' }).waitFor({ timeout: 5000 });
  await page.locator('#versions tr[data-version="3"]').waitFor({ timeout: 5000 });
  assert.match(await page.locator('#versions tr[data-version="3"]').textContent(), /Återställd från v1/);
  assert.match(await name.inputValue(), /\(kopia\)$/);
  assert.match(await page.locator('#doc-version').textContent(), /version 3/);
  await checkOk(page);

  // Dry run of the saved version: its own space at 60×, the review followed until it stops.
  assert.ok(await page.locator('#dry-run').isEnabled());
  await page.click('#dry-run');
  await page.locator('#dryrun').waitFor();
  assert.match(await page.locator('#dryrun').textContent(), /ÖVNING.*PROVKÖRNING/s);
  const drySpace = await page.locator('#dry-space').textContent();
  assert.match(drySpace, /^provkorning-demo-10min-kopia-/);
  await page.locator('#dry-timeline tbody tr').first().waitFor({ timeout: 10000 });
  await page.locator('#dryrun[data-status="stopped"]').waitFor({ timeout: 30000 });
  const checkpoints = await page.locator('#dry-checkpoints tr[data-checkpoint]').evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.checkpoint, tr.dataset.status]));
  assert.equal(checkpoints.length, demo.injects.filter((i) => i.kind === 'checkpoint').length + 1);
  assert.ok(checkpoints.some(([id]) => id === 'kp-1'));
  assert.ok(checkpoints.every(([, s]) => ['met', 'not_met', 'pending'].includes(s)), checkpoints.join());
  const indicators = await page.locator('#dry-indicators tr.ind-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
  assert.ok(indicators.length > 0);
  assert.ok(indicators.every((s) => s === 'not_met'), 'nobody played: every indicator is not met at the end');
  assert.match(await page.locator('#dry-indicators').textContent(), /Ej uppfylld/);
  const timeline = await page.locator('#dry-timeline').textContent();
  assert.match(timeline, /LARM|Larm/);
  assert.match(timeline, /Scenariot/);
  assert.doesNotMatch(timeline, /message_posted|casualties_dispatched|undefined|NaN/);
  const spaces = (await getJson(server, '/api/spaces', server.tokens.trainer)).body.spaces;
  assert.equal(spaces.find((s) => s.space === drySpace)?.exercise_info?.status, 'stopped');
  await page.screenshot({ path: artifactPath('scenario-editor-dryrun.png') });

  // Start it as an exercise: the links go to the new space.
  await page.click('#start');
  await page.locator('#start-links').waitFor({ timeout: 5000 });
  const space = await page.locator('#started-space').textContent();
  assert.match(space, /^ovning-demo-10min-kopia-/);
  assert.equal(await page.locator('#started-trainer').getAttribute('href'), `trainer.html?space=${encodeURIComponent(space)}`);
  const running = (await getJson(server, '/api/spaces', server.tokens.trainer)).body.spaces.find((s) => s.space === space);
  assert.equal(running?.exercise, true);
  assert.equal(running.exercise_info.status, 'running');
  assert.equal(running.exercise_info.speed, 1);
  await page.close();
});

test('a draft can be saved but not started, and an imported file loads into the editor', async () => {
  const page = await suite.openAs('trainer', '/scenario-editor.html', { viewport: VIEW });
  await page.locator('#open-scenario option[value="demo-10min"]').waitFor({ state: 'attached', timeout: 5000 });
  const mine = { ...demo, id: 'importerad-demo', name: 'Importerad demo', planned_duration_minutes: 5 };
  await page.setInputFiles('#import-file', { name: 'importerad-demo.json', mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(mine)) });
  await page.locator('#open-result[data-state="ok"]').filter({ hasText: 'importerad-demo.json importerad' }).waitFor({ timeout: 5000 });
  assert.equal(await page.locator('#doc-id').textContent(), 'importerad-demo');
  // 5 minutes planned: the injects after 05:00 are too late; listed, the timeline rows marked.
  await page.locator('#check-state[data-state="bad"]').waitFor({ timeout: 5000 });
  for (const late of demo.injects.filter((i) => i.at > '05:00')) {
    await page.locator(`#injects > li.has-problems[data-inject="${late.id}"]`).waitFor({ timeout: 5000 });
    assert.match(await row(page, late.id).locator('.ed-at-problems').textContent(), /planerade längd/);
  }
  assert.equal(await page.locator('#save').textContent(), 'Spara utkast');
  await page.click('#save');
  await page.locator('#save-result[data-state="ok"]').waitFor({ timeout: 5000 });
  assert.match(await page.locator('#save-result').textContent(), /utkast/);
  assert.ok(await page.locator('#start').isDisabled());
  assert.ok(await page.locator('#dry-run').isDisabled());
  assert.match(await page.locator('#start-why').textContent(), /utkast/);
  await page.locator('#versions tr[data-version="1"][data-valid="false"]').waitFor({ timeout: 5000 });
  // The server refuses to start a draft, whatever the page shows.
  const client = await server.client('trainer');
  const refused = await client.command({ v: 1, type: 'start_exercise', id: 'x-draft', scenario: 'importerad-demo' });
  assert.equal(refused.type, 'error');
  assert.equal(refused.code, 'invalid_scenario');
  // A problem whose field is not shown (in a closed inject's form) is listed at the top with its
  // path; "Visa inspelet" opens the inject at that field.
  await row(page, 'vag-1').locator('[data-action="edit"]').click();
  await field(page, 'vag-1', '$.location').locator('input').fill('');
  await row(page, 'vag-1').locator('[data-action="edit"]').click();
  await page.locator('#problems-top').waitFor({ timeout: 5000 });
  assert.match(await page.locator('#problems-list').textContent(), /\$\.injects\[\d+\]\.location \(vag-1, 01:00\)/);
  await page.locator('#problems-list li', { hasText: 'location' }).locator('button').click();
  await field(page, 'vag-1', '$.location').locator('.fe-problems li').waitFor({ timeout: 5000 });
  assert.ok(await page.locator('#problems-list li', { hasText: 'location' }).count() === 0, 'shown at its field now');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-field]')?.dataset.field.split('|')[1]), '$.location');
  await page.close();
});

test('anyone but a trainer or an admin is refused the editor: by the page and by the server', async () => {
  const requests = [];
  const anon = await suite.open('/scenario-editor.html');
  anon.on('request', (r) => requests.push(r.url()));
  await anon.locator('body[data-access="denied"]').waitFor({ timeout: 5000 });
  assert.match(await anon.locator('#denied').textContent(), /Endast för övningsledare/);
  assert.ok(await anon.locator('#editor').isHidden());
  assert.equal(await anon.locator('#open-scenario option').count(), 0);
  assert.equal(await anon.locator('#injects > li').count(), 0);

  const tib = await suite.openAs('tib-orebro', '/scenario-editor.html');
  await tib.locator('body[data-access="denied"]').waitFor({ timeout: 5000 });
  assert.match(await tib.locator('#denied').textContent(), /Endast för övningsledare/);
  assert.match(await tib.locator('#denied-text').textContent(), /rapportör/);
  assert.ok(await tib.locator('#editor').isHidden());
  assert.equal(await tib.locator('#open-scenario option').count(), 0);
  assert.ok(!requests.some((u) => u.includes('/api/scenario')), 'the anonymous page asked for no scenario');

  // The server's answer, not the page's: save and check as those users over a WebSocket.
  const scenario = { ...demo, id: 'intrang' };
  for (const user of [null, 'tib-orebro', 'viewer']) {
    const client = await server.client(user);
    const save = await client.command({ v: 1, type: 'save_scenario', id: 's-x', scenario, base_version: 0 });
    assert.equal(save.type, 'error', `${user}: save refused`);
    assert.equal(save.code, 'forbidden');
    client.send({ v: 1, type: 'check_scenario', id: 'k-x', scenario });
    const check = await client.next((m) => m.id === 'k-x');
    assert.equal(check.type, 'error', `${user}: check refused`);
    assert.equal(check.code, 'forbidden');
    const restore = await client.command({ v: 1, type: 'restore_scenario', id: 'r-x', scenario: 'demo-10min-kopia', version: 1 });
    assert.equal(restore.code, 'forbidden');
  }
  assert.equal((await getJson(server, '/api/scenarios')).status, 401);
  assert.equal((await getJson(server, '/api/scenarios', server.tokens['tib-orebro'])).status, 403);
  assert.equal((await fetch(server.url('/api/scenario?id=demo-10min'))).status, 401);
  assert.equal((await fetch(server.url('/api/scenario?id=demo-10min'),
    { headers: { Authorization: `Bearer ${server.tokens['tib-orebro']}` } })).status, 403);
  const list = (await getJson(server, '/api/scenarios', server.tokens.trainer)).body.scenarios;
  assert.ok(!list.some((s) => s.id === 'intrang'), 'nothing was saved');
  await anon.close();
  await tib.close();

  // An admin may do everything a trainer may: the editor opens with the scenarios.
  const admin = await suite.openAs('admin', '/scenario-editor.html', { viewport: VIEW });
  await admin.locator('body[data-access="trainer"]').waitFor({ timeout: 5000 });
  assert.ok(await admin.locator('#denied').isHidden());
  await admin.waitForFunction(() => document.querySelectorAll('#open-scenario option').length > 1, null, { timeout: 5000 });
  await admin.close();
});
