// Lägesbild — a hospital's capacity forecast (prognos, protocol.md "Capacity forecast"): when IVA,
// the operating rooms and the vårdplatser run out at the current rate. A projection, never a
// reported figure: the pages word it "Prognos" and draw it apart (dashed, italic). Every hospital
// record carries it anew, so nothing is kept here. Pure: no DOM.

import {parseTime, timeWithDay} from './common.js';

/** The projected resources, in the order shown, with their words ("IVA fullt ≈ 14:20"). */
export const FORECAST_KEYS = [
  {key: 'AdultICU', label: 'IVA', full: 'fullt', long: 'IVA-platser'},
  {key: 'OperatingRooms', label: 'Op-salar', full: 'fulla', long: 'Operationssalar'},
  {key: 'MedicalSurgical', label: 'Vårdplatser', full: 'fulla', long: 'Vårdplatser'},
];

const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The forecast of `hosp` seen at `now` (ms, for the day of the times):
 *   state   'none' (no forecast: no patients flow), 'enough' (nothing runs out at the current rate)
 *           or 'runs_out'
 *   items   what runs out, earliest first: {key, label, free, at (ms), time ("14:20"), text
 *           ("IVA fullt ≈ 14:20"), past (at ≤ now)}
 *   basisAt the time the projection was made (ms, NaN when not given)
 *   text    one line: "Prognos: IVA fullt ≈ 14:20 · Op-salar fulla ≈ 14:35", "Prognos: räcker", ''
 *   title   the longer explanation for a tooltip
 */
export function forecastOf(hosp, now) {
  const f = hosp?.forecast;
  const out = {state: 'none', items: [], basisAt: NaN, text: '', title: ''};
  if (!isObject(f)) return out;
  out.basisAt = parseTime(f.basis_at);
  const frees = [];
  for (const k of FORECAST_KEYS) {
    const rec = f[k.key];
    if (!isObject(rec)) continue;
    const free = Number.isFinite(Number(rec.free)) && rec.free !== null ? Math.trunc(Number(rec.free)) : null;
    if (free !== null) frees.push(`${k.long} ${free} lediga`);
    const at = parseTime(rec.runs_out_at);
    if (!Number.isFinite(at)) continue;
    const time = timeWithDay(at, Number.isFinite(now) ? now : at);
    out.items.push({key: k.key, label: k.label, free, at, time, text: `${k.label} ${k.full} ≈ ${time}`,
      past: Number.isFinite(now) && at <= now});
  }
  out.items.sort((a, b) => a.at - b.at);
  out.state = out.items.length ? 'runs_out' : 'enough';
  out.text = out.items.length ? `Prognos: ${out.items.map((i) => i.text).join(' · ')}` : 'Prognos: räcker';
  const basis = Number.isFinite(out.basisAt) ? ` Beräknad ${timeWithDay(out.basisAt, Number.isFinite(now) ? now : out.basisAt)}` : '';
  out.title = 'Prognos – ingen rapporterad siffra: när platserna tar slut om patienterna på väg kommer fram ' +
    `och patienter fortsätter komma i samma takt som senaste timmen.${basis}` +
    `${frees.length ? ` Underlag: ${frees.join(', ')}.` : ''}` +
    (out.items.length ? '' : ' Räcker i nuvarande takt.');
  return out;
}
