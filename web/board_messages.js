// Lägesbild — the board's message column: the messages that still wait for an acknowledgement in
// their own panel (a fresh alarm on top), and the message log with its filters. A snapshot may
// carry only the newest and the open messages: "Visa äldre meddelanden" fetches older pages, and
// the panel says how many open ones are not fetched (message_log.js MessageLog).

import {MESSAGE_KINDS, MESSAGE_KIND_ORDER, h, setText} from './common.js';
import {
  renderMessage, renderLoadMore, countText, sortMessages, updateAgeLabels, pendingOf, addressees, regionNamer,
} from './messages.js';

const $ = (id) => document.getElementById(id);

/** The column of `model`'s messages (`log`). Returns {render, fillFilters, updateAges}. */
export function createMessageColumn(model, log) {
  const filters = {region: '', kind: ''};

  function matches(msg) {
    if (filters.kind && msg.kind !== filters.kind) return false;
    if (filters.region) {
      const to = addressees(msg, model.regions);
      if (msg.from !== filters.region && !to.includes(filters.region)) return false;
    }
    return true;
  }

  function fillFilters() {
    const sel = $('filter-region');
    const keep = filters.region;
    sel.replaceChildren(h('option', {value: ''}, 'Alla regioner'),
      ...model.regions.map((r) => h('option', {value: r.id}, r.name)));
    sel.value = model.regions.some((r) => r.id === keep) ? keep : '';
    filters.region = sel.value;
    const kinds = $('filter-kind');
    if (kinds.options.length <= 1) {
      kinds.append(...MESSAGE_KIND_ORDER.map((k) => h('option', {value: k}, MESSAGE_KINDS[k].label)));
    }
  }

  function render() {
    const now = model.now();
    const regionName = regionNamer(model.regions);
    const opts = {regions: model.regions, regionName, now};
    const all = log.list;

    // Unacknowledged: every message that still waits for some region, newest first (a fresh alarm
    // is on top); open ones the page has not fetched are counted too, and can be fetched.
    const waiting = sortMessages(all.filter((m) => pendingOf(m).length > 0));
    const hidden = log.hiddenOpen;
    const open = waiting.length + hidden;
    const panel = $('unacknowledged');
    panel.dataset.count = String(open);
    panel.dataset.hidden = String(hidden);
    panel.classList.add('ready');
    panel.classList.toggle('has-pending', open > 0);
    setText($('unack-count'), countText(open));
    $('unack-list').replaceChildren(...waiting.map((m) => renderMessage(m, {...opts, compact: true})));
    setText($('unack-empty'), 'Inga okvitterade meddelanden');
    $('unack-empty').hidden = open > 0;
    renderLoadMore($('unack-more'), {
      note: hidden ? `+${countText(hidden)} äldre okvitterade visas inte här` : '',
      label: 'Visa äldre okvitterade', show: hidden > 0, busy: log.loading.open, error: log.error.open,
      onLoad: () => log.loadOlderOpen(),
    });

    const shown = sortMessages(all.filter(matches));
    $('log-list').replaceChildren(...shown.map((m) => renderMessage(m, opts)));
    const have = all.length;
    setText($('log-empty'), have === 0 ? 'Inga meddelanden ännu' : 'Inga meddelanden med det här urvalet');
    $('log-empty').hidden = shown.length > 0;
    setText($('log-count'), shown.length === have ? countText(have) : `${countText(shown.length)} av ${countText(have)}`);
    const parts = [];
    if (log.hasOlder) parts.push(`Visar ${countText(have)} av ${countText(Math.max(log.total, have))} meddelanden`);
    else if (log.paged) parts.push(`Alla ${countText(have)} meddelanden visas`);
    if (log.hasOlder && shown.length !== have) parts.push('urvalet gäller de hämtade');
    if (log.unreadable) parts.push(`${countText(log.unreadable)} kunde inte läsas ur loggen`);
    renderLoadMore($('log-more'), {
      note: parts.join(' · '), label: 'Visa äldre meddelanden', show: log.hasOlder,
      busy: log.loading.all, error: log.error.all, onLoad: () => log.loadOlder(),
    });
  }

  for (const [id, key] of [['filter-region', 'region'], ['filter-kind', 'kind']]) {
    $(id).addEventListener('change', () => { filters[key] = $(id).value; render(); });
  }

  return {render, fillFilters, updateAges: () => updateAgeLabels($('messages'), model.now())};
}
