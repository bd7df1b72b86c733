// The Swedish indicators end to end: a scenario plays at 60×, participants decide on the wire at
// known exercise times (some in time, some late, one before the larm's checkpoint asks for it),
// and the review judges each indicator per region and hospital — in JSON and in the Swedish CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { getJson } from '../support/server.mjs';
import { withServer, scratchDir } from '../support/fixture.mjs';

const dir = scratchDir();

const scenario = {
  format: 2, id: 'indikatorer', name: 'Indikatorprov', description: 'Deltagarna beslutar, granskningen bedömer.',
  modelled_on: { incident: 'Ingen', source: 'Test' },
  healthcare_region: 'mellansverige', planned_duration_minutes: 60, start_from: 'scenario',
  participating_regions: ['orebro', 'vastmanland'],
  injects: [
    { id: 'larm', at: '00:00', kind: 'message', sender: 'sos_alarm', to: ['orebro', 'vastmanland', 'uppsala'],
      message_kind: 'alert', level: 'staff', text: 'Larm: bussolycka E18' },
    { id: 'cp-ah', at: '20:00', kind: 'checkpoint', within_minutes: 5, description: 'Örebro har utlöst allvarlig händelse',
      expect: { event: 'decision_recorded', decision: 'major_incident_declared', region: 'orebro' } },
    { id: 'slut', at: '59:00', kind: 'message', to: ['orebro'], message_kind: 'information', text: 'Övningen avslutas' },
  ],
};

const decision = (space, fields, id) => ({ v: 1, type: 'record_decision', id, space, ...fields });
const elapsedMinutes = (state) => state.body.exercise_info.elapsed_ms / 60000;

test('a scenario at 60× with participants\' decisions: the review judges all eight indicators', async () => {
  const scenarios = `${dir.path}/scenarios`;
  mkdirSync(scenarios);
  writeFileSync(`${scenarios}/indikatorer.json`, JSON.stringify(scenario));
  await withServer({ dir, db: 'indicators.db', args: ['--scenarios', scenarios] }, async (srv) => {
    const trainer = await srv.client('trainer');
    const orebro = await srv.client('tib-orebro');
    const vastmanland = await srv.client('tib-vastmanland');
    const started = await trainer.command({ v: 1, type: 'start_exercise', id: 's', scenario: 'indikatorer', paused: true });
    assert.equal(started.type, 'ack', JSON.stringify(started));
    const { space } = started;
    const ok = async (client, message) => {
      const reply = await client.command(message);
      assert.equal(reply.type, 'ack', JSON.stringify(reply));
    };
    const control = (action, extra = {}) => ok(trainer, { v: 1, type: 'control_exercise', id: `c-${action}-${Date.now()}`, space, action, ...extra });

    await control('speed', { speed: 60 });
    await control('resume');
    // At once (well within a minute of exercise time): Örebro declares and raises its level.
    await ok(orebro, decision(space, { decision: 'major_incident_declared', region: 'orebro', reason: 'Buss i diket, 40 ombord' }, 'd1'));
    await ok(orebro, { v: 1, type: 'set_region_readiness', id: 'd2', space, region: 'orebro', level: 'reinforced', reason: 'Masskadeläge' });
    // Four exercise minutes later (four seconds at 60×): Västmanland's level is late, Örebro's
    // receiving hospitals are in time, USÖ reports its level late and its beds in time.
    while (elapsedMinutes(await getJson(srv, `/api/state?space=${space}`)) < 4) await new Promise((r) => setTimeout(r, 100));
    await ok(vastmanland, { v: 1, type: 'set_region_readiness', id: 'd3', space, region: 'vastmanland', level: 'staff' });
    await ok(orebro, decision(space, { decision: 'receiving_hospitals', region: 'orebro', hospitals: ['uso', 'vasteras'], incident: `${space}:2` }, 'd4'));
    await ok(orebro, { v: 1, type: 'report_capacity', id: 'd5', space, hospital: 'uso', readiness: 'reinforced', beds: { AdultICU: { available: 2 } } });
    const atDecisions = elapsedMinutes(await getJson(srv, `/api/state?space=${space}`));
    assert.ok(atDecisions < 5, `the decisions were made by 5 minutes (${atDecisions})`);
    // Exactly at 40:00 (paused, then jumped): USÖ's IVA need and Västerås's shortage.
    await control('pause');
    await control('jump', { to: '40:00' });
    await ok(orebro, decision(space, { decision: 'icu_need', region: 'orebro', hospital: 'uso', icu_beds: 6 }, 'd6'));
    await ok(vastmanland, decision(space, { decision: 'capacity_shortage', region: 'vastmanland', hospital: 'vasteras', resource: 'AdultICU', amount: 2 }, 'd7'));
    await control('jump', { to: '60:00' });
    await control('stop');

    const { body: review } = await getJson(srv, `/api/review?space=${space}`);
    const row = (indicator, subject) => review.indicators.find((i) => i.indicator === indicator && (i.hospital ?? i.region) === subject);
    // Uppsala got the larm but is played by the script: not judged.
    assert.deepEqual([...new Set(review.indicators.map((i) => i.region))], ['vastmanland', 'orebro']);
    const names = new Set(review.indicators.map((i) => i.indicator));
    assert.equal(names.size, 8, 'all eight indicators');
    const expected = {
      'region_major_incident orebro': 'met',
      'region_readiness orebro': 'met',
      'region_receiving_hospitals orebro': 'met',
      'region_capacity_judgement orebro': 'not_met',
      'region_readiness vastmanland': 'not_met',
      'region_major_incident vastmanland': 'not_met',
      'hospital_readiness uso': 'not_met',
      'hospital_resources_reported uso': 'met',
      'hospital_icu_need uso': 'met',
      'hospital_capacity_shortage vasteras': 'met',
      'hospital_capacity_shortage uso': 'pending',  // 120 minutes: not due when the hour-long exercise ended
      'hospital_resources_reported karlskoga': 'not_met',
    };
    for (const [key, status] of Object.entries(expected)) {
      const [indicator, subject] = key.split(' ');
      const found = row(indicator, subject);
      assert.ok(found, key);
      assert.equal(found.status, status, `${key}: ${JSON.stringify(found)}`);
    }
    assert.equal(row('hospital_icu_need', 'uso').actual_ms, 40 * 60000);
    assert.equal(row('hospital_icu_need', 'uso').by, 'tib-orebro');
    assert.ok(row('region_readiness', 'vastmanland').actual_ms > 3 * 60000);
    assert.equal(row('region_major_incident', 'orebro').trigger_message, `${space}:2`);
    // The checkpoint at 20:00 counts the declaration made at once.
    assert.equal(review.checkpoints.find((c) => c.id === 'cp-ah').status, 'met');
    // The decisions are in the timeline as data, with their reasons.
    const declared = review.timeline.find((e) => e.kind === 'decision_recorded');
    assert.equal(declared.summary.decision, 'major_incident_declared');
    assert.equal(declared.summary.reason, 'Buss i diket, 40 ombord');

    const csv = await (await fetch(srv.url(`/api/review?space=${space}&format=csv`))).text();
    assert.match(csv, /"prestationsindikator";"IVA-behov uppskattat";"Universitetssjukhuset Örebro[^"]*";"inom 45 min efter larmet 00:00:00";"00:45:00";"00:40:00";"uppfylld";"tib-orebro"/);
    assert.doesNotMatch(csv, /\b(met|not_met|pending|region_\w+|hospital_\w+)\b/);
  });
});

