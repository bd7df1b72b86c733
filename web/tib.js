// Lägesbild — the TiB page: one region's hospitals, its readiness level and its messages, for the
// duty officer (tjänsteman i beredskap) on a laptop or a tablet.
//
// One WebSocket to /ws?space=… (protocol.md). On every (re)connect the page first sends
// `hello {token}` (session.js); the server answers `welcome {user}` or `error unauthorized`. Until
// then, and without a token, the connection is an anonymous viewer and the page is read-only.
// The client model (client_model.js) applies the snapshot and deltas (a gap resumes with since=);
// the command tracker (command_tracker.js) holds the commands until their durable `ack`, behind the
// outbox (tib_outbox.js, outbox.js), which keeps every command that has not had its answer in the
// browser and sends it again, with its id, once the connection is back. Commands name their space.
// The page is made of:
//   tib_figures.js  the table of the region's hospitals: report, confirm, overdue figures
//   tib_surge.js    under a hospital's row: its förstärkning (surge beds within 24 h and 72 h)
//   tib_inbox.js    the messages to the region, acknowledgements, what the region has sent
//   tib_compose.js  a new message
//   tib_decisions.js  the region's decisions (beslut): allvarlig händelse, mottagande sjukhus, …
//   tib_transport.js  the region's ambulances and helicopters
//   tib_transfer.js   exercises: secondary transports (sekundärtransport) between hospitals
// and, here, the header, the region choice and the region's readiness level. In an exercise space
// the page shows the exercise clock, and ages are judged against exercise time.
// Server strings reach the DOM only through textContent (h()/setText()).

import {
  PROTOCOL_VERSION, READINESS, ERROR_TEXT, pageSpace, syncExerciseBanner, syncExerciseClock,
  exerciseName, pageLink, h, setText, timeHM, timeWithDay, parseTime, commandId, shortRegionName, refusalWords,
} from './common.js';
import {ClientModel} from './client_model.js';
import {MessageLog} from './message_log.js';
import {Session, apiFetch, showResult} from './session.js';
import {pageConnection, resultIn, heartbeat} from './connection.js';
import {initSpaceSwitch} from './spaces.js';
import {createFigures} from './tib_figures.js';
import {createInbox} from './tib_inbox.js';
import {createCompose} from './tib_compose.js';
import {createDecisions} from './tib_decisions.js';
import {createTransport} from './tib_transport.js';
import {createTransfer} from './tib_transfer.js';
import {createOutbox} from './tib_outbox.js';
import {canWrite, canPost, actsForAllRegions, isExerciseSpace, readOnlyText} from './roles.js';

const SPACE = pageSpace();
const REGION_KEY = 'lagesbild.tib.region';
const TICK_MS = 15_000;

const $ = (id) => document.getElementById(id);

const log = new MessageLog({fetch: (url) => apiFetch(url), onChange: () => inbox.render()});
const model = new ClientModel({space: SPACE, messages: log});

const session = new Session({
  socket: () => conn.socket,
  regionName: (id) => model.region(id)?.name,
  errorText: (msg) => errorText(msg),
  onChange: (what) => {
    if (what === 'welcome') outbox.signedIn(session.user);
    if (what === 'unauthorized' || what === 'signed-out') outbox.signedOut();
    if (what === 'welcome' && session.user?.role === 'reporter' && session.user.region) {
      page.region = session.user.region;
    }
    if (what === 'welcome') spaces?.refresh();  // a server that requires sign-in lists nothing before
    renderAll();
    if (what === 'welcome') outbox.flush();
  },
  onSignOut: () => conn.reconnectNow('sign-out'),
});

const errorText = (msg) => ERROR_TEXT[msg.code] || 'Fel från servern';

// Without a user the outbox keeps nothing: a command that cannot go now is refused, as before.
const outbox = createOutbox({space: SPACE, model, log, session, errorText}, {
  connection: () => conn,
  refuse: () => (!conn.isOpen() || !model.have
    ? 'Ingen anslutning till servern – inget skickades. Försök igen när anslutningen är tillbaka.'
    : !session.user ? (session.signing ? 'Loggar in – försök igen om ett ögonblick.' : 'Logga in för att skicka.')
      : null),
});
const tracker = outbox.tracker;
// The user the page acts as: the signed-in one, or while the connection is down (or signing in
// again) the one the tab last signed in as, whose commands the outbox keeps until it is back —
// once the page has a state to report on (not after a reload with the server away).
const user = () => session.user || (model.have ? outbox.knownUser() : null);

