// Patients at the scene, the forecast, ambulances and secondary transports in headless Chromium.
// An exercise whose wave waits at the scene for a decision ("dispatch": "on_decision"): the board's
// Skadeplats panel shows the patients per priority; the TiB page records the receiving hospitals
// and the patients leave the scene, on their way; the hospital that cannot take them all shows a
// forecast (Prognos, in Swedish local time) on the board's card and on the TiB page's row; the
// region's ambulances reported from the TiB page reach the board's region head; and a secondary
// transport from the TiB page reaches the board (the patients leave one hospital, and are on their
// way to another).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { getJson } from '../support/server.mjs';
import { scratchDir } from '../support/fixture.mjs';
import { browserSuite, artifactPath, WALL, LAPTOP, TABLET } from '../support/browser.mjs';

const dir = scratchDir();
const scenarios = `${dir.path}/scenarios`;
mkdirSync(scenarios);

const SCENARIO = {
  format: 2, id: 'skadeplats', name: 'Skadeplatsprov', description: 'De skadade väntar på beslut om mottagande sjukhus.',
  modelled_on: { incident: 'Ingen', source: 'Test' },
  healthcare_region: 'mellansverige', planned_duration_minutes: 120, start_from: 'scenario',
  participating_regions: ['vastmanland'],
  baseline: { hospitals: {
    // One free IVA bed for two P1: IVA runs out when they arrive.
    vasteras: { beds: { AdultICU: { available: 1 }, MedicalSurgical: { available: 20 }, OperatingRooms: { available: 4 } },
      reception: { P1: 2, P2: 3, P3: 8 }, ed_status: 'open' },
    akademiska: { beds: { AdultICU: { available: 6 }, Burn: { available: 2 }, MedicalSurgical: { available: 30 },
      OperatingRooms: { available: 6 } }, reception: { P1: 3, P2: 7, P3: 18 }, ed_status: 'open' },
  } },
  injects: [
    { id: 'larm', at: '00:00', kind: 'message', sender: 'sos_alarm', to: ['vastmanland'], message_kind: 'alert',
      level: 'staff', text: 'Larm: trafikolycka på E18 vid Västerås, nio skadade.' },
    { id: 'vag-1', at: '01:00', kind: 'casualty_wave', location: 'E18 vid Västerås', region: 'vastmanland',
      dispatch: 'on_decision', casualties: { P1: 2, P2: 3, P3: 4, deceased: 0 }, transport_minutes: { vasteras: 20 } },
    { id: 'cp-mottagande', at: '00:00', kind: 'checkpoint', within_minutes: 5,
      description: 'Västmanland beslutar om mottagande sjukhus',
      expect: { event: 'decision_recorded', decision: 'receiving_hospitals', region: 'vastmanland' } },
  ],
};
writeFileSync(`${scenarios}/skadeplats.json`, JSON.stringify(SCENARIO));

// The same wave, no decision, and patients who worsen while they wait: after 10 minutes every P2
// becomes P1, and half of the P1 (rounded up) die.
const WAITING = {
  ...SCENARIO, id: 'vantan', name: 'Väntan på skadeplatsen',
  deterioration: [{ from: 'P2', to: 'P1', after_minutes: 10, share_percent: 100 },
    { from: 'P1', to: 'deceased', after_minutes: 10, share_percent: 50 }],
  injects: SCENARIO.injects.filter((i) => i.kind !== 'checkpoint'),
};
writeFileSync(`${scenarios}/vantan.json`, JSON.stringify(WAITING));

const suite = browserSuite({ args: ['--scenarios', scenarios] });
let server;

before(async () => {
  ({ server } = await suite.ready);
});

const stockholmHM = (iso) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit',
  minute: '2-digit' }).format(new Date(iso));

async function ok(client, command) {
  const reply = await client.command(command);
  assert.equal(reply.type, 'ack', JSON.stringify(reply));
  return reply;
}

