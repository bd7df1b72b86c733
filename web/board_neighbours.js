// Lägesbild — the board's "Grannar" section: other healthcare regions' hospitals, read-only, from
// the server's "neighbours" message (protocol.md), in words by neighbours.js. Shown on the live
// board only (the server sends it to no exercise), each feed with its health and each hospital with
// its own age; a feed that does not answer greys and marks every card of it as not current. Rebuilt
// from the last message on every message and age tick, and at the moment a feed's dead_at passes.

import {h} from './common.js';
import {feedHealth, neighbourHospital} from './neighbours.js';

const $ = (id) => document.getElementById(id);
const num = (v) => (v === null || v === undefined ? '–' : String(v));

function figure(f) {
  const value = h('span', {class: 'fig-value'}, h('span', {class: 'num', text: num(f.available)}),
    f.baseline !== null ? h('span', {class: 'of', text: ` / ${f.baseline}`}) : null);
  const surge = f.surge24h !== null || f.surge72h !== null
    ? `; kan utökas med ${num(f.surge24h)} inom 24 h och ${num(f.surge72h)} inom 72 h` : '';
  return h('div', {class: `fig nb-fig${f.available === null ? ' unreported' : ''}`, dataset: {figure: f.key},
    title: `${f.label}: lediga${f.baseline !== null ? ' / totalt' : ''}${surge}`},
  h('span', {class: 'fig-label', text: f.label}), value);
}

function card(view, dead) {
  const reception = ['P1', 'P2', 'P3'].map((p) => h('span', {class: 'nb-prio', dataset: {priority: p}},
    h('span', {class: `chip ${p.toLowerCase()}`, 'aria-hidden': 'true'}), `${p} ${num(view.reception[p])}`));
  const tag = dead ? 'EJ AKTUELL' : view.missing ? 'SAKNAS' : view.stale ? 'INAKTUELL' : '';
  return h('article', {class: `hospital neighbour${view.stale ? ' stale' : ''}${dead ? ' feed-dead' : ''}`,
    dataset: {neighbour: view.id, stale: String(view.stale), dead: String(dead)}},
  h('div', {class: 'h-head'}, h('div', {class: 'h-title'}, h('span', {class: 'h-name', text: view.name})),
    h('span', {class: 'nb-readonly', title: 'Grannregionens uppgift: kan inte ändras här'}, 'endast läsning')),
  h('div', {class: 'h-figs'}, ...view.figures.map(figure),
    h('div', {class: 'nb-reception', title: 'Mottagningskapacitet: patienter per timme'}, ...reception)),
  h('div', {class: 'h-foot'},
    view.ed ? h('span', {class: 'badge ed'}, h('span', {class: 'ed-label'}, 'Akut:'),
      h('span', {class: 'ed-icon', 'aria-hidden': 'true', text: view.ed.icon}), h('span', {class: 'ed-text', text: view.ed.label})) : null,
    tag ? h('span', {class: 'stale-tag', text: tag}) : null,
    h('span', {class: 'reported-wrap'}, h('span', {class: 'reported', text: view.age}))));
}

/** The section; `now()` is the server's clock. */
export function createNeighbours({now}) {
  let last = null;
  let timer = null;

  function render() {
    const section = $('neighbours');
    const feeds = Array.isArray(last?.feeds) ? last.feeds : [];
    section.hidden = feeds.length === 0;
    if (!feeds.length) { section.replaceChildren(); return; }
    const t = now();
    let nextDead = Infinity;
    const blocks = feeds.map((feed) => {
      const health = feedHealth(feed, t);
      const dead = health.state === 'dead';
      const deadAt = Date.parse(feed.dead_at);
      if (!dead && Number.isFinite(deadAt)) nextDead = Math.min(nextDead, deadAt);
      const hospitals = (Array.isArray(feed.hospitals) ? feed.hospitals : []).map((x) => neighbourHospital(x, t, dead));
      return h('div', {class: 'nb-feed', dataset: {feed: String(feed.name ?? ''), health: health.state}},
        h('div', {class: 'nb-feed-head'},
          h('h3', {class: 'nb-feed-name', text: String(feed.name ?? '')}),
          h('span', {class: `nb-health ${health.state}`, role: 'status', title: health.title},
            h('span', {class: 'nb-health-icon', 'aria-hidden': 'true', text: health.state === 'answering' ? '●' : health.state === 'dead' ? '✖' : '…'}),
            health.text)),
        h('div', {class: 'nb-hospitals'}, ...hospitals.map((view) => card(view, dead))));
    });
    section.replaceChildren(
      h('h2', {id: 'neighbours-title', class: 'nb-title'}, 'Grannar ',
        h('span', {class: 'nb-sub', text: 'andra sjukvårdsregioners sjukhus – endast läsning, från deras egna lägesbilder'})),
      ...blocks);
    clearTimeout(timer);
    if (Number.isFinite(nextDead)) timer = setTimeout(render, Math.max(0, nextDead - t) + 50);
  }

  return {
    receive(msg) { last = msg; render(); },
    updateAges: () => { if (last) render(); },
    clear() { last = null; render(); },
  };
}
