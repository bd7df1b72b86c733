// The Swedish words for the server's structured reasons and summaries (web/summaries.js): why a
// hospital is över kapacitet, what each event of the review timeline did, what each inject does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overCapacityText, timelineText, injectText, decisionText, patientCounts } from '../../web/summaries.js';

const names = { region: (id) => ({ orebro: 'Region Örebro län' })[id] };

test('over-capacity reasons', () => {
  assert.equal(overCapacityText({ kind: 'icu_short', p1: 5, free_icu: 2 }), '5 P1 men 2 lediga IVA-platser');
  assert.equal(overCapacityText({ kind: 'reception_rate', priority: 'P2', last_hour: 9, per_hour: 8 }),
    '9 P2 senaste timmen, mottagning 8/tim');
  assert.equal(overCapacityText({ kind: 'burn_short', burns: 3, free_burn: 1 }), '3 brännskadade, 1 ledig brännskadeplats');
  assert.equal(overCapacityText({ kind: 'burn_short', burns: 4, free_burn: 0 }), '4 brännskadade, 0 lediga brännskadeplatser');
  assert.equal(overCapacityText({ kind: 'something_new' }), 'Över kapacitet', 'an unknown cause in Swedish');
  assert.equal(overCapacityText(null), '');
  assert.equal(overCapacityText(' 5 P1 men 2 lediga IVA-platser '), '5 P1 men 2 lediga IVA-platser', 'an older server\'s words');
});

test('the review timeline in words', () => {
  const hospital = { hospital: 'uso', hospital_name: 'Universitetssjukhuset Örebro (USÖ)' };
  assert.equal(timelineText({ kind: 'capacity_reported', ...hospital }), 'Kapacitet: Universitetssjukhuset Örebro (USÖ)');
  assert.equal(timelineText({ kind: 'figures_confirmed', ...hospital }), 'Oförändrat: Universitetssjukhuset Örebro (USÖ)');
  assert.equal(timelineText({ kind: 'region_readiness_set', region: 'orebro', level: 'staff' }, names),
    'Beredskapsläge Region Örebro län: Stabsläge');
  assert.equal(timelineText({ kind: 'message_posted', message_kind: 'alert', text: 'Bussolycka' }), 'Larm: Bussolycka');
  assert.equal(timelineText({ kind: 'message_posted', message_kind: 'methane', text: '' }), 'METHANE-rapport');
  assert.equal(timelineText({ kind: 'message_acknowledged', region: 'orebro', message: 'ovning:2' }, names),
    'Kvittens Region Örebro län: meddelande nr 2');
  assert.equal(timelineText({ kind: 'casualties_dispatched', ...hospital, patients: { P1: 1, P2: 2, P3: 3 } }),
    'Skadade till Universitetssjukhuset Örebro (USÖ): P1 1, P2 2, P3 3');
  assert.equal(timelineText({ kind: 'casualties_arrived', ...hospital }), 'Ankomst Universitetssjukhuset Örebro (USÖ)');
  assert.equal(timelineText({ kind: 'exercise_clock_set', status: 'paused', speed: 10 }), 'Övningsklocka: pausad ×10');
  assert.equal(timelineText({ kind: 'exercise_started' }), 'Övningen startad');
  assert.equal(timelineText({ kind: 'access_denied' }), 'Nekad åtgärd');
  assert.equal(timelineText({ kind: 'something_new' }), 'Händelse', 'an unknown kind in Swedish, never the wire name');
  assert.equal(timelineText({ kind: 'decision_recorded', decision: 'major_incident_declared', region: 'orebro' }, names),
    'Allvarlig händelse utlöst – Region Örebro län');
  assert.equal(timelineText({ kind: 'decision_recorded', decision: { decision: 'icu_need', region: 'orebro', icu_beds: 4 } }, names),
    'Uppskattat IVA-behov: 4 – Region Örebro län', 'the record inside the summary');
  assert.equal(timelineText({ kind: 'decision_recorded' }), 'Beslut');
  assert.equal(timelineText({ kind: 'region_readiness_set', region: 'okand', level: 'x' }, names),
    'Beredskapsläge okand: x', 'unknown ids and levels are shown as they are');
});