/** Waits until `fn(state)` holds for the space's state from GET /api/state; returns that state. */
async function stateWhere(space, fn, what) {
  for (let i = 0; i < 100; i++) {
    const { body } = await getJson(server, `/api/state?space=${space}`);
    if (fn(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the state never showed ${what}`);
}

/** Clicks `selector` on the TiB page and waits for the result line `result` to say it was saved. */
async function saved(tib, selector, result) {
  const el = tib.locator(result);
  const old = await el.textContent();
  await tib.click(selector);
  await tib.waitForFunction(([sel, before]) => {
    const x = document.querySelector(sel);
    return x && x.dataset.state && x.dataset.state !== 'pending' && x.textContent !== before;
  }, [result, old], { timeout: 5000 });
  const text = await el.textContent();
  assert.equal(await el.getAttribute('data-state'), 'ok', text);
  assert.match(text, /^Sparat \(nr \d+\)/);
  return text;
}

const sceneCount = (board, p) => board.locator(`#scene [data-scene-count="${p}"]`).textContent();

test('patients wait at the scene until the receiving hospitals are decided; forecast, ambulances and a transfer reach the board', async () => {
  const trainer = await server.client('trainer');
  const { space } = await ok(trainer, { v: 1, type: 'start_exercise', id: 's-1', scenario: 'skadeplats', paused: true });
  const control = (id, action, extra = {}) => ok(trainer, { v: 1, type: 'control_exercise', id, space, action, ...extra });
  // Past the wave: its patients are at the scene, waiting.
  await control('c-1', 'jump', { to: '02:00' });
  await stateWhere(space, (s) => s.exercise_info?.at_scene?.P3 === 4, 'the wave at the scene');

  const board = await suite.open(`/?space=${space}`, { viewport: WALL, waitFor: '#exercise-banner' });
  await board.locator('#scene:not([hidden])').waitFor({ timeout: 5000 });
  assert.equal(await board.locator('#scene').getAttribute('data-at-scene'), '9');
  assert.deepEqual([await sceneCount(board, 'P1'), await sceneCount(board, 'P2'), await sceneCount(board, 'P3')], ['2', '3', '4']);
  const scene = await board.locator('#scene').innerText();
  assert.match(scene, /Skadeplats/);
  assert.match(scene, /E18 vid Västerås/);
  assert.match(scene, /Längst väntan\s+1 min/, 'waiting since 01:00, the clock at 02:00');
  assert.match(scene, /Avlidna under väntan\s+0/);
  // Nobody on the way yet: no forecast anywhere on the wall.
  assert.equal(await board.locator('[data-hospital="vasteras"] .h-forecast:not([hidden])').count(), 0);
  await board.screenshot({ path: artifactPath('board-scene.png') });

  // The TiB page decides the receiving hospital; the patients leave the scene.
  const tib = await suite.openAs('tib-vastmanland', `/tib.html?space=${space}`, { viewport: LAPTOP });
  await tib.locator('#d-receiving').waitFor();
  await tib.check('#d-receiving input[name="hospitals"][value="vasteras"]');
  await saved(tib, '#d-receiving button[data-action="receiving"]', '[data-result="receiving"]');
  await board.waitForFunction(() => document.querySelector('#scene')?.dataset.atScene === '0', null, { timeout: 3000 });
  assert.equal(await board.locator('#scene').getAttribute('data-on-the-way'), '9');
  assert.deepEqual([await sceneCount(board, 'P1'), await sceneCount(board, 'P3')], ['0', '0']);
  assert.match(await board.locator('#scene').innerText(), /På väg\s+P1 2 · P2 3 · P3 4/);
  await board.waitForFunction(() => document.querySelector('[data-hospital="vasteras"] .h-cas')?.dataset.incoming === '9',
    null, { timeout: 3000 });

  // Two P1 on the way to one free IVA bed: IVA runs out on their arrival — a projection, marked so.
  const state = await stateWhere(space, (s) => s.state.hospitals.find((x) => x.id === 'vasteras')?.forecast?.AdultICU?.runs_out_at,
    'a forecast for Västerås');
  const runsOut = stockholmHM(state.state.hospitals.find((x) => x.id === 'vasteras').forecast.AdultICU.runs_out_at);
  const card = board.locator('[data-hospital="vasteras"] .h-forecast');
  await card.waitFor({ state: 'visible', timeout: 3000 });
  assert.equal(await card.getAttribute('data-forecast'), 'runs_out');
  assert.match(await card.innerText(), new RegExp(`PROGNOS[\\s\\S]*IVA fullt ≈ ${runsOut}`, 'i'));
  assert.equal(await card.evaluate((el) => getComputedStyle(el).borderStyle), 'dashed', 'never like a reported figure');
  assert.equal(await card.locator('.fc-items').evaluate((el) => getComputedStyle(el).fontStyle), 'italic');
  const row = tib.locator('tr[data-hospital="vasteras"] .r-forecast');
  await row.waitFor({ state: 'visible', timeout: 3000 });
  assert.match(await row.innerText(), new RegExp(`IVA fullt ≈ ${runsOut}`));

  // Ambulances from the TiB page to the board's region head.
  await tib.fill('#tp-ambulances-available', '6');
  await tib.fill('#tp-ambulances-committed', '9');
  await saved(tib, '#send-transport', '#transport-result');
  const ambulances = board.locator('[data-region="vastmanland"] [data-transport-kind="ambulances"]');
  await board.waitForFunction(() => document.querySelector('[data-region="vastmanland"] [data-transport-kind="ambulances"]')
    ?.dataset.available === '6', null, { timeout: 3000 });
  assert.equal(await ambulances.getAttribute('data-committed'), '9');
  assert.equal(await ambulances.getAttribute('aria-label'), 'Ambulanser 6 lediga · 9 i uppdrag');
  assert.match(await board.locator('[data-region="vastmanland"] .region-transport').innerText(), /< 1 min sedan/);
  assert.equal(await board.locator('[data-region="vastmanland"] .region-transport').getAttribute('data-stale'), 'false');
  const transport = (await getJson(server, `/api/state?space=${space}`)).body.state.regions
    .find((r) => r.id === 'vastmanland').transport;
  assert.deepEqual([transport.ambulances.available, transport.ambulances.committed, transport.ambulances.reported_by],
    [6, 9, 'tib-vastmanland']);
  assert.equal(transport.helicopters.available, null, 'only what was filled in is sent');

  // After the arrival: a secondary transport of one burned P1 to Akademiska by helicopter.
  await control('c-2', 'jump', { to: '30:00' });
  await stateWhere(space, (s) => s.state.hospitals.find((x) => x.id === 'vasteras')?.casualties?.received?.P1 === 2,
    'the patients received at Västerås');
  await tib.locator('#transfer-card:not([hidden])').waitFor({ timeout: 3000 });
  await tib.selectOption('#tf-from', 'vasteras');
  await tib.locator('#tf-received').filter({ hasText: 'Mottagna på Västmanlands sjukhus Västerås: P1 2 · P2 3 · P3 4' })
    .waitFor({ timeout: 3000 });
  await tib.selectOption('#tf-to', 'akademiska');
  // More than Västerås received is checked before sending.
  await tib.fill('#tf-P1', '3');
  await tib.fill('#tf-transport_minutes', '40');
  const seq = (await getJson(server, '/healthz')).body.spaces[space];
  await tib.click('#send-transfer');
  await tib.locator('#transfer-result[data-state="error"]').waitFor({ timeout: 2000 });
  assert.match(await tib.locator('[data-err="P1"]').innerText(), /tagit emot 2 P1/);
  assert.equal((await getJson(server, '/healthz')).body.spaces[space], seq, 'nothing was sent');
  await tib.fill('#tf-P1', '1');
  await tib.fill('#tf-burns', '1');
  await tib.check('#transfer-form input[name="mode"][value="helicopter"]');
  await tib.fill('#tf-reason', 'Brännskada till brännskadecentrum');
  const text = await saved(tib, '#send-transfer', '#transfer-result');
  assert.match(text, /1 P1 till Akademiska sjukhuset/);

  // The board: one P1 leaves Västerås and is on its way to Akademiska.
  await board.waitForFunction(() => document.querySelector('[data-hospital="akademiska"] .h-cas')?.dataset.incoming === '1',
    null, { timeout: 3000 });
  assert.match(await board.locator('[data-hospital="akademiska"] .h-cas').innerText(), /på väg P1 1/);
  await board.waitForFunction(() => document.querySelector('[data-hospital="vasteras"] .h-cas')?.dataset.received === '8',
    null, { timeout: 3000 });
  const onTheWay = board.locator('#scene .sc-transfer');
  await onTheWay.first().waitFor({ timeout: 3000 });
  assert.match(await onTheWay.first().innerText(), /Sekundärtransport 1 P1 \(varav 1 brännskadade\) Västmanlands sjukhus Västerås → Akademiska sjukhuset, framme \d\d:\d\d/);
  assert.match(await tib.locator('#transfers-on-the-way').innerText(), /1 P1 .*→ Akademiska sjukhuset/);
  const { decisions } = (await getJson(server, `/api/state?space=${space}`)).body.state;
  assert.ok(decisions.some((d) => d.decision === 'receiving_hospitals' && d.by === 'tib-vastmanland'));
  await board.screenshot({ path: artifactPath('board-transfer.png') });
  await tib.screenshot({ path: artifactPath('tib-transfer.png'), fullPage: true });
  await tib.setViewportSize(TABLET);
  assert.ok(await tib.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll on a tablet');
  await tib.screenshot({ path: artifactPath('tib-transfer-tablet.png'), fullPage: true });

  // Live operation has no secondary transports: the card is not there.
  const live = await suite.openAs('tib-vastmanland', '/tib.html', { viewport: LAPTOP });
  await live.locator('#transport-card').waitFor();
  assert.ok(await live.locator('#transfer-card').isHidden());
  await Promise.all([board.close(), tib.close(), live.close()]);
});

test('patients who wait worsen and die: the board counts them, the review words it', async () => {
  const trainer = await server.client('trainer');
  const { space } = await ok(trainer, { v: 1, type: 'start_exercise', id: 's-2', scenario: 'vantan', paused: true });
  await ok(trainer, { v: 1, type: 'control_exercise', id: 'c-1', space, action: 'jump', to: '02:00' });
  await stateWhere(space, (s) => s.exercise_info?.at_scene?.P2 === 3, 'the wave at the scene');
  const board = await suite.open(`/?space=${space}`, { viewport: WALL, waitFor: '#exercise-banner' });
  await board.locator('#scene:not([hidden])').waitFor({ timeout: 5000 });
  assert.equal(await board.locator('#scene').getAttribute('data-deceased'), '0');

  // Ten minutes later, with nobody decided: the P2 are P1 now, and one of the first P1 has died.
  await ok(trainer, { v: 1, type: 'control_exercise', id: 'c-2', space, action: 'jump', to: '12:00' });
  await board.waitForFunction(() => document.querySelector('#scene')?.dataset.deceased === '1', null, { timeout: 3000 });
  const state = (await getJson(server, `/api/state?space=${space}`)).body.exercise_info;
  assert.deepEqual([state.at_scene, state.deceased_waiting], [{ P1: 4, P2: 0, P3: 4 }, 1], 'as the rules say');
  assert.deepEqual([await sceneCount(board, 'P1'), await sceneCount(board, 'P2'), await sceneCount(board, 'P3')], ['4', '0', '4']);
  assert.match(await board.locator('#scene .sc-dead').innerText(), /Avlidna under väntan\s+† 1/);
  assert.match(await board.locator('#scene .sc-wait').innerText(), /Längst väntan\s+11 min/);
  await board.screenshot({ path: artifactPath('board-scene-deceased.png') });

  // The review (a trainer's while the exercise runs) words each change.
  const review = await suite.context.newPage();
  await review.setViewportSize(LAPTOP);
  await review.goto(server.url(`/review.html?space=${space}#token=${server.tokens.trainer}`));
  await review.locator('#review-timeline tr[data-kind="patients_deteriorated"]').first().waitFor({ timeout: 5000 });
  const words = await review.locator('#review-timeline tr[data-kind="patients_deteriorated"] .ev-summary').allInnerTexts();
  assert.ok(words.includes('3 P2 försämrades till P1 (E18 vid Västerås)') || words.includes('3 P2 försämrades till P1 (vag-1)'),
    words.join(' | '));
  assert.ok(words.some((w) => /^1 P1 avled under väntan/.test(w)), words.join(' | '));
  await Promise.all([board.close(), review.close()]);
});
