// Lägesbild — the TiB page's table of the region's hospitals: every figure the hospital reports,
// editable, with how old it is and whether it is overdue (the server's freshness), the emergency
// department and the hospital's readiness level; "Skicka" sends what was changed
// (report_capacity), "Oförändrat – bekräfta" re-stamps the figures (confirm_figures).
//
// The inputs hold the current figures: a figure the user has not touched follows the live state,
// a touched one ("ändrad") keeps what was typed until it is sent. Only changed fields are sent,
// and a command is shown as saved only when its durable `ack` arrives.
// Under the hospital's name, in exercises with patients: its forecast (prognos, forecast_view.js),
// dashed and in italics, never like a reported figure. Under the row, opened by "Förstärkning…":
// the surge beds within 24 h and 72 h (tib_surge.js), sent with the row's other changes.

import {
  PROTOCOL_VERSION, BED_TYPES, BED_LABELS, PRIORITIES, PRIORITY_LABELS, READINESS, READINESS_ORDER,
  ED_STATUS, ED_ORDER, h, setText, timeHM, timeWithDay, parseTime, ageShort, commandId, refusalWords,
} from './common.js';
import {showResult} from './session.js';
import {resultIn} from './connection.js';
import {forecastLine, showForecast} from './forecast_view.js';
import {parseCount, follow, acceptSent} from './tib_inputs.js';
import {createSurge} from './tib_surge.js';

const SLOW_TEXT = 'Skickar… inget svar från servern ännu. Kontrollera läget innan du skickar igen.';
// A command in these states is not answered yet: the row sends nothing else meanwhile (the outbox's
// 'waiting' and 'ask' are shown by tib_outbox.js).
const UNANSWERED = new Set(['pending', 'slow', 'waiting', 'ask']);

const $ = (id) => document.getElementById(id);

// Column heads of the table: short enough for ten figure columns on a 1280 px laptop.
const COLUMN_LABELS = {
  AdultICU: 'IVA', PediatricICU: 'Barn-IVA', Burn: 'Bränn.', MedicalSurgical: 'Vårdpl.',
  Pediatrics: 'Barnvpl.', OperatingRooms: 'Op-salar', EmergencyDepartment: 'Akutpl.',
};

const capacity = (b) => (b?.baseline || 0) + (b?.surge24h || 0);
const pathOf = (key) => (PRIORITIES.includes(key) ? `reception.${key}` : `beds.${key}`);
const levelLabel = (level) => READINESS[level]?.label.toLowerCase() || level;

/** Figure columns of the region: bed types some hospital has (baseline + surge > 0), then P1–P3. */
function columnsFor(hospitals) {
  const cols = [];
  for (const key of BED_TYPES) {
    if (hospitals.some((x) => capacity(x.beds?.[key]) > 0)) {
      cols.push({key, bed: true, head: COLUMN_LABELS[key], label: BED_LABELS[key].short,
        title: `${BED_LABELS[key].long}: lediga just nu`});
    }
  }
  for (const p of PRIORITIES) {
    cols.push({key: p, bed: false, head: `${p}/tim`, label: `${p}/tim`,
      title: `Mottagning ${PRIORITY_LABELS[p].long}: patienter per timme`});
  }
  return cols;
}

function cellValue(hosp, key) {
  if (PRIORITIES.includes(key)) return hosp.reception?.[key]?.value ?? null;
  return hosp.beds?.[key]?.available ?? null;
}

function statusAge(rec, now) {
  const t = parseTime(rec?.reported_at);
  if (!Number.isFinite(t)) return '';
  return `${timeWithDay(t, now)}, ${ageShort(now - t)}${rec.reported_by ? ` · ${rec.reported_by}` : ''}`;
}

/**
 * The table of `page`'s region (page: {space, model, session, tracker, region, canWrite(id),
 * errorText(msg)}). Returns {render, tick}: render after a change, tick to age what is shown.
 */
