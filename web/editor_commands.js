// Lägesbild — the scenario editor's commands and its bar: save (save_scenario with base_version:
// the version the editor started from, 0 for a new id; a scenario with problems is saved as a
// draft), restore a version (restore_scenario), dry-run the saved version at 60× or start it as an
// exercise (start_exercise with version, and dry_run) — both only when the version in the editor
// is saved and valid — and the bar that says what is open, how the check went and why a button
// cannot be used. `page` is the editor's shared state and functions (editor.js).

import {PROTOCOL_VERSION, setText, commandId, refusalWords} from './common.js';
import {showResult} from './session.js';
import {resultIn} from './connection.js';
import {fetchScenario, download, exportUrl, renderVersions} from './editor_versions.js';

const $ = (id) => document.getElementById(id);

export function createCommands(page) {
  const {st, tracker, errorText, isTrainer, entryOf, loadCatalogue, openDoc, takeProblems, renderProblems, allProblems, dryrun} = page;

  // ---------------------------------------------------------------------------------------------
  // The bar: what is open, the check, save / export / dry run / start

  function startBlock() {
    if (!st.doc) return 'Inget scenario öppet.';
    if (!st.base.version || st.base.id !== st.doc.top.id) return 'Spara scenariot först: provkörning och start gäller en sparad version.';
    if (st.dirty) return 'Osparade ändringar: spara först (provkörning och start gäller den sparade versionen).';
    if (st.newestValid !== true) return 'Den senaste versionen är ett utkast med fel: rätta felen och spara innan den kan provköras eller startas.';
    return '';
  }

  function renderBar() {
    const doc = st.doc;
    const trainer = isTrainer();
    document.body.dataset.dirty = st.dirty ? 'true' : 'false';
    document.body.dataset.check = st.check.state;
    const n = allProblems().length;
    setText($('page-title'), doc ? (doc.top.name || doc.top.id || 'Namnlöst scenario') : 'Scenarioeditor');
    document.title = `${doc ? `${doc.top.name || doc.top.id} – ` : ''}Scenarioeditor – Lägesbild`;
    setText($('doc-chip'), doc ? (st.base.version ? 'Sparat scenario' : 'Nytt, ej sparat') : 'Inget scenario');
    if (!doc) return;
    setText($('doc-id'), String(doc.top.id || '–'));
    setText($('doc-version'), st.base.version && st.base.id === doc.top.id
      ? `version ${st.base.version}${st.newestValid === false ? ' (utkast)' : ''}` : 'inte sparat');
    setText($('dirty-state'), st.dirty ? 'Osparade ändringar' : 'Sparat');
    const cs = st.check.state;
    const el = $('check-state');
    el.dataset.state = cs === 'checked' ? (n ? 'bad' : 'ok') : cs;
    setText(el, cs === 'waiting' ? 'Kontrollerar…' : cs === 'offline' ? 'Ingen anslutning – kontrolleras när den är tillbaka'
      : cs === 'failed' ? `Kunde inte kontrollera: ${st.check.error}` : cs === 'checked'
        ? (n ? `✖ ${n} fel – kan sparas som utkast men inte startas` : '✔ Inga fel') : '');
    const saving = tracker.busy('save') || tracker.busy('restore');
    $('save').disabled = !trainer || saving;
    setText($('save'), saving ? 'Sparar…' : n ? 'Spara utkast' : 'Spara');
    $('export').disabled = !trainer || !st.base.version || st.base.id !== doc.top.id;
    const why = startBlock();
    const starting = tracker.busy('start') || tracker.busy('dry');
    $('dry-run').disabled = !trainer || !!why || starting;
    $('start').disabled = !trainer || !!why || starting;
    setText($('start-why'), why);
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  function save() {
    const doc = st.doc;
    const id = String(doc.top.id || '');
    const base = id === st.base.id ? st.base.version : 0;
    const sentKeys = doc.keys();
    const sentIds = doc.injects.map((i) => String(i?.id ?? ''));
    const edits = st.edits;
    const cmd = {v: PROTOCOL_VERSION, type: 'save_scenario', id: commandId('s'), scenario: doc.toScenario(), base_version: base};
    const el = $('save-result');
    tracker.send(cmd, {kind: 'save', onResult: resultIn(el, ({state, answer}) => {
      if (state !== 'ok') {
        const extra = answer.code === 'version_conflict' ? ' Öppna den senaste versionen, eller spara under ett nytt id.' : '';
        showResult(el, 'error', `Inte sparat: ${refusalWords(answer, errorText)}.${extra}`);
        return;
      }
      st.base = {id: String(answer.scenario || id), version: Number(answer.version) || 0};
      st.newestValid = answer.valid === true;
      st.dirty = st.edits !== edits;
      if (Array.isArray(answer.problems)) { takeProblems(answer.problems, sentKeys, sentIds); st.check.state = 'checked'; }
      showResult(el, 'ok', `Sparat som version ${answer.version}${answer.valid === true ? ' – giltigt, kan provköras och startas'
        : ` – utkast med ${answer.problems?.length || 'några'} fel, kan inte startas`}.`);
      renderProblems();
      renderBar();
      loadCatalogue(st.base.id);
    }, {pendingText: 'Sparar…'})});
  }

  function restore(version) {
    const id = st.base.id;
    const el = $('versions-result');
    tracker.send({v: PROTOCOL_VERSION, type: 'restore_scenario', id: commandId('r'), scenario: id, version},
      {kind: 'restore', onResult: resultIn(el, async ({state, answer}) => {
        if (state !== 'ok') { showResult(el, 'error', `Inte återställt: ${refusalWords(answer, errorText)}.`); return; }
        try {
          const s = await fetchScenario(id, answer.version);
          await loadCatalogue(id);
          openDoc(s, {id, version: Number(answer.version)}, `Version ${version} återställd som version ${answer.version}.`);
          st.newestValid = answer.valid === true;
          st.dirty = false;
          renderBar();
          showResult(el, 'ok', `Version ${version} återställd som version ${answer.version}.`);
        } catch (e) { showResult(el, 'error', `Återställd, men kunde inte läsas in: ${e.message}`); }
      }, {pendingText: 'Återställer…'})});
  }

  function startExercise(dry) {
    const {id, version} = st.base;
    const cmd = {v: PROTOCOL_VERSION, type: 'start_exercise', id: commandId(dry ? 'p' : 'x'), scenario: id, version};
    if (dry) cmd.dry_run = true;
    const el = $('start-result');
    tracker.send(cmd, {kind: dry ? 'dry' : 'start', onResult: resultIn(el, ({state, answer}) => {
      if (state !== 'ok' || !answer.space) {
        showResult(el, 'error', state === 'ok' ? 'Servern startade men sa inte var.' : `Inte startad: ${refusalWords(answer, errorText)}.`);
        return;
      }
      const space = String(answer.space);
      if (dry) {
        showResult(el, 'ok', `Provkörningen ${space} är igång.`);
        dryrun.start(space, `${id}, version ${version}`);
        return;
      }
      showResult(el, 'ok', `Övningen ${space} är startad.`);
      const q = `?space=${encodeURIComponent(space)}`;
      setText($('started-space'), space);
      $('started-trainer').href = `trainer.html${q}`;
      $('started-board').href = `index.html${q}`;
      $('started-tib').href = `tib.html${q}`;
      $('start-links').hidden = false;
    }, {pendingText: dry ? 'Startar provkörningen…' : 'Startar övningen…'})});
  }

  function renderVersionsNow() {
    const entry = entryOf(st.base.id || st.doc?.top.id);
    renderVersions(entry, {
      restore,
      exportVersion: (v) => download(exportUrl(entry.id, v), `${entry.id}.json`, $('versions-result')),
    }, tracker.busy('restore'));
  }


  return {renderBar, save, restore, startExercise, renderVersionsNow};
}
