// Lägesbild — the scenario editor's timeline: the injects as a list against exercise time, each
// with its time field, what it does, and move up/down, edit, duplicate and delete; drag a row by
// its handle to move it (in the list, and so in time: editor_model.js moveTo gives it a time that
// fits between its new neighbours). New injects of every kind are added after the open one (or at
// the end). The list is built again after every change of order; focus stays where it was.

import {h, setText} from './common.js';
import {INJECT_KIND_ORDER, newInject} from './editor_model.js';
import {binding, time} from './editor_widgets.js';
import {injectForm, injectSummary, kindLabel} from './editor_forms.js';
import {config} from './editor_pickers.js';

const $ = (id) => document.getElementById(id);

/**
 * The timeline of `page` ({doc(), changed(), participating()}): returns {render(), open(key),
 * summaries()}. `page.changed()` is called after every change to the scenario.
 */
export function createTimeline(page) {
  const open = new Set();    // keys of the injects whose form is shown
  let dragKey = null;
  let undo = null;           // {item, index} of the last deleted inject

  const doc = () => page.doc();

  function ctxFor() {
    const d = doc();
    return {
      timeDone: () => resort(),
      messageIds: () => d.injects.filter((x) => x.kind === 'message').map((x) => String(x.id ?? '')),
    };
  }

  function bindingFor(key) {
    return binding({
      key, root: () => doc().item(key) || {},
      changed: () => { page.changed(); refreshRow(key); },
      rebuild: () => rebuildForm(key),
    });
  }

  // -------------------------------------------------------------------------------------------

  function actionButton(label, text, onClick, {cls = 'btn btn-quiet', disabled = false, action} = {}) {
    const b = h('button', {type: 'button', class: `${cls} ed-act`, 'aria-label': label, title: label, disabled,
      dataset: {action}}, text);
    b.addEventListener('click', onClick);
    return b;
  }

  function row(item, index, count) {
    const {key, inject} = item;
    const b = bindingFor(key);
    const kind = kindLabel(inject);
    const isOpen = open.has(key);
    const name = String(inject.id || 'inspel');
    const handle = h('span', {class: 'ed-handle', draggable: 'true', title: 'Dra för att flytta i tidslinjen', 'aria-hidden': 'true'}, '⠿');
    handle.addEventListener('dragstart', (ev) => {
      dragKey = key;
      ev.dataTransfer.effectAllowed = 'move';
      ev.dataTransfer.setData('text/plain', key);
      li.classList.add('dragging');
    });
    handle.addEventListener('dragend', () => { dragKey = null; li.classList.remove('dragging'); clearDrop(); });
    const at = time(b, ['at'], 'Tid', {done: () => resort(), hint: ''});
    at.classList.add('ed-at');
    at.querySelector('input').setAttribute('aria-label', `Tid för ${name}`);
    // The time's problems go under the row, where there is room for them.
    const atProblems = at.querySelector('.fe-problems');
    atProblems.classList.add('ed-at-problems');
    at.dataset.problemsIn = atProblems.id;
    const li = h('li', {class: `ed-inject${isOpen ? ' open' : ''}`,
      dataset: {key, inject: name, kind: String(inject.kind ?? ''), field: `${key}|$`}},
    h('div', {class: 'ed-row'},
      handle, at,
      h('span', {class: 'ed-kind'}, h('span', {class: 'tl-icon', 'aria-hidden': 'true'}, kind.icon), kind.label),
      h('span', {class: 'ed-main'}, h('span', {class: 'ed-id'}, name), h('span', {class: 'ed-summary'}, injectSummary(inject))),
      h('span', {class: 'ed-badge', hidden: true}),
      h('span', {class: 'ed-actions'},
        actionButton(`Flytta ${name} tidigare`, '▲', () => move(key, -1), {disabled: index === 0, action: 'up'}),
        actionButton(`Flytta ${name} senare`, '▼', () => move(key, 1), {disabled: index === count - 1, action: 'down'}),
        (() => {
          const e = actionButton(isOpen ? `Stäng ${name}` : `Redigera ${name}`, isOpen ? 'Stäng' : 'Redigera',
            () => toggle(key), {cls: 'btn btn-secondary', action: 'edit'});
          e.setAttribute('aria-expanded', isOpen ? 'true' : 'false');
          return e;
        })(),
        actionButton(`Duplicera ${name}`, 'Duplicera', () => duplicate(key), {action: 'duplicate'}),
        actionButton(`Ta bort ${name}`, 'Ta bort', () => remove(key), {cls: 'btn btn-quiet ed-del', action: 'delete'}))),
    atProblems,
    h('ul', {class: 'fe-problems ed-row-problems', 'aria-live': 'polite'}),
    isOpen ? h('div', {class: 'ed-form'}, injectForm(b, inject, ctxFor())) : null);
    return li;
  }

  function refreshRow(key) {
    const li = document.querySelector(`.ed-inject[data-key="${key}"]`);
    const inject = doc().item(key);
    if (!li || !inject) return;
    setText(li.querySelector('.ed-summary'), injectSummary(inject));
    setText(li.querySelector('.ed-id'), String(inject.id || 'inspel'));
    li.dataset.inject = String(inject.id || '');
  }

  function rebuildForm(key) {
    const li = document.querySelector(`.ed-inject[data-key="${key}"]`);
    const inject = doc().item(key);
    if (!li || !inject) return;
    const focus = focusSpot();
    li.querySelector('.ed-form')?.replaceChildren(injectForm(bindingFor(key), inject, ctxFor()));
    refreshRow(key);
    restoreFocus(focus);
    page.rendered();
  }

  /** Where focus is, to put it back after the list is built again. */
  function focusSpot() {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const li = el.closest?.('.ed-inject');
    return {key: li?.dataset.key, field: el.closest('[data-field]')?.dataset.field, action: el.dataset?.action,
      tag: el.tagName, type: el.type};
  }

  function restoreFocus(spot) {
    if (!spot?.key) return;
    const li = document.querySelector(`.ed-inject[data-key="${spot.key}"]`);
    if (!li) return;
    let el = spot.action ? li.querySelector(`[data-action="${spot.action}"]`) : null;
    if (el?.disabled) el = li.querySelector(`[data-action="${spot.action === 'up' ? 'down' : 'up'}"]`);
    if (!el && spot.field) {
      const box = [...li.querySelectorAll('[data-field]')].find((x) => x.dataset.field === spot.field);
      el = box?.querySelector('input, select, textarea');
    }
    (el || li.querySelector('[data-action="edit"]'))?.focus();
  }

  function render() {
    const d = doc();
    const list = $('injects');
    const focus = focusSpot();
    const items = d ? d.items : [];
    list.replaceChildren(...items.map((item, i) => row(item, i, items.length)));
    setText($('inject-count'), String(items.length));
    $('injects-empty').hidden = items.length > 0;
    restoreFocus(focus);
    page.rendered();
  }

  // -------------------------------------------------------------------------------------------
  // Changes

  function changedOrder() {
    page.changed();
    render();
  }

  function resort() {
    const d = doc();
    if (d.sortByTime()) changedOrder();
    else page.rendered();
  }

  function move(key, step) {
    const d = doc();
    if (step < 0) d.moveUp(key); else d.moveDown(key);
    changedOrder();
    say(`${d.item(key)?.id || 'Inspelet'} flyttat till ${d.item(key)?.at}.`);
  }

  function toggle(key) {
    if (open.has(key)) open.delete(key); else open.add(key);
    render();
  }

  function duplicate(key) {
    const d = doc();
    const copy = d.duplicate(key);
    if (!copy) return;
    open.add(copy);
    changedOrder();
    say(`Kopia ${d.item(copy).id} tillagd.`);
    focusFirst(copy);
  }

  function remove(key) {
    const d = doc();
    const index = d.indexOf(key);
    if (index < 0) return;
    undo = {item: d.items[index], index};
    d.remove(key);
    open.delete(key);
    changedOrder();
    say(`${undo.item.inject.id || 'Inspelet'} borttaget.`, true);
  }

  function restore() {
    if (!undo) return;
    doc().items.splice(Math.min(undo.index, doc().items.length), 0, undo.item);
    const key = undo.item.key;
    undo = null;
    changedOrder();
    say('Återställt.');
    document.querySelector(`.ed-inject[data-key="${key}"] [data-action="edit"]`)?.focus();
  }

  /** A note under the list; with `canUndo` an "Ångra" button for the last delete. */
  function say(text, canUndo = false) {
    const el = $('timeline-note');
    const parts = [h('span', {}, text)];
    if (canUndo) {
      const b = h('button', {type: 'button', class: 'btn btn-quiet', id: 'undo-delete'}, 'Ångra');
      b.addEventListener('click', restore);
      parts.push(b);
    }
    el.replaceChildren(...parts);
  }

  function focusFirst(key) {
    const li = document.querySelector(`.ed-inject[data-key="${key}"]`);
    li?.scrollIntoView({block: 'nearest'});
    li?.querySelector('.ed-form input, .ed-form select, .ed-form textarea')?.focus();
  }

  function add(kind) {
    const d = doc();
    const openKeys = d.keys().filter((k) => open.has(k));
    const after = openKeys.at(-1) || d.keys().at(-1);
    const participating = page.participating();
    const inj = newInject(kind, {
      at: after ? d.item(after).at : '00:00', ids: d.injectIds(),
      regions: participating.length ? participating : config.regions.map((r) => r.id),
      hospitals: config.hospitals.filter((x) => !participating.length || participating.includes(x.region)).map((x) => x.id),
    });
    const key = d.add(inj, after);
    open.add(key);
    changedOrder();
    say(`Nytt inspel ${inj.id} vid ${inj.at}: fyll i det.`);
    focusFirst(key);
    return key;
  }

  // -------------------------------------------------------------------------------------------
  // Dragging: the place the row would take is marked while it is dragged over the list

  function clearDrop() {
    for (const el of document.querySelectorAll('.drop-before, .drop-after')) el.classList.remove('drop-before', 'drop-after');
  }

  /** The place among the other rows that a drop at clientY means, and the row to mark. */
  function dropPlace(y) {
    const rows = [...$('injects').children].filter((li) => li.dataset.key !== dragKey);
    for (const [i, li] of rows.entries()) {
      const r = li.getBoundingClientRect();
      if (y < r.top + r.height / 2) return {index: i, mark: li, before: true};
    }
    return {index: rows.length, mark: rows.at(-1), before: false};
  }

  function bindDrag() {
    const list = $('injects');
    list.addEventListener('dragover', (ev) => {
      if (!dragKey) return;
      ev.preventDefault();
      ev.dataTransfer.dropEffect = 'move';
      clearDrop();
      const p = dropPlace(ev.clientY);
      p.mark?.classList.add(p.before ? 'drop-before' : 'drop-after');
    });
    list.addEventListener('dragleave', (ev) => { if (!list.contains(ev.relatedTarget)) clearDrop(); });
    list.addEventListener('drop', (ev) => {
      if (!dragKey) return;
      ev.preventDefault();
      const key = dragKey;
      const p = dropPlace(ev.clientY);
      dragKey = null;
      clearDrop();
      const d = doc();
      d.moveTo(key, p.index);
      changedOrder();
      say(`${d.item(key)?.id || 'Inspelet'} flyttat till ${d.item(key)?.at}.`);
    });
  }

  function bindAdd() {
    $('add-injects').replaceChildren(...INJECT_KIND_ORDER.map((kind) => {
      const k = kindLabel({kind});
      const b = h('button', {type: 'button', class: 'btn btn-secondary ed-add', dataset: {add: kind}},
        h('span', {'aria-hidden': 'true'}, `${k.icon} `), k.label);
      b.addEventListener('click', () => add(kind));
      return b;
    }));
  }

  bindDrag();
  bindAdd();

  return {
    render, add,
    /** Opens an inject's form (to show a field with a problem) and focuses the field of `field`. */
    reveal(key, field) {
      if (!open.has(key)) { open.add(key); render(); }
      const li = document.querySelector(`.ed-inject[data-key="${key}"]`);
      const box = field ? [...(li?.querySelectorAll('[data-field]') || [])].find((x) => x.dataset.field === field) : null;
      (box?.querySelector('input, select, textarea') || li?.querySelector('[data-action="edit"]'))?.focus();
      li?.scrollIntoView({block: 'nearest'});
    },
    isOpen: (key) => open.has(key),
    reset() { open.clear(); undo = null; $('timeline-note').replaceChildren(); },
  };
}
