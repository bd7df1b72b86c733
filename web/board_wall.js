// Lägesbild — the wall of the board: one block per region (its readiness, totals, how many have
// not reported, how many are över kapacitet) holding the region's hospital cards (board_card.js),
// the healthcare region's totals in the header, and the summary line. Rendered from the client
// model's changes: a record that changes updates its card in place, with changed figures
// highlighted; a change of structure (a new hospital, a region's list) rebuilds the wall. The sums of
// the förstärkning (surge beds within 24 h and 72 h) are in the titles of the IVA and Vpl totals only:
// the region heads and the tiles have no room for another line.

import {READINESS, PRIORITIES, PRIORITY_LABELS, h, setText, showNumber} from './common.js';
import {TOTAL_KEYS, totalsOf, flash, direction, readinessBadge, setReadiness, totalCell, setFigure, surgeText} from './board_figures.js';
import {buildHospital, updateHospital, updateHospitalAge, casualtiesOf, declaredText} from './board_card.js';
import {majorIncidentOf} from './client_model.js';
import {transportBlock, updateTransport} from './board_transport.js';

const $ = (id) => document.getElementById(id);

function buildRegion(region) {
  const badge = readinessBadge();
  const totals = {
    AdultICU: totalCell('AdultICU', 'IVA', true),
    MedicalSurgical: totalCell('MedicalSurgical', 'Vpl', false),
  };
  for (const p of PRIORITIES) totals[p] = totalCell(p, p, false);
  for (const p of PRIORITIES) {
    totals[p].cell.querySelector('.rt-label').prepend(
      h('span', {class: `chip ${p.toLowerCase()}`, 'aria-hidden': 'true'}));
  }
  const missing = h('div', {class: 'region-missing'});
  const mi = h('div', {class: 'region-mi', hidden: true},
    h('span', {class: 'mi-flag'}, h('span', {'aria-hidden': 'true'}, '⚠'), 'ALLVARLIG HÄNDELSE'));
  const overText = h('span', {class: 'region-over-text'});
  const over = h('div', {class: 'region-over', hidden: true, dataset: {regionOverCapacity: '0'}},
    h('span', {class: 'over-icon', 'aria-hidden': 'true'}, '⚠'), overText);
  const transport = transportBlock();
  const head = h('div', {class: 'region-head'},
    h('h2', {class: 'region-name', text: region.name}),
    mi,
    badge.el,
    h('div', {class: 'region-totals', title: 'Regionens summa: lediga IVA / totalt, lediga vårdplatser, mottagning per timme'},
      h('div', {class: 'rt-line'}, totals.AdultICU.cell, totals.MedicalSurgical.cell),
      h('div', {class: 'rt-line'}, totals.P1.cell, totals.P2.cell, totals.P3.cell)),
    transport.el,
    over,
    missing);
  const list = h('div', {class: 'hospitals'});
  const el = h('section', {class: 'region', dataset: {region: region.id}}, head, list);
  return {el, badge, totals, missing, over, overText, mi, list, transport, level: undefined, incident: undefined};
}

// The healthcare region's totals in the header: [figure, label, title].
const TILES = [
  ['AdultICU', 'IVA lediga', 'Lediga IVA-platser / totalt (grundbemanning), summa över de sjukhus som rapporterat'],
  ['MedicalSurgical', 'Vårdplatser lediga', 'Lediga vårdplatser, summa över de sjukhus som rapporterat'],
  ...PRIORITIES.map((p) => [p, `Mottagning ${p}/tim`,
    `Mottagningskapacitet ${PRIORITY_LABELS[p].long}: patienter per timme, summa av rapporterade värden`]),
];

function buildTiles() {
  document.querySelector('.totals').replaceChildren(...TILES.map(([key, label, title]) => {
    const prio = PRIORITIES.includes(key);
    return h('div', {class: `tile${prio ? ' prio' : ''}`, dataset: {totalTile: key}, title},
      h('div', {class: 'tile-label'}, prio ? h('span', {class: `chip ${key.toLowerCase()}`, 'aria-hidden': 'true'}) : null, label),
      h('div', {class: 'tile-value'}, h('span', {class: 'num', dataset: {total: key}}, '–'),
        key === 'AdultICU' ? h('span', {class: 'of'}, '/', h('span', {dataset: {totalBaseline: key}}, '–')) : null,
        h('span', {class: 'arrow', 'aria-hidden': 'true'})),
      h('div', {class: 'tile-missing', dataset: {totalMissing: key}}));
  }));
}

