// Lägesbild — the scenario editor's model (docs/scenarios.md): a scenario object and its injects
// as an editor list, each inject with a key of its own that survives moves, so that a problem the
// server found at "$.injects[3].at" in the object it was sent is shown at the inject that was
// third then, wherever it is now. Add, duplicate, delete, move (to a place in the list, and so in
// time), sort by time, and the JSON path of every field. Pure: no DOM, no network.

export const ID_PATTERN = /^[a-z0-9-]{1,40}$/;
const AT_PATTERN = /^(?:(\d{1,3}):([0-5]\d)|(\d{1,2}):([0-5]\d):([0-5]\d))$/;

/** "07:00" → 420000, "02:20:00" → 8400000 (the scenario file's `at`); NaN when it is neither. */
export function parseAt(text) {
  const m = AT_PATTERN.exec(String(text ?? '').trim());
  if (!m) return NaN;
  if (m[1] !== undefined) return (Number(m[1]) * 60 + Number(m[2])) * 1000;
  return ((Number(m[3]) * 60 + Number(m[4])) * 60 + Number(m[5])) * 1000;
}

const pad2 = (n) => String(n).padStart(2, '0');

/** 420000 → "07:00"; with long: "00:07:00". Whole seconds; minutes may pass 59 in the short form. */
export function formatAt(ms, long = false) {
  const s = Math.max(0, Math.floor((Number(ms) || 0) / 1000));
  if (long || s >= 1000 * 60) return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
  return `${pad2(Math.floor(s / 60))}:${pad2(s % 60)}`;
}

/** A time strictly between a and b (ms), as round as fits: a whole minute, half, quarter, 10 s, …, 1 s. */
export function timeBetween(a, b) {
  const lo = Math.min(a, b), hi = Math.max(a, b);
  if (hi - lo <= 1000) return lo;
  const mid = (lo + hi) / 2;
  for (const step of [60_000, 30_000, 15_000, 10_000, 5_000, 1_000]) {
    for (const round of [Math.round, Math.floor, Math.ceil]) {
      const t = round(mid / step) * step;
      if (t > lo && t < hi) return t;
    }
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// JSON paths: "$.injects[3].casualties.P1" ⇄ ['injects', 3, 'casualties', 'P1']

/** ['injects', 3, 'at'] → "$.injects[3].at" (the server's form of a path). */
export function pathString(segments) {
  let s = '$';
  for (const seg of segments) s += typeof seg === 'number' ? `[${seg}]` : `.${seg}`;
  return s;
}

/**
 * "$.injects[3].at" → ['injects', 3, 'at']; "$" → []; null when it is no path. The server names an
 * inject by its id in the rules across injects: "$.injects[id=cp-1].expect.message" →
 * ['injects', {id: 'cp-1'}, 'expect', 'message'].
 */
export function parsePath(path) {
  const text = String(path ?? '').trim();
  if (!text.startsWith('$')) return null;
  const segments = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\[id=([^\]]*)\]|\["([^"]*)"\]|\['([^']*)'\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    const m = re.exec(text);
    if (!m || m.index !== at) return null;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else if (m[3] !== undefined) segments.push({id: m[3]});
    else segments.push(m[4] ?? m[5]);
  }
  return segments;
}

export function getIn(obj, segments) {
  let v = obj;
  for (const seg of segments) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[seg];
  }
  return v;
}

/**
 * Sets obj[...segments] = value, making the objects on the way. `undefined` deletes the key, and
 * then every object on the way that it left empty (not `obj` itself, and not beyond `keep` levels).
 */
