// Lägesbild — a minimal capacity report form (report_capacity, set_region_readiness; protocol.md).
//
// Keeps its own WebSocket to /ws?space=… for the hospital list, the baselines used to validate and
// the current values shown as hints. Commands name their space explicitly; the reporter's name is
// sent once per connection as `hello`. Server strings reach the DOM only through textContent.

import {
  PROTOCOL_VERSION, BED_LABELS, PRIORITY_LABELS, PRIORITIES, READINESS, ED_STATUS,
  pageSpace, wsUrl, pageLink, h, setText, timeWithDay, parseTime, commandId,
} from './common.js';

const SPACE = pageSpace();
const REPORT_BEDS = ['AdultICU', 'MedicalSurgical', 'OperatingRooms', 'Burn'];
const MAX_VALUE = 100000;
const NO_ANSWER_MS = 10_000;

const ERROR_CODES = {
  bad_json: 'Servern kunde inte läsa meddelandet',
  unsupported_version: 'Fel protokollversion',
  unknown_type: 'Okänd meddelandetyp',
  bad_message: 'Felaktigt meddelande',
  message_too_large: 'Meddelandet är för stort',
  unknown_space: 'Okänt utrymme',
  unknown_hospital: 'Okänt sjukhus',
  unknown_region: 'Okänd region',
  invalid_value: 'Ogiltigt värde',
  over_capacity: 'Fler lediga platser än sjukhuset har',
  empty_report: 'Rapporten är tom',
  store_failed: 'Servern kunde inte spara – inget sparades',
  shutting_down: 'Servern stängs av – inget sparades',
  forbidden: 'Behörighet saknas',
};

const $ = (id) => document.getElementById(id);
const form = $('report-form');
const regionForm = $('region-form');

let snap = null;             // latest snapshot (kept current with deltas)
const pending = new Map();   // command id → {result: element, form, timer}

// ---------------------------------------------------------------------------------------------
// Building the form fields

function numberField(name, label, container) {
  const input = h('input', {type: 'text', id: `f-${name}`, name, inputmode: 'numeric', pattern: '[0-9]*',
    class: 'num-input', 'aria-describedby': `hint-${name} err-${name}`});
  const field = h('div', {class: 'field', dataset: {field: name}},
    h('label', {for: `f-${name}`}, label),
    input,
    h('span', {class: 'hint', id: `hint-${name}`}),
    h('span', {class: 'err', id: `err-${name}`}));
  container.append(field);
  return input;
}

for (const key of REPORT_BEDS) numberField(key, `${BED_LABELS[key].long} lediga`, $('bed-fields'));
for (const p of PRIORITIES) numberField(p, `${PRIORITY_LABELS[p].long} per timme`, $('prio-fields'));

const reporterInput = form.elements.reporter;
try { reporterInput.value = localStorage.getItem('lagesbild.reporter') || ''; } catch { /* private mode */ }

// ---------------------------------------------------------------------------------------------
// Snapshot → selects and hints

function hospitalsById() {
  return new Map((snap?.state?.hospitals || []).map((x) => [x.id, x]));
}

function fillSelects() {
  const st = snap.state;
  const byId = hospitalsById();
  const hSel = form.elements.hospital;
  const keep = hSel.value || sessionStorage.getItem('lagesbild.hospital') || '';
  const opts = [h('option', {value: ''}, 'Välj sjukhus…')];
  for (const region of st.regions || []) {
    const group = h('optgroup', {label: region.name});
    for (const hid of region.hospitals || []) {
      const hosp = byId.get(hid);
      if (!hosp) continue;
      const town = hosp.town && !hosp.name.toLocaleLowerCase('sv').includes(hosp.town.toLocaleLowerCase('sv'))
        ? ` (${hosp.town})` : '';
      group.append(h('option', {value: hosp.id}, `${hosp.name}${town}`));
    }
    opts.push(group);
  }
  hSel.replaceChildren(...opts);
  if (keep && byId.has(keep)) hSel.value = keep;

  const rSel = regionForm.elements.region;
  const keepR = rSel.value;
  rSel.replaceChildren(h('option', {value: ''}, 'Välj region…'),
    ...(st.regions || []).map((r) => h('option', {value: r.id}, r.name)));
  if (keepR) rSel.value = keepR;
  updateHints();
  updateRegionHint();
}

function describe(rec, now) {
  const t = parseTime(rec?.reported_at);
  if (!Number.isFinite(t)) return '';
  return ` (${timeWithDay(t, now)}${rec.reported_by ? `, ${rec.reported_by}` : ''})`;
}

