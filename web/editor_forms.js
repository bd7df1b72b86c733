// Lägesbild — the scenario editor's form for each kind of inject (docs/scenarios.md "Inject
// kinds", docs/scenario.schema.json): message (larm, METHANE, lägesrapport, information, with its
// sender), casualty wave (scripted or suggested, or waiting for a decision), capacity change,
// readiness level, scripted decision, secondary transfer, transport figures and checkpoint — and a
// one-line summary of each for the timeline. Hospitals and regions come from the running
// configuration (editor_pickers.js). Changing what kind of message, dispatch, decision or
// expectation it is drops the fields that do not belong to the new one (the loader refuses them).

import {INJECT_KINDS, MESSAGE_KINDS, METHANE_FIELDS, DECISION_KINDS, READINESS, SENDERS, h} from './common.js';
import {LISTS, regionOptions, hospitalOptions, regionName, hospitalName} from './editor_pickers.js';
import {text, int, select, check, many, counts, keyedNumbers, list, group, ways} from './editor_widgets.js';

const PRIO = ['P1', 'P2', 'P3'];
const prioLabels = {P1: 'P1 (röd)', P2: 'P2 (gul)', P3: 'P3 (grön)', deceased: 'Döda'};

/** Which fields each decision has, besides id, at, kind, decision and region. */
export const DECISION_FIELDS = {
  major_incident_declared: ['hospital', 'reason'],
  major_incident_stood_down: ['hospital', 'reason'],
  receiving_hospitals: ['hospitals', 'incident', 'reason'],
  capacity_judgement: ['judgement', 'hospital', 'reason'],
  icu_need: ['icu_beds', 'hospital', 'reason'],
  capacity_shortage: ['resource', 'amount', 'hospital', 'reason'],
  support_request: ['to_region', 'resource', 'amount', 'reason'],
  support_offer: ['to_region', 'resource', 'amount', 'reason'],
};
const DECISION_DEFAULTS = {hospitals: [], judgement: 'strained', icu_beds: 0, resource: 'AdultICU', amount: 1};

/** Keeps of `obj` only `keep` keys (in place). */
function only(obj, keep) {
  for (const k of Object.keys(obj)) if (!keep.includes(k)) delete obj[k];
}

/** The field every inject has besides its time (which is on the timeline's row): its id. */
function head(b) {
  return [text(b, ['id'], 'Id', {max: 40, hint: 'a–z, 0–9 och bindestreck; unikt i scenariot'})];
}

function messageForm(b, inj, ctx) {
  const kind = inj.message_kind;
  const setKind = (value) => {
    if (value === 'alert') { delete inj.methane; delete inj.fields; delete inj.requires_ack; inj.level ??= 'staff'; inj.text ??= ''; }
    if (value === 'methane') { delete inj.text; delete inj.level; delete inj.fields; inj.methane ??= {}; }
    if (value === 'situation_report' || value === 'information') { delete inj.level; delete inj.methane; inj.text ??= ''; }
    if (value !== 'situation_report') delete inj.fields;
    b.rebuild();
  };
  const to = inj.to;
  const toAll = to === 'all';
  return [
    select(b, ['message_kind'], 'Sort', LISTS.messageKind, {then: setKind}),
    select(b, ['sender'], 'Avsändare', LISTS.sender.slice(1), {empty: LISTS.sender[0][1]}),
    select(b, ['from'], 'Från region', regionOptions, {empty: '– ingen (övningsledningen) –',
      hint: 'Regionen meddelandet kommer från, t.ex. skadeplatsens'}),
    h('div', {class: 'fe-field fe-wide'},
      ways('to', 'Till', [['some', 'Valda regioner'], ['all', 'Alla regioner']], toAll ? 'all' : 'some', (v) => {
        b.set(['to'], v === 'all' ? 'all' : []);
        b.rebuild();
      })),
    toAll ? null : many(b, ['to'], 'Mottagare', regionOptions),
    kind === 'alert' ? select(b, ['level'], 'Beredskapsläge som larmet begär', LISTS.level) : null,
    kind === 'methane'
      ? group(b, ['methane'], 'METHANE-rapport', METHANE_FIELDS.map((f) =>
        text(b, ['methane', f.key], `${f.letter} – ${f.label}`, {optional: true, max: 500})))
      : text(b, ['text'], 'Text', {long: true, max: 4000, rows: 4}),
    kind === 'situation_report' ? situationFields(b, inj) : null,
    kind !== 'alert' ? check(b, ['requires_ack'], 'Kräver kvittens') : null,
  ].filter(Boolean);
}

