// "Lägesbild nu" in headless Chromium: one click on the board opens the summary; its figures are
// the server's; in print it is one A4 page with LIVE or ÖVNING at the top; the CSV and JSON
// download from the page; an exercise's summary is ÖVNING on screen, in print and in its files.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { report } from '../support/client.mjs';
import { browserSuite, artifactPath, LAPTOP } from '../support/browser.mjs';

const suite = browserSuite();
let server;
before(async () => { ({ server } = await suite.ready); });

/** The number of pages of a PDF that Chromium printed. */
const pdfPages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;

test('one click on the board opens the summary of what the board shows, printable on one page', async () => {
  const tib = await server.client('tib-uppsala');
  assert.equal((await tib.command(report('akademiska', { beds: { AdultICU: { available: 5 }, MedicalSurgical: { available: 40 } },
    reception: { P1: 4, P2: 8, P3: 20 } }))).type, 'ack');
  assert.equal((await tib.command({ v: 1, type: 'set_region_readiness', id: 'rd-1', space: 'live', region: 'uppsala',
    level: 'staff', reason: 'Bussolycka på E4' })).type, 'ack');
  const admin = await server.client('admin');
  const posted = await admin.command({ v: 1, type: 'post_message', id: 'al-1', space: 'live', kind: 'alert',
    to: ['uppsala', 'dalarna'], level: 'staff', text: 'Bussolycka E4 vid Knivsta' });
  assert.equal(posted.type, 'ack');

  const board = await suite.open('/', { viewport: LAPTOP });
  const link = board.locator('#summary-link');
  assert.equal((await link.textContent()).trim(), 'Lägesbild nu');
  const [page] = await Promise.all([board.context().waitForEvent('page'), link.click()]);
  await page.locator('body[data-state="ready"]').waitFor({ timeout: 5000 });
  assert.match(await page.locator('#s-title').textContent(), /Lägesbild nu – Sjukvårdsregion Mellansverige/);
  assert.equal((await page.locator('#s-label').textContent()).trim(), 'LIVE');

  const uppsala = page.locator('tr[data-row="region"][data-id="uppsala"]');
  assert.match(await uppsala.locator('.c-level').textContent(), /Stabsläge.*satt \d\d:\d\d av tib-uppsala.*Bussolycka på E4/);
  const icu = uppsala.locator('td.c-num').nth(0);
  assert.match(await icu.textContent(), /^5 av \d+1 sjukhus saknas$/, 'the sum says it lacks a hospital');
  assert.match(await uppsala.locator('td.c-num').nth(3).textContent(), /^4 · 8 · 20/);
  assert.match(await uppsala.locator('.c-acks').textContent(), /⚠ 1/);
  const akademiska = page.locator('tr[data-row="hospital"][data-id="akademiska"]');
  assert.match(await akademiska.locator('td.c-num').nth(0).textContent(), /^5 av \d+$/);
  const falun = page.locator('tr[data-row="hospital"][data-id="falun"]');
  assert.match(await falun.locator('td.c-num').nth(0).textContent(), /^– av \d+$/, 'unknown is –, never 0');
  assert.match(await falun.locator('.c-fresh').textContent(), /aldrig rapporterat/);
  const open = page.locator(`#open-rows tr[data-message="live:${posted.seq}"]`);
  assert.match(await open.textContent(), /Larm – Stabsläge.*Bussolycka E4 vid Knivsta/);
  assert.match(await open.locator('.c-pending').textContent(), /Dalarna, Uppsala|Uppsala, Dalarna/);
  assert.match(await page.locator('#summary-warnings').textContent(), /sjukhus har aldrig rapporterat/);
  await page.screenshot({ path: artifactPath('summary.png'), fullPage: true });

  // Hiding the hospitals shows the regions only.
  await page.locator('#show-hospitals').uncheck();
  assert.equal(await akademiska.isVisible(), false);
  assert.equal(await uppsala.isVisible(), true);
  await page.locator('#show-hospitals').check();

  // In print: one A4 page, LIVE at the top, no buttons.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.print-header').isVisible(), true);
  assert.equal((await page.locator('#print-word').textContent()).trim(), 'LIVE');
  assert.equal(await page.locator('#print').isVisible(), false);
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  assert.equal(pdfPages(pdf), 1, 'one page with all 18 hospitals');
  await page.screenshot({ path: artifactPath('summary-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // The CSV downloads from the page with its Swedish columns.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^\uFEFF# LIVE – /);
  assert.match(csv, /"nivå";"region";"sjukhus";"beredskapsläge";"beslutat av"/);
  assert.match(download.suggestedFilename(), /\.csv$/);
  await page.close();
  await board.close();
});

test('an exercise\'s summary says ÖVNING on screen, in print and in its file names', async () => {
  const trainer = await server.client('trainer');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'x-1', scenario: 'demo-10min', paused: true });
  assert.equal(started.type, 'ack', JSON.stringify(started));
  const board = await suite.open(`/?space=${encodeURIComponent(started.space)}`, { viewport: LAPTOP });
  assert.match(await board.locator('#summary-link').getAttribute('href'), new RegExp(`summary\\.html\\?space=${started.space}`));
  const page = await suite.open(`/summary.html?space=${encodeURIComponent(started.space)}`, { waitFor: 'body[data-state="ready"]' });
  assert.equal((await page.locator('#s-label').textContent()).trim(), 'ÖVNING');
  assert.equal(await page.locator('#exercise-banner').isVisible(), true);
  assert.match(await page.title(), /^ÖVNING – Lägesbild nu/);
  assert.match(await page.locator('#s-meta').textContent(), /Övning: /);
  await page.emulateMedia({ media: 'print' });
  assert.equal((await page.locator('#print-word').textContent()).trim(), 'ÖVNING');
  await page.emulateMedia({ media: 'screen' });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
  assert.match(download.suggestedFilename(), /^OVNING-/);
  const json = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(json.label, 'ÖVNING');
  await page.screenshot({ path: artifactPath('summary-exercise.png'), fullPage: true });
  await page.close();
  await board.close();
});

test('an unknown space says so instead of an empty table', async () => {
  const page = await suite.open('/summary.html?space=finns-inte', { waitFor: '#summary-error:not([hidden])' });
  assert.match(await page.locator('#summary-error').textContent(), /inget sådant läge/);
  await page.close();
});
