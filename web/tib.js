// Lägesbild — the TiB page: one region's hospitals, its readiness level and its messages, for the
// duty officer (tjänsteman i beredskap) on a laptop or a tablet.
//
// One WebSocket to /ws?space=… (protocol.md). On every (re)connect the page first sends
// `hello {token}` (session.js); the server answers `welcome {user}` or `error unauthorized`. Until
// then, and without a token, the connection is an anonymous viewer and the page is read-only.
// Commands name their space; a command is shown as saved only when its durable `ack` arrives.
// The inbox holds what the snapshot carries (the newest and the open messages, within a budget) and
// the deltas; open messages the snapshot had no room for are counted and fetched on request.
// In an exercise space the page shows the exercise clock, and ages are judged against exercise
// time (the time every event of the space is stamped with).
//
// The inputs hold the current figures: a figure the user has not touched follows the live state,
// a touched one ("ändrad") keeps what was typed until it is sent. Only changed fields are sent.
// Server strings reach the DOM only through textContent (h()/setText()).

import {
  PROTOCOL_VERSION, BED_TYPES, BED_LABELS, PRIORITIES, PRIORITY_LABELS, READINESS, READINESS_ORDER,
  ED_STATUS, ED_ORDER, METHANE_FIELDS, ROLE_LABELS, ERROR_TEXT,
  pageSpace, syncExerciseBanner, syncExerciseClock, exerciseNow, exerciseName, pageLink, h, setText,
  timeHM, timeWithDay, parseTime, ageShort, commandId,
  effectiveLevel, staleLimitMinutes, expectedFigures, figureAge, shortRegionName,
} from './common.js';
import {
  MessageLog, renderMessage, renderLoadMore, countText, updateAgeLabels, pendingOf, addressees, regionNamer,
} from './messages.js';
import {Session, apiFetch} from './session.js';
import {signedInConnection} from './connection.js';
import {initSpaceSwitch} from './spaces.js';

const SPACE = pageSpace();
const REGION_KEY = 'lagesbild.tib.region';
const MAX_VALUE = 100000;
const NO_ANSWER_MS = 10_000;
const TICK_MS = 15_000;

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// State

const st = {
  snap: null,          // the latest snapshot, kept current with deltas
  seq: 0,
  offsetMs: 0,         // server clock − local clock
  exerciseInfo: null,  // exercise_info of an exercise space (the clock), else null
  region: '',          // the region shown
  structure: '',       // what the hospital table was built for
};
const wallNow = () => Date.now() + st.offsetMs;
/** "Now" for judging the space's data: exercise time in an exercise, the server's clock otherwise. */
function serverNow() {
  const t = exerciseNow(st.exerciseInfo, wallNow());
  return Number.isFinite(t) ? t : wallNow();
}
const state = () => st.snap?.state || {};
const regions = () => state().regions || [];
const regionById = (id) => regions().find((r) => r.id === id);
const hospitalById = (id) => (state().hospitals || []).find((x) => x.id === id);
// The snapshot may carry only the newest and the open messages; older open ones are fetched on
// request (messages.js MessageLog).
const log = new MessageLog({fetch: (url) => apiFetch(url), onChange: () => renderInbox()});
const messages = () => log.list;

const session = new Session({
  socket: () => conn.socket,
  regionName: (id) => regionById(id)?.name,
  errorText: (msg) => errorText(msg),
  onChange: (what) => {
    if (what === 'welcome' && session.user?.role === 'reporter' && session.user.region) {
      st.region = session.user.region;
    }
    if (what === 'welcome') spaces?.refresh();  // a server that requires sign-in lists nothing before
    renderAll();
  },
  onSignOut: () => conn.reconnectNow('sign-out'),
});

const role = () => session.role;
/** May the signed-in user write for this region (report, readiness, acknowledge)? */
function canWrite(regionId) {
  const u = session.user;
  if (!u) return false;
  if (u.role === 'trainer') return true;
  return u.role === 'reporter' && !!regionId && u.region === regionId;
}
const canPost = () => !!session.user && (session.user.role === 'trainer' || session.user.role === 'reporter');

// ---------------------------------------------------------------------------------------------
// Small helpers

function showResult(el, state_, text) {
  if (!el) return;
  el.dataset.state = state_ || '';
  setText(el, text || '');
}

function levelOf(hosp) {
  const level = effectiveLevel(hosp, regionById(hosp.region));
  return {level, minutes: staleLimitMinutes(state(), level)};
}

/** Parses a count field: {empty} | {value} | {error}. */
function parseCount(raw) {
  const s = String(raw).trim();
  if (s === '') return {empty: true};
  if (!/^\d+$/.test(s)) {
    if (/^-\s*\d/.test(s)) return {error: 'Får inte vara negativt.'};
    if (/^\d+[.,]\d+$/.test(s)) return {error: 'Ange ett heltal (inga decimaler).'};
    return {error: 'Ange ett heltal, 0 eller mer.'};
  }
  const n = Number(s);
  if (n > MAX_VALUE) return {error: `Orimligt stort tal (högst ${MAX_VALUE}).`};
  return {value: n};
}

const errorText = (msg) => ERROR_TEXT[msg.code] || 'Fel';

// ---------------------------------------------------------------------------------------------
// Header, exercise banner, sign-in

function renderHeader() {
  const exercise = SPACE !== 'live' || !!st.snap?.exercise;
  const chip = $('space-chip');
  chip.className = `space-chip ${exercise ? 'is-exercise' : 'is-live'}`;
  setText(chip, exercise ? `Övning: ${SPACE}` : 'Skarpt läge');
  document.body.classList.toggle('exercise', exercise);
  setText($('hcr-name'), state().healthcare_region?.name || '');
  const region = regionById(st.region);
  setText($('region-title'), region ? region.name : (st.snap ? 'Välj region' : 'Ansluter…'));
  document.title = `${exercise ? 'ÖVNING – ' : ''}TiB${region ? ` ${shortRegionName(region.name)}` : ''} – Lägesbild`;
  const name = exerciseName(st.exerciseInfo, SPACE);
  syncExerciseBanner(exercise, 'Allt du skickar hamnar i övningen – inte i skarpt läge');
  $('exercise-banner')?.setAttribute('title', `Övningen ”${name}” (${SPACE})`);
  renderClock();
  document.body.dataset.seq = String(st.seq);
}

