// Lägesbild — Swedish words for what the server sends as data (kind plus fields): why a hospital
// is över kapacitet, what each event of an exercise's review timeline did, what each inject of a
// scenario will do, and what each decision (beslut) was. The server's core is language-free; the pages word it here. Pure: no DOM.
// A server older than the structured forms sent the words themselves: a string is shown as it is.

import {
  READINESS, MESSAGE_KINDS, EXERCISE_STATUS, PRIORITIES, EVENT_KINDS, JUDGEMENTS, RESOURCES, TRANSPORT_MODES,
} from './common.js';
import {transportFigures} from './transport.js';

const int = (v) => (Number.isFinite(Number(v)) ? String(Math.trunc(Number(v))) : '–');
const str = (v) => (v === null || v === undefined ? '' : String(v));
const levelText = (level) => READINESS[level]?.label || str(level);
const nameOr = (name, id) => str(name) || str(id);

/** "P1 5, P2 3, P3 12" from {P1: 5, P2: 3, P3: 12} (or [5, 3, 12]). */
export function patientsText(counts) {
  const of = (p, i) => (Array.isArray(counts) ? counts[i] : counts?.[p]) ?? 0;
  return PRIORITIES.map((p, i) => `${p} ${int(of(p, i))}`).join(', ');
}

/**
 * hospital.casualties.over_capacity_reason: {kind: "icu_short", p1, free_icu} → "5 P1 men 2 lediga
 * IVA-platser"; {kind: "reception_rate", priority, last_hour, per_hour} → "9 P2 senaste timmen,
 * mottagning 8/tim"; null → "".
 */
export function overCapacityText(reason) {
  if (typeof reason === 'string') return reason.trim();
  if (!reason || typeof reason !== 'object') return '';
  if (reason.kind === 'icu_short') return `${int(reason.p1)} P1 men ${int(reason.free_icu)} lediga IVA-platser`;
  if (reason.kind === 'reception_rate') {
    return `${int(reason.last_hour)} ${str(reason.priority)} senaste timmen, mottagning ${int(reason.per_hour)}/tim`;
  }
  if (reason.kind === 'burn_short') {
    return `${int(reason.burns)} brännskadade, ${int(reason.free_burn)} ${Number(reason.free_burn) === 1
      ? 'ledig brännskadeplats' : 'lediga brännskadeplatser'}`;
  }
  return 'Över kapacitet';
}

/** "2 P1, 1 P2": only the priorities with patients ("inga patienter" when none). */
export function patientCounts(counts) {
  const parts = PRIORITIES.filter((p) => Number(counts?.[p]) > 0).map((p) => `${int(counts[p])} ${p}`);
  return parts.length ? parts.join(', ') : 'inga patienter';
}

/** A change of priority to death: `to` "deceased" (or null: no priority left). */
export const diedTo = (to) => to === null || ['deceased', 'dead', 'died'].includes(to);

/**
 * One change of priority while waiting ({from, to, count}; `to` null or "deceased" for those who
 * died): "3 P2 försämrades till P1", "1 P1 avled under väntan".
 */
export function deteriorationText(change) {
  const n = int(change?.count);
  const from = str(change?.from ?? change?.priority);
  if (diedTo(change?.to)) return `${n} ${from} avled under väntan`.replace(/\s+/g, ' ');
  return `${n} ${from} försämrades till ${str(change?.to)}`.replace(/\s+/g, ' ');
}

/** Where a wave's patients are, for a summary: its location (`names.wave(id)` knows it), else the wave's id. */
const waveWhere = (summary, names = {}) => str(summary.location) || str(names.wave?.(summary.wave)) || str(summary.wave);

/**
 * patients_deteriorated: "3 P2 försämrades till P1 (E18 vid Arboga)", "… på väg till USÖ" for a
 * group on its way; several changes at once are joined with "; ".
 */
export function deterioratedText(summary, names = {}) {
  const changes = Array.isArray(summary?.changes) && summary.changes.length ? summary.changes : [summary];
  // A summary with the kind only (an older server's review): the kind's name.
  if (!changes.some((c) => c && c.count !== undefined)) return EVENT_KINDS.patients_deteriorated;
  const where = summary ? waveWhere(summary, names) : '';
  const to = summary?.hospital ? ` på väg till ${str(summary.hospital_name) || names.hospital?.(summary.hospital) || str(summary.hospital)}` : '';
  return `${changes.map(deteriorationText).join('; ')}${to}${where ? ` (${where})` : ''}`;
}

/**
 * patients_transferred: "Sekundärtransport Västmanlands sjukhus Västerås → Akademiska sjukhuset:
 * 2 P1 (varav 2 brännskadade), helikopter, 40 min". `names.hospital(id)` gives a hospital's name.
 */
