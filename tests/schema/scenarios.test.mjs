// Scenario files (scenarios/*.json, format 2) and the frozen format 1 copies (tests/scenarios/format1/)
// against docs/scenario.schema.json and the cross-field rules of docs/scenarios.md that a schema cannot
// express. Run from the repository root:
//   node --test tests/schema/
// No server or build is needed: this reads the files and the configurations only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const scenarioDir = path.join(root, 'scenarios');
const schema = JSON.parse(readFileSync(path.join(root, 'docs', 'scenario.schema.json'), 'utf8'));

const ajv = new Ajv2020({ allErrors: true, strictTypes: true, strictTuples: true });
const validate = ajv.compile(schema);

function readDir(dir) {
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return names.map((file) => ({ file, data: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) }));
}
const files = readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort();
const scenarios = readDir(scenarioDir);
// The first six files as they were in format 1, kept unchanged: the schema must go on accepting them.
const format1Dir = path.join(root, 'tests', 'scenarios', 'format1');
const format1 = readDir(format1Dir);

const INJECT_KINDS = ['message', 'casualty_wave', 'capacity_change', 'readiness', 'checkpoint', 'decision', 'transfer',
  'transport'];
const MESSAGE_KINDS = ['situation_report', 'methane', 'alert', 'information'];
const SENDERS = ['sos_alarm', 'scene_command', 'socialstyrelsen', 'rssl'];
const CHECKPOINT_EVENTS = ['region_readiness_set', 'capacity_reported', 'message_acknowledged', 'message_posted',
  'decision_recorded'];
const PRIORITIES = ['P1', 'P2', 'P3'];
// The timed indicators and their default targets in minutes (docs/scenarios.md, "Indicators").
const INDICATOR_TARGETS = {
  region_major_incident: 1, region_readiness: 3, region_receiving_hospitals: 5, region_capacity_judgement: 30,
  hospital_readiness: 3, hospital_resources_reported: 25, hospital_icu_need: 45, hospital_capacity_shortage: 120,
};

// Hospitals a scenario deliberately sends more patients per hour than their planning reception at
// förstärkningsläge (reception_by_level.reinforced: about twice the baseline, docs/sources.md).
// Such a scenario must say so in its description ("över kapacitet"). Anything else that overloads
// a hospital is a mistake.
const INTENTIONAL_OVERLOAD = {
  'disco-fire': ['vasteras', 'akademiska', 'eskilstuna'],
};
// The same for the frozen format 1 copies: arboga-bus sent all six P1 to USÖ then; since format 2
// its first round waits for the receiving-hospitals decision, so the overload is the participants'.
const FROZEN_OVERLOAD = {
  'arboga-bus': ['uso'],
  'disco-fire': ['vasteras', 'akademiska', 'eskilstuna'],
};

// ---------------------------------------------------------------------------------------------
// Configuration

const configs = new Map();
function loadConfig(id) {
  if (configs.has(id)) return configs.get(id);
  const file = path.join(root, 'config', `${id}.json`);
  let config = null;
  if (/^[a-z0-9-]{1,40}$/.test(id) && existsSync(file)) {
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    const regions = new Map();
    const hospitals = new Map();
    for (const region of raw.regions) {
      regions.set(region.id, region);
      for (const hospital of region.hospitals) hospitals.set(hospital.id, { ...hospital, region: region.id });
    }
    config = { id: raw.healthcare_region.id, regions, hospitals };
  }
  configs.set(id, config);
  return config;
}

function bedCapacity(hospital, type) {
  const bed = hospital.beds?.[type];
  return bed ? bed.baseline + (bed.surge24h ?? 0) : 0;
}

function receptionBaseline(hospital, priority) {
  return hospital.reception_baseline?.[priority] ?? 0;
}

