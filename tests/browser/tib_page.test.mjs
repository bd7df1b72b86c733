// The TiB page in headless Chromium: it sends a report and the board shows it; an alert stands
// unacknowledged on the board until another region's TiB page acknowledges it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { getJson } from '../support/server.mjs';
import { browserSuite, artifactPath, WALL, LAPTOP, TABLET } from '../support/browser.mjs';

const suite = browserSuite();
let server;

before(async () => {
  ({ server } = await suite.ready);
});

const openBoard = () => suite.open('/', { viewport: WALL });
const openTib = (user, viewport = LAPTOP) => suite.openAs(user, '/tib.html', { viewport });

test('a report from the TiB page is confirmed only after the durable ack, and reaches the board', async () => {
  const board = await openBoard();
  const tib = await openTib('tib-varmland');
  assert.equal(await tib.locator('tr[data-hospital]').count(), 3, 'only Region Värmland\'s hospitals');
  await tib.fill('input[name="karlstad.AdultICU"]', '6');
  await tib.fill('input[name="karlstad.P1"]', '2');
  await tib.selectOption('select[name="karlstad.ed_status"]', 'restricted');
  await tib.click('button[data-action="send"][data-hospital="karlstad"]');
  await tib.locator('[data-result="karlstad"][data-state="ok"]').waitFor({ timeout: 5000 });
  assert.match(await tib.locator('[data-result="karlstad"]').textContent(), /Sparat \(nr \d+\)/);

  await board.waitForFunction(
    () => document.querySelector('[data-hospital="karlstad"] [data-figure="AdultICU"]')?.textContent.trim() === '6',
    null, { timeout: 2000 });
  assert.equal(await board.locator('[data-hospital="karlstad"]').getAttribute('data-ed'), 'restricted');
  const karlstad = (await getJson(server, '/api/state')).body.state.hospitals.find((h) => h.id === 'karlstad');
  assert.equal(karlstad.beds.AdultICU.reported_by, 'tib-varmland');
  assert.equal(karlstad.beds.MedicalSurgical.available, null, 'untouched fields are not sent');

  // "No change": one click re-stamps the figures.
  const before = (await getJson(server, '/healthz')).body.spaces.live;
  await tib.click('button[data-action="confirm"][data-hospital="karlstad"]');
  await tib.locator('[data-result="karlstad"][data-state="ok"]').filter({ hasText: String(before + 1) }).waitFor();
  const history = (await getJson(server, '/api/history?hospital=karlstad')).body.entries;
  assert.equal(history.at(-1).kind, 'figures_confirmed');

  // Validation before sending: nothing impossible reaches the server.
  await tib.fill('input[name="torsby.AdultICU"]', '500');
  await tib.click('button[data-action="send"][data-hospital="torsby"]');
  await tib.locator('#err-torsby-AdultICU').filter({ hasText: /\S/ }).waitFor({ timeout: 2000 });
  assert.equal((await getJson(server, '/healthz')).body.spaces.live, before + 1);
  await tib.screenshot({ path: artifactPath('tib-page.png'), fullPage: true });
  await tib.setViewportSize(TABLET);
  assert.ok(await tib.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll on a tablet');
  await tib.screenshot({ path: artifactPath('tib-page-tablet.png'), fullPage: true });
  await board.close();
  await tib.close();
});

test('an alert stands unacknowledged on the board until every addressed region acknowledges', async () => {
  const board = await openBoard();
  const sender = await server.client('tib-orebro');
  const posted = await sender.command({
    v: 1, type: 'post_message', id: 'alert-1', space: 'live', kind: 'alert', level: 'staff',
    to: ['orebro', 'sormland'], text: 'Bussolycka E18/E20 vid Arboga. Gå upp i stabsläge.',
  });
  assert.equal(posted.type, 'ack');
  const id = `live:${posted.seq}`;
  const onBoard = board.locator(`#unacknowledged [data-message="${id}"]`);
  await onBoard.waitFor({ timeout: 2000 });
  assert.equal(await onBoard.getAttribute('data-pending'), '2');
  assert.match(await onBoard.textContent(), /Bussolycka/);
  await board.screenshot({ path: artifactPath('board-alert-pending.png') });

  const sormland = await openTib('tib-sormland');
  const inInbox = sormland.locator(`#inbox [data-message="${id}"]`);
  await inInbox.waitFor();
  await inInbox.locator('button[data-action="acknowledge"]').click();
  await inInbox.locator('.my-ack').waitFor({ timeout: 5000 });
  await board.waitForFunction(
    (messageId) => document.querySelector(`#unacknowledged [data-message="${messageId}"]`)?.dataset.pending === '1',
    id, { timeout: 2000 });
  assert.equal(await board.locator(`#unacknowledged [data-message="${id}"] [data-ack-region="sormland"]`).getAttribute('data-acked'), 'true');

  assert.equal((await sender.command({ v: 1, type: 'acknowledge', id: 'k', space: 'live', message: id })).type, 'ack');
  await onBoard.waitFor({ state: 'detached', timeout: 2000 });
  assert.equal(await board.locator(`#message-log [data-message="${id}"]`).count(), 1, 'still in the message log');
  await sender.close();
  await board.close();
  await sormland.close();
});

test('without a token the TiB page is read-only', async () => {
  const page = await suite.open('/tib.html');
  assert.notEqual(await page.locator('body').getAttribute('data-can-write'), 'true');
  await page.fill('#token', 'wrong-token');
  await page.click('#sign-in');
  await page.locator('#sign-in-result[data-state="error"]').waitFor({ timeout: 5000 });
  await page.close();
});

test('the TiB page shows when it has lost the server and signs in again when it is back', async () => {
  const page = await openTib('tib-varmland');
  await page.locator('#connection[data-state="connected"]').waitFor();
  await server.stop();
  await page.locator('#connection[data-state="offline"]').waitFor({ timeout: 8000 });
  assert.match(await page.locator('#connection').textContent(), /Frånkopplad – visar senast kända läge/);
  await server.start();  // the same log, on the same port: the page finds it again
  await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 10000 });
  // Signed in again on the new connection: a report goes through and is confirmed.
  const before = (await getJson(server, '/healthz')).body.spaces.live;
  await page.fill('input[name="karlstad.AdultICU"]', '2');
  await page.click('button[data-action="send"][data-hospital="karlstad"]');
  await page.locator('[data-result="karlstad"][data-state="ok"]').filter({ hasText: String(before + 1) })
    .waitFor({ timeout: 5000 });
  assert.equal((await getJson(server, '/healthz')).body.spaces.live, before + 1);
  await page.close();
});

