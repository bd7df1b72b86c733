// The board's Grannar section in headless Chromium, with two real instances: Sydöstra
// (config/sydost.json) and Mellansverige with Sydöstra as its neighbour feed. A report in
// Linköping shows on Mellansverige's live board within a poll interval; when Sydöstra stops, the
// section says the feed does not answer and marks its cards as not current; an exercise board has
// no section.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { scratchDir, startFixture } from '../support/fixture.mjs';
import { launchBrowser, swedishContext, artifactPath, WALL } from '../support/browser.mjs';

const dir = scratchDir('lagesbild-neighbours-');
let sydost, mellansverige, chromium, context;

before(async () => {
  sydost = await startFixture({ dir, db: 'sydost.db', users: [{ id: 'admin', role: 'admin' }],
    args: ['--config', join(repoRoot, 'config', 'sydost.json')] });
  const config = JSON.parse(readFileSync(join(repoRoot, 'config', 'mellansverige.json'), 'utf8'));
  config.neighbours = [{ name: 'Sydöstra sjukvårdsregionen', url: sydost.url('/api/have'),
    hospitals: ['linkoping', 'ryhov'], interval_seconds: 1, timeout_seconds: 1 }];
  const configPath = join(dir.path, 'mellansverige.json');
  writeFileSync(configPath, JSON.stringify(config));
  mellansverige = await startFixture({ dir, db: 'mellansverige.db', args: ['--config', configPath] });
  chromium = await launchBrowser();
  context = await swedishContext(chromium.browser);
});
after(async () => {
  await chromium?.close();
  await mellansverige?.dispose();
  await sydost?.dispose();
});

async function openBoard(path = '/') {
  const page = await context.newPage();
  await page.setViewportSize(WALL);
  await page.goto(mellansverige.url(path));
  await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 5000 });
  return page;
}

test('Linköping on Mellansverige\'s board: read-only, its figures and age, the feed answering', async () => {
  const page = await openBoard();
  const section = page.locator('#neighbours');
  await section.locator('[data-neighbour="linkoping"]').waitFor({ timeout: 5000 });
  assert.match(await section.locator('.nb-title').textContent(), /Grannar/);
  assert.match(await section.locator('.nb-feed-name').textContent(), /Sydöstra sjukvårdsregionen/);
  const card = section.locator('[data-neighbour="linkoping"]');
  assert.match(await card.textContent(), /Universitetssjukhuset i Linköping/);
  assert.match(await card.textContent(), /endast läsning/);
  assert.match(await card.textContent(), /Ej rapporterat – bara planeringsvärden/);
  await section.locator('.nb-feed[data-health="answering"]').waitFor({ timeout: 5000 });
  assert.match(await section.locator('.nb-health').textContent(), /Senast hämtat/);

  const admin = await sydost.client('admin');
  const ack = await admin.command(report('linkoping', { beds: { Burn: { available: 3 } }, ed_status: 'diversion' }));
  assert.equal(ack.type, 'ack', JSON.stringify(ack));
  const burn = card.locator('[data-figure="Burn"] .num');
  await page.waitForFunction(() => document.querySelector('[data-neighbour="linkoping"] [data-figure="Burn"] .num')?.textContent === '3',
    null, { timeout: 3000 });
  assert.equal(await burn.textContent(), '3');
  assert.match(await page.locator('[data-neighbour="linkoping"]').textContent(), /Stängd för ambulans/);
  assert.match(await page.locator('[data-neighbour="linkoping"]').textContent(), /Rapporterat för 0 min sedan|Rapporterat nyss/);
  assert.equal(await page.locator('[data-neighbour="linkoping"]').getAttribute('data-stale'), 'false');
  // Our own picture is untouched: the neighbour is in its own section only.
  assert.equal(await page.locator('#regions [data-hospital="linkoping"]').count(), 0);
  await page.screenshot({ path: artifactPath('neighbours-answering.png') });
  await page.close();
});

test('a feed that stops answering is said in words, and its cards are marked not current', async () => {
  const page = await openBoard();
  await page.locator('.nb-feed[data-health="answering"]').waitFor({ timeout: 5000 });
  await sydost.stop();
  await page.locator('.nb-feed[data-health="dead"]').waitFor({ timeout: 5000 });
  const health = await page.locator('.nb-health').textContent();
  assert.match(health, /FLÖDET SVARAR INTE sedan .* går inte att nå\. Senast hämtat/);
  const card = page.locator('[data-neighbour="linkoping"]');
  assert.equal(await card.getAttribute('data-dead'), 'true');
  assert.match(await card.textContent(), /EJ AKTUELL/);
  assert.equal(await card.locator('[data-figure="Burn"] .num').textContent(), '3', 'the last figures stay, marked');
  await page.screenshot({ path: artifactPath('neighbours-dead.png') });
  await sydost.start();
  await page.locator('.nb-feed[data-health="answering"]').waitFor({ timeout: 5000 });
  assert.equal(await page.locator('[data-neighbour="linkoping"]').getAttribute('data-dead'), 'false');
  await page.close();
});

test('an exercise board shows no neighbours', async () => {
  const trainer = await mellansverige.client('trainer');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'nb-ex', scenario: 'demo-10min' });
  assert.equal(started.type, 'ack', JSON.stringify(started));
  const page = await openBoard(`/?space=${started.space}`);
  await page.waitForTimeout(2000);  // two poll intervals
  assert.equal(await page.locator('#neighbours').isHidden(), true);
  assert.equal(await page.locator('[data-neighbour]').count(), 0);
  await page.close();
});
