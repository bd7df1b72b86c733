// No English word from the wire reaches the review page: an exercise is played with participants'
// reports, acknowledgements and decisions, stopped, and its review opened; the page's visible
// text, less what people and the scenario wrote (names, message texts, reasons, user ids), must
// hold no wire token — no snake_case name and none of the English words the wire uses. The
// review of live operation is labelled LIVE, not ÖVNING, and is Swedish too.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { getJson } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { browserSuite, artifactPath, LAPTOP } from '../support/browser.mjs';

const suite = browserSuite();
let server;

before(async () => {
  ({ server } = await suite.ready);
});

const SNAKE = /\b[a-z]+_[a-z_]+\b/g;
// English words of the wire (statuses, kinds, levels, enum values), matched as whole words with
// their case: Swedish words like "Information" or "region" are not these.
const WIRE_WORDS = [
  'met', 'missed', 'pending', 'not_met', 'not_done', 'played', 'reported', 'acknowledged', 'none', 'user',
  'scenario', 'system', 'server', 'alert', 'methane', 'information', 'situation_report', 'staff', 'reinforced',
  'disaster', 'normal', 'open', 'restricted', 'closed', 'diversion', 'running', 'paused', 'stopped', 'checkpoint',
  'target', 'inject', 'message', 'decision', 'sufficient', 'strained', 'insufficient', 'ambulances', 'blood',
  'equipment', 'helicopters', 'other', 'hospital', 'true', 'false', 'null', 'undefined', 'NaN', 'object',
  'AdultICU', 'PediatricICU', 'Burn', 'MedicalSurgical', 'Pediatrics', 'OperatingRooms', 'EmergencyDepartment',
];
const WORD = new RegExp(`(?<![\\p{L}\\p{N}_-])(${WIRE_WORDS.join('|')})(?![\\p{L}\\p{N}_-])`, 'gu');

// Fields whose strings people or the scenario wrote: their words are not the page's.
const FREE = new Set(['name', 'description', 'text', 'reason', 'by', 'sent_by', 'reported_by', 'town', 'note',
  'location', 'hospital_name', 'incident', 'modelled_on', 'source']);

/** Every free-text string in `value` (a parsed JSON answer). */
function freeTexts(value, key = '', out = new Set()) {
  if (typeof value === 'string') {
    if (FREE.has(key) && value.trim()) out.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) freeTexts(item, key, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // Everything in a METHANE report, a situation report's fields and an actor's id is written.
      if ((k === 'methane' || k === 'fields') && v && typeof v === 'object') {
        for (const t of Object.values(v)) if (typeof t === 'string' && t.trim()) out.add(t);
      } else if (key === 'actor' && k === 'id') {
        out.add(String(v));
      } else {
        freeTexts(v, k, out);
      }
    }
  }
  return out;
}

/** The page's visible text, less the written strings (longest first, and their 80-character cuts). */
async function pageWords(page, written) {
  let text = await page.evaluate(() => document.body.innerText);
  const cuts = [...written].flatMap((t) => [t, t.slice(0, 80), t.slice(0, 120), t.slice(0, 40)])
    .filter((t) => t.length >= 3).sort((a, b) => b.length - a.length);
  for (const t of cuts) text = text.split(t).join(' ');
  return text;
}

function assertSwedish(text, where) {
  const snake = [...new Set(text.match(SNAKE) || [])];
  const words = [...new Set([...text.matchAll(WORD)].map((m) => m[1]))];
  assert.deepEqual(snake, [], `${where}: wire names on the page: ${snake.join(', ')}`);
  assert.deepEqual(words, [], `${where}: English wire words on the page: ${words.join(', ')}`);
}

async function ok(client, command) {
  const reply = await client.command(command);
  assert.equal(reply.type, 'ack', JSON.stringify(reply));
  return reply;
}

