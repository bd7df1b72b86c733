// Bounded snapshots: however long the log grows, a fresh board's snapshot stays small and fast,
// and the old messages can be paged through (GET /api/messages).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { getJson, noRateLimits } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { serverFixture } from '../support/fixture.mjs';

const server = serverFixture({ args: noRateLimits });

// Signs in on a plain WebSocket (no subscription bookkeeping: this writer gets every delta) and
// sends commands with at most `window` unanswered at a time; every one must be acked.
async function openWriter(port, token) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?space=none`);
  const waiting = new Map();
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  const welcome = new Promise((resolve) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'welcome') resolve();
      const done = waiting.get(message.id);
      if (done && (message.type === 'ack' || message.type === 'error')) {
        waiting.delete(message.id);
        done(message);
      }
    });
  });
  socket.send(JSON.stringify({ v: 1, type: 'hello', token }));
  await welcome;
  return {
    async pipeline(count, make, window = 500) {
      let sent = 0;
      let acked = 0;
      await new Promise((resolve, reject) => {
        const pump = () => {
          while (sent < count && sent - acked < window) {
            const message = make(sent++);
            waiting.set(message.id, (reply) => {
              if (reply.type !== 'ack') reject(new Error(JSON.stringify(reply)));
              if (++acked === count) resolve();
              else pump();
            });
            socket.send(JSON.stringify(message));
          }
        };
        pump();
      });
    },
    close: () => socket.close(),
  };
}

test('5,000 messages of 4,000 characters and 100,000 reports: a fresh board gets a snapshot of at most 1 MiB within 2 s; old messages page through', { timeout: 600000 }, async () => {
  const writer = await openWriter(server.port, server.tokens.admin);
  const hospitals = ['akademiska', 'uso', 'falun', 'gavle', 'vasteras', 'karlstad'];
  await writer.pipeline(5000, (i) => ({ v: 1, type: 'post_message', id: `m-${i}`, space: 'live',
    kind: i % 100 === 0 ? 'alert' : 'information', to: i % 100 === 0 ? ['uppsala'] : 'all',
    text: `Meddelande ${i}: `.padEnd(4000, 'å'), ...(i % 100 === 0 ? { level: 'staff' } : {}) }));
  await writer.pipeline(100000, (i) => report(hospitals[i % hospitals.length], { beds: { AdultICU: { available: i % 3 } } }));
  writer.close();

  const started = performance.now();
  const board = await server.client();
  let snapshotBytes = 0;
  board.socket.once('message', (data) => { snapshotBytes = data.length; });
  const snapshot = await board.nextOfType('snapshot', 5000);
  const elapsed = performance.now() - started;
  console.log(`fresh board: snapshot of ${snapshotBytes} bytes after ${elapsed.toFixed(0)} ms at seq ${snapshot.seq}`);
  assert.ok(elapsed < 2000, `snapshot after ${elapsed.toFixed(0)} ms`);
  assert.ok(snapshotBytes <= 1024 * 1024, `snapshot of ${snapshotBytes} bytes`);
  const log = snapshot.state.message_log;
  assert.equal(log.total, 5000);
  assert.equal(log.open, 50, 'the 50 alerts to Uppsala are still open');
  const shownOpen = snapshot.state.messages.filter((m) => m.pending.length > 0).length;
  assert.ok(shownOpen >= 1, 'open messages are in the snapshot');
  assert.ok(log.older_before > 0);
  await board.close();

  // Page back through every message, newest first, without gaps or repeats.
  const seen = new Set(snapshot.state.messages.filter((m) => m.seq >= log.older_before).map((m) => m.id));
  let before = log.older_before;
  let pages = 0;
  let previous = Infinity;
  while (before !== null) {
    const { status, body } = await getJson(server, `/api/messages?space=live&before=${before}&limit=200`);
    assert.equal(status, 200, JSON.stringify(body));
    for (const message of body.messages) {
      assert.ok(message.seq < previous, 'newest first, no repeats');
      previous = message.seq;
      assert.ok(!seen.has(message.id), `${message.id} once`);
      seen.add(message.id);
      assert.equal(message.text.length, 4000);
    }
    before = body.older_before;
    pages++;
  }
  assert.equal(seen.size, 5000, 'every message was paged through');
  assert.ok(pages >= 24);
  // The open ones can be listed alone, with their acknowledgement state.
  const open = (await getJson(server, '/api/messages?space=live&open=true&limit=200')).body;
  assert.equal(open.messages.length, 50);
  assert.ok(open.messages.every((m) => m.pending.includes('uppsala')));
  // Bad page parameters are refused.
  for (const query of ['before=abc', 'limit=0', 'limit=201', 'before=1e400', 'open=maybe', 'space=nope']) {
    const { status } = await getJson(server, `/api/messages?${query}`);
    assert.ok([400, 404].includes(status), `${query}: ${status}`);
  }
});

test('an acknowledged old message shows its acknowledgement in the pages; acknowledging an archived one is a clear error', { timeout: 60000 }, async () => {
  const alerts = [];
  const admin = await server.client('admin');
  const first = await admin.command({ v: 1, type: 'post_message', id: 'old-alert', space: 'live', kind: 'alert', to: ['orebro'], text: 'Gammalt larm', level: 'staff' });
  alerts.push(first.seq);
  const reporter = await server.client('tib-orebro');
  assert.equal((await reporter.command({ v: 1, type: 'acknowledge', id: 'k1', space: 'live', message: `live:${first.seq}` })).type, 'ack');
  for (let i = 0; i < 60; i++) {
    await admin.command({ v: 1, type: 'post_message', id: `fill-${i}`, space: 'live', kind: 'information', to: 'all', text: `fyll ${i}` });
  }
  // Now closed and beyond the 50 most recent: archived from the state, still in the pages.
  const again = await reporter.command({ v: 1, type: 'acknowledge', id: 'k2', space: 'live', message: `live:${first.seq}` });
  assert.equal(again.code, 'unknown_message');
  assert.match(again.message, /archived/);
  const page = (await getJson(server, `/api/messages?space=live&before=${first.seq + 1}&limit=1`)).body;
  assert.equal(page.messages[0].id, `live:${first.seq}`);
  assert.equal(page.messages[0].acks.orebro.by, 'tib-orebro');
  assert.deepEqual(page.messages[0].pending, []);
});