/** What the parts of the page share. `region` is the region shown. */
const page = {
  space: SPACE, model, log, session, tracker, region: '', errorText,
  /** Is the page's space an exercise (a trainer writes only there)? The snapshot says; until then its name. */
  inExercise: () => (model.have ? !!model.exercise : isExerciseSpace(SPACE)),
  /** Acts for every region (admin, trainer): all messages, acknowledging for a named region. */
  forAllRegions: () => actsForAllRegions(user()),
  /** May the user write for this region here (report, readiness, acknowledge, decide)? */
  canWrite: (regionId) => canWrite(user(), {exercise: page.inExercise(), region: regionId}),
  canPost: () => canPost(user(), {exercise: page.inExercise()}),
  /** The figure table's hook: the inputs a waiting report carries keep what it sends. */
  holdInputs: (id) => outbox.holdInputs(id),
};

const figures = createFigures(page);
tracker.adopt('report', figures.adopt);
tracker.adopt('confirm', figures.adopt);
const inbox = createInbox(page);
const compose = createCompose(page);
const decisions = createDecisions(page);
const transport = createTransport(page);
const transfer = createTransfer(page);

// ---------------------------------------------------------------------------------------------
// Header, exercise banner, sign-in

function renderHeader() {
  const exercise = SPACE !== 'live' || model.exercise;
  const chip = $('space-chip');
  chip.className = `space-chip ${exercise ? 'is-exercise' : 'is-live'}`;
  setText(chip, exercise ? `Övning: ${exerciseName(model.exerciseInfo, SPACE)}` : 'Skarpt läge');
  document.body.classList.toggle('exercise', exercise);
  setText($('hcr-name'), model.state.healthcare_region?.name || '');
  const region = model.region(page.region);
  setText($('region-title'), region ? region.name : (model.have ? 'Välj region' : 'Ansluter…'));
  document.title = `${exercise ? 'ÖVNING – ' : ''}TiB${region ? ` ${shortRegionName(region.name)}` : ''} – Lägesbild`;
  syncExerciseBanner(exercise, 'Allt du skickar hamnar i övningen – inte i skarpt läge');
  $('exercise-banner')?.setAttribute('title', `Övningen ”${exerciseName(model.exerciseInfo, SPACE)}”`);
  syncExerciseClock(model.exerciseInfo, model.wallNow());
  document.body.dataset.seq = String(model.seq);
}

function renderAuth() {
  const u = user();
  document.body.dataset.role = session.role;
  document.body.dataset.canWrite = page.canWrite(page.region) ? 'true' : 'false';
  session.render();
  const why = !model.have && outbox.knownUser() ? 'Väntar på läget från servern – när det har kommit kan du rapportera.'
    : readOnlyText(u, {exercise: page.inExercise()});
  for (const note of document.querySelectorAll('.read-only-note')) setText(note, why);
  // Reporters report for their own region only; the others pick one.
  $('region-picker').hidden = u?.role === 'reporter';
}

// ---------------------------------------------------------------------------------------------
// Region choice and the region's readiness level

function pickRegion() {
  const ids = model.regions.map((r) => r.id);
  const u = user();
  if (u?.role === 'reporter' && u.region) return u.region;
  if (page.region && ids.includes(page.region)) return page.region;
  const fromUrl = new URLSearchParams(location.search).get('region');
  if (fromUrl && ids.includes(fromUrl)) return fromUrl;
  let saved = '';
  try { saved = sessionStorage.getItem(REGION_KEY) || ''; } catch { /* ignore */ }
  if (saved && ids.includes(saved)) return saved;
  return ids[0] || '';
}

function fillRegionSelect() {
  const sel = $('region');
  sel.replaceChildren(...model.regions.map((r) => h('option', {value: r.id}, r.name)));
  sel.value = page.region;
}

function renderRegionReadiness() {
  const rec = model.region(page.region)?.readiness;
  const value = rec?.value ?? null;
  const info = READINESS[value];
  const badge = $('region-readiness-now');
  badge.className = `badge readiness lvl-${info ? value : 'unknown'}`;
  badge.dataset.level = value ?? '';
  setText(badge.querySelector('.badge-text'), info ? info.label : 'Ej angivet');
  const t = parseTime(rec?.reported_at);
  setText($('region-readiness-when'), Number.isFinite(t)
    ? `Satt ${timeWithDay(t, model.now())}${rec.reported_by ? ` av ${rec.reported_by}` : ''}` : 'Inte satt');
  const sel = $('region-readiness');
  if (sel.dataset.region !== page.region || sel.dataset.dirty !== 'true') {
    sel.value = value || 'normal';
    sel.dataset.region = page.region;
    sel.dataset.dirty = 'false';
  }
  const writable = page.canWrite(page.region);
  $('set-region-readiness').disabled = !writable || tracker.busy('readiness') || session.signing;
  sel.disabled = !writable;
  $('region-readiness-reason').disabled = !writable;
}

