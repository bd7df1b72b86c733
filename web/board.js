// Lägesbild — the wall board.
//
// One WebSocket to /ws (protocol.md). The client model (client_model.js) applies the snapshot and
// the deltas, keeps the last applied seq, and on a gap has the page reconnect with since=<seq>,
// which brings exactly the missed deltas (or a fresh snapshot). Every delta carries whole records,
// which simply replace the old ones; the page renders from the model's changes:
//   board_wall.js      the regions and their hospital cards (board_card.js), totals, summary
//   board_trends.js    the trend on each card, from GET /api/history plus the live deltas
//   board_messages.js  the unacknowledged messages and the message log
//   board_decisions.js the decisions log (beslut), newest first, per region
//   board_scene.js     exercises: the patients at the scene and on the way (Skadeplats)
//   board_neighbours.js live: other healthcare regions' hospitals, read-only (Grannar)
//
// On a server started with --require-sign-in the board shows nothing until someone signs in: the
// server answers the socket with sign_in_required, the board shows its sign-in box (session.js; a
// #token= link works too), sends hello, and the server then sends the snapshot. Every /api request
// carries the token as Authorization: Bearer whenever the page has one; never in a URL.
//
// In an exercise space the ÖVNING banner carries the exercise clock (extrapolated every second,
// replaced by each exercise_clock_set delta), and "now" for ages, staleness and the header clock is
// exercise time, the time every event of the space is stamped with.
//
// Everything from the server is put into the DOM with textContent (via h()/setText()).

import {
  ERROR_TEXT, pageSpace, syncExerciseBanner, syncExerciseClock, exerciseName, pageLink, setText, timeHMS, dayLong,
} from './common.js';
import {ClientModel} from './client_model.js';
import {MessageLog} from './message_log.js';
import {initSpaceSwitch} from './spaces.js';
import {pageConnection, heartbeat} from './connection.js';
import {Session, apiFetch} from './session.js';
import {createWall} from './board_wall.js';
import {createTrends} from './board_trends.js';
import {createMessageColumn} from './board_messages.js';
import {createDecisionLog} from './board_decisions.js';
import {createScenePanel} from './board_scene.js';
import {createNeighbours} from './board_neighbours.js';

const SPACE = pageSpace();
const AGE_TICK_MS = 10_000;     // ages and stale flags are re-evaluated this often

const $ = (id) => document.getElementById(id);

const log = new MessageLog({fetch: (url) => apiFetch(url), onChange: () => column.render()});
const model = new ClientModel({space: SPACE, messages: log});
const trends = createTrends(model, {card: (id) => wall.card(id)});
const wall = createWall(model, {onCard: (id) => trends.update(id)});
const column = createMessageColumn(model, log);
const decisions = createDecisionLog(model, log);
const scene = createScenePanel(model);
const neighbours = createNeighbours({now: () => model.wallNow()});

// ---------------------------------------------------------------------------------------------
// Header: space, exercise banner, clock, seq

function updateHeader() {
  const hcr = model.state.healthcare_region;
  setText($('hcr-name'), hcr?.name || 'Lägesbild');
  const exercise = SPACE !== 'live' || model.exercise;
  document.body.classList.toggle('exercise', exercise);
  const chip = $('space-chip');
  chip.className = `space-chip ${exercise ? 'is-exercise' : 'is-live'}`;
  setText(chip, exercise ? 'Övning' : 'Skarpt läge');
  const name = exerciseName(model.exerciseInfo, SPACE);
  chip.title = exercise ? `Övningen ”${name}”` : 'Skarpt läge: den verkliga lägesbilden';
  document.title = exercise ? `ÖVNING – ${hcr?.name || 'Lägesbild'}` : `Lägesbild – ${hcr?.name || ''}`;

  syncExerciseBanner(exercise, `${name} – inte skarpt läge`);
  syncExerciseClock(model.exerciseInfo, model.wallNow());
  setText($('seq'), model.have ? String(model.seq) : '–');
  document.body.dataset.seq = String(model.seq);
}

