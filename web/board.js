// Lägesbild — the wall board.
//
// One WebSocket to /ws (protocol.md). The server sends a snapshot, then deltas with strictly
// increasing seq. This page keeps the last applied seq; on a gap it reconnects with since=<seq>
// and gets exactly the missed deltas (or a fresh snapshot). It needs no domain logic: every delta
// carries the whole post-event hospital or region record, which simply replaces the old one.
//
// Messages (larm, METHANE, lägesrapporter) come whole in the snapshot and in deltas; the ones that
// still wait for acknowledgement stand in their own panel. A snapshot may carry only the newest and
// the open ones: "Visa äldre meddelanden" fetches older pages (GET /api/messages), and the panel says
// how many open ones are not fetched (messages.js MessageLog). Each hospital card draws a small
// trend of available IVA and vårdplatser from GET /api/history plus the live deltas.
//
// On a server started with --require-sign-in the board shows nothing until someone signs in: the
// server answers the socket with sign_in_required, the board shows its sign-in box (session.js; a
// #token= link works too), sends hello, and the server then sends the snapshot. Every /api request
// carries the token as Authorization: Bearer whenever the page has one; never in a URL.
//
// In an exercise space the ÖVNING banner carries the exercise clock (extrapolated every second,
// replaced by each exercise_clock_set delta), and "now" for ages, staleness and the header clock is
// exercise time, the time every event of the space is stamped with.
//
// Casualties (exercises): a hospital record may carry `casualties` (patients on the way and received
// per priority, and whether the hospital is över kapacitet with the reason). A card shows one short
// line only when some count is non-zero or it is over capacity; over capacity adds a marked line
// (icon + text + red frame). When those lines would push the wall past the screen, the board packs
// its spacing tighter (body[data-fit]) rather than scroll.
//
// Everything from the server is put into the DOM with textContent (via h()/setText()).

import {
  PROTOCOL_VERSION, READINESS, ED_STATUS, PRIORITIES, MESSAGE_KINDS, MESSAGE_KIND_ORDER, ERROR_TEXT,
  pageSpace, syncExerciseBanner, syncExerciseClock, exerciseNow, exerciseName, wsUrl, pageLink, h, setText,
  timeHM, timeHMS, dayLong, timeWithDay, parseTime,
  ageText, ageShort, showNumber, effectiveLevel, staleLimitMinutes, expectedFigures, figureAge,
} from './common.js';
import {initSpaceSwitch} from './spaces.js';
import {Connection} from './connection.js';
import {Session, apiFetch, apiFetchPatiently} from './session.js';
import {
  MessageLog, renderMessage, renderLoadMore, countText, sortMessages, updateAgeLabels, pendingOf,
  addressees, regionNamer,
} from './messages.js';

const SPACE = pageSpace();
const AGE_TICK_MS = 10_000;     // ages and stale flags are re-evaluated this often
const FLASH_MS = 3_000;         // a changed figure stays highlighted this long

// The figures of a hospital card, in display order.
const FIGURES = [
  {key: 'AdultICU', bed: true, label: 'IVA', title: 'IVA-platser: lediga / totalt', withBaseline: true},
  {key: 'MedicalSurgical', bed: true, label: 'Vpl', title: 'Vårdplatser lediga'},
  // Secondary figures, stacked small in one column so that a card stays one line wide.
  {key: 'OperatingRooms', bed: true, label: 'Op-sal', title: 'Operationssalar lediga', minor: true},
  {key: 'Burn', bed: true, label: 'Bränn.', title: 'Brännskadevård: lediga / totalt', withBaseline: true,
    onlyIfBaseline: true, minor: true},
];
const TOTAL_KEYS = ['AdultICU', 'MedicalSurgical', 'P1', 'P2', 'P3'];
const TREND_KEYS = ['AdultICU', 'MedicalSurgical'];
const TREND_WINDOW_MS = 12 * 3600_000; // the sparkline covers at most the last 12 hours

// ---------------------------------------------------------------------------------------------
// Model

