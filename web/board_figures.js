// Lägesbild — the board's small view pieces: a figure (big number, "/total", change arrow, trend
// slot), a readiness badge (pips + words, never colour alone), the highlight of a changed figure,
// and the sums over hospitals. Used by board_card.js and board_wall.js.

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

/** Sums over the hospitals that reported each figure; unreported ones are counted, not summed. */
export function totalsOf(hospitals) {
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

export function setFigure(ref, value, baseline, doFlash) {
  const old = ref.value;
  ref.value = value;
  setText(ref.num, showNumber(value));
  ref.cell.classList.toggle('unreported', value === null);
  if (ref.of) setText(ref.of, baseline === undefined ? '' : `/${baseline}`);
  if (doFlash && old !== undefined && old !== value) flash(ref.cell, direction(old, value));
}
