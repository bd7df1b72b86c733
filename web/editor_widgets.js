// Lägesbild — the scenario editor's fields: each one bound to a place in the scenario (a binding
// and a path below it), writing what is typed into the object at once (the page then has the
// server check it), and carrying data-field="<inject key>|<path>" so that a problem the server
// reports at that path is shown right under it. Empty optional fields leave the key out of the
// file; numbers that are not numbers are kept as typed, so that the check can say what is wrong.
// Every text goes into the DOM through h() (textContent).

import {h} from './common.js';
import {getIn, setIn, pathString} from './editor_model.js';
import {fillSelect} from './editor_pickers.js';

let ids = 0;
const nextId = (p = 'fe') => `${p}-${++ids}`;

/**
 * A binding of fields to an object: `root()` gives it (an inject, or the scenario's top level),
 * `key` names it for the problems (an inject key, or '' for the top), `changed()` is called after
 * every write, `rebuild()` after a write that changes which fields there are.
 */
export function binding({root, key = '', changed, rebuild}) {
  return {
    key,
    get: (segs) => getIn(root(), segs),
    set(segs, value, keep = 0) {
      setIn(root(), segs, value, keep);
      changed();
    },
    /** After a change of which fields there are: written (changed) and built again. */
    rebuild() {
      changed();
      rebuild();
    },
    field: (segs) => `${key}|${pathString(segs)}`,
  };
}

/** The frame of one field: label, control, hint, and the list its problems go into. */
export function frame(b, segs, label, control, {hint, cls = '', tag = 'div'} = {}) {
  const probId = nextId('fp');
  const hintId = hint ? nextId('fh') : null;
  const controls = control instanceof Node ? [control] : control;
  const first = controls.find((c) => c.matches?.('input, select, textarea'));
  if (first) {
    if (!first.id) first.id = nextId();
    first.setAttribute('aria-describedby', [hintId, probId].filter(Boolean).join(' '));
  }
  const lab = tag === 'fieldset' ? h('legend', {class: 'fe-label'}, label)
    : h('label', {class: 'fe-label', for: first?.id || null}, label);
  return h(tag, {class: `fe-field ${cls}`.trim(), dataset: {field: b.field(segs)}},
    lab, ...controls,
    hint ? h('span', {class: 'fe-hint', id: hintId}, hint) : null,
    h('ul', {class: 'fe-problems', id: probId, 'aria-live': 'polite'}));
}

/** A text: empty is '' (required texts) or no key at all (`optional`). */
export function text(b, segs, label, {optional = false, max, placeholder, hint, cls, long = false, rows = 3} = {}) {
  const v = b.get(segs);
  const input = long ? h('textarea', {rows, maxlength: max || null, placeholder: placeholder || null})
    : h('input', {type: 'text', maxlength: max || null, placeholder: placeholder || null, spellcheck: 'true'});
  input.value = v === undefined || v === null ? '' : String(v);
  input.addEventListener('input', () => {
    const t = input.value;
    b.set(segs, optional && !t.trim() ? undefined : t);
  });
  return frame(b, segs, label, input, {hint, cls: `${cls || ''} ${long ? 'fe-wide' : ''}`});
}

/** A whole number: empty leaves the key out, anything else not a number is kept as typed. */
export function int(b, segs, label, {hint, cls = 'fe-num', placeholder} = {}) {
  const v = b.get(segs);
  const input = h('input', {type: 'text', inputmode: 'numeric', size: 6, placeholder: placeholder || null,
    autocomplete: 'off'});
  input.value = v === undefined || v === null ? '' : String(v);
  input.addEventListener('input', () => b.set(segs, toNumber(input.value)));
  return frame(b, segs, label, input, {hint, cls});
}

