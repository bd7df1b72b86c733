// The board in headless Chromium: a report from a test client shows within 2 s; the connection
// indicator follows the server; screenshots are kept as test artifacts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { noRateLimits } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { browserSuite, swedishContext, artifactPath, WALL } from '../support/browser.mjs';

// The flood test sends thousands of reports from one connection: no rate limits.
const suite = browserSuite({ args: [...noRateLimits] });
let server;
let page;

before(async () => {
  ({ server } = await suite.ready);
  page = await suite.context.newPage();
  await page.setViewportSize(WALL);
});

const figure = (hospital, name) => page.locator(`[data-hospital="${hospital}"] [data-figure="${name}"]`).first();

test('the board shows the whole healthcare region on connect', async () => {
  await page.goto(server.url('/'));
  await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 5000 });
  assert.equal(await page.locator('[data-region]').count(), 7);
  assert.equal(await page.locator('[data-hospital]').count(), 18);
  assert.equal(await figure('akademiska', 'AdultICU').textContent(), '–');
  assert.equal(await page.locator('#exercise-banner').count(), 0, 'live is not an exercise');
  // Köping's ED is closed at night (config ed_hours): the badge says when it takes patients.
  const koping = page.locator('[data-hospital="koping"] .badge.ed');
  assert.equal(await koping.getAttribute('data-ed-hours'), '07–21');
  assert.match(await koping.getAttribute('title'), /stängd nattetid/);
  assert.equal(await page.locator('[data-hospital="uso"] .badge.ed').getAttribute('data-ed-hours'), '');
});