/** The exercise clock in the banner (every second, and on every clock event). */
function renderClock() {
  syncExerciseClock(st.exerciseInfo, wallNow());
}

function renderAuth() {
  const u = session.user;
  document.body.dataset.role = role();
  document.body.dataset.canWrite = canWrite(st.region) ? 'true' : 'false';
  session.render();
  for (const note of document.querySelectorAll('.read-only-note')) {
    setText(note, u ? `Du är inloggad som ${(ROLE_LABELS[u.role] || u.role).toLowerCase()} och kan se läget men inte rapportera.`
      : 'Du ser läget men kan inte rapportera. Logga in med din nyckel för att rapportera för din region.');
  }
  // Reporters report for their own region only; the others pick one.
  $('region-picker').hidden = u?.role === 'reporter';
}

// ---------------------------------------------------------------------------------------------
// Region choice

function pickRegion() {
  const ids = regions().map((r) => r.id);
  if (session.user?.role === 'reporter' && session.user.region) return session.user.region;
  if (st.region && ids.includes(st.region)) return st.region;
  const fromUrl = new URLSearchParams(location.search).get('region');
  if (fromUrl && ids.includes(fromUrl)) return fromUrl;
  let saved = '';
  try { saved = sessionStorage.getItem(REGION_KEY) || ''; } catch { /* ignore */ }
  if (saved && ids.includes(saved)) return saved;
  return ids[0] || '';
}

function fillRegionSelect() {
  const sel = $('region');
  const opts = regions().map((r) => h('option', {value: r.id}, r.name));
  sel.replaceChildren(...opts);
  sel.value = st.region;
}

// ---------------------------------------------------------------------------------------------
// The hospital table

// Column heads of the table: short enough for ten figure columns on a 1280 px laptop.
const COLUMN_LABELS = {
  AdultICU: 'IVA', PediatricICU: 'Barn-IVA', Burn: 'Bränn.', MedicalSurgical: 'Vårdpl.',
  Pediatrics: 'Barnvpl.', OperatingRooms: 'Op-salar', EmergencyDepartment: 'Akutpl.',
};

/** Figure columns of the region: bed types some hospital has (baseline + surge > 0), then P1–P3. */
function columnsFor(hospitals) {
  const cols = [];
  for (const key of BED_TYPES) {
    if (hospitals.some((x) => ((x.beds?.[key]?.baseline || 0) + (x.beds?.[key]?.surge24h || 0)) > 0)) {
      cols.push({key, bed: true, head: COLUMN_LABELS[key], label: BED_LABELS[key].short,
        title: `${BED_LABELS[key].long}: lediga just nu`});
    }
  }
  for (const p of PRIORITIES) {
    cols.push({key: p, bed: false, head: `${p}/tim`, label: `${p}/tim`,
      title: `Mottagning ${PRIORITY_LABELS[p].long}: patienter per timme`});
  }
  return cols;
}

const rows = new Map();   // hospital id → row refs

function regionHospitals() {
  const region = regionById(st.region);
  return (region?.hospitals || []).map(hospitalById).filter(Boolean);
}

function structureKey() {
  const hs = regionHospitals();
  return JSON.stringify([st.region, hs.map((x) => [x.id, x.name, BED_TYPES.map((k) =>
    (x.beds?.[k]?.baseline || 0) + (x.beds?.[k]?.surge24h || 0) > 0)])]);
}

function buildTable() {
  const hs = regionHospitals();
  const cols = columnsFor(hs);
  // A rebuild keeps what the user has typed but not sent.
  const typed = new Map();
  for (const [hid, r] of rows) {
    for (const [key, c] of Object.entries(r.cells)) if (c.input.dataset.dirty === 'true') typed.set(`${hid}.${key}`, c.input.value);
    if (r.ed.dataset.dirty === 'true') typed.set(`${hid}.ed_status`, r.ed.value);
    if (r.rd.dataset.dirty === 'true') typed.set(`${hid}.readiness`, r.rd.value);
  }
  rows.clear();

  const head = $('hospital-head');
  head.replaceChildren(
    h('th', {scope: 'col', class: 'c-name'}, 'Sjukhus'),
    ...cols.map((c) => h('th', {scope: 'col', class: `c-fig${c.bed ? '' : ' c-prio'}`, title: c.title},
      c.bed ? null : h('span', {class: `chip ${c.key.toLowerCase()}`, 'aria-hidden': 'true'}), c.head)),
    h('th', {scope: 'col', class: 'c-status'}, 'Akut / beredskap'),
    h('th', {scope: 'col', class: 'c-actions'}, 'Rapportera'));

  const body = $('hospital-rows');
  body.replaceChildren(...hs.map((hosp) => buildRow(hosp, cols)));
  for (const [name, value] of typed) {
    const [hid, key] = name.split('.');
    const r = rows.get(hid);
    const ctl = r?.cells[key]?.input || (key === 'ed_status' ? r?.ed : key === 'readiness' ? r?.rd : null);
    if (ctl) { ctl.value = value; ctl.dataset.dirty = 'true'; }
  }
  st.structure = structureKey();
  for (const hosp of hs) updateRow(hosp.id);
}

