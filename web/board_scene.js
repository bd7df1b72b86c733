// Lägesbild — the board's "Skadeplats" panel (exercises; protocol.md "Patients at the scene,
// deterioration, transfers"): the patients still at the scene per priority in large figures
// (colour and the priority's name), how long the group that has waited longest has waited, those
// on the way and when the first arrives, and the patients who died waiting. One line per wave
// (location) when there is more than one, and secondary transports between hospitals on their way.
// From exercise_info (snapshot and every delta that carries it, scene.js); the wait is re-judged
// against the exercise clock on every tick.

import {PRIORITIES, PRIORITY_LABELS, h, setText, timeWithDay, ageShort, shortRegionName} from './common.js';
import {sceneOf} from './scene.js';

const $ = (id) => document.getElementById(id);

const WAIT_WARN_MS = 30 * 60_000;   // a wait this long is marked (colour and ⚠)
const WAIT_BAD_MS = 60 * 60_000;

const counts = (o) => PRIORITIES.map((p) => `${p} ${o[p]}`).join(' · ');
const waitLevel = (ms) => (ms >= WAIT_BAD_MS ? 'bad' : ms >= WAIT_WARN_MS ? 'warn' : 'ok');

/** The panel of `model` in #scene. Returns {render}: after a snapshot, a clock delta, a tick. */
export function createScenePanel(model) {
  const el = $('scene');
  const figs = {};
  const big = h('div', {class: 'sc-figs', role: 'group', 'aria-label': 'Kvar på skadeplatsen per prioritet'},
    ...PRIORITIES.map((p) => {
      const num = h('span', {class: 'sc-num', dataset: {sceneCount: p}}, '0');
      figs[p] = h('div', {class: `sc-fig sc-${p.toLowerCase()}`, title: `${PRIORITY_LABELS[p].long} kvar på skadeplatsen`},
        h('span', {class: 'sc-prio'}, p), num);
      figs[p].num = num;
      return figs[p];
    }));
  const wait = h('div', {class: 'sc-stat sc-wait'}, h('span', {class: 'sc-label'}, 'Längst väntan'),
    h('span', {class: 'sc-value', dataset: {sceneWait: ''}}, '–'));
  const way = h('div', {class: 'sc-stat sc-way'}, h('span', {class: 'sc-label'}, 'På väg'),
    h('span', {class: 'sc-value', dataset: {sceneOnTheWay: ''}}, '–'), h('span', {class: 'sc-sub'}));
  const dead = h('div', {class: 'sc-stat sc-dead'}, h('span', {class: 'sc-label'}, 'Avlidna under väntan'),
    h('span', {class: 'sc-value', dataset: {sceneDeceased: ''}}, '0'));
  const waves = h('ul', {class: 'sc-waves'});
  const transfers = h('ul', {class: 'sc-transfers'});
  const empty = h('p', {class: 'sc-empty'}, 'Inga patienter kvar på skadeplatsen eller på väg.');
  el.replaceChildren(
    h('div', {class: 'sc-main'},
      h('h2', {class: 'sc-title', id: 'scene-title'}, h('span', {}, h('span', {'aria-hidden': 'true'}, '✚ '), 'Skadeplats'),
        h('span', {class: 'sc-title-sub'}, 'kvar på plats')),
      big, wait, way, dead),
    h('div', {class: 'sc-lists'}, empty, waves, transfers));
  let seen = false;  // the exercise has had patients while the page was open

  const regionName = (id) => shortRegionName(model.region(id)?.name || id);
  const hospitalName = (id) => model.hospital(id)?.name || id;
  /** Exercise time (ms since 00:00) as the time of day of the space. */
  const clockOf = (elapsedMs, now) => {
    const start = Date.parse(model.exerciseInfo?.start);
    return Number.isFinite(start) && Number.isFinite(elapsedMs) ? timeWithDay(start + elapsedMs, now) : '';
  };

  function waveLine(w, now) {
    const where = [w.location || 'Skadeplats', w.region ? regionName(w.region) : ''].filter(Boolean).join(' · ');
    const level = Number.isFinite(w.waitedMs) ? waitLevel(w.waitedMs) : 'ok';
    return h('li', {class: `sc-wave wait-${level}`, dataset: {wave: w.wave, atScene: String(w.atSceneTotal),
      onTheWay: String(w.onTheWayTotal)}},
    h('span', {class: 'sc-where'}, where), ': ',
    h('span', {class: 'sc-part'}, 'på plats ', h('b', {}, counts(w.atScene))),
    Number.isFinite(w.waitedMs) ? h('span', {class: 'sc-part sc-waited'}, ' · väntat ',
      h('b', {}, `${level === 'ok' ? '' : '⚠ '}${ageShort(w.waitedMs)}`)) : null,
    w.onTheWayTotal ? h('span', {class: 'sc-part'}, ' · på väg ', h('b', {}, counts(w.onTheWay)),
      Number.isFinite(w.nextArrivalMs) ? `, första framme ${clockOf(w.nextArrivalMs, now)}` : '') : null);
  }

  function transferLine(t, now) {
    const burns = t.burns ? ` (varav ${t.burns} brännskadade)` : '';
    return h('li', {class: 'sc-transfer', dataset: {transfer: t.wave, hospital: t.hospital || ''}},
      h('span', {class: 'sc-label'}, 'Sekundärtransport '),
      h('b', {}, `${t.count} ${t.priority}${burns}`),
      ` ${t.from ? `${hospitalName(t.from)} ` : ''}→ ${hospitalName(t.hospital)}`,
      Number.isFinite(t.arrivesMs) ? `, framme ${clockOf(t.arrivesMs, now)}` : '');
  }

  function render() {
    const info = model.exercise ? model.exerciseInfo : null;
    const s = sceneOf(info, model.elapsed());
    if (s.show || s.transfers.length) seen = true;
    el.hidden = !s.known || !(s.show || s.transfers.length || seen);
    if (el.hidden) return;
    const now = model.now();
    el.dataset.atScene = String(s.atSceneTotal);
    el.dataset.onTheWay = String(s.onTheWayTotal);
    el.dataset.deceased = String(s.deceased);
    for (const p of PRIORITIES) {
      setText(figs[p].num, String(s.atScene[p]));
      figs[p].classList.toggle('zero', s.atScene[p] === 0);
    }
    const level = Number.isFinite(s.waitedMs) ? waitLevel(s.waitedMs) : 'ok';
    wait.dataset.level = level;
    setText(wait.querySelector('.sc-value'), Number.isFinite(s.waitedMs)
      ? `${level === 'ok' ? '' : '⚠ '}${ageShort(s.waitedMs)}` : '–');
    wait.title = Number.isFinite(s.waitedMs)
      ? 'Den grupp på skadeplatsen som väntat längst, sedan den fick sin nuvarande prioritet' : 'Ingen väntar på skadeplatsen';
    setText(way.querySelector('.sc-value'), counts(s.onTheWay));
    way.classList.toggle('zero', s.onTheWayTotal === 0);
    setText(way.querySelector('.sc-sub'), Number.isFinite(s.nextArrivalMs) ? `första framme ${clockOf(s.nextArrivalMs, now)}` : '');
    setText(dead.querySelector('.sc-value'), `${s.deceased ? '† ' : ''}${s.deceased}`);
    dead.classList.toggle('has-dead', s.deceased > 0);
    empty.hidden = s.atSceneTotal + s.onTheWayTotal > 0;
    // One line per wave when there is more than one place.
    waves.replaceChildren(...(s.waves.length > 1 ? s.waves.map((w) => waveLine(w, now)) : []));
    waves.hidden = s.waves.length <= 1;
    if (s.waves.length === 1) {
      const w = s.waves[0];
      setText(el.querySelector('.sc-title-sub'), [w.location, w.region ? regionName(w.region) : ''].filter(Boolean).join(' · ') || 'kvar på plats');
    } else {
      setText(el.querySelector('.sc-title-sub'), s.waves.length ? `${s.waves.length} platser` : 'kvar på plats');
    }
    transfers.replaceChildren(...s.transfers.filter((t) => t.hospital).map((t) => transferLine(t, now)));
    transfers.hidden = transfers.childElementCount === 0;
  }

  return {render};
}