/** A hint of two lines: the limit or plan, and the current value with when and by whom. */
function setHint(el, first, now) {
  el.replaceChildren(first, now ? h('span', {class: 'now'}, now) : '');
}

function currentText(value, rec, now) {
  return value === null || value === undefined ? 'Nu: ej rapporterat' : `Nu: ${value}${describe(rec, now)}`;
}

function updateHints() {
  const hosp = hospitalsById().get(form.elements.hospital.value);
  const now = Date.now();
  for (const key of REPORT_BEDS) {
    const hint = $(`hint-${key}`);
    const field = hint.closest('.field');
    if (!hosp) { setHint(hint, ''); field.hidden = false; continue; }
    const b = hosp.beds?.[key] || {baseline: 0, surge24h: 0, available: null};
    const cap = (b.baseline || 0) + (b.surge24h || 0);
    // A bed type the hospital does not have (e.g. Brännskada outside the burn centres) is hidden.
    field.hidden = cap === 0 && (b.available === null || b.available === undefined);
    if (field.hidden) form.elements[key].value = '';
    setHint(hint, cap === 0 ? 'Sjukhuset har inga sådana platser'
      : `Högst ${cap} (${b.baseline} + ${b.surge24h} förstärkning)`, currentText(b.available, b, now));
  }
  for (const p of PRIORITIES) {
    const hint = $(`hint-${p}`);
    if (!hosp) { setHint(hint, ''); continue; }
    const rec = hosp.reception?.[p];
    const plan = hosp.reception_baseline?.[p];
    setHint(hint, plan !== undefined ? `Planeringsvärde ${plan}` : '', currentText(rec?.value, rec, now));
  }
  const ed = hosp?.ed_status;
  setHint($('hint-ed_status'), '', hosp ? `Nu: ${ED_STATUS[ed?.value]?.label || 'ej rapporterat'}${describe(ed, now)}` : '');
  const rd = hosp?.readiness;
  setHint($('hint-readiness'), '', hosp ? `Nu: ${READINESS[rd?.value]?.label || 'ej angivet'}${describe(rd, now)}` : '');
  setText($('hint-hospital'), hosp
    ? (hosp.last_reported_at
      ? `Senast rapporterat ${timeWithDay(parseTime(hosp.last_reported_at), now)}.`
      : 'Sjukhuset har inte rapporterat ännu.')
    : '');
}

function updateRegionHint() {
  const region = (snap?.state?.regions || []).find((r) => r.id === regionForm.elements.region.value);
  const rd = region?.readiness;
  setHint($('hint-region'), '', region ? `Nu: ${READINESS[rd?.value]?.label || 'ej angivet'}${describe(rd, Date.now())}` : '');
}

form.elements.hospital.addEventListener('change', () => {
  try { sessionStorage.setItem('lagesbild.hospital', form.elements.hospital.value); } catch { /* ignore */ }
  clearErrors(form);
  updateHints();
});
regionForm.elements.region.addEventListener('change', updateRegionHint);

// ---------------------------------------------------------------------------------------------
// Validation

function setError(formEl, name, text) {
  const err = $(`err-${name}`);
  const ctl = formEl.elements[name];
  if (err) setText(err, text || '');
  if (ctl) {
    if (text) ctl.setAttribute('aria-invalid', 'true'); else ctl.removeAttribute('aria-invalid');
  }
}

