// Lägesbild — a hospital's forecast (forecast.js) on a page: a line marked "Prognos", dashed and in
// italics so that it never looks like a reported figure (base.css .forecast). Used by the board's
// cards and the TiB page's rows. Hidden when there is no forecast, and — unless `showEnough` — when
// nothing runs out ("Prognos: räcker").

import {h, setText} from './common.js';
import {forecastOf} from './forecast.js';

/** The element: {el} to put in place, then showForecast(ref, hosp, now). */
export function forecastLine(cls = '') {
  const items = h('span', {class: 'fc-items'});
  const el = h('div', {class: `forecast${cls ? ` ${cls}` : ''}`, hidden: true, dataset: {forecast: 'none'}},
    h('span', {class: 'fc-tag'}, h('span', {'aria-hidden': 'true'}, '⌁ '), 'Prognos'), ' ', items);
  return {el, items, key: undefined};
}

/** Brings `ref` up to `hosp`'s forecast at `now`; returns the forecast (forecast.js). */
export function showForecast(ref, hosp, now, {showEnough = true} = {}) {
  const f = forecastOf(hosp, now);
  ref.el.dataset.forecast = f.state;
  ref.el.hidden = f.state === 'none' || (f.state === 'enough' && !showEnough);
  const key = JSON.stringify([f.state, f.items.map((i) => [i.key, i.time, i.past])]);
  if (key !== ref.key) {
    ref.key = key;
    ref.items.replaceChildren(...(f.state === 'enough' ? ['räcker i nuvarande takt']
      : f.items.flatMap((i, n) => [...(n ? [h('span', {class: 'fc-sep'}, ' · ')] : []),
        h('span', {class: `fc-item${i.past ? ' past' : ''}`, dataset: {forecastKey: i.key, at: String(i.at)}}, i.text)])));
  }
  ref.el.title = f.title;
  ref.el.setAttribute('aria-label', f.text);
  return f;
}