test('the review of a played exercise shows no wire token, only Swedish', async () => {
  const trainer = await server.client('trainer');
  const { space } = await ok(trainer, { v: 1, type: 'start_exercise', id: 's-1', scenario: 'demo-10min', paused: true });
  // The injects due at 00:00 are played at the start: the larm is there.
  let larm;
  for (let i = 0; i < 50 && !larm; i++) {
    larm = (await getJson(server, `/api/state?space=${space}`)).body.state.messages.find((m) => m.kind === 'alert');
    if (!larm) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(larm, 'the demo starts with a larm');

  // Participants act at 00:00: readiness, acknowledgement, decisions, reports.
  const orebro = await server.client('tib-orebro');
  const uppsala = await server.client('tib-uppsala');
  const decision = (id, fields) => ({ v: 1, type: 'record_decision', id, space, region: 'orebro', ...fields });
  await ok(orebro, { v: 1, type: 'set_region_readiness', id: 'g-1', space, region: 'orebro', level: 'staff',
    reason: 'Larm om trafikolycka' });
  await ok(orebro, { v: 1, type: 'acknowledge', id: 'k-1', space, message: larm.id });
  await ok(orebro, decision('d-1', { decision: 'major_incident_declared', reason: 'Många skadade på E18' }));
  await ok(orebro, decision('d-2', { decision: 'receiving_hospitals', hospitals: ['uso', 'vasteras'], incident: larm.id }));
  await ok(orebro, decision('d-3', { decision: 'capacity_judgement', judgement: 'insufficient' }));
  await ok(orebro, decision('d-4', { decision: 'icu_need', hospital: 'uso', icu_beds: 4 }));
  await ok(orebro, decision('d-5', { decision: 'capacity_shortage', hospital: 'uso', resource: 'staff', amount: 0 }));
  await ok(orebro, decision('d-6', { decision: 'support_request', to_region: 'uppsala', resource: 'AdultICU', amount: 2 }));
  await ok(orebro, report('uso', { beds: { AdultICU: { available: 3 } }, ed_status: 'diversion', readiness: 'reinforced',
    reason: 'IVA fylls' }, space));
  await ok(uppsala, report('akademiska', { beds: { Burn: { available: 2 } }, ed_status: 'restricted' }, space));
  await ok(uppsala, { v: 1, type: 'acknowledge', id: 'k-2', space, message: larm.id });

  // Played to its end at 60×, then stopped.
  await ok(trainer, { v: 1, type: 'control_exercise', id: 'c-1', space, action: 'speed', speed: 60 });
  await ok(trainer, { v: 1, type: 'control_exercise', id: 'c-2', space, action: 'resume' });
  await ok(trainer, { v: 1, type: 'control_exercise', id: 'c-3', space, action: 'jump', to: '09:00' });
  // After the first wave has arrived: ambulances reported, and a secondary transport from USÖ.
  await ok(orebro, { v: 1, type: 'report_transport', id: 'a-1', space, region: 'orebro',
    ambulances: { available: 4, committed: 7 }, helicopters: { available: 0, committed: 1 } });
  let uso;
  for (let i = 0; i < 50 && !(uso?.casualties?.received?.P1 > 0); i++) {
    uso = (await getJson(server, `/api/state?space=${space}`)).body.state.hospitals.find((x) => x.id === 'uso');
    if (!(uso?.casualties?.received?.P1 > 0)) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await ok(orebro, { v: 1, type: 'transfer_patients', id: 't-1', space, from: 'uso', to: 'akademiska', patients: { P1: 1 },
    burns: 0, transport_minutes: 30, mode: 'helicopter', reason: 'Neurokirurgi' });
  const stop = await trainer.command({ v: 1, type: 'control_exercise', id: 'c-4', space, action: 'stop' });
  assert.ok(stop.type === 'ack' || stop.code === 'not_running', JSON.stringify(stop));
  for (let i = 0; i < 50; i++) {
    const entry = (await getJson(server, '/api/spaces')).body.spaces.find((s) => s.space === space);
    if (entry.exercise_info.status === 'stopped') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const review = (await getJson(server, `/api/review?space=${space}`)).body;
  assert.ok(review.timeline.some((e) => e.kind === 'decision_recorded'), 'the decisions are in the timeline');
  assert.ok(review.indicators.length > 0, 'indicators for the regions the larm reached');
  const state = (await getJson(server, `/api/state?space=${space}`)).body;
  const written = new Set([...freeTexts(review), ...freeTexts(state), ...Object.keys(server.tokens)]);

  const page = await suite.open(`/review.html?space=${space}`, { viewport: LAPTOP, waitFor: 'body[data-state="ok"]' });
  await page.locator('#review-timeline tbody tr').first().waitFor({ timeout: 5000 });
  await page.locator('#indicators tr[data-indicator]').first().waitFor({ timeout: 5000 });
  assert.match(await page.locator('#r-label').innerText(), /ÖVNING/);
  // The decisions, worded.
  const timeline = await page.locator('#review-timeline').innerText();
  assert.match(timeline, /Allvarlig händelse utlöst – Region Örebro län/);
  assert.match(timeline, /Mottagande sjukhus: Universitetssjukhuset Örebro \(USÖ\), Västmanlands sjukhus Västerås/);
  assert.match(timeline, /Begär stöd av Region Uppsala: 2 IVA-platser/);
  // The secondary transport and the ambulances, worded (their summaries' details are the server's).
  assert.equal(await page.locator('#review-timeline tr[data-kind="patients_transferred"] .ev-kind').innerText(), 'Sekundärtransport');
  assert.match(await page.locator('#review-timeline tr[data-kind="patients_transferred"] .ev-summary').innerText(), /^Sekundärtransport/);
  assert.match(await page.locator('#review-timeline tr[data-kind="transport_reported"] .ev-summary').innerText(),
    /^(Ambulanser|Ambulanser och helikoptrar) rapporterade/);
  // Utfall: one row per casualty wave, in words.
  assert.equal(review.outcomes.length, 2, 'the demo\'s two waves');
  await page.locator('#outcomes tr.out-row').first().waitFor({ timeout: 5000 });
  assert.equal(await page.locator('#outcomes tr.out-row').count(), 2);
  const outcomes = await page.locator('#outcomes').innerText();
  assert.match(outcomes, /E18 vid Glanshammar[\s\S]*skadeutfall vid 01:00/);
  assert.match(outcomes, /P1 2 · P2 3 · P3 5/, 'the first wave\'s injured');
  // The indicators, grouped per region and hospital, in words.
  const indicators = await page.locator('#indicators').innerText();
  assert.match(indicators, /Allvarlig händelse utlöst/);
  assert.match(indicators, /≤ 1 min/);
  assert.match(indicators, /Uppfylld/);
  assert.ok(await page.locator('#indicators tr.ind-group[data-group-region="orebro"]').count() === 1);
  assert.ok(await page.locator('#indicators tr.ind-group[data-group-hospital="uso"]').count() === 1);
  const row = page.locator('#indicators tr[data-indicator="region_major_incident"][data-region="orebro"]');
  assert.equal(await row.getAttribute('data-status'), 'met');
  assert.match(await row.innerText(), /Uppfylld/);
  assertSwedish(await pageWords(page, written), 'review');
  await page.screenshot({ path: artifactPath('review-indicators.png'), fullPage: true });
  // README's picture: Region Örebro län's indicators, where the participants decided.
  const box = await page.locator('#indicators tr.ind-group[data-group-region="orebro"]').boundingBox();
  await page.screenshot({ path: artifactPath('review-page.png'), fullPage: true,
    clip: { x: 0, y: Math.max(0, box.y - 60), width: LAPTOP.width, height: 640 } });
  await page.close();
  await Promise.all([trainer, orebro, uppsala].map((c) => c.close()));
});

test('the review of live operation is labelled LIVE and is Swedish too', async () => {
  const orebro = await server.client('tib-orebro');
  await ok(orebro, { v: 1, type: 'post_message', id: 'm-1', space: 'live', kind: 'alert', level: 'staff',
    to: ['orebro', 'sormland'], text: 'Skarpt larm: brand i Örebro.' });
  await ok(orebro, { v: 1, type: 'record_decision', id: 'd-1', space: 'live', region: 'orebro',
    decision: 'major_incident_declared' });
  await orebro.close();
  const token = server.tokens.trainer;
  const page = await suite.context.newPage();
  await page.setViewportSize(LAPTOP);
  await page.goto(server.url(`/review.html?space=live#token=${token}`));
  await page.locator('body[data-state="ok"]').waitFor({ timeout: 5000 });
  await page.locator('#indicators tr[data-indicator]').first().waitFor({ timeout: 5000 });
  assert.equal(await page.locator('#r-label').innerText(), 'LIVE');
  assert.equal(await page.locator('#exercise-banner').count(), 0, 'no ÖVNING banner on live operation');
  assert.doesNotMatch(await page.evaluate(() => document.body.innerText), /ÖVNING/);
  const review = (await getJson(server, '/api/review?space=live', token)).body;
  const state = (await getJson(server, '/api/state')).body;
  const written = new Set([...freeTexts(review), ...freeTexts(state), ...Object.keys(server.tokens)]);
  assertSwedish(await pageWords(page, written), 'live review');
  await page.screenshot({ path: artifactPath('review-live.png'), fullPage: true });
  await page.close();
});