function clearErrors(formEl) {
  for (const el of formEl.querySelectorAll('.err')) el.textContent = '';
  for (const el of formEl.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** Parses a count field: {empty} | {value} | {error}. */
function parseCount(raw) {
  const s = raw.trim();
  if (s === '') return {empty: true};
  if (!/^\d+$/.test(s)) {
    if (/^-\s*\d/.test(s)) return {error: 'Får inte vara negativt.'};
    if (/^\d+[.,]\d+$/.test(s)) return {error: 'Ange ett heltal (inga decimaler).'};
    return {error: 'Ange ett heltal, 0 eller mer.'};
  }
  const n = Number(s);
  if (n > MAX_VALUE) return {error: `Orimligt stort tal (högst ${MAX_VALUE}).`};
  return {value: n};
}

/** Validates the report form; returns the command body or null (errors shown). */
function buildReport() {
  clearErrors(form);
  let ok = true;
  const hospId = form.elements.hospital.value;
  const hosp = hospitalsById().get(hospId);
  if (!hosp) { setError(form, 'hospital', 'Välj ett sjukhus.'); ok = false; }

  const cmd = {v: PROTOCOL_VERSION, type: 'report_capacity', id: commandId('r'), space: SPACE, hospital: hospId};
  const beds = {};
  for (const key of REPORT_BEDS) {
    const r = parseCount(form.elements[key].value);
    if (r.empty) continue;
    if (r.error) { setError(form, key, r.error); ok = false; continue; }
    if (hosp) {
      const b = hosp.beds?.[key] || {baseline: 0, surge24h: 0};
      const cap = (b.baseline || 0) + (b.surge24h || 0);
      if (r.value > cap) {
        setError(form, key, cap === 0
          ? 'Sjukhuset har inga sådana platser – ange 0 eller lämna tomt.'
          : `Högst ${cap} lediga (${b.baseline} ordinarie + ${b.surge24h} förstärkning).`);
        ok = false;
        continue;
      }
    }
    beds[key] = {available: r.value};
  }
  const reception = {};
  for (const p of PRIORITIES) {
    const r = parseCount(form.elements[p].value);
    if (r.empty) continue;
    if (r.error) { setError(form, p, r.error); ok = false; continue; }
    reception[p] = r.value;
  }
  if (Object.keys(beds).length) cmd.beds = beds;
  if (Object.keys(reception).length) cmd.reception = reception;
  const ed = form.elements.ed_status.value;
  if (ed) cmd.ed_status = ed;
  const rd = form.elements.readiness.value;
  if (rd) cmd.readiness = rd;

  if (!ok) {
    showResult($('report-result'), 'error', 'Inte skickat – rätta de markerade fälten.');
    return null;
  }
  if (!cmd.beds && !cmd.reception && !cmd.ed_status && !cmd.readiness) {
    showResult($('report-result'), 'error', 'Fyll i minst ett värde – tomma fält skickas inte.');
    return null;
  }
  return cmd;
}

// ---------------------------------------------------------------------------------------------
// Sending and answers

function showResult(el, state, text) {
  el.dataset.state = state;
  setText(el, text);
}

let helloSentOn = null;  // the socket the current name was sent on
let helloName = '';

function send(cmd, resultEl, formEl) {
  if (!ws || ws.readyState !== WebSocket.OPEN || !snap) {
    showResult(resultEl, 'error', 'Ingen anslutning till servern – inget skickades. Försök igen när anslutningen är tillbaka.');
    return;
  }
  const name = reporterInput.value.trim();
  try { localStorage.setItem('lagesbild.reporter', name); } catch { /* ignore */ }
  if (name && (helloSentOn !== ws || helloName !== name)) {
    ws.send(JSON.stringify({v: PROTOCOL_VERSION, type: 'hello', name}));
    helloSentOn = ws;
    helloName = name;
  }
  ws.send(JSON.stringify(cmd));
  showResult(resultEl, 'pending', 'Skickar…');
  const timer = setTimeout(() => {
    if (pending.has(cmd.id)) {
      setText(resultEl, 'Skickar… inget svar från servern ännu. Kontrollera lägesbilden innan du skickar igen.');
    }
  }, NO_ANSWER_MS);
  pending.set(cmd.id, {result: resultEl, form: formEl, timer});
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const name = reporterInput.value.trim();
  if (name.length > 64) { setError(form, 'reporter', 'Högst 64 tecken.'); return; }
  const cmd = buildReport();
  if (cmd) send(cmd, $('report-result'), form);
});

regionForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearErrors(regionForm);
  const region = regionForm.elements.region.value;
  const level = regionForm.elements.level.value;
  let ok = true;
  if (!region) { setError(regionForm, 'region', 'Välj en region.'); ok = false; }
  if (!level) { setError(regionForm, 'level', 'Välj ett beredskapsläge.'); ok = false; }
  if (!ok) {
    showResult($('region-result'), 'error', 'Inte skickat – rätta de markerade fälten.');
    return;
  }
  send({v: PROTOCOL_VERSION, type: 'set_region_readiness', id: commandId('g'), space: SPACE, region, level},
    $('region-result'), regionForm);
});

/** Maps a protocol field path to the name of the form control it concerns. */
function fieldName(path) {
  if (!path) return null;
  const parts = String(path).split('.');
  if (parts[0] === 'beds' && parts[1]) return parts[1];
  if (parts[0] === 'reception' && parts[1]) return parts[1];
  return parts[0];
}

