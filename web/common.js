// Lägesbild — helpers shared by the pages: the board (board.js), the TiB page (tib.js), the
// trainer page (trainer.js) and the after-action review (review.js).
// Plain ES module, no dependencies, no network access beyond the page's own server.
// Server strings (names, towns, reporters) must only ever reach the DOM through textContent:
// use h() below, never innerHTML.

import {exerciseElapsed} from './client_model.js';

export {parseTime, exerciseElapsed, exerciseNow} from './client_model.js';

export const PROTOCOL_VERSION = 1;

// Wire names → Swedish user-interface labels (protocol.md "Names").
export const BED_TYPES = ['AdultICU', 'PediatricICU', 'Burn', 'MedicalSurgical', 'Pediatrics',
  'OperatingRooms', 'EmergencyDepartment'];

export const BED_LABELS = {
  AdultICU: {short: 'IVA', long: 'IVA-platser'},
  PediatricICU: {short: 'Barn-IVA', long: 'Barn-IVA-platser'},
  Burn: {short: 'Brännskada', long: 'Brännskadevård'},
  MedicalSurgical: {short: 'Vårdplatser', long: 'Vårdplatser'},
  Pediatrics: {short: 'Barnvårdpl.', long: 'Barnvårdplatser'},
  OperatingRooms: {short: 'Op-salar', long: 'Operationssalar'},
  EmergencyDepartment: {short: 'Akutplatser', long: 'Akutmottagningens platser'},
};

export const PRIORITIES = ['P1', 'P2', 'P3'];
export const PRIORITY_LABELS = {
  P1: {short: 'P1', long: 'Prio 1 (röd)'},
  P2: {short: 'P2', long: 'Prio 2 (gul)'},
  P3: {short: 'P3', long: 'Prio 3 (grön)'},
};

// rank: 1..4, drawn as that many filled pips, so the level never depends on colour alone.
export const READINESS = {
  normal: {label: 'Normalläge', rank: 1},
  staff: {label: 'Stabsläge', rank: 2},
  reinforced: {label: 'Förstärkningsläge', rank: 3},
  disaster: {label: 'Katastrofläge', rank: 4},
};
export const READINESS_ORDER = ['normal', 'staff', 'reinforced', 'disaster'];

// diversion: closed to ambulances (they go elsewhere), walk-in patients still taken.
export const ED_STATUS = {
  open: {label: 'Öppen', icon: '●'},
  restricted: {label: 'Begränsad', icon: '◐'},
  diversion: {label: 'Stängd för ambulans (omdirigering)', icon: '⊘'},
  closed: {label: 'Stängd', icon: '✖'},
};
export const ED_ORDER = ['open', 'restricted', 'diversion', 'closed'];

// Messages (protocol.md "post_message"). The icon is text, so the kind never depends on colour.
export const MESSAGE_KINDS = {
  alert: {label: 'Larm', icon: '⚠'},
  methane: {label: 'METHANE-rapport', icon: '◆'},
  situation_report: {label: 'Lägesrapport', icon: '▤'},
  information: {label: 'Information', icon: 'ℹ'},
};
export const MESSAGE_KIND_ORDER = ['situation_report', 'methane', 'alert', 'information'];

// Exercises (protocol.md "Exercises", docs/scenarios.md): the kinds of inject, how an exercise
// target (a kontrollpunkt) went, and the events of the review's timeline.
export const INJECT_KINDS = {
  message: {label: 'Meddelande', icon: '✉'},
  casualty_wave: {label: 'Skadeutfall', icon: '✚'},
  capacity_change: {label: 'Kapacitetsändring', icon: '⇅'},
  readiness: {label: 'Beredskapsläge', icon: '▲'},
  decision: {label: 'Beslut (motspel)', icon: '⚖'},
  transfer: {label: 'Sekundärtransport', icon: '⇄'},
  transport: {label: 'Ambulanser och helikoptrar', icon: '⛟'},
  target: {label: 'Kontrollpunkt', icon: '⚑'},
};
/** How an exercise target or a performance indicator went (the same words on every page). */
export const TARGET_STATUS = {
  met: {label: 'Uppfylld', icon: '✔'},
  not_met: {label: 'Ej uppfylld', icon: '✖'},
  pending: {label: 'Väntar', icon: '○'},
};
/** A status by today's name: a server before `not_met`/`pending` said `missed`/`not_done`. */
export function targetStatus(status) {
  return {missed: 'not_met', not_done: 'pending'}[status] || status;
}
export const EVENT_KINDS = {
  capacity_reported: 'Kapacitetsrapport',
  figures_confirmed: 'Oförändrat, bekräftat',
  region_readiness_set: 'Regionens beredskapsläge',
  message_posted: 'Meddelande',
  message_acknowledged: 'Kvittens',
  exercise_clock_set: 'Övningsklockan',
  exercise_started: 'Övningen startad',
  casualties_dispatched: 'Patienter skickas',
  casualties_arrived: 'Patienter anländer',
  casualties_at_scene: 'Skadade väntar på skadeplatsen',
  access_denied: 'Nekad åtgärd',
  decision_recorded: 'Beslut',
  patients_deteriorated: 'Försämring under väntan',
  patients_transferred: 'Sekundärtransport',
  transport_reported: 'Ambulanser och helikoptrar',
};

