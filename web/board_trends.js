// Lägesbild — the trend on each hospital card: available IVA and vårdplatser over the last hours,
// a small step line, from GET /api/history plus the live deltas. The history is fetched again after
// each snapshot, but at most every HISTORY_RELOAD_MIN_MS while snapshots come in a flood.

import {parseTime, ageShort} from './common.js';
import {apiFetchPatiently} from './session.js';
import {svg} from './board_figures.js';
import {TREND_KEYS} from './board_card.js';

const TREND_WINDOW_MS = 12 * 3600_000; // the sparkline covers at most the last 12 hours
// In a flood of reports the server sends coalesced snapshots up to ten times a second; the
// trends then follow at most every HISTORY_RELOAD_MIN_MS instead of refetching on each one.
const HISTORY_RELOAD_MIN_MS = 5000;

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

/**
 * The trends of `model`'s hospitals, drawn into the cards of `wall` (board_wall.js card(id)).
 * Returns {update(id), addEntry(id, event), afterSnapshot(sameSpace)}.
 */
export function createTrends(model, wall) {
  let trend = new Map();  // hospital id → Map(seq → {seq, at, kind, report}) from history + deltas
  let gen = 0;            // bumped on every load; late history answers of older ones are dropped
  const reload = {last: 0, timer: null};

  /** Points {t, v} of one figure: entries without the figure carry the previous value. */
  function points(id, key) {
    const entries = [...(trend.get(id)?.values() || [])].sort((a, b) => a.seq - b.seq);
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

  function update(id) {
    const v = wall.card(id);
    if (!v) return;
    const now = model.now();
    for (const key of TREND_KEYS) {
      const el = v.figs[key]?.trend;
      if (!el) continue;
      const pts = points(id, key);
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

  function addEntry(id, e) {
    if (!id || !e || typeof e.seq !== 'number') return;
    if (e.kind !== 'capacity_reported' && e.kind !== 'figures_confirmed') return;
    if (!trend.has(id)) trend.set(id, new Map());
    trend.get(id).set(e.seq, {seq: e.seq, at: e.at, kind: e.kind, report: e.report});
  }

  /** The whole trend of every hospital, fetched again. */
  function load() {
    clearTimeout(reload.timer);
    reload.timer = null;
    reload.last = Date.now();
    const mine = ++gen;
    trend = new Map();
    const from = new Date(model.now() - TREND_WINDOW_MS).toISOString();
    for (const id of model.hospitals.keys()) {
      const url = `/api/history?hospital=${encodeURIComponent(id)}&space=${encodeURIComponent(model.space)}` +
        `&from=${encodeURIComponent(from)}`;
      apiFetchPatiently(url)
        .then((r) => (r.ok ? r.json() : null))
        .then((body) => {
          if (mine !== gen || !body || !Array.isArray(body.entries)) return;
          for (const e of body.entries) addEntry(id, e);
          update(id);
        })
        .catch(() => { /* no trend: the figures themselves are what counts */ });
    }
  }

  function loadSoon() {
    if (reload.timer) return;
    const wait = Math.max(0, reload.last + HISTORY_RELOAD_MIN_MS - Date.now());
    reload.timer = setTimeout(load, wait);
  }

  return {
    update,
    addEntry,
    /** After a snapshot: at once for a new board, soon (and at most so often) for a resync. */
    afterSnapshot(sameSpace) { if (sameSpace) loadSoon(); else load(); },
  };
}