function buildRow(hosp, cols) {
  const id = hosp.id;
  const name = h('div', {class: 'r-name'}, hosp.name);
  const town = h('div', {class: 'r-town'});
  const overdueTag = h('div', {class: 'r-overdue'});
  const limit = h('div', {class: 'r-limit'});
  const nameCell = h('th', {scope: 'row', class: 'c-name'}, name, town, overdueTag, limit);

  const cells = {};
  const tds = [];
  for (const c of cols) {
    const b = c.bed ? hosp.beds?.[c.key] : null;
    const has = !c.bed || ((b?.baseline || 0) + (b?.surge24h || 0)) > 0;
    if (!has) {
      tds.push(h('td', {class: 'c-fig none', dataset: {cell: `${id}.${c.key}`}},
        h('span', {class: 'cell-label'}, c.label), h('span', {class: 'none-text'}, 'Finns ej')));
      continue;
    }
    const inputId = `f-${id}-${c.key}`;
    const input = h('input', {type: 'text', id: inputId, name: `${id}.${c.key}`, inputmode: 'numeric',
      pattern: '[0-9]*', autocomplete: 'off', enterkeyhint: 'send', class: 'num-input',
      'aria-describedby': `meta-${id}-${c.key} err-${id}-${c.key}`, dataset: {server: '', dirty: 'false'}});
    const cur = h('span', {class: 'cur'});
    const max = h('span', {class: 'max'});
    const age = h('span', {class: 'age'});
    const late = h('span', {class: 'late'}, 'Försenad');
    const err = h('div', {class: 'cell-err', id: `err-${id}-${c.key}`});
    const td = h('td', {class: `c-fig${c.bed ? '' : ' c-prio'}`, dataset: {cell: `${id}.${c.key}`, overdue: 'false'}},
      h('label', {class: 'cell-label', for: inputId, title: c.title},
        c.bed ? null : h('span', {class: `chip ${c.key.toLowerCase()}`, 'aria-hidden': 'true'}), c.label),
      input,
      h('div', {class: 'cell-meta', id: `meta-${id}-${c.key}`}, cur, max, late, age),
      err);
    input.addEventListener('input', () => markDirty(id, input));
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') { ev.preventDefault(); sendReport(id); }
    });
    cells[c.key] = {td, input, cur, max, age, late, err, bed: c.bed};
    tds.push(td);
  }

  const ed = h('select', {name: `${id}.ed_status`, id: `f-${id}-ed_status`, dataset: {server: '', dirty: 'false'}},
    h('option', {value: '', disabled: true}, 'Okänd'),
    ...ED_ORDER.map((v) => h('option', {value: v}, `${ED_STATUS[v].icon} ${ED_STATUS[v].label}`)));
  const rd = h('select', {name: `${id}.readiness`, id: `f-${id}-readiness`, dataset: {server: '', dirty: 'false'}},
    h('option', {value: '', disabled: true}, 'Ej angivet'),
    ...READINESS_ORDER.map((v) => h('option', {value: v}, READINESS[v].label)));
  const edAge = h('span', {class: 'age'});
  const edLate = h('span', {class: 'late', hidden: true}, 'Försenad');
  const rdAge = h('span', {class: 'age'});
  ed.addEventListener('change', () => markDirty(id, ed));
  rd.addEventListener('change', () => markDirty(id, rd));
  const edField = h('div', {class: 'st-field', dataset: {cell: `${id}.ed_status`, overdue: 'false'}},
    h('label', {for: ed.id}, 'Akutmottagning'), ed, edLate, edAge);
  const statusCell = h('td', {class: 'c-status'},
    edField,
    h('div', {class: 'st-field'}, h('label', {for: rd.id, title: 'Sjukhusets beredskapsläge'}, 'Sjukhusets läge'), rd, rdAge));

  const send = h('button', {type: 'button', class: 'btn btn-primary', dataset: {action: 'send', hospital: id}},
    'Skicka');
  const confirm = h('button', {type: 'button', class: 'btn btn-secondary', dataset: {action: 'confirm', hospital: id},
    title: 'Alla rapporterade siffror stämmer fortfarande: stämpla dem med nuvarande tid'}, 'Oförändrat – bekräfta');
  const result = h('div', {class: 'result row-result', role: 'status', 'aria-live': 'polite', dataset: {result: id}});
  send.addEventListener('click', () => sendReport(id));
  confirm.addEventListener('click', () => sendConfirm(id));
  const actions = h('td', {class: 'c-actions'}, h('div', {class: 'act-buttons'}, send, confirm), result);

  const tr = h('tr', {dataset: {hospital: id, overdue: '0'}}, nameCell, ...tds, statusCell, actions);
  rows.set(id, {tr, name, town, overdueTag, limit, cells, ed, rd, edField, edLate, edAge, rdAge, send, confirm, result,
    pending: null});
  return tr;
}

/** An input is "ändrad" while its value differs from the server's. */
function markDirty(id, ctl) {
  const dirty = ctl.value !== ctl.dataset.server;
  ctl.dataset.dirty = dirty ? 'true' : 'false';
  const td = ctl.closest('td');
  if (td && td.classList.contains('c-fig')) {
    td.dataset.dirty = dirty ? 'true' : 'false';
    const key = ctl.name.slice(id.length + 1);
    const c = rows.get(id)?.cells[key];
    if (c) { setText(c.err, ''); ctl.removeAttribute('aria-invalid'); updateCellMeta(id, key); }
  } else {
    ctl.classList.toggle('is-dirty', dirty);
  }
  const r = rows.get(id);
  if (r && r.result.dataset.state === 'error' && !r.pending) showResult(r.result, '', '');
}

/** Sets a control to the server's value unless the user has changed it. */
function follow(ctl, serverValue) {
  const v = serverValue === null || serverValue === undefined ? '' : String(serverValue);
  const wasDirty = ctl.dataset.dirty === 'true' && ctl.value !== ctl.dataset.server;
  ctl.dataset.server = v;
  if (!wasDirty || ctl.value === v) {
    ctl.value = v;
    ctl.dataset.dirty = 'false';
  }
  if (ctl.tagName === 'SELECT') ctl.classList.toggle('is-dirty', ctl.dataset.dirty === 'true');
}

function cellValue(hosp, key) {
  if (PRIORITIES.includes(key)) return hosp.reception?.[key]?.value ?? null;
  return hosp.beds?.[key]?.available ?? null;
}
function cellRecord(hosp, key) {
  return PRIORITIES.includes(key) ? hosp.reception?.[key] : hosp.beds?.[key];
}

function updateCellMeta(id, key) {
  const hosp = hospitalById(id);
  const c = rows.get(id)?.cells[key];
  if (!hosp || !c) return;
  const value = cellValue(hosp, key);
  const dirty = c.input.dataset.dirty === 'true';
  c.td.dataset.dirty = dirty ? 'true' : 'false';
  c.td.dataset.current = value === null ? '' : String(value);
  // The current value is in the input; once the input is changed it is shown beside it.
  setText(c.cur, dirty ? `nu ${value === null ? '–' : value}` : '');
  if (c.bed) {
    const b = hosp.beds?.[key] || {};
    setText(c.max, `max ${(b.baseline || 0) + (b.surge24h || 0)}`);
    c.max.title = `${b.baseline || 0} ordinarie + ${b.surge24h || 0} förstärkning inom 24 h`;
  } else {
    const plan = hosp.reception_baseline?.[key];
    setText(c.max, plan === undefined ? '' : `plan ${plan}`);
    c.max.title = 'Planeringsvärde, patienter per timme';
  }
}

