// Lägesbild — the TiB page's förstärkning (surge) of a hospital: for each bed type the hospital has,
// the extra beds that can be opened within 24 h (surge24h) and within 72 h (surge72h, those within
// 24 h included: EDXL-HAVE AdditionalCapacityCount72Hr). A table row of its own under the hospital's
// row in the figure table (tib_figures.js), opened by the row's "Förstärkning…" button.
//
// The inputs follow the live state unless touched (tib_inputs.js); what was changed is checked here
// (whole numbers 0–100000, within 72 h not below within 24 h, the available beds within the new
// maximum) and goes with the row's "Skicka" in the same report_capacity. The server raises a lower
// surge72h with a raised surge24h, so an untouched 72 h input simply follows.

import {BED_TYPES, BED_LABELS, h, setText} from './common.js';
import {parseCount, follow, acceptSent} from './tib_inputs.js';

const FIELDS = [
  {which: 'surge24h', label: 'inom 24 h', words: 'förstärkning inom 24 h'},
  {which: 'surge72h', label: 'inom 72 h', words: 'förstärkning inom 72 h'},
];

/** The bed types of a hospital's förstärkning: those it has, ordinary or surge beds. */
const bedTypesOf = (hosp) => BED_TYPES.filter((key) => {
  const b = hosp.beds?.[key];
  return (b?.baseline || 0) + (b?.surge24h || 0) + (b?.surge72h || 0) > 0;
});

// A bed type's heading: its long name, but the short one where the long would not fit on one line.
const legendOf = (key) => (key === 'EmergencyDepartment' ? BED_LABELS[key].short : BED_LABELS[key].long);

const isDirty = (input) => input.value !== input.dataset.server;

/**
 * The förstärkning rows of the table. `model` is the client model; `onChange(id, key)` runs when a
 * surge input of hospital `id`, bed type `key` is typed in, `onEnter(id)` on Enter (send the row).
 */
