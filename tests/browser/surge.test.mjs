// Förstärkning (surge beds within 24 h and within 72 h) in headless Chromium: reported from the TiB
// page's row under a hospital and shown small under IVA and Vpl on the board's card; checked in the
// page before anything is sent; a refusal by the server shown at the input it names.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { getJson } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { browserSuite, artifactPath, WALL, LAPTOP, TABLET } from '../support/browser.mjs';

const suite = browserSuite();
let server;

before(async () => {
  ({ server } = await suite.ready);
});

const openBoard = () => suite.open('/', { viewport: WALL });
const hospital = async (id) => (await getJson(server, '/api/state')).body.state.hospitals.find((x) => x.id === id);
const liveSeq = async () => (await getJson(server, '/healthz')).body.spaces.live;
const surgeInput = (page, id, bed, which) => page.locator(`input[name="${id}.${bed}.${which}"]`);
const surgeError = (page, id, bed, which) => page.locator(`#err-s-${id}-${bed}-${which}`);
const cardSurge = (page, id, bed) => page.locator(`[data-hospital="${id}"] .fig-${bed} .fig-surge`);

/** The report_capacity commands the page sends, as parsed JSON. */
function sentReports(page) {
  const sent = [];
  page.on('websocket', (ws) => ws.on('framesent', ({ payload }) => {
    try {
      const msg = JSON.parse(String(payload));
      if (msg.type === 'report_capacity') sent.push(msg);
    } catch { /* not JSON */ }
  }));
  return sent;
}

