// Lägesbild — the trainer page's lists: the scenarios (GET /api/scenarios, trainers only: the
// signed-in user's token goes as Authorization: Bearer), each with "Starta övning" (start_exercise)
// and "Läs om scenarier" (reload_scenarios), and the exercises (GET /api/spaces) with their clocks.

import {PROTOCOL_VERSION, EXERCISE_STATUS, h, setText, timeHM, commandId, formatElapsed, exerciseElapsed, refusalWords} from './common.js';
import {apiFetch, showResult} from './session.js';
import {resultIn} from './connection.js';

const $ = (id) => document.getElementById(id);

function durationText(minutes) {
  const m = Number(minutes);
  if (!Number.isFinite(m) || m <= 0) return '–';
  if (m < 60) return `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`;
}

/** Why GET /api/scenarios was refused (401, 403), in words. */
function scenariosRefusedText(status) {
  if (status === 403) {
    return 'Scenarierna visas bara för övningsledare. Du är inte inloggad som övningsledare – logga in med en nyckel för övningsledare.';
  }
  return 'Scenarierna visas bara för övningsledare. Logga in med en nyckel för övningsledare för att se och starta dem.';
}

const isTarget = (inj) => inj.kind === 'target' || inj.kind === 'checkpoint';

/** "omgång 2" for ovning-arboga-bus-2: which run of a scenario (the space's name in its title). */
export function roundText(space) {
  const n = /-(\d+)$/.exec(String(space || ''))?.[1];
  return n ? `omgång ${n}` : '';
}

/** A clock of an exercise in the list: "00:12:34 · ×10". */
export function listClockText(info, wallNow) {
  return `${formatElapsed(exerciseElapsed(info, wallNow))}${info.status === 'running' ? ` · ×${info.speed || 1}` : ''}`;
}

/**
 * The lists of `page` (see trainer.js). `page.data` holds what was fetched: scenarios (null until
 * loaded), scenariosFailed, scenariosRefused (why not, or ''), spaces. Returns
 * {renderScenarios, renderExerciseList, loadScenarios, loadSpaces, tick}.
 */