/** A situation report's fields are an object (name → text): edited as rows of two texts. */
function situationFields(b, inj) {
  const entries = Object.entries(inj.fields && typeof inj.fields === 'object' ? inj.fields : {});
  const write = (list) => b.set(['fields'], list.length ? Object.fromEntries(list) : undefined);
  const rows = entries.map(([k, v], i) => {
    const name = h('input', {type: 'text', maxlength: 40, 'aria-label': `Fält ${i + 1}: namn`});
    const value = h('input', {type: 'text', maxlength: 500, 'aria-label': `Fält ${i + 1}: text`, class: 'fe-grow'});
    name.value = k;
    value.value = String(v ?? '');
    const update = () => {
      const now = Object.entries(inj.fields || {});
      now[i] = [name.value, value.value];
      write(now);
    };
    name.addEventListener('change', update);
    value.addEventListener('input', update);
    const remove = h('button', {type: 'button', class: 'btn btn-quiet fe-remove'}, 'Ta bort');
    remove.addEventListener('click', () => { const now = Object.entries(inj.fields || {}); now.splice(i, 1); write(now); b.rebuild(); });
    return h('div', {class: 'fe-row fe-item', dataset: {field: b.field(['fields', k])}}, name, value, remove,
      h('ul', {class: 'fe-problems'}));
  });
  const add = h('button', {type: 'button', class: 'btn btn-secondary', disabled: entries.length >= 20}, 'Lägg till fält');
  add.addEventListener('click', () => {
    let n = entries.length + 1;
    while (`Fält ${n}` in (inj.fields || {})) n++;
    write([...entries, [`Fält ${n}`, '']]);
    b.rebuild();
  });
  return h('fieldset', {class: 'fe-field fe-wide fe-group', dataset: {field: b.field(['fields'])}},
    h('legend', {class: 'fe-label'}, 'Fält i lägesrapporten (namn och text)'),
    h('div', {class: 'fe-rows'}, ...rows), h('div', {class: 'fe-row fe-add'}, add), h('ul', {class: 'fe-problems'}));
}

function waveForm(b, inj) {
  const onDecision = inj.dispatch === 'on_decision';
  const scripted = Array.isArray(inj.distribution);
  return [
    text(b, ['location'], 'Skadeplats', {max: 200}),
    select(b, ['region'], 'Skadeplatsens region', regionOptions, {empty: '– ingen angiven –',
      hint: onDecision ? 'Krävs: regionen vars beslut om mottagande sjukhus skickar patienterna' : 'Valfri'}),
    counts(b, ['casualties'], 'Skadade', [...PRIO, 'deceased'], {labels: prioLabels,
      hint: 'Döda på skadeplatsen transporteras inte'}),
    counts(b, ['burns'], 'Varav brännskadade', PRIO, {hint: 'Valfritt. Tar brännskadeplatser vid ankomst'}),
    select(b, ['dispatch'], 'Avtransport', LISTS.dispatch, {absent: 'immediate', then: (v) => {
      if (v === 'on_decision') { delete inj.distribution; b.rebuild(); return; }
      inj.distribution ??= 'suggest';
      b.rebuild();
    }}),
    onDecision ? null : h('div', {class: 'fe-field fe-wide', dataset: {field: b.field(['distribution'])}},
      ways('distribution', 'Fördelning', [['suggest', 'Serverns förslag (efter mottagningskapacitet och transporttid)'],
        ['list', 'Skriptad fördelning per sjukhus']], scripted ? 'list' : 'suggest', (v) => {
        b.set(['distribution'], v === 'suggest' ? 'suggest' : [{hospital: Object.keys(inj.transport_minutes || {})[0] || '', P1: 0, P2: 0, P3: 0}]);
        b.rebuild();
      }), h('ul', {class: 'fe-problems'})),
    onDecision || !scripted ? null : list(b, ['distribution'], 'Patienter per sjukhus', {
      addText: 'Lägg till sjukhus', blank: () => ({hospital: '', P1: 0, P2: 0, P3: 0}),
      hint: 'Summan per prioritet ska vara lika med de skadade',
      row: (i) => [select(b, ['distribution', i, 'hospital'], 'Sjukhus', hospitalOptions),
        ...PRIO.map((p) => int(b, ['distribution', i, p], p))],
    }),
    keyedNumbers(b, ['transport_minutes'], 'Transporttid från skadeplatsen', hospitalOptions, {
      valueLabel: 'Minuter', addText: 'Lägg till sjukhus',
      hint: onDecision || !scripted ? 'Bara dessa sjukhus kan få patienter' : 'Varje sjukhus i fördelningen behöver en'}),
  ].filter(Boolean);
}

