// Lägesbild — the trainer page (övningsledning): start an exercise from a scenario, run its clock,
// follow its injects and put in injects of one's own (protocol.md "Exercises", docs/scenarios.md).
//
// trainer.html            the scenarios and the exercises (trainer_scenarios.js)
// trainer.html?space=S    one exercise: its clock, the controls, the inject timeline
//                         (trainer_exercise.js) and "inject now" (trainer_inject.js)
//
// One WebSocket to /ws?space=S (live without ?space=), signed in with session.js; the client model
// (client_model.js) keeps the space's state and exercise clock, the command tracker
// (command_tracker.js) every command until its `ack` (or `error`). Only a trainer may start and
// control exercises; everyone else sees the same page read-only. Server strings reach the DOM
// only through textContent.

import {ROLE_LABELS, ERROR_TEXT, pageSpace, syncExerciseBanner, exerciseName, setText} from './common.js';
import {runsExercises} from './roles.js';
import {ClientModel} from './client_model.js';
import {CommandTracker} from './command_tracker.js';
import {Session} from './session.js';
import {pageConnection, heartbeat} from './connection.js';
import {createScenarios} from './trainer_scenarios.js';
import {createExercise} from './trainer_exercise.js';
import {createInject} from './trainer_inject.js';

const SPACE = pageSpace();
const MODE = SPACE === 'live' ? 'list' : 'exercise';
const LIST_REFRESH_MS = 15_000;
const REVIEW_REFRESH_MS = 10_000;

const $ = (id) => document.getElementById(id);

const model = new ClientModel({space: SPACE});

const session = new Session({
  socket: () => conn.socket,
  regionName: (id) => model.region(id)?.name,
  errorText: (msg) => page.errorText(msg),
  onChange: (what) => {
    // The scenarios and a running exercise's review are for trainers only: ask again as who we are.
    if (what === 'welcome' || what === 'signed-out') {
      if (what === 'signed-out') page.data.scenarios = null;
      lists.loadScenarios();
      lists.loadSpaces();
      if (exercise) exercise.loadReview();
    }
    renderAll();
  },
  onSignOut: () => conn.reconnectNow('sign-out'),
});

const tracker = new CommandTracker({
  send: (cmd) => conn.send(cmd),
  refuse: () => (!conn.isOpen()
    ? 'Ingen anslutning till servern – inget skickades. Försök igen när anslutningen är tillbaka.'
    : !page.isTrainer() ? (session.signing ? 'Loggar in – försök igen om ett ögonblick.' : 'Kräver inloggning som övningsledare.')
      : null),
  onChange: () => renderCommandsState(),
});

/** What the parts of the page share; `data` what was fetched over HTTP. */
const page = {
  space: SPACE, model, session, tracker,
  data: {
    scenarios: null,       // GET /api/scenarios, or null until loaded
    scenariosFailed: false,
    scenariosRefused: '',  // why the server would not list them (not a trainer), or ''
    spaces: null,          // GET /api/spaces
    review: null,          // GET /api/review of SPACE (target status in the timeline)
  },
  /** Runs exercises: a trainer or an admin (roles.js). */
  isTrainer: () => runsExercises(session.user),
  errorText: (msg) => ERROR_TEXT[msg.code] || 'Fel från servern',
  /** This site's page for a space: trainer.html?space=…, index.html?space=…, … */
  pageFor: (path, space) => (space && space !== 'live' ? `${path}?space=${encodeURIComponent(space)}` : path),
};

const lists = createScenarios(page, {onScenarios: () => exercise?.renderTimeline()});
const exercise = MODE === 'exercise' ? createExercise(page) : null;
const inject = MODE === 'exercise' ? createInject(page) : null;

// ---------------------------------------------------------------------------------------------
// Header and sign-in

function renderHeader() {
  const inExercise = MODE === 'exercise';
  const chip = $('space-chip');
  chip.className = inExercise ? 'space-chip is-exercise' : 'space-chip';
  setText(chip, inExercise ? 'Övning' : 'Ingen övning vald');
  document.body.classList.toggle('exercise', inExercise);
  const name = inExercise ? exerciseName(model.exerciseInfo, SPACE) : '';
  setText($('page-title'), inExercise ? name : 'Övningsledning');
  setText($('hcr-name'), model.state.healthcare_region?.name || '');
  document.title = inExercise ? `ÖVNING – Övningsledning ${name} – Lägesbild` : 'Övningsledning – Lägesbild';
  syncExerciseBanner(inExercise, `Övningsledning för ”${name}” – inte skarpt läge`);
  document.body.dataset.seq = String(model.seq);
}

function renderAuth() {
  session.render();
  document.body.dataset.role = session.role;
  document.body.dataset.canControl = page.isTrainer() ? 'true' : 'false';
  const note = $('control-note');
  const u = session.user;
  note.hidden = page.isTrainer();
  if (!note.hidden) {
    setText(note, u
      ? `Du är inloggad som ${(ROLE_LABELS[u.role] || 'användare').toLowerCase()}: du ser övningarna men kan inte starta eller styra dem. Det kräver en nyckel för övningsledare.`
      : session.signing ? 'Loggar in…'
        : 'Du ser övningarna men kan inte starta eller styra dem. Logga in med en nyckel för övningsledare.');
  }
}

/** What depends on the commands waiting for their answers: the buttons. */
function renderCommandsState() {
  exercise?.renderControls();
  lists.renderScenarios();
  inject?.sync();
}

// ---------------------------------------------------------------------------------------------
// Rendering from the model's changes

function renderAll() {
  renderHeader();
  renderAuth();
  lists.renderScenarios();
  exercise?.render();
  exercise?.renderTimeline();
  inject?.render();
}

model.on('snapshot', () => renderAll());
model.on('clock', () => {
  renderHeader();
  exercise?.render();
  exercise?.tick();
  inject?.sync();
  lists.loadSpaces();
});
model.on('region', () => inject?.render());
model.on('delta', () => {
  document.body.dataset.seq = String(model.seq);
  exercise?.reviewSoon();
});

// ---------------------------------------------------------------------------------------------
// Connection: hello first, reconnect with backoff, since=<last seq>

const conn = pageConnection({
  model,
  session,
  tracker,
  lostTexts: {
    closed: 'Anslutningen bröts innan servern svarade. Kontrollera läget innan du försöker igen.',
    replaced: 'Anslutningen byttes innan servern svarade. Kontrollera läget innan du försöker igen.',
  },
  onLost: () => renderAll(),
  onRefused: (msg) => { if (!model.have) conn.show('offline', page.errorText(msg)); },
});

// ---------------------------------------------------------------------------------------------

function start() {
  document.body.dataset.mode = MODE;
  $('home-link').hidden = MODE !== 'exercise';
  $('exercise-panel').hidden = MODE !== 'exercise';
  $('scenarios-title').textContent = MODE === 'exercise' ? 'Starta en annan övning' : 'Scenarier';
  if (MODE === 'exercise') {
    $('open-board').href = page.pageFor('index.html', SPACE);
    $('open-tib').href = page.pageFor('tib.html', SPACE);
    $('open-review').href = page.pageFor('review.html', SPACE);
  }
  session.bind();
  renderAll();
  conn.show('reconnecting');
  lists.loadScenarios();
  lists.loadSpaces();
  exercise?.loadReview();
  heartbeat(conn, model, {second: () => { exercise?.render(); exercise?.tick(); lists.tick(); }});
  setInterval(lists.loadSpaces, LIST_REFRESH_MS);
  if (exercise) setInterval(exercise.loadReview, REVIEW_REFRESH_MS);
  conn.connect();
}

start();