export function transferText(summary, names = {}) {
  // A summary with the kind only: the kind's name.
  if (!summary?.to && !summary?.from && !summary?.hospital) return EVENT_KINDS.patients_transferred;
  const hospital = (id, name) => str(name) || names.hospital?.(id) || str(id);
  // The review names the hospital left as the summary's `hospital`; an event or inject as `from`.
  const from = summary?.from !== undefined ? hospital(summary.from, summary.from_name)
    : hospital(summary?.hospital, summary?.hospital_name);
  const to = hospital(summary?.to, summary?.to_name);
  const burns = Number(summary?.burns) > 0 ? ` (varav ${int(summary.burns)} brännskadade)` : '';
  const mode = TRANSPORT_MODES[summary?.mode]?.word ?? (summary?.mode ? '' : TRANSPORT_MODES.ambulance.word);
  const minutes = Number.isFinite(Number(summary?.transport_minutes)) && summary.transport_minutes !== null
    ? `, ${int(summary.transport_minutes)} min` : '';
  return `Sekundärtransport ${from} → ${to}: ${patientCounts(summary?.patients)}${burns}` +
    `${mode ? `, ${mode}` : ''}${minutes}`;
}

/**
 * transport_reported: "Ambulanser rapporterade – Region Örebro län: ambulanser 6 lediga · 9 i uppdrag,
 * helikoptrar 1 ledig · 1 i uppdrag" (the figures when the summary carries them).
 */
