// Lägesbild — a region's ambulances and helicopters (protocol.md "report_transport"): the reported
// figures of the region record's `transport`, in words, with how old they are. Like a hospital's
// figures they are flagged when older than the limit of the region's readiness level
// (state.staleness). Pure: no DOM.

import {parseTime, ageText, timeWithDay} from './common.js';

export const TRANSPORT_KINDS = [
  {key: 'ambulances', label: 'Ambulanser'},
  {key: 'helicopters', label: 'Helikoptrar'},
];

const figure = (v) => (Number.isFinite(Number(v)) && v !== null && v !== '' ? Math.trunc(Number(v)) : null);

/** "6 lediga · 9 i uppdrag", "1 ledig · 1 i uppdrag", "– lediga · 2 i uppdrag". */
export function transportFigures(rec) {
  const available = figure(rec?.available), committed = figure(rec?.committed);
  return `${available ?? '–'} ${available === 1 ? 'ledig' : 'lediga'} · ${committed ?? '–'} i uppdrag`;
}

/**
 * The transport of `region` at `now` (ms), judged against `staleness` (minutes per level):
 *   kinds   per kind that has been reported: {key, label, available, committed, at, by, text
 *           ("Ambulanser 6 lediga · 9 i uppdrag"), age ("för 12 min sedan"), stale}
 *   any     something has been reported
 *   stale   some reported figure is older than the limit
 *   limitMinutes  the limit applied (NaN when the page knows none)
 */
export function transportOf(region, now, staleness = {}) {
  const t = region?.transport && typeof region.transport === 'object' ? region.transport : {};
  const level = region?.readiness?.value || 'normal';
  const limitMinutes = Number(staleness?.[level] ?? staleness?.normal);
  const kinds = [];
  for (const k of TRANSPORT_KINDS) {
    const rec = t[k.key];
    const available = figure(rec?.available), committed = figure(rec?.committed);
    if (available === null && committed === null) continue;
    const at = parseTime(rec?.reported_at);
    const stale = Number.isFinite(at) && Number.isFinite(limitMinutes) && now - at > limitMinutes * 60_000;
    kinds.push({key: k.key, label: k.label, available, committed, at, by: rec?.reported_by || '',
      text: `${k.label} ${transportFigures(rec)}`,
      age: Number.isFinite(at) ? ageText(now - at) : '', when: Number.isFinite(at) ? timeWithDay(at, now) : '', stale});
  }
  return {kinds, any: kinds.length > 0, stale: kinds.some((k) => k.stale), limitMinutes};
}
