// The trainer page in headless Chromium: start, pause and resume an exercise; the board shows the
// ÖVNING banner and the exercise clock; the review page lists the checkpoints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeTempDir } from '../support/server.mjs';
import { launchBrowser, artifactPath } from '../support/browser.mjs';

let dir;
let server;
let chromium;
let context;

before(async () => {
  dir = makeTempDir();
  server = await startServer({ dbPath: `${dir.path}/log.db` });
  chromium = await launchBrowser();
  context = await chromium.browser.newContext({ locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  context.on('page', (page) => page.on('pageerror', (error) => { throw error; }));
});

after(async () => {
  await chromium?.close();
  await server?.stop();
  dir?.remove();
});

const elapsedOf = async (page) => Number(await page.locator('#exercise-clock').getAttribute('data-elapsed-ms'));

test('a trainer starts, pauses and resumes; the board shows ÖVNING and the clock; the review lists checkpoints', async () => {
  const trainer = await context.newPage();
  await trainer.setViewportSize({ width: 1440, height: 900 });
  await trainer.goto(server.url(`/trainer.html#token=${server.tokens.trainer}`));
  const card = trainer.locator('article[data-scenario="demo-10min"]');
  await card.waitFor();
  assert.equal(await card.getAttribute('data-valid'), 'true');
  assert.equal(await trainer.locator('article[data-scenario="sydost-e4-granna"]').getAttribute('data-valid'), 'false');
  await trainer.locator('button[data-action="start"][data-scenario="demo-10min"]').click();
  await trainer.waitForURL(/space=ovning-demo-10min-/, { timeout: 5000 });
  const space = new URL(trainer.url()).searchParams.get('space');
  await trainer.locator('#exercise-clock[data-status="running"]').waitFor({ timeout: 5000 });
  await trainer.locator('#timeline [data-inject="larm"][data-state="past"]').waitFor({ timeout: 5000 });

  const board = await context.newPage();
  await board.setViewportSize({ width: 1920, height: 1080 });
  await board.goto(server.url(`/?space=${space}`));
  await board.locator('#exercise-banner').waitFor({ timeout: 5000 });
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
  const live = await context.newPage();
  await live.goto(server.url('/'));
  await live.locator('#connection[data-state="connected"]').waitFor();
  assert.equal(await live.locator('#exercise-banner').count(), 0);

  const review = await context.newPage();
  await review.goto(server.url(`/review.html?space=${space}`));
  await review.locator('#checkpoints tr[data-checkpoint]').first().waitFor({ timeout: 5000 });
  assert.equal(await review.locator('#checkpoints tr[data-checkpoint]').count(), 5);
  const statuses = await review.locator('#checkpoints tr[data-checkpoint]').evaluateAll((rows) => rows.map((r) => r.dataset.status));
  assert.ok(statuses.every((s) => ['met', 'missed', 'not_done'].includes(s)));
  assert.match(await review.locator('body').textContent(), /ÖVNING/);
  await review.screenshot({ path: artifactPath('review-page.png'), fullPage: true });
  for (const page of [trainer, board, live, review]) await page.close();
});
