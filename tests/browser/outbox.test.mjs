// The TiB page's outbox (utkorg) in headless Chromium: what the TiB sends while the server is away,
// or just before the link goes, waits in the browser — a reload too — and is sent again with the
// same id once the page is signed in again, so the server stores it exactly once; a stale entry
// (older than figures someone else reported meanwhile) waits for "Skicka ändå" or "Släng".
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { getJson, repoRoot } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { browserSuite, swedishContext, artifactPath, LAPTOP, TABLET } from '../support/browser.mjs';

const suite = browserSuite();
let server;

before(async () => {
  ({ server } = await suite.ready);
});

const WAITING = 'Väntar på anslutning – skickas när servern svarar';
const KEY = 'lagesbild.outbox.tib-varmland';

const liveSeq = async () => (await getJson(server, '/healthz')).body.spaces.live;
const history = async (id) => (await getJson(server, `/api/history?hospital=${id}`)).body.entries;
const hospital = async (id) => (await getJson(server, '/api/state')).body.state.hospitals.find((x) => x.id === id);
const rowResult = (page, id) => page.locator(`[data-result="${id}"]`);
const sendButton = (page, id) => page.locator(`button[data-action="send"][data-hospital="${id}"]`);
const stored = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) || 'null'), KEY);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const signedIn = (page) => page.locator('#user').filter({ hasText: 'tib-varmland' }).waitFor({ timeout: 10000 });

/** The reports of a hospital in its history, as the server stored them. */
const reportsOf = async (id) => (await history(id)).filter((e) => e.kind === 'capacity_reported');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/**
 * While the server is away a browser may still have the page's files (its cache). Here a plain
 * file server stands in on the stopped server's port: it serves web/ and refuses everything else
 * (the WebSocket, the API), so that the page can be reloaded with no Lägesbild to load it from.
 * Resolves with a function that closes it (and its connections) before the server starts again.
 */
async function serveFilesWhileDown(port) {
  const files = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    try {
      if (path.startsWith('/api/') || path.includes('..')) throw new Error('not a file');
      const file = join(repoRoot, 'web', path === '/' ? 'index.html' : path.slice(1));
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(503);
      res.end();
    }
  });
  files.on('upgrade', (req, socket) => socket.destroy());
  await new Promise((resolve, reject) => { files.once('error', reject); files.listen(port, '127.0.0.1', resolve); });
  return () => new Promise((resolve) => { files.close(resolve); files.closeAllConnections(); });
}

/** A page in a browser context of its own: its own localStorage, so its own outbox. */
async function freshPage() {
  const context = await swedishContext(suite.browser);
  const page = await context.newPage();
  page.on('close', () => { context.close().catch(() => {}); });
  return page;
}

/** The TiB page of tib-varmland, signed in with a #token= link, in a context of its own. */
async function openTib() {
  const page = await freshPage();
  await page.setViewportSize(LAPTOP);
  await page.goto(server.url(`/tib.html#token=${server.tokens['tib-varmland']}`));
  await signedIn(page);
  assert.ok(!page.url().includes(server.tokens['tib-varmland']));
  await page.locator('tr[data-hospital="karlstad"]').waitFor();
  return page;
}

/**
 * The TiB page of tib-varmland with its WebSocket through a relay: `relay.offline = true` cuts the
 * connection and refuses new ones (a tablet on corridor Wi-Fi); `relay.cutAtAck = true` lets the
 * next command through to the server but drops its ack and cuts the connection. `relay.sent` holds
 * the commands the page sent, `relay.got` the acks and errors it was given.
 */