function onAnswer(msg) {
  const p = pending.get(msg.id);
  if (!p) return;
  pending.delete(msg.id);
  clearTimeout(p.timer);
  if (msg.type === 'ack') {
    showResult(p.result, 'ok', `Mottaget och sparat (nr ${msg.seq})`);
    if (p.form === form) {
      for (const key of [...REPORT_BEDS, ...PRIORITIES]) form.elements[key].value = '';
      form.elements.ed_status.value = '';
      form.elements.readiness.value = '';
    }
    return;
  }
  const what = ERROR_CODES[msg.code] || 'Fel';
  const name = fieldName(msg.field);
  const ctlName = name && p.form.elements[name] ? name : null;
  showResult(p.result, 'error', `Inte sparat: ${what}${msg.message ? ` – ${msg.message}` : ''}` +
    (msg.field && !ctlName ? ` (fält ${msg.field})` : ''));
  if (ctlName) setError(p.form, ctlName, `${what}${msg.message ? `: ${msg.message}` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Connection (a fresh snapshot on every reconnect is enough for this page)

let ws = null;
let backoff = 500;

function setConn(state, text) {
  const el = $('connection');
  el.dataset.state = state;
  setText(el.querySelector('.conn-text'), text);
}

function applyHeader() {
  const exercise = SPACE !== 'live' || !!snap?.exercise;
  const chip = $('space-chip');
  chip.className = `space-chip ${exercise ? 'is-exercise' : 'is-live'}`;
  setText(chip, exercise ? `Övning: ${SPACE}` : 'Skarpt läge');
  setText($('hcr-name'), snap?.state?.healthcare_region?.name || '');
  document.title = `${exercise ? 'ÖVNING – ' : ''}Rapportera kapacitet – Lägesbild`;
  let banner = $('exercise-banner');
  if (exercise && !banner) {
    banner = h('div', {id: 'exercise-banner', role: 'note', 'aria-label': 'Övning'},
      h('span', {class: 'ex-side', 'aria-hidden': 'true'}),
      h('span', {class: 'ex-word', text: 'ÖVNING'}),
      h('span', {class: 'ex-detail', text: `Rapporter går till övningsutrymmet ”${SPACE}”, inte till skarpt läge`}),
      h('span', {class: 'ex-side', 'aria-hidden': 'true'}));
    $('banner-slot').append(banner);
    document.body.classList.add('exercise');
  } else if (!exercise && banner) {
    banner.remove();
    document.body.classList.remove('exercise');
  }
}

function connect() {
  const sock = new WebSocket(wsUrl({space: SPACE}));
  ws = sock;
  sock.onmessage = (ev) => {
    let msg;
    try { msg = JSON.parse(ev.data); } catch { return; }
    if (!msg || msg.v !== PROTOCOL_VERSION) return;
    if (msg.type === 'snapshot') {
      if (msg.space && msg.space !== SPACE) return;
      snap = msg;
      backoff = 500;
      setConn('connected', 'Ansluten');
      applyHeader();
      fillSelects();
    } else if (msg.type === 'delta' && snap && msg.space === snap.space) {
      if (msg.hospital) {
        const list = snap.state.hospitals;
        const i = list.findIndex((x) => x.id === msg.hospital.id);
        if (i >= 0) list[i] = msg.hospital; else list.push(msg.hospital);
      }
      if (msg.region) {
        const list = snap.state.regions;
        const i = list.findIndex((x) => x.id === msg.region.id);
        if (i >= 0) list[i] = msg.region; else list.push(msg.region);
      }
      snap.seq = msg.seq;
      updateHints();
      updateRegionHint();
    } else if (msg.type === 'ack' || msg.type === 'error') {
      if (msg.id && pending.has(msg.id)) onAnswer(msg);
      else if (msg.type === 'error' && !snap) {
        setConn('offline', `${ERROR_CODES[msg.code] || 'Fel'}: ${msg.message || ''}`);
      }
    }
  };
  sock.onclose = () => {
    if (ws !== sock) return;
    ws = null;
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      showResult(p.result, 'error',
        'Anslutningen bröts innan servern bekräftade. Kontrollera på lägesbilden om rapporten kom fram; skicka annars igen.');
      pending.delete(id);
    }
    setConn(backoff > 1000 ? 'offline' : 'reconnecting', backoff > 1000 ? 'Frånkopplad – försöker igen…' : 'Återansluter…');
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 5000);
  };
}

$('board-link').href = pageLink('index.html');
applyHeader();
connect();
setInterval(() => { updateHints(); updateRegionHint(); }, 30_000);