test('a trainer\'s TiB page is read-only in live and writes in an exercise; an admin\'s writes in live', async () => {
  const admin = await server.client('admin');
  const posted = await admin.command({
    v: 1, type: 'post_message', id: 'roles-alert', space: 'live', kind: 'alert', level: 'staff',
    to: ['orebro'], text: 'Larm till Örebro: kvittens krävs.',
  });
  assert.equal(posted.type, 'ack', JSON.stringify(posted));
  const id = `live:${posted.seq}`;

  // A trainer in live: the page offers nothing the server would refuse, and says who may.
  const live = await suite.openAs('trainer', '/tib.html?region=orebro', { viewport: LAPTOP });
  await live.locator('#connection[data-state="connected"]').waitFor();
  await live.locator(`#inbox [data-message="${id}"]`).waitFor();
  assert.equal(await live.locator('body').getAttribute('data-can-write'), 'false');
  const note = live.locator('.read-only-note');
  assert.ok(await note.isVisible(), 'the read-only note is shown');
  assert.match(await note.textContent(), /övningsledare.*skarpt läge.*administratör/s);
  assert.equal(await live.locator(`#inbox [data-message="${id}"] button[data-action="acknowledge"]`).count(), 0,
    'no acknowledge button for a trainer in live');
  assert.ok(await live.locator('button[data-action="send"][data-hospital="uso"]').isHidden());
  assert.ok(await live.locator('#compose-card').isHidden());
  assert.ok(await live.locator('#set-region-readiness').isDisabled());
  await live.screenshot({ path: artifactPath('tib-page-trainer-live.png'), fullPage: true });
  await live.close();

  // An admin in live: reports for any region and acknowledges for the region it names.
  const adminPage = await suite.openAs('admin', '/tib.html?region=orebro', { viewport: LAPTOP });
  await adminPage.locator('#connection[data-state="connected"]').waitFor();
  assert.match(await adminPage.locator('#user').textContent(), /Administratör/);
  await adminPage.locator('body[data-can-write="true"]').waitFor();
  assert.ok(await adminPage.locator('.read-only-note').isHidden());
  await adminPage.locator(`#inbox [data-message="${id}"] button[data-action="acknowledge"][data-for-region="orebro"]`).click();
  const waitForPending = async (expected) => {
    for (let i = 0; i < 50; i++) {
      const message = (await getJson(server, '/api/state')).body.state.messages.find((m) => m.id === id);
      if (JSON.stringify(message.pending) === JSON.stringify(expected)) return message;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${id} never had pending ${JSON.stringify(expected)}`);
  };
  assert.equal((await waitForPending([])).acks.orebro.by, 'admin');
  await adminPage.fill('input[name="uso.AdultICU"]', '4');
  await adminPage.click('button[data-action="send"][data-hospital="uso"]');
  await adminPage.locator('[data-result="uso"][data-state="ok"]').waitFor({ timeout: 5000 });
  const uso = (await getJson(server, '/api/state')).body.state.hospitals.find((h) => h.id === 'uso');
  assert.equal(uso.beds.AdultICU.available, 4);
  assert.equal(uso.beds.AdultICU.reported_by, 'admin');
  await adminPage.close();

  // The same trainer in an exercise: the page writes, and so does the server.
  const trainer = await server.client('trainer');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'roles-ex', scenario: 'demo-10min', paused: true });
  assert.equal(started.type, 'ack', JSON.stringify(started));
  const exercise = await suite.openAs('trainer', `/tib.html?space=${encodeURIComponent(started.space)}&region=orebro`, { viewport: LAPTOP });
  await exercise.locator('#connection[data-state="connected"]').waitFor();
  await exercise.locator('body[data-can-write="true"]').waitFor();
  assert.ok(await exercise.locator('.read-only-note').isHidden());
  await exercise.fill('input[name="uso.AdultICU"]', '1');
  await exercise.click('button[data-action="send"][data-hospital="uso"]');
  await exercise.locator('[data-result="uso"][data-state="ok"]').waitFor({ timeout: 5000 });
  const inExercise = (await getJson(server, `/api/state?space=${started.space}`)).body.state.hospitals.find((h) => h.id === 'uso');
  assert.equal(inExercise.beds.AdultICU.reported_by, 'trainer');
  assert.equal((await getJson(server, '/api/state')).body.state.hospitals.find((h) => h.id === 'uso').beds.AdultICU.available, 4,
    'live untouched');
  assert.equal((await trainer.command({ v: 1, type: 'control_exercise', id: 'roles-stop', space: started.space, action: 'stop' })).type, 'ack');
  await exercise.close();
  await Promise.all([admin.close(), trainer.close()]);
});
