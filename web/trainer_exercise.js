// Lägesbild — one exercise on the trainer page (trainer.html?space=S): its clock (extrapolated
// every second from the last exercise_info, client_model.js), the controls (control_exercise:
// pause, resume, speed, jump, stop, reset) and the timeline of the scenario's injects, past / next /
// upcoming against the clock, with each exercise target's status from the review.

import {
  PROTOCOL_VERSION, INJECT_KINDS, MESSAGE_KINDS, TARGET_STATUS, targetStatus, syncExerciseClock, exerciseName, formatElapsed,
  formatMinSec, parseElapsed, h, setText, timeHM, parseTime, commandId, refusalWords,
} from './common.js';
import {apiFetch, showResult} from './session.js';
import {resultIn} from './connection.js';
import {injectText} from './summaries.js';
import {roundText} from './trainer_scenarios.js';

const $ = (id) => document.getElementById(id);

const CONTROL_TEXT = {
  pause: 'Pausad', resume: 'Klockan går igen', speed: 'Hastigheten ändrad', jump: 'Hoppat fram',
  stop: 'Övningen avslutad', reset: 'Ny övning startad',
};
const isTarget = (kind) => kind === 'target' || kind === 'checkpoint';

/**
 * The exercise of `page` (see trainer.js; page.data.scenarios, page.data.review). Returns
 * {render, renderControls, renderTimeline, tick, loadReview, reviewSoon}.
 */
