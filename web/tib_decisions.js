// Lägesbild — the TiB page's decisions (beslut, protocol.md "record_decision — beslut") for the
// region shown: declare or stand down allvarlig händelse (the region's or one hospital's), decide
// the receiving hospitals (of the whole healthcare region, for one of the larm messages or none),
// judge the region's own capacity, estimate the IVA need, report a kapacitetsbrist, and ask another
// region for support or offer it. Every form has an optional "Motivering". A decision shows as
// saved only when its durable `ack` arrives (the command tracker); the region's newest decisions
// and its allvarlig händelse state are shown above the forms.

import {
  PROTOCOL_VERSION, JUDGEMENTS, JUDGEMENT_ORDER, RESOURCES, RESOURCE_ORDER, MESSAGE_KINDS, h, setText, timeHM,
  timeWithDay, parseTime, ageText, commandId, refusalWords, shortRegionName,
} from './common.js';
import {majorIncidentOf} from './client_model.js';
import {decisionText} from './summaries.js';
import {showResult} from './session.js';
import {resultIn} from './connection.js';
import {addressees, pendingOf} from './message_log.js';

const MAX_REASON = 500;
const MAX_AMOUNT = 100000;
const MAX_RECEIVING = 20;
const RECENT = 6;
const SLOW_TEXT = 'Skickar… inget svar från servern ännu. Kontrollera loggen innan du skickar igen.';

const $ = (id) => document.getElementById(id);

/** A whole number 0…MAX_AMOUNT from a field: {value} or {error}. */
function parseAmount(raw, min) {
  const s = String(raw).trim();
  if (s === '') return {error: 'Ange ett antal.'};
  if (!/^\d+$/.test(s)) return {error: 'Ange ett heltal, utan decimaler eller minustecken.'};
  const n = Number(s);
  if (n < min) return {error: `Minst ${min}.`};
  if (n > MAX_AMOUNT) return {error: `Orimligt stort tal (högst ${MAX_AMOUNT}).`};
  return {value: n};
}

const reasonField = (key) => h('div', {class: 'field d-reason'},
  h('label', {for: `d-${key}-reason`}, 'Motivering ', h('span', {class: 'opt'}, '(frivillig, högst 500 tecken)')),
  h('textarea', {id: `d-${key}-reason`, name: 'reason', rows: 2, maxlength: MAX_REASON}),
  h('span', {class: 'err', dataset: {err: 'reason'}}));

const scopeField = (key, label) => h('div', {class: 'field'},
  h('label', {for: `d-${key}-scope`}, label),
  h('select', {id: `d-${key}-scope`, name: 'scope', class: 'd-scope'}));

const resourceSelect = (key) => h('div', {class: 'field'},
  h('label', {for: `d-${key}-resource`}, 'Resurs'),
  h('select', {id: `d-${key}-resource`, name: 'resource'},
    ...RESOURCE_ORDER.map((r) => h('option', {value: r}, RESOURCES[r].label))));

const amountField = (key, label, min) => h('div', {class: 'field'},
  h('label', {for: `d-${key}-amount`}, label),
  h('input', {type: 'text', id: `d-${key}-amount`, name: 'amount', inputmode: 'numeric', pattern: '[0-9]*',
    autocomplete: 'off', class: 'num-input d-amount', dataset: {min: String(min)}}),
  h('span', {class: 'err', dataset: {err: 'amount'}}));

/** One decision form: a card with its fields, buttons and the result line. */
function decisionForm(key, title, hint, fields, buttons) {
  const result = h('div', {class: 'result', role: 'status', 'aria-live': 'polite', dataset: {result: key}});
  const form = h('form', {class: 'd-form edge-card', id: `d-${key}`, novalidate: true, autocomplete: 'off',
    dataset: {form: key}},
  h('h3', {class: 'd-title'}, title),
  hint ? h('p', {class: 't-hint'}, hint) : null,
  ...fields,
  reasonField(key),
  h('div', {class: 'actions'}, ...buttons, result));
  return {form, result};
}

const button = (action, text, cls = 'btn-primary') =>
  h('button', {type: 'button', class: `btn ${cls} d-btn`, dataset: {action}}, text);

