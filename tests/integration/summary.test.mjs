// "Lägesbild nu" over HTTP (GET /api/summary): JSON and CSV with Swedish columns, live and an
// exercise (labelled ÖVNING, never mixed with live), empty and busy, names with å/ä/ö and the
// characters CSV must quote; who set each level and why; the larm a region has not acknowledged;
// and what a client may not ask for.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { scratchDir, serverFixture, withServer } from '../support/fixture.mjs';

const dir = scratchDir();
const config = JSON.parse(readFileSync(join(repoRoot, 'config', 'mellansverige.json'), 'utf8'));
const uppsala = config.regions.find((r) => r.id === 'uppsala');
uppsala.name = 'Region Uppsala; "Ö" & <Å>';
uppsala.hospitals.find((h) => h.id === 'enkoping').name = 'Lasarettet i Enköping; "Åre"\nny rad';
const configPath = join(dir.path, 'config.json');
writeFileSync(configPath, JSON.stringify(config));
const hospitalCount = config.regions.reduce((n, r) => n + r.hospitals.length, 0);

const server = serverFixture({ dir, args: ['--config', configPath] });
before(() => server.ready);

async function get(path, init) {
  const response = await fetch(server.url(path), init);
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, text: bytes.toString('utf8') };
}

/** RFC 4180 with ';': rows of cells; quoted cells may hold ';', '"' (doubled) and line breaks. */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false, i = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** The CSV's two tables as objects keyed by their Swedish column names, and its first line. */
function readSummaryCsv(text) {
  assert.ok(text.startsWith('\uFEFF'), 'a byte order mark: spreadsheets read it as UTF-8');
  const rows = parseCsv(text.slice(1));
  const title = rows[0].join(';');
  const tables = [];
  let head = null;
  for (const row of rows.slice(1)) {
    if (row.length === 1 && (row[0] === '' || row[0].startsWith('#'))) { head = null; continue; }
    if (!head) { head = row; tables.push([]); continue; }
    assert.equal(row.length, head.length, `a row of ${head.length} cells: ${row.join('|')}`);
    tables.at(-1).push(Object.fromEntries(head.map((name, i) => [name, row[i]])));
  }
  return { title, figures: tables[0], open: tables[1] ?? [] };
}

