// Lägesbild — the form of a message to post (protocol.md "post_message"): the TiB page's "Nytt
// meddelande" (tib_compose.js) and the trainer's "Inspel nu" (trainer_inject.js). One definition of
// the fields (kind, the level an alert is about, recipients, text, "Kräver kvittens", send), of the
// checks made before sending, and of where the server's refusal of a field is shown.

import {PROTOCOL_VERSION, MESSAGE_KINDS, READINESS, SENDERS, h, setText, commandId, shortRegionName} from './common.js';

const MAX_TEXT = 4000;
const LEVELS = ['staff', 'reinforced', 'disaster', 'normal'];
const LEVEL_LABEL = (level) => (level === 'normal' ? 'Normalläge (åter)' : READINESS[level].label);

export class MessageForm {
  /**
   * Builds the fields in `form` (an empty <form>).
   * @param {HTMLFormElement} form
   * @param {object} o
   * @param {string} o.prefix  the fields' ids start with it ("m" → #m-kind, #m-level, #m-text)
   * @param {string[]} o.kinds  the message kinds offered, in order
   * @param {Node[]} o.levelLabel  the level field's label
   * @param {boolean} [o.levelHidden]  the level field is hidden (else dimmed) unless the kind is alert
   * @param {boolean} [o.ackInRow]  "Kräver kvittens" beside the kind, not above the button
   * @param {boolean} [o.senders]  who speaks (`sender`: SOS Alarm, …), for trainers only
   * @param {number} o.textRows
   * @param {Node[]} [o.textLabel]  the text field's label (default "Text")
   * @param {Node|null} [o.extra]  more fields after the text (METHANE)
   * @param {string} o.sendLabel
   * @param {string} o.resultId  the id of the result line beside the button
   * @param {string} o.prefixCommand  the command ids' prefix
   * @param {() => void} o.onSubmit
   */
  constructor(form, o) {
    this.form = form;
    this.o = o;
    this.ackChoice = false;  // the user's own "Kräver kvittens", restored when leaving Larm
    const p = o.prefix;
    const err = (name) => h('span', {class: 'err', dataset: {err: name}});
    this.levelField = h('div', {class: 'field', dataset: {levelField: ''}, hidden: o.levelHidden},
      h('label', {for: `${p}-level`}, ...o.levelLabel),
      h('select', {id: `${p}-level`, name: 'level'}, h('option', {value: ''}, 'Välj…'),
        ...LEVELS.map((l) => h('option', {value: l}, LEVEL_LABEL(l)))),
      err('level'));
    this.ackLabel = h('label', {class: `check${o.ackInRow ? ' ack-in-row' : ''}`},
      h('input', {type: 'checkbox', name: 'requires_ack'}), ' Kräver kvittens');
    this.recipients = h('div', {class: 'to-regions'});
    this.send = h('button', {type: 'submit', class: 'btn btn-primary'}, o.sendLabel);
    this.result = h('div', {id: o.resultId, class: 'result', role: 'status', 'aria-live': 'polite'});
    form.replaceChildren(
      h('div', {class: 'f-row'},
        h('div', {class: 'field'}, h('label', {for: `${p}-kind`}, 'Typ'),
          h('select', {id: `${p}-kind`, name: 'kind'},
            ...o.kinds.map((k) => h('option', {value: k}, MESSAGE_KINDS[k].label)))),
        this.levelField,
        o.senders ? h('div', {class: 'field'}, h('label', {for: `${p}-sender`}, 'Avsändare'),
          h('select', {id: `${p}-sender`, name: 'sender'}, h('option', {value: ''}, 'Övningsledningen'),
            ...Object.entries(SENDERS).map(([k, label]) => h('option', {value: k}, label)))) : null,
        o.ackInRow ? this.ackLabel : null),
      h('fieldset', {class: 'to-field'}, h('legend', {}, 'Till'),
        h('label', {class: 'check all'}, h('input', {type: 'checkbox', name: 'to-all', value: 'all'}), ' Alla regioner'),
        this.recipients, err('to')),
      h('div', {class: 'field'},
        h('label', {for: `${p}-text`}, ...(o.textLabel || ['Text'])),
        h('textarea', {id: `${p}-text`, name: 'text', rows: o.textRows, maxlength: MAX_TEXT}),
        err('text')),
      o.extra || null,
      o.ackInRow ? null : this.ackLabel,
      h('div', {class: 'actions'}, this.send, this.result));
    const el = form.elements;
    el.kind.addEventListener('change', () => this.sync());
    el['to-all'].addEventListener('change', () => this.sync());
    el.requires_ack.addEventListener('change', () => { this.ackChoice = el.requires_ack.checked; });
    form.addEventListener('submit', (ev) => { ev.preventDefault(); o.onSubmit(); });
  }

