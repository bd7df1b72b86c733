// Lägesbild — messages (lägesrapport, METHANE, larm, information) as the board and the TiB page
// show them (protocol.md "post_message", "acknowledge", "Messages in the state").
//
// A message record arrives whole (snapshot state.messages, or a delta's "message"), so showing one
// is a pure function of the record. Server strings reach the DOM only through textContent (h()).

import {
  MESSAGE_KINDS, METHANE_FIELDS, READINESS, SENDERS, h, setText, parseTime, ageText, timeWithDay, shortRegionName,
} from './common.js';
import {addressees, pendingOf} from './message_log.js';

export {MessageLog, addressees, pendingOf, sortMessages} from './message_log.js';

/** 1234 → "1 234". */
export const countText = (n) => Number(n).toLocaleString('sv-SE');

/**
 * The "older messages" line under a list, in `box`: a note (counts), a button while `show` (its
 * label, "Hämtar…" while `busy`) and the last error. The button is made once, so a re-render on
 * every delta keeps its focus; a click calls the latest `onLoad`.
 */
export function renderLoadMore(box, {note, label, show, busy, error, onLoad}) {
  let btn = box.querySelector('button');
  if (!btn) {
    btn = h('button', {type: 'button', class: 'btn btn-more'});
    btn.addEventListener('click', () => box.loadMore?.());
    box.replaceChildren(h('span', {class: 'more-note'}), btn, h('span', {class: 'more-error', role: 'alert'}));
  }
  box.loadMore = onLoad;
  box.hidden = !note && !show && !error;
  setText(box.querySelector('.more-note'), note || '');
  btn.hidden = !show;
  btn.disabled = !!busy;
  setText(btn, busy ? 'Hämtar…' : label);
  const err = box.querySelector('.more-error');
  err.hidden = !error;
  setText(err, error ? `Kunde inte hämta: ${error}. Försök igen.` : '');
}

/** A lookup of region names: id → short name ("Örebro län"); unknown ids are shown as they are. */
export function regionNamer(regions) {
  const names = new Map(regions.map((r) => [r.id, shortRegionName(r.name)]));
  return (id) => names.get(id) || id;
}

/**
 * Who speaks: "Örebro län (tib-orebro)"; for from: null "Övningsledningen (ovningsledare)" in an
 * exercise, "Administratör (admin)" in live (where only an admin writes from no region); or the
 * `sender` a trainer or the scenario gave: "SOS Alarm", "Sjukvårdsledare på skadeplats",
 * "Socialstyrelsens TiB", "RSSL Örebro län". A message's id is "<space>:<seq>".
 */
export function senderText(msg, regionName) {
  const live = String(msg.id || '').startsWith('live:');
  let who = msg.from ? regionName(msg.from) : live ? 'Administratör' : 'Övningsledningen';
  const sender = SENDERS[msg.sender];
  if (msg.sender === 'rssl') who = msg.from ? `RSSL ${regionName(msg.from)}` : 'RSSL';
  else if (sender) who = sender;
  return msg.sent_by ? `${who} (${msg.sent_by})` : who;
}

/** A scripted message in a region's name is motspel: the exercise command playing that region. */
export const isCounterplay = (msg) => msg.scripted === true && !!msg.from;

/** "Alla regioner" or "Örebro län, Sörmland, Västmanland". */
export function recipientsText(msg, regionName) {
  // The server keeps "all" as to_all: true with `to` expanded to every region.
  if (msg.to === 'all' || msg.to_all === true) return 'Alla regioner';
  return (Array.isArray(msg.to) ? msg.to : []).map(regionName).join(', ');
}

/** An element whose text is the age of `at`, kept current by updateAgeLabels(). */
export function ageLabel(at, now, prefix = '') {
  const el = h('span', {class: 'age-label', dataset: {ageAt: at || '', agePrefix: prefix}});
  const t = parseTime(at);
  el.textContent = `${prefix}${Number.isFinite(t) ? ageText(now - t) : ''}`;
  return el;
}

/** Re-renders every age label under root at server time `now`. */
export function updateAgeLabels(root, now) {
  for (const el of root.querySelectorAll('[data-age-at]')) {
    const t = parseTime(el.dataset.ageAt);
    setText(el, `${el.dataset.agePrefix || ''}${Number.isFinite(t) ? ageText(now - t) : ''}`);
  }
}

/** The kind as icon + word: "⚠ Larm". */
export function kindBadge(kind) {
  const info = MESSAGE_KINDS[kind] || {label: 'Meddelande', icon: '•'};
  return h('span', {class: `msg-kind kind-${kind in MESSAGE_KINDS ? kind : 'other'}`},
    h('span', {class: 'msg-kind-icon', 'aria-hidden': 'true'}, info.icon), info.label);
}

/** The level an alert raises or asks for, drawn like the readiness badges of the board. */
export function levelBadge(level) {
  const info = READINESS[level];
  if (!info) return null;
  return h('span', {class: `badge readiness lvl-${level}`, title: `Larmet gäller ${info.label.toLowerCase()}`},
    h('span', {class: 'pips', 'aria-hidden': 'true'}, h('i'), h('i'), h('i'), h('i')),
    h('span', {class: 'badge-text'}, info.label));
}

/** METHANE as a compact grid: letter, label, text. Empty fields are shown as "–". */
export function methaneGrid(methane) {
  if (!methane || typeof methane !== 'object') return null;
  const dl = h('dl', {class: 'methane'});
  for (const f of METHANE_FIELDS) {
    const v = methane[f.key];
    dl.append(
      h('dt', {title: f.label}, h('span', {class: 'm-letter'}, f.letter), h('span', {class: 'm-label'}, f.label)),
      h('dd', {class: v ? '' : 'empty'}, v ? String(v) : '–'));
  }
  return dl;
}