/** How a secondary transport goes (protocol.md "transfer_patients", `mode`). */
export const TRANSPORT_MODES = {
  ambulance: {label: 'Ambulans', word: 'ambulans'},
  helicopter: {label: 'Helikopter', word: 'helikopter'},
};

// METHANE in its fixed order; the letter is shown beside each field.
export const METHANE_FIELDS = [
  {key: 'major_incident', letter: 'M', label: 'Allvarlig händelse – utlöst?'},
  {key: 'exact_location', letter: 'E', label: 'Exakt plats'},
  {key: 'type', letter: 'T', label: 'Typ av händelse'},
  {key: 'hazards', letter: 'H', label: 'Risker'},
  {key: 'access', letter: 'A', label: 'Åtkomst/väg in och ut'},
  {key: 'number_of_casualties', letter: 'N', label: 'Antal skadade och svårighetsgrad'},
  {key: 'emergency_services', letter: 'E', label: 'Insatta och behövda resurser'},
];

// Decisions (protocol.md "record_decision — beslut") and what they are about.
export const DECISION_KINDS = {
  major_incident_declared: 'Allvarlig händelse utlöst',
  major_incident_stood_down: 'Allvarlig händelse avblåst',
  receiving_hospitals: 'Beslut om mottagande sjukhus',
  capacity_judgement: 'Bedömning av egen kapacitet',
  icu_need: 'Uppskattat IVA-behov',
  capacity_shortage: 'Kapacitetsbrist',
  support_request: 'Begäran om stöd',
  support_offer: 'Erbjudande om stöd',
  readiness_set: 'Beredskapsläge',
};
export const JUDGEMENTS = {
  sufficient: {label: 'Räcker', icon: '✔'},
  strained: {label: 'Ansträngd', icon: '◐'},
  insufficient: {label: 'Räcker inte', icon: '✖'},
};
export const JUDGEMENT_ORDER = ['sufficient', 'strained', 'insufficient'];
/** A resource of a shortage or a support decision: label, short name, and [one, many] with a count. */
export const RESOURCES = {
  AdultICU: {label: 'IVA-platser', short: 'IVA', unit: ['IVA-plats', 'IVA-platser']},
  PediatricICU: {label: 'Barn-IVA-platser', short: 'barn-IVA', unit: ['barn-IVA-plats', 'barn-IVA-platser']},
  Burn: {label: 'Brännskadeplatser', short: 'brännskadevård', unit: ['brännskadeplats', 'brännskadeplatser']},
  MedicalSurgical: {label: 'Vårdplatser', short: 'vårdplatser', unit: ['vårdplats', 'vårdplatser']},
  Pediatrics: {label: 'Barnvårdplatser', short: 'barnvårdplatser', unit: ['barnvårdplats', 'barnvårdplatser']},
  OperatingRooms: {label: 'Operationssalar', short: 'operationssalar', unit: ['operationssal', 'operationssalar']},
  EmergencyDepartment: {label: 'Akutmottagningens platser', short: 'akutplatser', unit: ['akutplats', 'akutplatser']},
  staff: {label: 'Personal', short: 'personal', unit: ['person (personal)', 'personer (personal)']},
  ambulances: {label: 'Ambulanser', short: 'ambulanser', unit: ['ambulans', 'ambulanser']},
  helicopters: {label: 'Helikoptrar', short: 'helikoptrar', unit: ['helikopter', 'helikoptrar']},
  blood: {label: 'Blod', short: 'blod', unit: ['enhet blod', 'enheter blod']},
  equipment: {label: 'Materiel', short: 'materiel', unit: ['enhet materiel', 'enheter materiel']},
  other: {label: 'Övrigt', short: 'övrigt', unit: ['enhet (övrigt)', 'enheter (övrigt)']},
};
export const RESOURCE_ORDER = [...BED_TYPES, 'staff', 'ambulances', 'helicopters', 'blood', 'equipment', 'other'];