test('every shipped scenario\'s review shows all eight indicators', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { repoRoot } = await import('../support/server.mjs');
  const files = readdirSync(`${repoRoot}/scenarios`).filter((f) => f.endsWith('.json'));
  const byConfig = {};
  for (const file of files) {
    const scenario = JSON.parse(readFileSync(`${repoRoot}/scenarios/${file}`, 'utf8'));
    (byConfig[scenario.healthcare_region] ??= []).push(scenario);
  }
  assert.ok(files.length >= 7);
  for (const [config, scenarios] of Object.entries(byConfig)) {
    const args = config === 'mellansverige' ? [] : ['--config', `${repoRoot}/config/${config}.json`];
    const users = config === 'mellansverige' ? undefined : [{ id: 'trainer', role: 'trainer' }];
    await withServer({ dir, db: `shipped-${config}.db`, args, users }, async (srv) => {
      const trainer = await srv.client('trainer');
      for (const scenario of scenarios) {
        const started = await trainer.command({ v: 1, type: 'start_exercise', id: `s-${scenario.id}`, scenario: scenario.id, paused: true });
        assert.equal(started.type, 'ack', `${scenario.id}: ${JSON.stringify(started)}`);
        const end = `${Math.floor(scenario.planned_duration_minutes / 60)}:${String(scenario.planned_duration_minutes % 60).padStart(2, '0')}:00`;
        const jumped = await trainer.command({ v: 1, type: 'control_exercise', id: `j-${scenario.id}`, space: started.space, action: 'jump', to: end });
        assert.equal(jumped.type, 'ack', `${scenario.id}: ${JSON.stringify(jumped)}`);
        // Stopped after the jump, so after every inject it played.
        const stopped = await trainer.command({ v: 1, type: 'control_exercise', id: `x-${scenario.id}`, space: started.space, action: 'stop' });
        assert.equal(stopped.type, 'ack', `${scenario.id}: ${JSON.stringify(stopped)}`);
        const deadline = Date.now() + 10000;
        while ((await getJson(srv, `/api/state?space=${started.space}`)).body.exercise_info.status !== 'stopped') {
          assert.ok(Date.now() < deadline, `${scenario.id} stops`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const { body: review } = await getJson(srv, `/api/review?space=${started.space}`, srv.tokens.trainer);
        const names = new Set(review.indicators.map((i) => i.indicator));
        assert.equal(names.size, 8, `${scenario.id}: ${[...names].join(', ')}`);
        for (const region of scenario.participating_regions ?? []) {
          assert.ok(review.indicators.some((i) => i.region === region), `${scenario.id}: ${region} is judged`);
        }
      }
    });
  }
});
