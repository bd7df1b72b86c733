// Lägesbild — "Lägesbild nu": the one-page summary a regional command sends upward every hour
// (GET /api/summary, protocol.md "Lägesbild nu"). Per region its readiness level and who decided
// it, free IVA, vårdplatser and operationssalar, reception P1–P3, what is unreported or stale and
// the larm it has not acknowledged; each region's hospitals under it; the healthcare region as a
// whole; then the open larm with who has not acknowledged. Printable on one A4 page (summary.css),
// downloadable as CSV (Swedish columns) and JSON. An exercise's summary says ÖVNING on screen, in
// print and in its file names.
//
// The summary is a document as of the moment it was made: ages are as of then, and the page says
// how long ago that was; "Uppdatera" makes a new one. On a server that requires sign-in the page
// sends the tab's token (session.js); exports with a token are fetched and saved from the page.
// Server strings reach the DOM only through textContent (h()/setText()).

import {READINESS, ERROR_TEXT, pageSpace, pageLink, syncExerciseBanner, h, setText, ageText, timeHM, dayLong, parseTime} from './common.js';
import {apiFetch, bindTokenSignIn, showResult, showTokenBox, storeToken, storedToken} from './session.js';
import {exportLink} from './review_export.js';
import {bedFigure, receptionFigure, readinessWords, freshnessWords, openMessageWords} from './summary_words.js';

const SPACE = pageSpace();
const BEDS = ['AdultICU', 'MedicalSurgical', 'OperatingRooms'];

const $ = (id) => document.getElementById(id);

const st = {summary: null, loadedAt: null, locked: false};

function names(summary) {
  const regions = new Map(), hospitals = new Map();
  for (const r of summary.regions || []) {
    regions.set(r.id, r.name);
    for (const x of r.hospitals || []) hospitals.set(x.id, x.name);
  }
  return {region: (id) => regions.get(id) || id, hospital: (id) => hospitals.get(id) || id};
}

// A hospital's row says nothing more than "–" for unknown (its Rapporterat cell says why); a
// region's and the total's say how many hospitals a sum lacks.
function bedCell(fig, single) {
  const w = bedFigure(fig);
  const note = w.note && (!single || w.state === 'none') ? w.note : '';
  return h('td', {class: `c-num fig-${w.state}`},
    h('span', {class: 's-main'}, w.main), w.of ? h('span', {class: 's-of'}, ` ${w.of}`) : null,
    note ? h('span', {class: 's-note'}, note) : null);
}

function receptionCell(reception, single) {
  const w = receptionFigure(reception);
  return h('td', {class: `c-num fig-${w.state}`}, h('span', {class: 's-main s-prio'}, w.text),
    w.note && !single ? h('span', {class: 's-note'}, w.note) : null);
}

function levelCell(row, now) {
  if (!row.readiness) return h('td', {class: 'c-level'});
  const w = readinessWords(row.readiness, now);
  return h('td', {class: 'c-level', dataset: {level: w.level || ''}},
    h('span', {class: `s-level lvl-${w.level || 'unknown'}`}, w.label),
    row.major_incident === true ? h('span', {class: 's-mi'}, '⚠ Allvarlig händelse') : null,
    w.decided ? h('span', {class: 's-note'}, w.decided) : null,
    w.reason ? h('span', {class: 's-reason'}, `”${w.reason}”`) : null);
}

function figureRow(kind, row, now, {unacknowledged = null} = {}) {
  const single = kind === 'hospital';
  const f = freshnessWords(row, now, {single});
  const acks = unacknowledged === null ? h('td', {class: 'c-acks'})
    : h('td', {class: `c-acks${unacknowledged.length ? ' has-open' : ''}`},
      unacknowledged.length ? `⚠ ${unacknowledged.length}` : '0');
  return h('tr', {class: `s-${kind}${f.stale ? ' is-stale' : ''}${f.never ? ' is-never' : ''}`,
    dataset: {row: kind, id: row.id, stale: String(f.stale)}},
  h('th', {scope: 'row', class: 'c-who'}, row.name),
  levelCell(row, now),
  ...BEDS.map((key) => bedCell(row.beds?.[key], single)),
  receptionCell(row.reception, single),
  acks,
  h('td', {class: 'c-fresh'}, h('span', {}, f.last), ...f.flags.map((text) => h('span', {class: 's-flag'}, text))));
}

