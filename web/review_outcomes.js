// Lägesbild — the review's "Utfall" (protocol.md "After-action review", "Outcomes"): one row per
// casualty wave — where, which region, the injured per priority, when the region decided the
// receiving hospitals, when the first patients left the scene and how long they waited, who
// worsened waiting and who died waiting. Words from outcomes.js; a shortfall is marked with an
// icon and a word, never colour alone.

import {h} from './common.js';
import {outcomeWords} from './outcomes.js';

/** What is missing or went wrong, marked: "✖ Inget beslut". */
const marked = (text, icon = '✖') => h('span', {class: 'cp-badge neg'}, h('span', {'aria-hidden': 'true'}, `${icon} `), text);

export const OUTCOME_TABLE = {id: 'outcomes', title: 'Utfall', titleId: 'out-title',
  hint: 'Per skadeutfall: hur länge de skadade väntade på skadeplatsen mot när regionen beslutade om mottagande ' +
    'sjukhus, och vad väntan kostade. Tider är övningstid.',
  empty: 'Inga skadeutfall i övningen ännu.',
  columns: [['Plats'], ['Region'], ['Skadade'], ['Beslut om mottagande sjukhus'], ['Första avtransport', 't-num'],
    ['Väntetid', 't-num'], ['Försämringar'], ['Avlidna under väntan', 't-num']]};

/** The rows of the outcomes table; `names.region(id)` gives a region's (short) name. */
export function outcomeRows(list, names = {}) {
  return (Array.isArray(list) ? list : []).map((o) => {
    const w = outcomeWords(o);
    return h('tr', {class: 'out-row', dataset: {wave: String(o.wave ?? ''), region: String(o.region ?? ''),
      deceased: String(w.deceased), decided: w.decisionBad ? 'false' : 'true'}},
    h('td', {class: 'out-where'}, h('span', {class: 'out-location'}, String(o.location || o.wave || 'Skadeplats')),
      h('span', {class: 'out-at'}, `skadeutfall vid ${w.at}`)),
    h('td', {}, o.region ? (names.region?.(o.region) || String(o.region)) : '–'),
    h('td', {class: 'out-casualties'}, w.casualties),
    h('td', {class: 'out-decision'}, w.decisionBad ? marked(w.decision) : w.decision),
    h('td', {class: 't-num'}, w.dispatchedBad ? marked(w.dispatched) : w.dispatched,
      w.arrival ? h('span', {class: 'out-arrival'}, `sista ankomst ${w.arrival}`) : null),
    h('td', {class: 't-num out-delay'}, w.delay),
    h('td', {class: 'out-changes'}, w.changes.length
      ? h('ul', {class: 'out-change-list'}, ...w.changes.map((c) => h('li', {}, c))) : 'Inga'),
    h('td', {class: 't-num out-deceased'}, w.deceased ? marked(String(w.deceased), '†') : '0'));
  });
}