/** The free-text fields of a situation report (key: value). */
function fieldsList(fields) {
  const entries = fields && typeof fields === 'object' ? Object.entries(fields) : [];
  if (!entries.length) return null;
  const dl = h('dl', {class: 'sitrep-fields'});
  for (const [k, v] of entries) dl.append(h('dt', {}, String(k)), h('dd', {}, String(v)));
  return dl;
}

/**
 * Who has and has not acknowledged, in two labelled lines: "Ej kvitterat: ✖ Sörmland ✖ Västmanland"
 * and "Kvitterat: ✔ Örebro län 10:21 av tib-orebro". Words first, so the state never depends on
 * colour. Each region is an <li data-ack-region=ID data-acked=true|false>. Null when no
 * acknowledgement is required.
 */
export function ackList(msg, regions, regionName, now) {
  if (!msg.requires_ack) return null;
  const pending = new Set(pendingOf(msg));
  const acks = msg.acks && typeof msg.acks === 'object' ? msg.acks : {};
  const ids = addressees(msg, regions);
  // Regions named in acks/pending but not in the list we know of still show.
  for (const id of [...Object.keys(acks), ...pending]) if (!ids.includes(id)) ids.push(id);
  const waiting = ids.filter((id) => pending.has(id) || !acks[id]);
  const done = ids.filter((id) => !waiting.includes(id));
  const box = h('div', {class: 'acks'});
  if (waiting.length) {
    box.append(h('div', {class: 'ack-line wait'},
      h('span', {class: 'ack-head'}, 'Ej kvitterat:'),
      h('ul', {}, ...waiting.map((id) => h('li', {class: 'ack wait', dataset: {ackRegion: id, acked: 'false'}},
        h('span', {class: 'ack-mark', 'aria-hidden': 'true'}, '✖'),
        h('span', {class: 'ack-region'}, regionName(id)))))));
  }
  if (done.length) {
    box.append(h('div', {class: 'ack-line done'},
      h('span', {class: 'ack-head'}, 'Kvitterat:'),
      h('ul', {}, ...done.map((id) => {
        const a = acks[id];
        const t = parseTime(a.at);
        return h('li', {class: 'ack done', dataset: {ackRegion: id, acked: 'true'},
          title: `${regionName(id)} kvitterade ${Number.isFinite(t) ? timeWithDay(t, now) : ''}${a.by ? ` (${a.by})` : ''}`},
        h('span', {class: 'ack-mark', 'aria-hidden': 'true'}, '✔'),
        h('span', {class: 'ack-region'}, regionName(id)),
        h('span', {class: 'ack-state'}, `${Number.isFinite(t) ? timeWithDay(t, now) : ''}${a.by ? ` av ${a.by}` : ''}`));
      }))));
  }
  return box;
}

/**
 * One message as an <article data-message=ID data-kind data-pending=N>.
 * opts: {regions, now, compact (no METHANE grid, text clamped), actions: Node|null, acks: bool}
 */
export function renderMessage(msg, opts) {
  const {regions, now, compact = false, actions = null, acks = true} = opts;
  const regionName = opts.regionName || regionNamer(regions);
  const pending = pendingOf(msg);
  const t = parseTime(msg.at);
  const head = h('div', {class: 'msg-head'},
    kindBadge(msg.kind),
    msg.kind === 'alert' ? levelBadge(msg.level) : null,
    pending.length
      ? h('span', {class: 'msg-flag', title: 'Väntar på kvittens'}, `Ej kvitterat ${pending.length}`)
      : null,
    h('span', {class: 'msg-time'},
      h('time', {datetime: msg.at || ''}, Number.isFinite(t) ? timeWithDay(t, now) : ''),
      ' · ', ageLabel(msg.at, now)));
  const counterplay = isCounterplay(msg);
  const route = h('div', {class: 'msg-route'},
    h('span', {class: 'msg-from'}, h('span', {class: 'lbl'}, 'Från '), senderText(msg, regionName),
      counterplay ? h('span', {class: 'msg-counterplay', title: 'Motspel: övningsledningen spelar regionen'},
        h('span', {'aria-hidden': 'true'}, '♟ '), 'Motspel') : null),
    h('span', {class: 'msg-to'}, h('span', {class: 'lbl'}, 'Till '), recipientsText(msg, regionName)));
  const text = msg.text ? h('p', {class: 'msg-text'}, String(msg.text)) : null;
  const el = h('article', {
    class: `msg edge-card kind-${msg.kind}${pending.length ? ' is-pending' : ''}${compact ? ' compact' : ''}`,
    dataset: {message: msg.id, kind: msg.kind || '', pending: String(pending.length),
      sender: msg.sender || '', counterplay: counterplay ? 'true' : 'false'},
  },
  head, route, text,
  compact ? null : methaneGrid(msg.methane),
  compact && msg.methane ? methaneSummary(msg.methane) : null,
  compact ? null : fieldsList(msg.fields),
  acks ? ackList(msg, regions, regionName, now) : null,
  actions);
  return el;
}

/** A one-line METHANE digest for compact places: location and casualties. */
function methaneSummary(m) {
  const parts = [m.exact_location, m.type, m.number_of_casualties].filter((x) => x && String(x).trim());
  return parts.length ? h('p', {class: 'msg-text methane-digest'}, parts.join(' · ')) : null;
}
