// Lägesbild — the client model: what a page knows of one space, kept current from the server's
// frames (protocol.md "Server → client"). Shared by the board, the TiB page and the trainer page.
// Pure: no DOM, no network, no timers, so it runs the same under `node --test`.
//
// - A snapshot replaces everything. A delta carries whole post-event records (a hospital, a
//   region with all its hospitals, a message, the exercise clock), which replace the old ones.
// - Deltas come in strictly increasing seq: one whose seq is not last + 1 is a gap, and the model
//   asks for a resync ('resync'; the page reconnects with since=<seq>); one already applied is
//   passed over.
// - The server's clock: offset = server_time of the last snapshot − the local clock at arrival.
// - The exercise clock (exercise_info of the snapshot and of every exercise_clock_set delta),
//   extrapolated between clock events; in an exercise space "now" is exercise time, the time every
//   event of the space is stamped with.
// - Freshness is the server's: every hospital record carries `freshness` (level, limit, when each
//   expected figure falls due); the model only compares those times with "now".
//
// - Decisions (protocol.md "The decisions log"): state.decisions of the snapshot, oldest first, and
//   every delta's `decision` record appended; the newest DECISIONS_KEPT are kept.
// - Patients of an exercise (protocol.md "Patients at the scene, deterioration, transfers"): the
//   snapshot's exercise_info holds them; a patient event's delta carries `patients` (the groups and
//   the totals, not the clock), which replaces those fields of exercise_info. A transfer's delta
//   carries the hospital left as `hospital` and the one going to as `hospital_to`.
//
// Changes are emitted per record: on(kind, fn) with kind 'snapshot', 'hospital', 'region',
// 'message', 'decision', 'patients', 'clock', 'delta' (after each applied delta), 'resync' and
// 'synced'.

/** Parses a wire time; NaN for null/invalid. */
export function parseTime(s) {
  if (!s) return NaN;
  return Date.parse(s);
}

/**
 * Elapsed exercise time (ms) at server time `serverNowMs`:
 * elapsed_ms + (running ? (serverNow − clock_wall_time) × speed : 0). NaN without an exercise.
 */
export function exerciseElapsed(info, serverNowMs) {
  if (!info || typeof info !== 'object') return NaN;
  const base = Number(info.elapsed_ms);
  if (!Number.isFinite(base)) return NaN;
  if (info.status !== 'running') return base;
  const wall = parseTime(info.clock_wall_time);
  const speed = Number(info.speed) > 0 ? Number(info.speed) : 1;
  if (!Number.isFinite(wall)) return base;
  // Never before the last clock event (a client clock a little behind the server's).
  return Math.max(base, base + (serverNowMs - wall) * speed);
}

/**
 * The exercise's own time of day (ms): start + elapsed. Every event of an exercise space is stamped
 * with it, so ages and overdue figures in an exercise are judged against it, not the wall clock.
 */
export function exerciseNow(info, serverNowMs) {
  const start = parseTime(info?.start);
  const elapsed = exerciseElapsed(info, serverNowMs);
  return Number.isFinite(start) && Number.isFinite(elapsed) ? start + elapsed : NaN;
}

/** The record of one figure by its path: "beds.AdultICU", "reception.P1" or "ed_status". */
export function figureRecord(hosp, path) {
  const [group, key] = String(path).split('.');
  if (key === undefined) return hosp?.[group] ?? null;
  return hosp?.[group]?.[key] ?? null;
}

/**
 * The server's freshness of a hospital (its record's `freshness`) judged at `now` (ms):
 *   level, limitMinutes  the effective readiness level and its limit
 *   figures              Map path → {due (ms, NaN when never reported), never, overdue}: exactly
 *                        the figures the hospital is expected to report
 *   overdue              how many of them are overdue (never reported, or now ≥ due)
 *   stale                INAKTUELL: stale_at is set and now ≥ stale_at
 *   late, oldest         how many reported figures are overdue, and the oldest report among them
 * `known` is false when the record carries no freshness: then nothing is judged overdue.
 */
export function freshnessOf(hosp, now) {
  const f = hosp?.freshness && typeof hosp.freshness === 'object' ? hosp.freshness : null;
  const out = {known: !!f, level: f?.level || hosp?.readiness?.value || 'normal',
    limitMinutes: Number(f?.limit_minutes), figures: new Map(), overdue: 0, stale: false,
    late: 0, oldest: NaN};
  if (!f) return out;
  const due = f.due && typeof f.due === 'object' ? f.due : {};
  for (const [path, at] of Object.entries(due)) {
    const t = parseTime(at);
    const never = !Number.isFinite(t);
    const overdue = never || now >= t;
    out.figures.set(path, {due: t, never, overdue});
    if (overdue) out.overdue++;
    if (overdue && !never) {
      out.late++;
      const reported = parseTime(figureRecord(hosp, path)?.reported_at);
      const when = Number.isFinite(reported) ? reported : t - out.limitMinutes * 60_000;
      if (!(when >= out.oldest)) out.oldest = when;
    }
  }
  const staleAt = parseTime(f.stale_at);
  out.stale = Number.isFinite(staleAt) && now >= staleAt;
  return out;
}