// "HH:MM" to minutes after midnight; null when malformed.
function parseClock(text) {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(text ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

// Whether a hospital's ED takes patients at a minute of the day (configuration ed_hours: from
// `open` up to `close`, over midnight when close is earlier; no ed_hours: always).
function edOpenAt(hospital, minuteOfDay) {
  if (!hospital.ed_hours) return true;
  const open = parseClock(hospital.ed_hours.open);
  const close = parseClock(hospital.ed_hours.close);
  const m = ((minuteOfDay % 1440) + 1440) % 1440;
  return open < close ? m >= open && m < close : m >= open || m < close;
}

function formatClock(minuteOfDay) {
  const m = ((Math.floor(minuteOfDay) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Cross-field rules

// "MM:SS" (minutes may exceed 59) or "HH:MM:SS" to milliseconds; null when malformed.
function parseAt(text) {
  const m = /^([0-9]{1,3}):([0-5][0-9])$/.exec(text) ?? /^([0-9]{1,2}):([0-5][0-9]):([0-5][0-9])$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  const seconds = parts.length === 2 ? parts[0] * 60 + parts[1] : (parts[0] * 60 + parts[1]) * 60 + parts[2];
  return seconds * 1000;
}

function formatMs(ms) {
  const s = Math.round(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

// Every problem docs/scenarios.md names that a schema cannot see, as "file: $.path: problem".
// Assumes the scenario passed the schema. `frozen`: a format 1 copy kept as it was, whose beds and
// suggest candidates need not fit a configuration changed since (Kullbergska's IVA went to 0 after);
// `config`: a configuration to check against instead of config/<healthcare_region>.json.
function crossCheck(scenario, file, { frozen = false, config: givenConfig } = {}) {
  const errors = [];
  const fail = (where, problem) => errors.push(`${file}: ${where}: ${problem}`);

  if (file !== `${scenario.id}.json`) fail('$.id', `file must be named ${scenario.id}.json`);
  const config = givenConfig ?? loadConfig(scenario.healthcare_region);
  if (!config) {
    fail('$.healthcare_region', `no configuration config/${scenario.healthcare_region}.json`);
    return errors;
  }
  const plannedMs = scenario.planned_duration_minutes * 60_000;
  const region = (id, where) => {
    if (!config.regions.has(id)) fail(where, `no region '${id}' in ${config.id}`);
  };
  const hospital = (id, where) => {
    if (!config.hospitals.has(id)) {
      fail(where, `no hospital '${id}' in ${config.id}`);
      return null;
    }
    return config.hospitals.get(id);
  };
  const checkReport = (id, report, where) => {
    const h = hospital(id, where);
    if (!h) return;
    for (const [type, bed] of Object.entries(report.beds ?? {})) {
      const capacity = (bed.baseline ?? h.beds?.[type]?.baseline ?? 0) + (bed.surge24h ?? h.beds?.[type]?.surge24h ?? 0);
      if (!frozen && bed.available !== undefined && bed.available > capacity) {
        fail(`${where}.beds.${type}.available`, `${bed.available} is more than baseline + surge ${capacity} of ${id}`);
      }
    }
  };

  for (const [id, report] of Object.entries(scenario.baseline?.hospitals ?? {})) {
    checkReport(id, report, `$.baseline.hospitals.${id}`);
  }
  for (const id of Object.keys(scenario.baseline?.regions ?? {})) region(id, `$.baseline.regions.${id}`);

  const injectById = new Map();
  scenario.injects.forEach((inject, i) => {
    if (injectById.has(inject.id)) fail(`$.injects[${i}].id`, `duplicate inject id '${inject.id}'`);
    else injectById.set(inject.id, { inject, at: parseAt(inject.at) });
  });

  const addressees = (to) => (to === 'all' ? [...config.regions.keys()] : to);
  const arrivals = []; // {hospital, priority, count, atMs}
  let checkpoints = 0;

  // Participation. The regions a scripted alert reaches, with the time of the first alert to each.
  const firstAlert = new Map();
  scenario.injects.forEach((inject) => {
    const at = parseAt(inject.at);
    if (inject.kind !== 'message' || inject.message_kind !== 'alert' || at === null) return;
    for (const r of addressees(inject.to)) {
      if (!firstAlert.has(r) || at < firstAlert.get(r)) firstAlert.set(r, at);
    }
  });
  (scenario.participating_regions ?? []).forEach((r, k) => region(r, `$.participating_regions[${k}]`));
  const participating = new Set(scenario.participating_regions ?? [...firstAlert.keys()]);
  const regionOf = (hospitalId) => config.hospitals.get(hospitalId)?.region;
  // The conventions below are not loader rules; they hold format 2 files to what the review needs.
  const format2 = scenario.format === 2;
  // Only a participant's event meets a checkpoint: one that names a region nobody plays is never met.
  const played = (r, where) => {
    if (format2 && config.regions.has(r) && !participating.has(r)) {
      fail(where, `'${r}' is not a participating region: only participants meet a checkpoint`);
    }
  };
  if (format2) {
    if (scenario.participating_regions === undefined) {
      fail('$.participating_regions', 'a format 2 scenario says which regions the participants play');
    }
    // The review judges the indicators for every region a larm reaches: those are the regions that play.
    for (const r of participating) {
      if (config.regions.has(r) && !firstAlert.has(r)) {
        fail('$.participating_regions', `'${r}' plays but no scripted alert reaches it, so no indicator is judged for it`);
      }
    }
    for (const r of firstAlert.keys()) {
      if (!participating.has(r)) {
        fail('$.participating_regions', `an alert reaches '${r}', which nobody plays: its indicators could never be met`);
      }
    }
    // Every indicator's target falls within the exercise, counted from the region's first alert.
    const targets = { ...INDICATOR_TARGETS, ...(scenario.indicator_targets ?? {}) };
    for (const [r, at] of firstAlert) {
      for (const [name, minutes] of Object.entries(targets)) {
        if (at + minutes * 60_000 > plannedMs) {
          fail(`$.indicator_targets.${name}`, `${name} for '${r}' is due at ${formatMs(at + minutes * 60_000)}, after the planned end; set a shorter target`);
        }
      }
    }
  }
  let declared = new Set();

  // The patient flow (deterioration, dispatch on decision, transfers, starts_at).
  const rules = new Map((scenario.deterioration ?? []).map((r) => [r.from, r]));
  const startsAt = scenario.starts_at === undefined ? null : parseClock(scenario.starts_at);
  const receivingTarget = { ...INDICATOR_TARGETS, ...(scenario.indicator_targets ?? {}) }.region_receiving_hospitals;
  // The first scripted receiving_hospitals decision for a region at or after a time, in ms.
  const scriptedDecision = (r, fromMs) => scenario.injects
    .filter((x) => x.kind === 'decision' && x.decision === 'receiving_hospitals' && x.region === r && parseAt(x.at) !== null && parseAt(x.at) >= fromMs)
    .sort((a, b) => parseAt(a.at) - parseAt(b.at))[0];
  // Not a loader rule: patients who are sent in time never worsen on the way. A rule due before an
  // arrival would punish a response that was not late.
  const worsensOnTheWay = (priorities, waitedMs, minutes, where, what) => {
    for (const p of priorities) {
      const rule = rules.get(p);
      if (rule && waitedMs + minutes * 60_000 > rule.after_minutes * 60_000) {
        fail(where, `${p} ${what} arrive ${formatMs(waitedMs + minutes * 60_000)} after getting their priority, later than the deterioration rule (${rule.after_minutes} min): they worsen on the way even when everyone acts in time`);
      }
    }
  };
  // Loader rule (starts_at): no patients to a hospital whose ED is closed at the clock time they are
  // sent; and, not a loader rule, nor when they arrive.
  const edOpen = (id, atMs, minutes, where) => {
    const h = config.hospitals.get(id);
    if (startsAt === null || !h) return;
    for (const [when, ms] of [['sent', atMs], ['arriving', atMs + minutes * 60_000]]) {
      const clock = startsAt + ms / 60_000;
      if (!edOpenAt(h, clock)) {
        fail(where, `${id}'s ED is closed at ${formatClock(clock)} (ed_hours ${h.ed_hours.open}–${h.ed_hours.close}), when the patients are ${when}`);
        return;
      }
    }
  };
  const transfers = []; // {inject, where, atMs}

  scenario.injects.forEach((inject, i) => {
    const where = `$.injects[${i}]`;
    const at = parseAt(inject.at);
    if (at === null) {
      fail(`${where}.at`, `'${inject.at}' is not MM:SS or HH:MM:SS`);
      return;
    }
    if (at > plannedMs) {
      fail(`${where}.at`, `${inject.at} is after planned_duration_minutes ${scenario.planned_duration_minutes}`);
    }
    switch (inject.kind) {
      case 'message': {
        if (inject.from !== undefined) region(inject.from, `${where}.from`);
        if (inject.to !== 'all') inject.to.forEach((r, k) => region(r, `${where}.to[${k}]`));
        break;
      }
      case 'decision': {
        region(inject.region, `${where}.region`);
        // Not a loader rule: a scripted decision is motspel, for a region the participants do not play.
        if (format2 && participating.has(inject.region)) {
          fail(`${where}.region`, `'${inject.region}' is a participating region: its participants make their own decisions`);
        }
        if (inject.hospital !== undefined) {
          const h = hospital(inject.hospital, `${where}.hospital`);
          if (h && h.region !== inject.region) fail(`${where}.hospital`, `${inject.hospital} is not a hospital of ${inject.region}`);
        }
        (inject.hospitals ?? []).forEach((id, k) => hospital(id, `${where}.hospitals[${k}]`));
        if (inject.to_region !== undefined) {
          region(inject.to_region, `${where}.to_region`);
          if (inject.to_region === inject.region) fail(`${where}.to_region`, 'support goes between two regions');
        }
        if (inject.decision === 'major_incident_declared') declared.add(`${inject.region}/${inject.hospital ?? ''}`);
        if (inject.decision === 'major_incident_stood_down' && !declared.has(`${inject.region}/${inject.hospital ?? ''}`)) {
          fail(`${where}.decision`, `stands down a major incident the script has not declared in ${inject.region}`);
        }
        break;
      }
      case 'casualty_wave': {
        const onDecision = inject.dispatch === 'on_decision';
        const present = PRIORITIES.filter((p) => (inject.casualties[p] ?? 0) > 0);
        if (inject.region !== undefined) region(inject.region, `${where}.region`);
        // Loader rule: no more burned than casualties of a priority.
        for (const [p, count] of Object.entries(inject.burns ?? {})) {
          if (count > (inject.casualties[p] ?? 0)) {
            fail(`${where}.burns.${p}`, `${count} burned is more burned than the ${inject.casualties[p] ?? 0} casualties of that priority`);
          }
        }
        // How long the patients may wait at the scene when everyone is in time (on decision: until
        // the region's receiving-hospitals target, or the scripted decision).
        let waitedMs = 0;
        if (onDecision) {
          if (participating.has(inject.region)) {
            // Not a loader rule: a decision recorded before the patients are at the scene does not
            // send them, and the indicator asks for it within minutes of the region's first larm.
            const alertMs = firstAlert.get(inject.region);
            if (alertMs !== undefined && at > alertMs) {
              fail(`${where}.at`, `the wave waits for ${inject.region}'s decision but comes at ${inject.at}, after its first larm (${formatMs(alertMs)}): a decision made in time, before the patients are at the scene, would not send them`);
            }
            waitedMs = Math.max(0, (alertMs ?? at) + receivingTarget * 60_000 - at);
          } else {
            const decision = scriptedDecision(inject.region, at);
            if (!decision || !decision.hospitals.some((id) => inject.transport_minutes[id] !== undefined)) {
              fail(`${where}.region`, `${inject.region} is played by the script and no scripted receiving_hospitals decision at or after ${inject.at} names one of the wave's hospitals: the patients would wait for ever`);
            } else {
              waitedMs = parseAt(decision.at) - at;
            }
          }
        }
        for (const id of Object.keys(inject.transport_minutes)) {
          const w = `${where}.transport_minutes.${id}`;
          const h = hospital(id, w);
          const minutes = inject.transport_minutes[id];
          // Not a loader rule: patients should reach hospital before the exercise ends.
          if (at + waitedMs + minutes * 60_000 > plannedMs) {
            fail(w, `arrival ${formatMs(at + waitedMs + minutes * 60_000)} is after the planned end`);
          }
          const candidate = onDecision || inject.distribution === 'suggest';
          if (!candidate) continue;  // a scripted distribution is checked per allocation below
          worsensOnTheWay(present, waitedMs, minutes, w, `sent to ${id}`);
          edOpen(id, at, minutes, w);
          if (h && format2 && !participating.has(h.region)) {
            fail(w, `${id} is in ${h.region}, which nobody plays`);
          }
          if (h && !frozen && present.includes('P1') && bedCapacity(h, 'AdultICU') === 0) {
            fail(w, `${id} may be given P1 patients but has no AdultICU beds`);
          }
          // Not a loader rule: with the scenario's own baseline, the suggestion should rest on
          // reception figures the scenario sets, so every run of it plays the same way.
          if (scenario.start_from === 'scenario') {
            const reception = scenario.baseline?.hospitals?.[id]?.reception ?? {};
            if (present.some((p) => reception[p] === undefined)) {
              fail(w, `suggest candidate ${id} has no reception figure in the baseline`);
            }
          }
        }
        if (onDecision || inject.distribution === 'suggest') break;
        const sums = { P1: 0, P2: 0, P3: 0 };
        const seen = new Set();
        inject.distribution.forEach((allocation, k) => {
          const w = `${where}.distribution[${k}]`;
          const h = hospital(allocation.hospital, `${w}.hospital`);
          if (seen.has(allocation.hospital)) fail(`${w}.hospital`, `'${allocation.hospital}' appears twice`);
          seen.add(allocation.hospital);
          const minutes = inject.transport_minutes[allocation.hospital];
          if (minutes === undefined) fail(`${w}.hospital`, `'${allocation.hospital}' has no transport_minutes`);
          if (minutes !== undefined) {
            worsensOnTheWay(PRIORITIES.filter((p) => (allocation[p] ?? 0) > 0), 0, minutes, w, `sent to ${allocation.hospital}`);
            edOpen(allocation.hospital, at, minutes, `${w}.hospital`);
          }
          for (const p of PRIORITIES) {
            const count = allocation[p] ?? 0;
            sums[p] += count;
            if (count > 0 && minutes !== undefined) {
              arrivals.push({ hospital: allocation.hospital, priority: p, count, atMs: at + minutes * 60_000 });
            }
          }
          // Not a loader rule: patients go to hospitals whose region is played, so someone receives them.
          if (h && format2 && !participating.has(h.region)) {
            fail(`${w}.hospital`, `${allocation.hospital} is in ${h.region}, which nobody plays`);
          }
          // Not a loader rule: a P1 belongs where there is intensive care.
          if (h && (allocation.P1 ?? 0) > 0 && bedCapacity(h, 'AdultICU') === 0) {
            fail(`${w}.P1`, `${allocation.hospital} has no AdultICU beds for P1 patients`);
          }
        });
        for (const p of PRIORITIES) {
          if (sums[p] !== (inject.casualties[p] ?? 0)) {
            fail(`${where}.distribution`, `${p} adds up to ${sums[p]}, casualties.${p} is ${inject.casualties[p] ?? 0}`);
          }
        }
        break;
      }
      case 'transfer': {
        const from = hospital(inject.from, `${where}.from`);
        const to = hospital(inject.to, `${where}.to`);
        if (inject.from === inject.to) fail(`${where}.to`, 'a transfer goes to another hospital');
        if ((inject.burns ?? 0) > (inject.patients.P1 ?? 0)) {
          fail(`${where}.burns`, `${inject.burns} burns, more than the ${inject.patients.P1 ?? 0} P1 moved`);
        }
        // Not loader rules: burned patients are moved to burn care, someone receives them, they
        // arrive before the end, and do not worsen on the way.
        if (to && (inject.burns ?? 0) > 0 && bedCapacity(to, 'Burn') === 0) {
          fail(`${where}.to`, `${inject.to} has no Burn beds for burned patients`);
        }
        if (to && format2 && !participating.has(to.region)) fail(`${where}.to`, `${inject.to} is in ${to.region}, which nobody plays`);
        if (from && format2 && !participating.has(from.region)) fail(`${where}.from`, `${inject.from} is in ${from.region}, which nobody plays`);
        if (at + inject.transport_minutes * 60_000 > plannedMs) {
          fail(`${where}.transport_minutes`, `arrival ${formatMs(at + inject.transport_minutes * 60_000)} is after the planned end`);
        }
        worsensOnTheWay(PRIORITIES.filter((p) => (inject.patients[p] ?? 0) > 0), 0, inject.transport_minutes, `${where}.transport_minutes`, 'moved');
        edOpen(inject.to, at, inject.transport_minutes, `${where}.to`);
        transfers.push({ inject, where, atMs: at });
        break;
      }
      case 'transport':
        region(inject.region, `${where}.region`);
        break;
      case 'capacity_change':
        checkReport(inject.hospital, inject, where);
        // Not a loader rule: the readiness inject's rule, for a capacity change that carries a level.
        if (format2 && inject.readiness !== undefined && participating.has(regionOf(inject.hospital))) {
          fail(`${where}.readiness`, `sets a level in ${regionOf(inject.hospital)}, a participating region: its participants set their own`);
        }
        break;
      case 'readiness': {
        if (inject.region !== undefined) region(inject.region, `${where}.region`);
        if (inject.hospital !== undefined) hospital(inject.hospital, `${where}.hospital`);
        // The participants set their own levels: a script never does it for them.
        const r = inject.region ?? regionOf(inject.hospital);
        if (scenario.participating_regions !== undefined && participating.has(r)) {
          fail(where, `sets a level in ${r}, a participating region: its participants set their own`);
        }
        break;
      }
      case 'checkpoint': {
        checkpoints += 1;
        // Not a loader rule: a checkpoint that can only close after the end is never judged.
        if (at + inject.within_minutes * 60_000 > plannedMs) {
          fail(`${where}.within_minutes`, `due ${formatMs(at + inject.within_minutes * 60_000)} is after the planned end`);
        }
        const e = inject.expect;
        const w = `${where}.expect`;
        if (e.event === 'region_readiness_set') {
          region(e.region, `${w}.region`);
          played(e.region, `${w}.region`);
        }
        if (e.event === 'decision_recorded') {
          if (e.region !== undefined) {
            region(e.region, `${w}.region`);
            played(e.region, `${w}.region`);
          }
          if (e.hospital !== undefined) {
            const h = hospital(e.hospital, `${w}.hospital`);
            if (h && e.region !== undefined && h.region !== e.region) fail(`${w}.hospital`, `${e.hospital} is not a hospital of ${e.region}`);
            if (h) played(h.region, `${w}.hospital`);
          }
        }
        if (e.event === 'capacity_reported' && e.hospitals === 'receiving' &&
            !scenario.injects.some((x) => x.kind === 'casualty_wave' && parseAt(x.at) !== null && parseAt(x.at) <= at)) {
          fail(`${w}.hospitals`, '"receiving" before any casualty wave has been sent');
        }
        if (e.event === 'capacity_reported' && Array.isArray(e.hospitals)) {
          e.hospitals.forEach((id, k) => {
            const h = hospital(id, `${w}.hospitals[${k}]`);
            if (h) played(h.region, `${w}.hospitals[${k}]`);
          });
        }
        if (e.event === 'message_posted' && e.from !== undefined) {
          region(e.from, `${w}.from`);
          played(e.from, `${w}.from`);
        }
        if (e.event === 'message_acknowledged') {
          const target = injectById.get(e.message);
          if (!target || target.inject.kind !== 'message') {
            fail(`${w}.message`, `'${e.message}' is not a message inject of this scenario`);
            break;
          }
          const message = target.inject;
          if (message.message_kind !== 'alert' && message.requires_ack !== true) {
            fail(`${w}.message`, `'${e.message}' does not require acknowledgement (not an alert, no requires_ack)`);
          }
          if (target.at !== null && at < target.at) {
            fail(`${where}.at`, `checkpoint opens before message '${e.message}' is sent (${message.at})`);
          }
          const to = addressees(message.to);
          (e.regions ?? []).forEach((r, k) => {
            region(r, `${w}.regions[${k}]`);
            if (!to.includes(r)) fail(`${w}.regions[${k}]`, `'${r}' is not an addressee of '${e.message}'`);
          });
          for (const r of e.regions ?? to) played(r, e.regions ? w : `${w}.message`);
        }
        break;
      }
      default:
        fail(`${where}.kind`, `unknown kind '${inject.kind}'`);
    }
  });

  // Not a loader rule (the loader cannot know): a scripted transfer moves patients the script has
  // brought to the hospital by then — arrivals of scripted waves and transfers, less earlier
  // transfers out. Patients of waves that wait for a decision arrive when the participants decide,
  // so they do not count. (Participants who move patients themselves can still make it fail.)
  transfers.sort((a, b) => a.atMs - b.atMs);
  const moved = []; // {hospital, priority, count, atMs}: +in at arrival, -out at departure
  for (const { inject, where, atMs } of transfers) {
    for (const p of PRIORITIES) {
      const count = inject.patients[p] ?? 0;
      if (count === 0) continue;
      const received = arrivals.filter((a) => a.hospital === inject.from && a.priority === p && a.atMs <= atMs)
        .reduce((n, a) => n + a.count, 0) +
        moved.filter((m) => m.hospital === inject.from && m.priority === p && m.atMs <= atMs).reduce((n, m) => n + m.count, 0);
      if (count > received) {
        fail(`${where}.patients.${p}`, `${inject.from} has received ${received} ${p} from scripted waves by ${inject.at}, not ${count}: the transfer would fail when played`);
      }
      moved.push({ hospital: inject.from, priority: p, count: -count, atMs });
      moved.push({ hospital: inject.to, priority: p, count, atMs: atMs + inject.transport_minutes * 60_000 });
    }
  }
  // A transfer's patients arrive like a wave's, and count in the reception load below.
  for (const m of moved) if (m.count > 0) arrivals.push(m);

  if (checkpoints < 2) fail('$.injects', `${checkpoints} checkpoint(s); every scenario needs at least 2`);
  if (!scenario.modelled_on?.source?.trim()) fail('$.modelled_on.source', 'missing public source');

  // Reception load: scripted arrivals per hospital and priority in any 60-minute window.
  const allowed = new Set((frozen ? FROZEN_OVERLOAD : INTENTIONAL_OVERLOAD)[scenario.id] ?? []);
  const overloaded = new Set();
  for (const h of new Set(arrivals.map((a) => a.hospital))) {
    const info = config.hospitals.get(h);
    if (!info) continue;
    const p1Total = arrivals.filter((a) => a.hospital === h && a.priority === 'P1').reduce((n, a) => n + a.count, 0);
    if (p1Total > bedCapacity(info, 'AdultICU')) {
      fail('$.injects', `${h} receives ${p1Total} P1, more than its AdultICU baseline + surge ${bedCapacity(info, 'AdultICU')}`);
    }
    for (const p of PRIORITIES) {
      const times = arrivals.filter((a) => a.hospital === h && a.priority === p);
      let peak = 0;
      for (const start of times) {
        const inHour = times.filter((a) => a.atMs >= start.atMs && a.atMs < start.atMs + 3_600_000);
        peak = Math.max(peak, inHour.reduce((n, a) => n + a.count, 0));
      }
      // The planning figure at förstärkningsläge (configuration reception_by_level; twice the
      // baseline where a hospital has none, the estimate's rule in docs/sources.md).
      const limit = info.reception_by_level?.reinforced?.[p] ?? 2 * receptionBaseline(info, p);
      if (peak > limit) overloaded.add(h);
      if (peak > limit && !allowed.has(h)) {
        fail('$.injects', `${h} receives ${peak} ${p} within an hour, more than its förstärkningsläge reception (${limit}, about twice its reception baseline); list it in INTENTIONAL_OVERLOAD and say so in the description if that is the point`);
      }
    }
  }
  for (const h of allowed) {
    if (!overloaded.has(h)) fail('$.injects', `${h} is listed in INTENTIONAL_OVERLOAD but is not overloaded`);
  }
  if (allowed.size > 0 && !/över kapacitet/i.test(scenario.description)) {
    fail('$.description', 'overloads hospitals on purpose but does not say "över kapacitet"');
  }
  return errors;
}

function schemaErrors(data) {
  return validate(data) ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
}

// ---------------------------------------------------------------------------------------------
// The scenario files

test('there are seven or more scenario files', () => {
  assert.ok(scenarios.length >= 7, `found ${scenarios.length}: ${files.join(', ')}`);
});

for (const { file, data } of scenarios) {
  test(`${file} is valid against docs/scenario.schema.json`, () => {
    assert.deepEqual(schemaErrors(data), []);
  });

  test(`${file} keeps the cross-field rules of docs/scenarios.md`, () => {
    assert.equal(validate(data), true, 'schema errors first');
    assert.deepEqual(crossCheck(data, file), []);
  });
}

for (const { file, data } of format1) {
  test(`format 1 copy ${file} is still valid against docs/scenario.schema.json`, () => {
    assert.equal(data.format, 1, 'the copies in tests/scenarios/format1/ stay in format 1');
    assert.deepEqual(schemaErrors(data), []);
  });

  test(`format 1 copy ${file} keeps the cross-field rules of docs/scenarios.md`, () => {
    assert.equal(validate(data), true, 'schema errors first');
    assert.deepEqual(crossCheck(data, file, { frozen: true }), []);
  });
}

test('the format 1 copies are the first six shipped scenarios', () => {
  const ids = scenarios.map((s) => s.data.id);
  assert.equal(format1.length, 6);
  for (const { data } of format1) assert.ok(ids.includes(data.id), `${data.id} is still shipped`);
});

test('every shipped scenario is in format 2', () => {
  for (const { file, data } of scenarios) assert.equal(data.format, 2, file);
});

test('scenario ids are unique across files', () => {
  const ids = scenarios.map((s) => s.data.id);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.deepEqual(duplicates, []);
});

test('the set covers what trainers need', () => {
  const demo = scenarios.filter((s) => /demo/.test(s.data.id) && s.data.planned_duration_minutes <= 10);
  assert.ok(demo.length >= 1, 'at least one demo scenario of at most 10 minutes');
  assert.ok(scenarios.some((s) => s.data.healthcare_region === 'sydost'), 'at least one sydost scenario');
  assert.ok(scenarios.some((s) => s.data.healthcare_region === 'mellansverige'), 'at least one mellansverige scenario');
  const injects = scenarios.flatMap((s) => s.data.injects);
  for (const kind of INJECT_KINDS) {
    assert.ok(injects.some((i) => i.kind === kind), `inject kind ${kind} is used`);
  }
  for (const kind of MESSAGE_KINDS) {
    assert.ok(injects.some((i) => i.kind === 'message' && i.message_kind === kind), `message_kind ${kind} is used`);
  }
  assert.ok(injects.some((i) => i.kind === 'casualty_wave' && i.distribution === 'suggest'), 'a "suggest" distribution');
  assert.ok(injects.some((i) => i.kind === 'casualty_wave' && Array.isArray(i.distribution)), 'a scripted distribution');
  assert.ok(scenarios.some((s) => s.data.start_from === 'live'), 'a scenario that starts from live');
  assert.ok(scenarios.some((s) => s.data.start_from === 'scenario'), 'a scenario with its own baseline');
  for (const event of CHECKPOINT_EVENTS) {
    assert.ok(injects.some((i) => i.kind === 'checkpoint' && i.expect.event === event), `checkpoint event ${event}`);
  }
  for (const sender of SENDERS) {
    assert.ok(injects.some((i) => i.kind === 'message' && i.sender === sender), `message sender ${sender}`);
  }
  assert.ok(scenarios.some((s) => s.data.indicator_targets !== undefined), 'a scenario with its own indicator targets');
  assert.ok(scenarios.some((s) => s.data.participating_regions.length === 1), 'a scenario one region plays');
  // The patient flow.
  const waves = injects.filter((i) => i.kind === 'casualty_wave');
  assert.ok(scenarios.filter((s) => s.data.injects.some((i) => i.kind === 'casualty_wave' && i.dispatch === 'on_decision')).length >= 2,
    'two or more scenarios whose first patients wait for the receiving-hospitals decision');
  assert.ok(waves.some((w) => w.burns !== undefined), 'burned casualties');
  assert.ok(scenarios.some((s) => (s.data.deterioration ?? []).some((r) => r.to === 'deceased')), 'a rule by which the waiting die');
  assert.ok(scenarios.some((s) => (s.data.deterioration ?? []).some((r) => r.to !== 'deceased')), 'a rule by which the waiting worsen');
  assert.ok(scenarios.some((s) => s.data.burns_need_icu === true), 'burned P1 that need IVA too');
  assert.ok(injects.some((i) => i.kind === 'transfer' && i.mode === 'helicopter'), 'a transfer by helicopter');
  assert.ok(injects.some((i) => i.kind === 'transport' && i.helicopters !== undefined), 'a report of helicopters');
  assert.ok(scenarios.filter((s) => s.data.starts_at !== undefined).length >= 2, 'scenarios set at a time of day');
});

test('a scenario at night finds the EDs that are closed at night closed', () => {
  // disco-fire is a Friday night: Köping's ED (ed_hours) is closed when it starts, so no wave may
  // send patients there (the loader refuses it; the cross-field check above too).
  const disco = scenarios.find((s) => s.data.id === 'disco-fire').data;
  const config = loadConfig(disco.healthcare_region);
  const koping = config.hospitals.get('koping');
  assert.ok(koping.ed_hours, 'Köping has ED hours in the configuration');
  assert.equal(edOpenAt(koping, parseClock(disco.starts_at)), false, 'Köping is closed at the start');
  for (const wave of disco.injects.filter((i) => i.kind === 'casualty_wave')) {
    assert.equal(wave.transport_minutes.koping, undefined, `${wave.id} sends nobody to Köping`);
  }
});

test('the burn scenarios send burned patients to the national burn centres', () => {
  // Both centres are needed in one scenario: burned patients are moved to Akademiska, and the overflow
  // to Linköping, in another healthcare region, is told of (a scenario runs under one configuration).
  const both = scenarios.filter((s) => s.data.injects.some((i) => i.kind === 'transfer' && i.to === 'akademiska' && (i.burns ?? 0) > 0) &&
    s.data.injects.some((i) => i.kind === 'message' && /Linköping/.test(i.text ?? '')));
  assert.ok(both.length >= 1, 'a scenario with transfers to Akademiska and the overflow to Linköping');
  for (const id of ['disco-fire', 'sydost-e4-granna', 'train-derailment', 'salen-bar-fire']) {
    const s = scenarios.find((x) => x.data.id === id);
    assert.ok(s, id);
    assert.ok(s.data.injects.some((i) => i.kind === 'casualty_wave' && Object.values(i.burns ?? {}).some((n) => n > 0)), `${id} marks its burned casualties`);
  }
});

test('every alert is spoken by someone and every scenario judges a decision', () => {
  for (const { file, data } of scenarios) {
    for (const inject of data.injects) {
      if (inject.kind === 'message' && inject.message_kind === 'alert') {
        assert.ok(inject.sender !== undefined, `${file}: alert '${inject.id}' says who sends it`);
      }
      if (inject.kind === 'message' && inject.message_kind === 'methane') {
        assert.equal(inject.sender, 'scene_command', `${file}: METHANE '${inject.id}' comes from the scene`);
      }
      // "Any message from the region" is not a decision: a message_posted checkpoint names its kind.
      if (inject.kind === 'checkpoint' && inject.expect.event === 'message_posted') {
        assert.ok(inject.expect.message_kind !== undefined && inject.expect.from !== undefined,
          `${file}: checkpoint '${inject.id}' names the region and the kind of message it expects`);
      }
    }
    assert.ok(data.injects.some((i) => i.kind === 'checkpoint' && i.expect.event === 'decision_recorded' &&
      i.expect.decision === 'receiving_hospitals'), `${file}: a checkpoint for the decision on receiving hospitals`);
  }
});

test('the demo starts every Uppsala, Västmanland and Örebro hospital with figures', () => {
  const demo = scenarios.find((s) => /demo/.test(s.data.id) && s.data.planned_duration_minutes <= 10).data;
  assert.equal(demo.start_from, 'scenario');
  const config = loadConfig(demo.healthcare_region);
  const expected = [...config.hospitals.values()]
    .filter((h) => ['uppsala', 'vastmanland', 'orebro'].includes(h.region))
    .map((h) => h.id)
    .sort();
  assert.deepEqual(Object.keys(demo.baseline.hospitals).sort(), expected);
  for (const id of expected) {
    const report = demo.baseline.hospitals[id];
    const h = config.hospitals.get(id);
    for (const type of Object.keys(h.beds)) {
      if (bedCapacity(h, type) > 0) assert.ok(report.beds?.[type]?.available !== undefined, `${id} ${type}`);
    }
    assert.deepEqual(Object.keys(report.reception ?? {}).sort(), PRIORITIES, `${id} reception`);
  }
});

// ---------------------------------------------------------------------------------------------
// The schema and the checks are not vacuous

const sample = () => structuredClone(scenarios.find((s) => s.data.id === 'demo-10min')?.data ?? scenarios[0].data);
// The patient flow's sample: deterioration, burns, a wave on decision, transfers and transport reports.
const flowSample = () => structuredClone(scenarios.find((s) => s.data.id === 'salen-bar-fire').data);

test('unmodified copies pass (control for the broken copies below)', () => {
  for (const s of [sample(), flowSample()]) {
    assert.deepEqual(schemaErrors(s), []);
    assert.deepEqual(crossCheck(s, `${s.id}.json`), []);
  }
});

// The first inject of that kind (matching pred), and its JSON pointer.
function pick(s, kind, pred = () => true) {
  const i = s.injects.findIndex((x) => x.kind === kind && pred(x));
  assert.notEqual(i, -1, `the sample has a ${kind} inject`);
  return [s.injects[i], `/injects/${i}`];
}
const isKind = (k) => (i) => i.message_kind === k;
const scripted = (i) => Array.isArray(i.distribution);

// Each mutation returns the JSON pointer where validation must report an error.
const broken = {
  'missing id': (s) => { delete s.id; return ''; },
  'id with capitals': (s) => { s.id = 'Demo'; return '/id'; },
  'format 3': (s) => { s.format = 3; return '/format'; },
  'format 1 with a decision inject': (s) => { s.format = 1; delete s.participating_regions; delete s.indicator_targets;
    s.injects.forEach((i) => delete i.sender); const [, at] = pick(s, 'decision'); return at; },
  'format 1 with a sender': (s) => { s.format = 1; delete s.participating_regions; delete s.indicator_targets;
    s.injects = s.injects.filter((i) => i.kind !== 'decision');
    const i = s.injects.findIndex((x) => x.sender !== undefined); return `/injects/${i}`; },
  'format 1 with participating_regions': (s) => { s.format = 1; return '/participating_regions'; },
  'format 1 with a decision checkpoint': (s) => { s.format = 1; delete s.participating_regions; delete s.indicator_targets;
    s.injects = s.injects.filter((i) => i.kind !== 'decision'); s.injects.forEach((i) => delete i.sender);
    const [, at] = pick(s, 'checkpoint', (i) => i.expect.event === 'decision_recorded'); return at; },
  'unknown indicator': (s) => { s.indicator_targets.region_speed = 3; return '/indicator_targets'; },
  'indicator target 0': (s) => { s.indicator_targets.region_readiness = 0; return '/indicator_targets/region_readiness'; },
  'indicator target above 1440': (s) => { s.indicator_targets.hospital_icu_need = 1441; return '/indicator_targets/hospital_icu_need'; },
  'empty participating_regions': (s) => { s.participating_regions = []; return '/participating_regions'; },
  'participating region twice': (s) => { s.participating_regions.push(s.participating_regions[0]); return '/participating_regions'; },
  'unknown sender': (s) => { const [m, at] = pick(s, 'message', (i) => i.sender !== undefined); m.sender = 'police'; return `${at}/sender`; },
  'rssl without from': (s) => { const [m, at] = pick(s, 'message', isKind('information')); m.sender = 'rssl'; delete m.from; return at; },
  'unknown decision': (s) => { const [d, at] = pick(s, 'decision'); d.decision = 'panic'; return at; },
  'decision without region': (s) => { const [d, at] = pick(s, 'decision'); delete d.region; return at; },
  'support offer without to_region': (s) => { const [d, at] = pick(s, 'decision'); delete d.to_region; return at; },
  'support offer of 0': (s) => { const [d, at] = pick(s, 'decision'); d.amount = 0; return at; },
  'support offer of an unknown resource': (s) => { const [d, at] = pick(s, 'decision'); d.resource = 'coffee'; return at; },
  'field of another decision': (s) => { const [d, at] = pick(s, 'decision'); d.judgement = 'strained'; return at; },
  'receiving_hospitals without hospitals': (s) => { const [d, at] = pick(s, 'decision');
    for (const k of ['to_region', 'resource', 'amount']) delete d[k]; d.decision = 'receiving_hospitals'; return at; },
  'capacity_judgement with an unknown judgement': (s) => { const [d, at] = pick(s, 'decision');
    for (const k of ['to_region', 'resource', 'amount']) delete d[k]; d.decision = 'capacity_judgement'; d.judgement = 'fine'; return at; },
  'decision reason too long': (s) => { const [d, at] = pick(s, 'decision'); d.reason = 'x'.repeat(501); return at; },
  'checkpoint for a readiness decision': (s) => {
    const [c, at] = pick(s, 'checkpoint', (i) => i.expect.event === 'decision_recorded');
    c.expect.decision = 'readiness_set';
    return `${at}/expect`;
  },
  'decision checkpoint with an unknown field': (s) => {
    const [c, at] = pick(s, 'checkpoint', (i) => i.expect.event === 'decision_recorded');
    c.expect.judgement = 'strained';
    return `${at}/expect`;
  },
  'bad at (seconds 60)': (s) => { s.injects[0].at = '00:60'; return '/injects/0/at'; },
  'bad at (not a time)': (s) => { s.injects[0].at = '5 min'; return '/injects/0/at'; },
  'bad at (hours with 3 digits)': (s) => { s.injects[0].at = '100:00:00'; return '/injects/0/at'; },
  'unknown kind': (s) => { s.injects[0].kind = 'explosion'; return '/injects/0/kind'; },
  'extra top-level property': (s) => { s.extra = true; return ''; },
  'extra inject property': (s) => { s.injects[0].colour = 'red'; return '/injects/0'; },
  'extra property in baseline bed': (s) => { s.baseline.hospitals.uso.beds.AdultICU.occupied = 2; return '/baseline/hospitals/uso/beds/AdultICU'; },
  'bad bed type in baseline': (s) => { s.baseline.hospitals.uso.beds.ICU = { available: 1 }; return '/baseline/hospitals/uso/beds'; },
  'bad bed type in capacity_change': (s) => {
    const [c, at] = pick(s, 'capacity_change');
    c.beds = { Intensive: { available: 1 } };
    return `${at}/beds`;
  },
  'negative available': (s) => { s.baseline.hospitals.uso.beds.AdultICU.available = -1; return '/baseline/hospitals/uso/beds/AdultICU/available'; },
  'bad ed_status': (s) => { const [c, at] = pick(s, 'capacity_change'); c.ed_status = 'full'; return `${at}/ed_status`; },
  'bad readiness level': (s) => { const [r, at] = pick(s, 'readiness'); r.level = 'panic'; return `${at}/level`; },
  'readiness with both region and hospital': (s) => { const [r, at] = pick(s, 'readiness'); r.region = 'orebro'; return at; },
  'capacity_change without reason': (s) => { const [c, at] = pick(s, 'capacity_change'); delete c.reason; return at; },
  'capacity_change with nothing to change': (s) => {
    const [c, at] = pick(s, 'capacity_change');
    delete c.beds; delete c.ed_status;
    return at;
  },
  'bad message_kind': (s) => { const [m, at] = pick(s, 'message'); m.message_kind = 'tweet'; return `${at}/message_kind`; },
  'alert without level': (s) => { const [m, at] = pick(s, 'message', isKind('alert')); delete m.level; return at; },
  'level on a non-alert': (s) => { const [m, at] = pick(s, 'message', isKind('information')); m.level = 'staff'; return at; },
  'methane without methane fields': (s) => { const [m, at] = pick(s, 'message', isKind('methane')); delete m.methane; return at; },
  'methane with only empty fields': (s) => {
    const [m, at] = pick(s, 'message', isKind('methane'));
    m.methane = { major_incident: '', type: '  ' };
    return `${at}/methane`;
  },
  'unknown METHANE field': (s) => { const [m, at] = pick(s, 'message', isKind('methane')); m.methane.weather = 'dimma'; return `${at}/methane`; },
  'information without text': (s) => { const [m, at] = pick(s, 'message', isKind('information')); delete m.text; return at; },
  'alert with blank text': (s) => { const [m, at] = pick(s, 'message', isKind('alert')); m.text = '   '; return `${at}/text`; },
  'fields on an alert': (s) => { const [m, at] = pick(s, 'message', isKind('alert')); m.fields = { a: 'b' }; return at; },
  'empty to list': (s) => { const [m, at] = pick(s, 'message'); m.to = []; return `${at}/to`; },
  'bad triage priority': (s) => { const [w, at] = pick(s, 'casualty_wave'); w.casualties.P4 = 1; return `${at}/casualties`; },
  'too many casualties': (s) => { const [w, at] = pick(s, 'casualty_wave'); w.casualties.P3 = 10001; return `${at}/casualties/P3`; },
  'distribution neither suggest nor list': (s) => { const [w, at] = pick(s, 'casualty_wave'); w.distribution = 'auto'; return `${at}/distribution`; },
  'transport over 600 minutes': (s) => { const [w, at] = pick(s, 'casualty_wave'); w.transport_minutes.uso = 601; return `${at}/transport_minutes/uso`; },
  'checkpoint with unknown event': (s) => { const [c, at] = pick(s, 'checkpoint'); c.expect = { event: 'coffee_served' }; return `${at}/expect`; },
  'checkpoint without within_minutes': (s) => { const [c, at] = pick(s, 'checkpoint'); delete c.within_minutes; return at; },
  'start_from unknown': (s) => { s.start_from = 'yesterday'; return '/start_from'; },
  'duration 0': (s) => { s.planned_duration_minutes = 0; return '/planned_duration_minutes'; },
  'duration above 1440': (s) => { s.planned_duration_minutes = 1441; return '/planned_duration_minutes'; },
  'no injects': (s) => { s.injects = []; return '/injects'; },
  'name too long': (s) => { s.name = 'x'.repeat(121); return '/name'; },
  'modelled_on without source': (s) => { delete s.modelled_on.source; return '/modelled_on'; },
};

for (const [what, mutate] of Object.entries(broken)) {
  test(`schema refuses a broken copy: ${what}`, () => {
    const s = sample();
    const where = mutate(s);
    assert.equal(validate(s), false, `${what} should fail validation`);
    const paths = validate.errors.map((e) => e.instancePath);
    assert.ok(paths.some((p) => p === where || p.startsWith(`${where}/`)),
      `expected an error at '${where}', got ${JSON.stringify(paths)}`);
  });
}

// The same for the patient flow, on flowSample().
const onDecision = (i) => i.dispatch === 'on_decision';
const brokenFlow = {
  'deterioration to a less urgent priority': (s) => { s.deterioration[1].to = 'P3'; return '/deterioration/1'; },
  'P1 that deteriorates to P1': (s) => { s.deterioration[0].to = 'P1'; return '/deterioration/0'; },
  'two rules for one priority': (s) => { s.deterioration.push({ ...s.deterioration[0], after_minutes: 200 }); return '/deterioration'; },
  'deterioration after 0 minutes': (s) => { s.deterioration[0].after_minutes = 0; return '/deterioration/0/after_minutes'; },
  'deterioration share 0': (s) => { s.deterioration[0].share_percent = 0; return '/deterioration/0/share_percent'; },
  'deterioration share above 100': (s) => { s.deterioration[0].share_percent = 101; return '/deterioration/0/share_percent'; },
  'deterioration of the dead': (s) => { s.deterioration[0].from = 'deceased'; return '/deterioration/0'; },
  'deterioration with an unknown field': (s) => { s.deterioration[0].chance = 5; return '/deterioration/0'; },
  'burns_need_icu as a word': (s) => { s.burns_need_icu = 'yes'; return '/burns_need_icu'; },
  'starts_at 24:00': (s) => { s.starts_at = '24:00'; return '/starts_at'; },
  'starts_at with seconds': (s) => { s.starts_at = '01:40:00'; return '/starts_at'; },
  'format 1 with deterioration': (s) => { s.format = 1; return '/deterioration'; },
  'format 1 with starts_at': (s) => { s.format = 1; s.starts_at = '01:40'; return '/starts_at'; },
  'format 1 with a transfer': (s) => { s.format = 1; const [, at] = pick(s, 'transfer'); return at; },
  'format 1 with burned casualties': (s) => { s.format = 1; const [, at] = pick(s, 'casualty_wave', (i) => i.burns !== undefined); return at; },
  'wave on decision with a distribution': (s) => { const [w, at] = pick(s, 'casualty_wave', onDecision);
    w.distribution = 'suggest'; return at; },
  'wave on decision without its region': (s) => { const [w, at] = pick(s, 'casualty_wave', onDecision); delete w.region; return at; },
  'unknown dispatch': (s) => { const [w, at] = pick(s, 'casualty_wave', onDecision); w.dispatch = 'later'; return at; },
  'wave sent at once without a distribution': (s) => { const [w, at] = pick(s, 'casualty_wave', onDecision); delete w.dispatch; return at; },
  'burns of the dead': (s) => { const [w, at] = pick(s, 'casualty_wave', (i) => i.burns !== undefined); w.burns.deceased = 1; return at; },
  'negative burns': (s) => { const [w, at] = pick(s, 'casualty_wave', (i) => i.burns !== undefined); w.burns.P1 = -1; return at; },
  'transfer without transport_minutes': (s) => { const [x, at] = pick(s, 'transfer'); delete x.transport_minutes; return at; },
  'transfer of nobody': (s) => { const [x, at] = pick(s, 'transfer'); x.patients = { P1: 0 }; x.burns = 0; return at; },
  'transfer by boat': (s) => { const [x, at] = pick(s, 'transfer'); x.mode = 'boat'; return at; },
  'transfer over 600 minutes': (s) => { const [x, at] = pick(s, 'transfer'); x.transport_minutes = 601; return at; },
  'transfer with a blank reason': (s) => { const [x, at] = pick(s, 'transfer'); x.reason = '  '; return at; },
  'transport without figures': (s) => { const [x, at] = pick(s, 'transport'); delete x.ambulances; delete x.helicopters; return at; },
  'transport with empty ambulances': (s) => { const [x, at] = pick(s, 'transport'); x.ambulances = {}; return at; },
  'transport with an unknown figure': (s) => { const [x, at] = pick(s, 'transport'); x.ambulances = { parked: 2 }; return at; },
  'transport without region': (s) => { const [x, at] = pick(s, 'transport'); delete x.region; return at; },
};

for (const [what, mutate] of Object.entries(brokenFlow)) {
  test(`schema refuses a broken copy: ${what}`, () => {
    const s = flowSample();
    const where = mutate(s);
    assert.equal(validate(s), false, `${what} should fail validation`);
    const paths = validate.errors.map((e) => e.instancePath);
    assert.ok(paths.some((p) => p === where || p.startsWith(`${where}/`)),
      `expected an error at '${where}', got ${JSON.stringify(paths)}`);
  });
}

// Each mutation returns the copy (and optionally another file name) and a text the report must contain.
const brokenCross = {
  'file name differs from id': (s) => ({ s, file: 'other.json', expect: 'must be named' }),
  'distribution does not add up': (s) => {
    pick(s, 'casualty_wave', scripted)[0].casualties.P2 += 1;
    return { s, expect: 'P2 adds up to' };
  },
  'distributed hospital without transport_minutes': (s) => {
    const [wave] = pick(s, 'casualty_wave', scripted);
    delete wave.transport_minutes[wave.distribution[0].hospital];
    return { s, expect: 'has no transport_minutes' };
  },
  'hospital twice in a distribution': (s) => {
    const [wave] = pick(s, 'casualty_wave', scripted);
    wave.distribution.push({ hospital: wave.distribution[0].hospital, P1: 0, P2: 0, P3: 0 });
    return { s, expect: 'appears twice' };
  },
  'unknown hospital': (s) => { pick(s, 'capacity_change')[0].hospital = 'sahlgrenska'; return { s, expect: "no hospital 'sahlgrenska'" }; },
  'unknown region': (s) => { pick(s, 'message')[0].to = ['stockholm']; return { s, expect: "no region 'stockholm'" }; },
  'hospital of another healthcare region': (s) => { pick(s, 'readiness')[0].hospital = 'linkoping'; return { s, expect: "no hospital 'linkoping'" }; },
  'scripted readiness in a participating region': (s) => {
    s.injects.push({ id: 'x-readiness', at: '02:00', kind: 'readiness', region: 'orebro', level: 'reinforced' });
    return { s, expect: 'participants set their own' };
  },
  'scripted hospital readiness in a participating region': (s) => {
    pick(s, 'readiness')[0].hospital = 'uso';
    return { s, expect: 'participants set their own' };
  },
  'capacity change with a level in a participating region': (s) => {
    pick(s, 'capacity_change')[0].readiness = 'disaster';
    return { s, expect: 'participants set their own' };
  },
  'scripted decision for a participating region': (s) => {
    const [d] = pick(s, 'decision');
    d.region = 'uppsala';
    return { s, expect: "'uppsala' is a participating region" };
  },
  'decision naming a hospital of another region': (s) => {
    const [d] = pick(s, 'decision');
    s.injects.push({ id: 'x-judgement', at: '07:00', kind: 'decision', decision: 'capacity_judgement',
      region: d.region, hospital: 'uso', judgement: 'strained' });
    return { s, expect: 'is not a hospital of' };
  },
  'support to the own region': (s) => { const [d] = pick(s, 'decision'); d.to_region = d.region; return { s, expect: 'between two regions' }; },
  'stand-down of a major incident never declared': (s) => {
    const [d] = pick(s, 'decision');
    s.injects.push({ id: 'x-stood-down', at: '07:00', kind: 'decision', decision: 'major_incident_stood_down', region: d.region });
    return { s, expect: 'has not declared' };
  },
  'unknown participating region': (s) => { s.participating_regions.push('stockholm'); return { s, expect: "no region 'stockholm'" }; },
  'participating region no larm reaches': (s) => { s.participating_regions.push('dalarna'); return { s, expect: 'no scripted alert reaches it' }; },
  'larm to a region nobody plays': (s) => {
    s.participating_regions = s.participating_regions.filter((r) => r !== 'uppsala');
    return { s, expect: "an alert reaches 'uppsala', which nobody plays" };
  },
  'no participating_regions in format 2': (s) => { delete s.participating_regions; return { s, expect: 'says which regions' }; },
  'checkpoint only a region nobody plays can meet': (s) => {
    pick(s, 'checkpoint', (i) => i.expect.event === 'decision_recorded')[0].expect.region = 'dalarna';
    return { s, expect: "'dalarna' is not a participating region" };
  },
  'decision checkpoint naming a hospital of another region': (s) => {
    const [c] = pick(s, 'checkpoint', (i) => i.expect.event === 'decision_recorded' && i.expect.hospital !== undefined);
    c.expect.hospital = 'vasteras';
    return { s, expect: 'is not a hospital of' };
  },
  'patients to a hospital nobody plays': (s) => {
    const [wave] = pick(s, 'casualty_wave', scripted);
    wave.casualties.P3 += 1;
    wave.distribution.push({ hospital: 'falun', P1: 0, P2: 0, P3: 1 });
    wave.transport_minutes.falun = 3;
    return { s, expect: 'which nobody plays' };
  },
  'indicator target after the planned end': (s) => { s.indicator_targets.hospital_capacity_shortage = 11; return { s, expect: 'after the planned end' }; },
  'default indicator target after the planned end': (s) => { delete s.indicator_targets.hospital_icu_need; return { s, expect: 'hospital_icu_need' }; },
  'duplicate inject id': (s) => { s.injects[1].id = s.injects[0].id; return { s, expect: 'duplicate inject id' }; },
  'at after the planned duration': (s) => { s.injects[0].at = '10:01'; return { s, expect: 'after planned_duration_minutes' }; },
  'checkpoint names a missing message': (s) => {
    pick(s, 'checkpoint', (i) => i.expect.event === 'message_acknowledged')[0].expect.message = 'nope';
    return { s, expect: "'nope' is not a message inject" };
  },
  'acknowledgement of a message that needs none': (s) => {
    const [info] = pick(s, 'message', isKind('information'));
    pick(s, 'checkpoint', (i) => i.expect.event === 'message_acknowledged')[0].expect.message = info.id;
    return { s, expect: 'does not require acknowledgement' };
  },
  'available above baseline + surge': (s) => { s.baseline.hospitals.uso.beds.AdultICU.available = 99; return { s, expect: 'more than baseline + surge' }; },
  'only one checkpoint': (s) => {
    let kept = false;
    s.injects = s.injects.filter((i) => i.kind !== 'checkpoint' || (!kept && (kept = true)));
    return { s, expect: 'at least 2' };
  },
  'unknown healthcare_region': (s) => { s.healthcare_region = 'norrland'; return { s, expect: 'no configuration' }; },
  'P1 to a hospital without intensive care': (s) => {
    const [wave] = pick(s, 'casualty_wave', scripted);
    wave.casualties.P1 += 1;
    wave.distribution.push({ hospital: 'koping', P1: 1, P2: 0, P3: 0 });
    wave.transport_minutes.koping = 2;
    return { s, expect: 'has no AdultICU beds' };
  },
  'overloaded hospital not declared': (s) => {
    const [wave] = pick(s, 'casualty_wave', scripted);
    wave.casualties.P3 += 40;
    wave.distribution[0].P3 = (wave.distribution[0].P3 ?? 0) + 40;
    return { s, expect: 'more than its förstärkningsläge reception' };
  },
  'suggest candidate without a reception figure': (s) => {
    const [wave] = pick(s, 'casualty_wave', (i) => i.distribution === 'suggest');
    wave.transport_minutes.falun = 5;
    return { s, expect: 'no reception figure' };
  },
};

for (const [what, mutate] of Object.entries(brokenCross)) {
  test(`cross-field check refuses a broken copy: ${what}`, () => {
    const { s, file, expect } = mutate(sample());
    assert.deepEqual(schemaErrors(s), [], 'the copy is still schema-valid');
    const errors = crossCheck(s, file ?? `${s.id}.json`);
    assert.ok(errors.some((e) => e.includes(expect)), `expected '${expect}' in ${JSON.stringify(errors)}`);
  });
}

// The patient flow's cross-field rules, on flowSample(); `config` replaces the file's configuration.
const withConfig = (change) => {
  const raw = JSON.parse(readFileSync(path.join(root, 'config', 'mellansverige.json'), 'utf8'));
  change(raw);
  const regions = new Map();
  const hospitals = new Map();
  for (const r of raw.regions) {
    regions.set(r.id, r);
    for (const h of r.hospitals) hospitals.set(h.id, { ...h, region: r.id });
  }
  return { id: raw.healthcare_region.id, regions, hospitals };
};
const hospitalIn = (raw, id) => raw.regions.flatMap((r) => r.hospitals).find((h) => h.id === id);
const brokenFlowCross = {
  'more burned than casualties': (s) => { pick(s, 'casualty_wave', onDecision)[0].burns.P2 = 3; return { s, expect: 'more burned' }; },
  'transfer to the same hospital': (s) => { const [x] = pick(s, 'transfer'); x.to = x.from; return { s, expect: 'another hospital' }; },
  'transfer with more burns than P1': (s) => { pick(s, 'transfer')[0].burns = 2; return { s, expect: 'more than the 1 P1' }; },
  'transfer before the patients have arrived': (s) => { pick(s, 'transfer')[0].at = '01:00:00'; return { s, expect: 'the transfer would fail' }; },
  'transfer of more patients than arrived': (s) => { const [x] = pick(s, 'transfer'); x.patients.P1 = 2; x.burns = 2; return { s, expect: 'not 2' }; },
  'transfer that counts patients still waiting for a decision': (s) => {
    const [x] = pick(s, 'transfer');
    x.from = 'torsby';
    x.at = '01:50:00';
    return { s, expect: 'the transfer would fail' };
  },
  'burned patients moved where there is no burn care': (s) => { pick(s, 'transfer')[0].to = 'karlstad'; return { s, expect: 'no Burn beds' }; },
  'transfer to a hospital nobody plays': (s) => { const [x] = pick(s, 'transfer'); x.to = 'uso'; x.burns = 0; return { s, expect: 'which nobody plays' }; },
  'transfer arriving after the end': (s) => { pick(s, 'transfer', (i) => i.id === 'flytt-mora-2')[0].transport_minutes = 200; return { s, expect: 'after the planned end' }; },
  'transport for an unknown region': (s) => { pick(s, 'transport')[0].region = 'skane'; return { s, expect: "no region 'skane'" }; },
  'wave on decision after its region\'s larm': (s) => { pick(s, 'casualty_wave', onDecision)[0].at = '08:00'; return { s, expect: 'after its first larm' }; },
  'wave on decision for a region the script plays, never decided': (s) => {
    pick(s, 'casualty_wave', onDecision)[0].region = 'gavleborg';
    return { s, expect: 'wait for ever' };
  },
  'wave on decision to a hospital nobody plays': (s) => {
    pick(s, 'casualty_wave', onDecision)[0].transport_minutes.gavle = 60;
    return { s, expect: 'which nobody plays' };
  },
  'wave on decision that may send P1 where there is no IVA': (s) => {
    s.participating_regions.push('vastmanland');
    s.injects.push({ id: 'x-larm', at: '00:00', kind: 'message', sender: 'sos_alarm', to: ['vastmanland'], message_kind: 'alert', level: 'staff', text: 'Larm' });
    pick(s, 'casualty_wave', onDecision)[0].transport_minutes.koping = 60;
    s.baseline.hospitals.koping = { reception: { P1: 0, P2: 1, P3: 3 } };
    return { s, expect: 'has no AdultICU beds' };
  },
  'candidate on decision without a reception figure': (s) => {
    pick(s, 'casualty_wave', onDecision)[0].transport_minutes.arvika = 100;
    return { s, expect: 'no reception figure' };
  },
  'P1 who die on the way though sent in time': (s) => { s.deterioration[0].after_minutes = 100; return { s, expect: 'worsen on the way' }; },
  'P2 who worsen on a long drive': (s) => { pick(s, 'casualty_wave', (i) => i.id === 'sal-3')[0].transport_minutes.karlstad = 200; return { s, expect: 'worsen on the way' }; },
  'patients sent to an ED closed at that hour': (s) => {
    s.starts_at = '01:40';
    const config = withConfig((raw) => { hospitalIn(raw, 'torsby').ed_hours = { open: '07:00', close: '21:00' }; });
    return { s, config, expect: "torsby's ED is closed at 01:40" };
  },
  'patients arriving at an ED that closes on the way': (s) => {
    s.starts_at = '20:00';
    const config = withConfig((raw) => { hospitalIn(raw, 'mora').ed_hours = { open: '07:00', close: '21:00' }; });
    return { s, config, expect: 'when the patients are arriving' };
  },
  'a transfer to an ED closed over midnight': (s) => {
    s.starts_at = '01:40';
    const config = withConfig((raw) => { hospitalIn(raw, 'akademiska').ed_hours = { open: '06:00', close: '02:00' }; });
    return { s, config, expect: "akademiska's ED is closed" };
  },
};

for (const [what, mutate] of Object.entries(brokenFlowCross)) {
  test(`cross-field check refuses a broken copy: ${what}`, () => {
    const { s, config, expect } = mutate(flowSample());
    assert.deepEqual(schemaErrors(s), [], 'the copy is still schema-valid');
    const errors = crossCheck(s, `${s.id}.json`, { config });
    assert.ok(errors.some((e) => e.includes(expect)), `expected '${expect}' in ${JSON.stringify(errors)}`);
  });
}

test('ED hours: open from open up to close, over midnight when close is earlier', () => {
  const day = { ed_hours: { open: '07:00', close: '21:00' } };
  const night = { ed_hours: { open: '22:00', close: '06:00' } };
  assert.deepEqual([6 * 60 + 59, 7 * 60, 20 * 60 + 59, 21 * 60, 25 * 60].map((m) => edOpenAt(day, m)), [false, true, true, false, false]);
  assert.deepEqual([21 * 60 + 59, 22 * 60, 0, 5 * 60 + 59, 6 * 60].map((m) => edOpenAt(night, m)), [false, true, true, true, false]);
  assert.equal(edOpenAt({}, 3 * 60), true);
});
