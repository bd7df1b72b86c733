// Lägesbild — the TiB page's count inputs, shared by the figure table (tib_figures.js) and its
// förstärkning rows (tib_surge.js): parsing a typed count, and the follow/dirty pattern — an input
// the user has not touched follows the live state, a touched one keeps what was typed until sent
// (and one a waiting report of the outbox holds, until that is answered).

export const MAX_VALUE = 100000;

/** Parses a count field: {empty} | {value} | {error}. */
export function parseCount(raw) {
  const s = String(raw).trim();
  if (s === '') return {empty: true};
  if (!/^\d+$/.test(s)) {
    if (/^-\s*\d/.test(s)) return {error: 'Får inte vara negativt.'};
    if (/^\d+[.,]\d+$/.test(s)) return {error: 'Ange ett heltal (inga decimaler).'};
    return {error: 'Ange ett heltal, 0 eller mer.'};
  }
  const n = Number(s);
  if (n > MAX_VALUE) return {error: `Orimligt stort tal (högst ${MAX_VALUE}).`};
  return {value: n};
}

/**
 * Sets a control to the server's value unless the user has changed it, or it is held: it carries a
 * figure of a report waiting in the outbox (data-held, tib_outbox.js), which keeps its value until
 * the report is answered.
 */
export function follow(ctl, serverValue) {
  const v = serverValue === null || serverValue === undefined ? '' : String(serverValue);
  const wasDirty = ctl.dataset.dirty === 'true' && ctl.value !== ctl.dataset.server;
  ctl.dataset.server = v;
  if (ctl.dataset.held) {
    ctl.dataset.dirty = ctl.value !== v ? 'true' : 'false';
  } else if (!wasDirty || ctl.value === v) {
    ctl.value = v;
    ctl.dataset.dirty = 'false';
  }
  if (ctl.tagName === 'SELECT') ctl.classList.toggle('is-dirty', ctl.dataset.dirty === 'true');
}

/** What was sent is now the server's value (the delta may come before or after the ack). */
export function acceptSent(ctl, value) {
  if (!ctl || value === undefined) return;
  const v = String(value);
  ctl.dataset.server = v;
  if (ctl.value === v) ctl.dataset.dirty = 'false';
}