/** Who speaks in a message (protocol.md "post_message", `sender`). */
export const SENDERS = {
  sos_alarm: 'SOS Alarm',
  scene_command: 'Sjukvårdsledare på skadeplats',
  socialstyrelsen: 'Socialstyrelsens TiB',
  rssl: 'RSSL',
};

/** The timed performance indicators of the review (protocol.md "After-action review"). */
export const INDICATORS = {
  region_major_incident: 'Allvarlig händelse utlöst',
  region_readiness: 'Beredskapsläge satt',
  region_receiving_hospitals: 'Mottagande sjukhus beslutade',
  region_capacity_judgement: 'Egen kapacitet bedömd',
  hospital_readiness: 'Beredskapsläge satt (sjukhus)',
  hospital_resources_reported: 'Resurser rapporterade till strategisk nivå',
  hospital_icu_need: 'IVA-behov uppskattat',
  hospital_capacity_shortage: 'Kapacitetsbrist rapporterad',
};

/** Swedish texts of the server's error codes (protocol.md "error"). */
export const ERROR_TEXT = {
  bad_json: 'Servern kunde inte läsa meddelandet',
  unsupported_version: 'Fel protokollversion',
  unknown_type: 'Okänd meddelandetyp',
  bad_message: 'Felaktigt meddelande',
  message_too_large: 'Meddelandet är för stort',
  scenario_id_taken: 'Id:t används av en scenariofil – ge kopian ett eget id',
  version_conflict: 'Någon annan har sparat scenariot sedan du öppnade det',
  catalogue_full: 'Servern har inte plats för fler sparade scenarier',
  unknown_space: 'Övningen finns inte (eller lägesbilden är okänd för servern)',
  unknown_hospital: 'Okänt sjukhus',
  unknown_region: 'Okänd region',
  invalid_value: 'Ogiltigt värde',
  over_capacity: 'Fler lediga platser än sjukhuset har',
  empty_report: 'Rapporten är tom',
  invalid_have: 'EDXL-HAVE-dokumentet kunde inte läsas in; inget importerades',
  store_failed: 'Händelseloggen kunde inte spara det – inget sparades, försök igen',
  corrupt_event: 'Händelseloggen kunde inte läsas tillbaka – inget sparas förrän den går att läsa; kontakta driften',
  unauthorized: 'Okänd inloggningsnyckel',
  too_many_attempts: 'För många misslyckade inloggningar från den här adressen – vänta en stund och försök igen',
  forbidden: 'Behörighet saknas',
  unknown_message: 'Meddelandet finns inte, eller är stängt eller arkiverat',
  not_addressed: 'Meddelandet är inte ställt till regionen eller kräver ingen kvittens',
  shutting_down: 'Servern stängs av – inget sparades',
  rate_limited: 'För många meddelanden på kort tid (från den här anslutningen, eller till servern totalt) – inget sparades, skicka igen om en stund',
  sign_in_required: 'Inloggning krävs – logga in med din nyckel',
  origin_forbidden: 'Servern tar inte emot anslutningar från sidans adress',
  busy: 'Servern är upptagen – försök igen om en stund',
  method_not_allowed: 'Servern tar inte emot den sortens förfrågan',
  bad_request: 'Servern förstod inte förfrågan (felaktig HTTP)',
  internal_error: 'Internt fel i servern – försök igen; kvarstår felet, kontakta den som sköter servern',
  // Exercises (protocol.md "Exercises").
  unknown_scenario: 'Okänt scenario',
  invalid_scenario: 'Scenariot har fel och kan inte startas',
  space_exists: 'Det finns redan en övning med det namnet',
  not_an_exercise: 'Det här är ingen övning',
  not_running: 'Övningen är inte igång',
  exercise_stopped: 'Övningen är avslutad',
};

