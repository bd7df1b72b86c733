// The report page sends a capacity report; its sender sees the durable ack and the board shows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, makeTempDir, getJson } from '../support/server.mjs';
import { launchBrowser, artifactPath } from '../support/browser.mjs';

let dir;
let server;
let chromium;

before(async () => {
  dir = makeTempDir();
  server = await startServer({ dbPath: `${dir.path}/log.db` });
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await server?.stop();
  dir?.remove();
});

test('a report sent from the form is acknowledged and reaches the board', async () => {
  const context = await chromium.browser.newContext({ locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  const board = await context.newPage();
  await board.setViewportSize({ width: 1920, height: 1080 });
  await board.goto(server.url('/'));
  await board.locator('#connection[data-state="connected"]').waitFor();

  const form = await context.newPage();
  await form.setViewportSize({ width: 1280, height: 900 });
  await form.goto(server.url('/report.html'));
  await form.locator('#connection[data-state="connected"]').waitFor();
  await form.selectOption('select[name="hospital"]', 'karlstad');
  await form.fill('input[name="reporter"]', 'tib-varmland');
  await form.fill('input[name="AdultICU"]', '6');
  await form.fill('input[name="P1"]', '2');
  await form.selectOption('select[name="ed_status"]', 'restricted');
  await form.click('#report-form [type="submit"]');
  await form.locator('#report-result[data-state="ok"]').waitFor({ timeout: 5000 });
  await form.screenshot({ path: artifactPath('report-page.png'), fullPage: true });

  await board.waitForFunction(
    () => document.querySelector('[data-hospital="karlstad"] [data-figure="AdultICU"]')?.textContent.trim() === '6',
    null, { timeout: 2000 });
  assert.equal(await board.locator('[data-hospital="karlstad"]').getAttribute('data-ed'), 'restricted');
  const { body } = await getJson(server, '/api/state');
  const karlstad = body.state.hospitals.find((h) => h.id === 'karlstad');
  assert.equal(karlstad.beds.AdultICU.reported_by, 'tib-varmland');
  assert.equal(karlstad.reception.P1.value, 2);
  assert.equal(karlstad.beds.MedicalSurgical.available, null, 'empty fields are not sent');
  await context.close();
});

test('the form refuses an impossible figure before sending, and nothing is stored', async () => {
  const page = await chromium.browser.newPage();
  await page.goto(server.url('/report.html'));
  await page.locator('#connection[data-state="connected"]').waitFor();
  const before = (await getJson(server, '/healthz')).body.spaces.live;
  await page.selectOption('select[name="hospital"]', 'torsby');
  await page.fill('input[name="AdultICU"]', '500');
  await page.click('#report-form [type="submit"]');
  await page.locator('#err-AdultICU').filter({ hasText: /\S/ }).waitFor({ timeout: 2000 });
  assert.notEqual(await page.locator('#report-result').getAttribute('data-state'), 'ok');
  assert.equal((await getJson(server, '/healthz')).body.spaces.live, before);
  await page.close();
});
