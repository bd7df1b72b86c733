// Lägesbild — the board's decisions log ("Beslut", protocol.md "The decisions log"): every decision
// the client model holds (state.decisions and each delta's record, the newest 100), newest first,
// filterable per region; each with how long ago it was made, who made it, what it was in words
// (summaries.js decisionText) and its reason. Declaring and standing down allvarlig händelse stand
// out; the wall's flags on regions and hospital cards are board_wall.js's and board_card.js's.

import {MESSAGE_KINDS, h, setText, parseTime, timeHM, timeWithDay, shortRegionName} from './common.js';
import {decisionText} from './summaries.js';
import {ageLabel, updateAgeLabels, countText} from './messages.js';

const $ = (id) => document.getElementById(id);

const MAJOR = new Set(['major_incident_declared', 'major_incident_stood_down']);

/** The decisions log of `model` (its message log `log` names the larm a decision is for). */
export function createDecisionLog(model, log) {
  let region = '';

  const names = {
    region: (id) => model.region(id)?.name || id,
    hospital: (id) => model.hospital(id)?.name || id,
    incident: (id) => {
      const m = log.list.find((x) => x.id === id);
      if (!m) return undefined;
      const t = parseTime(m.at);
      return `${(MESSAGE_KINDS[m.kind]?.label || 'meddelande').toLowerCase()}${Number.isFinite(t) ? ` ${timeHM(t)}` : ''}`;
    },
  };

  function entry(d, now) {
    const t = parseTime(d.at);
    const major = MAJOR.has(d.decision);
    return h('li', {class: `decision edge-card${major ? ` major ${d.decision === 'major_incident_declared' ? 'declared' : 'stood-down'}` : ''}`,
      dataset: {seq: String(d.seq ?? ''), decision: d.decision || '', decisionRegion: d.region || '',
      decisionHospital: d.hospital || ''}},
    h('div', {class: 'dec-head'},
      h('span', {class: 'dec-region'}, shortRegionName(names.region(d.region))),
      h('span', {class: 'dec-time'},
        h('time', {datetime: d.at || ''}, Number.isFinite(t) ? timeWithDay(t, now) : ''), ' · ', ageLabel(d.at, now))),
    h('div', {class: 'dec-what'},
      major ? h('span', {class: 'dec-icon', 'aria-hidden': 'true'}, d.decision === 'major_incident_declared' ? '⚠ ' : '✔ ') : null,
      decisionText(d, names)),
    h('div', {class: 'dec-who'}, d.actor_kind === 'scenario'
      ? h('span', {class: 'msg-counterplay', title: 'Motspel: övningsledningen spelar regionen'}, 'Motspel')
      : d.by ? `av ${d.by}` : ''),
    d.reason ? h('div', {class: 'dec-why'}, h('span', {class: 'lbl'}, 'Motivering: '), String(d.reason)) : null);
  }

  function render() {
    const now = model.now();
    const all = model.decisions;
    const shown = all.filter((d) => !region || d.region === region).slice().reverse();
    $('decisions-list').replaceChildren(...shown.map((d) => entry(d, now)));
    setText($('decisions-count'), shown.length === all.length ? countText(all.length)
      : `${countText(shown.length)} av ${countText(all.length)}`);
    setText($('decisions-empty'), all.length ? 'Inga beslut för regionen' : (model.have ? 'Inga beslut ännu' : 'Väntar på läget från servern'));
    $('decisions-empty').hidden = shown.length > 0;
  }

  function fillFilters() {
    const sel = $('decisions-region');
    const key = JSON.stringify(model.regions.map((r) => [r.id, r.name]));
    if (sel.dataset.key !== key) {
      sel.dataset.key = key;
      sel.replaceChildren(h('option', {value: ''}, 'Alla regioner'),
        ...model.regions.map((r) => h('option', {value: r.id}, r.name)));
    }
    sel.value = model.regions.some((r) => r.id === region) ? region : '';
    region = sel.value;
  }

  $('decisions-region').addEventListener('change', () => { region = $('decisions-region').value; render(); });

  return {render, fillFilters, updateAges: () => updateAgeLabels($('decision-log'), model.now())};
}
