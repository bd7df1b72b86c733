// Decisions (beslut) in headless Chromium: a TiB user declares allvarlig händelse and decides the
// receiving hospitals on the TiB page, each shown as saved only after the server's ack; the board's
// decisions log shows them newest first, in Swedish words, and the region (and a hospital that
// declares) carries the ALLVARLIG HÄNDELSE flag until it is stood down.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { getJson } from '../support/server.mjs';
import { browserSuite, artifactPath, WALL, LAPTOP, TABLET } from '../support/browser.mjs';

const suite = browserSuite();
let server;

before(async () => {
  ({ server } = await suite.ready);
});

const REASON = 'Brand på nattklubb, minst 40 skadade';

/** Clicks `action` in decision form `form` and waits for its result line to say it was saved. */
async function decide(tib, form, action) {
  const result = tib.locator(`[data-result="${form}"]`);
  const before = await result.textContent();
  await tib.click(`#d-${form} button[data-action="${action}"]`);
  await tib.waitForFunction(([f, old]) => {
    const el = document.querySelector(`[data-result="${f}"]`);
    return el && el.dataset.state && el.dataset.state !== 'pending' && el.textContent !== old;
  }, [form, before], { timeout: 5000 });
  const text = await result.textContent();
  assert.equal(await result.getAttribute('data-state'), 'ok', `${form}: ${text}`);
  assert.match(text, /^Sparat \(nr \d+\)/);
  return Number(/nr (\d+)/.exec(text)[1]);
}

