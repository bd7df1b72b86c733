// Lägesbild — the scenario editor's dry run (provkörning): the saved version played at 60× in a
// private space of its own (start_exercise with dry_run, from editor.js), and its after-action
// review (GET /api/review?space=provkorning-…) fetched every second until the server has stopped
// it at the planned end: the timeline in exercise time, worded in Swedish (summaries.js), the
// performance indicators and the checkpoints with their results as colour and word
// (review_targets.js). Marked ÖVNING · PROVKÖRNING: nothing of it is live.

import {EVENT_KINDS, EXERCISE_STATUS, targetStatus, exerciseElapsed, formatElapsed, h, setText} from './common.js';
import {apiFetch} from './session.js';
import {timelineText} from './summaries.js';
import {checkpointRows, indicatorRows} from './review_targets.js';
import {regionName, hospitalName, regionOf} from './editor_pickers.js';

const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);

function actorText(actor) {
  if (!actor || typeof actor !== 'object') return '–';
  if (actor.kind === 'scenario') return 'Scenariot';
  if (actor.kind === 'system' || actor.kind === 'server') return 'Servern';
  return String(actor.id || '–');
}

function table(id, columns) {
  return h('table', {id, class: 'r-table'},
    h('thead', {}, h('tr', {}, ...columns.map(([t, cls]) => h('th', {scope: 'col', class: cls || null}, t)))),
    h('tbody'));
}

/** The dry run's panel (#dryrun): start(space, what) shows it and follows the review until stopped. */
export function createDryRun() {
  const st = {space: null, review: null, timer: null, loadedAt: 0, failures: 0, label: ''};

  function build() {
    $('dry-tables').replaceChildren(
      h('section', {class: 'dry-part'}, h('h3', {}, 'Prestationsindikatorer'),
        h('p', {class: 't-hint', id: 'dry-ind-summary'}),
        table('dry-indicators', [['Indikator'], ['Mål', 't-num'], ['Utfört, efter larmet', 't-num'], ['Resultat'], ['Av']]),
        h('p', {class: 'side-empty', id: 'dry-indicators-empty', hidden: true}, 'Inget larm har nått någon region ännu.')),
      h('section', {class: 'dry-part'}, h('h3', {}, 'Kontrollpunkter'),
        table('dry-checkpoints', [['Kontrollpunkt'], ['Mål, senast', 't-num'], ['Utfört', 't-num'], ['Marginal'], ['Resultat'], ['Av']]),
        h('p', {class: 'side-empty', id: 'dry-checkpoints-empty', hidden: true}, 'Scenariot har inga kontrollpunkter.')),
      h('section', {class: 'dry-part dry-wide'}, h('h3', {}, 'Tidslinje'),
        table('dry-timeline', [['Övningstid', 't-num'], ['Händelse'], ['Av'], ['Vad']]),
        h('p', {class: 'side-empty', id: 'dry-timeline-empty', hidden: true}, 'Inga händelser ännu.')));
  }

  function fill(id, rows) {
    $(id).tBodies[0].replaceChildren(...rows);
    $(id).hidden = rows.length === 0;
    $(`${id}-empty`).hidden = rows.length > 0;
  }

  function render() {
    const r = st.review;
    const info = r?.exercise_info || null;
    const status = EXERCISE_STATUS[info?.status] ? info.status : '';
    const panel = $('dryrun');
    panel.dataset.status = status || 'starting';
    const elapsed = exerciseElapsed(info, st.loadedAt || Date.now());
    const planned = Number(info?.planned_ms);
    setText($('dry-status'), !r ? 'Startar provkörningen…'
      : `${status ? EXERCISE_STATUS[status].label : 'Pågår'} · övningstid ${formatElapsed(elapsed)}` +
        `${planned > 0 ? ` av ${formatElapsed(planned)}` : ''}${status === 'running' ? ` · ×${info.speed || 60}` : ''}` +
        (status === 'stopped' ? ' · klar: utvärderingen nedan är slutgiltig' : ''));
    $('dry-bar').style.width = planned > 0 ? `${Math.min(100, Math.round((elapsed / planned) * 100))}%` : '0%';
    setText($('dry-what'), st.label);
    $('dry-review-link').href = `review.html?space=${encodeURIComponent(st.space)}`;
    if (!r) return;
    const names = {region: regionName, hospital: hospitalName};
    const inds = Array.isArray(r.indicators) ? r.indicators : [];
    fill('dry-indicators', indicatorRows(inds, {live: false, regionName, hospitalName, regionOf}));
    const met = inds.filter((x) => targetStatus(x.status) === 'met').length;
    const notMet = inds.filter((x) => targetStatus(x.status) === 'not_met').length;
    setText($('dry-ind-summary'), inds.length ? `${met} av ${inds.length} uppfyllda, ${notMet} ej uppfyllda, ` +
      `${inds.length - met - notMet} väntar. I en provkörning gör ingen deltagare något: det visar vad scenariot mäter.` : '');
    const opened = new Map((Array.isArray(r.injects) ? r.injects : []).map((i) => [i.id, Number(i.at_ms)]));
    fill('dry-checkpoints', checkpointRows(Array.isArray(r.checkpoints) ? r.checkpoints : [], opened, elapsed));
    const timeline = Array.isArray(r.timeline) ? r.timeline : [];
    fill('dry-timeline', timeline.map((e) => h('tr', {dataset: {seq: String(e.seq ?? ''), kind: String(e.kind || '')}},
      h('td', {class: 't-num'}, Number.isFinite(Number(e.elapsed_ms)) ? formatElapsed(Number(e.elapsed_ms)) : '–'),
      h('td', {class: 'ev-kind'}, EVENT_KINDS[e.kind] || 'Händelse'),
      h('td', {}, actorText(e.actor)),
      h('td', {class: 'ev-summary'}, timelineText(e.summary, names)))));
  }

  async function poll() {
    const space = st.space;
    try {
      const res = await apiFetch(`/api/review?space=${encodeURIComponent(space)}`);
      if (space !== st.space) return;
      if (res.ok) {
        st.review = await res.json();
        st.loadedAt = Date.now();
        st.failures = 0;
        setText($('dry-error'), '');
        render();
        if (st.review?.exercise_info?.status === 'stopped') return;
      } else {
        st.failures++;
        setText($('dry-error'), res.status === 401 || res.status === 403
          ? 'Utvärderingen visas bara för övningsledare.'
          : `Kunde inte hämta utvärderingen (HTTP ${res.status}) – försöker igen.`);
        if (res.status === 401 || res.status === 403) return;
      }
    } catch {
      st.failures++;
      setText($('dry-error'), 'Kunde inte hämta utvärderingen – försöker igen.');
    }
    if (space === st.space) st.timer = setTimeout(poll, POLL_MS);
  }

  build();

  return {
    /** Follows the dry run in `space`; `label` says what was run ("demo-kopia, version 2"). */
    start(space, label) {
      clearTimeout(st.timer);
      Object.assign(st, {space, review: null, loadedAt: 0, failures: 0, label});
      $('dryrun').hidden = false;
      $('dry-space').textContent = space;
      render();
      $('dryrun').scrollIntoView({block: 'start', behavior: 'smooth'});
      poll();
    },
    get space() { return st.space; },
    get running() { return !!st.space && st.review?.exercise_info?.status !== 'stopped'; },
  };
}
