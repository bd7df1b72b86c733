// The trainer page in headless Chromium: start, pause and resume an exercise; the board shows the
// ÖVNING banner and the exercise clock; the review page lists the checkpoints (for trainers while
// the exercise runs) and exports with the token. The scenarios are listed with the trainer's token
// as a Bearer header, and "Läs om scenarier" has the server read them again.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/server.mjs';
import { withServer, scratchDir } from '../support/fixture.mjs';
import { browserSuite, artifactPath, WALL } from '../support/browser.mjs';

const suite = browserSuite();
let server;
let context;

before(async () => {
  ({ server, context } = await suite.ready);
});

const elapsedOf = async (page) => Number(await page.locator('#exercise-clock').getAttribute('data-elapsed-ms'));

test('a trainer starts, pauses and resumes; the board shows ÖVNING and the clock; the review lists checkpoints', async () => {
  const trainer = await suite.openAs('trainer', '/trainer.html', { viewport: { width: 1440, height: 900 } });
  const card = trainer.locator('article[data-scenario="demo-10min"]');
  await card.waitFor();
  assert.equal(await card.getAttribute('data-valid'), 'true');
  assert.equal(await trainer.locator('article[data-scenario="sydost-e4-granna"]').getAttribute('data-valid'), 'false');
  await trainer.locator('button[data-action="start"][data-scenario="demo-10min"]').click();
  await trainer.waitForURL(/space=ovning-demo-10min-/, { timeout: 5000 });
  const space = new URL(trainer.url()).searchParams.get('space');
  await trainer.locator('#exercise-clock[data-status="running"]').waitFor({ timeout: 5000 });
  await trainer.locator('#timeline [data-inject="larm"][data-state="past"]').waitFor({ timeout: 5000 });

  const board = await suite.open(`/?space=${space}`, { viewport: WALL, waitFor: '#exercise-banner' });
  assert.match(await board.locator('#exercise-banner').textContent(), /ÖVNING/);
  await board.locator('#exercise-clock[data-status="running"]').waitFor();

  // Pause: both clocks stop.
  await trainer.locator('button[data-action="pause"]').click();
  await trainer.locator('#control-result[data-state="ok"]').waitFor({ timeout: 5000 });
  await board.locator('#exercise-clock[data-status="paused"]').waitFor({ timeout: 2000 });
  const paused = await elapsedOf(board);
  await board.waitForTimeout(1500);
  assert.ok(Math.abs((await elapsedOf(board)) - paused) < 1000, 'the paused clock stands still');

  // Resume at 60x: the clock runs again, fast.
  await trainer.locator('button[data-speed="60"]').click();
  await trainer.locator('#control-result[data-state="ok"]').waitFor();
  await trainer.locator('button[data-action="resume"]').click();
  await board.locator('#exercise-clock[data-status="running"]').waitFor({ timeout: 2000 });
  await board.waitForFunction((from) => Number(document.querySelector('#exercise-clock').dataset.elapsedMs) > from + 30000,
    paused, { timeout: 5000 });
  await board.screenshot({ path: artifactPath('board-exercise.png') });
  await trainer.screenshot({ path: artifactPath('trainer-page.png') });

  // Live is not an exercise: no banner there.
  const live = await suite.open('/');
  assert.equal(await live.locator('#exercise-banner').count(), 0);

  // While the exercise runs the review is for trainers: without a token the page says so and
  // offers the sign-in box; signed in as a trainer it shows the checkpoints.
  const review = await context.newPage();
  const reviewRequests = [];
  review.on('request', (request) => { if (request.url().includes('/api/review')) reviewRequests.push(request); });
  await review.goto(server.url(`/review.html?space=${space}`));
  await review.locator('#review-locked').waitFor({ timeout: 5000 });
  assert.match(await review.locator('#review-locked').textContent(),
    /bara för övningsledare medan övningen pågår.*öppen för alla/s);
  await review.screenshot({ path: artifactPath('review-locked.png') });
  await review.fill('#token', server.tokens.trainer);
  await review.click('#sign-in');
  await review.locator('#checkpoints tr[data-checkpoint]').first().waitFor({ timeout: 5000 });
  assert.ok(await review.locator('#review-locked').isHidden());
  const demo = JSON.parse(readFileSync(join(repoRoot, 'scenarios', 'demo-10min.json'), 'utf8'));
  assert.equal(await review.locator('#checkpoints tr[data-checkpoint]').count(),
    demo.injects.filter((i) => i.kind === 'checkpoint').length);
  const statuses = await review.locator('#checkpoints tr[data-checkpoint]').evaluateAll((rows) => rows.map((r) => r.dataset.status));
  assert.ok(statuses.every((s) => ['met', 'not_met', 'pending'].includes(s)), statuses.join());
  assert.match(await review.locator('body').textContent(), /ÖVNING/);
  assert.ok(await review.locator('#review-warnings').isHidden(), 'nothing missing from this review');
  await review.screenshot({ path: artifactPath('review-page.png'), fullPage: true });

  // The CSV export needs the token too: fetched with it and saved as OVNING-<space>.csv.
  const [download] = await Promise.all([review.waitForEvent('download'), review.click('#export-csv')]);
  assert.equal(download.suggestedFilename(), `OVNING-${space}.csv`);
  assert.match(readFileSync(await download.path(), 'utf8'), /kontrollpunkt/);
  const csv = reviewRequests.find((r) => r.url().includes('format=csv'));
  assert.equal(csv.headers().authorization, `Bearer ${server.tokens.trainer}`);
  for (const request of reviewRequests) assert.ok(!request.url().includes(server.tokens.trainer));

  // A review of only the first events, or with unreadable ones, says so.
  await review.route('**/api/review?*', async (route) => {
    if (route.request().url().includes('format=csv')) return route.continue();
    const response = await route.fetch();
    const body = await response.json();
    await route.fulfill({ response, json: { ...body, truncated: true, events_read: 200000, unreadable: [5, 7] } });
  });
  await review.reload();
  await review.locator('#review-warnings li').first().waitFor({ timeout: 5000 });
  const warnings = await review.locator('#review-warnings').textContent();
  assert.match(warnings, /bara de första 200\s000 händelserna/);
  assert.match(warnings, /2 händelser i loggen kunde inte läsas.*nr 5, 7/);
  await review.unroute('**/api/review?*');
  for (const page of [trainer, board, live, review]) await page.close();
});

