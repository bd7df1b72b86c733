// Lägesbild — the TiB page's ambulances and helicopters for the region shown (protocol.md
// "report_transport"): available and committed, any subset, with what was last reported, when and
// by whom, flagged when older than the limit of the region's readiness level. The inputs follow
// the reported figures until the user changes one; "Rapportera" sends what is filled in (unchanged
// figures too: they are then reported again as still true). Saved only on the durable `ack`.

import {PROTOCOL_VERSION, h, setText, timeHM, commandId, refusalWords} from './common.js';
import {showResult} from './session.js';
import {resultIn} from './connection.js';
import {TRANSPORT_KINDS, transportOf} from './transport.js';

const MAX_VALUE = 100000;
const FIELDS = [['available', 'Lediga'], ['committed', 'I uppdrag']];
const SLOW_TEXT = 'Skickar… inget svar från servern ännu. Kontrollera läget innan du skickar igen.';

const $ = (id) => document.getElementById(id);

/** The ambulance form of `page` (see tib.js) in #transport. Returns {render, tick}. */
export function createTransport(page) {
  const {model, tracker} = page;
  const inputs = {};   // "ambulances.available" → input
  const now = {};      // kind → the line saying what is reported
  const rows = TRANSPORT_KINDS.map((k) => {
    now[k.key] = h('div', {class: 'tp-now', dataset: {transportNow: k.key}});
    return h('fieldset', {class: 'tp-kind', dataset: {transportKind: k.key}}, h('legend', {}, k.label),
      ...FIELDS.map(([f, label]) => {
        const id = `tp-${k.key}-${f}`;
        inputs[`${k.key}.${f}`] = h('input', {type: 'text', id, name: `${k.key}.${f}`, inputmode: 'numeric',
          pattern: '[0-9]*', autocomplete: 'off', class: 'num-input', enterkeyhint: 'send',
          dataset: {server: '', dirty: 'false'}});
        return h('div', {class: 'field tp-field'}, h('label', {for: id}, label), inputs[`${k.key}.${f}`],
          h('span', {class: 'err', dataset: {err: `${k.key}.${f}`}}));
      }),
      now[k.key]);
  });
  const button = h('button', {type: 'button', class: 'btn btn-primary', id: 'send-transport'}, 'Rapportera');
  const result = h('div', {class: 'result', id: 'transport-result', role: 'status', 'aria-live': 'polite'});
  const form = h('form', {id: 'transport-form', class: 'tp-form', novalidate: true, autocomplete: 'off'},
    h('div', {class: 'tp-kinds'}, ...rows), h('div', {class: 'actions write-only'}, button, result));
  $('transport').replaceChildren(form);
  let shownRegion = '';

  form.addEventListener('submit', (ev) => { ev.preventDefault(); send(); });
  button.addEventListener('click', send);
  for (const input of Object.values(inputs)) {
    input.addEventListener('input', () => {
      input.dataset.dirty = input.value !== input.dataset.server ? 'true' : 'false';
      input.removeAttribute('aria-invalid');
      setText(form.querySelector(`[data-err="${input.name}"]`), '');
    });
    input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); send(); } });
  }

  function render() {
    const region = model.region(page.region);
    if (!region) return;
    const t = transportOf(region, model.now(), model.state.staleness || {});
    const byKind = new Map(t.kinds.map((k) => [k.key, k]));
    const changedRegion = shownRegion !== page.region;
    shownRegion = page.region;
    for (const k of TRANSPORT_KINDS) {
      const rec = region.transport?.[k.key] || {};
      for (const [f] of FIELDS) {
        const input = inputs[`${k.key}.${f}`];
        const v = rec[f] === null || rec[f] === undefined ? '' : String(rec[f]);
        if (changedRegion || input.dataset.dirty !== 'true' || input.value === v) {
          input.value = v;
          input.dataset.dirty = 'false';
        }
        input.dataset.server = v;
      }
      const r = byKind.get(k.key);
      now[k.key].dataset.stale = r?.stale ? 'true' : 'false';
      setText(now[k.key], r ? `${r.stale ? '⚠ Inaktuell: ' : ''}rapporterat ${r.when}, ${r.age}${r.by ? ` av ${r.by}` : ''}`
        : 'Aldrig rapporterat');
    }
    setText($('transport-scope'), `${region.name}.${Number.isFinite(t.limitMinutes)
      ? ` Inaktuellt efter ${t.limitMinutes} min i regionens beredskapsläge.` : ''}`);
    sync();
  }

  function sync() {
    const writable = page.canWrite(page.region) && !page.session.signing;
    for (const input of Object.values(inputs)) input.readOnly = !writable;
    button.disabled = !writable || tracker.busy('transport');
  }

  function send() {
    if (tracker.busy('transport')) return;
    const cmd = {v: PROTOCOL_VERSION, type: 'report_transport', id: commandId('a'), space: page.space, region: page.region};
    let errors = 0;
    for (const k of TRANSPORT_KINDS) {
      for (const [f] of FIELDS) {
        const input = inputs[`${k.key}.${f}`];
        const s = input.value.trim();
        if (s === '') continue;
        const fail = (text) => {
          setText(form.querySelector(`[data-err="${input.name}"]`), text);
          input.setAttribute('aria-invalid', 'true');
          errors++;
        };
        if (!/^\d+$/.test(s)) { fail('Ange ett heltal, 0 eller mer.'); continue; }
        if (Number(s) > MAX_VALUE) { fail(`Orimligt stort tal (högst ${MAX_VALUE}).`); continue; }
        (cmd[k.key] ||= {})[f] = Number(s);
      }
    }
    if (errors) { showResult(result, 'error', 'Inte skickat – rätta det markerade.'); return; }
    if (!cmd.ambulances && !cmd.helicopters) {
      showResult(result, 'error', 'Fyll i minst en siffra: lediga eller i uppdrag.');
      return;
    }
    const show = resultIn(result, ({state, answer}) => {
      if (state === 'ok') {
        showResult(result, 'ok', `Sparat (nr ${answer.seq}) ${timeHM(model.now())}${answer.already ? ' · redan sparat' : ''}`);
        for (const k of TRANSPORT_KINDS) {
          for (const [f] of FIELDS) {
            const input = inputs[`${k.key}.${f}`];
            if (cmd[k.key]?.[f] !== undefined && input.value.trim() === String(cmd[k.key][f])) {
              input.dataset.server = input.value.trim();
              input.dataset.dirty = 'false';
            }
          }
        }
      } else {
        showResult(result, 'error', `Inte sparat: ${refusalWords(answer, page.errorText)}`);
        const input = inputs[String(answer.field || '').split('.').slice(0, 2).join('.')];
        input?.setAttribute('aria-invalid', 'true');
      }
    }, {slowText: SLOW_TEXT});
    tracker.send(cmd, {kind: 'transport', onResult: (r, entry) => { show(r, entry); sync(); }});
    sync();
  }

  return {render, tick: () => { if (model.have) render(); }};
}