export function setIn(obj, segments, value, keep = 0) {
  if (!segments.length) return;
  if (value === undefined) {
    const chain = [obj];
    for (const seg of segments.slice(0, -1)) {
      const next = chain[chain.length - 1]?.[seg];
      if (next === null || typeof next !== 'object') return;
      chain.push(next);
    }
    delete chain[chain.length - 1][segments[segments.length - 1]];
    for (let i = chain.length - 1; i > keep; i--) {
      const o = chain[i];
      if (Array.isArray(o) || Object.keys(o).length) break;
      delete chain[i - 1][segments[i - 1]];
    }
    return;
  }
  let o = obj;
  for (const [i, seg] of segments.slice(0, -1).entries()) {
    if (o[seg] === null || typeof o[seg] !== 'object') o[seg] = typeof segments[i + 1] === 'number' ? [] : {};
    o = o[seg];
  }
  o[segments[segments.length - 1]] = value;
}

export const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

// ---------------------------------------------------------------------------------------------
// Ids

/** `base` cut to fit `suffix` in 40 characters, as an id ([a-z0-9-]). */
function fit(base, suffix) {
  const clean = String(base || '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
  return `${clean.slice(0, 40 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** An id like `${base}${suffix}` that is not in `taken` (a Set or array): "x-kopia", "x-kopia-2", … */
export function freeId(base, taken, suffix = '') {
  const set = taken instanceof Set ? taken : new Set(taken || []);
  let id = fit(base, suffix);
  for (let n = 2; set.has(id); n++) id = fit(base, `${suffix}-${n}`);
  return id;
}

/** The first free id of "<base>-1", "<base>-2", … */
export function numberedId(base, taken) {
  const set = taken instanceof Set ? taken : new Set(taken || []);
  for (let n = 1; ; n++) {
    const id = fit(base, `-${n}`);
    if (!set.has(id)) return id;
  }
}

/** The id of a copy of scenario `id`: "<id>-kopia" (or -kopia-2, …) when that is taken. */
export const copyId = (id, taken) => freeId(id, taken, '-kopia');

// ---------------------------------------------------------------------------------------------
// The editor's document

let keys = 0;

export class EditorDoc {
  /** `scenario`: a scenario object (it is edited in place; a copy is taken). */
  constructor(scenario) {
    const s = scenario && typeof scenario === 'object' && !Array.isArray(scenario) ? clone(scenario) : {};
    const injects = Array.isArray(s.injects) ? s.injects : [];
    this.top = s;
    if (!('injects' in s)) s.injects = [];
    this.items = injects.map((inject) => ({key: `k${++keys}`, inject}));
  }

  /** The scenario object as it is now (injects in list order), for the server. */
  toScenario() {
    return {...this.top, injects: this.items.map((x) => x.inject)};
  }

  get injects() { return this.items.map((x) => x.inject); }
  keys() { return this.items.map((x) => x.key); }
  indexOf(key) { return this.items.findIndex((x) => x.key === key); }
  item(key) { return this.items.find((x) => x.key === key)?.inject; }

  /** "long" times (HH:MM:SS) when the scenario writes them so, or runs past 100 minutes. */
  longTimes() {
    return this.items.some((x) => /^\d{1,2}:\d\d:\d\d$/.test(String(x.inject?.at ?? ''))) ||
      Number(this.top.planned_duration_minutes) >= 100;
  }

  formatAt(ms) { return formatAt(ms, this.longTimes()); }

  /** The inject ids in use (but the one of `exceptKey`). */
  injectIds(exceptKey) {
    return new Set(this.items.filter((x) => x.key !== exceptKey).map((x) => String(x.inject?.id ?? '')));
  }

  /** `inject` added after `afterKey` (at the end without one); returns its key. */
  add(inject, afterKey) {
    const item = {key: `k${++keys}`, inject};
    const i = afterKey ? this.indexOf(afterKey) : -1;
    if (i < 0) this.items.push(item); else this.items.splice(i + 1, 0, item);
    return item.key;
  }

  /** A copy of the inject right after it, with an id of its own; returns the copy's key. */
  duplicate(key) {
    const inject = this.item(key);
    if (!inject) return null;
    const copy = clone(inject);
    copy.id = freeId(inject.id || inject.kind || 'inspel', this.injectIds(), '-kopia');
    return this.add(copy, key);
  }

  remove(key) {
    const i = this.indexOf(key);
    if (i >= 0) this.items.splice(i, 1);
    return i >= 0;
  }

  /** Each inject's time for ordering: its own, or (not readable) the one before it's. */
  effectiveTimes() {
    let last = 0;
    return this.items.map((x) => {
      const t = parseAt(x.inject?.at);
      if (Number.isFinite(t)) last = t;
      return last;
    });
  }

  /** The list in time order (stable: injects at the same time keep their order, as the player's). */
  sortByTime() {
    const times = this.effectiveTimes();
    const order = this.items.map((x, i) => ({x, t: times[i], i}));
    order.sort((a, b) => a.t - b.t || a.i - b.i);
    const changed = order.some((o, i) => o.i !== i);
    this.items = order.map((o) => o.x);
    return changed;
  }

  /**
   * Moves the inject to place `to` of the list (0 = first; the place among the others), and gives
   * it a time that fits there: its own when that lies between its new neighbours' times, else one
   * between them (as round as fits), or at the ends the neighbour's time. Returns the new `at`.
   */
  moveTo(key, to) {
    const from = this.indexOf(key);
    if (from < 0) return null;
    const [item] = this.items.splice(from, 1);
    const place = Math.max(0, Math.min(to, this.items.length));
    this.items.splice(place, 0, item);
    const times = this.effectiveTimes();
    const prev = place > 0 ? times[place - 1] : null;
    const next = place < this.items.length - 1 ? parseAt(this.items[place + 1].inject?.at) : null;
    const nextT = Number.isFinite(next) ? next : null;
    const own = parseAt(item.inject.at);
    const fits = Number.isFinite(own) && (prev === null || own >= prev) && (nextT === null || own <= nextT);
    if (!fits) {
      let t;
      if (prev !== null && nextT !== null) t = timeBetween(prev, nextT);
      else if (prev !== null) t = prev;
      else if (nextT !== null) t = nextT;
      else t = Number.isFinite(own) ? own : 0;
      item.inject.at = this.formatAt(t);
    }
    return item.inject.at;
  }

  moveUp(key) {
    const i = this.indexOf(key);
    return i > 0 ? this.moveTo(key, i - 1) : null;
  }

  moveDown(key) {
    const i = this.indexOf(key);
    return i >= 0 && i < this.items.length - 1 ? this.moveTo(key, i + 1) : null;
  }

  /** The path of a field of an inject ("$.injects[3].casualties.P1"), or of the top level (key null). */
  pathOf(key, sub = []) {
    if (key === null || key === undefined) return pathString(sub);
    return pathString(['injects', this.indexOf(key), ...sub]);
  }
}

/**
 * Where a problem the server found in the object it was sent is now. `sentKeys`: the inject keys in
 * the order they were sent; `sentIds`: their ids then (for paths that name an inject by its id).
 * Returns {key, sub, path}: the inject's key (null for the top level, or
 * an inject no longer in the list: then path is null) and the path in the list as it is now.
 */
export function placeProblem(doc, problemPath, sentKeys, sentIds = []) {
  const segs = parsePath(problemPath) ?? [];
  if (segs[0] === 'injects' && segs[1] !== null && typeof segs[1] === 'object') {
    // By id: the inject that had that id when it was sent, or (not known) the one that has it now.
    const id = String(segs[1].id);
    const sent = sentIds.indexOf(id);
    const key = sent >= 0 ? sentKeys[sent] : doc.items.find((x) => String(x.inject?.id) === id)?.key;
    segs.splice(1, 1, -1);
    if (key === undefined) return {key: null, sub: [], path: String(problemPath)};
    if (doc.indexOf(key) < 0) return {key, sub: segs.slice(2), path: null, gone: true};
    return {key, sub: segs.slice(2), path: doc.pathOf(key, segs.slice(2))};
  }
  if (segs[0] === 'injects' && typeof segs[1] === 'number') {
    const key = sentKeys[segs[1]];
    if (key === undefined || doc.indexOf(key) < 0) return {key: key ?? null, sub: segs.slice(2), path: null, gone: true};
    return {key, sub: segs.slice(2), path: doc.pathOf(key, segs.slice(2))};
  }
  return {key: null, sub: segs, path: pathString(segs)};
}

/** The paths from `path` up to the top ("$.a.b[2]" → ["$.a.b[2]", "$.a.b", "$.a", "$"]). */
export function pathPrefixes(path) {
  const segs = parsePath(path) ?? [];
  const out = [];
  for (let n = segs.length; n >= 0; n--) out.push(pathString(segs.slice(0, n)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// New injects and scenarios

/** The kinds of inject, in the order the editor offers them. */
export const INJECT_KIND_ORDER = ['message', 'casualty_wave', 'capacity_change', 'readiness', 'decision',
  'transfer', 'transport', 'checkpoint'];

const ID_BASE = {
  message: 'meddelande', casualty_wave: 'vag', capacity_change: 'kapacitet', readiness: 'beredskap',
  decision: 'beslut', transfer: 'flytt', transport: 'ambulanser', checkpoint: 'kp',
};

/**
 * A new inject of `kind` with what it needs filled in from `ctx`: {at, ids (taken inject ids),
 * regions (participating or all region ids), hospitals (hospital ids)}. What only the author can
 * write (texts, places) is left empty: the server's check points at it.
 */
export function newInject(kind, ctx = {}) {
  const regions = ctx.regions || [];
  const hospitals = ctx.hospitals || [];
  const base = {id: numberedId(ID_BASE[kind] || 'inspel', ctx.ids), at: ctx.at || '00:00', kind};
  switch (kind) {
    case 'message':
      return {...base, sender: 'sos_alarm', to: regions.length ? [...regions] : 'all', message_kind: 'alert',
        level: 'staff', text: ''};
    case 'casualty_wave':
      return {...base, location: '', casualties: {P1: 0, P2: 0, P3: 0, deceased: 0}, distribution: 'suggest',
        transport_minutes: hospitals.length ? {[hospitals[0]]: 30} : {}};
    case 'capacity_change':
      return {...base, hospital: hospitals[0] || '', beds: {AdultICU: {available: 0}}, reason: ''};
    case 'readiness':
      return {...base, region: regions[0] || '', level: 'staff'};
    case 'decision':
      return {...base, decision: 'major_incident_declared', region: regions[0] || ''};
    case 'transfer':
      return {...base, from: hospitals[0] || '', to: hospitals[1] || '', patients: {P1: 1}, transport_minutes: 30,
        mode: 'ambulance'};
    case 'transport':
      return {...base, region: regions[0] || '', ambulances: {available: 0, committed: 0}};
    case 'checkpoint':
      return {...base, within_minutes: 5, description: '',
        expect: {event: 'decision_recorded', decision: 'receiving_hospitals', ...(regions[0] ? {region: regions[0]} : {})}};
    default:
      return base;
  }
}

/** An empty scenario of format 2 for the running configuration `hcr` (its id). */
export function newScenario({id = 'nytt-scenario', hcr = ''} = {}) {
  return {
    format: 2, id, name: '', description: '', modelled_on: {incident: '', source: ''},
    healthcare_region: hcr, planned_duration_minutes: 60, start_from: 'live',
    injects: [],
  };
}

/** A copy of `scenario` to edit under a new id (not in `taken`), named as a copy. */
export function copyOf(scenario, taken) {
  const s = clone(scenario) || {};
  s.id = copyId(s.id || 'scenario', taken);
  if (typeof s.name === 'string' && s.name.trim()) s.name = `${s.name} (kopia)`.slice(0, 120);
  return s;
}