function bedsGroup(b, segs, label, hint) {
  return group(b, segs, label, LISTS.bedType.map(([type, name]) =>
    h('div', {class: 'fe-bed'}, h('span', {class: 'fe-bed-name'}, name),
      int(b, [...segs, type, 'available'], 'Lediga'),
      int(b, [...segs, type, 'baseline'], 'Ordinarie'),
      int(b, [...segs, type, 'surge24h'], 'Förstärkning 24 h'))), {hint, cls: 'fe-beds'});
}

/** The figures of a capacity report (a capacity change, or a hospital's start figures). */
export function reportFields(b, segs, {readinessHint} = {}) {
  return [
    bedsGroup(b, [...segs, 'beds'], 'Platser', 'Fyll bara i det som ändras; tomt = oförändrat'),
    counts(b, [...segs, 'reception'], 'Mottagning per timme', PRIO, {labels: prioLabels}),
    select(b, [...segs, 'ed_status'], 'Akutmottagning', LISTS.edStatus, {empty: '– oförändrad –'}),
    select(b, [...segs, 'readiness'], 'Beredskapsläge', LISTS.level, {empty: '– oförändrat –', hint: readinessHint}),
  ];
}

function capacityForm(b) {
  return [
    select(b, ['hospital'], 'Sjukhus', hospitalOptions),
    ...reportFields(b, [], {readinessHint: 'Lämna tomt för sjukhus i deltagande regioner'}),
    text(b, ['reason'], 'Orsak (visas i övningsloggen)', {long: true, max: 500, rows: 2}),
  ];
}

function readinessForm(b, inj) {
  const onHospital = inj.hospital !== undefined && inj.region === undefined;
  return [
    h('div', {class: 'fe-field fe-wide'}, ways('target', 'Gäller', [['region', 'En region'], ['hospital', 'Ett sjukhus']],
      onHospital ? 'hospital' : 'region', (v) => {
        if (v === 'hospital') { delete inj.region; inj.hospital = ''; } else { delete inj.hospital; inj.region = ''; }
        b.rebuild();
      })),
    onHospital ? select(b, ['hospital'], 'Sjukhus', hospitalOptions) : select(b, ['region'], 'Region', regionOptions,
      {hint: 'Bara en region som deltagarna inte spelar (motspel)'}),
    select(b, ['level'], 'Beredskapsläge', LISTS.level),
  ];
}

function decisionForm(b, inj) {
  const fields = DECISION_FIELDS[inj.decision] || [];
  const setDecision = (value) => {
    const want = DECISION_FIELDS[value] || [];
    only(inj, ['id', 'at', 'kind', 'decision', 'region', ...want]);
    for (const k of want) if (!(k in inj) && k in DECISION_DEFAULTS) inj[k] = structuredClone(DECISION_DEFAULTS[k]);
    b.rebuild();
  };
  const of = {
    hospital: () => select(b, ['hospital'], 'Sjukhus', () => hospitalOptions(inj.region), {empty: '– hela regionen –'}),
    reason: () => text(b, ['reason'], 'Motivering', {optional: true, long: true, max: 500, rows: 2}),
    hospitals: () => many(b, ['hospitals'], 'Mottagande sjukhus', hospitalOptions),
    incident: () => text(b, ['incident'], 'Gäller händelsen', {optional: true, max: 200}),
    judgement: () => select(b, ['judgement'], 'Bedömning', LISTS.judgement),
    icu_beds: () => int(b, ['icu_beds'], 'IVA-platser som behövs'),
    resource: () => select(b, ['resource'], 'Resurs', LISTS.resource),
    amount: () => int(b, ['amount'], 'Antal'),
    to_region: () => select(b, ['to_region'], 'Till region', regionOptions),
  };
  return [
    select(b, ['decision'], 'Beslut', LISTS.decision, {then: setDecision}),
    select(b, ['region'], 'Region (motspel)', regionOptions, {hint: 'En region som deltagarna inte spelar'}),
    ...fields.map((f) => of[f]()),
  ];
}