function updateRow(id) {
  const hosp = hospitalById(id);
  const r = rows.get(id);
  if (!hosp || !r) return;
  const now = serverNow();
  const {level, minutes} = levelOf(hosp);
  const town = hosp.town && !hosp.name.toLocaleLowerCase('sv').includes(hosp.town.toLocaleLowerCase('sv')) ? hosp.town : '';
  setText(r.name, hosp.name);
  setText(r.town, town);
  r.town.hidden = !town;

  let overdue = 0;
  for (const f of expectedFigures(hosp)) {
    if (f.key === 'ed_status') {
      const a = figureAge(f.rec, now, minutes);
      r.edField.dataset.overdue = a.overdue ? 'true' : 'false';
      r.edLate.hidden = !a.overdue;
      setText(r.edLate, a.never ? 'Försenad – aldrig rapporterad' : 'Försenad');
      if (a.overdue) overdue++;
      continue;
    }
    const c = r.cells[f.key];
    if (!c) continue;
    follow(c.input, f.value);
    const a = figureAge(f.rec, now, minutes);
    c.td.dataset.overdue = a.overdue ? 'true' : 'false';
    c.late.hidden = !a.overdue;
    if (a.overdue) overdue++;
    const t = parseTime(f.rec?.reported_at);
    setText(c.age, a.never ? 'aldrig rapporterad' : ageShort(a.ageMs));
    c.age.title = a.never ? 'Aldrig rapporterad'
      : `Rapporterad ${timeWithDay(t, now)}${f.rec.reported_by ? ` av ${f.rec.reported_by}` : ''}`;
    c.input.setAttribute('aria-label', `${c.td.querySelector('.cell-label').textContent}, ${hosp.name}`);
    updateCellMeta(id, f.key);
  }
  r.tr.dataset.overdue = String(overdue);
  setText(r.overdueTag, overdue ? `⚠ ${overdue} försenade` : '✔ Aktuellt');
  r.overdueTag.classList.toggle('has-overdue', overdue > 0);
  setText(r.limit, `Gräns ${minutes} min (${READINESS[level]?.label.toLowerCase() || level})`);

  follow(r.ed, hosp.ed_status?.value ?? null);
  follow(r.rd, hosp.readiness?.value ?? null);
  setText(r.edAge, statusAge(hosp.ed_status, now));
  setText(r.rdAge, statusAge(hosp.readiness, now));

  const writable = canWrite(hosp.region);
  const busy = !!r.pending;
  for (const c of Object.values(r.cells)) c.input.readOnly = !writable;
  r.ed.disabled = !writable;
  r.rd.disabled = !writable;
  r.send.disabled = !writable || busy || session.signing;
  r.confirm.disabled = !writable || busy || session.signing;
}

function statusAge(rec, now) {
  const t = parseTime(rec?.reported_at);
  if (!Number.isFinite(t)) return '';
  return `${timeWithDay(t, now)}, ${ageShort(now - t)}${rec.reported_by ? ` · ${rec.reported_by}` : ''}`;
}

function updateOverdueSummary() {
  const hs = regionHospitals();
  let total = 0, hospitalsLate = 0;
  const limits = new Set();
  for (const hosp of hs) {
    const n = Number(rows.get(hosp.id)?.tr.dataset.overdue || 0);
    total += n;
    if (n) hospitalsLate++;
    const {level, minutes} = levelOf(hosp);
    limits.add(`${minutes} min i ${READINESS[level]?.label.toLowerCase() || level}`);
  }
  const el = $('overdue-summary');
  el.dataset.count = String(total);
  setText(el, total
    ? `⚠ ${total} ${total === 1 ? 'uppgift försenad' : 'uppgifter försenade'} (${hospitalsLate} sjukhus)`
    : (hs.length ? '✔ Alla uppgifter aktuella' : '–'));
  setText($('overdue-limits'), limits.size
    ? `Försenad = aldrig rapporterad eller äldre än ${[...limits].join(', ')}`
    : '');
}

function renderHospitals() {
  if (structureKey() !== st.structure) buildTable();
  else for (const id of rows.keys()) updateRow(id);
  updateOverdueSummary();
}

// ---------------------------------------------------------------------------------------------
// Region readiness

function renderRegionReadiness() {
  const region = regionById(st.region);
  const rec = region?.readiness;
  const value = rec?.value ?? null;
  const info = READINESS[value];
  const badge = $('region-readiness-now');
  badge.className = `badge readiness lvl-${info ? value : 'unknown'}`;
  badge.dataset.level = value ?? '';
  setText(badge.querySelector('.badge-text'), info ? info.label : 'Ej angivet');
  const t = parseTime(rec?.reported_at);
  setText($('region-readiness-when'), Number.isFinite(t)
    ? `Satt ${timeWithDay(t, serverNow())}${rec.reported_by ? ` av ${rec.reported_by}` : ''}` : 'Inte satt');
  const sel = $('region-readiness');
  if (sel.dataset.region !== st.region || sel.dataset.dirty !== 'true') {
    sel.value = value || 'normal';
    sel.dataset.region = st.region;
    sel.dataset.dirty = 'false';
  }
  const pending = [...pendingCmds.values()].some((p) => p.kind === 'readiness');
  $('set-region-readiness').disabled = !canWrite(st.region) || pending || session.signing;
  sel.disabled = !canWrite(st.region);
}

// ---------------------------------------------------------------------------------------------
// Messages: inbox, sent, compose

const ackState = new Map();  // message id → {state, text} of this page's acknowledge command

/** Messages for the inbox: to my region (trainers: all), pending-for-me first, then newest. */
function inboxMessages() {
  const all = messages();
  const rs = regions();
  const isTrainer = session.user?.role === 'trainer';
  const mine = isTrainer ? all : all.filter((m) => addressees(m, rs).includes(st.region));
  const waitsForMe = (m) => (isTrainer ? pendingOf(m).length > 0 : pendingOf(m).includes(st.region));
  return [...mine].sort((a, b) => {
    const pa = waitsForMe(a), pb = waitsForMe(b);
    if (pa !== pb) return pa ? -1 : 1;
    return (b.seq || 0) - (a.seq || 0);
  });
}