function tickClock() {
  const now = model.now();
  setText($('clock'), timeHMS(now));
  setText($('date-line'), dayLong(now));
  const inExercise = !!model.exerciseInfo;
  $('clock').setAttribute('aria-label', inExercise ? 'Övningens klocka' : 'Svensk tid');
  $('clock').title = inExercise
    ? 'Övningens klocka: övningens start plus övningstiden. Alla händelser i övningen har den här tiden.'
    : 'Svensk tid';
  syncExerciseClock(model.exerciseInfo, model.wallNow());
}

// ---------------------------------------------------------------------------------------------
// The model's changes

let updateAges = () => {};  // ages and stale flags, now (set by the heartbeat in start())

model.on('snapshot', ({sameSpace}) => {
  trends.afterSnapshot(sameSpace);
  if (sameSpace) wall.resync(); else wall.rebuild();
  column.fillFilters();
  column.render();
  decisions.fillFilters();
  decisions.render();
  scene.render();
  updateHeader();
  tickClock();
  wall.fit();
});
model.on('hospital', (change) => {
  trends.addEntry(change.hospital.id, change.event);
  wall.hospitalChanged(change);
});
model.on('region', (change) => {
  wall.regionChanged(change);
  if (change.hospitalsChanged) { column.fillFilters(); decisions.fillFilters(); }
});
model.on('message', () => column.render());
model.on('decision', () => decisions.render());
model.on('patients', () => { scene.render(); wall.fit(); });
model.on('clock', () => { tickClock(); updateAges(); wall.fit(); });  // updateAges renders the scene
model.on('delta', () => updateHeader());

function showNotice(text) {
  const n = $('notice');
  if (!text) { n.hidden = true; n.textContent = ''; return; }
  n.textContent = text;
  n.hidden = false;
}

const NOTICE_TEXT = {
  ...ERROR_TEXT,
  unknown_space: 'Servern känner inte till övningen',
  unsupported_version: 'Servern talar en annan protokollversion',
};

// ---------------------------------------------------------------------------------------------
// Signing in: only when the server requires it (or a #token= link was opened)

const session = new Session({
  socket: () => conn.socket,
  regionName: (id) => model.region(id)?.name,
  errorText: (msg) => ERROR_TEXT[msg.code] || 'Fel från servern',
  onChange: (what) => {
    renderAuth();
    if (what === 'welcome') spaces?.refresh();  // a server that requires sign-in lists nothing before
  },
  onSignOut: () => conn.reconnectNow('sign-out'),
});

/**
 * The sign-in box: a card in the middle of the empty board while the server shows nothing before a
 * sign-in (body[data-auth="required"]); one quiet line in the header while someone is signed in.
 */
function renderAuth() {
  session.render();
  // Back after a lost connection, the stored token signs in again at once: no card meanwhile.
  const blocked = session.blocked && !(session.signing && model.have);
  document.body.dataset.auth = blocked ? 'required' : session.user ? 'signed-in' : '';
  $('sign-in-panel').hidden = !blocked && !session.user;
  if (blocked && !model.have) setText($('hcr-name'), 'Inloggning krävs');
  if (blocked && !conn.synced) conn.showSignInNeeded();
}

// ---------------------------------------------------------------------------------------------
// Connection: reconnect with backoff and since=<last seq>

const conn = pageConnection({
  model,
  session,
  onLost: () => renderAuth(),
  onSnapshot: () => { showNotice(null); renderAuth(); },
  onRefused: (msg) => showNotice(NOTICE_TEXT[msg.code] || 'Fel från servern'),
  onOther: (msg) => { if (msg.type === 'neighbours' && SPACE === 'live') { neighbours.receive(msg); wall.fit(); } },
});

// ---------------------------------------------------------------------------------------------

let spaces = null;  // the space switch (spaces.js)

function start() {
  $('tib-link').href = pageLink('tib.html');
  $('summary-link').href = pageLink('summary.html');
  $('trainer-link').href = pageLink('trainer.html');
  session.bind();
  spaces = initSpaceSwitch({space: SPACE});
  if (SPACE !== 'live') updateHeader();
  conn.show('reconnecting');
  renderAuth();
  tickClock();
  updateAges = heartbeat(conn, model, {everyMs: AGE_TICK_MS, second: tickClock,
    ages: () => { wall.updateAges(); column.updateAges(); decisions.updateAges(); scene.render(); neighbours.updateAges(); }});
  window.addEventListener('resize', () => wall.fit());
  conn.connect();
}

start();