const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);

/** How many decision records a page keeps (the server's state keeps as many). */
export const DECISIONS_KEPT = 100;

/** A region's or a hospital's major_incident: true declared, false stood down, null never. */
export function majorIncidentOf(rec) {
  const m = rec?.major_incident;
  return isObject(m) && (m.value === true || m.value === false) ? m.value : null;
}

const PATIENT_FIELDS = ['patients', 'at_scene', 'on_the_way', 'deceased_waiting'];

/** The patients' fields of an exercise_info (those it has). */
function patientFields(info) {
  return Object.fromEntries(PATIENT_FIELDS.filter((k) => isObject(info) && k in info).map((k) => [k, info[k]]));
}

function replaceById(list, rec) {
  const i = list.findIndex((x) => x.id === rec.id);
  const previous = i >= 0 ? list[i] : null;
  if (i >= 0) list[i] = rec; else list.push(rec);
  return previous;
}

export class ClientModel {
  /**
   * @param {object} options
   * @param {string} options.space  the space the page shows; frames of another space are ignored
   * @param {{applySnapshot(msg: object, prevSeq: number): void, applyDelta(msg: object): boolean}} [options.messages]
   *   the page's message log (message_log.js), fed from snapshots and deltas
   * @param {() => number} [options.clock]  the local clock in ms (tests give their own)
   */
  constructor({space, messages = null, clock = () => Date.now()}) {
    this.space = space;
    this.messages = messages;
    this.clock = clock;
    this.listeners = new Map();
    this.have = false;        // a snapshot has been applied
    this.seq = 0;             // the last applied seq
    this.offsetMs = 0;        // server clock − local clock, at the last snapshot
    this.exercise = false;
    this.exerciseInfo = null; // exercise_info of an exercise space, else null
    this.state = {regions: [], hospitals: [], decisions: []};
    this.byId = new Map();    // hospital id → record
  }

  /** Calls fn(detail) on each change of `kind`; returns a function that stops it. */
  on(kind, fn) {
    if (!this.listeners.has(kind)) this.listeners.set(kind, new Set());
    this.listeners.get(kind).add(fn);
    return () => this.listeners.get(kind).delete(fn);
  }

  emit(kind, detail = {}) {
    for (const fn of this.listeners.get(kind) || []) fn(detail);
  }

  // -------------------------------------------------------------------------------------------
  // What the page knows

  get regions() { return this.state.regions; }

  /** The decision records, oldest first. */
  get decisions() { return this.state.decisions; }

  /** The hospitals, id → record, in the snapshot's order. */
  get hospitals() { return this.byId; }

  hospital(id) { return this.byId.get(id) ?? null; }

  region(id) { return this.state.regions.find((r) => r.id === id) ?? null; }

  /** The records of a region's hospitals, in the region's order (unknown ids left out). */
  hospitalsOf(regionId) {
    return (this.region(regionId)?.hospitals || []).map((id) => this.byId.get(id)).filter(Boolean);
  }

  /** The server's clock now (ms): the local clock plus the offset measured at the last snapshot. */
  wallNow() { return this.clock() + this.offsetMs; }

  /** "Now" for the space's data: exercise time in an exercise, the server's clock otherwise. */
  now() {
    const t = exerciseNow(this.exerciseInfo, this.wallNow());
    return Number.isFinite(t) ? t : this.wallNow();
  }

  /** Elapsed exercise time now (ms), NaN outside an exercise. */
  elapsed() { return exerciseElapsed(this.exerciseInfo, this.wallNow()); }

  /** freshnessOf(hosp) at the space's "now". */
  freshness(hosp) { return freshnessOf(hosp, this.now()); }

  /** The seq to resume from on the next connection (since=), or undefined for a fresh snapshot. */
  since() { return this.have ? this.seq : undefined; }

  // -------------------------------------------------------------------------------------------
  // Frames from the server

