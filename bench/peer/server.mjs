// A comparison peer for bench/loadgen: the subset of the Lägesbild protocol that the benchmark
// uses, on Node's `ws`. Snapshot on connect, hello -> welcome (any token), report_capacity ->
// one delta serialised once and sent to every client, then an ack with a seq counter.
// NO persistence and NO validation beyond the hospital id: acks here are not durable.
// Records have the same shape (and roughly the same size) as the real server's.
//   node bench/peer/server.mjs [--port 0]
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from '../../node_modules/ws/wrapper.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;

const config = JSON.parse(readFileSync(join(root, 'config', 'mellansverige.json'), 'utf8'));
const bedTypes = ['AdultICU', 'Burn', 'EmergencyDepartment', 'MedicalSurgical', 'OperatingRooms',
  'PediatricICU', 'Pediatrics'];
const unreported = (extra) => ({ reported_at: null, reported_by: null, ...extra });
const hospitals = new Map();
const regions = [];
for (const region of config.regions ?? []) {
  regions.push({ id: region.id, name: region.name, hospitals: (region.hospitals ?? []).map((h) => h.id),
    readiness: unreported({ value: 'normal' }) });
  for (const h of region.hospitals ?? []) {
    const beds = {};
    for (const t of bedTypes) {
      const b = h.beds?.[t] ?? h.baseline?.[t] ?? {};
      beds[t] = { available: null, baseline: b.baseline ?? (typeof b === 'number' ? b : 60),
        surge24h: b.surge24h ?? 0, reported_at: null, reported_by: null };
    }
    hospitals.set(h.id, {
      beds, casualties: { incoming: { P1: 0, P2: 0, P3: 0 }, over_capacity: false, reason: '',
        received: { P1: 0, P2: 0, P3: 0 } },
      ed_status: unreported({ value: null }), id: h.id, last_reported_at: null, name: h.name ?? h.id,
      note: h.note ?? 'Baseline approximate, public source: '.padEnd(700, '.'),
      readiness: unreported({ value: 'normal' }),
      reception: { P1: unreported({ value: null }), P2: unreported({ value: null }), P3: unreported({ value: null }) },
      reception_baseline: h.reception_baseline ?? { P1: 2, P2: 5, P3: 13 }, region: region.id, town: h.town ?? '',
    });
  }
}
let seq = 0;
const snapshot = () => JSON.stringify({ exercise: false, seq, server_time: new Date().toISOString(),
  space: 'live', state: { healthcare_region: config.healthcare_region, hospitals: [...hospitals.values()],
    messages: [], regions, stale_after_minutes: 60 }, type: 'snapshot', v: 1 });

const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
const error = (id, code, message) => JSON.stringify({ code, id, message, type: 'error', v: 1 });
wss.on('connection', (ws) => {
  ws.send(snapshot());
  ws.on('message', (data) => {
    let m;
    try { m = JSON.parse(data); } catch { ws.send(error(null, 'bad_json', 'not JSON')); return; }
    if (m.type === 'hello') {
      ws.send(JSON.stringify({ type: 'welcome', user: { id: 'admin', region: null, role: 'admin' }, v: 1 }));
    } else if (m.type === 'report_capacity') {
      const h = hospitals.get(m.hospital);
      if (!h) { ws.send(error(m.id, 'unknown_hospital', 'no such hospital')); return; }
      const at = new Date().toISOString();
      seq += 1;
      for (const [t, v] of Object.entries(m.beds ?? {})) {
        Object.assign(h.beds[t], { available: v.available, reported_at: at, reported_by: 'admin' });
      }
      h.last_reported_at = at;
      const delta = JSON.stringify({ event: { actor: { id: 'admin', kind: 'user', role: 'admin' }, at,
        hospital: m.hospital, kind: 'capacity_reported', report: { beds: m.beds }, seq }, hospital: h, seq,
        space: 'live', type: 'delta', v: 1 });
      for (const client of wss.clients) if (client.readyState === 1) client.send(delta);
      ws.send(JSON.stringify({ id: m.id, seq, space: 'live', type: 'ack', v: 1 }));
    } else {
      ws.send(error(m.id ?? null, 'unknown_type', 'not in the benchmark subset'));
    }
  });
});
server.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
process.on('SIGTERM', () => process.exit(0));