function ackActions(m) {
  const rs = regions();
  const name = regionNamer(rs);
  const box = h('div', {class: 'msg-actions'});
  const pend = pendingOf(m);
  const isTrainer = session.user?.role === 'trainer';
  const s = ackState.get(m.id);
  // My region's acknowledgement, when given: "Kvitterat 10:21 av tib-uppsala".
  const myRegion = isTrainer ? null : st.region;
  const mine = myRegion ? m.acks?.[myRegion] : null;
  if (mine && !pend.includes(myRegion)) {
    const t = parseTime(mine.at);
    box.append(h('div', {class: 'my-ack', dataset: {acked: 'true'}},
      h('span', {'aria-hidden': 'true'}, '✔ '),
      `Kvitterat ${Number.isFinite(t) ? timeWithDay(t, serverNow()) : ''}${mine.by ? ` av ${mine.by}` : ''}`));
  }
  const targets = isTrainer ? pend : (myRegion && pend.includes(myRegion) ? [myRegion] : []);
  for (const region of targets) {
    const allowed = canWrite(region);
    const busy = s?.state === 'pending' && s.region === region;
    const btn = h('button', {type: 'button', class: 'btn btn-ack', dataset: {action: 'acknowledge', forRegion: region},
      disabled: !allowed || busy || session.signing},
    busy ? 'Kvitterar…' : (isTrainer ? `Kvittera för ${name(region)}` : 'Kvittera'));
    btn.addEventListener('click', () => sendAck(m.id, region));
    box.append(btn);
    if (!allowed && !isTrainer) box.append(h('span', {class: 't-hint'}, 'Logga in för att kvittera.'));
  }
  // An answer the record does not show yet (or an error); once the record has the ack, it says it.
  if (s && s.state !== 'pending' && !(s.state === 'ok' && m.acks?.[s.region])) {
    box.append(h('div', {class: 'result', dataset: {state: s.state}}, s.text));
  }
  return box.childNodes.length ? box : null;
}

function renderInbox() {
  const rs = regions();
  const now = serverNow();
  const regionName = regionNamer(rs);
  const isTrainer = session.user?.role === 'trainer';
  const list = inboxMessages();
  const waiting = list.filter((m) => (isTrainer ? pendingOf(m).length > 0 : pendingOf(m).includes(st.region)));
  const els = list.map((m) => {
    const el = renderMessage(m, {regions: rs, regionName, now, actions: ackActions(m)});
    const forMe = waiting.includes(m);
    el.classList.toggle('waits-for-me', forMe);
    el.dataset.waitsForMe = forMe ? 'true' : 'false';
    if (forMe) {
      el.prepend(h('div', {class: 'waits-banner'}, h('span', {'aria-hidden': 'true'}, '⚠ '),
        isTrainer ? 'Ej kvitterat' : `Ej kvitterat – ${regionName(st.region)} behöver kvittera`));
    }
    return el;
  });
  $('inbox').replaceChildren(...els);
  const region = regionById(st.region);
  // Open messages the page has not fetched (the snapshot had no room): some may be for the region.
  const hidden = log.hiddenOpen;
  $('inbox-empty').hidden = list.length > 0 || hidden > 0;
  setText($('inbox-count'), String(list.length));
  renderLoadMore($('inbox-more'), {
    note: hidden ? `+${countText(hidden)} äldre okvitterade meddelanden är inte hämtade` +
      (isTrainer ? '.' : ` – några kan vara till ${region ? region.name : 'regionen'}.`) : '',
    label: 'Hämta äldre okvitterade', show: hidden > 0, busy: log.loading.open, error: log.error.open,
    onLoad: () => log.loadOlderOpen(),
  });
  setText($('inbox-scope'), isTrainer
    ? 'Alla meddelanden (övningsledare). Okvitterade först.'
    : `Meddelanden till ${region ? region.name : 'regionen'}. Okvitterade först.`);

  // Top banner: messages that wait for this region (or, for trainers, for anyone).
  const alert = $('inbox-alert');
  alert.dataset.count = String(waiting.length);
  alert.hidden = waiting.length === 0 && hidden === 0;
  const from = isTrainer ? '' : ` från ${region ? region.name : 'regionen'}`;
  setText($('inbox-alert-text'), [
    waiting.length === 1 ? `1 meddelande väntar på kvittens${from}`
      : waiting.length ? `${waiting.length} meddelanden väntar på kvittens${from}` : '',
    hidden ? `${countText(hidden)} äldre okvitterade är inte hämtade` : '',
  ].filter(Boolean).join(' · '));

  // Sent from the region: who has acknowledged what we sent.
  const sent = isTrainer ? [] : messages().filter((m) => m.from === st.region).sort((a, b) => (b.seq || 0) - (a.seq || 0));
  $('sent').replaceChildren(...sent.map((m) => renderMessage(m, {regions: rs, regionName, now, compact: true})));
  $('sent').hidden = isTrainer;
  $('sent-title').hidden = isTrainer;
  $('sent-empty').hidden = isTrainer || sent.length > 0;
}

// Compose form

const mform = $('message-form');

function buildComposeFields() {
  const grid = $('methane-grid');
  if (!grid.childNodes.length) {
    for (const f of METHANE_FIELDS) {
      const id = `m-methane-${f.key}`;
      grid.append(h('div', {class: 'field'},
        h('label', {for: id}, h('span', {class: 'm-letter'}, f.letter), ` – ${f.label}`),
        h('input', {type: 'text', id, name: `methane.${f.key}`, maxlength: 500, autocomplete: 'off'})));
    }
  }
  const box = $('to-regions');
  const checked = new Set([...box.querySelectorAll('input[name="to"]:checked')].map((x) => x.value));
  box.replaceChildren(...regions().map((r) => h('label', {class: 'check'},
    h('input', {type: 'checkbox', name: 'to', value: r.id, checked: checked.has(r.id)}), ` ${shortRegionName(r.name)}`)));
  syncCompose();
}

