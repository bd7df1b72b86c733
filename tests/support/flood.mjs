// A flood of refused commands from anonymous connections, in a process of its own so the test
// that measures a reporter's latency meanwhile is not slowed by it. Prints one JSON line when
// every command has been answered: {"answered": N, "codes": {...}, "closed": C}.
//   node tests/support/flood.mjs PORT CONNECTIONS COMMANDS_EACH
import WebSocket from 'ws';

const [port, connections, each] = process.argv.slice(2).map(Number);
const codes = {};
let answered = 0;
let closed = 0;
const closeCodes = {};
const text = 'x'.repeat(2000);
const sockets = await Promise.all(Array.from({ length: connections }, () => new Promise((resolve, reject) => {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'snapshot' && !socket.ready) { socket.ready = true; resolve(socket); }
    if (message.type === 'error') { answered++; codes[message.code] = (codes[message.code] ?? 0) + 1; }
  });
  socket.on('close', (code) => { closed++; closeCodes[code] = (closeCodes[code] ?? 0) + 1; });
  socket.on('error', reject);
})));
for (let round = 0; round < each; round++) {
  for (const socket of sockets) {
    socket.send(JSON.stringify({ v: 1, type: 'post_message', id: `f-${round}`, space: 'live', kind: 'alert', to: 'all', text, level: 'disaster' }));
  }
  if (round % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
}
const deadline = Date.now() + 120000;
while (answered < connections * each && closed === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
console.log(JSON.stringify({ answered, codes, closed, closeCodes }));
for (const socket of sockets) socket.terminate();