const model = {
  have: false,          // a snapshot has been applied
  space: SPACE,
  exercise: false,
  exerciseInfo: null,   // exercise_info (the exercise clock) of an exercise space, else null
  seq: 0,               // last applied seq
  offsetMs: 0,          // server clock − local clock, measured at the last snapshot
  hcr: null,            // {id, name}
  staleAfterMin: 60,
  staleness: null,      // {normal: 60, staff: 30, …} minutes per readiness level, or null
  regions: [],          // region records, config order
  hospitals: new Map(), // id → hospital record
  messages: new MessageLog({fetch: (url) => apiFetch(url), onChange: () => renderMessages()}),
  trend: new Map(),     // hospital id → Map(seq → {seq, at, kind, report}) from history + deltas
  trendGen: 0,          // bumped on every snapshot; late history answers of older ones are dropped
};

const wallNow = () => Date.now() + model.offsetMs;
/** "Now" for the space's data: exercise time (start + elapsed) in an exercise, else the server's clock. */
function serverNow() {
  const t = exerciseNow(model.exerciseInfo, wallNow());
  return Number.isFinite(t) ? t : wallNow();
}

function figureValue(hosp, key) {
  if (!hosp) return null;
  if (PRIORITIES.includes(key)) return hosp.reception?.[key]?.value ?? null;
  return hosp.beds?.[key]?.available ?? null;
}
const baselineOf = (hosp, key) => hosp?.beds?.[key]?.baseline ?? 0;

const regionOf = (hosp) => model.regions.find((r) => r.id === hosp?.region);

/** The hospital's effective readiness level and its staleness limit in minutes. */
function limitOf(hosp) {
  const level = effectiveLevel(hosp, regionOf(hosp));
  return {level, minutes: staleLimitMinutes({staleness: model.staleness, stale_after_minutes: model.staleAfterMin}, level)};
}

/**
 * Staleness as the server defines it (protocol.md "Staleness"): at least one reported figure is
 * older than the limit of the hospital's effective level. Returns {stale, count, oldest, limit}.
 */
function staleness(hosp) {
  const limit = limitOf(hosp);
  const now = serverNow();
  let count = 0, overdue = 0, oldest = Infinity;
  for (const f of expectedFigures(hosp)) {
    const a = figureAge(f.rec, now, limit.minutes);
    if (a.overdue) overdue++;   // never reported, or too old
    if (a.never || !a.overdue) continue;
    count++;
    oldest = Math.min(oldest, now - a.ageMs);
  }
  return {stale: count > 0, count, overdue, oldest, limit};
}

const isStale = (hosp) => staleness(hosp).stale;

/** A non-negative integer count from the server, anything else as 0. */
const nonNegative = (v) => (Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);

/**
 * The hospital's casualties (protocol.md "Exercises"): {incoming, received} per priority with
 * totals, over (bool), reason, and show — whether the card shows them at all.
 */
function casualtiesOf(hosp) {
  const c = hosp?.casualties && typeof hosp.casualties === 'object' ? hosp.casualties : {};
  const per = (o) => Object.fromEntries(PRIORITIES.map((p) => [p, nonNegative(o?.[p])]));
  const incoming = per(c.incoming), received = per(c.received);
  const sum = (o) => PRIORITIES.reduce((a, p) => a + o[p], 0);
  const over = c.over_capacity === true;
  const reason = typeof c.reason === 'string' ? c.reason.trim() : '';
  const inTotal = sum(incoming), recTotal = sum(received);
  return {incoming, received, inTotal, recTotal, over, reason, show: over || inTotal > 0 || recTotal > 0};
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

const SVG_NS = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}) => {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};