export function createExercise(page) {
  const {model, tracker, data} = page;
  const timelineRefs = new Map(); // inject id → {li, when, real, status, fill, at, kind}
  let nextInject;                 // id of the "next" inject at the last timeline pass

  const currentScenario = () => {
    const id = model.exerciseInfo?.scenario?.id;
    return id && Array.isArray(data.scenarios) ? data.scenarios.find((s) => s.id === id) || null : null;
  };

  function render() {
    const info = model.exerciseInfo;
    const elapsed = syncExerciseClock(info, model.wallNow());
    setText($('x-title'), info ? exerciseName(info, page.space) : (model.have ? 'Ingen övningsklocka' : 'Ansluter…'));
    setText($('x-space'), roundText(page.space));
    $('x-space').title = page.space;
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
    $('x-stopped').hidden = info?.status !== 'stopped';
    renderControls();
  }

  function renderControls() {
    const info = model.exerciseInfo;
    const status = info?.status;
    const trainer = page.isTrainer();
    const ready = trainer && !!info && !tracker.busy('control') && !page.session.signing;
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

  // -------------------------------------------------------------------------------------------
  // Controls

  function control(action, extra = {}) {
    const cmd = {v: PROTOCOL_VERSION, type: 'control_exercise', id: commandId('x'), space: page.space, action, ...extra};
    const el = $('control-result');
    tracker.send(cmd, {kind: 'control', action, onResult: resultIn(el, ({state, answer}) => {
      const at = timeHM(model.wallNow());
      if (state === 'error') { showResult(el, 'error', `Inte utfört: ${refusalWords(answer, page.errorText)}`); return; }
      if (action === 'reset' && answer.space) {
        showResult(el, 'ok', `Ny omgång startad ${at} – öppnar den…`);
        location.assign(page.pageFor('trainer.html', answer.space));
        return;
      }
      let text = CONTROL_TEXT[action] || 'Klart';
      if (action === 'speed') text = `Hastighet ×${cmd.speed}`;
      if (action === 'jump') text = `Hoppat fram till ${cmd.to}`;
      showResult(el, 'ok', `${text} (nr ${answer.seq ?? '–'}) ${at}`);
      if (action === 'jump') $('jump-to').value = '';
    }, {pendingText: action === 'reset' ? 'Startar en ny övning…' : 'Skickar…'})});
  }

  function jump() {
    const to = parseElapsed($('jump-to').value.trim());
    const result = $('control-result');
    $('jump-to').removeAttribute('aria-invalid');
    if (!Number.isFinite(to)) {
      $('jump-to').setAttribute('aria-invalid', 'true');
      showResult(result, 'error', 'Ange tiden som MM:SS, t.ex. 12:00 (minuter får vara fler än 59).');
      return;
    }
    const now = model.elapsed();
    if (Number.isFinite(now) && to <= now) {
      $('jump-to').setAttribute('aria-invalid', 'true');
      showResult(result, 'error', `Hopp går bara framåt: klockan är redan ${formatElapsed(now)}.`);
      return;
    }
    control('jump', {to: formatMinSec(to)});
  }

  // -------------------------------------------------------------------------------------------
  // Timeline

  /** {kind: {label, icon}, sub: "Lägesrapport"|null, summary} of an inject. */
  function injectLabel(inj) {
    const t = injectText(inj.summary, {region: (id) => model.region(id)?.name});
    const kind = t.alert ? MESSAGE_KINDS.alert : INJECT_KINDS[isTarget(inj.kind) ? 'target' : inj.kind] || {label: 'Inspel', icon: '•'};
    return {kind, sub: t.sub, summary: t.text};
  }

  function buildTimeline(sc) {
    timelineRefs.clear();
    const injects = [...(sc?.injects || [])].map((inj, i) => ({...inj, i}))
      .sort((a, b) => (a.at_ms - b.at_ms) || (a.i - b.i));
    $('timeline').replaceChildren(...injects.map((inj) => {
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
      const li = h('li', {class: `tl-item kind-${isTarget(inj.kind) ? 'target' : inj.kind}`,
        dataset: {inject: inj.id, kind: inj.kind || '', atMs: String(inj.at_ms), state: 'upcoming'}},
        h('span', {class: 'tl-time'}, formatElapsed(inj.at_ms)),
        h('span', {class: 'tl-kind'}, h('span', {class: 'tl-icon', 'aria-hidden': 'true'}, kind.icon), kind.label),
        h('span', {class: 'tl-summary'}, sub ? h('span', {class: 'tl-sub'}, sub) : null, summary),
        h('span', {class: 'tl-side'}, when, real, status, fill));
      timelineRefs.set(inj.id, {li, when, real, status, fill, at: inj.at_ms, kind: inj.kind});
      return li;
    }));
    $('timeline').dataset.forScenario = sc?.id || '';
    nextInject = undefined;
  }

  function renderTimeline() {
    const sc = currentScenario();
    const ol = $('timeline');
    const empty = $('timeline-empty');
    const info = model.exerciseInfo;
    if (!sc) {
      if (ol.childNodes.length) { ol.replaceChildren(); timelineRefs.clear(); }
      empty.hidden = false;
      setText(empty, !info ? (model.have ? 'Utrymmet har ingen övningsklocka.' : 'Ansluter…')
        : data.scenariosRefused ? 'Inspelen visas bara för övningsledare: logga in med en nyckel för övningsledare.'
          : data.scenariosFailed ? 'Kunde inte hämta scenariot från servern.'
            : Array.isArray(data.scenarios) ? `Scenariot ”${info.scenario?.id || ''}” finns inte längre bland scenarierna på servern.`
              : 'Hämtar scenariot…');
      setText($('timeline-count'), '0');
      setText($('timeline-summary'), '');
      return;
    }
    if (ol.dataset.forScenario !== sc.id || timelineRefs.size !== (sc.injects || []).length) buildTimeline(sc);
    empty.hidden = (sc.injects || []).length > 0;
    setText(empty, 'Scenariot har inga inspel.');
    tick();
  }

  /** Past / next / upcoming against the extrapolated clock; runs every second. */
  function tick() {
    if (!timelineRefs.size) return;
    const elapsed = model.elapsed();
    if (!Number.isFinite(elapsed)) return;
    const info = model.exerciseInfo;
    const speed = Number(info?.speed) || 1;
    const running = info?.status === 'running';
    const trainer = page.isTrainer();
    const live = running || info?.status === 'paused';
    let next = null, past = 0;
    const targets = new Map((data.review?.checkpoints || data.review?.targets || []).map((c) => [c.id, c]));
    for (const [id, r] of timelineRefs) {
      let state;
      if (r.at <= elapsed) { state = 'past'; past++; }
      else if (!next) { state = 'next'; next = id; }
      else state = 'upcoming';
      if (r.li.dataset.state !== state) r.li.dataset.state = state;
      const cp = isTarget(r.kind) ? targets.get(id) : null;
      const status = cp ? targetStatus(cp.status) : null;
      const cs = cp && TARGET_STATUS[status];
      if (state === 'past') {
        // A target is not played but opened: its status (from the review) says how it went.
        setText(r.when, !isTarget(r.kind) ? '✔ Spelat' : cs ? '' : `${TARGET_STATUS.pending.icon} ${TARGET_STATUS.pending.label}`);
        setText(r.real, '');
      } else if (state === 'next') {
        const left = r.at - elapsed;
        setText(r.when, `Nästa · om ${formatMinSec(left)}`);
        setText(r.real, running && speed > 1 ? `≈ ${formatMinSec(left / speed)} i verklig tid`
          : info?.status === 'paused' ? 'klockan står still' : '');
      } else {
        setText(r.when, `om ${formatMinSec(r.at - elapsed)}`);
        setText(r.real, '');
      }
      r.fill.hidden = state === 'past' || !trainer || !live;
      r.status.hidden = !cs || (status === 'pending' && state !== 'past');
      if (cs) {
        r.li.dataset.checkpointStatus = status;
        setText(r.status, `${cs.icon} ${cs.label}`);
        r.status.className = `tl-cp cp-${status}`;
      }
    }
    setText($('timeline-count'), String(timelineRefs.size));
    setText($('timeline-summary'), `${past} av ${timelineRefs.size} spelade` +
      (next ? '' : timelineRefs.size ? ' · inga fler inspel' : ''));
    if (next !== nextInject) {
      nextInject = next;
      scrollTimelineTo(next);
    }
  }

  /** Keeps the next inject in view inside the timeline's own scroll box (never scrolls the page). */
  function scrollTimelineTo(id) {
    const ol = $('timeline');
    const r = id ? timelineRefs.get(id) : null;
    if (!r || ol.scrollHeight <= ol.clientHeight) return;
    const top = r.li.offsetTop - ol.offsetTop;
    ol.scrollTop = Math.max(0, top - ol.clientHeight / 3);
  }

  function loadReview() {
    apiFetch(`/api/review?space=${encodeURIComponent(page.space)}`)
      .then((r) => (r.ok ? r.json() : null))
      .then((body) => {
        if (!body || typeof body !== 'object') return;
        data.review = body;
        tick();
      })
      .catch(() => { /* target status is extra */ });
  }

  let reviewTimer = null;
  for (const b of document.querySelectorAll('button[data-action="pause"], button[data-action="resume"], button[data-action="stop"], button[data-action="reset"]')) {
    b.addEventListener('click', () => control(b.dataset.action));
  }
  for (const b of document.querySelectorAll('button[data-speed]')) {
    b.addEventListener('click', () => control('speed', {speed: Number(b.dataset.speed)}));
  }
  $('jump-form').addEventListener('submit', (ev) => { ev.preventDefault(); jump(); });
  $('jump-to').addEventListener('input', () => $('jump-to').removeAttribute('aria-invalid'));

  return {
    render, renderControls, renderTimeline, tick, loadReview,
    /** Target status changes with participants' events: fetch the review shortly after a delta. */
    reviewSoon() {
      if (reviewTimer) return;
      reviewTimer = setTimeout(() => { reviewTimer = null; loadReview(); }, 1500);
    },
  };
}
