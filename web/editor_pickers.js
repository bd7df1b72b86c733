// Lägesbild — the scenario editor's pick lists: hospitals, regions and the healthcare region of
// the running configuration (GET /api/state), and the fixed lists of the format (bed types,
// priorities, readiness levels, …) with their Swedish labels. Hospitals, regions and bed types are
// picked, never typed; a value the configuration does not know (a file written for another one)
// stays in the list, marked, so that nothing is lost and the server's check points at it.

import {
  BED_TYPES, BED_LABELS, READINESS, READINESS_ORDER, ED_STATUS, ED_ORDER, MESSAGE_KINDS, MESSAGE_KIND_ORDER,
  DECISION_KINDS, JUDGEMENTS, JUDGEMENT_ORDER, RESOURCES, RESOURCE_ORDER, SENDERS, INDICATORS, TRANSPORT_MODES,
  h,
} from './common.js';
import {apiFetch} from './session.js';

/** The configuration as the pick lists need it; empty until load() has read it. */
export const config = {
  loaded: false,
  hcr: {id: '', name: ''},
  regions: [],     // [{id, name, hospitals: [ids]}]
  hospitals: [],   // [{id, name, region, beds: {type: {baseline, surge24h}}}]
};

const regionById = new Map();
const hospitalById = new Map();

export const regionName = (id) => regionById.get(id)?.name || String(id ?? '');
export const hospitalName = (id) => hospitalById.get(id)?.name || String(id ?? '');
export const regionOf = (hid) => hospitalById.get(hid)?.region || '';
export const hospitalInfo = (hid) => hospitalById.get(hid) || null;
export const knownRegion = (id) => regionById.has(id);
export const knownHospital = (id) => hospitalById.has(id);

/** Reads the running configuration from GET /api/state (the live snapshot). */
export async function loadConfig() {
  const res = await apiFetch('/api/state');
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const snap = await res.json();
  const s = snap?.state || {};
  config.hcr = {id: String(s.healthcare_region?.id || ''), name: String(s.healthcare_region?.name || '')};
  config.regions = (s.regions || []).map((r) => ({id: String(r.id), name: String(r.name || r.id),
    hospitals: Array.isArray(r.hospitals) ? r.hospitals.map(String) : []}));
  config.hospitals = (s.hospitals || []).map((x) => {
    const beds = {};
    for (const [type, b] of Object.entries(x.beds || {})) beds[type] = {baseline: b?.baseline, surge24h: b?.surge24h};
    return {id: String(x.id), name: String(x.name || x.id), region: String(x.region || ''), beds};
  });
  regionById.clear();
  hospitalById.clear();
  for (const r of config.regions) regionById.set(r.id, r);
  for (const x of config.hospitals) {
    if (!x.region) x.region = config.regions.find((r) => r.hospitals.includes(x.id))?.id || '';
    hospitalById.set(x.id, x);
  }
  config.loaded = true;
  return config;
}

// ---------------------------------------------------------------------------------------------
// The fixed lists: [value, Swedish label]

const pairs = (order, label) => order.map((v) => [v, label(v)]);

export const LISTS = {
  bedType: pairs(BED_TYPES, (t) => BED_LABELS[t].long),
  level: pairs(READINESS_ORDER, (l) => READINESS[l].label),
  edStatus: pairs(ED_ORDER, (s) => ED_STATUS[s].label),
  messageKind: pairs(MESSAGE_KIND_ORDER, (k) => MESSAGE_KINDS[k].label),
  sender: [['', 'Övningsledningen (ingen avsändare)'], ...Object.entries(SENDERS).map(([k, v]) =>
    [k, k === 'rssl' ? 'RSSL (regionens särskilda sjukvårdsledning, kräver Från)' : v])],
  decision: pairs(Object.keys(DECISION_KINDS).filter((k) => k !== 'readiness_set'), (k) => DECISION_KINDS[k]),
  judgement: pairs(JUDGEMENT_ORDER, (j) => JUDGEMENTS[j].label),
  resource: pairs(RESOURCE_ORDER, (r) => RESOURCES[r].label),
  indicator: pairs(Object.keys(INDICATORS), (k) => INDICATORS[k]),
  mode: pairs(['ambulance', 'helicopter'], (m) => TRANSPORT_MODES[m].label),
  priority: [['P1', 'P1 (röd)'], ['P2', 'P2 (gul)'], ['P3', 'P3 (grön)']],
  deteriorateTo: [['P1', 'P1'], ['P2', 'P2'], ['deceased', 'Avliden']],
  startFrom: [['live', 'Kopia av skarpt läge vid start'], ['scenario', 'Egna siffror (konfigurationens grundvärden, sedan scenariots startläge)']],
  dispatch: [['immediate', 'Direkt, enligt fördelningen'], ['on_decision', 'Väntar på regionens beslut om mottagande sjukhus']],
  expectEvent: [
    ['region_readiness_set', 'Regionen sätter beredskapsläge'],
    ['capacity_reported', 'Sjukhus rapporterar kapacitet'],
    ['message_acknowledged', 'Meddelande kvitteras'],
    ['message_posted', 'Deltagare skickar meddelande'],
    ['decision_recorded', 'Beslut registreras'],
  ],
};

/** The label of `value` in the list `name` ("" when it has none). */
export const labelOf = (name, value) => LISTS[name]?.find(([v]) => v === value)?.[1] || '';

// ---------------------------------------------------------------------------------------------
// Options for <select>

/** Fills `select` with `options` ([value, label]), `value` selected; an unknown value is kept, marked. */
export function fillSelect(select, options, value, {empty} = {}) {
  const v = value === undefined || value === null ? '' : String(value);
  const list = [];
  if (empty !== undefined) list.push(h('option', {value: ''}, empty));
  for (const item of options) {
    if (item.group) {
      list.push(h('optgroup', {label: item.group}, ...item.options.map(([ov, ol]) => h('option', {value: ov}, ol))));
    } else {
      list.push(h('option', {value: item[0]}, item[1]));
    }
  }
  const flat = options.flatMap((o) => (o.group ? o.options : [o]));
  if (v !== '' && !flat.some(([ov]) => ov === v)) {
    list.push(h('option', {value: v, class: 'unknown-option'}, `Okänt värde: ${v}`));
  }
  if (v === '' && empty === undefined) list.unshift(h('option', {value: '', disabled: true}, '– välj –'));
  select.replaceChildren(...list);
  select.value = v;
}

/** Regions of the configuration as options. */
export const regionOptions = () => config.regions.map((r) => [r.id, r.name]);

/** Hospitals of the configuration as options, grouped by region (or of one region only). */
export function hospitalOptions(onlyRegion) {
  return config.regions.filter((r) => !onlyRegion || r.id === onlyRegion).map((r) => ({
    group: r.name,
    options: r.hospitals.filter((id) => hospitalById.has(id)).map((id) => [id, hospitalName(id)]),
  })).filter((g) => g.options.length);
}

/** The healthcare region of the configuration as the one option (another one is kept, marked). */
export const hcrOptions = () => (config.hcr.id ? [[config.hcr.id, config.hcr.name || config.hcr.id]] : []);