function transferForm(b) {
  return [
    select(b, ['from'], 'Från sjukhus', hospitalOptions),
    select(b, ['to'], 'Till sjukhus', hospitalOptions),
    counts(b, ['patients'], 'Patienter', PRIO, {labels: prioLabels}),
    int(b, ['burns'], 'Varav brännskadade P1'),
    int(b, ['transport_minutes'], 'Transporttid (minuter)'),
    select(b, ['mode'], 'Transportsätt', LISTS.mode, {absent: 'ambulance'}),
    text(b, ['reason'], 'Orsak (visas i övningsloggen)', {optional: true, long: true, max: 500, rows: 2}),
  ];
}

function transportForm(b) {
  return [
    select(b, ['region'], 'Region', regionOptions),
    counts(b, ['ambulances'], 'Ambulanser', ['available', 'committed'], {labels: {available: 'Lediga', committed: 'I uppdrag'}}),
    counts(b, ['helicopters'], 'Helikoptrar', ['available', 'committed'], {labels: {available: 'Lediga', committed: 'I uppdrag'}}),
  ];
}

function checkpointForm(b, inj, ctx) {
  const ev = inj.expect?.event;
  const exp = (k) => ['expect', k];
  const setEvent = (value) => {
    const region = inj.expect?.region;
    inj.expect = {event: value};
    if (value === 'region_readiness_set' || value === 'decision_recorded') { if (region) inj.expect.region = region; }
    if (value === 'decision_recorded') inj.expect.decision = 'receiving_hospitals';
    if (value === 'capacity_reported') inj.expect.hospitals = 'receiving';
    if (value === 'message_acknowledged') inj.expect.message = ctx.messageIds()[0] || '';
    b.rebuild();
  };
  const receiving = inj.expect?.hospitals === 'receiving';
  const byEvent = {
    region_readiness_set: () => [select(b, exp('region'), 'Region', regionOptions),
      select(b, exp('min_level'), 'Minst beredskapsläge', LISTS.level, {empty: '– vilket som helst –'})],
    capacity_reported: () => [
      h('div', {class: 'fe-field fe-wide'}, ways('hosp', 'Vilka sjukhus', [['receiving', 'De som fått patienter'],
        ['list', 'Valda sjukhus']], receiving ? 'receiving' : 'list', (v) => {
        b.set(exp('hospitals'), v === 'receiving' ? 'receiving' : []);
        b.rebuild();
      })),
      receiving ? null : many(b, exp('hospitals'), 'Sjukhus', hospitalOptions)],
    message_acknowledged: () => [select(b, exp('message'), 'Meddelandet (inspel)', () => ctx.messageIds().map((id) => [id, id])),
      many(b, exp('regions'), 'Regioner (tomt = alla mottagare)', regionOptions)],
    message_posted: () => [select(b, exp('from'), 'Från region', regionOptions, {empty: '– vilken som helst –'}),
      select(b, exp('message_kind'), 'Sort', LISTS.messageKind, {empty: '– vilken som helst –'})],
    decision_recorded: () => [select(b, exp('decision'), 'Beslut', LISTS.decision),
      select(b, exp('region'), 'Region', regionOptions, {empty: '– vilken som helst –'}),
      select(b, exp('hospital'), 'Sjukhus', () => hospitalOptions(inj.expect?.region), {empty: '– inget särskilt –'})],
  };
  return [
    int(b, ['within_minutes'], 'Inom (minuter)', {hint: 'Räknat från inspelets tid; tidigare räknas också'}),
    text(b, ['description'], 'Beskrivning (visas i utvärderingen)', {long: true, max: 500, rows: 2}),
    group(b, ['expect'], 'Förväntas', [
      select(b, exp('event'), 'Händelse', LISTS.expectEvent, {then: setEvent}),
      ...(byEvent[ev]?.() || []).filter(Boolean),
    ]),
  ];
}

