// Lägesbild — the wall board.
//
// One WebSocket to /ws (protocol.md). The server sends a snapshot, then deltas with strictly
// increasing seq. This page keeps the last applied seq; on a gap it reconnects with since=<seq>
// and gets exactly the missed deltas (or a fresh snapshot). It needs no domain logic: every delta
// carries the whole post-event hospital or region record, which simply replaces the old one.
//
// Everything from the server is put into the DOM with textContent (via h()/setText()).

import {
  PROTOCOL_VERSION, READINESS, ED_STATUS, PRIORITIES,
  pageSpace, wsUrl, pageLink, h, setText, timeHM, timeHMS, dayLong, timeWithDay, parseTime,
  ageText, showNumber,
} from './common.js';

const SPACE = pageSpace();
const AGE_TICK_MS = 10_000;     // ages and stale flags are re-evaluated this often
const FLASH_MS = 3_000;         // a changed figure stays highlighted this long
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 5_000;
const OFFLINE_AFTER_MS = 2_000; // after this long without a connection the board says "Frånkopplad"

// The figures of a hospital card, in display order.
const FIGURES = [
  {key: 'AdultICU', bed: true, label: 'IVA', title: 'IVA-platser: lediga / totalt', withBaseline: true},
  {key: 'MedicalSurgical', bed: true, label: 'Vårdpl.', title: 'Vårdplatser lediga'},
  {key: 'OperatingRooms', bed: true, label: 'Op-sal', title: 'Operationssalar lediga'},
  {key: 'Burn', bed: true, label: 'Bränn.', title: 'Brännskadevård: lediga / totalt', withBaseline: true,
    onlyIfBaseline: true},
];
const TOTAL_KEYS = ['AdultICU', 'MedicalSurgical', 'P1', 'P2', 'P3'];

// ---------------------------------------------------------------------------------------------
// Model

const model = {
  have: false,          // a snapshot has been applied
  space: SPACE,
  exercise: false,
  seq: 0,               // last applied seq
  offsetMs: 0,          // server clock − local clock, measured at the last snapshot
  hcr: null,            // {id, name}
  staleAfterMin: 60,
  regions: [],          // region records, config order
  hospitals: new Map(), // id → hospital record
};

const serverNow = () => Date.now() + model.offsetMs;

function figureValue(hosp, key) {
  if (!hosp) return null;
  if (PRIORITIES.includes(key)) return hosp.reception?.[key]?.value ?? null;
  return hosp.beds?.[key]?.available ?? null;
}
const baselineOf = (hosp, key) => hosp?.beds?.[key]?.baseline ?? 0;

function isStale(hosp) {
  const t = parseTime(hosp.last_reported_at);
  return Number.isFinite(t) && serverNow() - t > model.staleAfterMin * 60_000;
}

