// Lägesbild — the TiB page's "Nytt meddelande": a lägesrapport, METHANE-rapport, larm or
// information to some regions or all (post_message), with the METHANE fields in their fixed
// order. The fields and their checks are message_form.js's, shared with the trainer's inject form.

import {METHANE_FIELDS, h, setText, timeHM, refusalWords} from './common.js';
import {showResult} from './session.js';
import {resultIn} from './connection.js';
import {MessageForm} from './message_form.js';

const $ = (id) => document.getElementById(id);

/** The compose form of `page` (see tib.js). Returns {render}: after a change of regions or rights. */
export function createCompose(page) {
  const {model, tracker} = page;
  const grid = h('div', {class: 'methane-grid'}, ...METHANE_FIELDS.map((f) => {
    const id = `m-methane-${f.key}`;
    return h('div', {class: 'field'},
      h('label', {for: id}, h('span', {class: 'm-letter'}, f.letter), ` – ${f.label}`),
      h('input', {type: 'text', id, name: `methane.${f.key}`, maxlength: 500, autocomplete: 'off'}));
  }));
  const methane = h('fieldset', {class: 'methane-fields', hidden: true}, h('legend', {}, 'METHANE'),
    grid, h('span', {class: 'err', dataset: {err: 'methane'}}));
  const optional = h('span', {class: 'opt'});
  const form = new MessageForm($('message-form'), {
    prefix: 'm', prefixCommand: 'm', kinds: ['situation_report', 'methane', 'alert', 'information'],
    levelLabel: ['Beredskapsläge som larmet gäller'], levelHidden: true, textRows: 4,
    textLabel: ['Text ', optional], extra: methane, sendLabel: 'Skicka meddelande', resultId: 'message-result',
    onSubmit: send,
  });
  const el = form.form.elements;
  el.kind.addEventListener('change', () => sync());

  function sync() {
    form.sync();
    methane.hidden = form.kind !== 'methane';
    setText(optional, form.kind === 'methane' ? '(frivillig)' : '');
    form.enabled = page.canPost() && !page.session.signing && !tracker.busy('message');
  }

  /** The METHANE fields: each at most 500 characters, at least one filled in. */
  function checkMethane(cmd, bad) {
    if (cmd.kind !== 'methane') return;
    const m = {};
    let any = false;
    for (const f of METHANE_FIELDS) {
      const ctl = el[`methane.${f.key}`];
      const v = ctl.value.trim();
      if (v.length > 500) bad('methane', `${f.letter} – ${f.label}: högst 500 tecken.`, ctl);
      if (v) any = true;
      m[f.key] = v;
    }
    if (!any) bad('methane', 'Fyll i minst ett av METHANE-fälten.');
    cmd.methane = m;
  }

  function answered({state, answer}) {
    if (state === 'ok') {
      showResult(form.result, 'ok', `Skickat (nr ${answer.seq}) ${timeHM(model.now())}${answer.already ? ' · redan skickat' : ''}`);
      form.reset(() => { for (const f of METHANE_FIELDS) el[`methane.${f.key}`].value = ''; });
    } else {
      showResult(form.result, 'error', `Inte skickat: ${refusalWords(answer, page.errorText)}`);
      form.refused(answer, page.errorText);
    }
  }

  function send() {
    const cmd = form.read(page.space, {check: checkMethane, textOptional: (kind) => kind === 'methane'});
    if (!cmd) return;
    const show = resultIn(form.result, answered,
      {slowText: 'Skickar… inget svar från servern ännu. Kontrollera läget innan du skickar igen.'});
    tracker.send(cmd, {kind: 'message', onResult: (result, entry) => { show(result, entry); sync(); }});
  }

  return {
    render() {
      form.fillRecipients(model.regions);
      sync();
    },
  };
}
