// Lägesbild — the scenario editor's forms for the scenario itself (docs/scenarios.md "Top level"):
// name, description, the public incident it is shaped on and its source, healthcare region,
// planned duration, participating regions, indicator targets, deterioration rules, and the start
// (a copy of live capacity, or the scenario's own figures per hospital and region: `baseline`).

import {h} from './common.js';
import {
  LISTS, config, regionOptions, hospitalOptions, hcrOptions, hospitalName, regionName, hospitalInfo, fillSelect,
} from './editor_pickers.js';
import {text, int, select, check, many, list} from './editor_widgets.js';
import {reportFields} from './editor_forms.js';

/** The first http(s) address in a text, or '' (the source of the public timeline, as a link). */
export function firstUrl(t) {
  const m = /\bhttps?:\/\/[^\s<>"')\]]+/i.exec(String(t ?? ''));
  return m ? m[0].replace(/[.,;:]+$/, '') : '';
}

/** The source field with a link to what it cites (opened in a new tab, no referrer). */
function sourceField(b) {
  const f = text(b, ['modelled_on', 'source'], 'Källa (offentlig tidslinje)', {long: true, max: 2000, rows: 2,
    hint: 'Varifrån den offentliga tidslinjen kommer: rapport, artikel, gärna med adress'});
  const link = h('a', {class: 'fe-link', target: '_blank', rel: 'noopener noreferrer'}, 'Öppna källan');
  const sync = () => {
    const url = firstUrl(f.querySelector('textarea').value);
    link.hidden = !url;
    if (url) { link.href = url; link.title = url; }
  };
  f.querySelector('textarea').addEventListener('input', sync);
  sync();
  f.insertBefore(link, f.querySelector('.fe-problems'));
  return f;
}

/** The scenario's own fields, in the order of the format's table. */
export function metaForm(b) {
  const targets = LISTS.indicator.map(([k, name]) => int(b, ['indicator_targets', k], name, {placeholder: 'standard'}));
  return h('div', {class: 'fe-grid'},
    text(b, ['name'], 'Namn', {max: 120, cls: 'fe-wide'}),
    text(b, ['id'], 'Id (filnamn)', {max: 40, hint: 'a–z, 0–9 och bindestreck; en kopia får ett eget id'}),
    select(b, ['format'], 'Format', [[2, '2 (nuvarande)'], [1, '1 (äldre)']], {asNumber: true}),
    text(b, ['description'], 'Beskrivning', {long: true, max: 2000, rows: 4}),
    text(b, ['modelled_on', 'incident'], 'Förebild: den offentliga händelsen', {max: 500, cls: 'fe-wide'}),
    sourceField(b),
    select(b, ['healthcare_region'], 'Sjukvårdsregion', hcrOptions,
      {hint: 'Scenariot kan bara köras under den här konfigurationen'}),
    int(b, ['planned_duration_minutes'], 'Planerad längd (minuter)', {hint: '1–1440'}),
    text(b, ['starts_at'], 'Klockslag vid 00:00', {optional: true, max: 5, placeholder: 'TT:MM',
      hint: 'Valfritt, t.ex. 23:40: då gäller akutmottagningarnas öppettider'}),
    many(b, ['participating_regions'], 'Deltagande regioner',
      regionOptions, {hint: 'Tomt = alla regioner som ett skriptat larm når. Övriga spelas av övningsledningen (motspel)'}),
    check(b, ['burns_need_icu'], 'Brännskadad P1 tar även en IVA-plats'),
    h('fieldset', {class: 'fe-field fe-wide fe-group', dataset: {field: b.field(['indicator_targets'])}},
      h('legend', {class: 'fe-label'}, 'Mål för prestationsindikatorerna (minuter efter larmet)'),
      h('div', {class: 'fe-grid fe-targets'}, ...targets),
      h('span', {class: 'fe-hint'}, 'Tomt = standardmålet (Rådestad m.fl. 2012)'),
      h('ul', {class: 'fe-problems'})),
    list(b, ['deterioration'], 'Försämring under väntan', {
      addText: 'Lägg till regel', max: 3, blank: () => ({from: 'P1', to: 'deceased', after_minutes: 60, share_percent: 25}),
      hint: 'Högst en regel per prioritet. Övningskonvention, inte klinisk prognos',
      row: (i) => [select(b, ['deterioration', i, 'from'], 'Från', LISTS.priority),
        select(b, ['deterioration', i, 'to'], 'Blir', LISTS.deteriorateTo),
        int(b, ['deterioration', i, 'after_minutes'], 'Efter (min)'),
        int(b, ['deterioration', i, 'share_percent'], 'Andel %', {placeholder: '100'})],
    }),
    text(b, ['note'], 'Anteckning för författare', {optional: true, long: true, rows: 2,
      hint: 'Valfri; spelas inte upp'}));
}

/** Which figures the configuration has for a hospital's bed types: "ordinarie 11 (+3)". */
function bedHints(hid, box) {
  const info = hospitalInfo(hid);
  for (const row of box.querySelectorAll('.fe-bed')) {
    const type = row.querySelector('.fe-field')?.dataset.field.split('.').at(-2);
    const bed = info?.beds?.[type];
    const name = row.querySelector('.fe-bed-name');
    if (bed && Number.isFinite(Number(bed.baseline))) {
      name.append(h('span', {class: 'fe-bed-conf'}, ` ordinarie ${bed.baseline}${Number(bed.surge24h) ? ` (+${bed.surge24h})` : ''}`));
    }
  }
}

/**
 * The start: a copy of live capacity or the scenario's own figures, and `baseline` — per hospital a
 * capacity report applied at 00:00, per region a readiness level. `open`: hospital ids whose
 * figures are shown (a Set kept by the page across rebuilds).
 */
export function baselineForm(b, open) {
  const own = b.get(['start_from']) === 'scenario';
  const hospitals = b.get(['baseline', 'hospitals']);
  const ids = hospitals && typeof hospitals === 'object' ? Object.keys(hospitals) : [];
  const blocks = ids.map((hid) => {
    const seg = ['baseline', 'hospitals', hid];
    const details = h('details', {class: 'fe-hospital', dataset: {field: b.field(seg), hospital: hid}, open: open.has(hid)},
      h('summary', {}, h('span', {class: 'fe-h-name'}, hospitalName(hid) || hid), h('span', {class: 'fe-h-what'}, summaryOf(hospitals[hid]))),
      h('div', {class: 'fe-grid'}, ...reportFields(b, seg)),
      h('ul', {class: 'fe-problems'}));
    details.addEventListener('toggle', () => { if (details.open) open.add(hid); else open.delete(hid); });
    const remove = h('button', {type: 'button', class: 'btn btn-quiet fe-remove'}, `Ta bort ${hospitalName(hid) || hid}`);
    remove.addEventListener('click', () => {
      b.set(seg, undefined);
      b.rebuild();
    });
    details.querySelector('.fe-grid').append(remove);
    bedHints(hid, details);
    return details;
  });
  const addSel = h('select', {'aria-label': 'Sjukhus att lägga till i startläget'});
  fillSelect(addSel, hospitalOptions().map((g) => ({group: g.group, options: g.options.filter(([v]) => !ids.includes(v))}))
    .filter((g) => g.options.length), '', {empty: '– välj sjukhus –'});
  const add = h('button', {type: 'button', class: 'btn btn-secondary'}, 'Lägg till sjukhus');
  add.addEventListener('click', () => {
    if (!addSel.value) { addSel.focus(); return; }
    open.add(addSel.value);
    b.set(['baseline', 'hospitals', addSel.value, 'ed_status'], 'open');
    b.rebuild();
  });
  const regions = config.regions.map((r) =>
    select(b, ['baseline', 'regions', r.id], regionName(r.id), LISTS.level, {empty: '– inget satt –'}));
  return h('div', {class: 'fe-grid'},
    select(b, ['start_from'], 'Startläge', LISTS.startFrom, {cls: 'fe-wide', then: () => b.rebuild()}),
    h('p', {class: 'fe-note fe-wide'}, own
      ? 'Övningen börjar från konfigurationens grundvärden utan rapporterade siffror; siffrorna nedan gäller vid 00:00.'
      : 'Övningen börjar från en kopia av skarpt läge när den startas; siffrorna nedan (valfria) gäller sedan vid 00:00.'),
    h('fieldset', {class: 'fe-field fe-wide fe-group', dataset: {field: b.field(['baseline', 'hospitals'])}},
      h('legend', {class: 'fe-label'}, `Sjukhusens startsiffror (${ids.length})`),
      h('div', {class: 'fe-rows'}, ...blocks),
      h('div', {class: 'fe-row fe-add'}, addSel, add),
      h('ul', {class: 'fe-problems'})),
    h('fieldset', {class: 'fe-field fe-wide fe-group', dataset: {field: b.field(['baseline', 'regions'])}},
      h('legend', {class: 'fe-label'}, 'Regionernas beredskapsläge vid start'),
      h('div', {class: 'fe-grid'}, ...regions),
      h('ul', {class: 'fe-problems'})));
}

/** "IVA 4, vårdplatser 22, akuten öppen" for a closed hospital block. */
function summaryOf(report) {
  const parts = [];
  const beds = report?.beds || {};
  for (const [type, label] of LISTS.bedType) if (beds[type]?.available !== undefined) parts.push(`${label.toLowerCase()} ${beds[type].available}`);
  const t = parts.slice(0, 3).join(', ') + (parts.length > 3 ? ` … (${parts.length} platstyper)` : '');
  return t ? ` · lediga: ${t}` : ' · inga lediga platser angivna';
}