function render() {
  const s = st.summary;
  const exercise = s.exercise === true;
  const now = parseTime(s.at);
  const n = names(s);
  const word = exercise ? 'ÖVNING' : 'LIVE';
  document.body.dataset.state = 'ready';
  document.body.dataset.label = word;
  document.body.classList.toggle('exercise', exercise);
  syncExerciseBanner(exercise, s.scenario?.name || SPACE);
  const chip = $('s-label');
  setText(chip, word);
  chip.classList.toggle('is-exercise', exercise);
  setText($('print-word'), word);
  const hcr = s.healthcare_region?.name || '';
  setText($('s-title'), `Lägesbild nu – ${hcr}`);
  setText($('print-title'), `${hcr}${exercise ? ` · ${s.scenario?.name || SPACE}` : ''} · ${dayLong(now)} ${timeHM(now)}`);
  document.title = `${exercise ? 'ÖVNING – ' : ''}Lägesbild nu ${timeHM(now)} – ${hcr}`;
  setText($('s-meta'), `${exercise ? `Övning: ${s.scenario?.name || SPACE} · övningstid ` : ''}` +
    `${dayLong(now)} kl. ${timeHM(now)} · logg nr ${s.seq}`);

  const rows = [];
  for (const region of s.regions || []) {
    rows.push(figureRow('region', region, now, {unacknowledged: region.unacknowledged || []}));
    for (const hosp of region.hospitals || []) rows.push(figureRow('hospital', hosp, now));
  }
  $('summary-rows').replaceChildren(...rows);
  $('summary-total').replaceChildren(figureRow('total', {...s.total, name: `Hela ${hcr}`}, now,
    {unacknowledged: s.total?.unacknowledged || []}));
  showHospitals();

  const warnings = [];
  const unreported = s.total?.unreported || [], stale = s.total?.stale || [];
  if (unreported.length) warnings.push(`${unreported.length} sjukhus har aldrig rapporterat: ${unreported.map(n.hospital).join(', ')}.`);
  if (stale.length) warnings.push(`${stale.length} sjukhus har uppgifter äldre än gränsen (INAKTUELLT): ${stale.map(n.hospital).join(', ')}.`);
  $('summary-warnings').replaceChildren(...warnings.map((text) => h('li', {}, text)));
  $('summary-warnings').hidden = !warnings.length;

  const open = s.open_messages || [];
  setText($('open-count'), String(open.length));
  $('open-empty').hidden = open.length > 0;
  $('open-table').hidden = open.length === 0;
  $('open-rows').replaceChildren(...open.map((m) => {
    const w = openMessageWords(m, now, n.region);
    return h('tr', {dataset: {message: m.id}},
      h('td', {}, w.when), h('td', {}, w.from),
      h('td', {class: 'c-text'}, h('b', {}, w.title), h('span', {class: 's-msg'}, w.text)),
      h('td', {class: 'c-pending'}, w.pending), h('td', {}, w.acked));
  }));
  setText($('s-foot'), `Lägesbild nu, ${word}. Sammanställd av servern ${dayLong(now)} kl. ${timeHM(now)}` +
    `${exercise ? ' (övningstid)' : ''}. ”–” = ej rapporterat; en summa som saknar sjukhus säger hur många. ` +
    `Beredskapslägen: ${Object.values(READINESS).map((r) => r.label.toLowerCase()).join(', ')}.`);
  $('summary-main').setAttribute('aria-busy', 'false');
  tick();
}

function showHospitals() {
  document.body.classList.toggle('hide-hospitals', !$('show-hospitals').checked);
}

function tick() {
  if (!st.loadedAt) return;
  setText($('refresh-state'), `Sammanställd ${timeHM(st.loadedAt)}, ${ageText(Date.now() - st.loadedAt)}.`);
}

function showError(text) {
  $('summary-error').hidden = !text;
  setText($('summary-error'), text || '');
}

const renderAuth = () => showTokenBox(st.locked);

async function load() {
  setText($('refresh-state'), 'Hämtar…');
  try {
    const res = await apiFetch(`/api/summary?space=${encodeURIComponent(SPACE)}`);
    if (res.status === 401 || res.status === 403) {
      if (res.status === 401 && storedToken()) {
        storeToken('');
        showResult($('sign-in-result'), 'error', 'Inloggningen misslyckades: nyckeln är okänd eller ogiltig.');
      }
      st.locked = true;
      if (!st.summary) document.body.dataset.state = 'locked';
      showError('Servern visar lägesbilden bara för inloggade. Logga in med din nyckel i rutan Inloggningsnyckel.');
      setText($('refresh-state'), '');
      renderAuth();
      return;
    }
    const body = await res.json().catch(() => null);
    if (!res.ok || body?.type !== 'summary') {
      showError(res.status === 404
        ? 'Det finns inget sådant läge på servern (övningen finns inte längre).'
        : `Kunde inte hämta lägesbilden (${ERROR_TEXT[body?.code] || 'fel från servern'}, HTTP ${res.status}).`);
      setText($('refresh-state'), '');
      return;
    }
    st.locked = false;
    if ($('sign-in-result').dataset.state === 'pending') showResult($('sign-in-result'), '', '');
    st.summary = body;
    st.loadedAt = Date.now();
    showError(null);
    renderAuth();
    render();
  } catch {
    showError('Ingen kontakt med servern. Tryck Uppdatera för att försöka igen.');
    setText($('refresh-state'), '');
  }
}

function start() {
  const q = `space=${encodeURIComponent(SPACE)}`;
  const prefix = SPACE === 'live' ? 'LAGESBILD' : 'OVNING';
  exportLink('export-json', `/api/summary?${q}`, `${prefix}-${SPACE}.json`, () => st.locked);
  exportLink('export-csv', `/api/summary?${q}&format=csv`, `${prefix}-${SPACE}.csv`, () => st.locked);
  $('board-link').href = pageLink('index.html');
  $('print').addEventListener('click', () => window.print());
  $('refresh').addEventListener('click', () => load());
  $('show-hospitals').addEventListener('change', showHospitals);
  bindTokenSignIn({render: renderAuth, reload: load});
  renderAuth();
  setInterval(tick, 15_000);
  load();
}

start();
