// Lägesbild — the after-action review of one exercise, or of live operation (protocol.md
// "After-action review"): the timed performance indicators per region and hospital, checkpoints
// against their targets, the outcomes per casualty wave (review_outcomes.js), acknowledgement times per alert and region, time to each hospital's first
// capacity report, and the whole timeline, every word of it Swedish. Printable (review.css @media print)
// and exportable (GET /api/review?space=S, &format=csv). While the exercise is still going it is
// fetched again every 10 s (live operation's too). Names of regions, hospitals and messages come
// from GET /api/state. A review labelled LIVE says so instead of ÖVNING.
// Server strings reach the DOM only through textContent (h()/setText()).
//
// While the exercise runs (or is paused) the review is for trainers only, and on a server started
// with --require-sign-in every read needs a token: the page sends the tab's token (session.js) as
// Authorization: Bearer, and on 401/403 says why and offers the sign-in box. A link cannot carry
// that header, so with a token the exports are fetched and saved from the page (a Blob).
// A review that covers only the first events of the log (`truncated`), or lacks events that could
// not be read (`unreadable`), says so above the tables, in print too.

import {
  EXERCISE_STATUS, MESSAGE_KINDS, EVENT_KINDS, ERROR_TEXT, pageSpace, syncExerciseBanner,
  exerciseElapsed, exerciseName, targetStatus, h, setText, formatElapsed, timeHMS, timeHM, parseTime, shortRegionName,
  durationText,
} from './common.js';
import {apiFetch, bindTokenSignIn, showResult, showTokenBox, storeToken, storedToken} from './session.js';
import {timelineText} from './summaries.js';
import {OUTCOME_TABLE, outcomeRows} from './review_outcomes.js';
import {missing, checkpointRows, indicatorRows} from './review_targets.js';
import {exportLink} from './review_export.js';

const SPACE = pageSpace();
const REFRESH_MS = 10_000;

const $ = (id) => document.getElementById(id);

const st = {
  review: null,
  locked: null,         // why the server would not show the review ({title, text}), or null
  names: {regions: new Map(), hospitals: new Map(), messages: new Map(), regionOf: new Map()},
  namesLoaded: false,
  loadedAt: null,
  timer: null,
};

const regionName = (id) => st.names.regions.get(id) || id;
const hospitalName = (id) => st.names.hospitals.get(id) || id;
/** A review of live operation (GET /api/review?space=live): labelled LIVE, not ÖVNING. */
const isLive = () => st.review?.label === 'LIVE' || (!st.review && SPACE === 'live');
const labelWord = () => (isLive() ? 'LIVE' : 'ÖVNING');
const elapsedText = (ms) => (Number.isFinite(ms) ? formatElapsed(ms) : '–');