/** The decisions section of `page` (see tib.js). Returns {render, tick}. */
export function createDecisions(page) {
  const {model, log, tracker} = page;
  const forms = {};

  forms.major = decisionForm('major', 'Allvarlig händelse',
    'Utlös när regionen (eller ett sjukhus) går upp i allvarlig händelse; avblås när den är över.',
    [scopeField('major', 'Gäller')],
    [button('declare', 'Utlös allvarlig händelse', 'btn-danger'), button('stand-down', 'Avblås', 'btn-secondary')]);

  const hospitalBoxes = h('div', {class: 'd-hospitals'});
  forms.receiving = decisionForm('receiving', 'Mottagande sjukhus',
    'Välj de sjukhus som ska ta emot patienter – i hela sjukvårdsregionen.',
    [h('fieldset', {class: 'd-hospital-field'}, h('legend', {}, 'Sjukhus'), hospitalBoxes,
      h('span', {class: 'err', dataset: {err: 'hospitals'}})),
    h('div', {class: 'field'}, h('label', {for: 'd-receiving-incident'}, 'Gäller larm ', h('span', {class: 'opt'}, '(frivilligt)')),
      h('select', {id: 'd-receiving-incident', name: 'incident'}))],
    [button('receiving', 'Besluta mottagande sjukhus')]);

  forms.judgement = decisionForm('judgement', 'Egen kapacitet', 'Räcker regionens (eller sjukhusets) egen kapacitet?',
    [scopeField('judgement', 'Gäller'),
      h('fieldset', {class: 'd-choices'}, h('legend', {}, 'Bedömning'),
        ...JUDGEMENT_ORDER.map((j) => h('label', {class: `d-choice j-${j}`},
          h('input', {type: 'radio', name: 'judgement', value: j}),
          h('span', {class: 'd-choice-icon', 'aria-hidden': 'true'}, JUDGEMENTS[j].icon), JUDGEMENTS[j].label)),
        h('span', {class: 'err', dataset: {err: 'judgement'}}))],
    [button('judgement', 'Spara bedömningen')]);

  forms.icu = decisionForm('icu', 'Uppskattat IVA-behov', 'Hur många IVA-platser behövs för de skadade?',
    [scopeField('icu', 'Gäller'), amountField('icu', 'IVA-platser som behövs', 0)],
    [button('icu', 'Spara IVA-behovet')]);

  forms.shortage = decisionForm('shortage', 'Kapacitetsbrist', 'Hur många saknas? 0 = ingen brist.',
    [scopeField('shortage', 'Gäller'), resourceSelect('shortage'), amountField('shortage', 'Antal som saknas', 0)],
    [button('shortage', 'Rapportera kapacitetsbrist'), button('no-shortage', 'Ingen brist', 'btn-secondary')]);

  forms.support = decisionForm('support', 'Stöd från eller till annan region', '',
    [h('fieldset', {class: 'd-choices'}, h('legend', {}, 'Vad'),
      h('label', {class: 'd-choice'}, h('input', {type: 'radio', name: 'direction', value: 'support_request', checked: true}),
        'Begär stöd av'),
      h('label', {class: 'd-choice'}, h('input', {type: 'radio', name: 'direction', value: 'support_offer'}),
        'Erbjud stöd till')),
    h('div', {class: 'field'}, h('label', {for: 'd-support-to'}, 'Region'),
      h('select', {id: 'd-support-to', name: 'to_region'}), h('span', {class: 'err', dataset: {err: 'to_region'}})),
    resourceSelect('support'), amountField('support', 'Antal', 1)],
    [button('support', 'Skicka')]);

  const status = h('div', {class: 'd-status', id: 'major-incident-status', role: 'status', 'aria-live': 'polite'});
  const recent = h('ol', {class: 'd-recent', id: 'region-decisions'});
  $('decisions').replaceChildren(
    status,
    h('div', {class: 'd-grid write-only'}, ...Object.values(forms).map((f) => f.form)),
    h('h3', {class: 'sub-title'}, 'Regionens senaste beslut'),
    recent,
    h('p', {class: 'side-empty', id: 'region-decisions-empty'}, 'Inga beslut ännu.'));

  const el = (key) => forms[key].form.elements;

  // -------------------------------------------------------------------------------------------
  // Options that follow the state: scopes, hospitals, larm messages, other regions

  const regionName = (id) => model.region(id)?.name || id;
  const hospitalName = (id) => model.hospital(id)?.name || id;

  /** Refills a select when its options change; the choice stays when it is still there. */
  function fill(select, options) {
    const key = JSON.stringify(options);
    if (select.dataset.key === key) return;
    const keep = select.value;
    select.dataset.key = key;
    select.replaceChildren(...options.map(([value, text]) => h('option', {value}, text)));
    if (options.some(([v]) => v === keep)) select.value = keep;
  }

  function fillScopes() {
    const region = model.region(page.region);
    const own = region ? [['', `Hela ${region.name}`]] : [];
    const hospitals = model.hospitalsOf(page.region).map((x) => [x.id, x.name]);
    for (const key of ['major', 'judgement', 'icu']) fill(el(key).scope, [...own, ...hospitals]);
    fill(el('shortage').scope, [...hospitals, ...own]);  // a shortage is mostly a hospital's
    fill(el('support').to_region, [['', 'Välj region…'],
      ...model.regions.filter((r) => r.id !== page.region).map((r) => [r.id, r.name])]);
  }

  function fillHospitals() {
    // The region's own hospitals first, then the rest of the healthcare region.
    const regions = [...model.regions].sort((a, b) => (b.id === page.region) - (a.id === page.region));
    const key = JSON.stringify(regions.map((r) => [r.id, r.name, model.hospitalsOf(r.id).map((x) => [x.id, x.name])]));
    if (hospitalBoxes.dataset.key === key) return;
    const checked = new Set([...hospitalBoxes.querySelectorAll('input:checked')].map((x) => x.value));
    hospitalBoxes.dataset.key = key;
    hospitalBoxes.replaceChildren(...regions.map((r) => h('div', {class: 'd-hgroup', dataset: {group: r.id}},
      h('div', {class: 'd-hgroup-name'}, shortRegionName(r.name)),
      ...model.hospitalsOf(r.id).map((x) => h('label', {class: 'check'},
        h('input', {type: 'checkbox', name: 'hospitals', value: x.id, checked: checked.has(x.id)}), ` ${x.name}`)))));
  }

  /** The larm messages a receiving decision may be for: to the region (an admin, a trainer: all), newest first. */
  function fillIncidents() {
    const allRegions = page.forAllRegions();
    const alerts = log.list.filter((m) => m.kind === 'alert' &&
      (allRegions || addressees(m, model.regions).includes(page.region)))
      .sort((a, b) => (b.seq || 0) - (a.seq || 0)).slice(0, 20);
    const now = model.now();
    fill(el('receiving').incident, [['', 'Inget särskilt larm'], ...alerts.map((m) => {
      const t = parseTime(m.at);
      const text = String(m.text || '').slice(0, 60);
      return [m.id, `${MESSAGE_KINDS.alert.label} ${Number.isFinite(t) ? timeWithDay(t, now) : ''}` +
        `${pendingOf(m).length ? ' (okvitterat)' : ''}${text ? ` – ${text}` : ''}`];
    })]);
  }

  // -------------------------------------------------------------------------------------------
  // What is decided: allvarlig händelse now, the region's newest decisions

  const names = {region: regionName, hospital: hospitalName, incident: (id) => incidentWords(id)};
  function incidentWords(id) {
    const m = log.list.find((x) => x.id === id);
    if (!m) return undefined;
    const t = parseTime(m.at);
    return `${(MESSAGE_KINDS[m.kind]?.label || 'meddelande').toLowerCase()}${Number.isFinite(t) ? ` ${timeHM(t)}` : ''}`;
  }

  function renderStatus() {
    const region = model.region(page.region);
    const declared = [region, ...model.hospitalsOf(page.region)].filter((x) => x && majorIncidentOf(x) === true);
    status.dataset.majorIncident = declared.length ? 'true' : 'false';
    const regionOn = region && majorIncidentOf(region) === true;
    const now = model.now();
    const when = (rec) => {
      const t = parseTime(rec.major_incident?.reported_at);
      return Number.isFinite(t) ? ` sedan ${timeWithDay(t, now)}${rec.major_incident.reported_by ? ` (${rec.major_incident.reported_by})` : ''}` : '';
    };
    if (!declared.length) {
      status.replaceChildren(h('span', {class: 'd-status-text'}, region
        ? `Ingen allvarlig händelse utlöst i ${region.name}.` : ''));
      return;
    }
    status.replaceChildren(...[
      h('span', {class: 'mi-flag'}, h('span', {'aria-hidden': 'true'}, '⚠ '), 'ALLVARLIG HÄNDELSE'),
      h('span', {class: 'd-status-text'}, declared.map((x) => `${x.name}${when(x)}`).join(' · ')),
      regionOn ? null : h('span', {class: 't-hint'}, '(utlöst av sjukhus, inte av regionen)')].filter(Boolean));
  }

  function renderRecent() {
    const mine = model.decisions.filter((d) => d.region === page.region).slice(-RECENT).reverse();
    const now = model.now();
    recent.replaceChildren(...mine.map((d) => {
      const t = parseTime(d.at);
      return h('li', {class: 'd-entry', dataset: {seq: String(d.seq ?? ''), decision: d.decision || ''}},
        h('span', {class: 'd-when'}, Number.isFinite(t) ? `${timeWithDay(t, now)} · ${ageText(now - t)}` : ''),
        h('span', {class: 'd-what'}, decisionText(d, names)),
        h('span', {class: 'd-who'}, d.actor_kind === 'scenario' ? 'Motspel' : d.by ? `av ${d.by}` : ''),
        d.reason ? h('span', {class: 'd-why'}, `Motivering: ${d.reason}`) : null);
    }));
    $('region-decisions-empty').hidden = mine.length > 0;
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  function clearErrors(form) {
    for (const e of form.querySelectorAll('.err')) e.textContent = '';
    for (const e of form.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
  }

  function bad(form, name, text, ctl) {
    setText(form.querySelector(`[data-err="${name}"]`) || form.querySelector('[data-err="reason"]'), text);
    ctl?.setAttribute('aria-invalid', 'true');
  }

  /** The command for form `key` with `fields`, or null (the faulty fields marked). */
  function command(key, decision, fields) {
    const form = forms[key].form;
    const cmd = {v: PROTOCOL_VERSION, type: 'record_decision', id: commandId('d'), space: page.space,
      decision, region: page.region, ...fields};
    const reason = form.elements.reason.value.trim();
    if (reason.length > MAX_REASON) {
      bad(form, 'reason', `Högst ${MAX_REASON} tecken (nu ${reason.length}).`, form.elements.reason);
      return null;
    }
    if (reason) cmd.reason = reason;
    return cmd;
  }

  function scoped(key) {
    const hospital = el(key).scope.value;
    return hospital ? {hospital} : {};
  }

  function amountOf(key) {
    const ctl = el(key).amount;
    const p = parseAmount(ctl.value, Number(ctl.dataset.min));
    if (p.error) bad(forms[key].form, 'amount', p.error, ctl);
    return p.error ? null : p.value;
  }

  function send(key, cmd, {onSaved = () => {}} = {}) {
    if (!cmd) {
      showResult(forms[key].result, 'error', 'Inte skickat – rätta det markerade.');
      return;
    }
    const {result, form} = forms[key];
    const show = resultIn(result, ({state, answer}) => {
      if (state === 'ok') {
        showResult(result, 'ok', `Sparat (nr ${answer.seq}) ${timeHM(model.now())}${answer.already ? ' · redan sparat' : ''}`);
        form.elements.reason.value = '';
        onSaved();
      } else {
        showResult(result, 'error', `Inte sparat: ${refusalWords(answer, page.errorText)}`);
        const f = String(answer.field || '').split('.')[0];
        const ctl = form.elements[f === 'hospital' ? 'scope' : f];
        if (ctl && ctl.setAttribute) ctl.setAttribute('aria-invalid', 'true');
      }
    }, {slowText: SLOW_TEXT});
    tracker.send(cmd, {kind: `decision-${key}`, onResult: (r, entry) => { show(r, entry); sync(); }});
  }

  const actions = {
    declare: () => send('major', command('major', 'major_incident_declared', scoped('major'))),
    'stand-down': () => send('major', command('major', 'major_incident_stood_down', scoped('major'))),
    receiving: () => {
      const form = forms.receiving.form;
      const hospitals = [...form.querySelectorAll('input[name="hospitals"]:checked')].map((x) => x.value);
      let cmd = null;
      if (!hospitals.length) bad(form, 'hospitals', 'Välj minst ett sjukhus.');
      else if (hospitals.length > MAX_RECEIVING) bad(form, 'hospitals', `Högst ${MAX_RECEIVING} sjukhus (nu ${hospitals.length}).`);
      else {
        const incident = form.elements.incident.value;
        cmd = command('receiving', 'receiving_hospitals', {hospitals, ...(incident ? {incident} : {})});
      }
      send('receiving', cmd, {onSaved: () => {
        for (const x of form.querySelectorAll('input[name="hospitals"]')) x.checked = false;
      }});
    },
    judgement: () => {
      const form = forms.judgement.form;
      const judgement = form.querySelector('input[name="judgement"]:checked')?.value;
      if (!judgement) bad(form, 'judgement', 'Välj Räcker, Ansträngd eller Räcker inte.');
      send('judgement', judgement ? command('judgement', 'capacity_judgement', {...scoped('judgement'), judgement}) : null);
    },
    icu: () => {
      const n = amountOf('icu');
      send('icu', n === null ? null : command('icu', 'icu_need', {...scoped('icu'), icu_beds: n}),
        {onSaved: () => { el('icu').amount.value = ''; }});
    },
    shortage: () => {
      const n = amountOf('shortage');
      send('shortage', n === null ? null
        : command('shortage', 'capacity_shortage', {...scoped('shortage'), resource: el('shortage').resource.value, amount: n}),
      {onSaved: () => { el('shortage').amount.value = ''; }});
    },
    'no-shortage': () => send('shortage',
      command('shortage', 'capacity_shortage', {...scoped('shortage'), resource: el('shortage').resource.value, amount: 0})),
    support: () => {
      const form = forms.support.form;
      const to = form.elements.to_region.value;
      if (!to) bad(form, 'to_region', 'Välj vilken region.', form.elements.to_region);
      const n = amountOf('support');
      const decision = form.querySelector('input[name="direction"]:checked')?.value || 'support_request';
      send('support', !to || n === null ? null
        : command('support', decision, {to_region: to, resource: form.elements.resource.value, amount: n}),
      {onSaved: () => { form.elements.amount.value = ''; }});
    },
  };

  for (const [key, {form}] of Object.entries(forms)) {
    form.addEventListener('submit', (ev) => ev.preventDefault());
    form.addEventListener('input', () => { if (!tracker.busy(`decision-${key}`)) clearErrors(form); });
    for (const b of form.querySelectorAll('button[data-action]')) {
      b.addEventListener('click', () => {
        clearErrors(form);
        actions[b.dataset.action]();
      });
    }
  }
  forms.support.form.addEventListener('change', () => {
    const offer = forms.support.form.querySelector('input[name="direction"]:checked')?.value === 'support_offer';
    setText(forms.support.form.querySelector('button[data-action="support"]'), offer ? 'Skicka erbjudandet' : 'Skicka begäran');
  });
  setText(forms.support.form.querySelector('button[data-action="support"]'), 'Skicka begäran');

  /** Buttons follow who may write and what is on its way. */
  function sync() {
    const writable = page.canWrite(page.region) && !page.session.signing;
    for (const [key, {form}] of Object.entries(forms)) {
      const busy = tracker.busy(`decision-${key}`);
      for (const b of form.querySelectorAll('button[data-action]')) b.disabled = !writable || busy;
      for (const c of form.querySelectorAll('input, select, textarea')) c.disabled = !writable;
    }
  }

  return {
    render() {
      if (!model.have) return;
      fillScopes();
      fillHospitals();
      fillIncidents();
      renderStatus();
      renderRecent();
      const region = model.region(page.region);
      setText($('decisions-scope'), region ? `Beslut för ${region.name}. Varje beslut loggas med tid och vem som fattade det.` : '');
      sync();
    },
    /** Ages of what is shown. */
    tick() { if (model.have) renderRecent(); },
  };
}