  get kind() { return this.form.elements.kind.value; }

  /** The recipient boxes, one per region; ticked boxes stay ticked. */
  fillRecipients(regions) {
    const box = this.recipients;
    const checked = new Set([...box.querySelectorAll('input[name="to"]:checked')].map((x) => x.value));
    const key = JSON.stringify(regions.map((r) => [r.id, r.name]));
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.replaceChildren(...regions.map((r) => h('label', {class: 'check'},
      h('input', {type: 'checkbox', name: 'to', value: r.id, checked: checked.has(r.id)}), ` ${shortRegionName(r.name)}`)));
    this.sync();
  }

  /** The fields follow the kind: an alert names its level and always asks for acknowledgement. */
  sync() {
    const el = this.form.elements;
    const alert = this.kind === 'alert';
    if (this.o.levelHidden) this.levelField.hidden = !alert;
    else this.levelField.classList.toggle('inactive', !alert);
    const ack = el.requires_ack;
    if (alert) {
      ack.checked = true;
      ack.disabled = true;
      this.ackLabel.title = 'Larm kräver alltid kvittens';
    } else {
      if (ack.disabled) ack.checked = this.ackChoice;
      ack.disabled = false;
      this.ackLabel.title = '';
    }
    const all = el['to-all'].checked;
    for (const cb of this.form.querySelectorAll('input[name="to"]')) cb.disabled = all;
  }

  /** Whether the send button may be pressed. */
  set enabled(on) { this.send.disabled = !on; }

  error(name, text, ctl) {
    setText(this.form.querySelector(`[data-err="${name}"]`), text || '');
    if (ctl) ctl.setAttribute('aria-invalid', 'true');
  }

  /**
   * The post_message command of the form for `space`, or null (the faulty fields marked, the
   * result line saying so). `check(cmd, bad)` adds and checks what only this page's form has;
   * `textOptional` says whether a message of this kind may go without text.
   */
  read(space, {check = () => {}, textOptional = () => false} = {}) {
    for (const e of this.form.querySelectorAll('.err')) e.textContent = '';
    for (const e of this.form.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
    const el = this.form.elements;
    const kind = this.kind;
    const cmd = {v: PROTOCOL_VERSION, type: 'post_message', id: commandId(this.o.prefixCommand), space, kind};
    let ok = true;
    const bad = (name, text, ctl) => { this.error(name, text, ctl); ok = false; };
    if (el['to-all'].checked) cmd.to = 'all';
    else {
      cmd.to = [...this.form.querySelectorAll('input[name="to"]:checked')].map((x) => x.value);
      if (!cmd.to.length) bad('to', 'Välj minst en mottagare, eller Alla regioner.');
    }
    const text = el.text.value.trim();
    if (text.length > MAX_TEXT) bad('text', `Högst ${MAX_TEXT} tecken (nu ${text.length}).`, el.text);
    else if (!text && !textOptional(kind)) bad('text', 'Skriv en text.', el.text);
    cmd.text = text;
    check(cmd, bad);
    if (kind === 'alert') {
      const level = el.level.value;
      if (!READINESS[level]) bad('level', 'Välj vilket beredskapsläge larmet gäller.', el.level);
      cmd.level = level;
    }
    cmd.requires_ack = kind === 'alert' ? true : el.requires_ack.checked;
    if (el.sender?.value) cmd.sender = el.sender.value;
    if (!ok) {
      setText(this.result, 'Inte skickat – rätta de markerade fälten.');
      this.result.dataset.state = 'error';
      return null;
    }
    return cmd;
  }

  /** The server refused a field ("to", "text.…", "level", "methane.…"): the reason goes beside it. */
  refused(answer, errorText) {
    const f = String(answer.field || '').split('.')[0];
    if (!this.form.querySelector(`[data-err="${f}"]`)) return;
    this.error(f, errorText(answer));
  }

  /** Empty again after a message went. `more()` empties this page's own fields. */
  reset(more = () => {}) {
    const el = this.form.elements;
    el.text.value = '';
    el.level.value = '';
    el['to-all'].checked = false;
    for (const cb of this.form.querySelectorAll('input[name="to"]')) cb.checked = false;
    more();
    this.ackChoice = false;
    if (!el.requires_ack.disabled) el.requires_ack.checked = false;
    this.sync();
  }
}