async function tibThroughRelay() {
  const relay = { offline: false, cutAtAck: false, sent: [], got: [], dropped: [], open: new Set() };
  const page = await freshPage();
  await page.routeWebSocket(/\/ws/, (ws) => {
    if (relay.offline) { ws.close(); return; }
    const upstream = ws.connectToServer();
    const link = { ws, upstream, dead: false };
    relay.open.add(link);
    const cut = () => {
      link.dead = true;
      relay.open.delete(link);
      ws.close();
      upstream.close();
    };
    link.cut = cut;
    ws.onMessage((message) => {
      if (link.dead) return;
      const msg = parse(message);
      if (msg?.id && msg.type !== 'hello') relay.sent.push(msg);
      upstream.send(message);
    });
    upstream.onMessage((message) => {
      if (link.dead) return;
      const msg = parse(message);
      if (relay.cutAtAck && msg?.type === 'ack') {
        relay.cutAtAck = false;
        relay.dropped.push(msg);
        cut();
        return;
      }
      if (msg?.type === 'ack' || msg?.type === 'error') relay.got.push(msg);
      ws.send(message);
    });
    ws.onClose(() => { if (!link.dead) cut(); });
  });
  relay.goOffline = () => {
    relay.offline = true;
    for (const link of [...relay.open]) link.cut();
  };
  await page.setViewportSize(LAPTOP);
  await page.goto(server.url(`/tib.html#token=${server.tokens['tib-varmland']}`));
  await signedIn(page);
  await page.locator('tr[data-hospital="karlstad"]').waitFor();
  return { page, relay };
}

function parse(message) {
  try { return JSON.parse(String(message)); } catch { return null; }
}

test('a report made while the server is down waits, survives a reload, and is stored once when the server is back', async () => {
  const tib = await openTib();
  const seq = await liveSeq();
  const reported = (await reportsOf('karlstad')).length;

  await server.stop();
  await tib.locator('#connection:not([data-state="connected"])').waitFor({ timeout: 5000 });
  // Disconnected, the page still lets the TiB report: it will be sent when the server answers.
  await tib.fill('input[name="karlstad.AdultICU"]', '7');
  await tib.fill('input[name="karlstad.P1"]', '3');
  await sendButton(tib, 'karlstad').click();
  const result = rowResult(tib, 'karlstad');
  await result.filter({ hasText: WAITING }).waitFor({ timeout: 2000 });
  assert.equal(await result.getAttribute('data-state'), 'waiting', 'not like sent or saved');
  assert.match(await result.locator('.ob-age').textContent(), /^sedan \d\d:\d\d, < 1 min$/);
  assert.ok(await sendButton(tib, 'karlstad').isDisabled(), 'one report of the row at a time');
  const kept = await stored(tib);
  assert.equal(kept.entries.length, 1);
  const entry = kept.entries[0];
  assert.equal(entry.cmd.type, 'report_capacity');
  assert.equal(entry.cmd.hospital, 'karlstad');
  assert.deepEqual(entry.cmd.beds, { AdultICU: { available: 7 } });
  assert.deepEqual(entry.cmd.reception, { P1: 3 });
  assert.equal(entry.id, entry.cmd.id);
  assert.equal(entry.meta.kind, 'report');
  const everything = await tib.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!everything.includes(server.tokens['tib-varmland']), 'the token is not in localStorage');
  await tib.screenshot({ path: artifactPath('outbox-waiting.png'), fullPage: true });

  // A reload with the server still away: no state to show, but the outbox is there.
  const closeFiles = await serveFilesWhileDown(server.port);
  await tib.reload();
  const item = tib.locator('#outbox-card .ob-item');
  await item.filter({ hasText: WAITING }).waitFor({ timeout: 5000 });
  assert.equal(await item.count(), 1);
  assert.equal(await item.locator('.ob-what').textContent(), 'Rapport – Centralsjukhuset Karlstad: IVA 7 · P1/tim 3');
  assert.equal(await tib.locator('#outbox-count').textContent(), '1');
  await tib.screenshot({ path: artifactPath('outbox-reloaded-offline.png'), fullPage: true });
  await closeFiles();

  // The server is back: the page signs in again and sends it, with the same id; stored once.
  await server.start();
  await signedIn(tib);
  await result.filter({ hasText: /Sparat \(nr \d+\)/ }).waitFor({ timeout: 10000 });
  assert.equal(await liveSeq(), seq + 1, 'one event');
  const reports = await reportsOf('karlstad');
  assert.equal(reports.length, reported + 1, 'the report is stored exactly once');
  assert.equal(reports.at(-1).by, 'tib-varmland');
  assert.equal(reports.at(-1).seq, seq + 1);
  assert.match(await result.textContent(), new RegExp(`Sparat \\(nr ${seq + 1}\\)`));
  const karlstad = await hospital('karlstad');
  assert.equal(karlstad.beds.AdultICU.available, 7);
  assert.equal(karlstad.reception.P1.value, 3);
  assert.equal(await stored(tib), null, 'answered: nothing left in the outbox');
  await tib.locator('#outbox-card').waitFor({ state: 'hidden', timeout: 2000 });
  assert.equal(await tib.inputValue('input[name="karlstad.AdultICU"]'), '7');
  await tib.waitForFunction(() => document.querySelector('input[name="karlstad.AdultICU"]').dataset.dirty === 'false');
  assert.ok(await sendButton(tib, 'karlstad').isEnabled());
  await tib.screenshot({ path: artifactPath('outbox-sent.png'), fullPage: true });
  await tib.close();
});

