// Lägesbild — the TiB page's secondary transports (sekundärtransport, protocol.md
// "transfer_patients"; exercises only, hidden in live operation): patients a hospital of the region
// has received are moved to any hospital — P1/P2/P3, how many of the P1 are burned, transport
// minutes, ambulance or helicopter, an optional reason. An admin or a trainer may move from any
// hospital.
// Checked before sending against what the hospital has received; saved only on the durable `ack`.
// Below the form: the secondary transports of the region still on their way (exercise_info).

import {
  PROTOCOL_VERSION, PRIORITIES, PRIORITY_LABELS, TRANSPORT_MODES, h, setText, timeHM, timeWithDay, commandId,
  refusalWords, shortRegionName,
} from './common.js';
import {showResult} from './session.js';
import {resultIn} from './connection.js';
import {casualtiesOf} from './board_card.js';
import {roleWord} from './roles.js';
import {sceneOf} from './scene.js';

const MAX_MINUTES = 600;
const MAX_REASON = 500;
const SLOW_TEXT = 'Skickar… inget svar från servern ännu. Kontrollera lägesbilden innan du skickar igen.';

const $ = (id) => document.getElementById(id);

const numberField = (name, label, hint = '') => h('div', {class: 'field tf-field'},
  h('label', {for: `tf-${name}`}, PRIORITIES.includes(name) ? h('span', {class: `chip ${name.toLowerCase()}`, 'aria-hidden': 'true'}) : null,
    PRIORITIES.includes(name) ? ' ' : null, label, hint ? h('span', {class: 'opt'}, ` ${hint}`) : null),
  h('input', {type: 'text', id: `tf-${name}`, name, inputmode: 'numeric', pattern: '[0-9]*', autocomplete: 'off',
    class: 'num-input'}),
  h('span', {class: 'err', dataset: {err: name}}));

