// Lägesbild — a region's ambulances and helicopters in the board's region head (protocol.md
// "report_transport"): "Ambulanser 6 lediga · 9 i uppdrag", "Helikoptrar 1 ledig · 1 i uppdrag",
// with how old the report is; older than the limit of the region's readiness level is flagged
// INAKTUELL (text and a dashed frame, never colour alone). Hidden until something is reported.

import {h, setText, ageShort} from './common.js';
import {transportOf} from './transport.js';

export function transportBlock() {
  const lines = h('div', {class: 'tr-lines', role: 'table'});
  const age = h('div', {class: 'tr-age'});
  const el = h('div', {class: 'region-transport', hidden: true, dataset: {transport: '', stale: 'false'}}, lines, age);
  return {el, lines, age, key: undefined};
}

/** Brings `ref` up to `region`'s transport, judged at the model's "now". */
export function updateTransport(ref, region, model) {
  const now = model.now();
  const t = transportOf(region, now, model.state.staleness || {});
  ref.el.hidden = !t.any;
  ref.el.dataset.stale = t.stale ? 'true' : 'false';
  ref.el.classList.toggle('stale', t.stale);
  if (!t.any) return;
  const key = JSON.stringify(t.kinds.map((k) => [k.key, k.available, k.committed]));
  if (key !== ref.key) {
    ref.key = key;
    // A small table, label | lediga | i uppdrag: the region head is narrow on the wall.
    ref.lines.replaceChildren(
      h('div', {class: 'tr-line tr-head', role: 'row'}, h('span', {role: 'columnheader'}, ''),
        h('span', {role: 'columnheader'}, 'lediga'), h('span', {role: 'columnheader'}, 'i uppdrag')),
      ...t.kinds.map((k) => h('div', {class: 'tr-line', role: 'row', 'aria-label': k.text,
        dataset: {transportKind: k.key, available: k.available ?? '', committed: k.committed ?? ''}},
      h('span', {class: 'tr-label', role: 'rowheader'}, k.label),
      h('b', {role: 'cell'}, k.available ?? '–'), h('b', {role: 'cell'}, k.committed ?? '–'))));
  }
  // The older of the reports: that is the one that may be out of date.
  const oldest = t.kinds.filter((k) => Number.isFinite(k.at)).sort((a, b) => a.at - b.at)[0];
  setText(ref.age, oldest ? `${t.stale ? 'INAKTUELL · ' : ''}${ageShort(now - oldest.at)} sedan` : '');
  ref.el.title = t.kinds.map((k) => `${k.text}${k.when ? ` (rapporterat ${k.when}${k.by ? ` av ${k.by}` : ''})` : ''}`).join('\n') +
    (t.stale ? `\nINAKTUELL: äldre än ${t.limitMinutes} min (gränsen för regionens beredskapsläge)` : '');
}