  /**
   * A snapshot, delta or resumed frame (anything else is not the model's). Returns what came of it:
   * 'snapshot', 'applied', 'duplicate', 'gap', 'synced' or 'ignored'.
   */
  receive(msg) {
    if (!isObject(msg) || (msg.space && msg.space !== this.space)) return 'ignored';
    if (msg.type === 'snapshot') { this.applySnapshot(msg); return 'snapshot'; }
    if (msg.type === 'delta') return this.applyDelta(msg);
    if (msg.type === 'resumed') {
      if (typeof msg.seq === 'number' && msg.seq > this.seq) return this.gap(msg.seq);
      this.emit('synced');
      return 'synced';
    }
    return 'ignored';
  }

  applySnapshot(msg) {
    const prevSeq = this.have ? this.seq : 0;
    const sameSpace = this.have;
    const st = isObject(msg.state) ? msg.state : {};
    this.have = true;
    this.seq = typeof msg.seq === 'number' ? msg.seq : 0;
    const t = parseTime(msg.server_time);
    this.offsetMs = Number.isFinite(t) ? t - this.clock() : 0;
    this.exercise = !!msg.exercise;
    this.exerciseInfo = msg.exercise && isObject(msg.exercise_info) ? msg.exercise_info : null;
    this.state = {...st, regions: Array.isArray(st.regions) ? [...st.regions] : [],
      hospitals: Array.isArray(st.hospitals) ? [...st.hospitals] : [],
      decisions: (Array.isArray(st.decisions) ? st.decisions.filter(isObject) : []).slice(-DECISIONS_KEPT)};
    this.byId = new Map(this.state.hospitals.filter((x) => x && x.id).map((x) => [x.id, x]));
    this.messages?.applySnapshot(msg, prevSeq);
    this.emit('snapshot', {snapshot: msg, sameSpace, prevSeq});
  }

  /** Returns 'applied', 'duplicate' (already have it), 'gap' (a resync is asked for) or 'ignored'. */
  applyDelta(msg) {
    if (!this.have || typeof msg.seq !== 'number') return 'ignored';
    if (msg.seq <= this.seq) return 'duplicate';
    if (msg.seq !== this.seq + 1) return this.gap(msg.seq);
    this.seq = msg.seq;
    const event = isObject(msg.event) ? msg.event : null;
    // Every record first, then the changes: a listener sees the whole post-event state.
    const hospitals = [msg.hospital, msg.hospital_to, ...(Array.isArray(msg.hospitals) ? msg.hospitals : [])]
      .filter((x) => isObject(x) && x.id);
    const changed = hospitals.map((hospital) => {
      const previous = replaceById(this.state.hospitals, hospital);
      this.byId.set(hospital.id, hospital);
      return {hospital, previous, event};
    });
    let region = null;
    if (isObject(msg.region) && msg.region.id) {
      const previous = replaceById(this.state.regions, msg.region);
      region = {region: msg.region, previous, event,
        hospitalsChanged: JSON.stringify(previous?.hospitals) !== JSON.stringify(msg.region.hospitals)};
    }
    // A clock change need not repeat the patients: those the model has stay until replaced.
    if (isObject(msg.exercise_info)) this.exerciseInfo = {...patientFields(this.exerciseInfo), ...msg.exercise_info};
    // The patients' fields only: the clock stays as the last clock event set it.
    const patients = isObject(msg.patients) && this.exercise ? msg.patients : null;
    if (patients) {
      const {patients: groups, at_scene, on_the_way, deceased_waiting} = patients;
      this.exerciseInfo = {...(this.exerciseInfo || {}), patients: Array.isArray(groups) ? groups : [],
        at_scene, on_the_way, deceased_waiting};
    }
    const decision = isObject(msg.decision) ? msg.decision : null;
    if (decision) {
      const list = this.state.decisions;
      if (!list.some((d) => d.seq === decision.seq && decision.seq !== undefined)) list.push(decision);
      if (list.length > DECISIONS_KEPT) list.splice(0, list.length - DECISIONS_KEPT);
    }
    for (const detail of changed) this.emit('hospital', detail);
    if (region) this.emit('region', region);
    if (decision) this.emit('decision', {decision, event});
    const messageChanged = this.messages ? this.messages.applyDelta(msg) : isObject(msg.message);
    if (messageChanged) this.emit('message', {delta: msg, id: msg.message?.id ?? event?.message ?? null});
    if (patients) this.emit('patients', {info: this.exerciseInfo, event});
    if (isObject(msg.exercise_info)) this.emit('clock', {info: this.exerciseInfo});
    this.emit('delta', {delta: msg});
    return 'applied';
  }

  gap(got) {
    this.emit('resync', {reason: 'gap', have: this.seq, got});
    return 'gap';
  }
}