test('an empty space: every region and hospital, nothing reported shown as unknown, never as 0', async () => {
  const json = await get('/api/summary?space=live');
  assert.equal(json.status, 200);
  assert.match(json.headers.get('content-type'), /^application\/json/);
  const body = JSON.parse(json.text);
  assert.equal(body.v, 1);
  assert.equal(body.type, 'summary');
  assert.equal(body.label, 'LIVE');
  assert.equal(body.regions.length, config.regions.length);
  assert.equal(body.regions.flatMap((r) => r.hospitals).length, hospitalCount);
  assert.equal(body.total.beds.AdultICU.available, null);
  assert.equal(body.total.unreported.length, hospitalCount);
  assert.deepEqual(body.open_messages, []);

  const csv = await get('/api/summary?space=live&format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(csv.headers.get('content-disposition'), /^attachment; filename="LAGESBILD-live-\d{4}-\d\d-\d\d-\d{4}\.csv"$/);
  const { title, figures, open } = readSummaryCsv(csv.text);
  assert.match(title, /^# LIVE – Sjukvårdsregion Mellansverige – Lägesbild nu \d{4}-\d\d-\d\d \d\d:\d\d \(svensk tid\)/);
  assert.equal(figures.length, config.regions.length + hospitalCount + 1);
  assert.deepEqual(figures.map((r) => r['nivå']).filter((n) => n === 'sjukvårdsregion').length, 1);
  for (const row of figures) {
    assert.equal(row['lediga IVA'], '', `nothing reported is empty, not 0 (${row.region} ${row.sjukhus})`);
    assert.equal(row['mottagning P1 per timme'], '');
  }
  assert.equal(open.length, 0);
  const head = await fetch(server.url('/api/summary?format=csv'), { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('a busy space: sums, who set the level and why, the larm a region owes, names quoted safely', async () => {
  const tib = await server.client('tib-uppsala');
  for (const [hospital, icu] of [['akademiska', 5], ['enkoping', 2]]) {
    const ack = await tib.command(report(hospital, { beds: { AdultICU: { available: icu } }, reception: { P1: 3 } }));
    assert.equal(ack.type, 'ack', JSON.stringify(ack));
  }
  assert.equal((await tib.command({ v: 1, type: 'set_region_readiness', id: 'rd-1', space: 'live', region: 'uppsala',
    level: 'reinforced', reason: 'Brand i "Gamla stan"; många brännskadade' })).type, 'ack');
  const admin = await server.client('admin');
  const posted = await admin.command({ v: 1, type: 'post_message', id: 'al-1', space: 'live', kind: 'alert',
    to: ['uppsala', 'orebro'], level: 'staff', text: '=1+1 Brand i Uppsala; gå upp i stabsläge' });
  assert.equal(posted.type, 'ack', JSON.stringify(posted));
  const alert = `live:${posted.seq}`;
  const orebro = await server.client('tib-orebro');
  assert.equal((await orebro.command({ v: 1, type: 'acknowledge', id: 'k-1', space: 'live', message: alert })).type, 'ack');

  const body = JSON.parse((await get('/api/summary')).text);
  const region = body.regions.find((r) => r.id === 'uppsala');
  assert.equal(region.name, uppsala.name);
  assert.equal(region.beds.AdultICU.available, 7);
  assert.equal(region.beds.AdultICU.reported, 2);
  assert.equal(region.reception.P1.per_hour, 6);
  assert.deepEqual(region.readiness, { level: 'reinforced', set_at: region.readiness.set_at, set_by: 'tib-uppsala',
    reason: 'Brand i "Gamla stan"; många brännskadade' });
  assert.deepEqual(region.unacknowledged, [alert]);
  assert.deepEqual(body.regions.find((r) => r.id === 'orebro').unacknowledged, []);
  assert.equal(body.open_messages.length, 1);
  assert.deepEqual(body.open_messages[0].pending, ['uppsala']);
  assert.equal(body.open_messages[0].acknowledged[0].by, 'tib-orebro');

  const { figures, open } = readSummaryCsv((await get('/api/summary?format=csv')).text);
  const row = figures.find((r) => r['nivå'] === 'region' && r.region === uppsala.name);
  assert.ok(row, 'the region, its name intact through the quoting');
  assert.equal(row['beredskapsläge'], 'förstärkningsläge');
  assert.equal(row['beslutat av'], 'tib-uppsala');
  assert.equal(row['motivering'], 'Brand i "Gamla stan"; många brännskadade');
  assert.equal(row['lediga IVA'], '7');
  assert.equal(row['IVA ej rapporterat (sjukhus)'], String(uppsala.hospitals.length - 2));
  assert.equal(row['ej kvitterade larm'], '1');
  const enkoping = figures.find((r) => r.sjukhus === 'Lasarettet i Enköping; "Åre"\nny rad');
  assert.equal(enkoping['lediga IVA'], '2');
  const total = figures.find((r) => r['nivå'] === 'sjukvårdsregion');
  assert.equal(total['lediga IVA'], '7');
  assert.equal(open.length, 1);
  assert.equal(open[0].typ, 'larm');
  assert.equal(open[0].text, "'=1+1 Brand i Uppsala; gå upp i stabsläge", 'a formula is not run by a spreadsheet');
  assert.equal(open[0]['ej kvitterat av'], uppsala.name);
  assert.match(open[0]['kvitterat av'], /^Region Örebro län \d{4}-\d\d-\d\d \d\d:\d\d \(tib-orebro\)$/);
});

test('an exercise\'s summary is ÖVNING in every form and never holds live figures', async () => {
  const trainer = await server.client('trainer');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'x-1', scenario: 'demo-10min', paused: true });
  assert.equal(started.type, 'ack', JSON.stringify(started));
  const tib = await server.client('tib-uppsala');
  assert.equal((await tib.command(report('akademiska', { beds: { AdultICU: { available: 1 } } }, started.space))).type, 'ack');

  const body = JSON.parse((await get(`/api/summary?space=${started.space}`)).text);
  assert.equal(body.label, 'ÖVNING');
  assert.equal(body.exercise, true);
  assert.equal(body.scenario.id, 'demo-10min');
  const region = body.regions.find((r) => r.id === 'uppsala');
  const akademiska = region.hospitals.find((x) => x.id === 'akademiska');
  assert.equal(akademiska.beds.AdultICU.available, 1, 'the exercise\'s own report');
  assert.equal(region.hospitals.find((x) => x.id === 'enkoping').beds.AdultICU.available, 1, 'the scenario\'s baseline, not live\'s 2');
  const csv = await get(`/api/summary?space=${started.space}&format=csv`);
  assert.match(csv.headers.get('content-disposition'), /filename="OVNING-/);
  const { title } = readSummaryCsv(csv.text);
  assert.match(title, /^# ÖVNING – /);
  const live = JSON.parse((await get('/api/summary?space=live')).text);
  assert.equal(live.regions.find((r) => r.id === 'uppsala').beds.AdultICU.available, 7, 'live untouched');
});

test('a bad format, an unknown space and the catalogue are refused with a clear error', async () => {
  const bad = await get('/api/summary?format=xlsx');
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.text).code, 'invalid_value');
  const unknown = await get('/api/summary?space=finns-inte');
  assert.equal(unknown.status, 404);
  assert.equal(JSON.parse(unknown.text).code, 'unknown_space');
  for (const space of ['scenarios', 'audit']) {
    const refused = await get(`/api/summary?space=${space}`);
    assert.ok([401, 403, 404].includes(refused.status), `${space}: status ${refused.status}`);
    assert.notEqual(JSON.parse(refused.text).type, 'summary');
  }
  const long = await get(`/api/summary?space=${'x'.repeat(5000)}`);
  assert.ok([404, 414].includes(long.status), `status ${long.status}`);
  const post = await get('/api/summary', { method: 'POST', body: 'x' });
  assert.equal(post.status, 405);
});

test('on a server that requires sign-in the summary needs a token', async () => {
  await withServer({ args: ['--require-sign-in'] }, async (srv) => {
    const anonymous = await fetch(srv.url('/api/summary'));
    assert.equal(anonymous.status, 401);
    const signed = await fetch(srv.url('/api/summary?format=csv'), { headers: { Authorization: `Bearer ${srv.tokens.viewer}` } });
    assert.equal(signed.status, 200);
    assert.match(Buffer.from(await signed.arrayBuffer()).toString('utf8'), /^\uFEFF# LIVE/);
  });
});