// The totals whose titles also say the region's förstärkning.
const SURGE_TITLES = {
  AdultICU: 'IVA i regionen: lediga / totalt (grundbemanning)',
  MedicalSurgical: 'Vårdplatser i regionen: lediga',
};
const withSurge = (title, t, over) => {
  const words = surgeText(t);
  return words ? `${title}\n${words} (summa över ${over})` : title;
};

const missingText = (n) => (n ? `${n} sjukhus ej rapporterat` : 'Alla sjukhus rapporterat');

/**
 * The wall of `model` in #regions. `onCard(id)` runs after a card was brought up to date (the
 * trends draw into it). Returns {rebuild, resync, hospitalChanged, regionChanged, updateAges, fit, card}.
 */
export function createWall(model, {onCard = () => {}} = {}) {
  buildTiles();
  const view = {
    regions: new Map(),   // id → refs (buildRegion)
    hospitals: new Map(), // id → refs (buildHospital)
    structure: '',
  };

  const structureKey = () => JSON.stringify([model.space, model.regions.map((r) => [r.id, r.name, r.hospitals]),
    [...model.hospitals.values()].map((x) => [x.id, x.name, x.town, x.region])]);

  function updateCard(id, doFlash) {
    const hosp = model.hospital(id);
    const v = view.hospitals.get(id);
    if (!hosp || !v) return;
    updateHospital(v, hosp, model, doFlash);
    onCard(id);
  }

  function rebuild() {
    view.regions.clear();
    view.hospitals.clear();
    const frag = document.createDocumentFragment();
    for (const region of model.regions) {
      const rv = buildRegion(region);
      view.regions.set(region.id, rv);
      for (const hosp of model.hospitalsOf(region.id)) {
        const hv = buildHospital(hosp);
        view.hospitals.set(hosp.id, hv);
        rv.list.append(hv.el);
      }
      frag.append(rv.el);
    }
    $('regions').replaceChildren(frag);
    view.structure = structureKey();
    for (const region of model.regions) updateRegion(region.id, false);
    for (const id of view.hospitals.keys()) updateCard(id, false);
    updateTotals(false);
    fit();
  }

  function updateRegion(id, doFlash) {
    const region = model.region(id);
    const v = view.regions.get(id);
    if (!region || !v) return;
    const level = region.readiness?.value ?? null;
    setReadiness(v.badge, region.readiness, 'Regionens beredskapsläge', model.now());
    v.el.dataset.readiness = level ?? '';
    if (doFlash && v.level !== undefined && v.level !== level) flash(v.badge.el, 'changed');
    v.level = level;

    // Allvarlig händelse: the flag while the region's major_incident is declared.
    const incident = majorIncidentOf(region);
    v.el.dataset.majorIncident = incident === null ? '' : String(incident);
    v.mi.hidden = incident !== true;
    v.mi.title = incident === true ? `Allvarlig händelse utlöst${declaredText(region.major_incident, model.now())}` : '';
    if (doFlash && v.incident !== undefined && v.incident !== incident && incident) flash(v.mi, 'changed');
    v.incident = incident;

    updateTransport(v.transport, region, model);

    const hospitals = (region.hospitals || []).map((hid) => model.hospital(hid));
    const totals = totalsOf(hospitals);
    for (const key of TOTAL_KEYS) {
      const t = totals[key];
      setFigure(v.totals[key], t.reported ? t.sum : null, key === 'AdultICU' ? (t.reported ? t.baseline : undefined) : undefined, doFlash);
      if (SURGE_TITLES[key]) v.totals[key].cell.title = withSurge(SURGE_TITLES[key], t, 'regionens sjukhus');
    }
    const never = hospitals.filter((x) => x && !x.last_reported_at).length;
    const partial = Math.max(...TOTAL_KEYS.map((k) => totals[k].missing));
    setText(v.missing, never
      ? `${never} sjukhus ej rapporterat`
      : partial ? `${partial} sjukhus delvis rapporterat` : '');
    v.missing.classList.toggle('has-missing', never > 0 || partial > 0);

    const over = hospitals.filter((x) => x && casualtiesOf(x).over).length;
    v.over.hidden = over === 0;
    v.over.dataset.regionOverCapacity = String(over);
    setText(v.overText, `${over} över kapacitet`);
    v.over.title = `${over} sjukhus i regionen över kapacitet`;
  }

  function updateTotals(doFlash) {
    const totals = totalsOf([...model.hospitals.values()]);
    for (const key of TOTAL_KEYS) {
      const t = totals[key];
      const num = document.querySelector(`[data-total="${key}"]`);
      const tile = document.querySelector(`[data-total-tile="${key}"]`);
      const value = showNumber(t.reported ? t.sum : null);
      const old = num.textContent;
      setText(num, value);
      if (key === 'AdultICU') {
        setText(document.querySelector('[data-total-baseline="AdultICU"]'), t.reported ? String(t.baseline) : '–');
      }
      if (SURGE_TITLES[key]) tile.title = withSurge(TILES.find(([k]) => k === key)[2], t, 'alla sjukhus');
      const miss = document.querySelector(`[data-total-missing="${key}"]`);
      setText(miss, missingText(t.missing));
      miss.classList.toggle('has-missing', t.missing > 0);
      if (doFlash && old !== value) flash(tile, direction(/^\d+$/.test(old) ? Number(old) : null, t.reported ? t.sum : null));
    }
    updateSummary();
  }

  /** "normalläge 60 min, stabsläge 30 min, …" (state.staleness: minutes per level). */
  function limitsText() {
    const limits = model.state.staleness || {};
    return Object.keys(READINESS).filter((l) => Number.isFinite(limits[l]))
      .map((l) => `${READINESS[l].label.toLowerCase()} ${limits[l]} min`).join(', ');
  }

  function updateSummary() {
    const all = [...model.hospitals.values()];
    const never = all.filter((x) => !x.last_reported_at).length;
    const stale = all.filter((x) => model.freshness(x).stale).length;
    const parts = [`${all.length} sjukhus`];
    parts.push(never ? `${never} ej rapporterat` : 'alla har rapporterat');
    if (stale) parts.push(`${stale} inaktuella`);
    setText($('summary'), parts.join(' · '));
    $('summary').title = `Inaktuell: minst en uppgift äldre än gränsen för sjukhusets beredskapsläge (${limitsText()})`;
    $('summary').classList.toggle('warn', never > 0 || stale > 0);
  }

  /**
   * On the wall (one screen, no page scroll) the casualty and förstärkning lines add height: when
   * the regions would then need scrolling, the spacing is packed tighter in steps
   * (body[data-fit="1"|"2"]; board.css), and last the förstärkning lines go (body[data-surge="off"];
   * surge.css): the figures' titles still say them.
   * A casualty line too wide for its card is set tighter (.tight). Re-measured after every change.
   */
  const WALL = window.matchMedia('(min-width: 1701px)');
  const FIT_STEPS = 2;
  function fit() {
    const main = $('regions');
    for (const el of main.querySelectorAll('.h-cas:not([hidden])')) {
      el.classList.remove('tight');
      if (el.scrollWidth > el.clientWidth) el.classList.add('tight');
    }
    delete document.body.dataset.fit;
    delete document.body.dataset.surge;
    if (!WALL.matches || !main.querySelector('.hospital.has-casualties, .hospital.has-forecast, .hospital.has-surge, .region-transport:not([hidden])')) return;
    for (let step = 1; step <= FIT_STEPS && main.scrollHeight > main.clientHeight + 1; step++) {
      document.body.dataset.fit = String(step);
    }
    if (main.scrollHeight > main.clientHeight + 1 && main.querySelector('.hospital.has-surge')) document.body.dataset.surge = 'off';
  }

  return {
    rebuild,
    card: (id) => view.hospitals.get(id) ?? null,
    cardIds: () => [...view.hospitals.keys()],
    /** A snapshot of the wall already on screen: update in place and highlight what changed. */
    resync() {
      if (structureKey() !== view.structure) { rebuild(); return; }
      for (const region of model.regions) updateRegion(region.id, true);
      for (const id of view.hospitals.keys()) updateCard(id, true);
      updateTotals(true);
      fit();
    },
    hospitalChanged({hospital, previous}) {
      if (!previous || !view.hospitals.has(hospital.id)) { rebuild(); return; }
      updateCard(hospital.id, true);
      if (hospital.region) updateRegion(hospital.region, true);
      updateTotals(true);
      fit();
    },
    regionChanged({region, hospitalsChanged}) {
      if (!hospitalsChanged && view.regions.has(region.id)) updateRegion(region.id, true);
      else rebuild();
      updateSummary();
    },
    /** Ages and stale flags, at the space's "now". */
    updateAges() {
      for (const [id, v] of view.hospitals) {
        const hosp = model.hospital(id);
        if (hosp) updateHospitalAge(v, hosp, model);
        onCard(id);
      }
      for (const [id, v] of view.regions) {
        const region = model.region(id);
        if (region) updateTransport(v.transport, region, model);
      }
      updateSummary();
    },
    fit,
  };
}
