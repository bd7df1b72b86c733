// Scenario inject timing: how late the server plays each inject, at one speed.
//   node bench/inject_timing.mjs --port P --token T --scenario ID --speed S --injects N [--label L]
// Starts the scenario paused, sets the speed, subscribes a board, resumes, and for every event
// the scenario played compares when this board received its delta with the wall time it was due,
// from the clock anchor the resume published (clock_wall_time + (event elapsed - anchor
// elapsed) / speed). Server and client share this machine's clock, so the lateness is what a
// board sees: timer accuracy, the commit (fsync) and the delivery. Prints a summary and one
// "RESULT {json}" line, as bench/loadgen does.
import WebSocket from '../node_modules/ws/wrapper.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const port = Number(args.port);
const speed = Number(args.speed ?? 1);
const injects = Number(args.injects ?? 60);
const label = args.label ?? `inject-${speed}x`;
const ms = (text) => Date.parse(text);

function connect(query = '') {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`);
  const queue = [];
  const waiters = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = waiters.findIndex((w) => w.predicate(message));
    if (waiter >= 0) waiters.splice(waiter, 1)[0].resolve(message);
    else queue.push(message);
  });
  const next = (predicate, timeoutMs = 10000) => new Promise((resolve, reject) => {
    const index = queue.findIndex(predicate);
    if (index >= 0) { resolve(queue.splice(index, 1)[0]); return; }
    const timer = setTimeout(() => reject(new Error('timed out waiting')), timeoutMs);
    waiters.push({ predicate, resolve: (m) => { clearTimeout(timer); resolve(m); } });
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, next, send: (m) => socket.send(JSON.stringify(m)) }));
    socket.once('error', reject);
  });
}

const trainer = await connect();
trainer.send({ v: 1, type: 'hello', token: args.token });
await trainer.next((m) => m.type === 'welcome');
let id = 0;
const command = async (message) => {
  const mine = `t-${++id}`;
  trainer.send({ v: 1, id: mine, ...message });
  const reply = await trainer.next((m) => m.id === mine);
  if (reply.type === 'error') throw new Error(`${message.type}: ${reply.message}`);
  return reply;
};
const space = (await command({ type: 'start_exercise', scenario: args.scenario, paused: true })).space;
if (speed !== 1) await command({ type: 'control_exercise', space, action: 'speed', speed });

const board = await connect(`?space=${encodeURIComponent(space)}`);
const snapshot = await board.next((m) => m.type === 'snapshot');
const start = ms(snapshot.exercise_info.start);
let anchor = null;  // {wall, elapsed, speed} of the latest clock change
const lateness = [];
const collect = new Promise((resolve) => {
  board.socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type !== 'delta') return;
    const event = message.event;
    if (event.kind === 'exercise_clock_set') {
      const info = message.exercise_info;
      anchor = { wall: ms(info.clock_wall_time), elapsed: info.elapsed_ms, speed: info.speed };
      return;
    }
    if (!anchor || event.actor?.kind !== 'scenario') return;
    const due = anchor.wall + (ms(event.at) - start - anchor.elapsed) / anchor.speed;
    lateness.push(performance.timeOrigin + performance.now() - due);
    if (lateness.length >= injects) resolve();
  });
});
await command({ type: 'control_exercise', space, action: 'resume' });
const expectedSeconds = injects * (speed === 1 ? 1 : 60 / speed) + 30;
await Promise.race([collect, new Promise((resolve) => setTimeout(resolve, expectedSeconds * 1000))]);
await command({ type: 'control_exercise', space, action: 'stop' }).catch(() => {});

const sorted = [...lateness].sort((a, b) => a - b);
const round = (x) => (x === null || x === undefined ? null : Math.round(x * 100) / 100);
const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);
const result = { mode: 'inject_timing', label, speed, injects_expected: injects, injects_seen: sorted.length,
  p50_ms: round(pct(50)), p95_ms: round(pct(95)), p99_ms: round(pct(99)), max_ms: round(sorted.at(-1)),
  min_ms: round(sorted[0]) };
console.log(`${label}: ${sorted.length}/${injects} injects at ${speed}x; lateness ms p50 ${result.p50_ms} ` +
  `p95 ${result.p95_ms} max ${result.max_ms} (min ${result.min_ms})`);
console.log(`RESULT ${JSON.stringify(result)}`);
trainer.socket.close();
board.socket.close();