test('the scenarios are the trainers\': a viewer is told so, and cannot reload them', async () => {
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => { if (request.url().includes('/api/scenarios')) requests.push(request); });
  await page.goto(server.url(`/trainer.html#token=${server.tokens.viewer}`));
  await page.locator('#user').filter({ hasText: 'viewer' }).waitFor({ timeout: 5000 });
  await page.locator('#scenarios-empty').filter({ hasText: 'bara för övningsledare' }).waitFor({ timeout: 5000 });
  assert.equal(await page.locator('article[data-scenario]').count(), 0);
  assert.ok(await page.locator('#reload-scenarios').isDisabled());
  assert.ok(requests.some((r) => r.headers().authorization === `Bearer ${server.tokens.viewer}`));
  await page.close();
});

test('an admin leads exercises too: the scenarios are listed and the controls are open', async () => {
  const page = await context.newPage();
  await page.goto(server.url(`/trainer.html#token=${server.tokens.admin}`));
  await page.locator('#user').filter({ hasText: 'Administratör' }).waitFor({ timeout: 5000 });
  await page.locator('article[data-scenario="demo-10min"]').waitFor({ timeout: 5000 });
  assert.equal(await page.locator('body').getAttribute('data-can-control'), 'true');
  assert.ok(await page.locator('#control-note').isHidden());
  assert.ok(await page.locator('#reload-scenarios').isEnabled());
  assert.ok(await page.locator('button[data-action="start"][data-scenario="demo-10min"]').isEnabled());
  await page.close();
});

test('"Läs om scenarier" has the server read the scenario files again, and the list follows', async () => {
  // A server of its own, on a copy of scenarios/ that the test may change.
  const scenarios = scratchDir('lagesbild-scenarios-');
  cpSync(join(repoRoot, 'scenarios'), scenarios.path, { recursive: true });
  await withServer({ args: ['--scenarios', scenarios.path] }, async (own) => {
    const page = await context.newPage();
    const requests = [];
    page.on('request', (request) => { if (request.url().includes('/api/scenarios')) requests.push(request); });
    await page.goto(own.url(`/trainer.html#token=${own.tokens.trainer}`));
    await page.locator('article[data-scenario="demo-10min"]').waitFor({ timeout: 5000 });
    await page.locator('#user').filter({ hasText: 'trainer' }).waitFor();
    const before = await page.locator('article[data-scenario]').count();
    assert.equal(await page.locator('article[data-scenario="demo-kopia"]').count(), 0);

    const demo = JSON.parse(readFileSync(join(scenarios.path, 'demo-10min.json'), 'utf8'));
    writeFileSync(join(scenarios.path, 'demo-kopia.json'),
      JSON.stringify({ ...demo, id: 'demo-kopia', name: 'Demo, kopia för omläsning' }, null, 2));
    await page.locator('#reload-scenarios:not([disabled])').click();
    await page.locator('#reload-result[data-state="ok"]').waitFor({ timeout: 5000 });
    assert.match(await page.locator('#reload-result').textContent(), new RegExp(`${before + 1} scenarier, 1 med fel`));
    await page.locator('article[data-scenario="demo-kopia"]').waitFor({ timeout: 5000 });
    assert.equal(await page.locator('article[data-scenario="demo-kopia"]').getAttribute('data-valid'), 'true');
    assert.equal(await page.locator('article[data-scenario]').count(), before + 1);
    assert.ok(requests.length >= 2, 'the list was fetched again');
    for (const request of requests) {
      assert.equal(request.headers().authorization, `Bearer ${own.tokens.trainer}`);
      assert.ok(!request.url().includes(own.tokens.trainer));
    }
    await page.close();
  });
});