const FORMS = {
  message: messageForm, casualty_wave: waveForm, capacity_change: capacityForm, readiness: readinessForm,
  decision: decisionForm, transfer: transferForm, transport: transportForm, checkpoint: checkpointForm,
};

/**
 * The form of an inject: `b` its binding (editor_widgets.js), `inj` the inject, `ctx`
 * {messageIds()}. An inject of a kind the editor does not know shows id and time only.
 */
export function injectForm(b, inj, ctx) {
  const body = FORMS[inj.kind]?.(b, inj, ctx) || [h('p', {class: 'fe-note'}, 'Okänd sorts inspel: bara id och tid kan ändras här.')];
  return h('div', {class: 'fe-grid'}, ...head(b), ...body);
}

// ---------------------------------------------------------------------------------------------
// Summaries for the timeline

const num = (v) => (Number.isFinite(Number(v)) ? Number(v) : 0);
const prioText = (c) => PRIO.filter((p) => num(c?.[p]) > 0).map((p) => `${num(c[p])} ${p}`).join(', ') || 'inga patienter';
const cut = (t, n = 90) => { const s = String(t ?? ''); return s.length > n ? `${s.slice(0, n - 1)}…` : s; };
const levelWord = (l) => READINESS[l]?.label || String(l ?? '');

/** The label of an inject's kind, and its icon. */
export function kindLabel(inj) {
  if (inj.kind === 'checkpoint') return INJECT_KINDS.target;
  return INJECT_KINDS[inj.kind] || {label: 'Okänt inspel', icon: '?'};
}

/** What an inject does, in one line of Swedish. */
export function injectSummary(inj) {
  switch (inj.kind) {
    case 'message': {
      const kind = MESSAGE_KINDS[inj.message_kind]?.label || 'Meddelande';
      const who = inj.sender ? SENDERS[inj.sender] || '' : 'Övningsledningen';
      const to = inj.to === 'all' ? 'alla' : Array.isArray(inj.to) ? inj.to.map(regionName).join(', ') : '';
      const body = inj.message_kind === 'methane' ? cut(inj.methane?.exact_location || inj.methane?.type || '') : cut(inj.text);
      return `${kind} från ${who}${inj.from ? ` (${regionName(inj.from)})` : ''} till ${to || '–'}${body ? `: ${body}` : ''}`;
    }
    case 'casualty_wave': {
      const dead = num(inj.casualties?.deceased);
      const how = inj.dispatch === 'on_decision' ? 'väntar på beslut' : inj.distribution === 'suggest' ? 'fördelning föreslås'
        : Array.isArray(inj.distribution) ? `till ${inj.distribution.map((d) => hospitalName(d.hospital)).join(', ')}` : '';
      return `${inj.location || 'Skadeplats?'}: ${prioText(inj.casualties)}${dead ? `, ${dead} döda` : ''}${how ? ` – ${how}` : ''}`;
    }
    case 'capacity_change': return `${hospitalName(inj.hospital) || 'Sjukhus?'}${inj.reason ? `: ${cut(inj.reason)}` : ''}`;
    case 'readiness': return `${inj.region ? regionName(inj.region) : hospitalName(inj.hospital) || '?'} → ${levelWord(inj.level)}`;
    case 'decision': return `${DECISION_KINDS[inj.decision] || 'Beslut'} – ${regionName(inj.region) || 'region?'}`;
    case 'transfer': return `${hospitalName(inj.from) || '?'} → ${hospitalName(inj.to) || '?'}: ${prioText(inj.patients)}` +
      `${inj.mode === 'helicopter' ? ' med helikopter' : ''}`;
    case 'transport': return `${regionName(inj.region) || 'Region?'}: ambulanser ${num(inj.ambulances?.available)} lediga, ` +
      `${num(inj.ambulances?.committed)} i uppdrag`;
    case 'checkpoint': return `${cut(inj.description) || 'Kontrollpunkt'} (inom ${num(inj.within_minutes)} min)`;
    default: return String(inj.kind ?? '');
  }
}