function actorText(actor) {
  if (!actor || typeof actor !== 'object') return '–';
  if (actor.kind === 'scenario') return 'Scenariot';
  if (actor.kind === 'system' || actor.kind === 'server') return 'Servern';
  return actor.id || '–';
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** The exercise clock when the review was fetched (its exercise_info is as of the last clock event). */
function elapsedAtLoad() {
  return exerciseElapsed(st.review?.exercise_info, st.loadedAt ?? Date.now());
}

function renderHeader(r) {
  const info = r?.exercise_info || null;
  const live = isLive();
  const word = labelWord();
  const name = live ? 'Skarpt läge' : r?.scenario?.name || exerciseName(info, '') || 'Övningen';
  setText($('r-title'), `Utvärdering: ${name}`);
  setText($('print-title'), name);
  setText($('r-label'), word);
  setText($('print-word'), word);
  $('r-label').className = `space-chip ${live ? 'is-live' : 'is-exercise'}`;
  document.body.classList.toggle('exercise', !live);
  document.body.dataset.label = word;
  document.title = `${word} – Utvärdering ${name} – Lägesbild`;
  const status = EXERCISE_STATUS[info?.status] ? info.status : '';
  document.body.dataset.exerciseStatus = status;
  const parts = [];
  const from = parseTime(r?.period?.from ?? r?.from), to = parseTime(r?.period?.to ?? r?.to);
  if (live && (Number.isFinite(from) || Number.isFinite(to))) {
    parts.push(`period ${Number.isFinite(from) ? `${dateText(from)} ${timeHM(from)}` : 'från början'}` +
      ` – ${Number.isFinite(to) ? `${dateText(to)} ${timeHM(to)}` : 'nu'}`);
  }
  const start = parseTime(info?.start);
  if (Number.isFinite(start)) parts.push(`startad ${dateText(start)} ${timeHM(start)}`);
  const elapsed = elapsedAtLoad();
  if (Number.isFinite(elapsed)) {
    const planned = Number(info.planned_ms);
    parts.push(`övningstid ${formatElapsed(elapsed)}${planned > 0 ? ` av planerat ${formatElapsed(planned)}` : ''}`);
  }
  if (status) parts.push(EXERCISE_STATUS[status].label);
  setText($('r-meta'), parts.join(' · '));
  syncExerciseBanner(!live, `Utvärdering av ”${name}” – inte skarpt läge`);
}

const dateText = (t) => new Intl.DateTimeFormat('sv-SE',
  {timeZone: 'Europe/Stockholm', day: 'numeric', month: 'long', year: 'numeric'}).format(t);

// The review's tables, each in its own section: its id, heading, a hint, the note shown while it
// has no rows, and its columns (heading, class) in the order the rows below fill them.
const TABLES = [
  {id: 'indicators', title: 'Prestationsindikatorer', titleId: 'ind-title',
    hint: 'Tid från det första larmet till regionen till beslutet, mot målet. Räknas för varje region som ' +
      'larmet nådde och för regionens sjukhus; ett beslut före larmet räknas som uppfyllt.',
    empty: 'Inget larm har nått någon region: inga indikatorer att redovisa.',
    columns: [['Indikator'], ['Mål', 't-num'], ['Utfört, efter larmet', 't-num'], ['Resultat'], ['Av']]},
  {id: 'checkpoints', title: 'Kontrollpunkter', titleId: 'cp-title',
    hint: 'Mål enligt scenariot mot faktisk tid (övningstid, tid sedan övningens 00:00).',
    empty: 'Scenariot har inga kontrollpunkter.',
    columns: [['Kontrollpunkt'], ['Mål, senast', 't-num'], ['Utfört', 't-num'], ['Marginal'], ['Resultat'], ['Av']]},
  OUTCOME_TABLE,
  {id: 'acknowledgements', title: 'Kvittenser per larm och region', titleId: 'ack-title',
    empty: 'Inga meddelanden som krävde kvittens.',
    columns: [['Region'], ['Skickat', 't-num'], ['Kvitterat', 't-num'], ['Tid till kvittens', 't-num'], ['Av']]},
  {id: 'first-reports', title: 'Tid till första kapacitetsrapport per sjukhus', titleId: 'fr-title',
    empty: 'Inga sjukhus att redovisa.',
    columns: [['Sjukhus'], ['Region'], ['Första rapport', 't-num'], ['Av']]},
  {id: 'review-timeline', title: 'Tidslinje', titleId: 'tl-title', tableClass: 'r-timeline',
    empty: 'Inga händelser ännu.',
    columns: [['Övningstid', 't-num'], ['Klockan', 't-num'], ['Nr', 't-num'], ['Händelse'], ['Av'], ['Vad']]},
];

function buildTables() {
  $('review').append(...TABLES.map((t) => h('section', {class: 'r-section', 'aria-labelledby': t.titleId},
    h('h2', {id: t.titleId}, t.title),
    t.hint ? h('p', {class: 'r-hint'}, t.hint) : null,
    h('table', {id: t.id, class: `r-table${t.tableClass ? ` ${t.tableClass}` : ''}`},
      h('thead', {}, h('tr', {}, ...t.columns.map(([text, cls]) => h('th', {scope: 'col', class: cls}, text)))),
      h('tbody')),
    h('p', {class: 'r-empty', id: `${t.id}-empty`, hidden: true}, t.empty))));
}

/** The rows of table #id; the table hides, and its note "none" shows, while it has none. */
function fillTable(id, rows) {
  $(id).tBodies[0].replaceChildren(...rows);
  $(id).hidden = rows.length === 0;
  $(`${id}-empty`).hidden = rows.length > 0;
}

const isSet = (v) => v !== null && v !== undefined;

/** "3 av 5" in the summary figure `id`: good when every one is done. */
function doneStat(id, done, total) {
  setStat(id, total ? `${done} av ${total}` : '–', total && done < total ? 'warn' : total ? 'good' : '');
}

function renderCheckpoints(r) {
  // The exercise targets ("checkpoints" before they were named targets).
  const targets = r.targets ?? r.checkpoints;
  const list = Array.isArray(targets) ? targets : [];
  const opened = new Map((r.injects || []).map((i) => [i.id, i.at_ms]));
  fillTable('checkpoints', checkpointRows(list, opened, elapsedAtLoad()));
  // Live operation has no scenario, so no checkpoints: the section goes.
  $('checkpoints').closest('section').hidden = isLive() && list.length === 0;
  $('stat-checkpoints').hidden = isLive() && list.length === 0;
  statusStat('stat-checkpoints', list.map((c) => targetStatus(c.status)));
}

/** "3 av 5" met in the summary figure `id`: bad when one is not met, good when all are. */
function statusStat(id, statuses) {
  const met = statuses.filter((x) => x === 'met').length;
  setStat(id, statuses.length ? `${met} av ${statuses.length}` : '–',
    statuses.includes('not_met') ? 'bad' : statuses.length && met === statuses.length ? 'good' : '');
}

function renderIndicators(r) {
  const list = Array.isArray(r.indicators) ? r.indicators : [];
  fillTable('indicators', indicatorRows(list, {
    live: isLive(), regionName, hospitalName, regionOf: (id) => st.names.regionOf.get(id),
  }));
  statusStat('stat-indicators', list.map((x) => targetStatus(x.status)));
}

/** Utfall: per casualty wave (review_outcomes.js); live operation has none, and no section. */
function renderOutcomes(r) {
  const list = Array.isArray(r.outcomes) ? r.outcomes : [];
  fillTable('outcomes', outcomeRows(list, {region: (id) => shortRegionName(regionName(id))}));
  $('outcomes').closest('section').hidden = (isLive() || !Array.isArray(r.outcomes)) && list.length === 0;
}

function messageTitle(entry) {
  const m = st.names.messages.get(entry.message);
  const kind = MESSAGE_KINDS[m?.kind]?.label || 'Meddelande';
  const text = m?.text ? String(m.text) : '';
  const seq = /:(\d+)$/.exec(String(entry.message || ''))?.[1];
  return {kind, icon: m ? MESSAGE_KINDS[m.kind]?.icon || '•' : '•', text,
    ref: [entry.inject ? 'inspel' : null, seq ? `meddelande nr ${seq}` : null].filter(Boolean).join(', ') || 'meddelande'};
}

function renderAcknowledgements(r) {
  const list = Array.isArray(r.acknowledgements) ? r.acknowledgements : [];
  const groups = new Map();
  for (const a of list) {
    if (!groups.has(a.message)) groups.set(a.message, []);
    groups.get(a.message).push(a);
  }
  const rows = [];
  for (const [message, entries] of groups) {
    const t = messageTitle(entries[0]);
    const acked = entries.filter((a) => isSet(a.acknowledged_ms)).length;
    rows.push(h('tr', {class: 'ack-group', dataset: {message}},
      h('th', {scope: 'rowgroup', colspan: 5},
        h('span', {class: 'ack-kind'}, h('span', {'aria-hidden': 'true'}, `${t.icon} `), t.kind),
        t.text ? h('span', {class: 'ack-text'}, t.text) : null,
        h('span', {class: 'ack-ref'}, `${t.ref} · ${acked} av ${entries.length} kvitterade`))));
    for (const a of entries) {
      const done = isSet(a.acknowledged_ms);
      const sent = Number(a.sent_ms);
      const ack = done ? Number(a.acknowledged_ms) : NaN;
      rows.push(h('tr', {class: done ? 'acked' : 'not-acked',
        dataset: {message, region: a.region, acked: done ? 'true' : 'false'}},
      h('td', {}, regionName(a.region)),
      h('td', {class: 't-num'}, elapsedText(sent)),
      h('td', {class: 't-num'}, done ? elapsedText(ack) : missing('Ej kvitterat')),
      h('td', {class: 't-num'}, done && Number.isFinite(sent) ? durationText(ack - sent) : '–'),
      h('td', {}, a.by || '–')));
    }
  }
  fillTable('acknowledgements', rows);
  doneStat('stat-acks', list.filter((a) => isSet(a.acknowledged_ms)).length, list.length);
}

function renderFirstReports(r) {
  const list = Array.isArray(r.first_reports) ? [...r.first_reports] : [];
  list.sort((a, b) => (a.first_report_ms ?? Infinity) - (b.first_report_ms ?? Infinity));
  const rows = list.map((f) => {
    const done = isSet(f.first_report_ms);
    const region = st.names.regionOf.get(f.hospital);
    return h('tr', {class: done ? '' : 'not-reported', dataset: {hospital: f.hospital, reported: done ? 'true' : 'false'}},
      h('td', {class: 'fr-name'}, hospitalName(f.hospital)),
      h('td', {}, region ? shortRegionName(regionName(region)) : '–'),
      h('td', {class: 't-num'}, done ? elapsedText(Number(f.first_report_ms)) : missing('Ingen rapport')),
      h('td', {}, f.by || '–'));
  });
  fillTable('first-reports', rows);
  doneStat('stat-reports', list.filter((f) => isSet(f.first_report_ms)).length, list.length);
}

function renderTimeline(r) {
  const list = Array.isArray(r.timeline) ? r.timeline : [];
  const places = new Map((Array.isArray(r.outcomes) ? r.outcomes : []).map((o) => [o.wave, o.location]));
  const waveName = (id) => places.get(id) || undefined;
  const rows = list.map((e) => {
    const at = parseTime(e.at);
    const scenario = e.actor?.kind === 'scenario';
    return h('tr', {class: `${scenario ? 'by-scenario' : ''} ev-${e.kind}`, dataset: {seq: String(e.seq ?? ''), kind: e.kind || ''}},
      h('td', {class: 't-num'}, elapsedText(Number(e.elapsed_ms))),
      h('td', {class: 't-num'}, Number.isFinite(at) ? timeHMS(at) : '–'),
      h('td', {class: 't-num'}, String(e.seq ?? '')),
      h('td', {class: 'ev-kind'}, EVENT_KINDS[e.kind] || 'Händelse'),
      h('td', {class: 'ev-actor'}, scenario ? h('span', {class: 'actor-scenario'}, 'Scenariot') : actorText(e.actor)),
      h('td', {class: 'ev-summary'}, timelineText(e.summary, {region: regionName, hospital: hospitalName, wave: waveName,
        incident: (id) => (st.names.messages.has(id) ? messageWords(st.names.messages.get(id)) : undefined)})));
  });
  fillTable('review-timeline', rows);
  // Live operation has no exercise time: its times count from the period's start.
  setText($('review-timeline').tHead.rows[0].cells[0], isLive() ? 'Tid' : 'Övningstid');
  setStat('stat-events', String(list.length), '');
}

/** A message named in a decision: "larm 10:20 ”Bussolycka…”". */
function messageWords(m) {
  const kind = (MESSAGE_KINDS[m.kind]?.label || 'meddelande').toLowerCase();
  const t = parseTime(m.at);
  const text = m.text ? ` ”${String(m.text).slice(0, 40)}${String(m.text).length > 40 ? '…' : ''}”` : '';
  return `${kind}${Number.isFinite(t) ? ` ${timeHM(t)}` : ''}${text}`;
}

function setStat(id, value, tone) {
  const el = $(id);
  setText(el.querySelector('.r-stat-num'), value);
  el.dataset.tone = tone || '';
}

/** What the review may lack: it covers only the first events, or some could not be read. */
function renderWarnings(r) {
  const items = [];
  if (r.truncated === true) {
    const n = Number(r.events_read);
    items.push(`Utvärderingen omfattar bara de första ${Number.isFinite(n) && n > 0 ? n.toLocaleString('sv-SE') : '200 000'} ` +
      'händelserna i övningens logg. Det som hände därefter saknas i tabellerna nedan.');
  }
  const unreadable = Array.isArray(r.unreadable) ? r.unreadable : [];
  if (unreadable.length) {
    const n = unreadable.length;
    const some = unreadable.slice(0, 10).join(', ') + (n > 10 ? ' …' : '');
    items.push(`${n} ${n === 1 ? 'händelse' : 'händelser'} i loggen kunde inte läsas och saknas i utvärderingen (nr ${some}).`);
  }
  $('review-warnings').replaceChildren(...items.map((text) => h('li', {}, text)));
  $('review-warnings').hidden = items.length === 0;
}

function render() {
  const r = st.review;
  renderHeader(r);
  if (!r) return;
  renderWarnings(r);
  renderIndicators(r);
  renderCheckpoints(r);
  renderOutcomes(r);
  renderAcknowledgements(r);
  renderFirstReports(r);
  renderTimeline(r);
  $('review').setAttribute('aria-busy', 'false');
  document.body.dataset.state = 'ok';
  renderRefresh();
}

function renderRefresh() {
  const status = st.review?.exercise_info?.status;
  const going = status && status !== 'stopped';
  setText($('refresh-state'), st.loadedAt === null ? ''
    : `${isLive() ? 'Skarpt läge: uppdateras var 10:e sekund' : going ? 'Övningen pågår: uppdateras var 10:e sekund'
      : 'Övningen är avslutad'} · hämtad ${timeHMS(st.loadedAt)}`);
}

// ---------------------------------------------------------------------------------------------
// Loading

function showError(text) {
  const el = $('review-error');
  el.hidden = !text;
  setText(el, text || '');
  if (text && !st.review) document.body.dataset.state = 'error';
}

async function loadNames() {
  try {
    const res = await apiFetch(`/api/state?space=${encodeURIComponent(SPACE)}`);
    if (!res.ok) return;
    const snap = await res.json();
    const s = snap?.state || {};
    for (const r of s.regions || []) {
      st.names.regions.set(r.id, r.name);
      for (const hid of r.hospitals || []) st.names.regionOf.set(hid, r.id);
    }
    for (const x of s.hospitals || []) {
      st.names.hospitals.set(x.id, x.name);
      if (x.region) st.names.regionOf.set(x.id, x.region);
    }
    for (const m of s.messages || []) st.names.messages.set(m.id, m);
    st.namesLoaded = true;
  } catch { /* ids are shown instead of names */ }
}

/** The sign-in box: shown while the review needs a token, or one is in use. */
function renderAuth() {
  showTokenBox(st.locked);
  $('sign-in').disabled = false;
  $('review-locked').hidden = !st.locked;
  setText($('review-locked-title'), st.locked?.title || '');
  setText($('review-locked-text'), st.locked?.text || '');
}

/** Why the server refused the review (401, 403), and what to do. */
async function refused(res) {
  if (res.status === 401 && storedToken()) {
    storeToken('');  // unknown: it would be refused on every request
    showResult($('sign-in-result'), 'error', 'Inloggningen misslyckades: nyckeln är okänd eller ogiltig.');
  } else if (res.status === 403) {
    showResult($('sign-in-result'), 'error', 'Din nyckel är inte en övningsledares.');
  } else if ($('sign-in-result').dataset.state === 'pending') {
    showResult($('sign-in-result'), '', '');
  }
  // On a server that requires sign-in every read is refused without a token, not only this one.
  const everything = res.status === 401 &&
    await apiFetch('/api/spaces').then((r) => r.status === 401, () => false);
  st.locked = everything
    ? {title: 'Logga in för att se utvärderingen',
      text: 'Servern visar bara för inloggade. Logga in med din nyckel i rutan Inloggningsnyckel. ' +
        'Medan övningen pågår visas utvärderingen bara för övningsledare; när den är avslutad för alla inloggade.'}
    : {title: 'Utvärderingen visas bara för övningsledare medan övningen pågår',
      text: 'När övningen är avslutad är utvärderingen öppen för alla. Är du övningsledare: logga in med ' +
        'din nyckel i rutan Inloggningsnyckel. Sidan försöker igen var 10:e sekund.'};
  if (!st.review) document.body.dataset.state = 'locked';  // no empty tables under the notice
  renderAuth();
}

/** The review's address: the space, and for live operation the period asked for (?from=&to=). */
function reviewQuery() {
  const q = new URLSearchParams({space: SPACE});
  const page = new URLSearchParams(location.search);
  for (const k of ['from', 'to']) if (page.get(k)) q.set(k, page.get(k));
  return q.toString();
}

async function load() {
  try {
    const res = await apiFetch(`/api/review?${reviewQuery()}`);
    if (res.status === 401 || res.status === 403) {
      await refused(res);
      return;
    }
    if (!res.ok) {
      const body = await res.json().catch(() => null);
      showError(res.status === 404
        ? (SPACE === 'live' ? 'Servern har ingen utvärdering av skarpt läge.'
          : 'Ingen utvärdering finns för den här övningen: den finns inte (längre) på servern.')
        : `Kunde inte hämta utvärderingen (${ERROR_TEXT[body?.code] || 'fel från servern'}, HTTP ${res.status}).`);
      return;
    }
    if ($('sign-in-result').dataset.state === 'pending') showResult($('sign-in-result'), '', '');
    if (st.locked) {
      st.locked = null;
      renderAuth();
    }
    const body = await res.json();
    // Messages posted since the names were read: read them again.
    const known = (body.acknowledgements || []).every((a) => st.names.messages.has(a.message));
    if (!known || !st.namesLoaded) await loadNames();
    st.review = body;
    st.loadedAt = Date.now();
    showError(null);
    render();
  } catch {
    showError(st.review ? 'Kunde inte uppdatera utvärderingen – visar senast hämtade.' : 'Kunde inte hämta utvärderingen från servern.');
  } finally {
    schedule();
  }
}

/** Fetches again in 10 s while the exercise is still going (running or paused). */
function schedule() {
  clearTimeout(st.timer);
  const status = st.review?.exercise_info?.status;
  if (st.review && status === 'stopped' && !isLive()) { renderRefresh(); return; }
  st.timer = setTimeout(load, REFRESH_MS);
}

// ---------------------------------------------------------------------------------------------
// Exports

/**
 * An export link. Without a token the link itself downloads (the review of a stopped exercise is
 * open to all); with one it cannot carry the header, so the page fetches it and saves a Blob.
 */
function start() {
  const q = reviewQuery();
  // Labelled ÖVNING (LIVE for live operation), as the server names the CSV (Content-Disposition).
  const prefix = SPACE === 'live' ? 'LIVE' : 'OVNING';
  exportLink('export-json', `/api/review?${q}`, `${prefix}-${SPACE}.json`, () => st.locked);
  exportLink('export-csv', `/api/review?${q}&format=csv`, `${prefix}-${SPACE}.csv`, () => st.locked);
  bindTokenSignIn({render: renderAuth, reload: load});
  renderAuth();
  const spaceQ = SPACE === 'live' ? '' : `?space=${encodeURIComponent(SPACE)}`;
  $('trainer-link').href = `trainer.html${spaceQ}`;
  $('board-link').href = `index.html${spaceQ}`;
  if (SPACE === 'live') setText($('board-link'), 'Lägesbilden');
  $('print').addEventListener('click', () => window.print());
  buildTables();
  renderHeader(null);
  load();
}

start();