export function toNumber(t) {
  const s = String(t).trim();
  if (!s) return undefined;
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

/** An exercise time (MM:SS or HH:MM:SS), kept as typed; `done()` when it is left (sort again). */
export function time(b, segs, label, {done, hint} = {}) {
  const v = b.get(segs);
  const input = h('input', {type: 'text', class: 'fe-time', inputmode: 'numeric', size: 8, placeholder: 'MM:SS',
    autocomplete: 'off'});
  input.value = v === undefined || v === null ? '' : String(v);
  input.addEventListener('input', () => b.set(segs, input.value.trim()));
  input.addEventListener('change', () => done?.());
  return frame(b, segs, label, input, {hint: hint ?? 'Övningstid MM:SS (7 min = 07:00) eller TT:MM:SS', cls: 'fe-num'});
}

/**
 * A pick list: `options` [value, label] (or groups); `empty` offers "none", which leaves the key
 * out; `absent` is the value the format means when the key is left out (shown so, and left out
 * when picked). `then(value)` runs after the write (e.g. to rebuild the form).
 */
export function select(b, segs, label, options, {empty, hint, cls, then, asNumber = false, absent} = {}) {
  const sel = h('select', {});
  const v = b.get(segs);
  fillSelect(sel, typeof options === 'function' ? options() : options, v ?? absent, {empty});
  sel.addEventListener('change', () => {
    const value = sel.value === '' || (absent !== undefined && sel.value === absent) ? undefined
      : asNumber ? Number(sel.value) : sel.value;
    b.set(segs, value);
    then?.(value);
  });
  return frame(b, segs, label, sel, {hint, cls});
}

/** A yes/no: checked is true, unchecked leaves the key out. */
export function check(b, segs, label, {hint} = {}) {
  const box = h('input', {type: 'checkbox'});
  box.checked = b.get(segs) === true;
  box.addEventListener('change', () => b.set(segs, box.checked ? true : undefined));
  const id = nextId();
  box.id = id;
  const probId = nextId('fp');
  box.setAttribute('aria-describedby', probId);
  return h('div', {class: 'fe-field fe-check', dataset: {field: b.field(segs)}},
    h('label', {class: 'check', for: id}, box, ` ${label}`),
    hint ? h('span', {class: 'fe-hint'}, hint) : null,
    h('ul', {class: 'fe-problems', id: probId, 'aria-live': 'polite'}));
}

/** Several of a list (regions, hospitals) as check boxes; none leaves the key out. */
export function many(b, segs, label, options, {hint, cls} = {}) {
  const chosen = new Set(Array.isArray(b.get(segs)) ? b.get(segs).map(String) : []);
  const all = (typeof options === 'function' ? options() : options).flatMap((o) => (o.group ? o.options : [o]));
  for (const v of chosen) if (!all.some(([x]) => x === v)) all.push([v, `Okänt värde: ${v}`]);
  const boxes = all.map(([value, text]) => {
    const box = h('input', {type: 'checkbox', value});
    box.checked = chosen.has(value);
    box.addEventListener('change', () => {
      const list = boxes.filter((x) => x.checked).map((x) => x.value);
      b.set(segs, list.length ? list : undefined);
    });
    return box;
  });
  const grid = h('div', {class: 'fe-many'}, ...boxes.map((box, i) => h('label', {class: 'check'}, box, ` ${all[i][1]}`)));
  return frame(b, segs, label, grid, {hint, cls: `fe-wide ${cls || ''}`, tag: 'fieldset'});
}

/** Counts per key (P1, P2, P3, deceased …) side by side, as one group. */
export function counts(b, segs, label, keys, {hint, labels = {}} = {}) {
  const cells = keys.map((k) => int(b, [...segs, k], labels[k] || k, {cls: 'fe-num fe-count'}));
  return frame(b, segs, label, h('div', {class: 'fe-row'}, ...cells), {hint, cls: 'fe-wide fe-group', tag: 'fieldset'});
}

/**
 * An object as rows of a picked key and a number (transport_minutes: hospital → minutes). The
 * order of the keys is kept when a row's key is changed; rows are added from what is left.
 */
export function keyedNumbers(b, segs, label, options, {valueLabel, hint, addText = 'Lägg till'} = {}) {
  const obj = b.get(segs) && typeof b.get(segs) === 'object' ? b.get(segs) : {};
  const opts = typeof options === 'function' ? options() : options;
  const flat = opts.flatMap((o) => (o.group ? o.options : [o]));
  const rows = Object.keys(obj).map((k) => {
    const keySel = h('select', {'aria-label': `${label}: vilket`});
    fillSelect(keySel, opts, k);
    keySel.addEventListener('change', () => {
      const now = b.get(segs) || {};
      if (keySel.value in now) { keySel.value = k; return; }
      const renamed = {};
      for (const [kk, vv] of Object.entries(now)) renamed[kk === k ? keySel.value : kk] = vv;
      b.set(segs, renamed);
      b.rebuild();
    });
    const cell = int(b, [...segs, k], valueLabel, {cls: 'fe-num'});
    const remove = h('button', {type: 'button', class: 'btn btn-quiet fe-remove', 'aria-label': `Ta bort ${k}`}, 'Ta bort');
    remove.addEventListener('click', () => {
      const rest = {...(b.get(segs) || {})};
      delete rest[k];
      b.set(segs, rest);
      b.rebuild();
    });
    return h('div', {class: 'fe-row fe-keyed'}, keySel, cell, remove);
  });
  const left = flat.filter(([v]) => !(v in obj));
  const leftOpts = opts.map((o) => (o.group ? {group: o.group, options: o.options.filter(([v]) => !(v in obj))} : o))
    .filter((o) => (o.group ? o.options.length > 0 : !(o[0] in obj)));
  const addSel = h('select', {'aria-label': `${label}: ${addText.toLowerCase()}`});
  fillSelect(addSel, leftOpts, '', {empty: '– välj –'});
  const add = h('button', {type: 'button', class: 'btn btn-secondary', disabled: !left.length}, addText);
  add.addEventListener('click', () => {
    if (!addSel.value) { addSel.focus(); return; }
    b.set([...segs, addSel.value], 0);
    b.rebuild();
  });
  return frame(b, segs, label, [h('div', {class: 'fe-rows'}, ...rows), h('div', {class: 'fe-row fe-add'}, addSel, add)],
    {hint, cls: 'fe-wide fe-group', tag: 'fieldset'});
}

/**
 * A list of objects (a distribution, deterioration rules, a situation report's fields): `row(i)`
 * builds the fields of item i, `blank()` a new item; each row can be removed.
 */
export function list(b, segs, label, {row, blank, addText = 'Lägg till', hint, max = Infinity}) {
  const items = Array.isArray(b.get(segs)) ? b.get(segs) : [];
  const rows = items.map((_, i) => {
    const remove = h('button', {type: 'button', class: 'btn btn-quiet fe-remove'}, 'Ta bort');
    remove.addEventListener('click', () => {
      const now = [...(b.get(segs) || [])];
      now.splice(i, 1);
      b.set(segs, now.length ? now : undefined);
      b.rebuild();
    });
    return h('div', {class: 'fe-row fe-item', dataset: {field: b.field([...segs, i])}}, ...row(i), remove,
      h('ul', {class: 'fe-problems', 'aria-live': 'polite'}));
  });
  const add = h('button', {type: 'button', class: 'btn btn-secondary', disabled: items.length >= max}, addText);
  add.addEventListener('click', () => {
    b.set(segs, [...items, blank()]);
    b.rebuild();
  });
  return frame(b, segs, label, [h('div', {class: 'fe-rows'}, ...rows), h('div', {class: 'fe-row fe-add'}, add)],
    {hint, cls: 'fe-wide fe-group', tag: 'fieldset'});
}

/** A group of fields under one heading (no value of its own, but its problems). */
export function group(b, segs, label, children, {hint, cls = ''} = {}) {
  return frame(b, segs, label, h('div', {class: 'fe-grid'}, ...children.filter(Boolean)),
    {hint, cls: `fe-wide fe-group ${cls}`, tag: 'fieldset'});
}

/** Two or more ways (radio buttons): `choices` [value, label]; `pick(value)` writes and rebuilds. */
export function ways(name, label, choices, current, pick) {
  const n = nextId('way');
  return h('div', {class: 'fe-ways', role: 'radiogroup', 'aria-label': label},
    h('span', {class: 'fe-label'}, label),
    ...choices.map(([value, text]) => {
      const r = h('input', {type: 'radio', name: `${name}-${n}`, value});
      r.checked = value === current;
      r.addEventListener('change', () => { if (r.checked) pick(value); });
      return h('label', {class: 'check'}, r, ` ${text}`);
    }));
}