function bigFigure(key, label, title, withBaseline, withTrend) {
  const num = h('span', {class: 'num', dataset: {figure: key}, text: '–'});
  const of = withBaseline ? h('span', {class: 'of'}) : null;
  let trend = null;
  if (withTrend) {
    trend = svg('svg', {class: 'trend', viewBox: '0 0 100 20', preserveAspectRatio: 'none',
      'data-trend': key, 'aria-hidden': 'true'});
  }
  // The trend sits in the label row, beside the short label: it costs no height on the wall.
  const cell = h('div', {class: `fig fig-${key}${withTrend ? ' has-trend' : ''}`, title},
    h('span', {class: 'fig-label'}, label, trend),
    h('span', {class: 'fig-value'}, num, of),
    h('span', {class: 'arrow', 'aria-hidden': 'true'}));
  return {cell, num, of, trend, value: undefined};
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
  const minor = h('div', {class: 'minor-group'});
  for (const f of FIGURES) {
    figs[f.key] = bigFigure(f.key, f.label, f.title, f.withBaseline, TREND_KEYS.includes(f.key));
    figs[f.key].def = f;
    figs[f.key].parent = f.minor ? minor : figRow;
    if (f.minor) figs[f.key].cell.classList.add('minor');
    figs[f.key].parent.append(figs[f.key].cell);
  }
  figRow.append(minor);
  const prio = h('div', {class: 'prio-group', title: 'Mottagningskapacitet P1, P2, P3: patienter per timme'});
  for (const p of PRIORITIES) {
    figs[p] = bigFigure(p, '', `Mottagning ${p}: patienter per timme`, false);
    figs[p].cell.classList.add('prio');
    figs[p].cell.querySelector('.fig-label').append(
      h('span', {class: `chip ${p.toLowerCase()}`, 'aria-hidden': 'true'}), p);
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

  // Casualties: the marked over-capacity line and the counts line, both hidden until there is
  // something to show.
  const overReason = h('span', {class: 'over-reason'});
  const over = h('div', {class: 'h-over', hidden: true},
    h('span', {class: 'over-tag'}, h('span', {class: 'over-icon', 'aria-hidden': 'true'}, '⚠'), 'ÖVER KAPACITET'),
    overReason);
  const cas = h('div', {class: 'h-cas', hidden: true,
    dataset: {casualties: '', incoming: '0', received: '0'}});

  const el = h('article', {class: 'hospital', dataset: {hospital: hosp.id, stale: 'false', overCapacity: 'false'}},
    h('div', {class: 'h-head'}, h('div', {class: 'h-title'}, name, town), readiness.el),
    figRow,
    over,
    cas,
    h('div', {class: 'h-foot'}, ed, staleTag, h('span', {class: 'reported-wrap'}, reported, reportedBy)));
  return {el, name, town, readiness, figs, figRow, ed, edIcon, edText, staleTag, reported, reportedBy,
    over, overReason, cas, casKey: undefined, overValue: undefined,
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
  const overText = h('span', {class: 'region-over-text'});
  const over = h('div', {class: 'region-over', hidden: true, dataset: {regionOverCapacity: '0'}},
    h('span', {class: 'over-icon', 'aria-hidden': 'true'}, '⚠'), overText);
  const head = h('div', {class: 'region-head'},
    h('h2', {class: 'region-name', text: region.name}),
    badge.el,
    h('div', {class: 'region-totals', title: 'Regionens summa: lediga IVA / totalt, lediga vårdplatser, mottagning per timme'},
      h('div', {class: 'rt-line'}, totals.AdultICU.cell, totals.MedicalSurgical.cell),
      h('div', {class: 'rt-line'}, totals.P1.cell, totals.P2.cell, totals.P3.cell)),
    over,
    missing);
  const list = h('div', {class: 'hospitals'});
  const el = h('section', {class: 'region', dataset: {region: region.id}}, head, list);
  return {el, badge, totals, missing, over, overText, list, level: undefined};
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
  fitBoard();
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
      if (show && !ref.cell.isConnected) ref.parent.append(ref.cell); // the last of its group
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

  updateCasualties(hosp, v, doFlash);
  updateHospitalAge(id);
  updateTrends(id);
}

/** One priority count: "P1 2". */
function casCount(p, n) {
  return h('span', {class: `cas-n${n ? '' : ' zero'}`}, `${p} `, h('b', {}, String(n)));
}

/** "på väg P1 2 · P2 1 · P3 0" */
function casPart(cls, word, counts, total) {
  const items = [];
  PRIORITIES.forEach((p, i) => {
    if (i) items.push(h('span', {class: 'cas-sep'}, ' · '));
    items.push(casCount(p, counts[p]));
  });
  return h('span', {class: `cas-part ${cls}${total ? '' : ' zero'}`}, h('span', {class: 'cas-word'}, word), ' ', ...items);
}

/**
 * The casualties line "Skadade: på väg P1 2 · P2 1 · P3 0 — mottagna P1 3 · P2 2 · P3 3" and the
 * över kapacitet marker; both hidden while every count is zero and the hospital is not over capacity.
 */
function updateCasualties(hosp, v, doFlash) {
  const c = casualtiesOf(hosp);
  v.el.classList.toggle('has-casualties', c.show);
  v.el.classList.toggle('over-capacity', c.over);
  v.el.dataset.overCapacity = c.over ? 'true' : 'false';
  v.cas.hidden = !c.show;
  v.cas.dataset.incoming = String(c.inTotal);
  v.cas.dataset.received = String(c.recTotal);

  const key = JSON.stringify([c.incoming, c.received]);
  if (key !== v.casKey) {
    v.cas.replaceChildren(
      h('span', {class: 'cas-label'}, 'Skadade:'), ' ',
      casPart('cas-incoming', 'på väg', c.incoming, c.inTotal),
      h('span', {class: 'cas-sep cas-dash'}, ' — '),
      casPart('cas-received', 'mottagna', c.received, c.recTotal));
    v.cas.title = v.cas.textContent;
    if (doFlash && v.casKey !== undefined && c.show) flash(v.cas, 'changed');
    v.casKey = key;
  }

  v.over.hidden = !c.over;
  setText(v.overReason, c.over ? c.reason : '');
  v.over.title = c.over
    ? `Över kapacitet${c.reason ? `: ${c.reason}` : ''} (mottagna senaste timmen jämfört med rapporterad mottagning per timme och lediga IVA-platser)`
    : '';
  if (doFlash && v.overValue !== undefined && v.overValue !== c.over && c.over) flash(v.over, 'changed');
  v.overValue = c.over;
}

/** "Rapporterat för 12 min sedan (10:14) av tib-uppsala", and the stale flag. */
function updateHospitalAge(id) {
  const hosp = model.hospitals.get(id);
  const v = view.hospitals.get(id);
  if (!hosp || !v) return;
  const t = parseTime(hosp.last_reported_at);
  const now = serverNow();
  const st = staleness(hosp);
  const stale = st.stale;
  const levelLabel = READINESS[st.limit.level]?.label.toLowerCase() || st.limit.level;
  if (!Number.isFinite(t)) {
    setText(v.reported, 'Ej rapporterat');
    setText(v.reportedBy, '');
    v.el.classList.add('never');
  } else {
    v.el.classList.remove('never');
    // Beside the INAKTUELL tag there is less room: the oldest figure and the limit come first.
    setText(v.reported, stale
      ? `Äldsta ${timeWithDay(st.oldest, now)} (${ageShort(now - st.oldest)}), gräns ${st.limit.minutes} min`
      : `Rapporterat ${ageText(now - t)} (${timeWithDay(t, now)})`);
    setText(v.reportedBy, latestReporter(hosp) ? `av ${latestReporter(hosp)}` : '');
  }
  v.el.dataset.stale = stale ? 'true' : 'false';
  v.el.dataset.overdue = String(st.overdue);
  v.staleTag.hidden = !stale;
  v.staleTag.title = stale
    ? `${st.count} uppgift${st.count === 1 ? '' : 'er'} äldre än ${st.limit.minutes} min (gränsen i ${levelLabel})`
    : '';
  v.el.classList.toggle('stale', stale);
}

// ---------------------------------------------------------------------------------------------
// Trend sparklines: available over time, from GET /api/history plus the live deltas

/** Points {t, v} of one figure: entries without the figure carry the previous value. */
function trendPoints(id, key) {
  const entries = [...(model.trend.get(id)?.values() || [])].sort((a, b) => a.seq - b.seq);
  const pts = [];
  let v = null;
  for (const e of entries) {
    const nv = e.report?.beds?.[key]?.available;
    if (typeof nv === 'number') v = nv;
    const t = parseTime(e.at);
    if (v === null || !Number.isFinite(t)) continue;
    pts.push({t, v});
  }
  return pts;
}

function drawTrend(el, pts, now, label) {
  el.replaceChildren();
  const from = Math.max(pts[0].t, now - TREND_WINDOW_MS);
  // Points before the window: the last of them gives the value at the window's start.
  let shown = pts.filter((p) => p.t >= from);
  const before = pts.filter((p) => p.t < from).at(-1);
  if (before) shown = [{t: from, v: before.v}, ...shown];
  const span = Math.max(now - from, 60_000);
  const max = Math.max(1, ...shown.map((p) => p.v));
  const x = (t) => Math.min(100, Math.max(0, ((t - from) / span) * 100));
  const y = (v) => 18 - (v / max) * 16;
  // A step line: a value holds until the next report.
  let d = `M${x(shown[0].t).toFixed(2)},${y(shown[0].v).toFixed(2)}`;
  for (let i = 1; i < shown.length; i++) {
    d += `H${x(shown[i].t).toFixed(2)}V${y(shown[i].v).toFixed(2)}`;
  }
  d += `H100`;
  el.append(
    svg('line', {class: 'trend-zero', x1: 0, x2: 100, y1: 18, y2: 18, 'vector-effect': 'non-scaling-stroke'}),
    svg('path', {class: 'trend-line', d, 'vector-effect': 'non-scaling-stroke'}));
  const first = shown[0].v, last = shown.at(-1).v, low = Math.min(...shown.map((p) => p.v));
  const title = svg('title');
  title.textContent = `${label} lediga senaste ${ageShort(now - from)}: ${first} → ${last} (lägst ${low})`;
  el.prepend(title);
  el.dataset.points = String(shown.length);
  el.dataset.last = String(last);
  el.dataset.direction = last > first ? 'up' : last < first ? 'down' : 'flat';
}

function updateTrends(id) {
  const v = view.hospitals.get(id);
  if (!v) return;
  const now = serverNow();
  for (const key of TREND_KEYS) {
    const el = v.figs[key]?.trend;
    if (!el) continue;
    const pts = trendPoints(id, key);
    if (pts.length < 2) {
      if (el.childNodes.length) el.replaceChildren();
      el.dataset.points = String(pts.length);
      el.classList.add('empty');
      continue;
    }
    el.classList.remove('empty');
    drawTrend(el, pts, now, key === 'AdultICU' ? 'IVA' : 'Vårdplatser');
  }
}

function addTrendEntry(id, e) {
  if (!id || !e || typeof e.seq !== 'number') return;
  if (e.kind !== 'capacity_reported' && e.kind !== 'figures_confirmed') return;
  if (!model.trend.has(id)) model.trend.set(id, new Map());
  model.trend.get(id).set(e.seq, {seq: e.seq, at: e.at, kind: e.kind, report: e.report});
}

/** After a snapshot: the whole trend of every hospital, fetched again. */
function loadHistory() {
  clearTimeout(historyReload.timer);
  historyReload.timer = null;
  historyReload.last = Date.now();
  const gen = ++model.trendGen;
  model.trend = new Map();
  const from = new Date(serverNow() - TREND_WINDOW_MS).toISOString();
  for (const id of model.hospitals.keys()) {
    const url = `/api/history?hospital=${encodeURIComponent(id)}&space=${encodeURIComponent(model.space)}` +
      `&from=${encodeURIComponent(from)}`;
    apiFetchPatiently(url)
      .then((r) => (r.ok ? r.json() : null))
      .then((body) => {
        if (gen !== model.trendGen || !body || !Array.isArray(body.entries)) return;
        for (const e of body.entries) addTrendEntry(id, e);
        updateTrends(id);
      })
      .catch(() => { /* no trend: the figures themselves are what counts */ });
  }
}

// In a flood of reports the server sends coalesced snapshots up to ten times a second; the
// trends then follow at most every HISTORY_RELOAD_MIN_MS instead of refetching on each one.
const HISTORY_RELOAD_MIN_MS = 5000;
const historyReload = {last: 0, timer: null};
function reloadHistorySoon() {
  if (historyReload.timer) return;
  const wait = Math.max(0, historyReload.last + HISTORY_RELOAD_MIN_MS - Date.now());
  historyReload.timer = setTimeout(loadHistory, wait);
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

  // The region's level is part of each hospital's effective level, hence of its staleness limit.
  for (const hid of region.hospitals || []) updateHospitalAge(hid);

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

  const over = hospitals.filter((x) => x && casualtiesOf(x).over).length;
  v.over.hidden = over === 0;
  v.over.dataset.regionOverCapacity = String(over);
  setText(v.overText, `${over} över kapacitet`);
  v.over.title = `${over} sjukhus i regionen över kapacitet`;
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
  if (stale) parts.push(`${stale} inaktuella`);
  setText($('summary'), parts.join(' · '));
  $('summary').title = `Inaktuell: minst en uppgift äldre än gränsen för sjukhusets beredskapsläge (${limitsText()})`;
  $('summary').classList.toggle('warn', never > 0 || stale > 0);
}

/**
 * On the wall (one screen, no page scroll) the casualty lines add height: when the regions would
 * then need scrolling, the spacing is packed tighter in steps (body[data-fit="1"|"2"]; board.css).
 * A casualty line too wide for its card is set tighter (.tight). Re-measured after every change.
 */
const WALL = window.matchMedia('(min-width: 1701px)');
const FIT_STEPS = 2;
function fitBoard() {
  const main = $('regions');
  for (const el of main.querySelectorAll('.h-cas:not([hidden])')) {
    el.classList.remove('tight');
    if (el.scrollWidth > el.clientWidth) el.classList.add('tight');
  }
  delete document.body.dataset.fit;
  if (!WALL.matches || !main.querySelector('.hospital.has-casualties')) return;
  for (let step = 1; step <= FIT_STEPS && main.scrollHeight > main.clientHeight + 1; step++) {
    document.body.dataset.fit = String(step);
  }
}

/** "normalläge 60 min, stabsläge 30 min, …" */
function limitsText() {
  const st = {staleness: model.staleness, stale_after_minutes: model.staleAfterMin};
  return Object.keys(READINESS).map((l) => `${READINESS[l].label.toLowerCase()} ${staleLimitMinutes(st, l)} min`).join(', ');
}

let lastAges = -Infinity;  // serverNow() of the last updateAges()

function updateAges() {
  if (!model.have) return;
  lastAges = serverNow();
  for (const id of view.hospitals.keys()) { updateHospitalAge(id); updateTrends(id); }
  updateSummary();
  updateAgeLabels(document.getElementById('messages'), serverNow());
}

// ---------------------------------------------------------------------------------------------
// Messages: the unacknowledged panel and the message log

const filters = {region: '', kind: ''};

function messageMatches(msg) {
  if (filters.kind && msg.kind !== filters.kind) return false;
  if (filters.region) {
    const to = addressees(msg, model.regions);
    if (msg.from !== filters.region && !to.includes(filters.region)) return false;
  }
  return true;
}

function fillFilters() {
  const sel = $('filter-region');
  const keep = filters.region;
  sel.replaceChildren(h('option', {value: ''}, 'Alla regioner'),
    ...model.regions.map((r) => h('option', {value: r.id}, r.name)));
  sel.value = model.regions.some((r) => r.id === keep) ? keep : '';
  filters.region = sel.value;
  const kinds = $('filter-kind');
  if (kinds.options.length <= 1) {
    kinds.append(...MESSAGE_KIND_ORDER.map((k) => h('option', {value: k}, MESSAGE_KINDS[k].label)));
  }
}

function renderMessages() {
  const now = serverNow();
  const regionName = regionNamer(model.regions);
  const opts = {regions: model.regions, regionName, now};
  const log = model.messages;
  const all = log.list;

  // Unacknowledged: every message that still waits for some region, newest first (a fresh alarm
  // is on top); open ones the page has not fetched are counted too, and can be fetched.
  const waiting = sortMessages(all.filter((m) => pendingOf(m).length > 0));
  const hidden = log.hiddenOpen;
  const open = waiting.length + hidden;
  const panel = $('unacknowledged');
  panel.dataset.count = String(open);
  panel.dataset.hidden = String(hidden);
  panel.classList.add('ready');
  panel.classList.toggle('has-pending', open > 0);
  setText($('unack-count'), countText(open));
  const unackList = $('unack-list');
  unackList.replaceChildren(...waiting.map((m) => renderMessage(m, {...opts, compact: true})));
  setText($('unack-empty'), 'Inga okvitterade meddelanden');
  $('unack-empty').hidden = open > 0;
  renderLoadMore($('unack-more'), {
    note: hidden ? `+${countText(hidden)} äldre okvitterade visas inte här` : '',
    label: 'Visa äldre okvitterade', show: hidden > 0, busy: log.loading.open, error: log.error.open,
    onLoad: () => log.loadOlderOpen(),
  });

  const shown = sortMessages(all.filter(messageMatches));
  const list = $('log-list');
  list.replaceChildren(...shown.map((m) => renderMessage(m, opts)));
  const have = all.length;
  setText($('log-empty'), have === 0 ? 'Inga meddelanden ännu' : 'Inga meddelanden med det här urvalet');
  $('log-empty').hidden = shown.length > 0;
  setText($('log-count'), shown.length === have ? countText(have) : `${countText(shown.length)} av ${countText(have)}`);
  const parts = [];
  if (log.hasOlder) parts.push(`Visar ${countText(have)} av ${countText(Math.max(log.total, have))} meddelanden`);
  else if (log.paged) parts.push(`Alla ${countText(have)} meddelanden visas`);
  if (log.hasOlder && shown.length !== have) parts.push('urvalet gäller de hämtade');
  if (log.unreadable) parts.push(`${countText(log.unreadable)} kunde inte läsas ur loggen`);
  renderLoadMore($('log-more'), {
    note: parts.join(' · '), label: 'Visa äldre meddelanden', show: log.hasOlder,
    busy: log.loading.all, error: log.error.all, onLoad: () => log.loadOlder(),
  });
}

// ---------------------------------------------------------------------------------------------
// Header: space, exercise banner, clock, seq

function updateHeader() {
  setText($('hcr-name'), model.hcr?.name || 'Lägesbild');
  const exercise = model.space !== 'live' || model.exercise;
  document.body.classList.toggle('exercise', exercise);
  const chip = $('space-chip');
  chip.className = `space-chip ${exercise ? 'is-exercise' : 'is-live'}`;
  setText(chip, exercise ? 'Övning' : 'Skarpt läge');
  chip.title = exercise ? `Övningsutrymme ${model.space}` : 'Skarpt läge: den verkliga lägesbilden';
  document.title = exercise ? `ÖVNING – ${model.hcr?.name || 'Lägesbild'}` : `Lägesbild – ${model.hcr?.name || ''}`;

  const name = model.exerciseInfo ? `${exerciseName(model.exerciseInfo, model.space)} · ` : '';
  syncExerciseBanner(exercise, `${name}Övningsutrymme ”${model.space}” – inte skarpt läge`);
  syncExerciseClock(model.exerciseInfo, wallNow());
  setText($('seq'), model.have ? String(model.seq) : '–');
  document.body.dataset.seq = String(model.seq);
}

function tickClock() {
  const now = serverNow();
  setText($('clock'), timeHMS(now));
  setText($('date-line'), dayLong(now));
  const inExercise = !!model.exerciseInfo;
  $('clock').setAttribute('aria-label', inExercise ? 'Övningens klocka' : 'Svensk tid');
  $('clock').title = inExercise
    ? 'Övningens klocka: övningens start plus övningstiden. Alla händelser i övningen har den här tiden.'
    : 'Svensk tid';
  syncExerciseClock(model.exerciseInfo, wallNow());
}

// ---------------------------------------------------------------------------------------------
// Applying server messages

function applySnapshot(msg) {
  const st = msg.state || {};
  const sameSpace = model.have && model.space === msg.space;
  const prevSeq = model.seq;
  model.have = true;
  model.space = msg.space || SPACE;
  model.exercise = !!msg.exercise;
  model.exerciseInfo = msg.exercise && msg.exercise_info && typeof msg.exercise_info === 'object'
    ? msg.exercise_info : null;
  model.seq = msg.seq;
  const t = parseTime(msg.server_time);
  model.offsetMs = Number.isFinite(t) ? t - Date.now() : 0;
  model.hcr = st.healthcare_region || null;
  model.staleAfterMin = st.stale_after_minutes || 60;
  model.staleness = st.staleness && typeof st.staleness === 'object' ? st.staleness : null;
  model.regions = st.regions || [];
  model.hospitals = new Map((st.hospitals || []).map((x) => [x.id, x]));
  model.messages.applySnapshot(msg, sameSpace ? prevSeq : 0);
  if (sameSpace) reloadHistorySoon(); else loadHistory();

  if (sameSpace && structureKey() === view.structure) {
    // A resync of the board already on screen: update in place and highlight what changed.
    for (const region of model.regions) updateRegion(region.id, true);
    for (const id of view.hospitals.keys()) updateHospital(id, true);
    updateTotals(true);
    fitBoard();
  } else {
    rebuild();
  }
  fillFilters();
  renderMessages();
  updateHeader();
  tickClock();
}

function applyDelta(msg) {
  if (msg.hospital && msg.hospital.id) addTrendEntry(msg.hospital.id, msg.event);
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
      fitBoard();
    }
  }
  if (msg.region && msg.region.id) {
    const i = model.regions.findIndex((r) => r.id === msg.region.id);
    const sameHospitals = i >= 0 &&
      JSON.stringify(model.regions[i].hospitals) === JSON.stringify(msg.region.hospitals);
    if (i >= 0) model.regions[i] = msg.region; else model.regions.push(msg.region);
    if (sameHospitals && view.regions.has(msg.region.id)) updateRegion(msg.region.id, true);
    else rebuild();
    if (!sameHospitals) fillFilters();
    updateSummary();
  }
  if (model.messages.applyDelta(msg)) renderMessages();
  // exercise_clock_set: the delta carries the new clock.
  if (msg.exercise_info && typeof msg.exercise_info === 'object') {
    model.exerciseInfo = msg.exercise_info;
    tickClock();
    updateAges();
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

const NOTICE_TEXT = {
  ...ERROR_TEXT,
  unknown_space: 'Servern känner inte till utrymmet',
  unsupported_version: 'Servern talar en annan protokollversion',
};

// ---------------------------------------------------------------------------------------------
// Signing in: only when the server requires it (or a #token= link was opened)

const session = new Session({
  socket: () => conn.socket,
  regionName: (id) => model.regions.find((r) => r.id === id)?.name,
  errorText: (msg) => ERROR_TEXT[msg.code] || msg.code || 'Fel',
  onChange: (what) => {
    renderAuth();
    if (what === 'welcome') spaces?.refresh();  // a server that requires sign-in lists nothing before
  },
  onSignOut: () => conn.reconnectNow('sign-out'),
});

/**
 * The sign-in box: a card in the middle of the empty board while the server shows nothing before a
 * sign-in (body[data-auth="required"]); one quiet line in the header while someone is signed in.
 */
function renderAuth() {
  session.render();
  // Back after a lost connection, the stored token signs in again at once: no card meanwhile.
  const blocked = session.blocked && !(session.signing && model.have);
  document.body.dataset.auth = blocked ? 'required' : session.user ? 'signed-in' : '';
  $('sign-in-panel').hidden = !blocked && !session.user;
  if (blocked && !model.have) setText($('hcr-name'), 'Inloggning krävs');
  if (blocked && !conn.synced) conn.showSignInNeeded();
}

// ---------------------------------------------------------------------------------------------
// Connection: reconnect with backoff and since=<last seq>

const conn = new Connection({
  url: () => {
    const params = {space: SPACE};
    if (model.have && model.space === SPACE) params.since = model.seq;
    return wsUrl(params);
  },
  onOpen: (socket) => session.opened(socket),
  onMessage,
  onLost: () => { session.closed(); renderAuth(); },
  hasState: () => model.have,
  now: () => wallNow(),
});
const markSynced = () => conn.markSynced();
/** Drops the socket and reconnects at once with since=<last applied seq>. */
const resync = () => conn.reconnectNow('gap');

function onMessage(data) {
  let msg;
  try { msg = JSON.parse(data); } catch { return; }
  if (!msg || typeof msg !== 'object' || msg.v !== PROTOCOL_VERSION) return;
  switch (msg.type) {
    case 'snapshot':
      if (msg.space && msg.space !== SPACE) return;
      session.served();
      applySnapshot(msg);
      showNotice(null);
      markSynced();
      renderAuth();
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
    case 'welcome':
      session.handle(msg);
      break;
    case 'error':
      if (session.handle(msg)) break;  // sign_in_required, or the answer to hello
      if (!conn.synced) {
        showNotice(`${NOTICE_TEXT[msg.code] || 'Fel från servern'}: ${msg.message || msg.code || ''}`);
      }
      break;
    default:
      break; // ack and future message types
  }
}

// ---------------------------------------------------------------------------------------------

/** Every second: clocks; ages every AGE_TICK_MS of the space's time (faster in a sped-up exercise). */
function everySecond() {
  tickClock();
  conn.tick();
  const now = serverNow();
  if (now - lastAges >= AGE_TICK_MS || now < lastAges) updateAges();
}

let spaces = null;  // the space switch (spaces.js)

function start() {
  $('tib-link').href = pageLink('tib.html');
  $('trainer-link').href = pageLink('trainer.html');
  session.bind();
  spaces = initSpaceSwitch({space: SPACE});
  for (const [id, key] of [['filter-region', 'region'], ['filter-kind', 'kind']]) {
    $(id).addEventListener('change', () => { filters[key] = $(id).value; renderMessages(); });
  }
  if (SPACE !== 'live') { model.space = SPACE; updateHeader(); }
  conn.show('reconnecting');
  renderAuth();
  tickClock();
  setInterval(everySecond, 1000);
  window.addEventListener('resize', fitBoard);
  conn.connect();
}

start();