test('förstärkning reported from the TiB page reaches the state and the board card', async () => {
  const board = await openBoard();
  const tib = await suite.context.newPage();
  const sent = sentReports(tib);
  await tib.setViewportSize(LAPTOP);
  await tib.goto(server.url(`/tib.html#token=${server.tokens['tib-varmland']}`));
  await tib.locator('#user').filter({ hasText: 'tib-varmland' }).waitFor({ timeout: 5000 });
  await tib.locator('tr[data-hospital="karlstad"]').waitFor();
  assert.equal(await tib.locator('tr[data-hospital]').count(), 3, 'the förstärkning rows are no hospital rows');

  const before = (await hospital('karlstad')).beds;
  assert.ok(before.AdultICU.surge24h > 0 && before.AdultICU.surge72h >= before.AdultICU.surge24h, 'the configuration has surge beds');
  // The board shows the configured förstärkning from the start.
  await cardSurge(board, 'karlstad', 'AdultICU').filter({ hasText: `+${before.AdultICU.surge24h} · +${before.AdultICU.surge72h}` }).waitFor();

  // Closed until asked for; the button says whether it is open.
  const toggle = tib.locator('button[data-action="surge"][data-hospital="karlstad"]');
  const row = tib.locator('#surge-karlstad');
  assert.ok(await row.isHidden());
  await toggle.click();
  await row.waitFor();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await toggle.getAttribute('aria-controls'), 'surge-karlstad');

  // The inputs follow the live state, with a label and an accessible name each.
  const s24 = surgeInput(tib, 'karlstad', 'AdultICU', 'surge24h');
  const s72 = surgeInput(tib, 'karlstad', 'AdultICU', 'surge72h');
  assert.equal(await s24.inputValue(), String(before.AdultICU.surge24h));
  assert.equal(await s72.inputValue(), String(before.AdultICU.surge72h));
  assert.equal(await s24.getAttribute('aria-label'), 'IVA-platser, förstärkning inom 24 h, Centralsjukhuset Karlstad');
  assert.equal(await s72.getAttribute('aria-label'), 'IVA-platser, förstärkning inom 72 h, Centralsjukhuset Karlstad');
  const inputs = await row.locator('input').evaluateAll((els) => els.map((el) => ({
    name: el.name, label: !!document.querySelector(`label[for="${el.id}"]`), aria: el.getAttribute('aria-label') || '',
  })));
  assert.ok(inputs.length >= 4, `${inputs.length} inputs`);
  for (const x of inputs) assert.ok(x.label && /förstärkning inom (24|72) h/.test(x.aria), JSON.stringify(x));
  // The bed types Karlstad has, not those it has not (no brännskadevård).
  assert.equal(await surgeInput(tib, 'karlstad', 'Burn', 'surge24h').count(), 0);
  const max = tib.locator('[data-cell="karlstad.AdultICU"] .max');
  assert.equal(await max.textContent(), `max ${before.AdultICU.baseline + before.AdultICU.surge24h}`);
  assert.equal(await max.getAttribute('title'),
    `${before.AdultICU.baseline} ordinarie + ${before.AdultICU.surge24h} förstärkning inom 24 h (${before.AdultICU.surge72h} inom 72 h)`);

  // A typed surge24h is the maximum of the available beds at once, and they go in one command.
  await s24.fill('8');
  await s72.fill('15');
  const cap = before.AdultICU.baseline + 8;
  assert.equal(await max.textContent(), `max ${cap}`);
  assert.match(await max.getAttribute('title'), /\+ 8 förstärkning inom 24 h \(15 inom 72 h\)/);
  await tib.fill('input[name="karlstad.AdultICU"]', String(cap));
  await toggle.click();  // closed, the button still says something is changed
  assert.equal(await toggle.textContent(), 'Förstärkning… (ändrad)');
  await toggle.click();
  await tib.click('button[data-action="send"][data-hospital="karlstad"]');
  await tib.locator('[data-result="karlstad"][data-state="ok"]').waitFor({ timeout: 5000 });
  assert.match(await tib.locator('[data-result="karlstad"]').textContent(), /Sparat \(nr \d+\)/);
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0].beds, { AdultICU: { available: cap, surge24h: 8, surge72h: 15 } }, 'only what was changed');

  const after = (await hospital('karlstad')).beds;
  assert.equal(after.AdultICU.surge24h, 8);
  assert.equal(after.AdultICU.surge72h, 15);
  assert.equal(after.AdultICU.available, cap);
  assert.equal(after.AdultICU.reported_by, 'tib-varmland');
  assert.equal(after.MedicalSurgical.surge24h, before.MedicalSurgical.surge24h, 'untouched beds keep theirs');
  await tib.waitForFunction(() => document.querySelector('input[name="karlstad.AdultICU.surge72h"]').dataset.dirty === 'false');
  assert.equal(await s24.inputValue(), '8');
  assert.equal(await toggle.textContent(), 'Dölj förstärkning');

  const onCard = cardSurge(board, 'karlstad', 'AdultICU');
  await onCard.filter({ hasText: '+8 · +15' }).waitFor({ timeout: 2000 });
  assert.equal(await onCard.getAttribute('title'), 'Förstärkning: +8 platser inom 24 h, +15 inom 72 h');
  assert.equal((await onCard.locator('.sr-only').textContent()).trim(), 'Förstärkning: +8 platser inom 24 h, +15 inom 72 h.');
  assert.equal(await onCard.locator('[aria-hidden="true"]').textContent(), '+8 · +15');
  // The region's and the healthcare region's sums are in the titles of their IVA totals.
  assert.match(await board.locator('[data-region="varmland"] .rt-AdultICU').getAttribute('title'),
    /\nFörstärkning: \+\d+ platser inom 24 h, \+\d+ inom 72 h \(summa över regionens sjukhus\)$/);
  assert.match(await board.locator('[data-total-tile="AdultICU"]').getAttribute('title'), /\(summa över alla sjukhus\)$/);
  await board.screenshot({ path: artifactPath('surge-board.png') });

  // A raised surge24h raises a lower surge72h with it: the untouched input follows.
  await s24.fill('20');
  assert.match(await tib.locator('#sgmeta-karlstad-AdultICU').textContent(), /inom 72 h blir 20/);
  await s24.press('Enter');
  await tib.locator('[data-result="karlstad"][data-state="ok"]').filter({ hasText: String(await liveSeq()) }).waitFor({ timeout: 5000 });
  assert.deepEqual(sent.at(-1).beds, { AdultICU: { surge24h: 20 } });
  await tib.waitForFunction(() => document.querySelector('input[name="karlstad.AdultICU.surge72h"]').value === '20');
  await onCard.filter({ hasText: '+20 · +20' }).waitFor({ timeout: 2000 });

  await tib.screenshot({ path: artifactPath('surge-tib.png'), fullPage: true });
  await tib.setViewportSize(TABLET);
  assert.ok(await tib.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll on a tablet');
  assert.ok(await s72.isVisible());
  await tib.screenshot({ path: artifactPath('surge-tib-tablet.png'), fullPage: true });
  await board.close();
  await tib.close();
});

