// Lägesbild — "Lägesbild nu" in words (protocol.md "Lägesbild nu"): a summed figure with how many
// hospitals it covers, a readiness level with who decided it and when, how fresh a row is, and
// the open larm. Unknown is never shown as zero: a figure nobody reported is "–", and a sum that
// lacks some hospitals says so. Pure: no DOM, "now" is passed in.

import {READINESS, MESSAGE_KINDS, PRIORITIES, parseTime, timeWithDay, ageShort, shortRegionName} from './common.js';

const int = (v) => (Number.isFinite(v) ? String(Math.trunc(v)) : '–');

/**
 * A bed figure of a row ({available, baseline, hospitals, reported, missing}):
 * {main: "12", of: "av 40", note: "2 sjukhus saknas", state: 'ok'|'partial'|'unknown'|'none'}.
 */
export function bedFigure(fig) {
  if (!fig || !fig.hospitals) return {main: '', of: '', note: 'finns ej', state: 'none'};
  const missing = Number(fig.missing) || 0;
  const of = `av ${int(fig.baseline)}`;
  if (fig.available === null || fig.available === undefined) return {main: '–', of, note: 'ej rapporterat', state: 'unknown'};
  return {main: int(fig.available), of, note: missing ? `${missing} sjukhus saknas` : '', state: missing ? 'partial' : 'ok'};
}

/** Reception P1–P3 per hour: {text: "4 · 8 · 15", note, state}. */
export function receptionFigure(reception) {
  const parts = PRIORITIES.map((p) => reception?.[p]);
  const missing = Math.max(0, ...parts.map((r) => Number(r?.missing) || 0));
  const known = parts.some((r) => r && r.per_hour !== null && r.per_hour !== undefined);
  return {
    text: parts.map((r) => int(r?.per_hour ?? NaN)).join(' · '),
    note: known ? (missing ? `${missing} sjukhus saknas` : '') : 'ej rapporterat',
    state: !known ? 'unknown' : missing ? 'partial' : 'ok',
  };
}

/** "Stabsläge", and "satt 10:02 av tib-uppsala" ("" when never set), and the reason if any. */
export function readinessWords(readiness, now) {
  const level = readiness?.level ?? null;
  const label = READINESS[level]?.label || 'Ej angivet';
  const t = parseTime(readiness?.set_at);
  const decided = Number.isFinite(t)
    ? `satt ${timeWithDay(t, now)}${readiness.set_by ? ` av ${readiness.set_by}` : ''}`
    : '';
  return {level, label, decided, reason: readiness?.reason ? String(readiness.reason) : ''};
}

/**
 * How fresh a row is: {last: "senast 10:14 (12 min)" | "aldrig rapporterat", flags: [...]}. A
 * hospital's flag is "INAKTUELLT"; a region's (several hospitals) count what is missing or stale:
 * "2 sjukhus aldrig rapporterat", "1 sjukhus INAKTUELLT" (the hospitals' own rows name them).
 */
export function freshnessWords(row, now, {single = false} = {}) {
  const t = parseTime(row?.last_reported_at);
  const last = Number.isFinite(t) ? `senast ${timeWithDay(t, now)} (${ageShort(now - t)})` : 'aldrig rapporterat';
  const unreported = Array.isArray(row?.unreported) ? row.unreported.length : 0;
  const stale = Array.isArray(row?.stale) ? row.stale.length : 0;
  const flags = [];
  if (single) {
    if (stale) flags.push('INAKTUELLT');
  } else {
    if (stale) flags.push(`${stale} sjukhus INAKTUELLT`);
    if (unreported && Number.isFinite(t)) flags.push(`${unreported} sjukhus aldrig rapporterat`);
  }
  return {last, flags, stale: stale > 0, never: !Number.isFinite(t)};
}

/** The open larm as rows: kind, when, from, level, text, who has not acknowledged and who has. */
export function openMessageWords(message, now, regionName = (id) => id) {
  const t = parseTime(message?.at);
  const kind = MESSAGE_KINDS[message?.kind]?.label || String(message?.kind || '');
  const level = READINESS[message?.level]?.label;
  const pending = (message?.pending || []).map((id) => shortRegionName(regionName(id)));
  const acked = (message?.acknowledged || []).map((a) => {
    const at = parseTime(a.at);
    return `${shortRegionName(regionName(a.region))}${Number.isFinite(at) ? ` ${timeWithDay(at, now)}` : ''}`;
  });
  return {
    when: Number.isFinite(t) ? `${timeWithDay(t, now)} (${ageShort(now - t)})` : '–',
    from: message?.from_region ? shortRegionName(regionName(message.from_region)) : (message?.sender || message?.sent_by || '–'),
    title: `${kind}${level ? ` – ${level}` : ''}`,
    text: String(message?.text || ''),
    pending: pending.length ? pending.join(', ') : '–',
    acked: acked.length ? acked.join(', ') : 'ingen ännu',
  };
}