export const ROLE_LABELS = {admin: 'Administratör', trainer: 'Övningsledare', reporter: 'Rapportör', viewer: 'Läsare'};

// The fields a server error may name (`field`, e.g. "beds.AdultICU.available"), in words.
const FIELD_WORDS = {
  beds: '', reception: 'mottagning', available: 'lediga', baseline: 'ordinarie',
  surge24h: 'förstärkning inom 24 h', surge72h: 'förstärkning inom 72 h',
  ed_status: 'akutmottagning', readiness: 'beredskapsläge', level: 'beredskapsläge', reason: 'motivering',
  text: 'text', to: 'mottagare', kind: 'typ', fields: 'fält', methane: 'METHANE', requires_ack: 'kvittens',
  sender: 'avsändare', hospital: 'sjukhus', hospitals: 'sjukhus', region: 'region', to_region: 'region',
  incident: 'händelse', judgement: 'bedömning', icu_beds: 'IVA-behov', resource: 'resurs', amount: 'antal',
  decision: 'beslut', message: 'meddelande', from: 'från sjukhus', patients: 'patienter', burns: 'brännskadade',
  transport_minutes: 'transporttid', mode: 'transportsätt', ambulances: 'ambulanser', helicopters: 'helikoptrar',
  committed: 'i uppdrag', speed: 'hastighet', scenario: 'scenariofil', action: 'åtgärd',
  token: 'nyckel', space: 'övning', id: 'id', type: 'typ',
};

/** "beds.AdultICU.available" → "IVA-platser, lediga"; '' when it names nothing the pages know. */
export function fieldText(field) {
  const words = [];
  for (const part of String(field || '').split('.')) {
    if (!part) continue;
    const word = BED_LABELS[part]?.long ?? PRIORITY_LABELS[part]?.long ??
      METHANE_FIELDS.find((f) => f.key === part)?.label ?? FIELD_WORDS[part];
    if (word === undefined) {
      if (/^\d+$/.test(part)) continue;  // a list index
      return '';
    }
    if (word) words.push(word);
  }
  return words.join(', ');
}

/**
 * Why the server refused a command, in Swedish only: "Ogiltigt värde (fält: IVA-platser, lediga)".
 * The server's own `message` is English and for the log: it never reaches what users read.
 */
export function refusalWords(answer, errorText = (a) => ERROR_TEXT[a.code]) {
  const why = errorText(answer) || 'Servern tog inte emot det';
  const field = fieldText(answer?.field);
  return field ? `${why} (fält: ${field})` : why;
}

/** "Region Örebro län" → "Örebro län" (for tight places; the full name stays in titles). */
export function shortRegionName(name) {
  return String(name || '').replace(/^Region\s+/, '');
}

// ---------------------------------------------------------------------------------------------
// Page parameters and server addresses

/** The space named by the page URL (?space=), default "live". */
export function pageSpace() {
  const s = new URLSearchParams(location.search).get('space');
  return s && s.trim() ? s.trim() : 'live';
}

/** ws(s)://<this host>/ws with the given query parameters (undefined/null values left out). */
export function wsUrl(params = {}) {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = new URL(`${proto}//${location.host}/ws`);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  return url.toString();
}

/** A link to another page of the board that keeps the current ?space=. */
export function pageLink(path) {
  const s = new URLSearchParams(location.search).get('space');
  return s ? `${path}?space=${encodeURIComponent(s)}` : path;
}

// ---------------------------------------------------------------------------------------------
// DOM

/**
 * Creates an element. attrs: {class, text, dataset: {...}, on: {event: fn}, hidden, ...attributes}.
 * Children may be nodes, strings (inserted as text) or null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Sets textContent only when it differs (keeps layout and selection calm). */
export function setText(el, text) {
  const t = String(text);
  if (el.textContent !== t) el.textContent = t;
}

/**
 * Shows the unmistakable ÖVNING banner at the top of the page while `exercise` is true (and removes it
 * otherwise). Every page that can show exercise data calls this on each snapshot.
 */