function sendRegionReadiness() {
  const el = $('region-readiness-result');
  const level = $('region-readiness').value;
  if (!READINESS[level]) { showResult(el, 'error', 'Välj ett beredskapsläge.'); return; }
  const cmd = {v: PROTOCOL_VERSION, type: 'set_region_readiness', id: commandId('g'), space: SPACE, region: page.region, level};
  const reason = $('region-readiness-reason').value.trim();
  if (reason.length > 500) { showResult(el, 'error', `Motiveringen får vara högst 500 tecken (nu ${reason.length}).`); return; }
  if (reason) cmd.reason = reason;
  const show = resultIn(el, ({state, answer}) => {
    if (state === 'ok') {
      $('region-readiness').dataset.dirty = 'false';
      $('region-readiness-reason').value = '';
    }
    showResult(el, state, state === 'ok' ? `Sparat (nr ${answer.seq}) ${timeHM(model.now())}${answer.already ? ' · redan sparat' : ''}`
      : `Inte sparat: ${refusalWords(answer, errorText)}`);
  }, {slowText: 'Skickar… inget svar från servern ännu. Kontrollera läget innan du skickar igen.'});
  tracker.send(cmd, {kind: 'readiness', onResult: (result, entry) => { show(result, entry); renderRegionReadiness(); }});
}

// ---------------------------------------------------------------------------------------------
// Rendering from the model's changes

function renderAll() {
  if (!model.have) { renderHeader(); renderAuth(); outbox.render(); return; }
  page.region = pickRegion();
  fillRegionSelect();
  renderHeader();
  renderAuth();
  figures.render();
  renderRegionReadiness();
  compose.render();
  inbox.render();
  decisions.render();
  transport.render();
  transfer.render();
  outbox.render();
}

model.on('snapshot', () => renderAll());
let structural = false;  // the delta changed which hospitals or regions there are
model.on('hospital', ({previous}) => { if (!previous) structural = true; });
model.on('region', ({hospitalsChanged}) => { if (hospitalsChanged) structural = true; });
model.on('message', ({id}) => { if (!structural) { inbox.messageChanged(id); decisions.render(); } });
model.on('delta', ({delta}) => {
  if (structural) { structural = false; renderAll(); return; }
  renderHeader();
  if (delta.hospital || delta.region) {
    figures.render();
    renderRegionReadiness();
    outbox.render();
  }
  if (delta.hospital || delta.region || delta.decision) decisions.render();
  if (delta.region) transport.render();
  if (delta.hospital || delta.hospitals || delta.exercise_info || delta.patients) transfer.render();
});

// ---------------------------------------------------------------------------------------------
// Connection: hello first, reconnect with backoff, since=<last seq>

const conn = pageConnection({
  model,
  session,
  tracker,
  lostTexts: {
    closed: 'Anslutningen bröts innan servern bekräftade. Kontrollera om det kom fram; skicka annars igen.',
    replaced: 'Anslutningen byttes innan servern bekräftade. Kontrollera om det kom fram; skicka annars igen.',
  },
  onLost: () => renderAll(),
  onSnapshot: () => outbox.flush(),
  onRefused: (msg) => { if (!model.have) conn.show('offline', errorText(msg)); },
});
model.on('synced', () => outbox.flush());  // after the connection's own listener: it is in sync then

// ---------------------------------------------------------------------------------------------

let spaces = null;  // the space switch (spaces.js)

function start() {
  session.bind();
  $('board-link').href = pageLink('index.html');
  spaces = initSpaceSwitch({space: SPACE});
  $('region').addEventListener('change', () => {
    page.region = $('region').value;
    try { sessionStorage.setItem(REGION_KEY, page.region); } catch { /* ignore */ }
    showResult($('region-readiness-result'), '', '');
    renderAll();
  });
  $('region-readiness').addEventListener('change', () => { $('region-readiness').dataset.dirty = 'true'; });
  $('set-region-readiness').addEventListener('click', sendRegionReadiness);
  renderHeader();
  renderAuth();
  conn.show('reconnecting');
  heartbeat(conn, model, {everyMs: TICK_MS, second: () => { syncExerciseClock(model.exerciseInfo, model.wallNow()); outbox.tick(); },
    ages: () => { figures.tick(); inbox.updateAges(); decisions.tick(); transport.tick(); transfer.tick(); }});
  conn.connect();
}

start();