/** Sums over the hospitals that reported each figure; unreported ones are counted, not summed. */
function totalsOf(hospitals) {
  const out = {};
  for (const key of TOTAL_KEYS) out[key] = {sum: 0, baseline: 0, reported: 0, missing: 0};
  for (const hosp of hospitals) {
    if (!hosp) continue;
    for (const key of TOTAL_KEYS) {
      const v = figureValue(hosp, key);
      const t = out[key];
      if (v === null) { t.missing++; continue; }
      t.sum += v; t.reported++;
      if (key === 'AdultICU') t.baseline += baselineOf(hosp, key);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Highlighting of changed figures

const flashTimers = new WeakMap();

/** Highlights `cell` for FLASH_MS; dir is 'up', 'down' or 'changed'. */
function flash(cell, dir) {
  if (!cell) return;
  clearTimeout(flashTimers.get(cell));
  cell.classList.remove('changed');
  void cell.offsetWidth; // restart the CSS animation
  cell.classList.add('changed');
  cell.dataset.change = dir;
  const arrow = cell.querySelector(':scope .arrow');
  if (arrow) arrow.textContent = dir === 'up' ? '▲' : dir === 'down' ? '▼' : '●';
  flashTimers.set(cell, setTimeout(() => {
    cell.classList.remove('changed');
    delete cell.dataset.change;
    if (arrow) arrow.textContent = '';
  }, FLASH_MS));
}

function direction(oldV, newV) {
  if (typeof oldV === 'number' && typeof newV === 'number') return newV > oldV ? 'up' : 'down';
  return 'changed';
}

// ---------------------------------------------------------------------------------------------
// Small view pieces

function readinessBadge() {
  const pips = h('span', {class: 'pips', 'aria-hidden': 'true'}, h('i'), h('i'), h('i'), h('i'));
  const text = h('span', {class: 'badge-text'});
  const el = h('span', {class: 'badge readiness'}, pips, text);
  return {el, text};
}

function setReadiness(badge, rec, who) {
  const value = rec?.value ?? null;
  const info = READINESS[value];
  badge.el.className = `badge readiness lvl-${info ? value : 'unknown'}`;
  badge.el.dataset.level = value ?? '';
  setText(badge.text, info ? info.label : 'Ej angivet');
  const when = parseTime(rec?.reported_at);
  badge.el.title = `${who}: ${info ? info.label : 'ej angivet'}` + (Number.isFinite(when)
    ? ` (satt ${timeWithDay(when, serverNow())}${rec.reported_by ? ` av ${rec.reported_by}` : ''})`
    : '');
}

function bigFigure(key, label, title, withBaseline) {
  const num = h('span', {class: 'num', dataset: {figure: key}, text: '–'});
  const of = withBaseline ? h('span', {class: 'of'}) : null;
  const cell = h('div', {class: `fig fig-${key}`, title},
    h('span', {class: 'fig-label'}, label),
    h('span', {class: 'fig-value'}, num, of),
    h('span', {class: 'arrow', 'aria-hidden': 'true'}));
  return {cell, num, of, value: undefined};
}

// ---------------------------------------------------------------------------------------------
// Building the board from a snapshot

const view = {
  regions: new Map(),   // id → {el, badge, totals: {key: {cell, num, of, missing}}, missing}
  hospitals: new Map(), // id → refs (see buildHospital)
  structure: '',
};

const $ = (id) => document.getElementById(id);

function structureKey() {
  return JSON.stringify([model.space, model.regions.map((r) => [r.id, r.name, r.hospitals]),
    [...model.hospitals.values()].map((x) => [x.id, x.name, x.town, x.region])]);
}

function buildHospital(hosp) {
  const name = h('span', {class: 'h-name', text: hosp.name});
  const town = h('span', {class: 'h-town', text: hosp.town || ''});
  const readiness = readinessBadge();
  const figs = {};
  const figRow = h('div', {class: 'h-figs'});
  for (const f of FIGURES) {
    figs[f.key] = bigFigure(f.key, f.label, f.title, f.withBaseline);
    figs[f.key].def = f;
    figRow.append(figs[f.key].cell);
  }
  const prio = h('div', {class: 'prio-group', title: 'Mottagningskapacitet: patienter per timme'});
  for (const p of PRIORITIES) {
    figs[p] = bigFigure(p, '', `Mottagning ${p}: patienter per timme`, false);
    figs[p].cell.classList.add('prio');
    figs[p].cell.querySelector('.fig-label').append(
      h('span', {class: `chip ${p.toLowerCase()}`, 'aria-hidden': 'true'}), p, h('span', {class: 'per'}, '/tim'));
    prio.append(figs[p].cell);
  }
  figRow.append(prio);

  const edIcon = h('span', {class: 'ed-icon', 'aria-hidden': 'true'});
  const edText = h('span', {class: 'ed-text'});
  const ed = h('span', {class: 'badge ed'}, h('span', {class: 'ed-label'}, 'Akut:'), edIcon, edText,
    h('span', {class: 'arrow', 'aria-hidden': 'true'}));
  const staleTag = h('span', {class: 'stale-tag', text: 'INAKTUELL', hidden: true});
  const reported = h('span', {class: 'reported'});
  const reportedBy = h('span', {class: 'reported-by'});

  const el = h('article', {class: 'hospital', dataset: {hospital: hosp.id, stale: 'false'}},
    h('div', {class: 'h-head'}, h('div', {class: 'h-title'}, name, town), readiness.el),
    figRow,
    h('div', {class: 'h-foot'}, ed, staleTag, h('span', {class: 'reported-wrap'}, reported, reportedBy)));
  return {el, name, town, readiness, figs, figRow, ed, edIcon, edText, staleTag, reported, reportedBy,
    edValue: undefined, readinessValue: undefined};
}

function buildTotalCell(key, label, withBaseline) {
  const num = h('span', {class: 'num', dataset: {regionTotal: key}, text: '–'});
  const of = withBaseline ? h('span', {class: 'of'}) : null;
  const cell = h('span', {class: `rt rt-${key}`},
    h('span', {class: 'rt-label'}, label), num, of, h('span', {class: 'arrow', 'aria-hidden': 'true'}));
  return {cell, num, of, value: undefined};
}

function buildRegion(region) {
  const badge = readinessBadge();
  const totals = {
    AdultICU: buildTotalCell('AdultICU', 'IVA', true),
    MedicalSurgical: buildTotalCell('MedicalSurgical', 'Vpl', false),
  };
  for (const p of PRIORITIES) totals[p] = buildTotalCell(p, p, false);
  for (const p of PRIORITIES) {
    totals[p].cell.querySelector('.rt-label').prepend(
      h('span', {class: `chip ${p.toLowerCase()}`, 'aria-hidden': 'true'}));
  }
  const missing = h('div', {class: 'region-missing'});
  const head = h('div', {class: 'region-head'},
    h('h2', {class: 'region-name', text: region.name}),
    badge.el,
    h('div', {class: 'region-totals', title: 'Regionens summa: lediga IVA / totalt, lediga vårdplatser, mottagning per timme'},
      h('div', {class: 'rt-line'}, totals.AdultICU.cell, totals.MedicalSurgical.cell),
      h('div', {class: 'rt-line'}, totals.P1.cell, totals.P2.cell, totals.P3.cell)),
    missing);
  const list = h('div', {class: 'hospitals'});
  const el = h('section', {class: 'region', dataset: {region: region.id}}, head, list);
  return {el, badge, totals, missing, list, level: undefined};
}

function rebuild() {
  const main = $('regions');
  view.regions.clear();
  view.hospitals.clear();
  const frag = document.createDocumentFragment();
  for (const region of model.regions) {
    const rv = buildRegion(region);
    view.regions.set(region.id, rv);
    for (const hid of region.hospitals || []) {
      const hosp = model.hospitals.get(hid);
      if (!hosp) continue;
      const hv = buildHospital(hosp);
      view.hospitals.set(hid, hv);
      rv.list.append(hv.el);
    }
    frag.append(rv.el);
  }
  main.replaceChildren(frag);
  view.structure = structureKey();
  for (const region of model.regions) updateRegion(region.id, false);
  for (const id of view.hospitals.keys()) updateHospital(id, false);
  updateTotals(false);
}

// ---------------------------------------------------------------------------------------------
// Updating the view in place

function setFigure(ref, value, baseline, doFlash) {
  const old = ref.value;
  ref.value = value;
  setText(ref.num, showNumber(value));
  ref.cell.classList.toggle('unreported', value === null);
  if (ref.of) setText(ref.of, baseline === undefined ? '' : `/${baseline}`);
  if (doFlash && old !== undefined && old !== value) flash(ref.cell, direction(old, value));
}

function updateHospital(id, doFlash) {
  const hosp = model.hospitals.get(id);
  const v = view.hospitals.get(id);
  if (!hosp || !v) return;
  setText(v.name, hosp.name);
  v.name.classList.toggle('long', hosp.name.length > 28);
  // The town only when the name does not already say it ("Centralsjukhuset Karlstad").
  const town = hosp.town || '';
  setText(v.town, town && !hosp.name.toLocaleLowerCase('sv').includes(town.toLocaleLowerCase('sv')) ? town : '');
  v.el.title = hosp.note ? `${hosp.name}, ${hosp.town || ''}\n${hosp.note}` : `${hosp.name}, ${hosp.town || ''}`;

  for (const f of FIGURES) {
    const ref = v.figs[f.key];
    const baseline = baselineOf(hosp, f.key);
    if (f.onlyIfBaseline) {
      const show = baseline > 0;
      if (show && !ref.cell.isConnected) v.figRow.insertBefore(ref.cell, v.figRow.querySelector('.prio-group'));
      if (!show && ref.cell.isConnected) ref.cell.remove();
    }
    setFigure(ref, figureValue(hosp, f.key), f.withBaseline ? baseline : undefined, doFlash);
  }
  for (const p of PRIORITIES) setFigure(v.figs[p], figureValue(hosp, p), undefined, doFlash);

  // Emergency department status.
  const edValue = hosp.ed_status?.value ?? null;
  const ed = ED_STATUS[edValue];
  v.ed.className = `badge ed ed-${ed ? edValue : 'unknown'}`;
  v.el.dataset.ed = edValue ?? '';
  setText(v.edIcon, ed ? ed.icon : '');
  setText(v.edText, ed ? ed.label : '–');
  v.ed.title = `Akutmottagning: ${ed ? ed.label : 'ej rapporterat'}`;
  if (doFlash && v.edValue !== undefined && v.edValue !== edValue) flash(v.ed, 'changed');
  v.edValue = edValue;

  // Hospital readiness level.
  const level = hosp.readiness?.value ?? null;
  setReadiness(v.readiness, hosp.readiness, 'Sjukhusets beredskapsläge');
  v.el.dataset.readiness = level ?? '';
  if (doFlash && v.readinessValue !== undefined && v.readinessValue !== level) flash(v.readiness.el, 'changed');
  v.readinessValue = level;

  updateHospitalAge(id);
}

/** "Rapporterat för 12 min sedan (10:14) av tib-uppsala", and the stale flag. */
function updateHospitalAge(id) {
  const hosp = model.hospitals.get(id);
  const v = view.hospitals.get(id);
  if (!hosp || !v) return;
  const t = parseTime(hosp.last_reported_at);
  const now = serverNow();
  const stale = isStale(hosp);
  if (!Number.isFinite(t)) {
    setText(v.reported, 'Ej rapporterat');
    setText(v.reportedBy, '');
    v.el.classList.add('never');
  } else {
    v.el.classList.remove('never');
    // Beside the INAKTUELL tag there is less room: the time comes first.
    setText(v.reported, stale
      ? `Senast ${timeWithDay(t, now)}, ${ageText(now - t)}`
      : `Rapporterat ${ageText(now - t)} (${timeWithDay(t, now)})`);
    setText(v.reportedBy, latestReporter(hosp) ? `av ${latestReporter(hosp)}` : '');
  }
  v.el.dataset.stale = stale ? 'true' : 'false';
  v.staleTag.hidden = !stale;
  v.el.classList.toggle('stale', stale);
}

/** Who made the newest report of this hospital (the reported_by of its newest figure). */
function latestReporter(hosp) {
  let best = null, bestT = -Infinity;
  const consider = (rec) => {
    const t = parseTime(rec?.reported_at);
    if (Number.isFinite(t) && t >= bestT && rec.reported_by) { bestT = t; best = rec.reported_by; }
  };
  for (const rec of Object.values(hosp.beds || {})) consider(rec);
  for (const rec of Object.values(hosp.reception || {})) consider(rec);
  consider(hosp.ed_status);
  consider(hosp.readiness);
  return best;
}

function updateRegion(id, doFlash) {
  const region = model.regions.find((r) => r.id === id);
  const v = view.regions.get(id);
  if (!region || !v) return;
  const level = region.readiness?.value ?? null;
  setReadiness(v.badge, region.readiness, 'Regionens beredskapsläge');
  v.el.dataset.readiness = level ?? '';
  if (doFlash && v.level !== undefined && v.level !== level) flash(v.badge.el, 'changed');
  v.level = level;

  const hospitals = (region.hospitals || []).map((hid) => model.hospitals.get(hid));
  const totals = totalsOf(hospitals);
  for (const key of TOTAL_KEYS) {
    const t = totals[key];
    setFigure(v.totals[key], t.reported ? t.sum : null, key === 'AdultICU' ? (t.reported ? t.baseline : undefined) : undefined, doFlash);
  }
  const never = hospitals.filter((x) => x && !x.last_reported_at).length;
  const partial = Math.max(...TOTAL_KEYS.map((k) => totals[k].missing));
  setText(v.missing, never
    ? `${never} sjukhus ej rapporterat`
    : partial ? `${partial} sjukhus delvis rapporterat` : '');
  v.missing.classList.toggle('has-missing', never > 0 || partial > 0);
}

const missingText = (n) => (n ? `${n} sjukhus ej rapporterat` : 'Alla sjukhus rapporterat');

function updateTotals(doFlash) {
  const all = [...model.hospitals.values()];
  const totals = totalsOf(all);
  for (const key of TOTAL_KEYS) {
    const t = totals[key];
    const num = document.querySelector(`[data-total="${key}"]`);
    const tile = document.querySelector(`[data-total-tile="${key}"]`);
    const value = showNumber(t.reported ? t.sum : null);
    const old = num.textContent;
    setText(num, value);
    if (key === 'AdultICU') {
      setText(document.querySelector('[data-total-baseline="AdultICU"]'), t.reported ? String(t.baseline) : '–');
    }
    const miss = document.querySelector(`[data-total-missing="${key}"]`);
    setText(miss, missingText(t.missing));
    miss.classList.toggle('has-missing', t.missing > 0);
    if (doFlash && old !== value) flash(tile, direction(/^\d+$/.test(old) ? Number(old) : null, t.reported ? t.sum : null));
  }
  updateSummary();
}

function updateSummary() {
  const all = [...model.hospitals.values()];
  const never = all.filter((x) => !x.last_reported_at).length;
  const stale = all.filter(isStale).length;
  const parts = [`${all.length} sjukhus`];
  parts.push(never ? `${never} ej rapporterat` : 'alla har rapporterat');
  if (stale) parts.push(`${stale} inaktuella (> ${model.staleAfterMin} min)`);
  setText($('summary'), parts.join(' · '));
  $('summary').title = `Inaktuell: senaste rapport äldre än ${model.staleAfterMin} minuter`;
  $('summary').classList.toggle('warn', never > 0 || stale > 0);
}

function updateAges() {
  if (!model.have) return;
  for (const id of view.hospitals.keys()) updateHospitalAge(id);
  updateSummary();
}

// ---------------------------------------------------------------------------------------------
// Header: space, exercise banner, clock, seq

function updateHeader() {
  setText($('hcr-name'), model.hcr?.name || 'Lägesbild');
  const exercise = model.space !== 'live' || model.exercise;
  document.body.classList.toggle('exercise', exercise);
  const chip = $('space-chip');
  chip.className = `space-chip ${exercise ? 'is-exercise' : 'is-live'}`;
  setText(chip, exercise ? `Övning: ${model.space}` : 'Skarpt läge');
  document.title = exercise ? `ÖVNING – ${model.hcr?.name || 'Lägesbild'}` : `Lägesbild – ${model.hcr?.name || ''}`;

  let banner = $('exercise-banner');
  if (exercise && !banner) {
    banner = h('div', {id: 'exercise-banner', role: 'note', 'aria-label': 'Övning'},
      h('span', {class: 'ex-side', 'aria-hidden': 'true'}),
      h('span', {class: 'ex-word', text: 'ÖVNING'}),
      h('span', {class: 'ex-detail'}),
      h('span', {class: 'ex-side', 'aria-hidden': 'true'}));
    $('banner-slot').append(banner);
  } else if (!exercise && banner) {
    banner.remove();
    banner = null;
  }
  if (banner) setText(banner.querySelector('.ex-detail'), `Övningsutrymme ”${model.space}” – inte skarpt läge`);
  setText($('seq'), model.have ? String(model.seq) : '–');
  document.body.dataset.seq = String(model.seq);
}

function tickClock() {
  const now = serverNow();
  setText($('clock'), timeHMS(now));
  setText($('date-line'), dayLong(now));
}

// ---------------------------------------------------------------------------------------------
// Applying server messages

function applySnapshot(msg) {
  const st = msg.state || {};
  const sameSpace = model.have && model.space === msg.space;
  model.have = true;
  model.space = msg.space || SPACE;
  model.exercise = !!msg.exercise;
  model.seq = msg.seq;
  const t = parseTime(msg.server_time);
  model.offsetMs = Number.isFinite(t) ? t - Date.now() : 0;
  model.hcr = st.healthcare_region || null;
  model.staleAfterMin = st.stale_after_minutes || 60;
  model.regions = st.regions || [];
  model.hospitals = new Map((st.hospitals || []).map((x) => [x.id, x]));

  if (sameSpace && structureKey() === view.structure) {
    // A resync of the board already on screen: update in place and highlight what changed.
    for (const region of model.regions) updateRegion(region.id, true);
    for (const id of view.hospitals.keys()) updateHospital(id, true);
    updateTotals(true);
  } else {
    rebuild();
  }
  updateHeader();
  tickClock();
}

function applyDelta(msg) {
  if (msg.hospital && msg.hospital.id) {
    const known = model.hospitals.has(msg.hospital.id);
    model.hospitals.set(msg.hospital.id, msg.hospital);
    if (!known || !view.hospitals.has(msg.hospital.id)) {
      rebuild();
    } else {
      updateHospital(msg.hospital.id, true);
      const region = msg.hospital.region;
      if (region) updateRegion(region, true);
      updateTotals(true);
    }
  }
  if (msg.region && msg.region.id) {
    const i = model.regions.findIndex((r) => r.id === msg.region.id);
    const sameHospitals = i >= 0 &&
      JSON.stringify(model.regions[i].hospitals) === JSON.stringify(msg.region.hospitals);
    if (i >= 0) model.regions[i] = msg.region; else model.regions.push(msg.region);
    if (sameHospitals && view.regions.has(msg.region.id)) updateRegion(msg.region.id, true);
    else rebuild();
  }
  model.seq = msg.seq;
  updateHeader();
}

function showNotice(text) {
  const n = $('notice');
  if (!text) { n.hidden = true; n.textContent = ''; return; }
  n.textContent = text;
  n.hidden = false;
}

const ERROR_TEXT = {
  unknown_space: 'Servern känner inte till utrymmet',
  unsupported_version: 'Servern talar en annan protokollversion',
};

// ---------------------------------------------------------------------------------------------
// Connection: reconnect with backoff and since=<last seq>

const conn = {
  ws: null,
  backoff: BACKOFF_MIN_MS,
  timer: null,
  lostAt: null,       // server-adjusted time when the connection was lost (null while in sync)
  failures: 0,
  synced: false,      // the current socket delivered a snapshot or "resumed"
  resyncNow: false,   // the next reconnect is for a gap, not a failure: go at once
};

function setConnState(state) {
  const el = $('connection');
  el.dataset.state = state;
  document.body.dataset.conn = state;
  const text = el.querySelector('.conn-text');
  if (state === 'connected') {
    setText(text, 'Ansluten');
  } else if (state === 'reconnecting') {
    setText(text, model.have ? 'Återansluter…' : 'Ansluter…');
  } else {
    setText(text, model.have
      ? `Frånkopplad – visar senast kända läge (${timeHM(conn.lostAt ?? serverNow())})`
      : 'Frånkopplad – inget läge mottaget ännu');
  }
}

function connect() {
  clearTimeout(conn.timer);
  conn.timer = null;
  conn.synced = false;
  const params = {space: SPACE};
  if (model.have && model.space === SPACE) params.since = model.seq;
  let ws;
  try {
    ws = new WebSocket(wsUrl(params));
  } catch (e) {
    scheduleReconnect();
    return;
  }
  conn.ws = ws;
  ws.onmessage = (ev) => { if (conn.ws === ws) onMessage(ev.data); };
  ws.onclose = () => {
    if (conn.ws !== ws) return;
    conn.ws = null;
    scheduleReconnect();
  };
  ws.onerror = () => { /* onclose follows */ };
}

function scheduleReconnect() {
  if (conn.timer) return;
  if (conn.lostAt === null) conn.lostAt = serverNow();
  let delay;
  if (conn.resyncNow) {
    conn.resyncNow = false;
    delay = 0;
  } else {
    conn.failures++;
    delay = conn.backoff;
    conn.backoff = Math.min(conn.backoff * 2, BACKOFF_MAX_MS);
  }
  const away = serverNow() - conn.lostAt;
  setConnState(conn.failures >= 2 || away >= OFFLINE_AFTER_MS ? 'offline' : 'reconnecting');
  conn.timer = setTimeout(connect, delay);
}

/** Drops the socket and reconnects at once with since=<last applied seq>. */
function resync() {
  const ws = conn.ws;
  if (!ws) return;
  conn.resyncNow = true;
  conn.ws = null;
  try { ws.close(4000, 'gap'); } catch { /* already closing */ }
  scheduleReconnect();
}

function markSynced() {
  conn.synced = true;
  conn.backoff = BACKOFF_MIN_MS;
  conn.failures = 0;
  conn.lostAt = null;
  setConnState('connected');
}

function onMessage(data) {
  let msg;
  try { msg = JSON.parse(data); } catch { return; }
  if (!msg || typeof msg !== 'object' || msg.v !== PROTOCOL_VERSION) return;
  switch (msg.type) {
    case 'snapshot':
      if (msg.space && msg.space !== SPACE) return;
      applySnapshot(msg);
      showNotice(null);
      markSynced();
      break;
    case 'delta':
      if (!model.have || (msg.space && msg.space !== model.space)) return;
      if (typeof msg.seq !== 'number' || msg.seq <= model.seq) return; // duplicate: already applied
      if (msg.seq !== model.seq + 1) { resync(); return; }               // gap: fetch what we missed
      applyDelta(msg);
      break;
    case 'resumed':
      if (typeof msg.seq === 'number' && msg.seq > model.seq) { resync(); return; }
      markSynced();
      break;
    case 'error':
      if (!conn.synced) {
        showNotice(`${ERROR_TEXT[msg.code] || 'Fel från servern'}: ${msg.message || msg.code || ''}`);
      }
      break;
    default:
      break; // ack and future message types
  }
}

// While disconnected, move from "Återansluter…" to "Frånkopplad" even between attempts.
function tickConnection() {
  if (conn.lostAt !== null && $('connection').dataset.state === 'reconnecting' &&
      serverNow() - conn.lostAt >= OFFLINE_AFTER_MS) {
    setConnState('offline');
  }
}

// ---------------------------------------------------------------------------------------------

function start() {
  $('report-link').href = pageLink('report.html');
  if (SPACE !== 'live') { model.space = SPACE; updateHeader(); }
  setConnState('reconnecting');
  tickClock();
  setInterval(() => { tickClock(); tickConnection(); }, 1000);
  setInterval(updateAges, AGE_TICK_MS);
  connect();
}

start();
