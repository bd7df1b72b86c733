// The pages' words (web/common.js) without a browser: a refusal reads in Swedish only — the text
// of the code and, when the server names one, the field in words — never the server's English
// `message`; statuses and ED diversion have their Swedish names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusalWords, fieldText, TARGET_STATUS, targetStatus, ED_STATUS, ED_ORDER, METHANE_FIELDS } from '../../web/common.js';

test('a refusal is the Swedish text of its code, with the field in words, and never the English message', () => {
  const answer = { type: 'error', id: 'r-1', code: 'over_capacity', field: 'beds.AdultICU.available',
    message: 'AdultICU: 30 available is more than baseline 20 + surge 6' };
  assert.equal(refusalWords(answer), 'Fler lediga platser än sjukhuset har (fält: IVA-platser, lediga)');
  assert.equal(refusalWords({ code: 'forbidden', message: 'reporter tib-x may not write for region y' }), 'Behörighet saknas');
  assert.equal(refusalWords({ code: 'bad_message', field: 'reason', message: 'reason must be a text' }),
    'Felaktigt meddelande (fält: motivering)');
  assert.equal(refusalWords({ code: 'invalid_value', field: 'methane.major_incident' }),
    'Ogiltigt värde (fält: METHANE, Allvarlig händelse – utlöst?)');
  assert.equal(refusalWords({ code: 'invalid_value', field: 'hospitals.3' }), 'Ogiltigt värde (fält: sjukhus)');
  // A field the pages have no words for is left out rather than shown as a wire name.
  assert.equal(refusalWords({ code: 'invalid_value', field: 'some_new_field' }), 'Ogiltigt värde');
  assert.equal(fieldText('reception.P1'), 'mottagning, Prio 1 (röd)');
  assert.equal(refusalWords({ code: 'no_such_code_yet', message: 'English' }), 'Servern tog inte emot det');
  assert.equal(refusalWords({ code: 'x' }, () => 'Egen text'), 'Egen text');
});

test('statuses, ED diversion and METHANE M in Swedish', () => {
  assert.deepEqual(Object.fromEntries(Object.entries(TARGET_STATUS).map(([k, v]) => [k, v.label])),
    { met: 'Uppfylld', not_met: 'Ej uppfylld', pending: 'Väntar' });
  assert.equal(targetStatus('missed'), 'not_met', 'an older server\'s names');
  assert.equal(targetStatus('not_done'), 'pending');
  assert.equal(targetStatus('met'), 'met');
  assert.equal(ED_STATUS.diversion.label, 'Stängd för ambulans (omdirigering)');
  assert.deepEqual(ED_ORDER, ['open', 'restricted', 'diversion', 'closed']);
  assert.equal(METHANE_FIELDS[0].label, 'Allvarlig händelse – utlöst?');
});
