// Lägesbild — the review's targets as table rows: the scenario's checkpoints and the Swedish
// performance indicators (protocol.md "After-action review"), per region and then per hospital.
// No state of its own: review.js hands it the review's lists and names.

import {TARGET_STATUS, INDICATORS, targetStatus, h, formatElapsed, durationText} from './common.js';

const isSet = (v) => v !== null && v !== undefined;
const elapsedText = (ms) => (Number.isFinite(ms) ? formatElapsed(ms) : '–');

/** What is missing, marked: "✖ Ej kvitterat". */
export const missing = (text) => h('span', {class: 'cp-badge neg'}, h('span', {'aria-hidden': 'true'}, '✖ '), text);

export function statusCell(status) {
  const s = TARGET_STATUS[status] || {label: '–', icon: '•'};
  return h('td', {class: `cp-status cp-${status}`},
    h('span', {class: 'cp-badge'}, h('span', {class: 'cp-icon', 'aria-hidden': 'true'}, s.icon), s.label));
}

/** One row per checkpoint; `opened`: inject id → when it opened; `now`: exercise time now. */
export function checkpointRows(list, opened, now) {
  return list.map((cp) => {
    const status = targetStatus(cp.status);
    const due = Number(cp.due_ms);
    const met = isSet(cp.met_ms) ? Number(cp.met_ms) : NaN;
    let margin = '';
    if (status === 'met' && Number.isFinite(met) && Number.isFinite(due)) {
      margin = due - met >= 0 ? `${durationText(due - met)} före målet` : `${durationText(met - due)} efter målet`;
    } else if (status === 'not_met' && Number.isFinite(due)) {
      margin = 'Målet passerat';
    } else if (status === 'pending' && Number.isFinite(due) && Number.isFinite(now)) {
      margin = due > now ? `${durationText(due - now)} kvar` : '';
    }
    const from = opened.get(cp.id);
    return h('tr', {dataset: {checkpoint: cp.id, status: status || ''}},
      h('td', {class: 'cp-desc'}, h('span', {class: 'cp-text'}, cp.description || cp.id),
        Number.isFinite(from) ? h('span', {class: 'cp-window'}, `Från ${formatElapsed(from)}`) : null),
      h('td', {class: 't-num'}, elapsedText(due)),
      h('td', {class: 't-num'}, elapsedText(met)),
      h('td', {class: 'cp-margin'}, margin),
      statusCell(status),
      h('td', {}, cp.by || '–'));
  });
}

/** The actual time of an indicator: time after the larm, or "före larmet". */
function indicatorActual(ind) {
  if (!isSet(ind.actual_ms)) return targetStatus(ind.status) === 'pending' ? 'Inte ännu' : missing('Inte utfört');
  const actual = Number(ind.actual_ms), trigger = Number(ind.trigger_ms);
  if (Number.isFinite(trigger) && actual < trigger) return h('span', {class: 'ind-before'}, 'före larmet');
  return Number.isFinite(trigger) ? durationText(actual - trigger) : elapsedText(actual);
}

function indicatorRow(ind, live) {
  const status = targetStatus(ind.status);
  const target = Number(ind.target_minutes);
  return h('tr', {class: `ind-row ind-${ind.level === 'hospital' ? 'hospital' : 'region'}`,
    dataset: {indicator: ind.indicator || '', region: ind.region || '', hospital: ind.hospital || '', status: status || ''}},
  h('td', {class: 'ind-name'}, INDICATORS[ind.indicator] || 'Indikator'),
  h('td', {class: 't-num'}, Number.isFinite(target) ? `≤ ${target} min` : '–'),
  h('td', {class: 't-num ind-actual'}, indicatorActual(ind),
    isSet(ind.actual_ms) && Number(ind.actual_ms) >= 0
      ? h('span', {class: 'ind-clock'}, live ? `${elapsedText(Number(ind.actual_ms))} efter periodens början`
        : `övningstid ${elapsedText(Number(ind.actual_ms))}`) : null),
  statusCell(status),
  h('td', {}, ind.by || '–'));
}

/** A group heading row: a region (with when the larm reached it) or one of its hospitals. */
function indicatorGroup(text, detail, cls, data) {
  return h('tr', {class: `ind-group ${cls}`, dataset: data},
    h('th', {scope: 'rowgroup', colspan: 5}, h('span', {class: 'ind-group-name'}, text),
      detail ? h('span', {class: 'ind-group-detail'}, detail) : null));
}

/**
 * The indicators in the order the server gives, grouped: each region's own, then each of its
 * hospitals'. `ctx`: {live, regionName(id), hospitalName(id), regionOf(hospital id)}.
 */
export function indicatorRows(list, ctx) {
  const regions = new Map();
  for (const ind of list) {
    const rid = ind.region || ctx.regionOf(ind.hospital) || '';
    if (!regions.has(rid)) regions.set(rid, {own: [], hospitals: new Map(), trigger: ind.trigger_ms});
    const g = regions.get(rid);
    if (ind.level === 'hospital' || (ind.hospital && ind.level !== 'region')) {
      if (!g.hospitals.has(ind.hospital)) g.hospitals.set(ind.hospital, []);
      g.hospitals.get(ind.hospital).push(ind);
    } else {
      g.own.push(ind);
    }
  }
  const rows = [];
  for (const [rid, g] of regions) {
    const trigger = Number(g.trigger);
    const statuses = [...g.own, ...[...g.hospitals.values()].flat()].map((x) => targetStatus(x.status));
    const met = statuses.filter((x) => x === 'met').length;
    rows.push(indicatorGroup(ctx.regionName(rid),
      `${Number.isFinite(trigger) ? `Larmet nådde regionen ${ctx.live ? `${elapsedText(trigger)} efter periodens början`
        : `vid övningstid ${elapsedText(trigger)}`} · ` : ''}` +
      `${met} av ${statuses.length} uppfyllda`, 'ind-region', {groupRegion: rid}));
    rows.push(...g.own.map((ind) => indicatorRow(ind, ctx.live)));
    for (const [hid, inds] of g.hospitals) {
      rows.push(indicatorGroup(ctx.hospitalName(hid), '', 'ind-hospital', {groupHospital: hid}));
      rows.push(...inds.map((ind) => indicatorRow(ind, ctx.live)));
    }
  }
  return rows;
}
