// More messages than a snapshot carries: the board shows the newest ones and says how many of how
// many; "Visa äldre meddelanden" fetches older pages until none are left; the open messages the
// snapshot had no room for are counted and fetched ("+N äldre okvitterade"); an acknowledgement of
// a message fetched from a page still updates it. The TiB inbox fetches older open messages too.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { noRateLimits } from '../support/server.mjs';
import { browserSuite, artifactPath } from '../support/browser.mjs';

const BIG = 150;    // open messages of ~4 KB each: more than the snapshot's 512 KiB budget holds
const SMALL = 60;   // closed ones after them: more than the 50 newest the state keeps
const TOTAL = BIG + SMALL;

// Many messages from one connection at once: no rate limits.
const suite = browserSuite({ args: [...noRateLimits] });
let server;
let context;
let seqs;           // seq of each message, in the order posted

before(async () => {
  ({ server, context } = await suite.ready);
  const admin = await server.client('admin');
  const posts = [];
  for (let i = 1; i <= TOTAL; i++) {
    const big = i <= BIG;
    posts.push(admin.command({
      v: 1, type: 'post_message', id: `m-${i}`, space: 'live', kind: 'information', to: ['orebro'],
      requires_ack: big, text: big ? `Okvitterat nr ${i} ${'x'.repeat(3900)}` : `Litet meddelande nr ${i}`,
    }, 30000));
  }
  const replies = await Promise.all(posts);
  assert.ok(replies.every((r) => r.type === 'ack'), JSON.stringify(replies.find((r) => r.type !== 'ack')));
  seqs = replies.map((r) => r.seq);
  await admin.close();
});

const id = (n) => `live:${seqs[n - 1]}`;
const logCount = (page) => page.locator('#log-list [data-message]').count();

test('the board shows the newest messages and the counts, fetches older ones until none are left, and acknowledgements still update them', async () => {
  const board = await context.newPage();
  await board.setViewportSize({ width: 1920, height: 1080 });
  await board.goto(server.url('/'));
  await board.locator('#connection[data-state="connected"]').waitFor();

  // The newest are shown; the oldest closed ones are not in the snapshot.
  await board.locator(`#log-list [data-message="${id(TOTAL)}"]`).waitFor();
  assert.equal(await board.locator(`#log-list [data-message="${id(BIG + 1)}"]`).count(), 0);
  const first = await logCount(board);
  assert.ok(first < TOTAL, `${first} shown at first`);
  const counts = new RegExp(`Visar ${first} av ${TOTAL} meddelanden`);
  assert.match(await board.locator('#log-more').textContent(), counts);

  // Open messages the snapshot had no room for: counted in the panel, fetched on request.
  const unackMore = board.locator('#unack-more');
  assert.ok(await unackMore.isVisible(), 'the hidden open messages are mentioned');
  const hidden = Number(/\+(\d+) äldre okvitterade/.exec(await unackMore.textContent())?.[1]);
  assert.ok(hidden > 0, await unackMore.textContent());
  assert.equal((await board.locator('#unack-count').textContent()).trim(), String(BIG));
  assert.equal(await board.locator('#unack-list [data-message]').count(), BIG - hidden);
  await board.screenshot({ path: artifactPath('board-older-messages.png') });
  await unackMore.getByRole('button', { name: 'Visa äldre okvitterade' }).click();
  await unackMore.waitFor({ state: 'hidden', timeout: 5000 });
  assert.equal(await board.locator('#unack-list [data-message]').count(), BIG);
  assert.equal(await board.locator(`#unack-list [data-message="${id(1)}"]`).count(), 1, 'the oldest open message');

  // "Visa äldre meddelanden" until everything is there.
  const older = board.getByRole('button', { name: 'Visa äldre meddelanden' });
  let clicks = 0;
  let shown = await logCount(board);
  while (await older.isVisible()) {
    assert.ok(++clicks <= 10, 'no more pages than the log has');
    await older.click();
    await board.waitForFunction((n) => document.querySelectorAll('#log-list [data-message]').length > n
      || document.querySelector('#log-more .more-error:not([hidden])'), shown, { timeout: 5000 });
    assert.equal(await board.locator('#log-more .more-error:not([hidden])').count(), 0);
    shown = await logCount(board);
  }
  assert.ok(clicks >= 1);
  assert.equal(shown, TOTAL);
  assert.match(await board.locator('#log-more').textContent(), new RegExp(`Alla ${TOTAL} meddelanden visas`));
  await board.locator(`#log-list [data-message="${id(BIG + 1)}"]`).waitFor();
  const ids = await board.locator('#log-list [data-message]').evaluateAll((els) => els.map((e) => e.dataset.message));
  assert.equal(new Set(ids).size, TOTAL, 'each message once');

  // An acknowledgement of the oldest message (fetched from a page) updates it on the board.
  const orebro = await server.client('tib-orebro');
  assert.equal((await orebro.command({ v: 1, type: 'acknowledge', id: 'k-1', space: 'live', message: id(1) })).type, 'ack');
  await board.locator(`#unack-list [data-message="${id(1)}"]`).waitFor({ state: 'detached', timeout: 2000 });
  assert.equal(await board.locator(`#log-list [data-message="${id(1)}"]`).getAttribute('data-pending'), '0');
  assert.equal((await board.locator('#unack-count').textContent()).trim(), String(BIG - 1));
  // A new message counts too.
  assert.equal((await orebro.command({
    v: 1, type: 'post_message', id: 'm-new', space: 'live', kind: 'information', to: 'all', text: 'Ett nytt meddelande',
  })).type, 'ack');
  await board.locator('#log-more').filter({ hasText: `Alla ${TOTAL + 1} meddelanden visas` }).waitFor({ timeout: 2000 });
  await orebro.close();
  await board.close();
});

test('the TiB inbox counts and fetches the older open messages for its region, with the token as a Bearer header', async () => {
  const tib = await context.newPage();
  const requests = [];
  tib.on('request', (request) => { if (request.url().includes('/api/messages')) requests.push(request); });
  await tib.goto(server.url(`/tib.html#token=${server.tokens['tib-orebro']}`));
  await tib.locator('#user').filter({ hasText: 'tib-orebro' }).waitFor({ timeout: 5000 });
  const more = tib.locator('#inbox-more');
  await more.waitFor({ timeout: 5000 });
  assert.match(await more.textContent(), /\+\d+ äldre okvitterade meddelanden är inte hämtade – några kan vara till Region Örebro län/);
  assert.match(await tib.locator('#inbox-alert').textContent(), /äldre okvitterade är inte hämtade/);
  const before = Number(await tib.locator('#inbox-count').textContent());
  await more.getByRole('button', { name: 'Hämta äldre okvitterade' }).click();
  await more.waitFor({ state: 'hidden', timeout: 5000 });
  // Every open message left is Region Örebro län's (the first was acknowledged above).
  await tib.waitForFunction((n) => Number(document.querySelector('#inbox-count').textContent) > n, before);
  assert.equal(await tib.locator('#inbox [data-waits-for-me="true"]').count(), BIG - 1);
  assert.ok(requests.length > 0);
  for (const request of requests) {
    assert.match(request.url(), /open=true/);
    assert.equal(request.headers().authorization, `Bearer ${server.tokens['tib-orebro']}`);
    assert.ok(!request.url().includes(server.tokens['tib-orebro']));
  }
  await tib.close();
});
