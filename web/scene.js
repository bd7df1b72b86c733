// Lägesbild — the patients of an exercise who are not yet at a hospital (protocol.md "Patients at
// the scene, deterioration, transfers"), from `exercise_info`: per priority still at the scene and
// on the way, how long the group that has waited longest has waited, the next arrival, and how
// many died waiting — for the whole exercise and per wave (location). A group on its way between
// two hospitals (a sekundärtransport, wave "transfer-<seq>") is counted apart: it is not from a
// scene. Pure: no DOM, so it runs the same under `node --test`.

import {PRIORITIES} from './common.js';

const count = (v) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Math.floor(Number(v)) : 0);
const zero = () => ({P1: 0, P2: 0, P3: 0});
const sum = (o) => PRIORITIES.reduce((a, p) => a + o[p], 0);
const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);

/** Is this group a secondary transport between hospitals (not from a scene)? */
export const isTransfer = (group) => /^transfer-/.test(String(group?.wave ?? ''));

/**
 * The scene of `info` (an exercise_info) at elapsed exercise time `elapsedMs`:
 *   known          the server sends patients at all (an older one does not)
 *   atScene, onTheWay   {P1, P2, P3} (the server's totals when it gives them, else summed)
 *   atSceneTotal, onTheWayTotal, deceased (deceased_waiting)
 *   waitedMs       how long the group at the scene that has waited longest has waited (NaN: none)
 *   nextArrivalMs  the first arrival of a group on the way (exercise time; NaN: none)
 *   waves          per wave, in order of first appearance: {wave, location, region, atScene,
 *                  onTheWay, atSceneTotal, onTheWayTotal, burns, waitedMs, nextArrivalMs}
 *   transfers      groups between hospitals: {wave, priority, count, burns, from, hospital, arrivesMs}
 *   show           anything to show (someone waiting, on the way, or dead waiting)
 */
export function sceneOf(info, elapsedMs) {
  const out = {known: false, atScene: zero(), onTheWay: zero(), atSceneTotal: 0, onTheWayTotal: 0, deceased: 0,
    waitedMs: NaN, nextArrivalMs: NaN, waves: [], transfers: [], show: false};
  if (!isObject(info) || (!Array.isArray(info.patients) && !isObject(info.at_scene))) return out;
  out.known = true;
  const waves = new Map();
  const earliest = (a, b) => (Number.isFinite(a) && !(b <= a) ? a : b);   // NaN: none yet
  const longest = (a, b) => (Number.isFinite(a) && !(b >= a) ? a : b);
  for (const g of Array.isArray(info.patients) ? info.patients : []) {
    if (!isObject(g) || !PRIORITIES.includes(g.priority)) continue;
    const n = count(g.count);
    if (!n) continue;
    const onTheWay = g.hospital !== null && g.hospital !== undefined && g.hospital !== '';
    const arrives = Number.isFinite(Number(g.arrives_ms)) && g.arrives_ms !== null ? Number(g.arrives_ms) : NaN;
    if (isTransfer(g)) {
      // The server names the hospital it leaves as the group's location.
      out.transfers.push({wave: String(g.wave), priority: g.priority, count: n, burns: count(g.burns),
        from: String(g.from ?? g.location ?? ''), hospital: onTheWay ? String(g.hospital) : null, arrivesMs: arrives});
      continue;
    }
    const id = String(g.wave ?? '');
    if (!waves.has(id)) {
      waves.set(id, {wave: id, location: String(g.location ?? ''), region: String(g.region ?? ''),
        atScene: zero(), onTheWay: zero(), atSceneTotal: 0, onTheWayTotal: 0, burns: 0, waitedMs: NaN,
        nextArrivalMs: NaN});
    }
    const w = waves.get(id);
    w.burns += count(g.burns);
    if (onTheWay) {
      w.onTheWay[g.priority] += n;
      w.nextArrivalMs = earliest(arrives, w.nextArrivalMs);
    } else {
      w.atScene[g.priority] += n;
      const since = Number(g.since_ms);
      if (g.since_ms !== null && Number.isFinite(since)) {
        w.waitedMs = longest(Math.max(0, elapsedMs - since), w.waitedMs);
      }
    }
  }
  for (const w of waves.values()) {
    w.atSceneTotal = sum(w.atScene);
    w.onTheWayTotal = sum(w.onTheWay);
    for (const p of PRIORITIES) { out.atScene[p] += w.atScene[p]; out.onTheWay[p] += w.onTheWay[p]; }
    out.waitedMs = longest(w.waitedMs, out.waitedMs);
    out.nextArrivalMs = earliest(w.nextArrivalMs, out.nextArrivalMs);
  }
  // Without the list (an older or a shortened answer) the server's totals are all there is.
  if (!Array.isArray(info.patients)) {
    if (isObject(info.at_scene)) for (const p of PRIORITIES) out.atScene[p] = count(info.at_scene[p]);
    if (isObject(info.on_the_way)) for (const p of PRIORITIES) out.onTheWay[p] = count(info.on_the_way[p]);
  }
  out.waves = [...waves.values()].filter((w) => w.atSceneTotal + w.onTheWayTotal > 0);
  out.atSceneTotal = sum(out.atScene);
  out.onTheWayTotal = sum(out.onTheWay);
  out.deceased = count(info.deceased_waiting);
  out.show = out.atSceneTotal + out.onTheWayTotal + out.deceased > 0;
  return out;
}