test('a TiB user declares allvarlig händelse and decides receiving hospitals; the board logs both and flags the region', async () => {
  // A larm to Uppsala, so that the receiving decision can name it.
  const admin = await server.client('admin');
  const larm = await admin.command({ v: 1, type: 'post_message', id: 'larm-1', space: 'live', kind: 'alert',
    level: 'staff', to: ['uppsala'], text: 'Brand på nattklubb i Uppsala, många skadade.' });
  assert.equal(larm.type, 'ack');
  const larmId = `live:${larm.seq}`;

  const board = await suite.open('/', { viewport: WALL });
  const tib = await suite.openAs('tib-uppsala', '/tib.html', { viewport: LAPTOP });
  await tib.locator('#d-major').waitFor();
  assert.equal(await board.locator('[data-region="uppsala"]').getAttribute('data-major-incident'), '',
    'never declared: no flag');
  assert.ok(await board.locator('[data-region="uppsala"] .region-mi').isHidden());

  // Allvarlig händelse for the region, with a reason.
  await tib.selectOption('#d-major-scope', '');
  await tib.fill('#d-major-reason', REASON);
  const declaredSeq = await decide(tib, 'major', 'declare');
  assert.equal(await tib.locator('#d-major-reason').inputValue(), '', 'the reason is emptied once saved');
  await tib.locator('#major-incident-status[data-major-incident="true"]').waitFor({ timeout: 2000 });

  // Receiving hospitals from the whole healthcare region, for the larm.
  await tib.check('#d-receiving input[name="hospitals"][value="akademiska"]');
  await tib.check('#d-receiving input[name="hospitals"][value="enkoping"]');
  await tib.check('#d-receiving input[name="hospitals"][value="vasteras"]');
  await tib.selectOption('#d-receiving-incident', larmId);
  const receivingSeq = await decide(tib, 'receiving', 'receiving');
  assert.ok(receivingSeq > declaredSeq);

  // The board: newest first, in words, with who and the reason; the region flagged.
  const entries = board.locator('#decisions-list li[data-seq]');
  await board.waitForFunction((n) => document.querySelectorAll('#decisions-list li[data-seq]').length >= n, 2, { timeout: 2000 });
  assert.deepEqual(await entries.evaluateAll((els) => els.slice(0, 2).map((e) => [Number(e.dataset.seq), e.dataset.decision])),
    [[receivingSeq, 'receiving_hospitals'], [declaredSeq, 'major_incident_declared']]);
  const newest = await entries.nth(0).innerText();
  assert.match(newest, /Mottagande sjukhus: Akademiska sjukhuset, Lasarettet i Enköping, Västmanlands sjukhus Västerås/);
  assert.match(newest, /gäller larm \d\d:\d\d/);
  assert.match(newest, /av tib-uppsala/);
  assert.match(newest, /nyss|för \d+ min sedan/);
  const declared = await entries.nth(1).innerText();
  assert.match(declared, /Allvarlig händelse utlöst – Region Uppsala/);
  assert.match(declared, new RegExp(`Motivering: ${REASON}`));
  const region = board.locator('[data-region="uppsala"]');
  await board.waitForFunction(() => document.querySelector('[data-region="uppsala"]')?.dataset.majorIncident === 'true',
    null, { timeout: 2000 });
  assert.ok(await region.locator('.region-mi').isVisible());
  assert.match(await region.locator('.region-mi').innerText(), /ALLVARLIG HÄNDELSE/);
  assert.ok(await board.locator('[data-region="orebro"] .region-mi').isHidden(), 'only the declaring region');
  await board.screenshot({ path: artifactPath('board-decisions.png') });

  // Filtered per region.
  await board.selectOption('#decisions-region', 'orebro');
  assert.equal(await entries.count(), 0);
  assert.ok(await board.locator('#decisions-empty').isVisible());
  await board.selectOption('#decisions-region', 'uppsala');
  assert.ok(await entries.count() >= 2);

  // A hospital's own declaration flags its card; standing down the region takes the region's flag.
  await tib.selectOption('#d-major-scope', 'akademiska');
  await decide(tib, 'major', 'declare');
  await board.locator('[data-hospital="akademiska"] .h-mi:not([hidden])').waitFor({ timeout: 2000 });
  assert.match(await board.locator('[data-hospital="akademiska"] .h-mi').innerText(), /ALLVARLIG HÄNDELSE/);
  assert.ok(await board.locator('[data-hospital="enkoping"] .h-mi').isHidden());
  await tib.selectOption('#d-major-scope', '');
  await decide(tib, 'major', 'stand-down');
  await board.waitForFunction(() => document.querySelector('[data-region="uppsala"]')?.dataset.majorIncident === 'false',
    null, { timeout: 2000 });
  assert.ok(await region.locator('.region-mi').isHidden());
  assert.match(await entries.nth(0).innerText(), /Allvarlig händelse avblåst – Region Uppsala/);

  // The server holds what the page sent, by whom.
  const { decisions } = (await getJson(server, '/api/state')).body.state;
  const receiving = decisions.find((d) => d.seq === receivingSeq);
  assert.deepEqual(receiving.hospitals, ['akademiska', 'enkoping', 'vasteras']);
  assert.equal(receiving.incident, larmId);
  assert.equal(receiving.by, 'tib-uppsala');
  assert.equal(decisions.find((d) => d.seq === declaredSeq).reason, REASON);
  await tib.screenshot({ path: artifactPath('tib-decisions.png'), fullPage: true });
  await tib.setViewportSize(TABLET);
  assert.ok(await tib.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll on a tablet');
  await tib.screenshot({ path: artifactPath('tib-decisions-tablet.png'), fullPage: true });
  await Promise.all([board.close(), tib.close(), admin.close()]);
});

test('the other decisions and a readiness reason are saved from the TiB page and logged in words', async () => {
  const board = await suite.open('/', { viewport: WALL });
  const tib = await suite.openAs('tib-orebro', '/tib.html', { viewport: TABLET });
  await tib.locator('#d-judgement').waitFor();

  await tib.check('#d-judgement input[name="judgement"][value="strained"]');
  await decide(tib, 'judgement', 'judgement');
  await tib.selectOption('#d-icu-scope', 'uso');
  await tib.fill('#d-icu-amount', '6');
  await decide(tib, 'icu', 'icu');
  await tib.selectOption('#d-shortage-scope', 'uso');
  await tib.selectOption('#d-shortage-resource', 'AdultICU');
  await tib.fill('#d-shortage-amount', '3');
  await decide(tib, 'shortage', 'shortage');
  await tib.selectOption('#d-support-to', 'vastmanland');
  await tib.selectOption('#d-support-resource', 'ambulances');
  await tib.fill('#d-support-amount', '2');
  await decide(tib, 'support', 'support');
  // Checked before sending: nothing impossible reaches the server.
  const seq = (await getJson(server, '/healthz')).body.spaces.live;
  await tib.fill('#d-icu-amount', '-1');
  await tib.click('#d-icu button[data-action="icu"]');
  await tib.locator('[data-result="icu"][data-state="error"]').waitFor({ timeout: 2000 });
  assert.equal((await getJson(server, '/healthz')).body.spaces.live, seq);

  // The readiness level with its reason is a decision too.
  await tib.selectOption('#region-readiness', 'reinforced');
  await tib.fill('#region-readiness-reason', 'Många svårt skadade till USÖ');
  await tib.click('#set-region-readiness');
  await tib.locator('#region-readiness-result[data-state="ok"]').waitFor({ timeout: 5000 });

  const words = await board.waitForFunction(() => {
    const texts = [...document.querySelectorAll('#decisions-list li[data-decision-region="orebro"]')].map((e) => e.innerText);
    return texts.length >= 5 ? texts : null;
  }, null, { timeout: 3000 }).then((handle) => handle.jsonValue());
  assert.match(words[0], /Beredskapsläge: förstärkningsläge – Region Örebro län/);
  assert.match(words[0], /Motivering: Många svårt skadade till USÖ/);
  assert.match(words[1], /Begär stöd av Region Västmanland: 2 ambulanser/);
  assert.match(words[2], /Kapacitetsbrist IVA: 3 – Universitetssjukhuset Örebro \(USÖ\)/);
  assert.match(words[3], /Uppskattat IVA-behov: 6 – Universitetssjukhuset Örebro \(USÖ\)/);
  assert.match(words[4], /Egen kapacitet: Ansträngd – Region Örebro län/);

  // Closed to ambulances (diversion), in words on the TiB page and the board's card.
  const option = tib.locator('select[name="uso.ed_status"] option[value="diversion"]');
  assert.match(await option.textContent(), /Stängd för ambulans \(omdirigering\)/);
  await tib.selectOption('select[name="uso.ed_status"]', 'diversion');
  await tib.click('button[data-action="send"][data-hospital="uso"]');
  await tib.locator('[data-result="uso"][data-state="ok"]').waitFor({ timeout: 5000 });
  await board.waitForFunction(() => document.querySelector('[data-hospital="uso"]')?.dataset.ed === 'diversion',
    null, { timeout: 2000 });
  assert.match(await board.locator('[data-hospital="uso"] .badge.ed').innerText(), /Stängd för ambulans \(omdirigering\)/);
  await board.screenshot({ path: artifactPath('board-diversion.png') });
  await Promise.all([board.close(), tib.close()]);
});