export function createFigures(page) {
  const {model, session, tracker} = page;
  const rows = new Map();   // hospital id → row refs
  let structure = '';       // what the table was built for
  const surge = createSurge({model, onEnter: (id) => sendReport(id), onChange: (id, key) => {
    updateCellMeta(id, key);
    const r = rows.get(id);
    if (r && r.result.dataset.state === 'error' && !r.pending) showResult(r.result, '', '');
  }});

  const regionHospitals = () => model.hospitalsOf(page.region);
  const busyRow = (id) => ['report', 'confirm'].some((kind) => tracker.busy(kind, (e) => e.hospital === id));
  const structureKey = () => JSON.stringify([page.region, regionHospitals().map((x) => [x.id, x.name,
    BED_TYPES.map((k) => capacity(x.beds?.[k]) > 0)])]);

  function buildTable() {
    const hs = regionHospitals();
    const cols = columnsFor(hs);
    // A rebuild keeps what the user has typed but not sent.
    const typed = new Map();
    for (const [hid, r] of rows) {
      for (const [key, c] of Object.entries(r.cells)) if (c.input.dataset.dirty === 'true') typed.set(`${hid}.${key}`, c.input.value);
      if (r.ed.dataset.dirty === 'true') typed.set(`${hid}.ed_status`, r.ed.value);
      if (r.rd.dataset.dirty === 'true') typed.set(`${hid}.readiness`, r.rd.value);
    }
    const typedSurge = surge.takeTyped();
    rows.clear();
    $('hospital-head').replaceChildren(
      h('th', {scope: 'col', class: 'c-name'}, 'Sjukhus'),
      ...cols.map((c) => h('th', {scope: 'col', class: `c-fig${c.bed ? '' : ' c-prio'}`, title: c.title},
        c.bed ? null : h('span', {class: `chip ${c.key.toLowerCase()}`, 'aria-hidden': 'true'}), c.head)),
      h('th', {scope: 'col', class: 'c-status'}, 'Akut / beredskap'),
      h('th', {scope: 'col', class: 'c-actions'}, 'Rapportera'));
    $('hospital-rows').replaceChildren(...hs.flatMap((hosp) => buildRow(hosp, cols)));
    surge.restore(typedSurge);
    for (const [name, value] of typed) {
      const [hid, key] = name.split('.');
      const r = rows.get(hid);
      const ctl = r?.cells[key]?.input || (key === 'ed_status' ? r?.ed : key === 'readiness' ? r?.rd : null);
      if (ctl) { ctl.value = value; ctl.dataset.dirty = 'true'; }
    }
    structure = structureKey();
    for (const hosp of hs) updateRow(hosp.id);
  }

  function figureCell(id, c, cells) {
    const inputId = `f-${id}-${c.key}`;
    const input = h('input', {type: 'text', id: inputId, name: `${id}.${c.key}`, inputmode: 'numeric',
      pattern: '[0-9]*', autocomplete: 'off', enterkeyhint: 'send', class: 'num-input',
      'aria-describedby': `meta-${id}-${c.key} err-${id}-${c.key}`, dataset: {server: '', dirty: 'false'}});
    const cur = h('span', {class: 'cur'});
    const max = h('span', {class: 'max'});
    const age = h('span', {class: 'age'});
    const late = h('span', {class: 'late'}, 'Försenad');
    const err = h('div', {class: 'cell-err', id: `err-${id}-${c.key}`});
    const td = h('td', {class: `c-fig${c.bed ? '' : ' c-prio'}`, dataset: {cell: `${id}.${c.key}`, overdue: 'false'}},
      h('label', {class: 'cell-label', for: inputId, title: c.title},
        c.bed ? null : h('span', {class: `chip ${c.key.toLowerCase()}`, 'aria-hidden': 'true'}), c.label),
      input,
      h('div', {class: 'cell-meta', id: `meta-${id}-${c.key}`}, cur, max, late, age),
      err);
    input.addEventListener('input', () => markDirty(id, input));
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') { ev.preventDefault(); sendReport(id); }
    });
    cells[c.key] = {td, input, cur, max, age, late, err, bed: c.bed};
    return td;
  }

  function buildRow(hosp, cols) {
    const id = hosp.id;
    const name = h('div', {class: 'r-name'}, hosp.name);
    const town = h('div', {class: 'r-town'});
    const overdueTag = h('div', {class: 'r-overdue'});
    const limit = h('div', {class: 'r-limit'});
    const forecast = forecastLine('r-forecast');
    const nameCell = h('th', {scope: 'row', class: 'c-name'}, name, town, overdueTag, limit, forecast.el);

    const cells = {};
    const tds = cols.map((c) => ((!c.bed || capacity(hosp.beds?.[c.key]) > 0) ? figureCell(id, c, cells)
      : h('td', {class: 'c-fig none', dataset: {cell: `${id}.${c.key}`}},
        h('span', {class: 'cell-label'}, c.label), h('span', {class: 'none-text'}, 'Finns ej'))));

    const ed = h('select', {name: `${id}.ed_status`, id: `f-${id}-ed_status`, dataset: {server: '', dirty: 'false'}},
      h('option', {value: '', disabled: true}, 'Okänd'),
      ...ED_ORDER.map((v) => h('option', {value: v}, `${ED_STATUS[v].icon} ${ED_STATUS[v].label}`)));
    const rd = h('select', {name: `${id}.readiness`, id: `f-${id}-readiness`, dataset: {server: '', dirty: 'false'}},
      h('option', {value: '', disabled: true}, 'Ej angivet'),
      ...READINESS_ORDER.map((v) => h('option', {value: v}, READINESS[v].label)));
    const edAge = h('span', {class: 'age'});
    const edLate = h('span', {class: 'late', hidden: true}, 'Försenad');
    const rdAge = h('span', {class: 'age'});
    const rdReason = h('input', {type: 'text', name: `${id}.readiness_reason`, id: `f-${id}-readiness_reason`,
      class: 'rd-reason', maxlength: 500, autocomplete: 'off', placeholder: 'Motivering (frivillig)',
      'aria-label': `Motivering till sjukhusets beredskapsläge, ${hosp.name}`});
    ed.addEventListener('change', () => markDirty(id, ed));
    rd.addEventListener('change', () => { markDirty(id, rd); updateRow(id); });
    rdReason.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); sendReport(id); } });
    const edField = h('div', {class: 'st-field', dataset: {cell: `${id}.ed_status`, overdue: 'false'}},
      h('label', {for: ed.id}, 'Akutmottagning'), ed, edLate, edAge);
    const statusCell = h('td', {class: 'c-status'},
      edField,
      h('div', {class: 'st-field'}, h('label', {for: rd.id, title: 'Sjukhusets beredskapsläge'}, 'Sjukhusets läge'), rd,
        rdReason, rdAge));

    const send = h('button', {type: 'button', class: 'btn btn-primary', dataset: {action: 'send', hospital: id}},
      'Skicka');
    const confirm = h('button', {type: 'button', class: 'btn btn-secondary', dataset: {action: 'confirm', hospital: id},
      title: 'Alla rapporterade siffror stämmer fortfarande: stämpla dem med nuvarande tid'}, 'Oförändrat – bekräfta');
    const result = h('div', {class: 'result row-result', role: 'status', 'aria-live': 'polite', dataset: {result: id}});
    send.addEventListener('click', () => sendReport(id));
    confirm.addEventListener('click', () => sendConfirm(id));
    const surgeRow = surge.build(hosp, cols.length + 3);
    const actions = h('td', {class: 'c-actions'}, h('div', {class: 'act-buttons'}, send, confirm, surgeRow.toggle), result);

    const tr = h('tr', {dataset: {hospital: id, overdue: '0'}}, nameCell, ...tds, statusCell, actions);
    rows.set(id, {id, tr, name, town, overdueTag, limit, forecast, cells, ed, rd, rdReason, edField, edLate, edAge, rdAge, send, confirm, result,
      pending: null});
    return [tr, surgeRow.tr];
  }

  /** An input is "ändrad" while its value differs from the server's. */
  function markDirty(id, ctl) {
    const dirty = ctl.value !== ctl.dataset.server;
    ctl.dataset.dirty = dirty ? 'true' : 'false';
    const td = ctl.closest('td');
    if (td && td.classList.contains('c-fig')) {
      td.dataset.dirty = dirty ? 'true' : 'false';
      const key = ctl.name.slice(id.length + 1);
      const c = rows.get(id)?.cells[key];
      if (c) { setText(c.err, ''); ctl.removeAttribute('aria-invalid'); updateCellMeta(id, key); }
    } else {
      ctl.classList.toggle('is-dirty', dirty);
    }
    const r = rows.get(id);
    if (r && r.result.dataset.state === 'error' && !r.pending) showResult(r.result, '', '');
  }

  function updateCellMeta(id, key) {
    const hosp = model.hospital(id);
    const c = rows.get(id)?.cells[key];
    if (!hosp || !c) return;
    const value = cellValue(hosp, key);
    const dirty = c.input.dataset.dirty === 'true';
    c.td.dataset.dirty = dirty ? 'true' : 'false';
    c.td.dataset.current = value === null ? '' : String(value);
    // The current value is in the input; once the input is changed it is shown beside it.
    setText(c.cur, dirty ? `nu ${value === null ? '–' : value}` : '');
    if (c.bed) {
      // With a changed förstärkning (not yet sent), the maximum it would give.
      const b = hosp.beds?.[key] || {};
      const s24 = surge.surge24hOf(id, key, b);
      setText(c.max, `max ${(b.baseline || 0) + s24}`);
      c.max.title = `${b.baseline || 0} ordinarie + ${s24} förstärkning inom 24 h (${surge.surge72hOf(id, key, b)} inom 72 h)`;
    } else {
      const plan = hosp.reception_baseline?.[key];
      setText(c.max, plan === undefined ? '' : `plan ${plan}`);
      c.max.title = 'Planeringsvärde, patienter per timme';
    }
  }

  function updateRow(id) {
    const hosp = model.hospital(id);
    const r = rows.get(id);
    if (!hosp || !r) return;
    page.holdInputs?.(id);  // the outbox: the inputs a waiting report carries keep what it sends
    const now = model.now();
    const f = model.freshness(hosp);
    const town = hosp.town && !hosp.name.toLocaleLowerCase('sv').includes(hosp.town.toLocaleLowerCase('sv')) ? hosp.town : '';
    setText(r.name, hosp.name);
    setText(r.town, town);
    r.town.hidden = !town;
    const writable = page.canWrite(hosp.region);
    surge.update(hosp, writable);  // first: the cells' maximum reads its inputs

    for (const [key, c] of Object.entries(r.cells)) {
      const fig = f.figures.get(pathOf(key));
      const rec = PRIORITIES.includes(key) ? hosp.reception?.[key] : hosp.beds?.[key];
      const t = parseTime(rec?.reported_at);
      const never = !Number.isFinite(t);
      follow(c.input, cellValue(hosp, key));
      c.td.dataset.overdue = fig?.overdue ? 'true' : 'false';
      c.late.hidden = !fig?.overdue;
      setText(c.age, never ? 'aldrig rapporterad' : ageShort(now - t));
      c.age.title = never ? 'Aldrig rapporterad'
        : `Rapporterad ${timeWithDay(t, now)}${rec.reported_by ? ` av ${rec.reported_by}` : ''}`;
      c.input.setAttribute('aria-label', `${c.td.querySelector('.cell-label').textContent}, ${hosp.name}`);
      updateCellMeta(id, key);
    }
    const ed = f.figures.get('ed_status');
    r.edField.dataset.overdue = ed?.overdue ? 'true' : 'false';
    r.edLate.hidden = !ed?.overdue;
    setText(r.edLate, ed?.never ? 'Försenad – aldrig rapporterad' : 'Försenad');

    r.tr.dataset.overdue = String(f.overdue);
    setText(r.overdueTag, f.overdue ? `⚠ ${f.overdue} försenade` : '✔ Aktuellt');
    r.overdueTag.classList.toggle('has-overdue', f.overdue > 0);
    setText(r.limit, f.known ? `Gräns ${f.limitMinutes} min (${levelLabel(f.level)})` : '');
    r.tr.dataset.forecast = showForecast(r.forecast, hosp, now).state;

    follow(r.ed, hosp.ed_status?.value ?? null);
    follow(r.rd, hosp.readiness?.value ?? null);
    setText(r.edAge, statusAge(hosp.ed_status, now));
    setText(r.rdAge, statusAge(hosp.readiness, now));

    const busy = !!r.pending || busyRow(id);
    for (const c of Object.values(r.cells)) c.input.readOnly = !writable;
    r.ed.disabled = !writable;
    r.rd.disabled = !writable;
    r.rdReason.disabled = !writable;
    // A reason goes with a new readiness level only.
    r.rdReason.hidden = !writable || r.rd.value === r.rd.dataset.server;
    r.send.disabled = !writable || busy || session.signing;
    r.confirm.disabled = !writable || busy || session.signing;
  }

  function updateOverdueSummary() {
    const hs = regionHospitals();
    let total = 0, hospitalsLate = 0;
    const limits = new Set();
    for (const hosp of hs) {
      const n = Number(rows.get(hosp.id)?.tr.dataset.overdue || 0);
      total += n;
      if (n) hospitalsLate++;
      const f = model.freshness(hosp);
      if (f.known) limits.add(`${f.limitMinutes} min i ${levelLabel(f.level)}`);
    }
    const el = $('overdue-summary');
    el.dataset.count = String(total);
    setText(el, total
      ? `⚠ ${total} ${total === 1 ? 'uppgift försenad' : 'uppgifter försenade'} (${hospitalsLate} sjukhus)`
      : (hs.length ? '✔ Alla uppgifter aktuella' : '–'));
    setText($('overdue-limits'), limits.size
      ? `Försenad = aldrig rapporterad eller äldre än ${[...limits].join(', ')}`
      : '');
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  function clearCellErrors(r) {
    for (const c of Object.values(r.cells)) { setText(c.err, ''); c.input.removeAttribute('aria-invalid'); }
    r.ed.removeAttribute('aria-invalid');
    r.rd.removeAttribute('aria-invalid');
    surge.clearErrors(r.id);
  }

  /** Marks the input a server error names ("beds.AdultICU.available", "reception.P1", "ed_status"). */
  function markFieldError(r, msg) {
    if (!msg.field) return;
    const parts = String(msg.field).split('.');
    const key = (parts[0] === 'beds' || parts[0] === 'reception') ? parts[1] : parts[0];
    const c = r.cells[key];
    // The cell gets the short reason; the row's result has the server's whole message.
    const text = page.errorText(msg);
    if (parts[0] === 'beds' && (parts[2] === 'surge24h' || parts[2] === 'surge72h')) {
      const why = parts[2] === 'surge72h' && msg.code === 'invalid_value' ? ': inom 72 h kan inte vara färre än inom 24 h.' : '';
      surge.markError(r.id, key, parts[2], `${text}${why}`, msg.message || '');
      return;
    }
    if (c) { setText(c.err, text); c.err.title = msg.message || ''; c.input.setAttribute('aria-invalid', 'true'); }
    else if (key === 'ed_status') r.ed.setAttribute('aria-invalid', 'true');
    else if (key === 'readiness') r.rd.setAttribute('aria-invalid', 'true');
  }

  /** The ack or error of a report or confirmation of row `r`. */
  function answered({state, answer}, entry) {
    const r = rows.get(entry.hospital);
    if (!r) return;
    if (state === 'ok') {
      showResult(r.result, 'ok', `Sparat (nr ${answer.seq}) ${timeHM(model.now())}${entry.kind === 'confirm' ? ' · oförändrat' : ''}` +
        (answer.already ? ' · redan sparat' : ''));
      const cmd = entry.cmd;
      for (const [key, b] of Object.entries(cmd.beds || {})) acceptSent(r.cells[key]?.input, b.available);
      surge.accept(entry.hospital, cmd);
      for (const [key, v] of Object.entries(cmd.reception || {})) acceptSent(r.cells[key]?.input, v);
      if (cmd.ed_status) acceptSent(r.ed, cmd.ed_status);
      if (cmd.readiness) { acceptSent(r.rd, cmd.readiness); r.rdReason.value = ''; }
    } else {
      showResult(r.result, 'error', `Inte sparat: ${refusalWords(answer, page.errorText)}`);
      markFieldError(r, answer);
    }
  }

  /** The results of a report or confirmation of hospital `id` (one restored by the outbox too). */
  function track(id) {
    return (result, entry) => {
      const row = rows.get(id);  // the table may have been rebuilt meanwhile
      if (!row) return;
      row.pending = UNANSWERED.has(result.state) ? entry.cmd.id : null;
      resultIn(row.result, answered, {slowText: SLOW_TEXT})(result, entry);
      if (result.state !== 'refused') { updateRow(id); updateOverdueSummary(); }
    };
  }

  function send(id, r, cmd, kind) {
    if (tracker.send(cmd, {kind, hospital: id, onResult: track(id)})) r.pending = cmd.id;
    updateRow(id);
  }

  function sendReport(id) {
    const r = rows.get(id);
    const hosp = model.hospital(id);
    if (!r || !hosp || r.pending || busyRow(id)) return;
    clearCellErrors(r);
    const cmd = {v: PROTOCOL_VERSION, type: 'report_capacity', id: commandId('r'), space: page.space, hospital: id};
    const beds = {}, reception = {};
    let errors = 0;
    const fail = (c, text) => { setText(c.err, text); c.input.setAttribute('aria-invalid', 'true'); errors++; };
    for (const [key, c] of Object.entries(r.cells)) {
      if (c.input.value === c.input.dataset.server) continue;
      const p = parseCount(c.input.value);
      if (p.empty) { fail(c, 'Ange ett tal, 0 eller mer.'); continue; }
      if (p.error) { fail(c, p.error); continue; }
      if (c.bed) {
        const b = hosp.beds?.[key] || {};
        const s24 = surge.surge24hOf(id, key, b);  // a changed förstärkning counts
        if (p.value > (b.baseline || 0) + s24) { fail(c, `Högst ${(b.baseline || 0) + s24} (${b.baseline || 0} + ${s24} förstärkning).`); continue; }
        if (p.value !== b.available) beds[key] = {available: p.value};
      } else if (p.value !== (hosp.reception?.[key]?.value ?? null)) {
        reception[key] = p.value;
      }
    }
    const surged = surge.collect(id, hosp, (key) => r.cells[key]?.input.value !== r.cells[key]?.input.dataset.server);
    errors += surged.errors;
    for (const [key, b] of Object.entries(surged.beds)) beds[key] = {...beds[key], ...b};
    if (errors) {
      showResult(r.result, 'error', `Inte skickat – rätta ${errors === 1 ? 'det markerade fältet' : `de ${errors} markerade fälten`}.`);
      (r.tr.querySelector('[aria-invalid="true"]') || surge.firstInvalid(id))?.focus();
      return;
    }
    if (Object.keys(beds).length) cmd.beds = beds;
    if (Object.keys(reception).length) cmd.reception = reception;
    if (r.ed.value && r.ed.value !== r.ed.dataset.server) cmd.ed_status = r.ed.value;
    if (r.rd.value && r.rd.value !== r.rd.dataset.server) {
      cmd.readiness = r.rd.value;
      const reason = r.rdReason.value.trim();
      if (reason.length > 500) {
        r.rdReason.setAttribute('aria-invalid', 'true');
        showResult(r.result, 'error', `Motiveringen får vara högst 500 tecken (nu ${reason.length}).`);
        return;
      }
      if (reason) cmd.reason = reason;
    }
    if (!cmd.beds && !cmd.reception && !cmd.ed_status && !cmd.readiness) {
      showResult(r.result, 'error', 'Inget är ändrat. Stämmer siffrorna: tryck ”Oförändrat – bekräfta”.');
      return;
    }
    send(id, r, cmd, 'report');
  }

  function sendConfirm(id) {
    const r = rows.get(id);
    const hosp = model.hospital(id);
    if (!r || !hosp || r.pending || busyRow(id)) return;
    clearCellErrors(r);
    const dirty = Object.values(r.cells).some((c) => c.input.value !== c.input.dataset.server) ||
      (r.ed.value !== r.ed.dataset.server) || (r.rd.value !== r.rd.dataset.server) || surge.dirty(id);
    if (dirty) {
      showResult(r.result, 'error', 'Du har ändrade fält: skicka dem med ”Skicka”, eller ångra ändringarna innan du bekräftar.');
      return;
    }
    if (!hosp.last_reported_at) {
      showResult(r.result, 'error', 'Sjukhuset har inga rapporterade siffror att bekräfta – fyll i och skicka.');
      return;
    }
    send(id, r, {v: PROTOCOL_VERSION, type: 'confirm_figures', id: commandId('c'), space: page.space, hospital: id}, 'confirm');
  }

  return {
    render() {
      if (structureKey() !== structure) buildTable();
      else for (const id of rows.keys()) updateRow(id);
      updateOverdueSummary();
    },
    tick() {
      for (const id of rows.keys()) updateRow(id);
      updateOverdueSummary();
    },
    /** The outbox's entries restored from storage: their results, as if sent from the row. */
    adopt: (entry) => track(entry.hospital),
  };
}
