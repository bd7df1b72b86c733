// Lägesbild — the scenario editor's catalogue and files: the scenarios the server has (GET
// /api/scenarios: the files in scenarios/ and those saved from the editor, with the saved ones'
// versions), a scenario's text (GET /api/scenario?id=X[&version=N]), the version history with
// "Återställ", export (fetched with the token, since a link cannot send it, and saved from a Blob)
// and import of a JSON file (FileReader). Trainers only: the server answers others 401/403.

import {h, setText} from './common.js';
import {apiFetch, showResult} from './session.js';

const $ = (id) => document.getElementById(id);
const fmtWhen = new Intl.DateTimeFormat('sv-SE', {timeZone: 'Europe/Stockholm', day: 'numeric', month: 'short',
  year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit'});

/** What GET /api/scenarios said: the list, or why not. */
export async function fetchCatalogue() {
  const res = await apiFetch('/api/scenarios');
  if (res.status === 401 || res.status === 403) return {refused: res.status};
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = await res.json();
  return {scenarios: Array.isArray(body?.scenarios) ? body.scenarios : []};
}

/** A scenario's stored text, parsed: that version of a saved one (default the newest), or the file. */
export async function fetchScenario(id, version) {
  const q = new URLSearchParams({id});
  if (version) q.set('version', String(version));
  const res = await apiFetch(`/api/scenario?${q}`);
  if (!res.ok) throw new Error(res.status === 404 ? 'Scenariot finns inte på servern.' : `Servern svarade HTTP ${res.status}.`);
  const textBody = await res.text();
  try { return JSON.parse(textBody); } catch { throw new Error('Scenariots text är inte giltig JSON.'); }
}

/** Downloads `url` (with the token) as `filename` through a Blob URL; the server's name wins. */
export async function download(url, filename, el) {
  showResult(el, 'pending', `Hämtar ${filename}…`);
  try {
    const res = await apiFetch(url);
    if (!res.ok) { showResult(el, 'error', `Exporten misslyckades (HTTP ${res.status}).`); return false; }
    const name = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') || '')?.[1] || filename;
    const href = URL.createObjectURL(await res.blob());
    const a = h('a', {href, download: name, hidden: true});
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
    showResult(el, 'ok', `${name} exporterad.`);
    return true;
  } catch {
    showResult(el, 'error', 'Exporten misslyckades: ingen kontakt med servern.');
    return false;
  }
}

export const exportUrl = (id, version) =>
  `/api/scenario?${new URLSearchParams({id, ...(version ? {version: String(version)} : {}), download: '1'})}`;

/** Reads a chosen JSON file; resolves with the object in it, or rejects saying why in Swedish. */
export function readJsonFile(file) {
  return new Promise((resolve, reject) => {
    if (!file) { reject(new Error('Ingen fil vald.')); return; }
    if (file.size > 512 * 1024) { reject(new Error('Filen är större än 512 KiB.')); return; }
    const reader = new FileReader();
    reader.onerror = () => reject(new Error('Filen kunde inte läsas.'));
    reader.onload = () => {
      let obj;
      try { obj = JSON.parse(String(reader.result)); } catch { reject(new Error('Filen är inte giltig JSON.')); return; }
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) { reject(new Error('Filen innehåller inget scenario (inget JSON-objekt).')); return; }
      resolve(obj);
    };
    reader.readAsText(file, 'utf-8');
  });
}

/** The pick list of scenarios to open or copy: files first, then the saved ones. */
export function renderCatalogue(list, selected) {
  const sel = $('open-scenario');
  const files = list.filter((s) => s.origin !== 'saved');
  const saved = list.filter((s) => s.origin === 'saved');
  const option = (s) => h('option', {value: s.id, dataset: {origin: s.origin || 'file'}},
    `${s.name || s.id} (${s.id}${s.origin === 'saved' ? `, version ${s.version}` : ''})${s.valid === false ? ' – har fel' : ''}`);
  sel.replaceChildren(
    files.length ? h('optgroup', {label: 'Scenariofiler'}, ...files.map(option)) : '',
    saved.length ? h('optgroup', {label: 'Sparade i editorn'}, ...saved.map(option)) : '');
  if (selected && list.some((s) => s.id === selected)) sel.value = selected;
  setText($('catalogue-count'), String(list.length));
}

/**
 * The version history of `entry` (a saved scenario of the catalogue), newest first, each with
 * "Återställ" (all but the newest) and "Exportera". `actions`: {restore(version), exportVersion(version)}.
 */
export function renderVersions(entry, actions, busy) {
  const box = $('versions');
  const versions = Array.isArray(entry?.versions) ? [...entry.versions].reverse() : [];
  $('versions-empty').hidden = versions.length > 0;
  setText($('versions-empty'), entry?.origin === 'file'
    ? 'En scenariofil har inga versioner här: kopiera den och spara kopian.'
    : 'Inga sparade versioner ännu: versionerna visas här när scenariot har sparats.');
  setText($('versions-id'), entry ? entry.id : '');
  const newest = versions[0]?.version;
  box.replaceChildren(...versions.map((v) => {
    const valid = v.valid === true;
    const when = Date.parse(v.saved_at);
    const restore = h('button', {type: 'button', class: 'btn btn-secondary', dataset: {restore: String(v.version)},
      disabled: busy || v.version === newest}, 'Återställ');
    restore.addEventListener('click', () => actions.restore(v.version));
    const exp = h('button', {type: 'button', class: 'btn btn-quiet', dataset: {export: String(v.version)}}, 'Exportera');
    exp.addEventListener('click', () => actions.exportVersion(v.version));
    return h('tr', {dataset: {version: String(v.version), valid: valid ? 'true' : 'false'}},
      h('td', {class: 't-num'}, `v${v.version}${v.version === newest ? ' (senaste)' : ''}`),
      h('td', {class: 't-num'}, Number.isFinite(when) ? fmtWhen.format(when) : '–'),
      h('td', {}, String(v.saved_by?.name || v.saved_by?.id || '–')),
      h('td', {class: `cp-status ${valid ? 'cp-met' : 'cp-not_met'}`},
        h('span', {class: 'cp-badge'}, h('span', {'aria-hidden': 'true'}, valid ? '✔ ' : '✖ '),
          valid ? 'Giltig' : `Utkast${Number(v.problems) > 0 ? ` (${v.problems} fel)` : ''}`)),
      h('td', {}, v.restored_from ? `Återställd från v${v.restored_from}` : ''),
      h('td', {class: 'ver-actions'}, restore, exp));
  }));
  $('versions-table').hidden = versions.length === 0;
}
