// The package test's client: signs in with a token, sends one capacity report over WebSocket
// and waits for its durable acknowledgement. Prints the ack as JSON; exits 1 on anything else.
//   node tests/package/report.mjs PORT TOKEN HOSPITAL AVAILABLE
import WebSocket from 'ws';

const [port, token, hospital, available] = process.argv.slice(2);
if (!port || !token || !hospital || available === undefined) {
  console.error('usage: report.mjs PORT TOKEN HOSPITAL AVAILABLE');
  process.exit(2);
}
const fail = (why) => {
  console.error(`report.mjs: ${why}`);
  process.exit(1);
};
setTimeout(() => fail('no acknowledgement within 10 s'), 10000).unref();

const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
socket.on('error', (error) => fail(`WebSocket: ${error.message}`));
socket.on('close', (code) => fail(`closed (${code}) before the acknowledgement`));
socket.on('open', () => socket.send(JSON.stringify({ v: 1, type: 'hello', token })));
socket.on('message', (data) => {
  const message = JSON.parse(String(data));
  if (message.type === 'welcome') {
    socket.send(JSON.stringify({
      v: 1, type: 'report_capacity', id: 'package-1', space: 'live', hospital,
      beds: { MedicalSurgical: { available: Number(available) } },
    }));
  } else if (message.type === 'error') {
    fail(`refused: ${JSON.stringify(message)}`);
  } else if (message.type === 'ack' && message.id === 'package-1') {
    console.log(JSON.stringify(message));
    socket.removeAllListeners('close');
    socket.close();
    process.exit(0);
  }
});
