// Lägesbild — the scenario editor (scenario-editor.html), for trainers: create a scenario or start
// from a copy of any existing one, edit its metadata, start and timeline, have the server check it
// as you type (check_scenario, 300 ms after the last change: every problem at its field), save it
// (save_scenario with base_version; a scenario with problems is saved as a draft), see and restore
// its versions, import and export JSON, dry-run the saved version at 60× and start it as an
// exercise (start_exercise). The forms: editor_meta.js, editor_timeline.js, editor_forms.js; the
// model: editor_model.js. Anyone but a trainer sees "Endast för övningsledare" and no scenario,
// and the server refuses their commands whatever the page shows.

import {PROTOCOL_VERSION, ERROR_TEXT, ROLE_LABELS, setText, commandId, wsUrl} from './common.js';
import {runsExercises} from './roles.js';
import {Session, showResult} from './session.js';
import {Connection} from './connection.js';
import {CommandTracker} from './command_tracker.js';
import {EditorDoc, copyOf, newScenario, freeId} from './editor_model.js';
import {showProblems} from './editor_problems.js';
import {config, loadConfig} from './editor_pickers.js';
import {binding} from './editor_widgets.js';
import {metaForm, baselineForm} from './editor_meta.js';
import {createTimeline} from './editor_timeline.js';
import {createDryRun} from './editor_dryrun.js';
import {createCommands} from './editor_commands.js';
import {fetchCatalogue, fetchScenario, download, exportUrl, readJsonFile, renderCatalogue} from './editor_versions.js';

const CHECK_DELAY_MS = 300;
const $ = (id) => document.getElementById(id);

/** Swedish texts of the editor's own error codes (SPEC13; the rest are in common.js). */
// The editor words a refused start more precisely than the other pages.
const EDITOR_ERRORS = {
  invalid_scenario: 'Versionen har fel (är ett utkast) och kan inte startas',
};
const errorText = (msg) => EDITOR_ERRORS[msg?.code] || ERROR_TEXT[msg?.code] || 'Fel från servern';

const st = {
  catalogue: null,       // GET /api/scenarios, or null
  doc: null,             // EditorDoc
  base: {id: null, version: 0},   // the saved scenario the editor started from (version 0: none)
  newestValid: null,     // whether that version is valid (null: not saved)
  dirty: false,
  edits: 0,              // changes made so far (a save clears `dirty` only if none came after it)
  problems: [],          // [{path, message, sentKeys, local}]
  check: {timer: null, id: null, sentKeys: [], sentIds: [], state: 'idle'},
  openHospitals: new Set(),
  loadedFor: null,       // the user the page loaded its data for
};

// The editor is for those who run exercises: trainers and admins (roles.js).
const isTrainer = () => runsExercises(session.user);

// ---------------------------------------------------------------------------------------------
// Sign-in and connection (one WebSocket to live; the editor reads no state from it)

const session = new Session({
  socket: () => conn.socket,
  errorText,
  onChange: () => { renderAccess(); },
  onSignOut: () => conn.reconnectNow('sign-out'),
});

const tracker = new CommandTracker({
  send: (cmd) => conn.send(cmd),
  refuse: () => (!conn.isOpen() ? 'Ingen anslutning till servern – inget skickades. Försök igen när anslutningen är tillbaka.'
    : !isTrainer() ? 'Kräver inloggning som övningsledare.' : null),
  onChange: () => renderBar(),
});

let synced = false;
const conn = new Connection({
  url: () => wsUrl({}),
  onOpen: (socket) => { synced = false; session.opened(socket); renderAccess(); },
  onMessage: (data) => route(data),
  onLost: (reason) => {
    tracker.dropAll(reason === 'replaced' ? 'Anslutningen byttes innan servern svarade.' : 'Anslutningen bröts innan servern svarade.');
    session.closed();
    if (st.check.state === 'waiting') st.check.state = 'offline';
    renderAccess();
  },
  hasState: () => synced,
  now: () => Date.now(),
});

function route(data) {
  let msg;
  try { msg = JSON.parse(data); } catch { return; }
  if (!msg || typeof msg !== 'object' || msg.v !== PROTOCOL_VERSION) return;
  if (msg.type === 'snapshot' || msg.type === 'resumed') {
    synced = true;
    session.served();
    conn.markSynced();
  } else if (msg.type === 'welcome') {
    session.handle(msg);
  } else if (msg.type === 'scenario_check') {
    if (msg.id === st.check.id) checked(msg);
  } else if (msg.type === 'ack' || msg.type === 'error') {
    if (msg.type === 'error' && msg.id && msg.id === st.check.id) { checkFailed(msg); return; }
    if (tracker.answer(msg)) return;
    if (session.handle(msg)) { if (session.blocked && !synced) conn.showSignInNeeded(); }
  }
}

// ---------------------------------------------------------------------------------------------
// Who may use the page

