// The scenario editor's model (web/editor_model.js) without a browser: times as the scenario
// format writes them, JSON paths, ids of copies, adding / duplicating / deleting / moving injects
// (a move gives the inject a time that fits between its new neighbours), sorting by time, placing
// a problem the server found in an older order at the inject it belongs to, and the Swedish words
// for the server's problem texts (web/editor_words.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/server.mjs';
import {
  parseAt, formatAt, timeBetween, pathString, parsePath, getIn, setIn, freeId, copyId, numberedId, EditorDoc,
  placeProblem, pathPrefixes, newInject, newScenario, copyOf, INJECT_KIND_ORDER,
} from '../../web/editor_model.js';
import { problemWords } from '../../web/editor_words.js';

const demo = () => JSON.parse(readFileSync(join(repoRoot, 'scenarios', 'demo-10min.json'), 'utf8'));
const ids = (doc) => doc.injects.map((i) => i.id);

test('exercise times: MM:SS (minutes may pass 59) and HH:MM:SS, as the schema has them', () => {
  assert.equal(parseAt('07:00'), 420_000);
  assert.equal(parseAt('00:07'), 7_000, 'seven seconds, not minutes');
  assert.equal(parseAt('95:00'), 5_700_000);
  assert.equal(parseAt('02:20:00'), 8_400_000);
  assert.equal(parseAt(' 01:30 '), 90_000);
  for (const bad of ['7', '7:5', '07:60', '1:2:3', '1000:00', '123:00:00', '', null, undefined, 'ab:cd']) {
    assert.ok(Number.isNaN(parseAt(bad)), `${bad} is no time`);
  }
  assert.equal(formatAt(420_000), '07:00');
  assert.equal(formatAt(5_700_000), '95:00');
  assert.equal(formatAt(8_400_000, true), '02:20:00');
  assert.equal(formatAt(45_500), '00:45', 'whole seconds');
  assert.equal(parseAt(formatAt(59_999_000)), 59_999_000);
});

test('a time between two others is as round as fits', () => {
  assert.equal(timeBetween(60_000, 180_000), 120_000);
  assert.equal(timeBetween(180_000, 60_000), 120_000);
  assert.equal(timeBetween(30_000, 60_000), 45_000, '00:30 and 01:00 give 00:45');
  assert.equal(timeBetween(61_000, 63_000), 62_000);
  assert.equal(timeBetween(120_000, 120_000), 120_000);
  assert.equal(timeBetween(120_000, 121_000), 120_000, 'no whole second between: the earlier one');
  for (const [a, b] of [[1_000, 9_000], [0, 600_000], [3_600_000, 3_601_500], [59_000, 61_000]]) {
    const t = timeBetween(a, b);
    assert.ok(t > a && t < b && t % 1000 === 0, `${a}–${b}: ${t}`);
  }
});

test('JSON paths as the server writes them, both ways', () => {
  assert.equal(pathString([]), '$');
  assert.equal(pathString(['injects', 3, 'casualties', 'P1']), '$.injects[3].casualties.P1');
  assert.deepEqual(parsePath('$.injects[3].casualties.P1'), ['injects', 3, 'casualties', 'P1']);
  assert.deepEqual(parsePath('$'), []);
  assert.deepEqual(parsePath('$.baseline.hospitals.uso.beds.AdultICU.available'),
    ['baseline', 'hospitals', 'uso', 'beds', 'AdultICU', 'available']);
  assert.deepEqual(parsePath('$.injects[2].fields.Utan transport'), ['injects', 2, 'fields', 'Utan transport']);
  assert.deepEqual(parsePath('$.injects[id=cp-kvittens].expect.message'), ['injects', { id: 'cp-kvittens' }, 'expect', 'message']);
  assert.deepEqual(parsePath('$.injects[id=r]'), ['injects', { id: 'r' }]);
  assert.equal(parsePath('injects[2]'), null);
  assert.equal(parsePath('$.a[x]'), null);
  assert.deepEqual(pathPrefixes('$.injects[3].at'), ['$.injects[3].at', '$.injects[3]', '$.injects', '$']);
});