test('a report whose ack is lost with the connection is sent again, answered "already", and stored once', async () => {
  const { page: tib, relay } = await tibThroughRelay();
  const seq = await liveSeq();
  const reported = (await reportsOf('arvika')).length;
  relay.cutAtAck = true;
  await tib.fill('input[name="arvika.AdultICU"]', '2');
  await sendButton(tib, 'arvika').click();
  const result = rowResult(tib, 'arvika');
  // The server committed it, but the page never heard: it waits, and goes again on the reconnect.
  await result.filter({ hasText: /Sparat \(nr \d+\)/ }).waitFor({ timeout: 10000 });
  assert.equal(relay.dropped.length, 1, 'the first ack never reached the page');
  const first = relay.dropped[0];
  assert.equal(first.seq, seq + 1);
  const sends = relay.sent.filter((m) => m.type === 'report_capacity');
  assert.equal(sends.length, 2, 'sent twice');
  assert.equal(sends[1].id, sends[0].id, 'with the same id');
  assert.deepEqual(sends[1], sends[0], 'the same command');
  const answer = relay.got.find((m) => m.id === sends[0].id);
  assert.equal(answer.type, 'ack');
  assert.equal(answer.already, true);
  assert.equal(answer.seq, first.seq, 'the original\'s seq');
  assert.match(await result.textContent(), new RegExp(`Sparat \\(nr ${first.seq}\\) .*· redan sparat`));
  assert.equal(await result.getAttribute('data-state'), 'ok');

  assert.equal(await liveSeq(), seq + 1, 'stored once');
  assert.equal((await reportsOf('arvika')).length, reported + 1);
  assert.equal((await hospital('arvika')).beds.AdultICU.available, 2);
  assert.equal(await stored(tib), null);
  await tib.screenshot({ path: artifactPath('outbox-already.png'), fullPage: true });
  await tib.close();
});

