// Lägesbild — the review's outcomes (protocol.md "After-action review", "Outcomes") in words: per
// casualty wave what waiting cost against the decisions' delays. Exercise times are shown as in the
// scenario files ("42:00", minutes may pass 59). Pure: no DOM.

import {PRIORITIES, formatMinSec, durationText} from './common.js';
import {diedTo} from './summaries.js';

const isSet = (v) => v !== null && v !== undefined && v !== '' && Number.isFinite(Number(v));
const int = (v) => (Number.isFinite(Number(v)) ? String(Math.trunc(Number(v))) : '–');

/** 360000 → "6 min", 45000 → "45 s", 3900000 → "1 h 5 min". */
export const minutesText = durationText;

/** "P1 6 · P2 12 · P3 24". */
export function casualtiesText(c) {
  return PRIORITIES.map((p) => `${p} ${int(c?.[p] ?? 0)}`).join(' · ');
}

/** {from: "P2", to: "P1", count: 2, at_ms: 2520000} → "2 P2 → P1 vid 42:00"; died: "1 P1 avled vid 42:00". */
export function changeText(d) {
  const when = isSet(d?.at_ms) ? ` vid ${formatMinSec(Number(d.at_ms))}` : '';
  const from = String(d?.from ?? d?.priority ?? '');
  if (diedTo(d?.to)) return `${int(d?.count)} ${from} avled${when}`;
  return `${int(d?.count)} ${from} → ${String(d?.to ?? '')}${when}`;
}

/**
 * One outcome in words, each cell's text and whether it is a shortfall (`bad`):
 *   decision   "vid 18:00 (6 min efter)", "före skadeutfallet (18:00)", "Fördelad direkt av scenariot"
 *              (a wave that waited for no decision) or "Inget beslut" (bad)
 *   dispatched "vid 18:00", or "Ingen ännu" (bad)
 *   delay      the wait from the wave to its first transport: "6 min", or "–"
 *   arrival    the last arrival: "vid 53:00", or ''
 *   changes    ["2 P2 → P1 vid 42:00", …] and `changesText` ("Inga" when none)
 *   deceased   a count (bad when > 0)
 */
export function outcomeWords(o) {
  const at = Number(o?.at_ms);
  const decided = isSet(o?.receiving_decision_ms) ? Number(o.receiving_decision_ms) : NaN;
  const dispatched = isSet(o?.dispatched_ms) ? Number(o.dispatched_ms) : NaN;
  let decision = 'Inget beslut';
  // A wave the script distributed at once waited for no decision (the server names no region for it).
  const scripted = !o?.region && !Number.isFinite(decided) && Number.isFinite(dispatched) && dispatched === at;
  if (scripted) decision = 'Fördelad direkt av scenariot';
  if (Number.isFinite(decided)) {
    decision = Number.isFinite(at) && decided < at ? `före skadeutfallet (${formatMinSec(decided)})`
      : `vid ${formatMinSec(decided)}${Number.isFinite(at) ? ` (${minutesText(decided - at)} efter)` : ''}`;
  }
  const delayMs = isSet(o?.dispatch_delay_ms) ? Number(o.dispatch_delay_ms)
    : Number.isFinite(dispatched) && Number.isFinite(at) ? dispatched - at : NaN;
  const changes = (Array.isArray(o?.deteriorated) ? o.deteriorated : []).map(changeText);
  const deceased = Number(o?.deceased_waiting) > 0 ? Math.trunc(Number(o.deceased_waiting)) : 0;
  return {
    at: Number.isFinite(at) ? formatMinSec(at) : '–',
    casualties: casualtiesText(o?.casualties),
    decision, decisionBad: !Number.isFinite(decided) && !scripted,
    dispatched: Number.isFinite(dispatched) ? `vid ${formatMinSec(dispatched)}` : 'Ingen ännu',
    dispatchedBad: !Number.isFinite(dispatched),
    delay: Number.isFinite(delayMs) ? minutesText(delayMs) : '–',
    arrival: isSet(o?.last_arrival_ms) ? `vid ${formatMinSec(Number(o.last_arrival_ms))}` : '',
    changes, changesText: changes.length ? changes.join(', ') : 'Inga',
    deceased,
  };
}
