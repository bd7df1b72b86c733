// Lägesbild — the review's export links (JSON, CSV): a plain download when the review is open to
// the reader, else fetched with the signed-in user's token and saved from a blob.

import {ERROR_TEXT, h, setText, timeHMS} from './common.js';
import {apiFetch, storedToken} from './session.js';

const $ = (id) => document.getElementById(id);

async function download(url, filename) {
  const note = $('refresh-state');
  setText(note, `Hämtar ${filename}…`);
  try {
    const res = await apiFetch(url);
    if (!res.ok) {
      const body = await res.json().catch(() => null);
      setText(note, `Exporten misslyckades: ${ERROR_TEXT[body?.code] || 'fel från servern'} (HTTP ${res.status}).`);
      return;
    }
    const blob = await res.blob();
    const href = URL.createObjectURL(blob);
    const a = h('a', {href, download: filename, hidden: true});
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
    setText(note, `${filename} sparad ${timeHMS(Date.now())}`);
  } catch {
    setText(note, 'Exporten misslyckades: ingen kontakt med servern.');
  }
}

/** Link `id` to `url`; `locked()`: whether the review needs the token (running exercise, live). */
export function exportLink(id, url, filename, locked) {
  const a = $(id);
  a.href = url;
  a.setAttribute('download', filename);
  a.addEventListener('click', (ev) => {
    if (!storedToken() && !locked()) return;
    ev.preventDefault();
    if (!storedToken()) { $('token')?.focus(); return; }
    download(url, filename);
  });
}