test('setIn writes on the way and, given undefined, deletes and drops what it left empty', () => {
  const o = {a: 1};
  setIn(o, ['burns', 'P1'], 2);
  assert.deepEqual(o, {a: 1, burns: {P1: 2}});
  setIn(o, ['distribution', 0, 'hospital'], 'uso');
  assert.deepEqual(o.distribution, [{hospital: 'uso'}]);
  setIn(o, ['burns', 'P1'], undefined);
  assert.deepEqual(o, {a: 1, distribution: [{hospital: 'uso'}]}, 'the empty burns object goes too');
  setIn(o, ['x', 'y'], undefined);
  assert.deepEqual(Object.keys(o), ['a', 'distribution'], 'deleting what is not there changes nothing');
  assert.equal(getIn(o, ['distribution', 0, 'hospital']), 'uso');
  assert.equal(getIn(o, ['nope', 'deeper']), undefined);
});

test('ids: a copy is <id>-kopia (then -kopia-2), within 40 characters of a-z 0-9 -', () => {
  assert.equal(copyId('demo-10min', []), 'demo-10min-kopia');
  assert.equal(copyId('demo-10min', ['demo-10min-kopia']), 'demo-10min-kopia-2');
  assert.equal(copyId('demo-10min', new Set(['demo-10min-kopia', 'demo-10min-kopia-2'])), 'demo-10min-kopia-3');
  const long = copyId('a'.repeat(40), []);
  assert.ok(long.length <= 40 && long.endsWith('-kopia'), long);
  assert.match(freeId('Ny Övning!', []), /^[a-z0-9-]{1,40}$/);
  assert.equal(numberedId('vag', ['vag-1', 'vag-2']), 'vag-3');
  const copy = copyOf(demo(), ['demo-10min']);
  assert.equal(copy.id, 'demo-10min-kopia');
  assert.match(copy.name, /\(kopia\)$/);
  assert.equal(copy.injects.length, demo().injects.length);
});

test('the document keeps the scenario as it was, injects in list order, and its top-level order', () => {
  const s = demo();
  const doc = new EditorDoc(s);
  assert.deepEqual(doc.toScenario(), s, 'unchanged, it is the same scenario');
  assert.deepEqual(Object.keys(doc.toScenario()), Object.keys(s));
  doc.top.name = 'Ändrat';
  assert.notEqual(s.name, 'Ändrat', 'the editor works on a copy');
  assert.equal(doc.longTimes(), false);
  assert.equal(new EditorDoc({injects: [{id: 'a', at: '02:20:00'}]}).longTimes(), true);
});

test('add, duplicate and delete', () => {
  const doc = new EditorDoc(demo());
  const n = doc.items.length;
  const methane = doc.keys()[3];
  assert.equal(doc.item(methane).id, 'methane');
  const copy = doc.duplicate(methane);
  assert.equal(doc.items.length, n + 1);
  assert.equal(doc.indexOf(copy), 4, 'right after the original');
  assert.equal(doc.item(copy).id, 'methane-kopia');
  assert.deepEqual({...doc.item(copy), id: 'methane'}, doc.item(methane));
  doc.item(copy).methane.type = 'ändrad';
  assert.notEqual(doc.item(methane).methane.type, 'ändrad', 'a deep copy');
  assert.equal(doc.item(doc.duplicate(methane)).id, 'methane-kopia-2');
  const wave = newInject('casualty_wave', {at: '07:00', ids: doc.injectIds(), hospitals: ['uso']});
  assert.equal(wave.id, 'vag-3', 'the demo has vag-1 and vag-2');
  const key = doc.add(wave, doc.keys().at(-1));
  assert.equal(doc.indexOf(key), doc.items.length - 1);
  assert.ok(doc.remove(copy));
  assert.equal(doc.indexOf(copy), -1);
  assert.equal(doc.remove(copy), false);
});