test('förstärkning the server would refuse is refused in the page, and nothing is sent', async () => {
  const tib = await suite.openAs('tib-varmland', '/tib.html', { viewport: LAPTOP });
  const before = await liveSeq();
  const torsby = (await hospital('torsby')).beds.AdultICU;
  await tib.click('button[data-action="surge"][data-hospital="torsby"]');
  const s24 = surgeInput(tib, 'torsby', 'AdultICU', 'surge24h');
  const s72 = surgeInput(tib, 'torsby', 'AdultICU', 'surge72h');

  // Within 72 h below within 24 h.
  await s24.fill('6');
  await s72.fill('4');
  await tib.click('button[data-action="send"][data-hospital="torsby"]');
  await surgeError(tib, 'torsby', 'AdultICU', 'surge72h').filter({ hasText: 'Inom 72 h kan inte vara färre än inom 24 h (6).' }).waitFor({ timeout: 2000 });
  assert.equal(await s72.getAttribute('aria-invalid'), 'true');
  assert.equal(await s24.getAttribute('aria-invalid'), null);
  assert.match(await tib.locator('[data-result="torsby"]').textContent(), /Inte skickat – rätta det markerade fältet/);
  assert.ok(await tib.evaluate(() => document.activeElement?.name === 'torsby.AdultICU.surge72h'), 'the wrong input has the focus');

  // Only surge72h typed: judged against the surge24h the server has.
  await s24.fill(String(torsby.surge24h));
  if (torsby.surge24h > 0) {
    await s72.fill(String(torsby.surge24h - 1));
    await tib.click('button[data-action="send"][data-hospital="torsby"]');
    await surgeError(tib, 'torsby', 'AdultICU', 'surge72h')
      .filter({ hasText: `Inom 72 h kan inte vara färre än inom 24 h (${torsby.surge24h}).` }).waitFor({ timeout: 2000 });
  }

  // Not a whole number, negative, too large.
  for (const [typed, words] of [['2,5', 'Ange ett heltal (inga decimaler).'], ['-1', 'Får inte vara negativt.'],
    ['100001', 'Orimligt stort tal (högst 100000).'], ['', 'Ange ett tal, 0 eller mer.']]) {
    await s24.fill(typed);
    await s72.fill(String(torsby.surge72h));
    await tib.click('button[data-action="send"][data-hospital="torsby"]');
    await surgeError(tib, 'torsby', 'AdultICU', 'surge24h').filter({ hasText: words }).waitFor({ timeout: 2000 });
  }

  // Fewer surge beds than the beds available now need: lower the available beds with it.
  await s24.fill(String(torsby.surge24h));
  const admin = await server.client('admin');
  const full = { available: torsby.baseline + torsby.surge24h };
  assert.equal((await admin.command(report('torsby', { beds: { AdultICU: full } }))).type, 'ack');
  const seq = await liveSeq();
  await tib.locator(`body[data-seq="${seq}"]`).waitFor({ timeout: 2000 });
  await s24.fill('0');
  await tib.click('button[data-action="send"][data-hospital="torsby"]');
  await surgeError(tib, 'torsby', 'AdultICU', 'surge24h').filter({ hasText: /^Lediga nu \(\d+\) blir fler än max \d+/ }).waitFor({ timeout: 2000 });
  assert.equal(await liveSeq(), seq, 'nothing was sent from the page');
  assert.equal(seq, before + 1, 'only the admin\'s report');

  // With the available beds lowered in the same report it goes through.
  await tib.fill('input[name="torsby.AdultICU"]', String(torsby.baseline));
  await tib.click('button[data-action="send"][data-hospital="torsby"]');
  await tib.locator('[data-result="torsby"][data-state="ok"]').waitFor({ timeout: 5000 });
  const after = (await hospital('torsby')).beds.AdultICU;
  assert.equal(after.surge24h, 0);
  assert.equal(after.available, torsby.baseline);
  await tib.screenshot({ path: artifactPath('surge-tib-refused.png'), fullPage: true });
  await tib.close();
});