function renderAccess() {
  session.render();
  const user = session.user;
  const trainer = isTrainer();
  const pending = session.signing || (!user && !conn.isOpen() && !!localToken());
  // Signed in as a trainer before and now reconnecting: the work stays on the page (the commands
  // wait for the sign-in on the new connection).
  const access = trainer || (pending && st.loadedFor) ? 'trainer' : pending ? 'pending' : 'denied';
  document.body.dataset.access = access;
  document.body.dataset.role = session.role;
  $('editor').hidden = access !== 'trainer';
  $('denied').hidden = access !== 'denied';
  $('pending-note').hidden = access !== 'pending';
  if (access === 'denied') {
    setText($('denied-text'), user
      ? `Du är inloggad som ${(ROLE_LABELS[user.role] || 'användare').toLowerCase()} (${user.id}). Scenarioeditorn är bara för övningsledare – logga in med en nyckel för övningsledare.`
      : 'Scenarioeditorn är bara för övningsledare. Logga in med en nyckel för övningsledare i rutan Inloggningsnyckel.');
  }
  if (trainer && st.loadedFor !== user.id) {
    st.loadedFor = user.id;
    loadAll();
  } else if (access === 'denied' && st.loadedFor) {
    forget();
  }
  if (trainer && st.check.state === 'offline') scheduleCheck(0);
  renderBar();
}

const localToken = () => { try { return sessionStorage.getItem('lagesbild.token') || ''; } catch { return ''; } };

/** Not a trainer (any more): nothing of the scenarios stays on the page. */
function forget() {
  st.loadedFor = null;
  st.catalogue = null;
  st.doc = null;
  st.problems = [];
  $('open-scenario').replaceChildren();
  $('workspace').hidden = true;
  for (const id of ['meta-form', 'baseline-form', 'injects', 'versions', 'problems-list', 'dry-tables']) $(id).replaceChildren();
}

async function loadAll() {
  try { await loadConfig(); } catch { showResult($('open-result'), 'error', 'Kunde inte läsa konfigurationen (sjukhus och regioner) från servern.'); }
  setText($('hcr-name'), config.hcr.name);
  await loadCatalogue();
}

async function loadCatalogue(selected) {
  try {
    const r = await fetchCatalogue();
    if (r.refused) { showResult($('open-result'), 'error', 'Servern visar scenarierna bara för övningsledare.'); return; }
    st.catalogue = r.scenarios;
    renderCatalogue(st.catalogue, selected ?? $('open-scenario').value);
    renderVersionsNow();
    renderProblems();
  } catch {
    showResult($('open-result'), 'error', 'Kunde inte hämta scenarierna från servern.');
  }
}

const entryOf = (id) => st.catalogue?.find((s) => s.id === id) || null;

// ---------------------------------------------------------------------------------------------
// Loading a scenario into the editor

/** Opens `scenario` in the editor; `base` is the saved version it continues from ({id, version}). */
function openDoc(scenario, base, note) {
  st.doc = new EditorDoc(scenario);
  st.doc.sortByTime();
  st.base = base;
  st.newestValid = base.version ? entryOf(base.id)?.valid ?? null : null;
  st.dirty = !base.version;
  st.problems = [];
  st.openHospitals.clear();
  timeline.reset();
  $('workspace').hidden = false;
  $('start-links').hidden = true;
  for (const id of ['save-result', 'start-result', 'versions-result']) showResult($(id), '', '');
  buildForms();
  showResult($('open-result'), 'ok', note);
  scheduleCheck(0);
}

function takenIds() {
  return new Set((st.catalogue || []).map((s) => s.id));
}

async function copyChosen() {
  const id = $('open-scenario').value;
  if (!id) return;
  try {
    const s = await fetchScenario(id);
    const copy = copyOf(s, takenIds());
    openDoc(copy, {id: null, version: 0}, `Kopia av ${id} öppnad som ${copy.id}. Spara när du vill behålla den.`);
  } catch (e) { showResult($('open-result'), 'error', `Kunde inte kopiera: ${e.message}`); }
}

async function editChosen() {
  const id = $('open-scenario').value;
  const entry = entryOf(id);
  if (!entry) return;
  if (entry.origin !== 'saved') {
    showResult($('open-result'), 'error', 'En scenariofil kan inte ändras här – kopiera den till ett nytt scenario.');
    return;
  }
  try {
    const s = await fetchScenario(id);
    openDoc(s, {id, version: Number(entry.version) || 0}, `${id} version ${entry.version} öppnad.`);
  } catch (e) { showResult($('open-result'), 'error', `Kunde inte öppna: ${e.message}`); }
}

function newDoc() {
  const s = newScenario({id: freeId('nytt-scenario', takenIds()), hcr: config.hcr.id});
  openDoc(s, {id: null, version: 0}, 'Nytt scenario. Fyll i namn, förebild och inspel.');
}

