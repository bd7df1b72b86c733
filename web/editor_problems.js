// Lägesbild — the scenario editor's problems, shown where they are: each problem the server's check
// found (a JSON path into the object it was sent, and a text) is placed at the inject it was in
// when it was sent (editor_model.js placeProblem: the injects may have moved since), then at the
// field with that path, or the nearest group of fields around it that is shown, with the rest of
// the path in words. A problem whose field is not shown (a closed inject, a field the editor has
// no control for, the scenario as a whole) is listed at the top with its path, and the inject
// gets a count of its problems on its row.

import {h, setText, fieldText} from './common.js';
import {placeProblem, pathPrefixes, pathString} from './editor_model.js';
import {problemWords} from './editor_words.js';

/**
 * Shows `problems` ([{path, message, sentKeys, sentIds, local}]; `local`: the page's own words) in `root`;
 * `reveal(key, field)` opens an inject and goes to a field (the top list's "Visa inspelet").
 */
export function showProblems(doc, problems, {root, reveal}) {
  for (const ul of root.querySelectorAll('.fe-problems')) ul.replaceChildren();
  for (const el of root.querySelectorAll('.has-problem')) el.classList.remove('has-problem');
  for (const el of root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const fields = new Map();
  for (const el of root.querySelectorAll('[data-field]')) if (!fields.has(el.dataset.field)) fields.set(el.dataset.field, el);
  const top = [];
  const perInject = new Map();
  for (const p of problems) {
    const place = placeProblem(doc, p.path, p.sentKeys || [], p.sentIds || []);
    if (place.gone) continue;
    const words = p.local ? p.message : problemWords(p.message);
    const key = place.key ?? '';
    if (place.key) perInject.set(key, (perInject.get(key) || 0) + 1);
    let shown = null;
    let rest = [];
    const prefixes = pathPrefixes(pathString(place.sub));
    for (const [i, prefix] of prefixes.entries()) {
      const isRoot = i === prefixes.length - 1;
      if (isRoot && (!place.key || place.sub.length > 0)) break;
      const el = fields.get(`${key}|${prefix}`);
      if (el) { shown = el; rest = place.sub.slice(place.sub.length - i); break; }
    }
    const list = shown?.dataset.problemsIn ? document.getElementById(shown.dataset.problemsIn)
      : shown?.querySelector(':scope > .fe-problems');
    if (shown && list) {
      shown.classList.add('has-problem');
      const details = shown.closest('details');
      if (details && !details.open) details.open = true;
      if (!rest.length) shown.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
      const restWords = rest.length ? `${fieldText(rest.join('.')) || rest.join('.')}: ` : '';
      list.append(h('li', {dataset: {path: place.path}}, `${restWords}${words}`));
    } else {
      top.push({place, words});
    }
  }
  for (const li of root.querySelectorAll('.ed-inject')) {
    const n = perInject.get(li.dataset.key) || 0;
    const badge = li.querySelector('.ed-badge');
    badge.hidden = n === 0;
    setText(badge, n ? `✖ ${n} fel` : '');
    li.classList.toggle('has-problems', n > 0);
  }
  document.getElementById('problems-top').hidden = top.length === 0;
  document.getElementById('problems-list').replaceChildren(...top.map(({place, words}) => {
    const inj = place.key ? doc.item(place.key) : null;
    const where = inj ? ` (${inj.id || 'inspel'}, ${inj.at || '–'})` : '';
    const item = h('li', {dataset: {path: place.path}}, h('code', {class: 'ed-path'}, place.path), `${where}: ${words}`);
    if (place.key) {
      const show = h('button', {type: 'button', class: 'btn btn-quiet'}, 'Visa inspelet');
      show.addEventListener('click', () => reveal(place.key, `${place.key}|${pathString(place.sub)}`));
      item.append(' ', show);
    }
    return item;
  }));
  document.body.dataset.problems = String(problems.length);
}