test('a refusal by the server is shown at the förstärkning input it names', async () => {
  // The page's connection goes through a relay that can hold back the deltas (the page has then not
  // seen another report yet, and sends what the server refuses) and change a command on its way.
  let hold = false, rewrite = null, toPage = null;
  const held = [];
  const tib = await suite.context.newPage();
  await tib.routeWebSocket(/\/ws/, (ws) => {
    toPage = ws;
    const upstream = ws.connectToServer();
    ws.onMessage((message) => upstream.send(rewrite ? rewrite(String(message)) : message));
    upstream.onMessage((message) => {
      if (hold && /"type":\s*"delta"/.test(String(message))) held.push(message);
      else ws.send(message);
    });
  });
  await tib.setViewportSize(LAPTOP);
  await tib.goto(server.url(`/tib.html#token=${server.tokens['tib-varmland']}`));
  await tib.locator('#user').filter({ hasText: 'tib-varmland' }).waitFor({ timeout: 5000 });
  await tib.locator('tr[data-hospital="arvika"]').waitFor();
  await tib.click('button[data-action="surge"][data-hospital="arvika"]');
  const arvika = (await hospital('arvika')).beds.AdultICU;
  const s24 = surgeInput(tib, 'arvika', 'AdultICU', 'surge24h');
  const s72 = surgeInput(tib, 'arvika', 'AdultICU', 'surge72h');

  // Another TiB raises surge24h, and with it surge72h, above what this page will send as surge72h.
  hold = true;
  const raised = arvika.surge72h + 5;
  const other = await server.client('admin');
  assert.equal((await other.command(report('arvika', { beds: { AdultICU: { surge24h: raised } } }))).type, 'ack');
  await s72.fill(String(arvika.surge72h + 1));
  await tib.click('button[data-action="send"][data-hospital="arvika"]');
  await tib.locator('[data-result="arvika"][data-state="error"]').waitFor({ timeout: 5000 });
  assert.equal(await tib.locator('[data-result="arvika"]').textContent(), 'Inte sparat: Ogiltigt värde (fält: IVA-platser, förstärkning inom 72 h)');
  await surgeError(tib, 'arvika', 'AdultICU', 'surge72h')
    .filter({ hasText: 'Ogiltigt värde: inom 72 h kan inte vara färre än inom 24 h.' }).waitFor({ timeout: 2000 });
  assert.equal(await s72.getAttribute('aria-invalid'), 'true');
  assert.equal(await surgeError(tib, 'arvika', 'AdultICU', 'surge24h').textContent(), '');
  assert.equal(await tib.locator('#err-arvika-AdultICU').textContent(), '', 'not at the available beds');
  await tib.screenshot({ path: artifactPath('surge-tib-server-refused.png'), fullPage: true });

  // The held deltas arrive: the untouched surge24h follows, the typed surge72h stays as typed.
  hold = false;
  for (const message of held.splice(0)) toPage.send(message);
  await tib.waitForFunction((v) => document.querySelector('input[name="arvika.AdultICU.surge24h"]').value === v, String(raised));
  assert.equal(await s72.inputValue(), String(arvika.surge72h + 1));
  assert.equal(await s72.getAttribute('data-dirty'), 'true');

  // beds.X.surge24h: the page checks what the server checks, so only a command changed on its way
  // is refused for it.
  await s72.fill(String(raised));
  await s24.fill(String(raised + 1));
  rewrite = (text) => text.replace(/"surge24h":\d+/, '"surge24h":100001');
  await tib.click('button[data-action="send"][data-hospital="arvika"]');
  await surgeError(tib, 'arvika', 'AdultICU', 'surge24h').filter({ hasText: /^Ogiltigt värde$/ }).waitFor({ timeout: 5000 });
  rewrite = null;
  assert.equal(await s24.getAttribute('aria-invalid'), 'true');
  assert.equal(await surgeError(tib, 'arvika', 'AdultICU', 'surge72h').textContent(), '');
  assert.equal((await hospital('arvika')).beds.AdultICU.surge24h, raised, 'nothing changed');
  await tib.close();
});

test('a hospital without förstärkning shows none on the board card', async () => {
  const board = await openBoard();
  const admin = await server.client('admin');
  assert.equal((await admin.command(report('mora', { beds: {
    AdultICU: { surge24h: 0, surge72h: 0 }, MedicalSurgical: { surge24h: 2, surge72h: 2 },
  } }))).type, 'ack');
  const icu = cardSurge(board, 'mora', 'AdultICU');
  const vpl = cardSurge(board, 'mora', 'MedicalSurgical');
  await vpl.filter({ hasText: '+2 · +2' }).waitFor({ timeout: 2000 });
  assert.ok(await icu.isHidden());
  assert.equal(await icu.textContent(), '');
  assert.equal(await icu.getAttribute('title'), '');

  assert.equal((await admin.command(report('mora', { beds: { MedicalSurgical: { surge24h: 0, surge72h: 0 } } }))).type, 'ack');
  await vpl.waitFor({ state: 'hidden', timeout: 2000 });
  assert.equal(await vpl.textContent(), '');
  assert.equal(await board.locator('[data-hospital="mora"]').evaluate((el) => el.classList.contains('has-surge')), false);
  // The other cards still show theirs, and the wall still fits its screen without scrolling:
  // the lines are not dropped to make room (board_wall.js fit).
  assert.ok(await cardSurge(board, 'falun', 'AdultICU').isVisible());
  assert.equal(await board.locator('body').getAttribute('data-surge'), null);
  assert.match(await board.locator('[data-hospital="falun"] .fig-AdultICU').getAttribute('title'),
    /^IVA-platser: lediga \/ totalt\nFörstärkning: \+\d+ platser inom 24 h, \+\d+ inom 72 h$/);
  assert.ok(await board.evaluate(() => {
    const main = document.getElementById('regions');
    return main.scrollHeight <= main.clientHeight + 1 && document.documentElement.scrollWidth <= window.innerWidth;
  }), 'the wall fits one screen');
  const overflowing = await board.evaluate(() => [...document.querySelectorAll('.hospital .h-figs')]
    .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.closest('[data-hospital]').dataset.hospital));
  assert.deepEqual(overflowing, [], 'no card\'s figures overflow');
  await board.screenshot({ path: artifactPath('surge-board-none.png') });
  await board.close();
});
