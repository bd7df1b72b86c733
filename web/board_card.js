// Lägesbild — one hospital's card on the board: name, readiness, the big figures, reception per
// priority, the emergency department, casualties (exercises) and how fresh the figures are.
//
// Freshness is the server's (the record's `freshness`, client_model.js): INAKTUELL when its stale_at
// has passed, with a text tag and a hatched frame, never colour alone.
//
// Casualties (exercises): a hospital record may carry `casualties` (patients on the way and received
// per priority, and whether the hospital is över kapacitet with the reason, as data the page words).
// A card shows one short line only when some count is non-zero or it is over capacity; over
// capacity adds a marked line (icon + text + red frame).
//
// Förstärkning: under IVA and Vpl, small, the beds that can be opened within 24 h and 72 h
// ("+6 · +12", in words in its title and for a screen reader); nothing while both are 0.
//
// The forecast (prognos, forecast_view.js): when IVA, the operating rooms and the vårdplatser run
// out at the current rate, on a dashed line of its own, marked Prognos; "räcker" only on a card
// that has casualties (the wall has no room for it on every card).

import {READINESS, ED_STATUS, PRIORITIES, h, setText, parseTime, ageText, ageShort, timeWithDay} from './common.js';
import {
  figureValue, baselineOf, surgeOf, surgeText, flash, readinessBadge, setReadiness, bigFigure, setFigure, surgeSlot, setSurge,
} from './board_figures.js';
import {overCapacityText} from './summaries.js';
import {majorIncidentOf} from './client_model.js';
import {forecastLine, showForecast} from './forecast_view.js';

/** " 10:14 av tib-uppsala": when and by whom a major_incident record was reported. */
export function declaredText(rec, now) {
  const t = parseTime(rec?.reported_at);
  return `${Number.isFinite(t) ? ` ${timeWithDay(t, now)}` : ''}${rec?.reported_by ? ` av ${rec.reported_by}` : ''}`;
}

// The figures of a hospital card, in display order.
const FIGURES = [
  {key: 'AdultICU', bed: true, label: 'IVA', title: 'IVA-platser: lediga / totalt', withBaseline: true, surge: true},
  {key: 'MedicalSurgical', bed: true, label: 'Vpl', title: 'Vårdplatser lediga', surge: true},
  // Secondary figures, stacked small in one column so that a card stays one line wide.
  {key: 'OperatingRooms', bed: true, label: 'Op-sal', title: 'Operationssalar lediga', minor: true},
  {key: 'Burn', bed: true, label: 'Bränn.', title: 'Brännskadevård: lediga / totalt', withBaseline: true,
    onlyIfBaseline: true, minor: true},
];
export const TREND_KEYS = ['AdultICU', 'MedicalSurgical'];

/** A non-negative integer count from the server, anything else as 0. */
const nonNegative = (v) => (Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);

/**
 * The hospital's casualties (protocol.md "Exercises"): {incoming, received} per priority with
 * totals, over (bool), reason (in words), and show — whether the card shows them at all.
 */
export function casualtiesOf(hosp) {
  const c = hosp?.casualties && typeof hosp.casualties === 'object' ? hosp.casualties : {};
  const per = (o) => Object.fromEntries(PRIORITIES.map((p) => [p, nonNegative(o?.[p])]));
  const incoming = per(c.incoming), received = per(c.received);
  const sum = (o) => PRIORITIES.reduce((a, p) => a + o[p], 0);
  const over = c.over_capacity === true;
  const reason = overCapacityText(c.over_capacity_reason ?? c.reason);
  const inTotal = sum(incoming), recTotal = sum(received);
  return {incoming, received, inTotal, recTotal, over, reason, show: over || inTotal > 0 || recTotal > 0};
}

export function buildHospital(hosp) {
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
    if (f.surge) {
      figs[f.key].surge = surgeSlot();
      figs[f.key].cell.append(figs[f.key].surge.el);
    }
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

  const forecast = forecastLine('h-forecast');

  const miWhen = h('span', {class: 'mi-when'});
  const mi = h('div', {class: 'h-mi', hidden: true},
    h('span', {class: 'mi-flag'}, h('span', {'aria-hidden': 'true'}, '⚠'), 'ALLVARLIG HÄNDELSE'), miWhen);

  const el = h('article', {class: 'hospital', dataset: {hospital: hosp.id, stale: 'false', overCapacity: 'false'}},
    h('div', {class: 'h-head'}, h('div', {class: 'h-title'}, name, town), readiness.el),
    mi,
    figRow,
    over,
    cas,
    forecast.el,
    h('div', {class: 'h-foot'}, ed, staleTag, h('span', {class: 'reported-wrap'}, reported, reportedBy)));
  return {el, name, town, readiness, figs, figRow, ed, edIcon, edText, staleTag, reported, reportedBy, mi, miWhen,
    over, overReason, cas, casKey: undefined, overValue: undefined, forecast,
    edValue: undefined, readinessValue: undefined};
}