export function createSurge({model, onChange, onEnter}) {
  const open = new Set();  // hospitals whose row is open: kept when the table is rebuilt
  const rows = new Map();  // hospital id → {tr, toggle, beds: {key: {meta, surge24h: {input, err}, surge72h}}}

  function setOpen(id, state) {
    const r = rows.get(id);
    if (state) open.add(id); else open.delete(id);
    if (!r) return;
    r.tr.hidden = !state;
    updateToggle(id);
  }

  function updateToggle(id) {
    const r = rows.get(id);
    if (!r) return;
    const isOpen = open.has(id);
    const dirty = anyDirty(r);
    r.toggle.setAttribute('aria-expanded', String(isOpen));
    r.toggle.dataset.dirty = String(dirty);
    setText(r.toggle, isOpen ? 'Dölj förstärkning' : dirty ? 'Förstärkning… (ändrad)' : 'Förstärkning…');
  }

  const anyDirty = (r) => Object.values(r.beds).some((c) => FIELDS.some((f) => isDirty(c[f.which].input)));

  function field(id, key, f, refs) {
    const inputId = `s-${id}-${key}-${f.which}`;
    const err = h('div', {class: 'cell-err', id: `err-${inputId}`});
    const input = h('input', {type: 'text', id: inputId, name: `${id}.${key}.${f.which}`, inputmode: 'numeric',
      pattern: '[0-9]*', autocomplete: 'off', enterkeyhint: 'send', class: 'num-input',
      'aria-describedby': `sgmeta-${id}-${key} ${err.id}`, dataset: {server: '', dirty: 'false'}});
    input.addEventListener('input', () => changed(id, key, f.which));
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') { ev.preventDefault(); onEnter(id); }
    });
    // The error goes under both inputs (build), where it has the bed type's whole width.
    refs[f.which] = {input, err, wrap: h('div', {class: 'sg-field', dataset: {field: f.which, dirty: 'false'}},
      h('label', {for: inputId}, f.label), input)};
    return refs[f.which].wrap;
  }

  function changed(id, key, which) {
    const c = rows.get(id)?.beds[key];
    if (!c) return;
    const {input, err} = c[which];
    setText(err, '');
    input.removeAttribute('aria-invalid');
    updateBed(id, key);
    updateToggle(id);
    onChange(id, key);
  }

  /** A bed type's dirty marks and its line: the ordinary beds, and what the server has while changed. */
  function updateBed(id, key) {
    const c = rows.get(id)?.beds[key];
    const b = model.hospital(id)?.beds?.[key];
    if (!c || !b) return;
    let dirty = false;
    for (const f of FIELDS) {
      const d = isDirty(c[f.which].input);
      c[f.which].input.dataset.dirty = String(d);
      c[f.which].wrap.dataset.dirty = String(d);
      dirty ||= d;
    }
    const parts = [`ordinarie ${b.baseline || 0}`];
    if (dirty) parts.push(`nu ${b.surge24h || 0} och ${b.surge72h || 0}`);
    const typed24 = surge24hOf(id, key, b);
    if (!isDirty(c.surge72h.input) && typed24 > (b.surge72h || 0)) parts.push(`inom 72 h blir ${typed24}`);
    setText(c.meta, parts.join(' · '));
  }

  /** The effective surge24h of a bed: what is typed (a valid count) if changed, else the server's. */
  function surge24hOf(id, key, b) {
    const input = rows.get(id)?.beds[key]?.surge24h.input;
    const server = b?.surge24h || 0;
    if (!input || !isDirty(input)) return server;
    return parseCount(input.value).value ?? server;
  }

  function fail(id, key, which, text, title = '') {
    const c = rows.get(id)?.beds[key]?.[which];
    if (!c) return false;
    setText(c.err, text);
    c.err.title = title;
    c.input.setAttribute('aria-invalid', 'true');
    setOpen(id, true);
    return true;
  }

  return {
    /** The row under hospital `hosp` (its cell spans `colspan` columns) and the button opening it. */
    build(hosp, colspan) {
      const id = hosp.id;
      const beds = {};
      const sets = bedTypesOf(hosp).map((key) => {
        const refs = {meta: h('div', {class: 'sg-meta', id: `sgmeta-${id}-${key}`})};
        beds[key] = refs;
        return h('fieldset', {class: 'sg-bed', dataset: {bed: key}},
          h('legend', {title: BED_LABELS[key].long}, legendOf(key)),
          h('div', {class: 'sg-fields'}, ...FIELDS.map((f) => field(id, key, f, refs))),
          ...FIELDS.map((f) => refs[f.which].err),
          refs.meta);
      });
      const title = h('h3', {class: 'sg-title', id: `sgtitle-${id}`});
      const tr = h('tr', {class: 'surge-row', id: `surge-${id}`, hidden: !open.has(id), dataset: {surgeFor: id}},
        h('td', {class: 'c-surge', colspan},
          h('div', {class: 'sg-head'}, title,
            h('p', {class: 'sg-hint'}, 'Extra platser som kan öppnas utöver de ordinarie. Inom 72 h räknar med dem inom 24 h. ' +
              'Skickas med ”Skicka” på sjukhusets rad.')),
          sets.length ? h('div', {class: 'sg-beds', role: 'group', 'aria-labelledby': title.id}, ...sets)
            : h('p', {class: 'sg-hint'}, 'Sjukhuset har inga vårdplatstyper att rapportera förstärkning för.')));
      const toggle = h('button', {type: 'button', class: 'btn btn-secondary btn-surge', 'aria-expanded': 'false',
        'aria-controls': tr.id, dataset: {action: 'surge', hospital: id},
        title: 'Förstärkning: extra platser som kan öppnas inom 24 h och inom 72 h'}, 'Förstärkning…');
      toggle.addEventListener('click', () => {
        setOpen(id, !open.has(id));
        if (open.has(id)) tr.querySelector('input')?.focus();
      });
      rows.set(id, {tr, toggle, title, beds});
      updateToggle(id);
      return {tr, toggle};
    },

    /** Forgets the rows (before the table is rebuilt): what was typed and not sent, by input name. */
    takeTyped() {
      const typed = new Map();
      for (const r of rows.values()) {
        for (const c of Object.values(r.beds)) {
          for (const f of FIELDS) if (c[f.which].input.dataset.dirty === 'true') typed.set(c[f.which].input.name, c[f.which].input.value);
        }
      }
      rows.clear();
      return typed;
    },
    /** Puts back what takeTyped() kept, in the rebuilt rows. */
    restore(typed) {
      for (const r of rows.values()) {
        for (const c of Object.values(r.beds)) {
          for (const f of FIELDS) {
            const {input} = c[f.which];
            if (typed.has(input.name)) { input.value = typed.get(input.name); input.dataset.dirty = 'true'; }
          }
        }
      }
    },

    /** Brings hospital `hosp`'s row up to the live state. */
    update(hosp, writable) {
      const r = rows.get(hosp.id);
      if (!r) return;
      setText(r.title, `Förstärkning – ${hosp.name}`);
      for (const [key, c] of Object.entries(r.beds)) {
        const b = hosp.beds?.[key] || {};
        for (const f of FIELDS) {
          const {input} = c[f.which];
          follow(input, b[f.which] ?? 0);
          input.readOnly = !writable;
          input.setAttribute('aria-label', `${BED_LABELS[key].long}, ${f.words}, ${hosp.name}`);
        }
        updateBed(hosp.id, key);
      }
      updateToggle(hosp.id);
    },

    surge24hOf,
    /** The effective surge72h: typed if changed, else the server's, raised to a typed surge24h. */
    surge72hOf(id, key, b) {
      const input = rows.get(id)?.beds[key]?.surge72h.input;
      const typed = input && isDirty(input) ? parseCount(input.value).value : undefined;
      return typed ?? Math.max(b?.surge72h || 0, surge24hOf(id, key, b));
    },

    /**
     * The changed surge figures of hospital `id`, checked: {beds: {key: {surge24h?, surge72h?}},
     * errors}. `availableChanged(key)` says whether the row's available input of `key` is changed
     * (its check against the new maximum is then the figure table's).
     */
    collect(id, hosp, availableChanged) {
      const r = rows.get(id);
      const beds = {};
      let errors = 0;
      const bad = (key, which, text) => { if (fail(id, key, which, text)) errors++; };
      for (const [key, c] of Object.entries(r?.beds || {})) {
        const b = hosp.beds?.[key] || {};
        const typed = {};
        for (const f of FIELDS) {
          const {input} = c[f.which];
          if (!isDirty(input)) continue;
          const p = parseCount(input.value);
          if (p.empty) bad(key, f.which, 'Ange ett tal, 0 eller mer.');
          else if (p.error) bad(key, f.which, p.error);
          else typed[f.which] = p.value;
        }
        const out = {};
        const s24 = typed.surge24h ?? (b.surge24h || 0);
        if (typed.surge24h !== undefined) {
          const cap = (b.baseline || 0) + typed.surge24h;
          if (!availableChanged(key) && Number.isFinite(b.available) && b.available > cap) {
            bad(key, 'surge24h', `Lediga nu (${b.available}) blir fler än max ${cap} (${b.baseline || 0} ordinarie + ${typed.surge24h}). Ändra lediga samtidigt.`);
          } else if (typed.surge24h !== (b.surge24h || 0)) {
            out.surge24h = typed.surge24h;
          }
        }
        const s24Bad = isDirty(c.surge24h.input) && typed.surge24h === undefined;
        if (typed.surge72h !== undefined && !s24Bad) {
          if (typed.surge72h < s24) bad(key, 'surge72h', `Inom 72 h kan inte vara färre än inom 24 h (${s24}).`);
          else if (typed.surge72h !== (b.surge72h || 0)) out.surge72h = typed.surge72h;
        }
        if (Object.keys(out).length) beds[key] = out;
      }
      return {beds, errors};
    },

    /** The ack of `cmd` (a report_capacity of hospital `id`): what it sent is the server's now. */
    accept(id, cmd) {
      const r = rows.get(id);
      if (!r) return;
      for (const [key, b] of Object.entries(cmd.beds || {})) {
        for (const f of FIELDS) acceptSent(r.beds[key]?.[f.which].input, b[f.which]);
      }
    },

    /** A server error naming beds.<key>.surge24h or .surge72h: shown at that input. */
    markError: (id, key, which, text, title) => fail(id, key, which, text, title),

    clearErrors(id) {
      for (const c of Object.values(rows.get(id)?.beds || {})) {
        for (const f of FIELDS) { setText(c[f.which].err, ''); c[f.which].input.removeAttribute('aria-invalid'); }
      }
    },

    dirty: (id) => { const r = rows.get(id); return !!r && anyDirty(r); },
    firstInvalid: (id) => rows.get(id)?.tr.querySelector('[aria-invalid="true"]') ?? null,
  };
}
