// Lägesbild — the TiB page's inbox: the messages to the region (an admin or a trainer sees all),
// those that wait for the region's acknowledgement first, each with its "Kvittera" button
// (acknowledge), and the banner at the top while any wait; below, what the region has sent and who
// has acknowledged it. The inbox holds what the snapshot carries (the newest and the open
// messages, within a budget) and the deltas; open messages the snapshot had no room for are
// counted and fetched on request (message_log.js).

import {PROTOCOL_VERSION, h, setText, timeHM, timeWithDay, parseTime, commandId, refusalWords} from './common.js';
import {roleWord} from './roles.js';
import {
  renderMessage, renderLoadMore, countText, updateAgeLabels, pendingOf, addressees, regionNamer,
} from './messages.js';

const $ = (id) => document.getElementById(id);

/**
 * The inbox of `page` (see tib.js: {space, model, log, session, tracker, region, canWrite(id),
 * errorText(msg)}). Returns {render, messageChanged(id), updateAges}.
 */
export function createInbox(page) {
  const {model, log, session, tracker} = page;
  const ackState = new Map();  // message id → {state, region, text} of this page's acknowledge command
  // An admin or a trainer acts for every region (page.forAllRegions): sees every message and
  // acknowledges for the region it names (a trainer only in an exercise: page.canWrite).
  const forAll = () => page.forAllRegions();
  const waitsForMe = (m) => (forAll() ? pendingOf(m).length > 0 : pendingOf(m).includes(page.region));

  /** Messages for the inbox: to my region (admins and trainers: all), pending-for-me first, then newest. */
  function inboxMessages() {
    const all = log.list;
    const mine = forAll() ? all : all.filter((m) => addressees(m, model.regions).includes(page.region));
    return [...mine].sort((a, b) => {
      const pa = waitsForMe(a), pb = waitsForMe(b);
      if (pa !== pb) return pa ? -1 : 1;
      return (b.seq || 0) - (a.seq || 0);
    });
  }

  function sendAck(messageId, region) {
    const cmd = {v: PROTOCOL_VERSION, type: 'acknowledge', id: commandId('k'), space: page.space, message: messageId};
    if (forAll()) cmd.region = region;
    const onResult = ({state, text, answer}) => {
      if (state === 'slow') return;
      if (state === 'pending') ackState.set(messageId, {state, region, text: 'Kvitterar…'});
      else if (state === 'waiting' || state === 'ask') ackState.set(messageId, {state, region, text});  // the outbox
      else if (state === 'discarded') ackState.delete(messageId);
      else if (state === 'ok') {
        ackState.set(messageId, {state, region, text: answer.already ? `Redan kvitterat (nr ${answer.seq})`
          : `Kvittens sparad (nr ${answer.seq}) ${timeHM(model.now())}`});
      } else if (state === 'error') {
        ackState.set(messageId, {state, region,
          text: `Inte kvitterat: ${refusalWords(answer, page.errorText)}`});
      } else {
        ackState.set(messageId, {state: 'error', region, text});
      }
      render();
    };
    tracker.send(cmd, {kind: 'ack', message: messageId, region, onResult});
  }

  function ackActions(m) {
    const name = regionNamer(model.regions);
    const box = h('div', {class: 'msg-actions'});
    const pend = pendingOf(m);
    const allRegions = forAll();
    const s = ackState.get(m.id);
    // My region's acknowledgement, when given: "Kvitterat 10:21 av tib-uppsala".
    const myRegion = allRegions ? null : page.region;
    const mine = myRegion ? m.acks?.[myRegion] : null;
    if (mine && !pend.includes(myRegion)) {
      const t = parseTime(mine.at);
      box.append(h('div', {class: 'my-ack', dataset: {acked: 'true'}},
        h('span', {'aria-hidden': 'true'}, '✔ '),
        `Kvitterat ${Number.isFinite(t) ? timeWithDay(t, model.now()) : ''}${mine.by ? ` av ${mine.by}` : ''}`));
    }
    // For every region only where this user may write (a trainer: not in live, so no buttons there).
    const targets = allRegions ? pend.filter((region) => page.canWrite(region))
      : (myRegion && pend.includes(myRegion) ? [myRegion] : []);
    for (const region of targets) {
      const allowed = page.canWrite(region);
      const busy = ['pending', 'waiting', 'ask'].includes(s?.state) && s.region === region;
      const btn = h('button', {type: 'button', class: 'btn btn-ack', dataset: {action: 'acknowledge', forRegion: region},
        disabled: !allowed || busy || session.signing},
      busy ? 'Kvitterar…' : (allRegions ? `Kvittera för ${name(region)}` : 'Kvittera'));
      btn.addEventListener('click', () => sendAck(m.id, region));
      box.append(btn);
      if (!allowed && !allRegions) box.append(h('span', {class: 't-hint'}, 'Logga in för att kvittera.'));
    }
    // An answer the record does not show yet (or an error); once the record has the ack, it says it.
    if (s && s.state !== 'pending' && !(s.state === 'ok' && m.acks?.[s.region])) {
      box.append(h('div', {class: 'result', dataset: {state: s.state}}, s.text));
    }
    return box.childNodes.length ? box : null;
  }

  function render() {
    const rs = model.regions;
    const now = model.now();
    const regionName = regionNamer(rs);
    const allRegions = forAll();
    const list = inboxMessages();
    const waiting = list.filter(waitsForMe);
    $('inbox').replaceChildren(...list.map((m) => {
      const el = renderMessage(m, {regions: rs, regionName, now, actions: ackActions(m)});
      const forMe = waiting.includes(m);
      el.classList.toggle('waits-for-me', forMe);
      el.dataset.waitsForMe = forMe ? 'true' : 'false';
      if (forMe) {
        el.prepend(h('div', {class: 'waits-banner'}, h('span', {'aria-hidden': 'true'}, '⚠ '),
          allRegions ? 'Ej kvitterat' : `Ej kvitterat – ${regionName(page.region)} behöver kvittera`));
      }
      return el;
    }));
    const region = model.region(page.region);
    const regionText = region ? region.name : 'regionen';
    // Open messages the page has not fetched (the snapshot had no room): some may be for the region.
    const hidden = log.hiddenOpen;
    $('inbox-empty').hidden = list.length > 0 || hidden > 0;
    setText($('inbox-count'), String(list.length));
    renderLoadMore($('inbox-more'), {
      note: hidden ? `+${countText(hidden)} äldre okvitterade meddelanden är inte hämtade` +
        (allRegions ? '.' : ` – några kan vara till ${regionText}.`) : '',
      label: 'Hämta äldre okvitterade', show: hidden > 0, busy: log.loading.open, error: log.error.open,
      onLoad: () => log.loadOlderOpen(),
    });
    setText($('inbox-scope'), allRegions
      ? `Alla meddelanden (${roleWord(session.user.role)}). Okvitterade först.`
      : `Meddelanden till ${regionText}. Okvitterade först.`);

    // Top banner: messages that wait for this region (or, for admins and trainers, for anyone).
    const alert = $('inbox-alert');
    alert.dataset.count = String(waiting.length);
    alert.hidden = waiting.length === 0 && hidden === 0;
    const from = allRegions ? '' : ` från ${regionText}`;
    setText($('inbox-alert-text'), [
      waiting.length === 1 ? `1 meddelande väntar på kvittens${from}`
        : waiting.length ? `${waiting.length} meddelanden väntar på kvittens${from}` : '',
      hidden ? `${countText(hidden)} äldre okvitterade är inte hämtade` : '',
    ].filter(Boolean).join(' · '));

    // Sent from the region: who has acknowledged what we sent.
    const sent = allRegions ? [] : log.list.filter((m) => m.from === page.region).sort((a, b) => (b.seq || 0) - (a.seq || 0));
    $('sent').replaceChildren(...sent.map((m) => renderMessage(m, {regions: rs, regionName, now, compact: true})));
    $('sent').hidden = allRegions;
    $('sent-title').hidden = allRegions;
    $('sent-empty').hidden = allRegions || sent.length > 0;
  }

  return {
    render,
    /** A message record changed: an acknowledgement it now shows need not be said again. */
    messageChanged(id) {
      if (ackState.get(id)?.state === 'ok') ackState.delete(id);
      render();
    },
    updateAges: () => updateAgeLabels($('inbox-card'), model.now()),
  };
}