test('patients waiting, secondary transports and ambulances in the timeline', () => {
  const hospitals = { hospital: (id) => ({ vasteras: 'Västmanlands sjukhus Västerås', akademiska: 'Akademiska sjukhuset' })[id] };
  assert.equal(timelineText({ kind: 'patients_deteriorated', wave: 'vag-1', from: 'P2', to: 'P1', count: 3 }),
    '3 P2 försämrades till P1 (vag-1)');
  assert.equal(timelineText({ kind: 'patients_deteriorated', wave: 'vag-1', location: 'E18 vid Arboga', from: 'P1',
    to: 'deceased', count: 1 }), '1 P1 avled under väntan (E18 vid Arboga)');
  assert.equal(timelineText({ kind: 'patients_deteriorated', wave: 'vag-1', hospital: 'uso', from: 'P1', to: null, count: 2 }),
    '2 P1 avled under väntan på väg till uso (vag-1)', 'no priority left: died');
  assert.equal(timelineText({ kind: 'patients_deteriorated' }), 'Försämring under väntan', 'the kind only');
  assert.equal(timelineText({ kind: 'patients_deteriorated', wave: 'vag-1', from: 'P2', to: 'P1', count: 1, hospital: 'uso',
    hospital_name: 'USÖ' }, { wave: (id) => (id === 'vag-1' ? 'E18 vid Arboga' : undefined) }),
  '1 P2 försämrades till P1 på väg till USÖ (E18 vid Arboga)', 'on the way, and the wave\'s place from the page');
  assert.equal(timelineText({ kind: 'patients_transferred', hospital: 'vasteras', hospital_name: 'Västerås', to: 'akademiska',
    to_name: 'Akademiska', patients: { P1: 1 }, mode: 'ambulance' }), 'Sekundärtransport Västerås → Akademiska: 1 P1, ambulans',
  'the review\'s summary names the hospital left as hospital');
  assert.equal(timelineText({ kind: 'patients_deteriorated', wave: 'vag-2', changes: [{ from: 'P3', to: 'P2', count: 2 },
    { from: 'P2', to: 'P1', count: 1 }] }), '2 P3 försämrades till P2; 1 P2 försämrades till P1 (vag-2)');
  assert.equal(timelineText({ kind: 'patients_transferred', from: 'vasteras', to: 'akademiska', patients: { P1: 2 },
    burns: 0, mode: 'helicopter', transport_minutes: 40 }, hospitals),
  'Sekundärtransport Västmanlands sjukhus Västerås → Akademiska sjukhuset: 2 P1, helikopter, 40 min');
  assert.equal(timelineText({ kind: 'patients_transferred', from: 'vasteras', from_name: 'Västerås', to: 'akademiska',
    to_name: 'Akademiska', patients: { P1: 2, P2: 1, P3: 0 }, burns: 2 }),
  'Sekundärtransport Västerås → Akademiska: 2 P1, 1 P2 (varav 2 brännskadade), ambulans', 'the default mode');
  assert.equal(timelineText({ kind: 'patients_transferred', from: 'a', to: 'b', patients: {}, mode: 'boat' }),
    'Sekundärtransport a → b: inga patienter', 'an unknown mode is left out, never shown as a wire name');
  assert.equal(timelineText({ kind: 'patients_transferred' }), 'Sekundärtransport', 'the kind only');
  assert.equal(timelineText({ kind: 'transport_reported', region: 'orebro' }, names), 'Ambulanser rapporterade – Region Örebro län');
  assert.equal(timelineText({ kind: 'transport_reported', region: 'orebro', ambulances: { available: 6, committed: 9 },
    helicopters: { available: 1, committed: 1 } }, names),
  'Ambulanser och helikoptrar rapporterade – Region Örebro län: ambulanser 6 lediga · 9 i uppdrag, helikoptrar 1 ledig · 1 i uppdrag');
  assert.equal(timelineText({ kind: 'transport_reported', region: 'orebro', helicopters: { available: 0, committed: 2 } }, names),
    'Helikoptrar rapporterade – Region Örebro län: helikoptrar 0 lediga · 2 i uppdrag');
  assert.equal(patientCounts({ P1: 0, P2: 3, P3: 1 }), '3 P2, 1 P3');
  assert.equal(timelineText({ kind: 'casualties_at_scene', wave: 'vag-1', location: 'E18 vid Köping',
    patients: { P1: 2, P2: 3, P3: 4 } }), 'Skadade väntar på beslut om mottagande sjukhus (E18 vid Köping): P1 2, P2 3, P3 4');
  assert.equal(timelineText({ kind: 'casualties_at_scene' }), 'Skadade väntar på beslut om mottagande sjukhus');
});