/** Brings card `v` up to `hosp`; changed figures are highlighted when `doFlash`. */
export function updateHospital(v, hosp, model, doFlash) {
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
    if (ref.surge) {
      const surge = surgeOf(hosp, f.key);
      setSurge(ref.surge, surge, doFlash);
      ref.cell.title = surge.s24 || surge.s72 ? `${f.title}\n${surgeText(surge)}` : f.title;
    }
  }
  v.el.classList.toggle('has-surge', FIGURES.some((f) => v.figs[f.key].surge?.el.dataset.shown === 'true'));
  for (const p of PRIORITIES) setFigure(v.figs[p], figureValue(hosp, p), undefined, doFlash);

  // Emergency department status.
  const edValue = hosp.ed_status?.value ?? null;
  const ed = ED_STATUS[edValue];
  v.ed.className = `badge ed ed-${ed ? edValue : 'unknown'}`;
  v.el.dataset.ed = edValue ?? '';
  setText(v.edIcon, ed ? ed.icon : '');
  // An ED with opening hours (Köping: closed at night) says so on the badge.
  const hours = hosp.ed_hours ? `${hosp.ed_hours.open.slice(0, 2)}–${hosp.ed_hours.close.slice(0, 2)}` : '';
  setText(v.edText, `${ed ? ed.label : '–'}${hours ? ` · ${hours}` : ''}`);
  v.ed.dataset.edHours = hours;
  v.ed.title = `Akutmottagning: ${ed ? ed.label : 'ej rapporterat'}` +
    (hosp.ed_hours ? `; tar emot patienter ${hosp.ed_hours.open}–${hosp.ed_hours.close}, stängd nattetid` : '');
  if (doFlash && v.edValue !== undefined && v.edValue !== edValue) flash(v.ed, 'changed');
  v.edValue = edValue;

  // Hospital readiness level.
  const level = hosp.readiness?.value ?? null;
  setReadiness(v.readiness, hosp.readiness, 'Sjukhusets beredskapsläge', model.now());
  v.el.dataset.readiness = level ?? '';
  if (doFlash && v.readinessValue !== undefined && v.readinessValue !== level) flash(v.readiness.el, 'changed');
  v.readinessValue = level;

  // Allvarlig händelse declared by the hospital itself.
  const incident = majorIncidentOf(hosp);
  v.el.dataset.majorIncident = incident === null ? '' : String(incident);
  v.el.classList.toggle('major-incident', incident === true);
  v.mi.hidden = incident !== true;
  setText(v.miWhen, incident === true ? `sedan${declaredText(hosp.major_incident, model.now())}` : '');
  if (doFlash && v.incident !== undefined && v.incident !== incident && incident) flash(v.mi, 'changed');
  v.incident = incident;

  const c = updateCasualties(hosp, v, doFlash);
  const f = showForecast(v.forecast, hosp, model.now(), {showEnough: c.show});
  v.el.classList.toggle('has-forecast', !v.forecast.el.hidden);
  v.el.dataset.forecast = f.state;
  updateHospitalAge(v, hosp, model);
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
  return c;
}

/** "Rapporterat för 12 min sedan (10:14) av tib-uppsala", and the stale flag. */
export function updateHospitalAge(v, hosp, model) {
  const t = parseTime(hosp.last_reported_at);
  const now = model.now();
  const f = model.freshness(hosp);
  const stale = f.stale;
  const levelLabel = READINESS[f.level]?.label.toLowerCase() || f.level;
  if (!Number.isFinite(t)) {
    setText(v.reported, 'Ej rapporterat');
    setText(v.reportedBy, '');
    v.el.classList.add('never');
  } else {
    v.el.classList.remove('never');
    // Beside the INAKTUELL tag there is less room: the oldest figure and the limit come first.
    setText(v.reported, stale
      ? `Äldsta ${timeWithDay(f.oldest, now)} (${ageShort(now - f.oldest)}), gräns ${f.limitMinutes} min`
      : `Rapporterat ${ageText(now - t)} (${timeWithDay(t, now)})`);
    const by = latestReporter(hosp);
    setText(v.reportedBy, by ? `av ${by}` : '');
  }
  v.el.dataset.stale = stale ? 'true' : 'false';
  v.el.dataset.overdue = String(f.overdue);
  v.staleTag.hidden = !stale;
  v.staleTag.title = stale
    ? `${f.late} uppgift${f.late === 1 ? '' : 'er'} äldre än ${f.limitMinutes} min (gränsen i ${levelLabel})`
    : '';
  v.el.classList.toggle('stale', stale);
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