let ackChoice = false;  // the user's own "Kräver kvittens", restored when leaving Larm

function syncCompose() {
  const kind = mform.elements.kind.value;
  $('methane-fields').hidden = kind !== 'methane';
  $('m-level-field').hidden = kind !== 'alert';
  setText($('m-text-opt'), kind === 'methane' ? '(frivillig)' : '');
  const ack = mform.elements.requires_ack;
  if (kind === 'alert') {
    ack.checked = true;
    ack.disabled = true;
    $('m-ack-label').title = 'Larm kräver alltid kvittens';
  } else {
    if (ack.disabled) ack.checked = ackChoice;
    ack.disabled = false;
    $('m-ack-label').title = '';
  }
  const all = mform.elements['to-all'].checked;
  for (const cb of mform.querySelectorAll('input[name="to"]')) cb.disabled = all;
  const canSend = canPost();
  $('m-send').disabled = !canSend || session.signing || [...pendingCmds.values()].some((p) => p.kind === 'message');
}

function setFieldError(name, text) {
  setText($(`err-${name}`), text || '');
}

function buildMessage() {
  for (const el of mform.querySelectorAll('.err')) el.textContent = '';
  for (const el of mform.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const kind = mform.elements.kind.value;
  const cmd = {v: PROTOCOL_VERSION, type: 'post_message', id: commandId('m'), space: SPACE, kind};
  let ok = true;
  const bad = (name, text, ctl) => { setFieldError(name, text); if (ctl) ctl.setAttribute('aria-invalid', 'true'); ok = false; };

  if (mform.elements['to-all'].checked) cmd.to = 'all';
  else {
    cmd.to = [...mform.querySelectorAll('input[name="to"]:checked')].map((x) => x.value);
    if (!cmd.to.length) bad('to', 'Välj minst en mottagare, eller Alla regioner.');
  }
  const text = mform.elements.text.value;
  if (text.length > 4000) bad('text', `Högst 4000 tecken (nu ${text.length}).`, mform.elements.text);
  else if (kind !== 'methane' && !text.trim()) bad('text', 'Skriv en text.', mform.elements.text);
  cmd.text = text.trim();
  if (kind === 'methane') {
    const m = {};
    let any = false;
    for (const f of METHANE_FIELDS) {
      const ctl = mform.elements[`methane.${f.key}`];
      const v = ctl.value.trim();
      if (v.length > 500) bad('methane', `${f.letter} – ${f.label}: högst 500 tecken.`, ctl);
      if (v) any = true;
      m[f.key] = v;
    }
    if (!any) bad('methane', 'Fyll i minst ett av METHANE-fälten.');
    cmd.methane = m;
  }
  if (kind === 'alert') {
    const level = mform.elements.level.value;
    if (!level) bad('level', 'Välj vilket beredskapsläge larmet gäller.', mform.elements.level);
    cmd.level = level;
  }
  cmd.requires_ack = kind === 'alert' ? true : mform.elements.requires_ack.checked;
  if (!ok) {
    showResult($('message-result'), 'error', 'Inte skickat – rätta de markerade fälten.');
    return null;
  }
  return cmd;
}

function resetCompose() {
  mform.elements.text.value = '';
  for (const f of METHANE_FIELDS) mform.elements[`methane.${f.key}`].value = '';
  for (const cb of mform.querySelectorAll('input[name="to"]')) cb.checked = false;
  mform.elements['to-all'].checked = false;
  mform.elements.level.value = '';
  ackChoice = false;
  if (!mform.elements.requires_ack.disabled) mform.elements.requires_ack.checked = false;
  syncCompose();
}

// ---------------------------------------------------------------------------------------------
// Commands

const pendingCmds = new Map(); // command id → {kind, hospital?, cmd, timer, …}

function socketReady() {
  return conn.isOpen() && st.snap;
}

/** Sends a command; returns false (and says why in resultEl) when it cannot be sent now. */
function sendCommand(cmd, entry, resultEl) {
  if (!socketReady()) {
    showResult(resultEl, 'error', 'Ingen anslutning till servern – inget skickades. Försök igen när anslutningen är tillbaka.');
    return false;
  }
  if (!session.user) {
    showResult(resultEl, 'error', session.signing ? 'Loggar in – försök igen om ett ögonblick.' : 'Logga in för att skicka.');
    return false;
  }
  conn.send(cmd);
  entry.timer = setTimeout(() => {
    if (pendingCmds.has(cmd.id) && entry.resultEl) {
      setText(entry.resultEl, 'Skickar… inget svar från servern ännu. Kontrollera läget innan du skickar igen.');
    }
  }, NO_ANSWER_MS);
  entry.resultEl = resultEl;
  entry.cmd = cmd;
  pendingCmds.set(cmd.id, entry);
  showResult(resultEl, 'pending', 'Skickar…');
  return true;
}

function clearCellErrors(r) {
  for (const c of Object.values(r.cells)) { setText(c.err, ''); c.input.removeAttribute('aria-invalid'); }
  r.ed.removeAttribute('aria-invalid');
  r.rd.removeAttribute('aria-invalid');
}

function sendReport(id) {
  const r = rows.get(id);
  const hosp = hospitalById(id);
  if (!r || !hosp || r.pending) return;
  clearCellErrors(r);
  const cmd = {v: PROTOCOL_VERSION, type: 'report_capacity', id: commandId('r'), space: SPACE, hospital: id};
  const beds = {}, reception = {};
  let errors = 0;
  const fail = (c, text) => { setText(c.err, text); c.input.setAttribute('aria-invalid', 'true'); errors++; };
  for (const [key, c] of Object.entries(r.cells)) {
    if (c.input.value === c.input.dataset.server) continue;
    const p = parseCount(c.input.value);
    if (p.empty) { fail(c, 'Ange ett tal, 0 eller mer.'); continue; }
    if (p.error) { fail(c, p.error); continue; }
    if (c.bed) {
      const b = hosp.beds?.[key] || {};
      const cap = (b.baseline || 0) + (b.surge24h || 0);
      if (p.value > cap) { fail(c, `Högst ${cap} (${b.baseline || 0} + ${b.surge24h || 0} förstärkning).`); continue; }
      if (p.value !== b.available) beds[key] = {available: p.value};
    } else if (p.value !== (hosp.reception?.[key]?.value ?? null)) {
      reception[key] = p.value;
    }
  }
  if (errors) {
    showResult(r.result, 'error', `Inte skickat – rätta ${errors === 1 ? 'det markerade fältet' : `de ${errors} markerade fälten`}.`);
    r.tr.querySelector('[aria-invalid="true"]')?.focus();
    return;
  }
  if (Object.keys(beds).length) cmd.beds = beds;
  if (Object.keys(reception).length) cmd.reception = reception;
  if (r.ed.value && r.ed.value !== r.ed.dataset.server) cmd.ed_status = r.ed.value;
  if (r.rd.value && r.rd.value !== r.rd.dataset.server) cmd.readiness = r.rd.value;
  if (!cmd.beds && !cmd.reception && !cmd.ed_status && !cmd.readiness) {
    showResult(r.result, 'error', 'Inget är ändrat. Stämmer siffrorna: tryck ”Oförändrat – bekräfta”.');
    return;
  }
  const entry = {kind: 'report', hospital: id};
  if (sendCommand(cmd, entry, r.result)) { r.pending = cmd.id; updateRow(id); }
}

function sendConfirm(id) {
  const r = rows.get(id);
  const hosp = hospitalById(id);
  if (!r || !hosp || r.pending) return;
  clearCellErrors(r);
  const dirty = Object.values(r.cells).some((c) => c.input.value !== c.input.dataset.server) ||
    (r.ed.value !== r.ed.dataset.server) || (r.rd.value !== r.rd.dataset.server);
  if (dirty) {
    showResult(r.result, 'error', 'Du har ändrade fält: skicka dem med ”Skicka”, eller ångra ändringarna innan du bekräftar.');
    return;
  }
  if (!hosp.last_reported_at) {
    showResult(r.result, 'error', 'Sjukhuset har inga rapporterade siffror att bekräfta – fyll i och skicka.');
    return;
  }
  const cmd = {v: PROTOCOL_VERSION, type: 'confirm_figures', id: commandId('c'), space: SPACE, hospital: id};
  const entry = {kind: 'confirm', hospital: id};
  if (sendCommand(cmd, entry, r.result)) { r.pending = cmd.id; updateRow(id); }
}

function sendRegionReadiness() {
  const el = $('region-readiness-result');
  const level = $('region-readiness').value;
  if (!READINESS[level]) { showResult(el, 'error', 'Välj ett beredskapsläge.'); return; }
  const cmd = {v: PROTOCOL_VERSION, type: 'set_region_readiness', id: commandId('g'), space: SPACE, region: st.region, level};
  if (sendCommand(cmd, {kind: 'readiness'}, el)) renderRegionReadiness();
}

function sendAck(messageId, region) {
  const cmd = {v: PROTOCOL_VERSION, type: 'acknowledge', id: commandId('k'), space: SPACE, message: messageId};
  if (session.user?.role === 'trainer') cmd.region = region;
  const holder = h('div');
  if (sendCommand(cmd, {kind: 'ack', message: messageId, region}, holder)) {
    ackState.set(messageId, {state: 'pending', region, text: 'Kvitterar…'});
  } else {
    ackState.set(messageId, {state: 'error', region, text: holder.textContent});
  }
  renderInbox();
}

function sendMessage() {
  const cmd = buildMessage();
  if (!cmd) return;
  if (sendCommand(cmd, {kind: 'message'}, $('message-result'))) syncCompose();
}

/** The answer (ack or error) to one of this page's commands. */
function onAnswer(msg) {
  const p = pendingCmds.get(msg.id);
  if (!p) return;
  pendingCmds.delete(msg.id);
  clearTimeout(p.timer);
  const at = timeHM(serverNow());
  const ok = msg.type === 'ack';
  const fieldNote = msg.field ? ` (fält ${msg.field})` : '';
  const errText = ok ? '' : `Inte sparat: ${errorText(msg)}${msg.message ? ` – ${msg.message}` : ''}${fieldNote}`;

  if (p.kind === 'report' || p.kind === 'confirm') {
    const r = rows.get(p.hospital);
    if (r) {
      r.pending = null;
      if (ok) {
        showResult(r.result, 'ok', p.kind === 'confirm'
          ? `Sparat (nr ${msg.seq}) ${at} · oförändrat`
          : `Sparat (nr ${msg.seq}) ${at}`);
        // What was sent is now the server's value (the delta may come before or after the ack).
        for (const [key, b] of Object.entries(p.cmd.beds || {})) acceptSent(r.cells[key]?.input, b.available);
        for (const [key, v] of Object.entries(p.cmd.reception || {})) acceptSent(r.cells[key]?.input, v);
        if (p.cmd.ed_status) acceptSent(r.ed, p.cmd.ed_status);
        if (p.cmd.readiness) acceptSent(r.rd, p.cmd.readiness);
      } else {
        showResult(r.result, 'error', errText);
        markFieldError(p.hospital, msg);
      }
      updateRow(p.hospital);
      updateOverdueSummary();
    }
  } else if (p.kind === 'readiness') {
    showResult(p.resultEl, ok ? 'ok' : 'error', ok ? `Sparat (nr ${msg.seq}) ${at}` : errText);
    if (ok) $('region-readiness').dataset.dirty = 'false';
    renderRegionReadiness();
  } else if (p.kind === 'message') {
    if (ok) {
      showResult(p.resultEl, 'ok', `Skickat (nr ${msg.seq}) ${at}`);
      resetCompose();
    } else {
      showResult(p.resultEl, 'error', errText.replace('Inte sparat', 'Inte skickat'));
      const f = String(msg.field || '').split('.')[0];
      if (f === 'to') setFieldError('to', errorText(msg));
      else if (f === 'text') setFieldError('text', msg.message || errorText(msg));
      else if (f === 'methane') setFieldError('methane', msg.message || errorText(msg));
      else if (f === 'level') setFieldError('level', msg.message || errorText(msg));
    }
    syncCompose();
  } else if (p.kind === 'ack') {
    ackState.set(p.message, ok
      ? {state: 'ok', region: p.region, text: msg.already ? `Redan kvitterat (nr ${msg.seq})` : `Kvittens sparad (nr ${msg.seq}) ${at}`}
      : {state: 'error', region: p.region, text: `Inte kvitterat: ${errorText(msg)}${msg.message ? ` – ${msg.message}` : ''}`});
    renderInbox();
  }
}

function acceptSent(ctl, value) {
  if (!ctl) return;
  const v = String(value);
  ctl.dataset.server = v;
  if (ctl.value === v) ctl.dataset.dirty = 'false';
}

/** Marks the input a server error names ("beds.AdultICU.available", "reception.P1", "ed_status"). */
function markFieldError(hid, msg) {
  const r = rows.get(hid);
  if (!r || !msg.field) return;
  const parts = String(msg.field).split('.');
  const key = (parts[0] === 'beds' || parts[0] === 'reception') ? parts[1] : parts[0];
  const c = r.cells[key];
  // The cell gets the short reason; the row's result has the server's whole message.
  const text = errorText(msg);
  if (c) { setText(c.err, text); c.err.title = msg.message || ''; c.input.setAttribute('aria-invalid', 'true'); }
  else if (key === 'ed_status') r.ed.setAttribute('aria-invalid', 'true');
  else if (key === 'readiness') r.rd.setAttribute('aria-invalid', 'true');
}

// ---------------------------------------------------------------------------------------------
// Applying server messages

function renderAll() {
  if (!st.snap) { renderHeader(); renderAuth(); return; }
  st.region = pickRegion();
  fillRegionSelect();
  renderHeader();
  renderAuth();
  renderHospitals();
  renderRegionReadiness();
  buildComposeFields();
  renderInbox();
}

function applySnapshot(msg) {
  log.applySnapshot(msg, st.snap ? st.seq : 0);
  st.snap = msg;
  st.seq = msg.seq;
  const t = parseTime(msg.server_time);
  st.offsetMs = Number.isFinite(t) ? t - Date.now() : 0;
  st.exerciseInfo = msg.exercise && msg.exercise_info && typeof msg.exercise_info === 'object' ? msg.exercise_info : null;
  renderAll();
}

function replaceIn(list, rec) {
  const i = list.findIndex((x) => x.id === rec.id);
  if (i >= 0) list[i] = rec; else list.push(rec);
}

function applyDelta(msg) {
  const s = state();
  let structure = false;
  if (msg.hospital?.id) {
    const known = (s.hospitals || []).some((x) => x.id === msg.hospital.id);
    replaceIn(s.hospitals, msg.hospital);
    if (!known) structure = true;
  }
  if (msg.region?.id) {
    const old = regionById(msg.region.id);
    if (!old || JSON.stringify(old.hospitals) !== JSON.stringify(msg.region.hospitals)) structure = true;
    replaceIn(s.regions, msg.region);
  }
  const messageChanged = log.applyDelta(msg);
  // exercise_clock_set: the delta carries the new clock.
  if (msg.exercise_info && typeof msg.exercise_info === 'object') {
    st.exerciseInfo = msg.exercise_info;
    st.snap.exercise_info = msg.exercise_info;
  }
  st.seq = msg.seq;
  st.snap.seq = msg.seq;
  if (structure) { renderAll(); return; }
  renderHeader();
  if (msg.hospital || msg.region) {
    renderHospitals();
    renderRegionReadiness();
  }
  if (messageChanged) {
    const id = msg.message?.id ?? msg.event?.message;
    if (ackState.get(id)?.state === 'ok') ackState.delete(id); // the record now says it
    renderInbox();
  }
}


// ---------------------------------------------------------------------------------------------
// Connection: hello first, reconnect with backoff, a fresh snapshot each time

const conn = signedInConnection({
  space: SPACE,
  session,
  hasState: () => Boolean(st.snap),
  seq: () => st.seq,
  applySnapshot,
  applyDelta,
  isPending: (id) => pendingCmds.has(id),
  onAnswer,
  dropPending,
  lostTexts: {
    closed: 'Anslutningen bröts innan servern bekräftade. Kontrollera om det kom fram; skicka annars igen.',
    replaced: 'Anslutningen byttes innan servern bekräftade. Kontrollera om det kom fram; skicka annars igen.',
  },
  render: () => renderAll(),
  now: () => wallNow(),
});

function dropPending(text) {
  for (const [id, p] of pendingCmds) {
    clearTimeout(p.timer);
    pendingCmds.delete(id);
    if (p.kind === 'ack') ackState.set(p.message, {state: 'error', region: p.region, text});
    else showResult(p.resultEl, 'error', text);
    if (p.hospital && rows.get(p.hospital)) rows.get(p.hospital).pending = null;
  }
}


// ---------------------------------------------------------------------------------------------

let lastTick = -Infinity;  // serverNow() of the last tick()

function tick() {
  if (!st.snap) return;
  lastTick = serverNow();
  for (const id of rows.keys()) updateRow(id);
  updateOverdueSummary();
  updateAgeLabels($('inbox-card'), serverNow());
}

/** Every second: the exercise clock; ages every TICK_MS of the space's time (faster in a sped-up exercise). */
function everySecond() {
  conn.tick();
  renderClock();
  const now = serverNow();
  if (now - lastTick >= TICK_MS || now < lastTick) tick();
}

let spaces = null;  // the space switch (spaces.js)

function start() {
  session.bind();
  $('board-link').href = pageLink('index.html');
  spaces = initSpaceSwitch({space: SPACE});
  $('region').addEventListener('change', () => {
    st.region = $('region').value;
    try { sessionStorage.setItem(REGION_KEY, st.region); } catch { /* ignore */ }
    showResult($('region-readiness-result'), '', '');
    renderAll();
  });
  $('region-readiness').addEventListener('change', () => { $('region-readiness').dataset.dirty = 'true'; });
  $('set-region-readiness').addEventListener('click', sendRegionReadiness);
  mform.elements.kind.addEventListener('change', syncCompose);
  mform.elements['to-all'].addEventListener('change', syncCompose);
  mform.elements.requires_ack.addEventListener('change', () => { ackChoice = mform.elements.requires_ack.checked; });
  mform.addEventListener('submit', (ev) => { ev.preventDefault(); sendMessage(); });
  renderHeader();
  renderAuth();
  conn.show('reconnecting');
  setInterval(everySecond, 1000);
  conn.connect();
}

start();