test('a report from another client shows on the board within 2 s, with totals', async () => {
  const reporter = await server.client('tib-uppsala');
  const sentAt = Date.now();
  const reply = await reporter.command(report('akademiska', {
    beds: { AdultICU: { available: 7 }, MedicalSurgical: { available: 42 } },
    reception: { P1: 3, P2: 6, P3: 14 },
    readiness: 'reinforced',
  }));
  assert.equal(reply.type, 'ack');
  await page.waitForFunction(
    () => document.querySelector('[data-hospital="akademiska"] [data-figure="AdultICU"]')?.textContent.trim() === '7',
    null, { timeout: 2000 });
  const shownAfterMs = Date.now() - sentAt;
  assert.ok(shownAfterMs < 2000, `shown after ${shownAfterMs} ms`);
  assert.equal((await figure('akademiska', 'MedicalSurgical').textContent()).trim(), '42');
  assert.equal((await figure('akademiska', 'P1').textContent()).trim(), '3');
  const card = await page.locator('[data-hospital="akademiska"]').first().textContent();
  assert.match(card, /Förstärkningsläge/, 'readiness shown as text, not colour alone');
  assert.match(card, /tib-uppsala/);
  // Only one hospital has reported, so the healthcare-region totals equal its figures.
  assert.equal((await page.locator('[data-total="AdultICU"]').first().textContent()).trim().split(/\s|\//)[0], '7');
  assert.equal((await page.locator('[data-total="P2"]').first().textContent()).trim(), '6');
  await page.screenshot({ path: artifactPath('board-1920x1080.png'), fullPage: false });

  const admin = await server.client('admin');
  const second = await admin.command(report('uso', { beds: { AdultICU: { available: 5 } }, reception: { P2: 4 } }));
  assert.equal(second.type, 'ack');
  await page.waitForFunction(
    () => document.querySelector('[data-total="P2"]')?.textContent.trim() === '10', null, { timeout: 2000 });
  // The changed figure is highlighted briefly, then calms down.
  const highlighted = page.locator('[data-hospital="uso"] .changed:has([data-figure="AdultICU"])');
  assert.equal(await highlighted.count(), 1, 'changed figure highlighted');
  await highlighted.waitFor({ state: 'detached', timeout: 6000 });
  assert.equal(await page.locator('[data-hospital="akademiska"] .changed').count(), 0, 'unchanged hospital not highlighted');
  await reporter.close();
  await admin.close();
});

test('in a flood the board ends current and does not refetch its trends on every snapshot', async () => {
  const historyFetches = [];
  const onRequest = (request) => { if (request.url().includes('/api/history')) historyFetches.push(request.url()); };
  page.on('request', onRequest);
  // A board beside the page, to see what the boards are sent.
  const witness = await server.client();
  await witness.nextOfType('snapshot');
  const admin = await server.client('admin');
  const hospitals = ['falun', 'mora', 'gavle'];
  let sent = 0;
  const floodStart = Date.now();
  for (let wave = 0; wave < 6; wave++) {  // six floods, 300 ms apart: each is coalesced
    const replies = await Promise.all(Array.from({ length: 600 }, () => {
      const i = sent++;
      return admin.command(report(hospitals[i % 3], { beds: { MedicalSurgical: { available: i % 50 } } }), 60000);
    }));
    assert.ok(replies.every((r) => r.type === 'ack'));
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const last = (hospital) => {
    for (let i = sent - 1; ; i--) if (hospitals[i % 3] === hospital) return String(i % 50);
  };
  for (const hospital of hospitals) {
    await page.waitForFunction(([id, value]) =>
      document.querySelector(`[data-hospital="${id}"] [data-figure="MedicalSurgical"]`)?.textContent.trim() === value,
    [hospital, last(hospital)], { timeout: 5000 });
  }
  page.off('request', onRequest);
  const snapshots = witness.received.filter((m) => m.type === 'snapshot').length;
  assert.ok(snapshots >= 6, `the floods were coalesced into snapshots (${snapshots})`);
  // The 18 trends reload at most once per 5 s of flood (plus once at its end): not 18 per
  // snapshot. A slower build (the sanitizers) floods for longer, so it may reload more often.
  const floodMs = Date.now() - floodStart;
  const reloads = 2 + Math.floor(floodMs / 5000);
  assert.ok(historyFetches.length <= reloads * 18,
    `${historyFetches.length} history requests for ${snapshots} snapshots in ${floodMs} ms`);
  assert.ok(historyFetches.length < snapshots * 18, 'fewer reloads than snapshots');
  await Promise.all([witness, admin].map((c) => c.close()));
});

test('a trend the server was too busy to read is fetched again after its Retry-After', async () => {
  const reporter = await server.client('admin');
  for (const available of [9, 8]) {
    assert.equal((await reporter.command(report('koping', { beds: { MedicalSurgical: { available } } }))).type, 'ack');
  }
  await reporter.close();
  const busyPage = await suite.context.newPage();
  await busyPage.setViewportSize(WALL);
  let refused = 0;
  await busyPage.route('**/api/history?hospital=koping*', (route) => {
    if (refused++ > 0) return route.continue();
    return route.fulfill({ status: 503, headers: { 'Retry-After': '1' }, contentType: 'application/json',
      body: JSON.stringify({ v: 1, type: 'error', id: null, code: 'busy', message: 'too many reads waiting' }) });
  });
  await busyPage.goto(server.url('/'));
  await busyPage.waitForFunction(
    () => document.querySelector('[data-hospital="koping"] [data-trend="MedicalSurgical"]')?.dataset.points === '2',
    null, { timeout: 8000 });
  assert.equal(refused, 2, 'refused once, then read');
  await busyPage.close();
});

test('the board shows when it is offline and resynchronises by itself', async () => {
  await server.stop();
  await page.locator('#connection:not([data-state="connected"])').waitFor({ timeout: 5000 });
  const offlineText = await page.locator('#connection').textContent();
  assert.match(offlineText, /Frånkopplad|Återansluter/);
  await page.screenshot({ path: artifactPath('board-offline.png') });

  // The page keeps its URL: the server comes back on the same port, with the same log.
  await server.start();
  await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 10000 });
  const reporter = await server.client('admin');
  assert.equal((await reporter.command(report('falun', { beds: { AdultICU: { available: 2 } } }))).type, 'ack');
  await page.waitForFunction(
    () => document.querySelector('[data-hospital="falun"] [data-figure="AdultICU"]')?.textContent.trim() === '2',
    null, { timeout: 2000 });
  // Nothing was lost across the restart either.
  assert.equal((await figure('akademiska', 'AdultICU').textContent()).trim(), '7');
  await reporter.close();
});

/**
 * A board of its own, whose clock the test moves: `hospital` reports a figure (then `afterReport`
 * runs, with an admin's client and the page); the card is fresh `freshFor` after the report and
 * INAKTUELL two minutes later. Returns the card and the context, for the test to close.
 */
async function goesStale(hospital, freshFor, afterReport = async () => {}) {
  const context = await swedishContext(suite.browser);  // its own clock
  const wall = await context.newPage();
  await wall.clock.install();
  await wall.goto(server.url('/'));
  await wall.locator('#connection[data-state="connected"]').waitFor();
  const admin = await server.client('admin');
  assert.equal((await admin.command(report(hospital, { beds: { AdultICU: { available: 1 } } }))).type, 'ack');
  await wall.waitForFunction((id) =>
    document.querySelector(`[data-hospital="${id}"] [data-figure="AdultICU"]`)?.textContent.trim() === '1', hospital);
  await afterReport(admin, wall);
  const card = wall.locator(`[data-hospital="${hospital}"]`).first();
  assert.equal(await card.getAttribute('data-stale'), 'false');
  await wall.clock.fastForward(freshFor);
  assert.equal(await card.getAttribute('data-stale'), 'false', 'fresh before the limit');
  await wall.clock.fastForward('02:00');
  await wall.waitForFunction((id) =>
    document.querySelector(`[data-hospital="${id}"]`)?.getAttribute('data-stale') === 'true', hospital, { timeout: 2000 });
  return { card, context };
}

test('a hospital that has not reported within stale_after_minutes is marked INAKTUELL', async () => {
  const { card, context } = await goesStale('torsby', '59:00');
  assert.match(await card.textContent(), /INAKTUELL/);
  await context.close();
});

test('a region\'s readiness level is its hospitals\' too: at stabsläge they are INAKTUELL after 30 min', async () => {
  const { card, context } = await goesStale('arvika', '29:00', async (admin, wall) => {
    assert.equal((await admin.command({
      v: 1, type: 'set_region_readiness', id: 'g-1', space: 'live', region: 'varmland', level: 'staff',
    })).type, 'ack');
    await wall.waitForFunction(() => document.querySelector('[data-region="varmland"]')?.dataset.readiness === 'staff');
  });
  assert.match(await card.locator('.stale-tag').getAttribute('title'), /äldre än 30 min \(gränsen i stabsläge\)/);
  await context.close();
});
