// Lägesbild — the neighbours' section in words (protocol.md "neighbours"): each feed's health and
// each hospital's figures and age, judged at `now` (the server's clock). A feed is shown as not
// answering when the server says it is failing, and also on its own once its dead_at has passed,
// so a board whose server falls silent never shows a neighbour as fresh. Pure: no DOM.

import {ED_STATUS, ageText, parseTime, timeWithDay} from './common.js';

// Why a feed fails, by the server's code.
export const FEED_PROBLEMS = {
  timeout: 'svarar inte i tid',
  unreachable: 'går inte att nå',
  tls: 'servercertifikatet godtas inte (TLS)',
  http_status: 'svarar med ett fel',
  too_large: 'svaret är för stort',
  invalid_http: 'svaret är inte giltig HTTP',
  invalid_have: 'svaret är inte ett giltigt EDXL-HAVE-dokument',
  exercise: 'skickar en övning – den visas aldrig som skarpt läge',
};

// The figures of a neighbour's card: [bed type, label, with its baseline].
export const NEIGHBOUR_FIGURES = [
  ['Burn', 'Brännskada', true],
  ['AdultICU', 'IVA', true],
  ['PediatricICU', 'Barn-IVA', true],
  ['MedicalSurgical', 'Vpl', false],
  ['OperatingRooms', 'Op-sal', false],
];

const finite = (v) => (Number.isFinite(v) ? v : null);

/** A feed's state at `now`: {state: 'answering'|'dead'|'waiting', text, title}. */
export function feedHealth(feed, now) {
  const fetched = parseTime(feed?.fetched_at);
  const deadAt = parseTime(feed?.dead_at);
  const failing = feed?.health === 'failing';
  const overdue = Number.isFinite(deadAt) && now >= deadAt;
  const problem = feed?.problem?.code ? (FEED_PROBLEMS[feed.problem.code] || 'svarar inte') : '';
  const detail = feed?.problem?.detail ? String(feed.problem.detail) : '';
  if (failing || overdue || (feed?.health !== 'answering' && feed?.health !== 'waiting')) {
    const since = parseTime(feed?.failing_since);
    const when = Number.isFinite(since) ? ` sedan ${timeWithDay(since, now)}` : '';
    const last = Number.isFinite(fetched) ? ` Senast hämtat ${timeWithDay(fetched, now)} (${ageText(now - fetched)}).` : ' Har aldrig svarat.';
    const why = failing && problem ? ` – ${problem}` : overdue && !failing ? ' – inget nytt från servern' : '';
    return {state: 'dead', text: `FLÖDET SVARAR INTE${when}${why}.${last}`, title: detail};
  }
  if (feed?.health === 'waiting' || !Number.isFinite(fetched)) {
    return {state: 'waiting', text: 'Väntar på flödets första svar…', title: ''};
  }
  return {state: 'answering', text: `Senast hämtat ${timeWithDay(fetched, now)} (${ageText(now - fetched)})`,
    title: `Hämtas var ${feed.interval_seconds} s`};
}

/**
 * One hospital of a feed at `now`, for its card: {id, name, missing, reported, stale, figures:
 * [{key, label, available, baseline}], ed: {label, icon} | null, reception: {P1, P2, P3}, age}.
 * `dead`: the feed does not answer, so nothing of it is current.
 */
export function neighbourHospital(hosp, now, dead) {
  const figures = hosp?.figures && typeof hosp.figures === 'object' ? hosp.figures : {};
  const beds = figures.beds && typeof figures.beds === 'object' ? figures.beds : {};
  const out = {
    id: String(hosp?.id ?? ''), name: String(hosp?.name || hosp?.id || ''),
    missing: hosp?.missing === true, reported: hosp?.reported === true,
    figures: [], ed: null, reception: {}, age: '', stale: false,
  };
  for (const [key, label, withBaseline] of NEIGHBOUR_FIGURES) {
    const b = beds[key];
    if (!b || (key !== 'AdultICU' && key !== 'MedicalSurgical' && !finite(b.baseline) && !finite(b.available))) continue;
    out.figures.push({key, label, available: finite(b.available), baseline: withBaseline ? finite(b.baseline) : null,
      surge24h: finite(b.surge24h), surge72h: finite(b.surge72h)});
  }
  out.ed = ED_STATUS[figures.ed_status] || null;
  for (const p of ['P1', 'P2', 'P3']) out.reception[p] = finite(figures.reception?.[p]);
  const t = parseTime(hosp?.last_update);
  const staleAt = parseTime(hosp?.stale_at);
  out.stale = dead || out.missing || !out.reported || !Number.isFinite(staleAt) || now >= staleAt;
  if (out.missing) out.age = 'Finns inte i flödets senaste svar';
  else if (!out.reported) out.age = 'Ej rapporterat – bara planeringsvärden';
  else if (Number.isFinite(t)) out.age = `Rapporterat ${ageText(now - t)} (${timeWithDay(t, now)})`;
  return out;
}