test('a new inject of every kind has an id of its own, its time and its kind', () => {
  const taken = new Set(['vag-1', 'kp-1']);
  for (const kind of INJECT_KIND_ORDER) {
    const inj = newInject(kind, {at: '03:00', ids: taken, regions: ['orebro'], hospitals: ['uso', 'vasteras']});
    assert.equal(inj.kind, kind);
    assert.equal(inj.at, '03:00');
    assert.match(inj.id, /^[a-z0-9-]{1,40}$/);
    assert.ok(!taken.has(inj.id), `${kind}: ${inj.id} is free`);
  }
  assert.equal(newInject('checkpoint', {ids: taken, regions: ['orebro']}).expect.region, 'orebro');
  assert.deepEqual(newInject('transfer', {hospitals: ['uso', 'vasteras']}).to, 'vasteras');
  const s = newScenario({id: 'x', hcr: 'mellansverige'});
  assert.equal(s.format, 2);
  assert.equal(s.healthcare_region, 'mellansverige');
});

test('moving an inject gives it a time between its new neighbours, or keeps its own when that fits', () => {
  const doc = new EditorDoc(demo());
  const keyOf = (id) => doc.keys()[ids(doc).indexOf(id)];
  // lagesrapport-skadeplats (04:00) between cp-mottagande (00:30) and vag-1 (01:00): 00:45.
  const report = keyOf('lagesrapport-skadeplats');
  const place = ids(doc).indexOf('vag-1');
  assert.equal(doc.moveTo(report, place), '00:45');
  assert.deepEqual(ids(doc).slice(place - 1, place + 2), ['cp-mottagande', 'lagesrapport-skadeplats', 'vag-1']);
  // Between two at the same time it takes that time.
  const avslut = keyOf('avslut');
  doc.moveTo(avslut, ids(doc).indexOf('cp-kvittens'));
  assert.equal(doc.item(avslut).at, '00:00');
  assert.deepEqual(ids(doc).slice(1, 4), ['cp-beredskap', 'avslut', 'cp-kvittens']);
  // First: the time of the one after it; last: the time of the one before it.
  const wave2 = keyOf('vag-2');
  doc.moveTo(wave2, 0);
  assert.equal(doc.item(wave2).at, '00:00');
  doc.moveTo(wave2, doc.items.length - 1);
  assert.equal(doc.item(wave2).at, '06:30');
  // Its own time kept when it lies between the new neighbours.
  const cp = keyOf('cp-iva-behov');
  assert.equal(doc.item(cp).at, '03:00');
  doc.moveTo(cp, ids(doc).indexOf('iva-personal'));
  assert.equal(doc.item(cp).at, '03:00');
  assert.equal(ids(doc)[ids(doc).indexOf('cp-iva-behov') + 1], 'iva-personal');
  // Up and down: one place, with the same rule; not past the ends.
  const larm = keyOf('larm');
  assert.equal(doc.indexOf(larm), 0);
  assert.equal(doc.moveUp(larm), null);
  doc.moveDown(larm);
  assert.equal(doc.indexOf(larm), 1);
  assert.equal(doc.item(larm).at, '00:00');
  const last = doc.keys().at(-1);
  assert.equal(doc.moveDown(last), null);
  // The list stays in time order after every move.
  const times = doc.injects.map((i) => parseAt(i.at));
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
});

test('sorting by time is stable, and an unreadable time stays behind the one before it', () => {
  const doc = new EditorDoc({injects: [
    {id: 'a', at: '05:00'}, {id: 'b', at: '01:00'}, {id: 'c', at: 'fel'}, {id: 'd', at: '01:00'}, {id: 'e', at: '00:30'},
  ]});
  assert.equal(doc.sortByTime(), true);
  assert.deepEqual(ids(doc), ['e', 'b', 'c', 'd', 'a'], 'c (unreadable) stays behind b, the one before it');
  assert.equal(doc.sortByTime(), false, 'sorted already');
  const long = new EditorDoc({planned_duration_minutes: 180, injects: [{id: 'x', at: '01:00:00'}, {id: 'y', at: '02:00:00'}, {id: 'z', at: '03:00:00'}]});
  long.moveTo(long.keys()[2], 1);
  assert.equal(long.item(long.keys()[1]).at, '01:30:00', 'written as the scenario writes its times');
});

