// The standard exports against the official OASIS schemas (xmllint): EDXL-HAVE 1.0 of live and of
// an exercise (EDXL-DE, distributionStatus Exercise), empty and busy, per hospital, with names that
// carry å/ä/ö and XML's special characters; every larm as CAP 1.2 and each kvittens as a CAP Ack.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { scratchDir, serverFixture } from '../support/fixture.mjs';
import { capSchema, embeddedHave, haveSchema, texts, validate } from '../support/xml.mjs';

// The shipped configuration, with one hospital and one region named the hard way.
const dir = scratchDir();
const config = JSON.parse(readFileSync(join(repoRoot, 'config', 'mellansverige.json'), 'utf8'));
const uppsala = config.regions.find((r) => r.id === 'uppsala');
uppsala.name = 'Region Uppsala <&> "Ö"';
uppsala.hospitals.find((h) => h.id === 'enkoping').name = `Lasarettet i Enköping & "Åre" <test> 'ä'`;
const configPath = join(dir.path, 'config.json');
writeFileSync(configPath, JSON.stringify(config));

const server = serverFixture({ dir, args: ['--config', configPath] });

async function get(path, token) {
  const response = await fetch(server.url(path), token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

before(() => server.ready);

test('live HAVE: empty, then busy, for all hospitals and for one, valid against EDXL-HAVE 1.0', async () => {
  const empty = await get('/api/have?space=live');
  assert.equal(empty.status, 200);
  assert.match(empty.type, /^application\/xml/);
  validate(empty.text, haveSchema);
  assert.equal(texts(empty.text, 'xpil:IdentifierElement').length, 18, 'every hospital');
  assert.ok(!empty.text.includes('AvailableCount'), 'nothing reported yet: no available count');

  const tib = await server.client('tib-uppsala');
  const reported = await tib.command(report('enkoping', {
    beds: { MedicalSurgical: { available: 12, surge72h: 30 } }, ed_status: 'diversion',
    reception: { P1: 1, P2: 2, P3: 4 }, readiness: 'reinforced', reason: 'Storbrand <Enköping> & rök',
  }));
  assert.equal(reported.type, 'ack', JSON.stringify(reported));
  const ak = await tib.command(report('akademiska', { beds: { AdultICU: { available: 0 }, Burn: { available: 3 } } }));
  assert.equal(ak.type, 'ack', JSON.stringify(ak));

  const busy = await get('/api/have?space=live');
  validate(busy.text, haveSchema);
  assert.ok(busy.text.includes('<xnl:NameElement>Lasarettet i Enköping &amp; &quot;Åre&quot; &lt;test&gt; &apos;ä&apos;</xnl:NameElement>'));
  assert.ok(busy.text.includes('<CommentText>Region Uppsala &lt;&amp;&gt; &quot;Ö&quot;, Enköping</CommentText>'));
  const one = await get('/api/have?space=live&hospital=enkoping');
  validate(one.text, haveSchema);
  assert.deepEqual(texts(one.text, 'xpil:IdentifierElement'), ['enkoping']);
  assert.deepEqual(texts(one.text, 'EMSTrafficStatus'), ['Closed']);
  assert.deepEqual(texts(one.text, 'AvailableCount'), ['12']);
  assert.match(one.text, /<BedType>MedicalSurgical<\/BedType>\s*<Capacity>\s*<CapacityStatus>Vacant\/Available<\/CapacityStatus>\s*<AvailableCount>12<\/AvailableCount>\s*<BaselineCount>\d+<\/BaselineCount>\s*<AdditionalCapacityCount24Hr>\d+<\/AdditionalCapacityCount24Hr>\s*<AdditionalCapacityCount72Hr>30<\/AdditionalCapacityCount72Hr>/);
  assert.deepEqual(texts(one.text, 'HospitalEOCPlan'), ['Active']);
  assert.deepEqual(texts(one.text, 'TriageCountQuantity'), ['1', '2', '4']);
  const [updated] = texts(one.text, 'LastUpdateTime');
  assert.match(updated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  assert.ok(Math.abs(Date.parse(updated) - Date.now()) < 60000, 'the report time');
  const akademiska = await get('/api/have?hospital=akademiska');
  assert.ok(akademiska.text.includes('<CapacityStatus>NotAvailable</CapacityStatus>'));

  const wrapped = await get('/api/have?space=live&envelope=de');
  assert.deepEqual(texts(wrapped.text, 'distributionStatus'), ['Actual']);
  validate(embeddedHave(wrapped.text), haveSchema);

  assert.equal((await get('/api/have?hospital=nowhere')).status, 404);
  assert.equal((await get('/api/have?space=nowhere')).status, 404);
  assert.equal((await get('/api/have?envelope=soap')).status, 400);
  assert.equal((await get('/api/have?space=audit')).status, 404);
});

test('an exercise HAVE is an EDXL-DE distribution with status Exercise, marked ÖVNING, never live data', async () => {
  const trainer = await server.client('trainer');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'x-1', scenario: 'demo-10min', paused: true });
  assert.equal(started.type, 'ack', JSON.stringify(started));
  const doc = await get(`/api/have?space=${started.space}`);
  assert.equal(doc.status, 200);
  assert.match(doc.text, /^<\?xml[^>]*>\s*<EDXLDistribution xmlns="urn:oasis:names:tc:emergency:EDXL:DE:1.0">/);
  assert.deepEqual(texts(doc.text, 'distributionStatus'), ['Exercise']);
  const inner = embeddedHave(doc.text);
  validate(inner, haveSchema);
  assert.equal(texts(inner, 'CommentText').filter((c) => c.startsWith('ÖVNING')).length, 18);
  // The exercise space starts from a copy of live: the live report is there, as exercise data.
  const one = embeddedHave((await get(`/api/have?space=${started.space}&hospital=enkoping`)).text);
  validate(one, haveSchema);
  assert.ok(one.includes('ÖVNING'));
});

test('every larm is a CAP 1.2 alert and every kvittens a CAP Ack referencing it, valid, live and exercise', async () => {
  const admin = await server.client('admin');
  const posted = await admin.command({ v: 1, type: 'post_message', id: 'm-1', space: 'live', kind: 'alert',
    to: ['uppsala', 'orebro'], text: 'Brand i <Enköping> & rökutveckling; "P1" ×12', level: 'staff' });
  assert.equal(posted.type, 'ack', JSON.stringify(posted));
  const id = `live:${posted.seq}`;
  const info = await admin.command({ v: 1, type: 'post_message', id: 'm-2', space: 'live', kind: 'information', to: 'all', text: 'Ingen larm' });
  assert.equal(info.type, 'ack');
  const tib = await server.client('tib-uppsala');
  assert.equal((await tib.command({ v: 1, type: 'acknowledge', id: 'k-1', space: 'live', message: id })).type, 'ack');

  const index = JSON.parse((await get('/api/cap?space=live')).text);
  assert.equal(index.status, 'Actual');
  assert.equal(index.alerts.length, 1, 'larm only');
  const [entry] = index.alerts;
  assert.equal(entry.id, id);
  assert.deepEqual(entry.pending, ['orebro']);
  assert.equal(entry.acks.length, 1);

  const alert = await get(entry.href);
  assert.equal(alert.status, 200);
  validate(alert.text, capSchema);
  assert.deepEqual(texts(alert.text, 'status'), ['Actual']);
  assert.deepEqual(texts(alert.text, 'msgType'), ['Alert']);
  assert.deepEqual(texts(alert.text, 'language'), ['sv-SE']);
  assert.deepEqual(texts(alert.text, 'areaDesc'), ['Region Uppsala &lt;&amp;&gt; &quot;Ö&quot;', 'Region Örebro län']);
  assert.ok(alert.text.includes('<description>Brand i &lt;Enköping&gt; &amp; rökutveckling; &quot;P1&quot; ×12</description>'));
  const [sent] = texts(alert.text, 'sent');
  assert.match(sent, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

  const ack = await get(entry.acks[0].href);
  validate(ack.text, capSchema);
  assert.deepEqual(texts(ack.text, 'msgType'), ['Ack']);
  assert.deepEqual(texts(ack.text, 'references'), [`lagesbild@mellansverige,${texts(alert.text, 'identifier')[0]},${sent}`]);

  assert.equal((await get(`/api/cap?space=live&id=live:${info.seq}`)).status, 404, 'no larm');
  assert.equal((await get(`/api/cap?space=live&id=${id}&ack=orebro`)).status, 404, 'not acknowledged yet');
  assert.equal((await get('/api/cap?space=live&id=live:999999')).status, 404);

  const trainer = await server.client('trainer');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'x-2', scenario: 'demo-10min', paused: true });
  const drill = await trainer.command({ v: 1, type: 'post_message', id: 'm-3', space: started.space, kind: 'alert',
    to: 'all', text: 'Övningslarm', level: 'disaster' });
  assert.equal(drill.type, 'ack', JSON.stringify(drill));
  const drillIndex = JSON.parse((await get(`/api/cap?space=${started.space}`)).text);
  assert.equal(drillIndex.status, 'Exercise');
  const drillAlert = await get(drillIndex.alerts.at(-1).href);
  validate(drillAlert.text, capSchema);
  assert.deepEqual(texts(drillAlert.text, 'status'), ['Exercise']);
  assert.equal(texts(drillAlert.text, 'areaDesc').length, 7);
});
