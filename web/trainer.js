// Lägesbild — the trainer page (övningsledning): start an exercise from a scenario, run its clock,
// follow its injects and put in injects of one's own (protocol.md "Exercises", docs/scenarios.md).
//
// trainer.html            the scenarios (GET /api/scenarios, trainers only: the signed-in user's
//                         token goes as Authorization: Bearer) and the exercises (GET /api/spaces);
//                         "Läs om scenarier" has the server read scenarios/ again (reload_scenarios)
// trainer.html?space=S    one exercise: its clock, the controls, the inject timeline, "inject now"
//
// One WebSocket to /ws?space=S (live without ?space=), signed in with session.js. Only a trainer
// may start and control exercises; everyone else sees the same page read-only. Every command is
// shown as pending until its `ack` (or `error`) arrives. The clock is extrapolated every second
// from the last exercise_info (snapshot, or the delta of an exercise_clock_set event), and the
// timeline is re-evaluated against it. Server strings reach the DOM only through textContent.

import {
  PROTOCOL_VERSION, READINESS, ROLE_LABELS, ERROR_TEXT, EXERCISE_STATUS,
  pageSpace, syncExerciseBanner, syncExerciseClock, exerciseElapsed, exerciseName, formatElapsed, formatMinSec,
  parseElapsed, h, setText, timeHM, parseTime, commandId, shortRegionName,
} from './common.js';
import {Session, apiFetch} from './session.js';
import {signedInConnection} from './connection.js';

const SPACE = pageSpace();
const MODE = SPACE === 'live' ? 'list' : 'exercise';
const NO_ANSWER_MS = 10_000;
const LIST_REFRESH_MS = 15_000;
const REVIEW_REFRESH_MS = 10_000;

// Inject kinds (docs/scenarios.md) as icon + Swedish label; never colour alone.
const INJECT_KINDS = {
  message: {label: 'Meddelande', icon: '✉'},
  casualty_wave: {label: 'Skadeutfall', icon: '✚'},
  capacity_change: {label: 'Kapacitetsändring', icon: '⇅'},
  readiness: {label: 'Beredskapsläge', icon: '▲'},
  checkpoint: {label: 'Kontrollpunkt', icon: '⚑'},
};
const ALERT_KIND = {label: 'Larm', icon: '⚠'};
// The server's summary of a message inject starts with the message kind ("alert: Bussolycka …").
const MESSAGE_PREFIX = {
  alert: null,
  methane: 'METHANE-rapport',
  situation_report: 'Lägesrapport',
  information: 'Information',
};
const CHECKPOINT_STATUS = {
  met: {label: 'Uppfylld', icon: '✔'},
  missed: {label: 'Missad', icon: '✖'},
  not_done: {label: 'Öppen', icon: '○'},
};
const CONTROL_TEXT = {
  pause: 'Pausad', resume: 'Klockan går igen', speed: 'Hastigheten ändrad', jump: 'Hoppat fram',
  stop: 'Övningen avslutad', reset: 'Ny övning startad',
};

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// State

const st = {
  snap: null,           // the latest snapshot of SPACE, kept current with deltas
  seq: 0,
  offsetMs: 0,          // server clock − local clock
  info: null,           // exercise_info of SPACE
  scenarios: null,      // GET /api/scenarios, or null until loaded
  scenariosFailed: false,
  scenariosRefused: '', // why the server would not list them (not a trainer), or ''
  spaces: null,         // GET /api/spaces
  review: null,         // GET /api/review of SPACE (checkpoint status in the timeline)
  nextInject: undefined,// id of the "next" inject at the last timeline pass
};
const wallNow = () => Date.now() + st.offsetMs;
const regions = () => st.snap?.state?.regions || [];
const regionName = (id) => regions().find((r) => r.id === id)?.name;
const hospitalName = (id) => (st.snap?.state?.hospitals || []).find((x) => x.id === id)?.name;
const elapsedNow = () => exerciseElapsed(st.info, wallNow());
const isTrainer = () => session.user?.role === 'trainer';
const errorText = (msg) => ERROR_TEXT[msg.code] || 'Fel';

const session = new Session({
  socket: () => conn.socket,
  regionName,
  errorText,
  onChange: (what) => {
    // The scenarios and a running exercise's review are for trainers only: ask again as who we are.
    if (what === 'welcome' || what === 'signed-out') {
      if (what === 'signed-out') st.scenarios = null;
      loadScenarios();
      loadSpaces();
      loadReview();
    }
    renderAll();
  },
  onSignOut: () => conn.reconnectNow('sign-out'),
});

function showResult(el, state, text) {
  if (!el) return;
  el.dataset.state = state || '';
  setText(el, text || '');
}

/** This site's page for a space: trainer.html?space=…, index.html?space=…, … */
function pageFor(path, space) {
  return space && space !== 'live' ? `${path}?space=${encodeURIComponent(space)}` : path;
}

