// Lägesbild — the board's small view pieces: a figure (big number, "/total", change arrow, trend
// slot), the förstärkning under a figure, a readiness badge (pips + words, never colour alone), the
// highlight of a changed figure, and the sums over hospitals. Used by board_card.js and board_wall.js.

import {READINESS, PRIORITIES, h, setText, parseTime, timeWithDay, showNumber} from './common.js';

const FLASH_MS = 3_000;         // a changed figure stays highlighted this long

export const TOTAL_KEYS = ['AdultICU', 'MedicalSurgical', 'P1', 'P2', 'P3'];

/** A figure of a hospital: a bed type's available count or a reception priority's value. */
export function figureValue(hosp, key) {
  if (!hosp) return null;
  if (PRIORITIES.includes(key)) return hosp.reception?.[key]?.value ?? null;
  return hosp.beds?.[key]?.available ?? null;
}

export const baselineOf = (hosp, key) => hosp?.beds?.[key]?.baseline ?? 0;

const count = (v) => (Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);

/** A bed's förstärkning: the extra beds within 24 h and within 72 h (those within 24 h included). */
export const surgeOf = (hosp, key) => ({s24: count(hosp?.beds?.[key]?.surge24h), s72: count(hosp?.beds?.[key]?.surge72h)});

/**
 * Sums over the hospitals that reported each figure; unreported ones are counted, not summed. The
 * beds also sum their förstärkning (s24, s72) over every hospital.
 */
export function totalsOf(hospitals) {
  const out = {};
  for (const key of TOTAL_KEYS) out[key] = {sum: 0, baseline: 0, reported: 0, missing: 0, s24: 0, s72: 0};
  for (const hosp of hospitals) {
    if (!hosp) continue;
    for (const key of TOTAL_KEYS) {
      const v = figureValue(hosp, key);
      const t = out[key];
      if (!PRIORITIES.includes(key)) { const s = surgeOf(hosp, key); t.s24 += s.s24; t.s72 += s.s72; }
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
export function flash(cell, dir) {
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

export function direction(oldV, newV) {
  if (typeof oldV === 'number' && typeof newV === 'number') return newV > oldV ? 'up' : 'down';
  return 'changed';
}

// ---------------------------------------------------------------------------------------------
// Badges and figures

export function readinessBadge() {
  const pips = h('span', {class: 'pips', 'aria-hidden': 'true'}, h('i'), h('i'), h('i'), h('i'));
  const text = h('span', {class: 'badge-text'});
  const el = h('span', {class: 'badge readiness'}, pips, text);
  return {el, text};
}

/** The badge shows the level of `rec` ({value, reported_at, reported_by}); `who` heads its title. */
export function setReadiness(badge, rec, who, now) {
  const value = rec?.value ?? null;
  const info = READINESS[value];
  badge.el.className = `badge readiness lvl-${info ? value : 'unknown'}`;
  badge.el.dataset.level = value ?? '';
  setText(badge.text, info ? info.label : 'Ej angivet');
  const when = parseTime(rec?.reported_at);
  badge.el.title = `${who}: ${info ? info.label : 'ej angivet'}` + (Number.isFinite(when)
    ? ` (satt ${timeWithDay(when, now)}${rec.reported_by ? ` av ${rec.reported_by}` : ''})`
    : '');
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export const svg = (tag, attrs = {}) => {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};

export function bigFigure(key, label, title, withBaseline, withTrend) {
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

/** A region total: "IVA 12/40". */
export function totalCell(key, label, withBaseline) {
  const num = h('span', {class: 'num', dataset: {regionTotal: key}, text: '–'});
  const of = withBaseline ? h('span', {class: 'of'}) : null;
  const cell = h('span', {class: `rt rt-${key}`},
    h('span', {class: 'rt-label'}, label), num, of, h('span', {class: 'arrow', 'aria-hidden': 'true'}));
  return {cell, num, of, value: undefined};
}

/** "Förstärkning: +6 platser inom 24 h, +12 inom 72 h" ('' while both are 0). */
export function surgeText({s24, s72}) {
  return s24 || s72 ? `Förstärkning: +${s24} platser inom 24 h, +${s72} inom 72 h` : '';
}

/**
 * The förstärkning under a figure: "+6 · +12" small, its words for a screen reader and in its
 * title; hidden while both are 0.
 */
export function surgeSlot() {
  const shown = h('span', {class: 'sg-shown', 'aria-hidden': 'true'});
  const said = h('span', {class: 'sr-only'});
  // Not `hidden` (display: none !important): in a card where another figure has a förstärkning, an
  // empty one keeps its line so that the numbers stay level (surge.css).
  const el = h('span', {class: 'fig-surge', dataset: {shown: 'false', surge24h: '0', surge72h: '0'}}, shown, said);
  return {el, shown, said, key: undefined};
}

export function setSurge(slot, surge, doFlash) {
  const key = `${surge.s24}/${surge.s72}`;
  const words = surgeText(surge);
  slot.el.dataset.shown = String(!!words);
  slot.el.dataset.surge24h = String(surge.s24);
  slot.el.dataset.surge72h = String(surge.s72);
  setText(slot.shown, words ? `+${surge.s24} · +${surge.s72}` : '');
  setText(slot.said, words ? ` ${words}.` : '');
  slot.el.title = words;
  if (doFlash && slot.key !== undefined && slot.key !== key && words) flash(slot.el, 'changed');
  slot.key = key;
}

export function setFigure(ref, value, baseline, doFlash) {
  const old = ref.value;
  ref.value = value;
  setText(ref.num, showNumber(value));
  ref.cell.classList.toggle('unreported', value === null);
  if (ref.of) setText(ref.of, baseline === undefined ? '' : `/${baseline}`);
  if (doFlash && old !== undefined && old !== value) flash(ref.cell, direction(old, value));
}