test('a stale report asks first: "Släng" drops it unsent, "Skicka ändå" sends it with its id', async () => {
  const { page: tib, relay } = await tibThroughRelay();
  const admin = await server.client('admin');
  const input = tib.locator('input[name="torsby.AdultICU"]');
  const result = rowResult(tib, 'torsby');
  const torsby = await hospital('torsby');
  const max = torsby.beds.AdultICU.baseline + torsby.beds.AdultICU.surge24h;

  // Offline, the TiB reports; meanwhile someone else reports newer figures.
  relay.goOffline();
  await tib.locator('#connection:not([data-state="connected"])').waitFor({ timeout: 5000 });
  await input.fill('1');
  await sendButton(tib, 'torsby').click();
  await result.filter({ hasText: WAITING }).waitFor({ timeout: 2000 });
  const [entry] = (await stored(tib)).entries;
  await sleep(200);  // the other report is later
  assert.equal((await admin.command(report('torsby', { beds: { AdultICU: { available: max } } }))).type, 'ack');
  const seq = await liveSeq();

  // Back: the page asks instead of sending; the input still holds what the TiB typed.
  relay.offline = false;
  const ask = result.locator('.ob-line[data-state="ask"]');
  await ask.waitFor({ timeout: 10000 });
  assert.match(await ask.locator('.ob-text').textContent(),
    /^Rapporten från \d\d:\d\d är äldre än siffrorna som nu gäller \(\d\d:\d\d av admin\)\.$/);
  assert.equal(await result.getAttribute('data-state'), 'ask');
  assert.equal(await input.inputValue(), '1', 'not overwritten by the newer figures');
  assert.equal(await input.getAttribute('data-dirty'), 'true');
  assert.ok(await sendButton(tib, 'torsby').isDisabled());
  assert.equal(relay.sent.filter((m) => m.type === 'report_capacity').length, 0, 'nothing sent by itself');
  await tib.screenshot({ path: artifactPath('outbox-ask.png'), fullPage: true });
  await tib.setViewportSize(TABLET);
  assert.ok(await tib.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll on a tablet');
  await tib.screenshot({ path: artifactPath('outbox-ask-tablet.png'), fullPage: true });
  await tib.setViewportSize(LAPTOP);

  // "Släng": dropped, nothing sent, the input back to the figures that now hold.
  await ask.locator('button[data-action="outbox-discard"]').click();
  await result.filter({ hasText: 'Slängd – skickades inte.' }).waitFor({ timeout: 2000 });
  assert.equal(await input.inputValue(), String(max));
  assert.equal(await stored(tib), null);
  await sleep(500);
  assert.equal(await liveSeq(), seq, 'nothing stored');
  assert.equal(relay.sent.filter((m) => m.id === entry.id).length, 0);
  assert.equal((await hospital('torsby')).beds.AdultICU.reported_by, 'admin');
  assert.ok(await sendButton(tib, 'torsby').isEnabled());

  // Again, and this time "Skicka ändå": sent with its original id and stored.
  relay.goOffline();
  await tib.locator('#connection:not([data-state="connected"])').waitFor({ timeout: 5000 });
  await input.fill('2');
  await sendButton(tib, 'torsby').click();
  await result.filter({ hasText: WAITING }).waitFor({ timeout: 2000 });
  const [second] = (await stored(tib)).entries;
  await sleep(200);
  assert.equal((await admin.command(report('torsby', { beds: { AdultICU: { available: max - 1 } } }))).type, 'ack');
  const seq2 = await liveSeq();
  relay.offline = false;
  await ask.waitFor({ timeout: 10000 });
  assert.equal(await input.inputValue(), '2');
  await ask.locator('button[data-action="outbox-send"]').click();
  await result.filter({ hasText: /Sparat \(nr \d+\)/ }).waitFor({ timeout: 5000 });
  const sent = relay.sent.filter((m) => m.type === 'report_capacity');
  assert.equal(sent.length, 1);
  assert.equal(sent[0].id, second.id, 'the original id');
  assert.deepEqual(sent[0], second.cmd);
  assert.equal(await liveSeq(), seq2 + 1);
  const after = await hospital('torsby');
  assert.equal(after.beds.AdultICU.available, 2);
  assert.equal(after.beds.AdultICU.reported_by, 'tib-varmland');
  assert.equal((await reportsOf('torsby')).filter((e) => e.by === 'tib-varmland').length, 1);
  assert.equal(await stored(tib), null);
  await tib.close();
});

test('other commands wait in the Utkorg card: ambulances reported offline are sent when the link is back', async () => {
  const { page: tib, relay } = await tibThroughRelay();
  const seq = await liveSeq();
  relay.goOffline();
  await tib.locator('#connection:not([data-state="connected"])').waitFor({ timeout: 5000 });
  await tib.fill('#tp-ambulances-available', '4');
  await tib.click('#send-transport');
  await tib.locator('#transport-result[data-state="waiting"]').waitFor({ timeout: 2000 });
  const card = tib.locator('#outbox-card');
  await card.waitFor({ timeout: 2000 });
  const item = card.locator('.ob-item[data-kind="transport"]');
  assert.match(await item.locator('.ob-what').textContent(), /^Ambulanser och helikoptrar – Region Värmland: Ambulanser 4 lediga/);
  assert.match(await item.textContent(), new RegExp(WAITING));
  assert.ok(await tib.locator('#send-transport').isDisabled());
  await tib.screenshot({ path: artifactPath('outbox-card.png'), fullPage: true });

  relay.offline = false;
  await tib.locator('#transport-result[data-state="ok"]').waitFor({ timeout: 10000 });
  assert.match(await tib.locator('#transport-result').textContent(), /Sparat \(nr \d+\)/);
  await card.waitFor({ state: 'hidden', timeout: 2000 });
  assert.equal(await liveSeq(), seq + 1);
  const varmland = (await getJson(server, '/api/state')).body.state.regions.find((r) => r.id === 'varmland');
  assert.equal(varmland.transport.ambulances.available, 4);
  assert.equal(await stored(tib), null);
  await tib.close();
});