test('inject summaries in words', () => {
  assert.deepEqual(injectText({ kind: 'message', message_kind: 'alert', text: 'LARM från SOS' }),
    { alert: true, sub: null, text: 'LARM från SOS' });
  assert.deepEqual(injectText({ kind: 'message', message_kind: 'methane', text: '' }),
    { alert: false, sub: 'METHANE-rapport', text: '' });
  assert.equal(injectText({ kind: 'message', message_kind: 'situation_report', text: 'x' }).sub, 'Lägesrapport');
  assert.equal(injectText({ kind: 'casualty_wave', location: 'E18', casualties: { P1: 2, P2: 3, P3: 5 }, deceased: 1,
    suggest: true }).text, 'E18: P1 2, P2 3, P3 5, döda 1 (fördelning föreslås)');
  assert.equal(injectText({ kind: 'casualty_wave', location: 'E18', casualties: [0, 0, 3], deceased: 0, suggest: false }).text,
    'E18: P1 0, P2 0, P3 3, döda 0');
  assert.equal(injectText({ kind: 'capacity_change', hospital: 'uso', hospital_name: 'USÖ', reason: 'Personalbrist' }).text,
    'USÖ: Personalbrist');
  assert.equal(injectText({ kind: 'capacity_change', hospital: 'uso', hospital_name: '', reason: '' }).text, 'uso');
  assert.equal(injectText({ kind: 'readiness', region: 'orebro', hospital: '', hospital_name: '', level: 'staff' }, names).text,
    'Region Örebro län → Stabsläge');
  assert.equal(injectText({ kind: 'readiness', region: '', hospital: 'uso', hospital_name: 'USÖ', level: 'reinforced' }).text,
    'USÖ → Förstärkningsläge');
  assert.equal(injectText({ kind: 'target', description: 'Kvittera inom 3 minuter.' }).text, 'Kvittera inom 3 minuter.');
  assert.equal(injectText('alert: text från en äldre server').text, 'alert: text från en äldre server');
  assert.equal(injectText({ kind: 'decision', decision: 'support_offer', region: 'sormland', to_region: 'orebro',
    resource: 'ambulances', amount: 2 }, names).text, 'Erbjuder stöd till Region Örebro län: 2 ambulanser');
  assert.equal(injectText({ kind: 'transfer', from: 'vasteras', from_name: 'Västerås', to: 'akademiska',
    to_name: 'Akademiska', patients: { P1: 2, P2: 0, P3: 0 }, burns: 2, mode: 'helicopter' }).text,
  'Västerås → Akademiska: 2 P1 (varav 2 brännskadade), helikopter');
  assert.equal(injectText({ kind: 'transport', region: 'orebro' }, names).text, 'Ambulanser rapporterade – Region Örebro län');
  assert.equal(injectText({ kind: 'something_new' }).text, 'Inspel', 'an unknown kind in Swedish');
});

test('decisions in words', () => {
  const words = {
    region: (id) => ({ uppsala: 'Region Uppsala', orebro: 'Region Örebro län' })[id],
    hospital: (id) => ({ akademiska: 'Akademiska sjukhuset', enkoping: 'Lasarettet i Enköping' })[id],
    incident: (id) => (id === 'live:12' ? 'larm nr 12' : undefined),
  };
  const d = (decision, extra = {}) => decisionText({ decision, region: 'uppsala', hospital: null, ...extra }, words);
  assert.equal(d('major_incident_declared'), 'Allvarlig händelse utlöst – Region Uppsala');
  assert.equal(d('major_incident_declared', { hospital: 'akademiska' }), 'Allvarlig händelse utlöst – Akademiska sjukhuset');
  assert.equal(d('major_incident_stood_down'), 'Allvarlig händelse avblåst – Region Uppsala');
  assert.equal(d('receiving_hospitals', { hospitals: ['akademiska', 'enkoping'] }),
    'Mottagande sjukhus: Akademiska sjukhuset, Lasarettet i Enköping');
  assert.equal(d('receiving_hospitals', { hospitals: ['akademiska'], incident: 'live:12' }),
    'Mottagande sjukhus: Akademiska sjukhuset (gäller larm nr 12)');
  assert.equal(d('receiving_hospitals', { hospitals: ['enkoping'], incident: 'ovning-x-1:7' }),
    'Mottagande sjukhus: Lasarettet i Enköping (gäller meddelande nr 7)', 'a message the page does not know');
  assert.equal(d('capacity_judgement', { judgement: 'strained' }), 'Egen kapacitet: Ansträngd – Region Uppsala');
  assert.equal(d('capacity_judgement', { judgement: 'insufficient', hospital: 'akademiska' }),
    'Egen kapacitet: Räcker inte – Akademiska sjukhuset');
  assert.equal(d('icu_need', { icu_beds: 6, hospital: 'akademiska' }), 'Uppskattat IVA-behov: 6 – Akademiska sjukhuset');
  assert.equal(d('capacity_shortage', { resource: 'AdultICU', amount: 3 }), 'Kapacitetsbrist IVA: 3 – Region Uppsala');
  assert.equal(d('capacity_shortage', { resource: 'staff', amount: 0, hospital: 'akademiska' }),
    'Kapacitetsbrist personal: Ingen brist – Akademiska sjukhuset');
  assert.equal(d('support_request', { to_region: 'orebro', resource: 'ambulances', amount: 2 }),
    'Begär stöd av Region Örebro län: 2 ambulanser');
  assert.equal(d('support_offer', { to_region: 'orebro', resource: 'AdultICU', amount: 1 }),
    'Erbjuder stöd till Region Örebro län: 1 IVA-plats');
  assert.equal(d('readiness_set', { level: 'reinforced' }), 'Beredskapsläge: förstärkningsläge – Region Uppsala');
  assert.equal(d('something_new'), 'Beslut', 'an unknown decision in Swedish');
});