async function importFile() {
  const file = $('import-file').files?.[0];
  $('import-file').value = '';
  try {
    const s = await readJsonFile(file);
    const entry = entryOf(s.id);
    const saved = entry?.origin === 'saved';
    openDoc(s, saved ? {id: s.id, version: Number(entry.version) || 0} : {id: null, version: 0},
      `${file.name} importerad${saved ? ` – sparas som en ny version av ${s.id}` : ''}${entry && !saved
        ? `. Id:t ${s.id} används av en scenariofil: byt id innan du sparar` : ''}.`);
    st.dirty = true;
    renderBar();
  } catch (e) { showResult($('open-result'), 'error', `Importen misslyckades: ${e.message}`); }
}

// ---------------------------------------------------------------------------------------------
// Forms

function changed() {
  st.dirty = true;
  st.edits++;
  scheduleCheck();
  renderBar();
}

const topBinding = () => binding({root: () => st.doc.top, key: '', changed, rebuild: () => buildTop()});

function buildTop() {
  const b = topBinding();
  $('meta-form').replaceChildren(metaForm(b));
  $('baseline-form').replaceChildren(baselineForm(b, st.openHospitals));
  renderProblems();
}

function buildForms() {
  buildTop();
  timeline.render();
}

const timeline = createTimeline({
  doc: () => st.doc,
  changed,
  rendered: () => renderProblems(),
  participating: () => (Array.isArray(st.doc?.top.participating_regions) ? st.doc.top.participating_regions.map(String) : []),
});
const dryrun = createDryRun();

// ---------------------------------------------------------------------------------------------
// Checking as you type

function scheduleCheck(delay = CHECK_DELAY_MS) {
  clearTimeout(st.check.timer);
  if (!st.doc) return;
  st.check.state = 'waiting';
  st.check.scheduled = true;
  st.check.timer = setTimeout(sendCheck, delay);
  renderBar();
}

function sendCheck() {
  st.check.scheduled = false;
  if (!st.doc || !isTrainer() || !conn.isOpen()) { st.check.state = 'offline'; renderBar(); return; }
  st.check.id = commandId('k');
  st.check.sentKeys = st.doc.keys();
  st.check.sentIds = st.doc.injects.map((i) => String(i?.id ?? ''));
  conn.send({v: PROTOCOL_VERSION, type: 'check_scenario', id: st.check.id, scenario: st.doc.toScenario()});
}

function takeProblems(list, sentKeys, sentIds) {
  st.problems = (Array.isArray(list) ? list : [])
    .map((p) => ({path: String(p?.path || '$'), message: String(p?.message || ''), sentKeys, sentIds}));
}

function checked(msg) {
  // A newer check may be due already: these problems are shown meanwhile (placed by inject key).
  st.check.state = st.check.scheduled ? 'waiting' : 'checked';
  takeProblems(msg.problems, st.check.sentKeys, st.check.sentIds);
  renderProblems();
  renderBar();
}

function checkFailed(msg) {
  if (st.check.scheduled) return;
  st.check.state = 'failed';
  st.check.error = errorText(msg);
  renderBar();
}

/** Problems the page sees itself: an id that is a file's or another saved scenario's. */
function localProblems() {
  const id = st.doc?.top.id;
  const entry = entryOf(id);
  if (!entry || id === st.base.id) return [];
  return [{path: '$.id', local: true, message: entry.origin === 'saved'
    ? 'det finns redan ett sparat scenario med det id:t – välj ett annat eller öppna det'
    : 'id:t används av en scenariofil – ge kopian ett eget id', sentKeys: []}];
}

const allProblems = () => [...localProblems(), ...st.problems];

function renderProblems() {
  if (!st.doc) return;
  showProblems(st.doc, allProblems(), {root: $('workspace'), reveal: (key, field) => timeline.reveal(key, field)});
}

const commands = createCommands({
  st, tracker, errorText, isTrainer, entryOf, loadCatalogue, openDoc, takeProblems, renderProblems, allProblems, dryrun,
});
const {renderBar, save, renderVersionsNow} = commands;

// ---------------------------------------------------------------------------------------------

function start() {
  session.bind();
  $('copy-scenario').addEventListener('click', copyChosen);
  $('edit-scenario').addEventListener('click', editChosen);
  $('new-scenario').addEventListener('click', newDoc);
  $('import-file').addEventListener('change', importFile);
  $('save').addEventListener('click', save);
  $('export').addEventListener('click', () => download(exportUrl(st.base.id, st.base.version), `${st.base.id}.json`, $('save-result')));
  $('dry-run').addEventListener('click', () => commands.startExercise(true));
  $('start').addEventListener('click', () => commands.startExercise(false));
  window.addEventListener('beforeunload', (ev) => { if (st.dirty && st.doc) ev.preventDefault(); });
  renderAccess();
  conn.show('reconnecting');
  setInterval(() => conn.tick(), 1000);
  conn.connect();
}

start();