test('a problem found in the order that was sent is placed at its inject, wherever it is now', () => {
  const doc = new EditorDoc(demo());
  const sent = doc.keys();
  const wave = sent[5];
  assert.equal(doc.item(wave).id, 'vag-1');
  doc.moveTo(wave, 0);
  const p = placeProblem(doc, '$.injects[5].casualties.P1', sent);
  assert.equal(p.key, wave);
  assert.deepEqual(p.sub, ['casualties', 'P1']);
  assert.equal(p.path, '$.injects[0].casualties.P1');
  assert.equal(doc.pathOf(wave, ['at']), '$.injects[0].at');
  assert.deepEqual(placeProblem(doc, '$.modelled_on.source', sent), {key: null, sub: ['modelled_on', 'source'], path: '$.modelled_on.source'});
  assert.deepEqual(placeProblem(doc, '$', sent).sub, []);
  // The rules across injects name the inject by its id (as it was sent).
  const sentIds = doc.injects.map((i) => i.id);
  const cp = doc.keys()[ids(doc).indexOf('cp-kvittens')];
  doc.item(cp).id = 'omdopt';
  const byId = placeProblem(doc, '$.injects[id=cp-kvittens].expect.message', doc.keys(), sentIds);
  assert.equal(byId.key, cp, 'found by the id it had when sent');
  assert.deepEqual(byId.sub, ['expect', 'message']);
  assert.equal(byId.path, `$.injects[${doc.indexOf(cp)}].expect.message`);
  assert.equal(placeProblem(doc, '$.injects[id=omdopt]', doc.keys()).key, cp, 'or by the id it has now');
  assert.deepEqual(placeProblem(doc, '$.injects[id=finns-inte].at', doc.keys(), sentIds),
    { key: null, sub: [], path: '$.injects[id=finns-inte].at' }, 'unknown: shown at the top as the server wrote it');
  doc.remove(wave);
  assert.equal(placeProblem(doc, '$.injects[5].at', sent).gone, true, 'an inject deleted since is not shown');
  assert.equal(placeProblem(doc, 'nonsense', sent).key, null);
});

test('the server\'s problem texts in Swedish (and one it has no words for, as it came)', () => {
  assert.equal(problemWords('must be "MM:SS" or "HH:MM:SS"'), 'ska vara MM:SS eller TT:MM:SS (t.ex. 07:00 för sju minuter)');
  assert.equal(problemWords('is after the planned duration'), 'ligger efter scenariots planerade längd');
  assert.equal(problemWords('is missing'), 'saknas');
  assert.equal(problemWords('must be a whole number from 0 to 10000'), 'ska vara ett heltal 0–10000');
  assert.equal(problemWords("no hospital 'x' in mellansverige"), 'sjukhuset ”x” finns inte i mellansverige');
  assert.equal(problemWords("'vag-1' is used twice"), 'id ”vag-1” används två gånger');
  assert.equal(problemWords('must be a text of at most 200 characters, not empty'), 'får inte vara tom (högst 200 tecken)');
  assert.equal(problemWords('P1 adds up to 2, casualties say 3'), 'P1: fördelningen ger 2, de skadade är 3');
  assert.equal(problemWords("no message inject 'nope'"), 'inget meddelande-inspel med id ”nope”');
  assert.equal(problemWords("the scenario is for 'sydost', the server runs 'mellansverige'"),
    'scenariot är skrivet för ”sydost”, servern kör ”mellansverige”');
  assert.match(problemWords('sets a level in orebro, a participating region: its participants set their own'), /deltagande region/);
  assert.equal(problemWords('sends patients to Köping at 23:50, when its ED is closed (open 07:00-22:00)'),
    'skickar patienter till Köping 23:50, då akuten är stängd (öppen 07:00-22:00)');
  assert.equal(problemWords('something new'), 'servern: something new');
  assert.equal(problemWords(''), 'fel');
});