export function transportReportedText(summary, names = {}) {
  const region = summary?.region ? ` – ${names.region?.(summary.region) || str(summary.region)}` : '';
  const parts = [['ambulances', 'ambulanser'], ['helicopters', 'helikoptrar']]
    .filter(([k]) => summary?.[k] && typeof summary[k] === 'object')
    .map(([k, word]) => `${word} ${transportFigures(summary[k])}`);
  const what = summary?.ambulances && summary?.helicopters ? 'Ambulanser och helikoptrar rapporterade'
    : summary?.helicopters ? 'Helikoptrar rapporterade' : 'Ambulanser rapporterade';
  return `${what}${region}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** "meddelande nr 12" for a message id "<space>:12"; any other text as it is. */
export function messageRef(id) {
  const seq = /:(\d+)$/.exec(str(id));
  return seq ? `meddelande nr ${seq[1]}` : str(id);
}

/** "2 ambulanser", "1 IVA-plats": a count of a resource (protocol.md `resource`). */
export function resourceCount(resource, amount) {
  const n = Number(amount);
  const r = RESOURCES[resource];
  if (!r) return int(amount);
  return `${int(n)} ${n === 1 ? r.unit[0] : r.unit[1]}`;
}

/**
 * A decision record (state.decisions, a delta's `decision`) in words: "Allvarlig händelse utlöst –
 * Region Uppsala", "Mottagande sjukhus: Akademiska sjukhuset, Lasarettet i Enköping",
 * "Kapacitetsbrist IVA: 3 – Akademiska sjukhuset", "Begär stöd av Region Örebro län: 2 ambulanser",
 * "Beredskapsläge: förstärkningsläge – Region Uppsala". `names` gives what the page knows:
 * {region(id), hospital(id), incident(id)} → words; unknown ids are shown as they are.
 */
export function decisionText(rec, names = {}) {
  if (!rec || typeof rec !== 'object') return 'Beslut';
  const region = (id) => names.region?.(id) || str(id);
  const hospital = (id) => names.hospital?.(id) || str(id);
  const subject = rec.hospital ? hospital(rec.hospital) : region(rec.region);
  const about = subject ? ` – ${subject}` : '';
  const resource = RESOURCES[rec.resource];
  switch (rec.decision) {
    case 'major_incident_declared': return `Allvarlig händelse utlöst${about}`;
    case 'major_incident_stood_down': return `Allvarlig händelse avblåst${about}`;
    case 'receiving_hospitals': {
      const list = (Array.isArray(rec.hospitals) ? rec.hospitals : []).map(hospital).join(', ');
      const incident = rec.incident ? (names.incident?.(rec.incident) || messageRef(rec.incident)) : '';
      return `Mottagande sjukhus: ${list || '–'}${incident ? ` (gäller ${incident})` : ''}`;
    }
    case 'capacity_judgement':
      return `Egen kapacitet: ${JUDGEMENTS[rec.judgement]?.label || str(rec.judgement)}${about}`;
    case 'icu_need': return `Uppskattat IVA-behov: ${int(rec.icu_beds)}${about}`;
    case 'capacity_shortage': {
      const what = resource ? resource.short : str(rec.resource);
      const n = Number(rec.amount);
      return `Kapacitetsbrist ${what}: ${n === 0 ? 'Ingen brist' : int(n)}${about}`;
    }
    case 'support_request': return `Begär stöd av ${region(rec.to_region)}: ${resourceCount(rec.resource, rec.amount)}`;
    case 'support_offer': return `Erbjuder stöd till ${region(rec.to_region)}: ${resourceCount(rec.resource, rec.amount)}`;
    case 'readiness_set':
      return `Beredskapsläge: ${READINESS[rec.level]?.label.toLowerCase() || str(rec.level)}${about}`;
    default: return 'Beslut';
  }
}

/**
 * One entry of the review timeline (GET /api/review, `summary`), in words. `names` gives what the
 * page knows: {region(id) → name}. A hospital's name comes with the summary.
 */
export function timelineText(summary, names = {}) {
  if (typeof summary === 'string') return summary;
  if (!summary || typeof summary !== 'object') return '';
  const region = (id) => names.region?.(id) || str(id);
  const hospital = nameOr(summary.hospital_name, summary.hospital);
  switch (summary.kind) {
    case 'capacity_reported': return `Kapacitet: ${hospital}`;
    case 'figures_confirmed': return `Oförändrat: ${hospital}`;
    case 'region_readiness_set': return `Beredskapsläge ${region(summary.region)}: ${levelText(summary.level)}`;
    case 'message_posted': {
      const kind = MESSAGE_KINDS[summary.message_kind]?.label || str(summary.message_kind);
      return summary.text ? `${kind}: ${str(summary.text)}` : kind;
    }
    case 'message_acknowledged': return `Kvittens ${region(summary.region)}: ${messageRef(summary.message)}`;
    case 'casualties_dispatched': return `Skadade till ${hospital}: ${patientsText(summary.patients)}`;
    case 'casualties_arrived': return `Ankomst ${hospital}`;
    case 'exercise_clock_set': {
      const status = EXERCISE_STATUS[summary.status]?.label.toLowerCase() || str(summary.status);
      return `Övningsklocka: ${status} ×${int(summary.speed)}`;
    }
    case 'exercise_started': return 'Övningen startad';
    case 'casualties_at_scene': {
      const where = waveWhere(summary, names);
      return `Skadade väntar på beslut om mottagande sjukhus${where ? ` (${where})` : ''}` +
        (summary.patients ? `: ${patientsText(summary.patients)}` : '');
    }
    case 'patients_deteriorated': return deterioratedText(summary, names);
    case 'patients_transferred': return transferText(summary, names);
    case 'transport_reported': return transportReportedText(summary, names);
    case 'decision_recorded': {
      // The decision's fields, in the summary itself or as its record.
      const rec = summary.decision && typeof summary.decision === 'object' ? summary.decision
        : summary.record && typeof summary.record === 'object' ? summary.record : summary;
      return rec.decision ? decisionText(rec, names) : 'Beslut';
    }
    default: return EVENT_KINDS[summary.kind] || 'Händelse';
  }
}

const MESSAGE_SUB = {
  alert: null, methane: 'METHANE-rapport', situation_report: 'Lägesrapport', information: 'Information',
};

/**
 * An inject's summary (GET /api/scenarios, `summary`) as {alert, sub, text}: `alert` for a message
 * inject that is an alert, `sub` the kind of any other message ("Lägesrapport"), `text` the rest.
 * `names` gives {region(id) → name}.
 */
export function injectText(summary, names = {}) {
  if (typeof summary === 'string') return {alert: false, sub: null, text: summary};
  if (!summary || typeof summary !== 'object') return {alert: false, sub: null, text: ''};
  const text = (t) => ({alert: false, sub: null, text: t});
  switch (summary.kind) {
    case 'message':
      return {alert: summary.message_kind === 'alert', sub: MESSAGE_SUB[summary.message_kind] ?? null,
        text: str(summary.text)};
    case 'casualty_wave':
      return text(`${str(summary.location)}: ${patientsText(summary.casualties)}, döda ${int(summary.deceased)}` +
        (summary.suggest ? ' (fördelning föreslås)' : ''));
    case 'capacity_change':
      return text(`${nameOr(summary.hospital_name, summary.hospital)}${summary.reason ? `: ${str(summary.reason)}` : ''}`);
    case 'readiness': {
      const who = summary.region ? (names.region?.(summary.region) || str(summary.region))
        : nameOr(summary.hospital_name, summary.hospital);
      return text(`${who} → ${levelText(summary.level)}`);
    }
    case 'decision':
      return text(decisionText(summary, names));
    case 'transfer':
      return text(transferText(summary, names).replace(/^Sekundärtransport /, ''));
    case 'transport':
      return text(transportReportedText(summary, names));
    case 'target':
    case 'checkpoint':
      return text(str(summary.description));
    default:
      return text('Inspel');
  }
}