function currentScenario() {
  const id = st.info?.scenario?.id;
  return id && Array.isArray(st.scenarios) ? st.scenarios.find((s) => s.id === id) || null : null;
}

// ---------------------------------------------------------------------------------------------
// Header and sign-in

function renderHeader() {
  const exercise = MODE === 'exercise';
  const chip = $('space-chip');
  chip.className = `space-chip ${exercise ? 'is-exercise' : 'is-live'}`;
  setText(chip, exercise ? `Övning: ${SPACE}` : 'Ingen övning vald');
  if (!exercise) chip.className = 'space-chip';
  document.body.classList.toggle('exercise', exercise);
  const name = exercise ? exerciseName(st.info, SPACE) : '';
  setText($('page-title'), exercise ? name : 'Övningsledning');
  setText($('hcr-name'), st.snap?.state?.healthcare_region?.name || '');
  document.title = exercise ? `ÖVNING – Övningsledning ${name} – Lägesbild` : 'Övningsledning – Lägesbild';
  syncExerciseBanner(exercise, `Övningsledning för ”${name}” – inte skarpt läge`);
  document.body.dataset.seq = String(st.seq);
}

function renderAuth() {
  session.render();
  document.body.dataset.role = session.role;
  document.body.dataset.canControl = isTrainer() ? 'true' : 'false';
  const note = $('control-note');
  const u = session.user;
  if (isTrainer()) {
    note.hidden = true;
  } else {
    note.hidden = false;
    setText(note, u
      ? `Du är inloggad som ${(ROLE_LABELS[u.role] || u.role).toLowerCase()}: du ser övningarna men kan inte starta eller styra dem. Det kräver en nyckel för övningsledare.`
      : session.signing ? 'Loggar in…'
        : 'Du ser övningarna men kan inte starta eller styra dem. Logga in med en nyckel för övningsledare.');
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

function durationText(minutes) {
  const m = Number(minutes);
  if (!Number.isFinite(m) || m <= 0) return '–';
  if (m < 60) return `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`;
}

const expanded = new Set();  // scenario ids whose whole description is shown

function renderScenarios() {
  const box = $('scenarios');
  const empty = $('scenarios-empty');
  if (!Array.isArray(st.scenarios)) {
    setText(empty, st.scenariosRefused || (st.scenariosFailed ? 'Kunde inte hämta scenarierna från servern.' : 'Hämtar scenarier…'));
    empty.hidden = false;
    box.replaceChildren();
    return;
  }
  setText(empty, 'Inga scenarier: lägg scenariofiler i katalogen scenarios/ på servern.');
  empty.hidden = st.scenarios.length > 0;
  renderReloadButton();
  const hcrId = st.snap?.state?.healthcare_region?.id || '';
  const trainer = isTrainer();
  const starting = [...pending.values()].some((p) => p.kind === 'start');
  box.replaceChildren(...st.scenarios.map((sc) => {
    const valid = sc.valid === true;
    const errors = Array.isArray(sc.errors) ? sc.errors : [];
    const injects = Array.isArray(sc.injects) ? sc.injects : [];
    const checkpoints = injects.filter((i) => i.kind === 'checkpoint').length;
    const regionOk = !sc.healthcare_region || !hcrId || sc.healthcare_region === hcrId;
    const button = h('button', {type: 'button', class: 'btn btn-primary', dataset: {action: 'start', scenario: sc.id},
      disabled: !valid || !trainer || starting,
      title: !valid ? 'Scenariot har fel och kan inte startas' : !trainer ? 'Kräver inloggning som övningsledare' : null},
    h('span', {'aria-hidden': 'true'}, '▶ '), 'Starta övning');
    button.addEventListener('click', () => startExercise(sc.id));
    const mo = sc.modelled_on;
    const incident = typeof mo === 'string' ? mo : mo?.incident;
    const source = mo && typeof mo === 'object' ? mo.source : null;
    const open = expanded.has(sc.id);
    const article = h('article', {class: `scn${valid ? '' : ' invalid'}${open ? ' expanded' : ''}`,
      dataset: {scenario: sc.id, valid: valid ? 'true' : 'false'}},
    h('div', {class: 'scn-head'},
      h('h3', {class: 'scn-name'}, sc.name || sc.id),
      valid
        ? h('span', {class: 'scn-valid ok'}, h('span', {'aria-hidden': 'true'}, '✔ '), 'Giltigt')
        : h('span', {class: 'scn-valid bad'}, h('span', {'aria-hidden': 'true'}, '✖ '),
          `Fel i filen (${errors.length || 1})`)),
    h('ul', {class: 'scn-facts', 'aria-label': 'Fakta om scenariot'},
      h('li', {title: 'Planerad längd'}, h('span', {class: 'lbl'}, 'Längd '), durationText(sc.planned_duration_minutes)),
      h('li', {}, injects.length ? `${injects.length} inspel` : 'Inga inspel'),
      checkpoints ? h('li', {}, `${checkpoints} kontrollpunkter`) : null,
      h('li', {class: regionOk ? '' : 'warn', title: 'Sjukvårdsregionen som scenariot är skrivet för'},
        h('span', {class: 'lbl'}, 'Region '), regionOk ? (sc.healthcare_region || '–')
          : `⚠ ${sc.healthcare_region} (servern: ${hcrId})`)),
    sc.description ? h('p', {class: 'scn-desc'}, String(sc.description)) : null,
    h('dl', {class: 'scn-meta'},
      h('dt', {}, 'Förebild'), h('dd', {class: 'scn-incident'}, incident ? String(incident) : '–'),
      source ? h('dt', {class: 'more'}, 'Källa') : null, source ? h('dd', {class: 'more'}, String(source)) : null,
      h('dt', {class: 'more'}, 'Id'), h('dd', {class: 'more scn-id'}, sc.id)),
    errors.length ? h('ul', {class: 'scn-errors', 'aria-label': 'Fel i scenariofilen'},
      ...errors.map((e) => h('li', {}, String(e)))) : null);
    const toggle = h('button', {type: 'button', class: 'scn-toggle', 'aria-expanded': open ? 'true' : 'false'},
      open ? 'Visa mindre' : 'Visa mer');
    toggle.addEventListener('click', () => {
      if (expanded.has(sc.id)) expanded.delete(sc.id); else expanded.add(sc.id);
      const now = expanded.has(sc.id);
      article.classList.toggle('expanded', now);
      toggle.setAttribute('aria-expanded', now ? 'true' : 'false');
      setText(toggle, now ? 'Visa mindre' : 'Visa mer');
    });
    article.append(h('div', {class: 'scn-actions'}, button, toggle));
    return article;
  }));
}

/** Why GET /api/scenarios was refused (401, 403), in words. */
function scenariosRefusedText(status) {
  if (status === 403) {
    return 'Scenarierna visas bara för övningsledare. Du är inte inloggad som övningsledare – logga in med en nyckel för övningsledare.';
  }
  return 'Scenarierna visas bara för övningsledare. Logga in med en nyckel för övningsledare för att se och starta dem.';
}

function loadScenarios() {
  apiFetch('/api/scenarios')
    .then((r) => {
      if (r.status === 401 || r.status === 403) {
        st.scenarios = null;
        st.scenariosRefused = scenariosRefusedText(r.status);
        return null;
      }
      return r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`));
    })
    .then((body) => {
      if (body) {
        st.scenarios = Array.isArray(body?.scenarios) ? body.scenarios : [];
        st.scenariosRefused = '';
      }
      st.scenariosFailed = false;
      renderScenarios();
      renderTimeline();
    })
    .catch(() => {
      st.scenariosFailed = true;
      if (!Array.isArray(st.scenarios)) { renderScenarios(); renderTimeline(); }
    });
}

// ---------------------------------------------------------------------------------------------
// The exercises (GET /api/spaces)

function renderExerciseList() {
  const list = (st.spaces || []).filter((s) => s.exercise);
  $('exercises-card').hidden = list.length === 0;
  const order = {running: 0, paused: 1, stopped: 2};
  list.sort((a, b) => (order[a.exercise_info?.status] ?? 0) - (order[b.exercise_info?.status] ?? 0) ||
    String(a.space).localeCompare(String(b.space)));
  $('exercise-list').replaceChildren(...list.map((s) => {
    const info = s.exercise_info || null;
    const status = EXERCISE_STATUS[info?.status] ? info.status : null;
    const current = s.space === SPACE;
    return h('li', {class: `ex-item${current ? ' current' : ''}`, dataset: {space: s.space, status: status || ''}},
      h('span', {class: `ex-status st-${status || 'unknown'}`},
        h('span', {'aria-hidden': 'true'}, status ? `${EXERCISE_STATUS[status].icon} ` : ''),
        status ? EXERCISE_STATUS[status].label : 'Övning'),
      h('span', {class: 'ex-name'}, info?.scenario?.name || s.space),
      h('span', {class: 'ex-time', dataset: {elapsedFor: s.space}},
        info ? `${formatElapsed(exerciseElapsed(info, wallNow()))}${status === 'running' ? ` · ×${info.speed || 1}` : ''}` : ''),
      h('span', {class: 'ex-space'}, s.space),
      h('span', {class: 'ex-links'},
        current ? h('span', {class: 'ex-here'}, 'Visas nu')
          : h('a', {href: pageFor('trainer.html', s.space)}, status === 'stopped' ? 'Visa' : 'Leda'),
        h('a', {href: pageFor('review.html', s.space)}, 'Utvärdering')));
  }));
}

function loadSpaces() {
  apiFetch('/api/spaces')
    .then((r) => (r.ok ? r.json() : null))
    .then((body) => {
      if (!body || !Array.isArray(body.spaces)) return;
      st.spaces = body.spaces;
      renderExerciseList();
    })
    .catch(() => { /* the list stays as it was */ });
}

// ---------------------------------------------------------------------------------------------
// One exercise: clock, controls, timeline

function renderExercise() {
  if (MODE !== 'exercise') return;
  const info = st.info;
  const elapsed = syncExerciseClock(info, wallNow());
  const status = info?.status;
  setText($('x-title'), info ? exerciseName(info, SPACE) : (st.snap ? 'Ingen övningsklocka' : 'Ansluter…'));
  setText($('x-space'), `Övningsutrymme ${SPACE}`);
  const planned = Number(info?.planned_ms);
  const fill = $('x-bar-fill');
  if (planned > 0 && Number.isFinite(elapsed)) {
    fill.style.width = `${Math.min(100, (elapsed / planned) * 100).toFixed(2)}%`;
    const start = parseTime(info.start);
    setText($('x-planned'), `${formatElapsed(elapsed)} av planerat ${formatElapsed(planned)}` +
      (Number.isFinite(start) ? ` · startade ${timeHM(start)}` : ''));
  } else {
    fill.style.width = '0';
    setText($('x-planned'), '');
  }
  $('x-stopped').hidden = status !== 'stopped';
  renderControls();
}

function renderControls() {
  const info = st.info;
  const status = info?.status;
  const trainer = isTrainer();
  const busy = [...pending.values()].some((p) => p.kind === 'control');
  const ready = trainer && !!info && !busy && !session.signing;
  const live = status === 'running' || status === 'paused';
  const set = (sel, enabled) => { for (const b of document.querySelectorAll(sel)) b.disabled = !enabled; };
  set('button[data-action="pause"]', ready && status === 'running');
  set('button[data-action="resume"]', ready && status === 'paused');
  set('button[data-action="jump"]', ready && live);
  set('button[data-action="stop"]', ready && live);
  set('button[data-action="reset"]', ready);
  $('jump-to').disabled = !(trainer && live);
  const speed = Number(info?.speed) || 1;
  for (const b of document.querySelectorAll('button[data-speed]')) {
    b.disabled = !(ready && live);
    b.setAttribute('aria-pressed', Number(b.dataset.speed) === speed ? 'true' : 'false');
  }
}

/** {kind: {label, icon}, sub: "Lägesrapport"|null, summary} of an inject as the server summarises it. */
function injectLabel(inj) {
  let summary = String(inj.summary || '');
  if (inj.kind === 'message') {
    // "alert: Bussolycka …", "methane: METHANE", "information: …"
    const m = /^([a-z_]+):\s*([\s\S]*)$/.exec(summary);
    if (m && m[1] in MESSAGE_PREFIX) {
      const text = m[1] === 'methane' && m[2] === 'METHANE' ? '' : m[2];
      return {kind: m[1] === 'alert' ? ALERT_KIND : INJECT_KINDS.message, sub: MESSAGE_PREFIX[m[1]], summary: text};
    }
  } else if (inj.kind === 'readiness') {
    // "orebro → staff" → "Region Örebro län → Stabsläge"
    const m = /^(.*?)\s*→\s*([a-z]+)$/.exec(summary);
    if (m) summary = `${regionName(m[1]) || hospitalName(m[1]) || m[1]} → ${READINESS[m[2]]?.label || m[2]}`;
  } else if (inj.kind === 'capacity_change') {
    // A hospital id the server left as it is → its name.
    const m = /^([a-z0-9-]+)(:\s*[\s\S]*)?$/.exec(summary);
    if (m && hospitalName(m[1])) summary = `${hospitalName(m[1])}${m[2] || ''}`;
  }
  return {kind: INJECT_KINDS[inj.kind] || {label: inj.kind || 'Inspel', icon: '•'}, sub: null, summary};
}

const timelineRefs = new Map(); // inject id → {li, when, status}

function buildTimeline(sc) {
  const ol = $('timeline');
  timelineRefs.clear();
  const injects = [...(sc?.injects || [])].map((inj, i) => ({...inj, i}))
    .sort((a, b) => (a.at_ms - b.at_ms) || (a.i - b.i));
  ol.replaceChildren(...injects.map((inj) => {
    const {kind, sub, summary} = injectLabel(inj);
    const when = h('span', {class: 'tl-when'});
    const real = h('span', {class: 'tl-real'});
    const status = h('span', {class: 'tl-cp', hidden: true});
    const fill = h('button', {type: 'button', class: 'tl-jump', title: `Fyll i ${formatMinSec(inj.at_ms)} i ”Hoppa fram till”`,
      'aria-label': `Hoppa hit: ${formatMinSec(inj.at_ms)}`}, 'Hoppa hit');
    fill.addEventListener('click', () => {
      $('jump-to').value = formatMinSec(inj.at_ms);
      $('jump-to').focus();
    });
    const li = h('li', {class: `tl-item kind-${inj.kind}`, dataset: {inject: inj.id, kind: inj.kind || '', atMs: String(inj.at_ms), state: 'upcoming'}},
      h('span', {class: 'tl-time'}, formatElapsed(inj.at_ms)),
      h('span', {class: 'tl-kind'}, h('span', {class: 'tl-icon', 'aria-hidden': 'true'}, kind.icon), kind.label),
      h('span', {class: 'tl-summary'}, sub ? h('span', {class: 'tl-sub'}, sub) : null, summary),
      h('span', {class: 'tl-side'}, when, real, status, fill));
    timelineRefs.set(inj.id, {li, when, real, status, fill, at: inj.at_ms, kind: inj.kind});
    return li;
  }));
  ol.dataset.forScenario = sc?.id || '';
  st.nextInject = undefined;
}

function renderTimeline() {
  if (MODE !== 'exercise') return;
  const sc = currentScenario();
  const ol = $('timeline');
  const empty = $('timeline-empty');
  if (!sc) {
    if (ol.childNodes.length) { ol.replaceChildren(); timelineRefs.clear(); }
    empty.hidden = false;
    setText(empty, !st.info ? (st.snap ? 'Utrymmet har ingen övningsklocka.' : 'Ansluter…')
      : st.scenariosRefused ? 'Inspelen visas bara för övningsledare: logga in med en nyckel för övningsledare.'
        : st.scenariosFailed ? 'Kunde inte hämta scenariot från servern.'
          : Array.isArray(st.scenarios) ? `Scenariot ”${st.info.scenario?.id || ''}” finns inte längre bland scenarierna på servern.`
            : 'Hämtar scenariot…');
    setText($('timeline-count'), '0');
    setText($('timeline-summary'), '');
    return;
  }
  if (ol.dataset.forScenario !== sc.id || timelineRefs.size !== (sc.injects || []).length) buildTimeline(sc);
  empty.hidden = (sc.injects || []).length > 0;
  setText(empty, 'Scenariot har inga inspel.');
  tickTimeline();
}

/** Past / next / upcoming against the extrapolated clock; runs every second. */
function tickTimeline() {
  if (MODE !== 'exercise' || !timelineRefs.size) return;
  const elapsed = elapsedNow();
  if (!Number.isFinite(elapsed)) return;
  const speed = Number(st.info?.speed) || 1;
  const running = st.info?.status === 'running';
  const trainer = isTrainer();
  const live = running || st.info?.status === 'paused';
  let next = null, past = 0;
  const cps = new Map((st.review?.checkpoints || []).map((c) => [c.id, c]));
  for (const [id, r] of timelineRefs) {
    let state;
    if (r.at <= elapsed) { state = 'past'; past++; }
    else if (!next) { state = 'next'; next = id; }
    else state = 'upcoming';
    if (r.li.dataset.state !== state) r.li.dataset.state = state;
    const cp = r.kind === 'checkpoint' ? cps.get(id) : null;
    const cs = cp && CHECKPOINT_STATUS[cp.status];
    if (state === 'past') {
      // A checkpoint is not played but opened: its status (from the review) says how it went.
      setText(r.when, r.kind !== 'checkpoint' ? '✔ Spelat' : cs ? '' : 'Öppnad');
      setText(r.real, '');
    } else if (state === 'next') {
      const left = r.at - elapsed;
      setText(r.when, `Nästa · om ${formatMinSec(left)}`);
      setText(r.real, running && speed > 1 ? `≈ ${formatMinSec(left / speed)} i verklig tid`
        : st.info?.status === 'paused' ? 'klockan står still' : '');
    } else {
      setText(r.when, `om ${formatMinSec(r.at - elapsed)}`);
      setText(r.real, '');
    }
    r.fill.hidden = state === 'past' || !trainer || !live;
    r.status.hidden = !cs || (cp.status === 'not_done' && state !== 'past');
    if (cs) {
      r.li.dataset.checkpointStatus = cp.status;
      setText(r.status, `${cs.icon} ${cs.label}`);
      r.status.className = `tl-cp cp-${cp.status}`;
    }
  }
  setText($('timeline-count'), String(timelineRefs.size));
  setText($('timeline-summary'), `${past} av ${timelineRefs.size} spelade` +
    (next ? '' : timelineRefs.size ? ' · inga fler inspel' : ''));
  if (next !== st.nextInject) {
    st.nextInject = next;
    scrollTimelineTo(next);
  }
}

/** Keeps the next inject in view inside the timeline's own scroll box (never scrolls the page). */
function scrollTimelineTo(id) {
  const ol = $('timeline');
  const r = id ? timelineRefs.get(id) : null;
  if (!r || ol.scrollHeight <= ol.clientHeight) return;
  const top = r.li.offsetTop - ol.offsetTop;
  const want = Math.max(0, top - ol.clientHeight / 3);
  ol.scrollTop = want;
}

let reviewSoon = null;
/** Checkpoint status changes with participants' events: fetch the review shortly after a delta. */
function reviewAfterDelta() {
  if (MODE !== 'exercise' || reviewSoon) return;
  reviewSoon = setTimeout(() => { reviewSoon = null; loadReview(); }, 1500);
}

function loadReview() {
  if (MODE !== 'exercise') return;
  apiFetch(`/api/review?space=${encodeURIComponent(SPACE)}`)
    .then((r) => (r.ok ? r.json() : null))
    .then((body) => {
      if (!body || typeof body !== 'object') return;
      st.review = body;
      tickTimeline();
    })
    .catch(() => { /* checkpoint status is extra */ });
}

// ---------------------------------------------------------------------------------------------
// Inject now: a post_message from the trainer into the exercise

const iform = $('inject-form');

function buildInjectRecipients() {
  const box = $('i-to');
  const checked = new Set([...box.querySelectorAll('input[name="to"]:checked')].map((x) => x.value));
  const key = JSON.stringify(regions().map((r) => [r.id, r.name]));
  if (box.dataset.key !== key) {
    box.dataset.key = key;
    box.replaceChildren(...regions().map((r) => h('label', {class: 'check'},
      h('input', {type: 'checkbox', name: 'to', value: r.id, checked: checked.has(r.id)}), ` ${shortRegionName(r.name)}`)));
  }
  syncInjectForm();
}

let ackChoice = false;

function syncInjectForm() {
  const kind = iform.elements.message_kind.value;
  const ack = iform.elements.requires_ack;
  $('i-level-field').classList.toggle('inactive', kind !== 'alert');
  if (kind === 'alert') {
    ack.checked = true;
    ack.disabled = true;
    $('i-ack-label').title = 'Larm kräver alltid kvittens';
  } else {
    if (ack.disabled) ack.checked = ackChoice;
    ack.disabled = false;
    $('i-ack-label').title = '';
  }
  const all = iform.elements['to-all'].checked;
  for (const cb of iform.querySelectorAll('input[name="to"]')) cb.disabled = all;
  const stopped = st.info?.status === 'stopped';
  $('inject-send').disabled = !isTrainer() || session.signing || stopped ||
    [...pending.values()].some((p) => p.kind === 'inject');
}

function sendInject() {
  for (const el of iform.querySelectorAll('.err')) el.textContent = '';
  for (const el of iform.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const result = $('inject-result');
  const kind = iform.elements.message_kind.value;
  const cmd = {v: PROTOCOL_VERSION, type: 'post_message', id: commandId('i'), space: SPACE, kind};
  let ok = true;
  const bad = (id, text, ctl) => { setText($(id), text); if (ctl) ctl.setAttribute('aria-invalid', 'true'); ok = false; };
  if (iform.elements['to-all'].checked) cmd.to = 'all';
  else {
    cmd.to = [...iform.querySelectorAll('input[name="to"]:checked')].map((x) => x.value);
    if (!cmd.to.length) bad('err-i-to', 'Välj minst en mottagare, eller Alla regioner.');
  }
  const text = iform.elements.text.value.trim();
  if (!text) bad('err-i-text', 'Skriv en text.', iform.elements.text);
  else if (text.length > 4000) bad('err-i-text', `Högst 4000 tecken (nu ${text.length}).`, iform.elements.text);
  cmd.text = text;
  if (kind === 'alert') {
    const level = iform.elements.level.value;
    if (!READINESS[level]) bad('err-i-level', 'Välj vilket beredskapsläge larmet gäller.', iform.elements.level);
    cmd.level = level;
    cmd.requires_ack = true;
  } else {
    cmd.requires_ack = iform.elements.requires_ack.checked;
  }
  if (!ok) { showResult(result, 'error', 'Inte skickat – rätta de markerade fälten.'); return; }
  if (send(cmd, {kind: 'inject'}, result)) syncInjectForm();
}

function resetInjectForm() {
  iform.elements.text.value = '';
  iform.elements.level.value = '';
  iform.elements['to-all'].checked = false;
  for (const cb of iform.querySelectorAll('input[name="to"]')) cb.checked = false;
  ackChoice = false;
  if (!iform.elements.requires_ack.disabled) iform.elements.requires_ack.checked = false;
  syncInjectForm();
}

// ---------------------------------------------------------------------------------------------
// Commands

const pending = new Map(); // command id → {kind, resultEl, timer, cmd}

function send(cmd, entry, resultEl) {
  if (!conn.isOpen()) {
    showResult(resultEl, 'error', 'Ingen anslutning till servern – inget skickades. Försök igen när anslutningen är tillbaka.');
    return false;
  }
  if (!isTrainer()) {
    showResult(resultEl, 'error', session.signing ? 'Loggar in – försök igen om ett ögonblick.'
      : 'Kräver inloggning som övningsledare.');
    return false;
  }
  conn.send(cmd);
  entry.cmd = cmd;
  entry.resultEl = resultEl;
  entry.timer = setTimeout(() => {
    if (pending.has(cmd.id)) setText(resultEl, 'Skickar… inget svar från servern ännu.');
  }, NO_ANSWER_MS);
  pending.set(cmd.id, entry);
  showResult(resultEl, 'pending', entry.pendingText || 'Skickar…');
  renderCommandsState();
  return true;
}

function renderCommandsState() {
  renderControls();
  renderScenarios();
  syncInjectForm();
}

function renderReloadButton() {
  const busy = [...pending.values()].some((p) => p.kind === 'reload');
  const b = $('reload-scenarios');
  b.disabled = !isTrainer() || busy || session.signing;
  b.title = isTrainer() ? 'Servern läser scenariofilerna i katalogen scenarios/ igen' : 'Kräver inloggning som övningsledare';
}

/** Has the server read scenarios/ again; the list is fetched again once it has. */
function reloadScenarios() {
  const cmd = {v: PROTOCOL_VERSION, type: 'reload_scenarios', id: commandId('l')};
  send(cmd, {kind: 'reload', pendingText: 'Läser om scenarierna…'}, $('reload-result'));
}

function startExercise(id) {
  const cmd = {v: PROTOCOL_VERSION, type: 'start_exercise', id: commandId('s'), scenario: id};
  if ($('start-paused').checked) cmd.paused = true;
  send(cmd, {kind: 'start', scenario: id, pendingText: 'Startar övningen…'}, $('start-result'));
}

function control(action, extra = {}) {
  const cmd = {v: PROTOCOL_VERSION, type: 'control_exercise', id: commandId('x'), space: SPACE, action, ...extra};
  send(cmd, {kind: 'control', action, pendingText: action === 'reset' ? 'Startar en ny övning…' : 'Skickar…'}, $('control-result'));
}

function jump() {
  const raw = $('jump-to').value.trim();
  const to = parseElapsed(raw);
  const result = $('control-result');
  $('jump-to').removeAttribute('aria-invalid');
  if (!Number.isFinite(to)) {
    $('jump-to').setAttribute('aria-invalid', 'true');
    showResult(result, 'error', 'Ange tiden som MM:SS, t.ex. 12:00 (minuter får vara fler än 59).');
    return;
  }
  const now = elapsedNow();
  if (Number.isFinite(now) && to <= now) {
    $('jump-to').setAttribute('aria-invalid', 'true');
    showResult(result, 'error', `Hopp går bara framåt: klockan är redan ${formatElapsed(now)}.`);
    return;
  }
  control('jump', {to: formatMinSec(to)});
}

function onAnswer(msg) {
  const p = pending.get(msg.id);
  if (!p) return;
  pending.delete(msg.id);
  clearTimeout(p.timer);
  const ok = msg.type === 'ack';
  const at = timeHM(wallNow());
  const why = ok ? '' : `${errorText(msg)}${msg.message ? ` – ${msg.message}` : ''}${msg.field ? ` (fält ${msg.field})` : ''}`;
  if (p.kind === 'reload') {
    const n = Number(msg.scenarios), broken = Number(msg.broken);
    showResult(p.resultEl, ok ? 'ok' : 'error', ok
      ? `Scenarierna inlästa ${at}: ${Number.isFinite(n) ? n : '–'} scenarier` +
        (broken > 0 ? `, ${broken} med fel` : ', alla giltiga')
      : `Inte inläst: ${why}`);
    if (ok) loadScenarios();
  } else if (p.kind === 'start') {
    if (ok && msg.space) {
      showResult(p.resultEl, 'ok', `Övningen ${msg.space} startad ${at} – öppnar den…`);
      location.assign(pageFor('trainer.html', msg.space));
      return;
    }
    showResult(p.resultEl, 'error', ok ? 'Servern svarade utan övningsutrymme.' : `Inte startad: ${why}`);
  } else if (p.kind === 'control') {
    if (ok && p.action === 'reset' && msg.space) {
      showResult(p.resultEl, 'ok', `Ny övning ${msg.space} startad ${at} – öppnar den…`);
      location.assign(pageFor('trainer.html', msg.space));
      return;
    }
    if (ok) {
      let text = CONTROL_TEXT[p.action] || 'Klart';
      if (p.action === 'speed') text = `Hastighet ×${p.cmd.speed}`;
      if (p.action === 'jump') text = `Hoppat fram till ${p.cmd.to}`;
      showResult(p.resultEl, 'ok', `${text} (nr ${msg.seq ?? '–'}) ${at}`);
      if (p.action === 'jump') $('jump-to').value = '';
    } else {
      showResult(p.resultEl, 'error', `Inte utfört: ${why}`);
    }
  } else if (p.kind === 'inject') {
    if (ok) {
      showResult(p.resultEl, 'ok', `Inspelet skickat (nr ${msg.seq ?? '–'}) ${at}`);
      resetInjectForm();
    } else {
      showResult(p.resultEl, 'error', `Inte skickat: ${why}`);
      const f = String(msg.field || '').split('.')[0];
      if (f === 'to') setText($('err-i-to'), errorText(msg));
      else if (f === 'text') setText($('err-i-text'), msg.message || errorText(msg));
      else if (f === 'level') setText($('err-i-level'), msg.message || errorText(msg));
    }
  }
  renderCommandsState();
}

function dropPending(text) {
  for (const [id, p] of pending) {
    clearTimeout(p.timer);
    pending.delete(id);
    showResult(p.resultEl, 'error', text);
  }
}

// ---------------------------------------------------------------------------------------------
// Applying server messages

function renderAll() {
  renderHeader();
  renderAuth();
  renderScenarios();
  renderExercise();
  renderTimeline();
  if (MODE === 'exercise') buildInjectRecipients();
}

function applySnapshot(msg) {
  st.snap = msg;
  st.seq = msg.seq;
  const t = parseTime(msg.server_time);
  st.offsetMs = Number.isFinite(t) ? t - Date.now() : 0;
  st.info = msg.exercise && msg.exercise_info && typeof msg.exercise_info === 'object' ? msg.exercise_info : null;
  renderAll();
}

function replaceIn(list, rec) {
  const i = list.findIndex((x) => x.id === rec.id);
  if (i >= 0) list[i] = rec; else list.push(rec);
}

function applyDelta(msg) {
  const s = st.snap.state || {};
  if (msg.region?.id && Array.isArray(s.regions)) replaceIn(s.regions, msg.region);
  if (msg.hospital?.id && Array.isArray(s.hospitals)) replaceIn(s.hospitals, msg.hospital);
  st.seq = msg.seq;
  st.snap.seq = msg.seq;
  document.body.dataset.seq = String(st.seq);
  if (msg.exercise_info && typeof msg.exercise_info === 'object') {
    st.info = msg.exercise_info;
    st.snap.exercise_info = msg.exercise_info;
    renderHeader();
    renderExercise();
    tickTimeline();
    syncInjectForm();
    loadSpaces();
  }
  if (msg.region) buildInjectRecipients();
  reviewAfterDelta();
}


// ---------------------------------------------------------------------------------------------
// Connection: hello first, reconnect with backoff, a fresh snapshot each time

const conn = signedInConnection({
  space: SPACE,
  session,
  hasState: () => Boolean(st.snap),
  seq: () => st.seq,
  applySnapshot,
  applyDelta,
  isPending: (id) => pending.has(id),
  onAnswer,
  dropPending,
  lostTexts: {
    closed: 'Anslutningen bröts innan servern svarade. Kontrollera läget innan du försöker igen.',
    replaced: 'Anslutningen byttes innan servern svarade. Kontrollera läget innan du försöker igen.',
  },
  render: () => renderAll(),
  now: () => wallNow(),
});

// ---------------------------------------------------------------------------------------------

function everySecond() {
  conn.tick();
  if (MODE === 'exercise') {
    renderExercise();
    tickTimeline();
  }
  for (const el of document.querySelectorAll('[data-elapsed-for]')) {
    const s = (st.spaces || []).find((x) => x.space === el.dataset.elapsedFor);
    const info = s?.exercise_info;
    if (info) setText(el, `${formatElapsed(exerciseElapsed(info, wallNow()))}${info.status === 'running' ? ` · ×${info.speed || 1}` : ''}`);
  }
}

function start() {
  document.body.dataset.mode = MODE;
  $('home-link').hidden = MODE !== 'exercise';
  $('exercise-panel').hidden = MODE !== 'exercise';
  $('scenarios-title').textContent = MODE === 'exercise' ? 'Starta en annan övning' : 'Scenarier';
  if (MODE === 'exercise') {
    $('open-board').href = pageFor('index.html', SPACE);
    $('open-tib').href = pageFor('tib.html', SPACE);
    $('open-review').href = pageFor('review.html', SPACE);
  }
  session.bind();
  for (const b of document.querySelectorAll('button[data-action="pause"], button[data-action="resume"], button[data-action="stop"], button[data-action="reset"]')) {
    b.addEventListener('click', () => control(b.dataset.action));
  }
  for (const b of document.querySelectorAll('button[data-speed]')) {
    b.addEventListener('click', () => control('speed', {speed: Number(b.dataset.speed)}));
  }
  $('jump-form').addEventListener('submit', (ev) => { ev.preventDefault(); jump(); });
  $('reload-scenarios').addEventListener('click', reloadScenarios);
  $('jump-to').addEventListener('input', () => $('jump-to').removeAttribute('aria-invalid'));
  iform.elements.message_kind.addEventListener('change', syncInjectForm);
  iform.elements['to-all'].addEventListener('change', syncInjectForm);
  iform.elements.requires_ack.addEventListener('change', () => { ackChoice = iform.elements.requires_ack.checked; });
  iform.addEventListener('submit', (ev) => { ev.preventDefault(); sendInject(); });
  renderAll();
  conn.show('reconnecting');
  loadScenarios();
  loadSpaces();
  loadReview();
  setInterval(everySecond, 1000);
  setInterval(loadSpaces, LIST_REFRESH_MS);
  if (MODE === 'exercise') setInterval(loadReview, REVIEW_REFRESH_MS);
  conn.connect();
}

start();
