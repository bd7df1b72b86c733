// Lägesbild — the deliberate switch between live operation and the exercises (protocol.md
// "Spaces", GET /api/spaces). Used by the board and the TiB page.
//
// #space-switch is a <select> of live and the exercises that are still going (running or paused).
// Choosing another space never switches at once: a dialog says where reports will land
// (#confirm-space-switch / #cancel-space-switch), and only then the page loads ?space=….

import {EXERCISE_STATUS, h, setText} from './common.js';
import {apiFetch} from './session.js';

const REFRESH_MS = 30_000;

const $ = (id) => document.getElementById(id);

/** This page with ?space= set to `space` (removed for live); other query parameters are kept. */
export function urlForSpace(space) {
  const url = new URL(location.href);
  if (space === 'live') url.searchParams.delete('space');
  else url.searchParams.set('space', space);
  url.hash = '';
  return url.pathname + url.search;
}

const nameOf = (s) => s.exercise_info?.scenario?.name || s.exercise_info?.scenario?.id || s.space;

/**
 * "Övning: Bussolycka på E18/E20 vid Arboga (pausad)" or "Skarpt läge"; the space name is added
 * when two exercises share a scenario name.
 */
function optionText(s, all) {
  if (!s.exercise) return 'Skarpt läge';
  const info = s.exercise_info || {};
  const name = nameOf(s);
  const twin = all.some((o) => o !== s && o.exercise && nameOf(o) === name);
  const status = info.status && info.status !== 'running' ? `, ${EXERCISE_STATUS[info.status]?.label.toLowerCase() || 'okänt läge'}` : '';
  return `Övning: ${name}${twin || status ? ` (${twin ? s.space : ''}${twin ? status : status.slice(2)})` : ''}`;
}

let dialog = null;

function ensureDialog() {
  if (dialog) return dialog;
  const title = h('h2', {id: 'space-switch-title', class: 'ssd-title'});
  const text = h('p', {id: 'space-switch-text', class: 'ssd-text'});
  const note = h('p', {class: 'ssd-note'});
  const cancel = h('button', {type: 'button', id: 'cancel-space-switch', class: 'btn btn-secondary'}, 'Avbryt');
  const confirm = h('button', {type: 'button', id: 'confirm-space-switch', class: 'btn btn-primary'});
  const el = h('dialog', {id: 'space-switch-dialog', class: 'space-dialog', 'aria-labelledby': 'space-switch-title',
    'aria-describedby': 'space-switch-text'},
  h('div', {class: 'ssd-mark', 'aria-hidden': 'true'}), title, text, note,
  h('div', {class: 'ssd-actions'}, cancel, confirm));
  document.body.append(el);
  dialog = {el, title, text, note, cancel, confirm};
  return dialog;
}

/**
 * Fills #space-switch from GET /api/spaces and keeps it current. `space` is the page's space.
 * The control stays hidden while there is nothing to switch to, or the server has no /api/spaces.
 * Returns {refresh}: fetch the list again now (e.g. after signing in).
 */
export function initSpaceSwitch({space}) {
  const select = $('space-switch');
  if (!select) return {refresh: () => {}};
  const wrap = select.closest('.space-switch') || select;
  let known = [];          // the /api/spaces entries shown
  let target = null;       // the space the open dialog asks about

  const render = (spaces) => {
    const shown = spaces.filter((s) => s.space === space || !s.exercise ||
      (s.exercise_info?.status ?? 'running') !== 'stopped');
    if (!shown.some((s) => s.space === space)) {
      shown.push({space, exercise: space !== 'live'});
    }
    if (!shown.some((s) => s.space === 'live')) shown.unshift({space: 'live', exercise: false});
    shown.sort((a, b) => (a.exercise === b.exercise ? 0 : a.exercise ? 1 : -1));
    const texts = shown.map((s) => optionText(s, shown));
    const key = JSON.stringify(shown.map((s, i) => [s.space, texts[i]]));
    if (key !== select.dataset.key) {
      select.dataset.key = key;
      select.replaceChildren(...shown.map((s, i) => h('option', {value: s.space, dataset: {exercise: s.exercise ? 'true' : 'false'}},
        s.space === space ? `${texts[i]} – visas nu` : texts[i])));
    }
    known = shown;
    select.value = space;
    wrap.hidden = shown.length < 2;
  };

  const refresh = () => {
    if (document.activeElement === select || dialog?.el.open) return;
    apiFetch('/api/spaces')
      .then((r) => (r.ok ? r.json() : null))
      .then((body) => { if (body && Array.isArray(body.spaces)) render(body.spaces); })
      .catch(() => { /* no list: the switch stays as it is */ });
  };

  const close = () => {
    target = null;
    select.value = space;
    if (dialog?.el.open) dialog.el.close();
  };

  select.addEventListener('change', () => {
    const to = select.value;
    if (to === space) return;
    const entry = known.find((s) => s.space === to) || {space: to, exercise: to !== 'live'};
    const d = ensureDialog();
    target = to;
    d.el.dataset.target = to;
    d.el.dataset.exercise = entry.exercise ? 'true' : 'false';
    if (entry.exercise) {
      const name = entry.exercise_info?.scenario?.name || to;
      setText(d.title, 'Byta till övningen?');
      setText(d.text, `Byt till övningen ”${name}”? Allt du rapporterar hamnar i övningen, inte i skarpt läge.`);
      setText(d.note, entry.exercise_info?.status === 'paused' ? 'Övningen är pausad just nu.' : 'Övningen pågår.');
      setText(d.confirm, 'Byt till övningen');
    } else {
      setText(d.title, 'Tillbaka till skarpt läge?');
      setText(d.text, 'Byt till skarpt läge? Allt du rapporterar hamnar i skarpt läge – det är inte längre en övning.');
      setText(d.note, 'Skarpt läge är den verkliga lägesbilden som alla ser.');
      setText(d.confirm, 'Byt till skarpt läge');
    }
    d.cancel.onclick = close;
    d.confirm.onclick = () => {
      const go = target;
      if (!go) return;
      d.confirm.disabled = true;
      location.assign(urlForSpace(go));
    };
    d.el.oncancel = () => { target = null; select.value = space; };  // Escape
    d.el.onclose = () => { target = null; select.value = space; };
    d.confirm.disabled = false;
    d.el.showModal();
    d.cancel.focus();
  });

  render([]);
  refresh();
  setInterval(refresh, REFRESH_MS);
  return {refresh};
}