/** The secondary transport card of `page` (see tib.js) in #transfer-card. Returns {render, tick}. */
export function createTransfer(page) {
  const {model, tracker} = page;
  const received = h('div', {class: 'tf-received', id: 'tf-received', 'aria-live': 'polite'});
  const result = h('div', {class: 'result', id: 'transfer-result', role: 'status', 'aria-live': 'polite'});
  const button = h('button', {type: 'button', class: 'btn btn-primary', id: 'send-transfer'}, 'Skicka sekundärtransport');
  const form = h('form', {id: 'transfer-form', class: 'tf-form', novalidate: true, autocomplete: 'off'},
    h('div', {class: 'tf-row'},
      h('div', {class: 'field'}, h('label', {for: 'tf-from'}, 'Från sjukhus'), h('select', {id: 'tf-from', name: 'from'}),
        h('span', {class: 'err', dataset: {err: 'from'}}), received),
      h('div', {class: 'field'}, h('label', {for: 'tf-to'}, 'Till sjukhus'), h('select', {id: 'tf-to', name: 'to'}),
        h('span', {class: 'err', dataset: {err: 'to'}}))),
    h('div', {class: 'tf-row tf-counts'},
      ...PRIORITIES.map((p) => numberField(p, p, PRIORITY_LABELS[p].long.replace(/^Prio \d /, ''))),
      numberField('burns', 'Varav brännskadade', '(av P1)'),
      numberField('transport_minutes', 'Transporttid, min')),
    h('fieldset', {class: 'd-choices tf-mode'}, h('legend', {}, 'Transportsätt'),
      ...Object.entries(TRANSPORT_MODES).map(([mode, m]) => h('label', {class: 'd-choice'},
        h('input', {type: 'radio', name: 'mode', value: mode, checked: mode === 'ambulance'}), m.label))),
    h('div', {class: 'field d-reason'},
      h('label', {for: 'tf-reason'}, 'Motivering ', h('span', {class: 'opt'}, '(frivillig, högst 500 tecken)')),
      h('textarea', {id: 'tf-reason', name: 'reason', rows: 2, maxlength: MAX_REASON}),
      h('span', {class: 'err', dataset: {err: 'reason'}})),
    h('div', {class: 'actions'}, button, result));
  const onTheWay = h('ul', {class: 'tf-on-the-way', id: 'transfers-on-the-way'});
  $('transfer').replaceChildren(form, h('h3', {class: 'sub-title'}, 'Sekundärtransporter på väg'), onTheWay,
    h('p', {class: 'side-empty', id: 'transfers-empty'}, 'Inga sekundärtransporter på väg.'));
  const el = form.elements;

  const allRegions = () => page.forAllRegions();  // an admin or a trainer
  const hospitalName = (id) => model.hospital(id)?.name || id;

  /** Refills a select with [value, text] options grouped per region; the choice stays when it can. */
  function fill(select, groups) {
    const key = JSON.stringify(groups);
    if (select.dataset.key === key) return;
    const keep = select.value;
    select.dataset.key = key;
    select.replaceChildren(h('option', {value: ''}, 'Välj sjukhus…'), ...groups.map(([label, options]) =>
      h('optgroup', {label}, ...options.map(([value, text]) => h('option', {value}, text)))));
    if (groups.some(([, options]) => options.some(([v]) => v === keep))) select.value = keep;
  }

  /** The region's own hospitals first, then the rest of the healthcare region. */
  function groupsOf(regionIds) {
    const regions = [...model.regions].filter((r) => regionIds.includes(r.id))
      .sort((a, b) => (b.id === page.region) - (a.id === page.region));
    return regions.map((r) => [shortRegionName(r.name), model.hospitalsOf(r.id).map((x) => [x.id, x.name])]);
  }

  function renderReceived() {
    const hosp = model.hospital(el.from.value);
    if (!hosp) { setText(received, ''); return; }
    const c = casualtiesOf(hosp);
    setText(received, `Mottagna på ${hosp.name}: ${PRIORITIES.map((p) => `${p} ${c.received[p]}`).join(' · ')}`);
  }

  function renderOnTheWay() {
    const s = sceneOf(model.exerciseInfo, model.elapsed());
    const own = new Set(model.hospitalsOf(page.region).map((x) => x.id));
    const shown = s.transfers.filter((t) => t.hospital && (allRegions() || own.has(t.from) || own.has(t.hospital)));
    const start = Date.parse(model.exerciseInfo?.start);
    const now = model.now();
    onTheWay.replaceChildren(...shown.map((t) => h('li', {class: 'tf-entry', dataset: {transfer: t.wave, hospital: t.hospital}},
      h('b', {}, `${t.count} ${t.priority}${t.burns ? ` (varav ${t.burns} brännskadade)` : ''}`),
      ` ${t.from ? hospitalName(t.from) : ''} → ${hospitalName(t.hospital)}`,
      Number.isFinite(start) && Number.isFinite(t.arrivesMs) ? `, framme ${timeWithDay(start + t.arrivesMs, now)}` : '')));
    $('transfers-empty').hidden = shown.length > 0;
  }

  function render() {
    const exercise = page.space !== 'live' && model.exercise;
    $('transfer-card').hidden = !exercise;
    if (!exercise) return;
    const all = model.regions.map((r) => r.id);
    fill(el.from, groupsOf(allRegions() ? all : [page.region]));
    fill(el.to, groupsOf(all));
    for (const o of el.to.querySelectorAll('option')) o.disabled = !!o.value && o.value === el.from.value;
    renderReceived();
    renderOnTheWay();
    setText($('transfer-scope'), allRegions()
      ? `Som ${roleWord(page.session.user.role)} kan du flytta patienter från vilket sjukhus som helst.`
      : `Flytta patienter som ett sjukhus i ${model.region(page.region)?.name || 'regionen'} tagit emot till ett annat sjukhus.`);
    sync();
  }

  function sync() {
    const writable = page.canWrite(page.region) && !page.session.signing;
    for (const c of form.querySelectorAll('input, select, textarea')) c.disabled = !writable;
    button.disabled = !writable || tracker.busy('transfer');
  }

  function clearErrors() {
    for (const e of form.querySelectorAll('.err')) e.textContent = '';
    for (const e of form.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
  }

  function bad(name, text) {
    setText(form.querySelector(`[data-err="${name}"]`), text);
    (el[name]?.setAttribute ? el[name] : null)?.setAttribute('aria-invalid', 'true');
  }

  /** A count field: a number 0…max, '' as 0; null (marked) when wrong. */
  function countOf(name, max, maxText) {
    const s = el[name].value.trim();
    if (s === '') return 0;
    if (!/^\d+$/.test(s)) { bad(name, 'Ange ett heltal, 0 eller mer.'); return null; }
    const n = Number(s);
    if (n > max) { bad(name, maxText); return null; }
    return n;
  }

  function command() {
    let ok = true;
    const from = el.from.value, to = el.to.value;
    if (!from) { bad('from', 'Välj sjukhuset patienterna lämnar.'); ok = false; }
    if (!to) { bad('to', 'Välj sjukhuset de ska till.'); ok = false; }
    if (from && from === to) { bad('to', 'Välj ett annat sjukhus än det de lämnar.'); ok = false; }
    const c = casualtiesOf(model.hospital(from));
    const patients = {};
    for (const p of PRIORITIES) {
      const n = countOf(p, from ? c.received[p] : 100000, `Sjukhuset har tagit emot ${c.received[p]} ${p}.`);
      if (n === null) ok = false;
      else if (n > 0) patients[p] = n;
    }
    if (ok && !Object.keys(patients).length) { bad('P1', 'Ange hur många patienter som ska flyttas.'); ok = false; }
    const burns = countOf('burns', patients.P1 || 0, `Högst så många som P1 (${patients.P1 || 0}).`);
    if (burns === null) ok = false;
    const minutesText = el.transport_minutes.value.trim();
    const minutes = minutesText === '' ? null : countOf('transport_minutes', MAX_MINUTES, `Högst ${MAX_MINUTES} min.`);
    if (minutesText === '') { bad('transport_minutes', 'Ange transporttiden i minuter.'); ok = false; }
    if (minutes === null) ok = false;
    const reason = el.reason.value.trim();
    if (reason.length > MAX_REASON) { bad('reason', `Högst ${MAX_REASON} tecken (nu ${reason.length}).`); ok = false; }
    if (!ok) return null;
    const mode = form.querySelector('input[name="mode"]:checked')?.value || 'ambulance';
    return {v: PROTOCOL_VERSION, type: 'transfer_patients', id: commandId('t'), space: page.space, from, to, patients,
      burns, transport_minutes: minutes, mode, ...(reason ? {reason} : {})};
  }

  function send() {
    if (tracker.busy('transfer')) return;
    clearErrors();
    const cmd = command();
    if (!cmd) { showResult(result, 'error', 'Inte skickat – rätta det markerade.'); return; }
    const show = resultIn(result, ({state, answer}) => {
      if (state === 'ok') {
        showResult(result, 'ok', `Sparat (nr ${answer.seq}) ${timeHM(model.now())}${answer.already ? ' · redan sparat' : ''}: ${Object.entries(cmd.patients)
          .map(([p, n]) => `${n} ${p}`).join(', ')} till ${hospitalName(cmd.to)}`);
        for (const name of [...PRIORITIES, 'burns', 'reason']) el[name].value = '';
      } else {
        showResult(result, 'error', `Inte sparat: ${refusalWords(answer, page.errorText)}`);
        const f = String(answer.field || '').split('.');
        const name = f[0] === 'patients' ? f[1] : f[0];
        if (el[name]?.setAttribute) el[name].setAttribute('aria-invalid', 'true');
      }
    }, {slowText: SLOW_TEXT});
    tracker.send(cmd, {kind: 'transfer', onResult: (r, entry) => { show(r, entry); sync(); }});
    sync();
  }

  form.addEventListener('submit', (ev) => ev.preventDefault());
  button.addEventListener('click', send);
  el.from.addEventListener('change', () => { clearErrors(); render(); });
  form.addEventListener('input', () => { if (!tracker.busy('transfer')) clearErrors(); });

  return {render, tick: () => { if (model.have && model.exercise) renderOnTheWay(); }};
}
