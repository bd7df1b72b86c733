// "Lägesbild nu" in words (web/summary_words.js), without a browser: a sum that lacks hospitals
// says so, unknown is "–" and never 0, a level says who set it, freshness counts, the open larm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bedFigure, receptionFigure, readinessWords, freshnessWords, openMessageWords } from '../../web/summary_words.js';

const T = Date.parse('2026-12-03T09:00:00.000Z');  // 10:00 in Sweden
const iso = (ms) => new Date(ms).toISOString();

test('a bed figure: known, partly known, unknown and a type the hospital does not have', () => {
  assert.deepEqual(bedFigure({ available: 12, baseline: 40, hospitals: 3, reported: 3, missing: 0 }),
    { main: '12', of: 'av 40', note: '', state: 'ok' });
  assert.deepEqual(bedFigure({ available: 5, baseline: 40, hospitals: 3, reported: 2, missing: 1 }),
    { main: '5', of: 'av 40', note: '1 sjukhus saknas', state: 'partial' });
  const unknown = bedFigure({ available: null, baseline: 40, hospitals: 3, reported: 0, missing: 3 });
  assert.equal(unknown.main, '–');
  assert.equal(unknown.state, 'unknown');
  assert.equal(bedFigure({ available: 0, baseline: 4, hospitals: 1, reported: 1, missing: 0 }).main, '0', 'a reported 0 is 0');
  assert.equal(bedFigure({ available: null, baseline: 0, hospitals: 0, reported: 0, missing: 0 }).state, 'none');
  assert.equal(bedFigure(undefined).state, 'none');
});

test('reception P1–P3: per hour, a missing priority as –, and how many hospitals a sum lacks', () => {
  const r = (per_hour, missing = 0) => ({ per_hour, hospitals: 2, reported: 2 - missing, missing });
  assert.deepEqual(receptionFigure({ P1: r(4), P2: r(8), P3: r(20) }), { text: '4 · 8 · 20', note: '', state: 'ok' });
  assert.deepEqual(receptionFigure({ P1: r(4, 1), P2: r(null, 2), P3: r(20) }),
    { text: '4 · – · 20', note: '2 sjukhus saknas', state: 'partial' });
  assert.equal(receptionFigure({ P1: r(null, 2), P2: r(null, 2), P3: r(null, 2) }).state, 'unknown');
  assert.equal(receptionFigure(null).text, '– · – · –');
});

test('a readiness level says who set it and when, and why when it is known', () => {
  const w = readinessWords({ level: 'staff', set_at: iso(T), set_by: 'tib-uppsala', reason: 'Bussolycka' }, T + 60_000);
  assert.deepEqual(w, { level: 'staff', label: 'Stabsläge', decided: 'satt 10:00 av tib-uppsala', reason: 'Bussolycka' });
  const never = readinessWords({ level: 'normal', set_at: null, set_by: null, reason: null }, T);
  assert.equal(never.label, 'Normalläge');
  assert.equal(never.decided, '');
  assert.equal(readinessWords({ level: 'bogus' }, T).label, 'Ej angivet');
});

test('freshness: a hospital is INAKTUELLT; a region counts what is never reported or stale', () => {
  const hospital = freshnessWords({ last_reported_at: iso(T - 40 * 60_000), unreported: [], stale: ['big'] }, T, { single: true });
  assert.equal(hospital.last, 'senast 09:20 (40 min)');
  assert.deepEqual(hospital.flags, ['INAKTUELLT']);
  const region = freshnessWords({ last_reported_at: iso(T), unreported: ['a', 'b'], stale: ['c'] }, T);
  assert.deepEqual(region.flags, ['1 sjukhus INAKTUELLT', '2 sjukhus aldrig rapporterat']);
  const never = freshnessWords({ last_reported_at: null, unreported: ['a'], stale: [] }, T);
  assert.equal(never.last, 'aldrig rapporterat');
  assert.deepEqual(never.flags, [], 'said once');
  assert.equal(never.never, true);
});

test('an open larm: when, from, level, who has not acknowledged and who has', () => {
  const names = { uppsala: 'Region Uppsala', dalarna: 'Region Dalarna', orebro: 'Region Örebro län' };
  const w = openMessageWords({
    id: 'live:7', kind: 'alert', at: iso(T - 5 * 60_000), from_region: 'orebro', sent_by: 'tib-orebro', level: 'disaster',
    text: 'Tågolycka', pending: ['uppsala', 'dalarna'], acknowledged: [{ region: 'orebro', at: iso(T), by: 'x' }],
  }, T, (id) => names[id]);
  assert.deepEqual(w, { when: '09:55 (5 min)', from: 'Örebro län', title: 'Larm – Katastrofläge', text: 'Tågolycka',
    pending: 'Uppsala, Dalarna', acked: 'Örebro län 10:00' });
  const scripted = openMessageWords({ kind: 'methane', at: iso(T), from_region: '', sender: 'SOS Alarm', pending: ['uppsala'] }, T);
  assert.equal(scripted.from, 'SOS Alarm');
  assert.equal(scripted.title, 'METHANE-rapport');
  assert.equal(scripted.acked, 'ingen ännu');
});
