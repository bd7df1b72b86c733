// The neighbours' section in words (web/neighbours.js), without a browser: a feed's health at a
// time — flagged by the server, or by the board itself once dead_at passes — and a hospital's
// figures, age and staleness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feedHealth, neighbourHospital, FEED_PROBLEMS } from '../../web/neighbours.js';

const T = Date.parse('2026-12-02T10:00:00.000Z');
const iso = (ms) => new Date(ms).toISOString();
const MIN = 60_000;

const answering = {
  name: 'Sydöstra', health: 'answering', interval_seconds: 60, fetched_at: iso(T), dead_at: iso(T + 75_000),
  failing_since: null, problem: null,
};

test('a feed answering is shown with when it was fetched; past dead_at it is dead, without word', () => {
  const fresh = feedHealth(answering, T + 30_000);
  assert.equal(fresh.state, 'answering');
  assert.match(fresh.text, /^Senast hämtat 11:00 \(/);
  const silent = feedHealth(answering, T + 75_000);
  assert.equal(silent.state, 'dead');
  assert.match(silent.text, /^FLÖDET SVARAR INTE – inget nytt från servern\. Senast hämtat 11:00/);
});

test('a failing feed says since when and why; one that never answered says so; waiting is waiting', () => {
  const failing = { ...answering, health: 'failing', failing_since: iso(T + 60_000), problem: { code: 'timeout', detail: 'no answer within 10 s' } };
  const words = feedHealth(failing, T + 61_000);
  assert.equal(words.state, 'dead');
  assert.match(words.text, /FLÖDET SVARAR INTE sedan 11:01 – svarar inte i tid\. Senast hämtat 11:00/);
  assert.equal(words.title, 'no answer within 10 s');
  const never = feedHealth({ name: 'X', health: 'failing', fetched_at: null, dead_at: null, failing_since: iso(T), problem: { code: 'exercise' } }, T);
  assert.match(never.text, /skickar en övning.*Har aldrig svarat\./);
  assert.equal(feedHealth({ name: 'X', health: 'waiting', fetched_at: null }, T).state, 'waiting');
  assert.equal(feedHealth({ name: 'X', health: 'bogus' }, T).state, 'dead', 'an unknown health is never fresh');
  for (const code of ['timeout', 'unreachable', 'tls', 'http_status', 'too_large', 'invalid_http', 'invalid_have', 'exercise']) {
    assert.ok(FEED_PROBLEMS[code], code);
  }
});

test('a hospital: figures with baselines, age, stale by stale_at, missing, unreported, or dead feed', () => {
  const hosp = {
    id: 'linkoping', name: 'Universitetssjukhuset i Linköping', missing: false, reported: true,
    last_update: iso(T - 12 * MIN), stale_at: iso(T + 48 * MIN),
    figures: { beds: { Burn: { available: 2, baseline: 3, surge24h: 1, surge72h: 2 }, AdultICU: { available: 5, baseline: 9 },
      MedicalSurgical: { available: 40, baseline: 555 } }, ed_status: 'restricted', reception: { P1: 4 } },
  };
  const view = neighbourHospital(hosp, T, false);
  assert.deepEqual(view.figures.map((f) => [f.key, f.available, f.baseline]),
    [['Burn', 2, 3], ['AdultICU', 5, 9], ['MedicalSurgical', 40, null]]);
  assert.equal(view.figures[0].surge72h, 2);
  assert.equal(view.ed.label, 'Begränsad');
  assert.deepEqual(view.reception, { P1: 4, P2: null, P3: null });
  assert.match(view.age, /^Rapporterat för 12 min sedan \(10:48\)$/);
  assert.equal(view.stale, false);
  assert.equal(neighbourHospital(hosp, T + 48 * MIN, false).stale, true);
  assert.equal(neighbourHospital(hosp, T, true).stale, true, 'a dead feed is never current');
  assert.match(neighbourHospital({ id: 'x', missing: true }, T, false).age, /Finns inte/);
  const unreported = neighbourHospital({ ...hosp, reported: false }, T, false);
  assert.equal(unreported.stale, true);
  assert.match(unreported.age, /Ej rapporterat/);
});