export function syncExerciseBanner(exercise, detail) {
  let banner = document.getElementById('exercise-banner');
  if (exercise && !banner) {
    banner = h('div', {id: 'exercise-banner', role: 'note', 'aria-label': 'Övning'},
      h('span', {class: 'ex-side', 'aria-hidden': 'true'}),
      h('span', {class: 'ex-word', text: 'ÖVNING'}),
      h('span', {class: 'ex-detail'}),
      h('span', {class: 'ex-side', 'aria-hidden': 'true'}));
    document.body.prepend(banner);
  } else if (!exercise && banner) {
    banner.remove();
    banner = null;
  }
  if (banner) setText(banner.querySelector('.ex-detail'), detail);
}

// ---------------------------------------------------------------------------------------------
// Time — the wire is UTC; everything shown is Europe/Stockholm.

const TZ = 'Europe/Stockholm';
const fmtHM = new Intl.DateTimeFormat('sv-SE', {timeZone: TZ, hour: '2-digit', minute: '2-digit'});
const fmtHMS = new Intl.DateTimeFormat('sv-SE',
  {timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit'});
const fmtDay = new Intl.DateTimeFormat('sv-SE',
  {timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric'});
const fmtShortDate = new Intl.DateTimeFormat('sv-SE', {timeZone: TZ, day: 'numeric', month: 'short'});
const fmtYMD = new Intl.DateTimeFormat('sv-SE',
  {timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit'});

const toDate = (t) => (t instanceof Date ? t : new Date(t));

export const timeHM = (t) => fmtHM.format(toDate(t));
export const timeHMS = (t) => fmtHMS.format(toDate(t));
export const dayLong = (t) => fmtDay.format(toDate(t));

/** "10:14", or "22 nov. 10:14" when t is not on the same Stockholm day as now. */
export function timeWithDay(t, now) {
  const d = toDate(t);
  if (fmtYMD.format(d) === fmtYMD.format(toDate(now))) return fmtHM.format(d);
  return `${fmtShortDate.format(d)} ${fmtHM.format(d)}`;
}

/** "12 min", "1 h 5 min", "2 dygn", "< 1 min": a short age for tight places. */
export function ageShort(ms) {
  if (!Number.isFinite(ms) || ms < 60_000) return '< 1 min';
  const min = Math.floor(ms / 60_000);
  if (min < 60) return `${min} min`;
  const hours = Math.floor(min / 60);
  if (hours < 24) return min % 60 ? `${hours} h ${min % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} dygn`;
}

/** "för 12 min sedan", "för 1 h 5 min sedan", "för 2 dygn sedan", "nyss". */
export function ageText(ms) {
  if (!Number.isFinite(ms) || ms < 60_000) return 'nyss';
  const min = Math.floor(ms / 60_000);
  if (min < 60) return `för ${min} min sedan`;
  const hours = Math.floor(min / 60);
  if (hours < 24) {
    const rest = min % 60;
    return rest ? `för ${hours} h ${rest} min sedan` : `för ${hours} h sedan`;
  }
  const days = Math.floor(hours / 24);
  return `för ${days} dygn sedan`;
}

// ---------------------------------------------------------------------------------------------
// Values

/** The number shown for a figure: the integer, or an en dash when not reported. */
export const showNumber = (v) => (v === null || v === undefined ? '–' : String(v));

/** A unique command id (≤ 64 characters). */
export function commandId(prefix = 'c') {
  const rnd = (globalThis.crypto && crypto.randomUUID)
    ? crypto.randomUUID().slice(0, 8)
    : Math.random().toString(36).slice(2, 10);
  return `${prefix}-${Date.now().toString(36)}-${rnd}`;
}

// ---------------------------------------------------------------------------------------------
// Exercises (protocol.md "Exercises"): the exercise clock, extrapolated between clock events.

export const EXERCISE_STATUS = {
  running: {label: 'Pågår', icon: '▶'},
  paused: {label: 'Pausad', icon: '❚❚'},
  stopped: {label: 'Avslutad', icon: '■'},
};

const pad2 = (n) => String(n).padStart(2, '0');

/** 754000 → "00:12:34" (hours may pass 24). */
export function formatElapsed(ms) {
  const s = Math.max(0, Math.floor((Number(ms) || 0) / 1000));
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

/** 5400000 → "90:00", the "MM:SS" of control_exercise jump (minutes may pass 59). */
export function formatMinSec(ms) {
  const s = Math.max(0, Math.floor((Number(ms) || 0) / 1000));
  return `${pad2(Math.floor(s / 60))}:${pad2(s % 60)}`;
}

/** "MM:SS" or "HH:MM:SS" (as in scenario files) → ms; NaN when it is neither. */
export function parseElapsed(text) {
  const m = /^\s*(?:(\d{1,3}):)?(\d{1,4}):([0-5]\d)\s*$/.exec(String(text ?? ''));
  if (!m) return NaN;
  if (m[1] !== undefined && Number(m[2]) > 59) return NaN;
  return ((Number(m[1] || 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
}

/**
 * Keeps #exercise-clock current: "Övningstid 00:12:34 · ×10 · Pausad", with data-status
 * (running|paused|stopped) and data-elapsed-ms (an integer). A page with its own #exercise-clock
 * (the trainer page) gets that one filled in; otherwise the clock lives in the ÖVNING banner, so
 * call this after syncExerciseBanner(), on every snapshot, clock delta and second.
 * Returns the elapsed ms (NaN when `info` is null: the clock is then removed or emptied).
 */
export function syncExerciseClock(info, serverNowMs) {
  let el = document.getElementById('exercise-clock');
  const valid = info && typeof info === 'object' && Number.isFinite(Number(info.elapsed_ms));
  if (!valid) {
    if (el && !el.hasAttribute('data-fixed')) el.remove();
    else if (el) { el.dataset.status = ''; el.dataset.elapsedMs = ''; }
    return NaN;
  }
  if (!el) {
    const banner = document.getElementById('exercise-banner');
    if (!banner) return NaN;
    el = h('div', {id: 'exercise-clock', role: 'timer', 'aria-label': 'Övningstid'},
      h('span', {class: 'xc-label'}, 'Övningstid'),
      h('span', {class: 'xc-time'}),
      h('span', {class: 'xc-speed'}),
      h('span', {class: 'xc-status'}, h('span', {class: 'xc-icon', 'aria-hidden': 'true'}), h('span', {class: 'xc-status-text'})));
    const sides = banner.querySelectorAll('.ex-side');
    banner.insertBefore(el, sides[sides.length - 1] || null);
  }
  const elapsed = Math.floor(exerciseElapsed(info, serverNowMs));
  const status = EXERCISE_STATUS[info.status] ? info.status : 'running';
  el.dataset.status = status;
  el.dataset.elapsedMs = String(elapsed);
  const speed = Number(info.speed) > 0 ? Number(info.speed) : 1;
  el.dataset.speed = String(speed);
  const part = (cls) => el.querySelector(`.${cls}`);
  if (part('xc-time')) setText(part('xc-time'), formatElapsed(elapsed));
  if (part('xc-speed')) {
    setText(part('xc-speed'), `×${speed}`);
    part('xc-speed').title = speed === 1 ? 'Realtid' : `${speed} gånger realtid`;
  }
  if (part('xc-icon')) setText(part('xc-icon'), EXERCISE_STATUS[status].icon);
  if (part('xc-status-text')) setText(part('xc-status-text'), EXERCISE_STATUS[status].label);
  const planned = Number(info.planned_ms);
  el.title = `Övningstid ${formatElapsed(elapsed)}${planned > 0 ? ` av planerat ${formatElapsed(planned)}` : ''}` +
    ` · ${EXERCISE_STATUS[status].label.toLowerCase()}${status === 'running' ? `, ×${speed}` : ''}`;
  return elapsed;
}

/** "Bussolycka på E18/E20 vid Arboga" or the space name, for banners and titles. */
export function exerciseName(info, space) {
  return info?.scenario?.name || info?.scenario?.id || space || '';
}

/** A length of time in words: 130000 → "2 min 10 s"; 45000 → "45 s"; 3900000 → "1 h 5 min". */
export function durationText(ms) {
  if (!Number.isFinite(ms)) return '–';
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return s % 60 ? `${min} min ${s % 60} s` : `${min} min`;
  return min % 60 ? `${Math.floor(min / 60)} h ${min % 60} min` : `${Math.floor(min / 60)} h`;
}