export function createScenarios(page, {onScenarios}) {
  const {model, tracker, data} = page;
  const expanded = new Set();  // scenario ids whose whole description is shown

  function scenarioCard(sc, {hcrId, hcrName, trainer, starting}) {
    const valid = sc.valid === true;
    const errors = Array.isArray(sc.errors) ? sc.errors : [];
    const injects = Array.isArray(sc.injects) ? sc.injects : [];
    const targets = injects.filter(isTarget).length;
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
    const article = h('article', {class: `scn edge-card${valid ? '' : ' invalid'}${open ? ' expanded' : ''}`,
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
      targets ? h('li', {}, `${targets} kontrollpunkter`) : null,
      h('li', {class: regionOk ? '' : 'warn', title: 'Sjukvårdsregionen som scenariot är skrivet för'},
        regionOk ? (hcrName || 'Sjukvårdsregion –')
          : `⚠ Skrivet för en annan sjukvårdsregion (${sc.healthcare_region}), inte ${hcrName || hcrId}`)),
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
  }

  function renderScenarios() {
    const box = $('scenarios');
    const empty = $('scenarios-empty');
    if (!Array.isArray(data.scenarios)) {
      setText(empty, data.scenariosRefused || (data.scenariosFailed ? 'Kunde inte hämta scenarierna från servern.' : 'Hämtar scenarier…'));
      empty.hidden = false;
      box.replaceChildren();
      return;
    }
    setText(empty, 'Inga scenarier: lägg scenariofiler i katalogen scenarios/ på servern.');
    empty.hidden = data.scenarios.length > 0;
    const trainer = page.isTrainer();
    const b = $('reload-scenarios');
    b.disabled = !trainer || tracker.busy('reload') || page.session.signing;
    b.title = trainer ? 'Servern läser scenariofilerna i katalogen scenarios/ igen' : 'Kräver inloggning som övningsledare';
    const hcr = model.state.healthcare_region;
    const facts = {hcrId: hcr?.id || '', hcrName: hcr?.name || '', trainer, starting: tracker.busy('start')};
    box.replaceChildren(...data.scenarios.map((sc) => scenarioCard(sc, facts)));
  }

  function loadScenarios() {
    apiFetch('/api/scenarios')
      .then((r) => {
        if (r.status === 401 || r.status === 403) {
          data.scenarios = null;
          data.scenariosRefused = scenariosRefusedText(r.status);
          return null;
        }
        return r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`));
      })
      .then((body) => {
        if (body) {
          data.scenarios = Array.isArray(body?.scenarios) ? body.scenarios : [];
          data.scenariosRefused = '';
        }
        data.scenariosFailed = false;
        renderScenarios();
        onScenarios();
      })
      .catch(() => {
        data.scenariosFailed = true;
        if (!Array.isArray(data.scenarios)) { renderScenarios(); onScenarios(); }
      });
  }

  function renderExerciseList() {
    const list = (data.spaces || []).filter((s) => s.exercise);
    $('exercises-card').hidden = list.length === 0;
    const order = {running: 0, paused: 1, stopped: 2};
    list.sort((a, b) => (order[a.exercise_info?.status] ?? 0) - (order[b.exercise_info?.status] ?? 0) ||
      String(a.space).localeCompare(String(b.space)));
    $('exercise-list').replaceChildren(...list.map((s) => {
      const info = s.exercise_info || null;
      const status = EXERCISE_STATUS[info?.status] ? info.status : null;
      const current = s.space === page.space;
      return h('li', {class: `ex-item${current ? ' current' : ''}`, dataset: {space: s.space, status: status || ''}},
        h('span', {class: `ex-status st-${status || 'unknown'}`},
          h('span', {'aria-hidden': 'true'}, status ? `${EXERCISE_STATUS[status].icon} ` : ''),
          status ? EXERCISE_STATUS[status].label : 'Övning'),
        h('span', {class: 'ex-name'}, info?.scenario?.name || s.space),
        h('span', {class: 'ex-time', dataset: {elapsedFor: s.space}}, info ? listClockText(info, model.wallNow()) : ''),
        h('span', {class: 'ex-space', title: s.space}, roundText(s.space)),
        h('span', {class: 'ex-links'},
          current ? h('span', {class: 'ex-here'}, 'Visas nu')
            : h('a', {href: page.pageFor('trainer.html', s.space)}, status === 'stopped' ? 'Visa' : 'Leda'),
          h('a', {href: page.pageFor('review.html', s.space)}, 'Utvärdering')));
    }));
  }

  function loadSpaces() {
    apiFetch('/api/spaces')
      .then((r) => (r.ok ? r.json() : null))
      .then((body) => {
        if (!body || !Array.isArray(body.spaces)) return;
        data.spaces = body.spaces;
        renderExerciseList();
      })
      .catch(() => { /* the list stays as it was */ });
  }

  // -------------------------------------------------------------------------------------------
  // Commands

  /** Has the server read scenarios/ again; the list is fetched again once it has. */
  function reloadScenarios() {
    const cmd = {v: PROTOCOL_VERSION, type: 'reload_scenarios', id: commandId('l')};
    const el = $('reload-result');
    tracker.send(cmd, {kind: 'reload', onResult: resultIn(el, ({state, answer}) => {
      const n = Number(answer.scenarios), broken = Number(answer.broken);
      showResult(el, state, state === 'ok'
        ? `Scenarierna inlästa ${timeHM(model.wallNow())}: ${Number.isFinite(n) ? n : '–'} scenarier` +
          (broken > 0 ? `, ${broken} med fel` : ', alla giltiga')
        : `Inte inläst: ${refusalWords(answer, page.errorText)}`);
      if (state === 'ok') loadScenarios();
    }, {pendingText: 'Läser om scenarierna…'})});
  }

  function startExercise(id) {
    const cmd = {v: PROTOCOL_VERSION, type: 'start_exercise', id: commandId('s'), scenario: id};
    if ($('start-paused').checked) cmd.paused = true;
    const el = $('start-result');
    tracker.send(cmd, {kind: 'start', scenario: id, onResult: resultIn(el, ({state, answer}) => {
      if (state === 'ok' && answer.space) {
        showResult(el, 'ok', `Övningen startad ${timeHM(model.wallNow())} – öppnar den…`);
        location.assign(page.pageFor('trainer.html', answer.space));
        return;
      }
      showResult(el, 'error', state === 'ok' ? 'Servern startade övningen men sa inte vilken – öppna den i listan.'
        : `Inte startad: ${refusalWords(answer, page.errorText)}`);
    }, {pendingText: 'Startar övningen…'})});
  }

  $('reload-scenarios').addEventListener('click', reloadScenarios);

  return {
    renderScenarios, renderExerciseList, loadScenarios, loadSpaces,
    /** Every second: the clocks of the exercises in the list. */
    tick() {
      for (const el of document.querySelectorAll('[data-elapsed-for]')) {
        const info = (data.spaces || []).find((x) => x.space === el.dataset.elapsedFor)?.exercise_info;
        if (info) setText(el, listClockText(info, model.wallNow()));
      }
    },
  };
}
