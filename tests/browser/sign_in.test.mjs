// A server started with --require-sign-in shows nothing before a sign-in: the board shows a sign-in
// box and no figures; signed in with a viewer's token it is the board as usual, its API requests
// carry the token as Authorization: Bearer, and the token is never in a URL the page requests.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { report } from '../support/client.mjs';
import { browserSuite, artifactPath } from '../support/browser.mjs';

const suite = browserSuite({ args: ['--require-sign-in'] });
let server;
let context;

before(async () => {
  ({ server, context } = await suite.ready);
  const admin = await server.client('admin');
  assert.equal((await admin.command(report('akademiska', { beds: { AdultICU: { available: 7 } } }))).type, 'ack');
  await admin.close();
});

/** Every URL the page asks for (HTTP and WebSocket) and every /api request, as they are sent. */
function watch(page) {
  const seen = { urls: [], api: [] };
  page.on('request', (request) => {
    // The fragment (#token=… of a sign-in link) is never sent; everything before it is.
    seen.urls.push(request.url().split('#')[0]);
    if (new URL(request.url()).pathname.startsWith('/api/')) seen.api.push(request);
  });
  page.on('websocket', (socket) => seen.urls.push(socket.url()));
  return seen;
}

const figure = (page, hospital, name) => page.locator(`[data-hospital="${hospital}"] [data-figure="${name}"]`);

test('the board shows a sign-in box and no figures until a viewer signs in; the token never goes into a URL', async () => {
  const board = await context.newPage();
  await board.setViewportSize({ width: 1920, height: 1080 });
  const seen = watch(board);
  await board.goto(server.url('/'));
  await board.locator('body[data-auth="required"] #sign-in-panel #sign-in-form').waitFor({ timeout: 5000 });
  assert.match(await board.locator('#sign-in-panel').textContent(), /Logga in för att se lägesbilden/);
  assert.match(await board.locator('#sign-in-result').textContent(), /bara för inloggade/);
  assert.match(await board.locator('#connection').textContent(), /logga in/);
  assert.equal(await board.locator('[data-hospital]').count(), 0, 'no figures before a sign-in');
  await board.screenshot({ path: artifactPath('board-sign-in-required.png') });

  // A wrong key: told so, still nothing shown.
  await board.fill('#token', 'fel-nyckel');
  await board.click('#sign-in');
  await board.locator('#sign-in-result[data-state="error"]').filter({ hasText: 'okänd eller ogiltig' }).waitFor({ timeout: 5000 });
  assert.equal(await board.locator('[data-hospital]').count(), 0);

  await board.fill('#token', server.tokens.viewer);
  await board.click('#sign-in');
  await board.locator('#connection[data-state="connected"]').waitFor({ timeout: 5000 });
  assert.equal(await board.locator('[data-hospital]').count(), 18);
  assert.equal((await figure(board, 'akademiska', 'AdultICU').textContent()).trim(), '7');
  assert.equal(await board.locator('body').getAttribute('data-auth'), 'signed-in');
  assert.match(await board.locator('#user').textContent(), /viewer/);
  assert.ok(await board.locator('#sign-in-form').isHidden());
  await board.screenshot({ path: artifactPath('board-signed-in.png') });

  // Its API reads (the trends, the space list) go with the token as a Bearer header, and succeed.
  await board.waitForFunction(() => document.querySelectorAll('[data-trend]').length > 0);
  await board.waitForTimeout(500);
  const history = seen.api.filter((r) => r.url().includes('/api/history'));
  assert.ok(history.length >= 18, `${history.length} history requests`);
  assert.ok(seen.api.some((r) => r.url().includes('/api/spaces')), 'the space list is fetched after signing in');
  const signedIn = seen.api.filter((r) => r.headers().authorization);
  for (const request of signedIn) {
    assert.equal(request.headers().authorization, `Bearer ${server.tokens.viewer}`);
    assert.equal((await request.response())?.status(), 200, request.url());
  }
  assert.ok(history.every((r) => r.headers().authorization), 'every history request carries the token');

  // Live: a report shows.
  const admin = await server.client('admin');
  assert.equal((await admin.command(report('akademiska', { beds: { AdultICU: { available: 5 } } }))).type, 'ack');
  await board.waitForFunction(
    () => document.querySelector('[data-hospital="akademiska"] [data-figure="AdultICU"]')?.textContent.trim() === '5',
    null, { timeout: 2000 });

  // A reload signs in again by itself (the tab keeps the token), and comes back current.
  await board.reload();
  await board.locator('#connection[data-state="connected"]').waitFor({ timeout: 5000 });
  assert.equal((await figure(board, 'akademiska', 'AdultICU').textContent()).trim(), '5');
  assert.ok(await board.locator('#sign-in-form').isHidden());

  // The server restarts: the board signs in again by itself, without showing the sign-in card.
  await board.evaluate(() => {
    window.cardShown = false;
    new MutationObserver(() => { if (document.body.dataset.auth === 'required') window.cardShown = true; })
      .observe(document.body, { attributes: true, attributeFilter: ['data-auth'] });
  });
  await admin.close();
  await server.stop();
  await board.locator('#connection:not([data-state="connected"])').waitFor({ timeout: 5000 });
  await server.start();  // the same log, users and port
  await board.locator('#connection[data-state="connected"]').waitFor({ timeout: 10000 });
  assert.equal((await figure(board, 'akademiska', 'AdultICU').textContent()).trim(), '5');
  assert.equal(await board.locator('body').getAttribute('data-auth'), 'signed-in');
  assert.equal(await board.evaluate(() => window.cardShown), false, 'no sign-in card while signing in again');

  for (const url of seen.urls) assert.ok(!url.includes(server.tokens.viewer), `token in ${url}`);
  assert.ok(seen.urls.some((url) => url.startsWith('ws://')), 'the WebSocket was seen');
  await board.close();
});

test('a #token= link signs the board in; the TiB page signs in the same way', async () => {
  const board = await context.newPage();
  const seen = watch(board);
  await board.goto(server.url(`/#token=${server.tokens.viewer}`));
  await board.locator('#connection[data-state="connected"]').waitFor({ timeout: 5000 });
  assert.equal(await board.locator('[data-hospital]').count(), 18);
  assert.ok(!board.url().includes(server.tokens.viewer), 'the token is removed from the address bar');
  for (const url of seen.urls) assert.ok(!url.includes(server.tokens.viewer), `token in ${url}`);
  await board.close();

  const tib = await context.newPage();
  const tibSeen = watch(tib);
  await tib.goto(server.url('/tib.html'));
  await tib.locator('#sign-in-result[data-state="error"]').filter({ hasText: 'bara för inloggade' }).waitFor({ timeout: 5000 });
  assert.equal(await tib.locator('tr[data-hospital]').count(), 0);
  await tib.fill('#token', server.tokens['tib-uppsala']);
  await tib.click('#sign-in');
  await tib.locator('#user').filter({ hasText: 'tib-uppsala' }).waitFor({ timeout: 5000 });
  await tib.locator('tr[data-hospital="akademiska"]').waitFor({ timeout: 5000 });
  assert.equal(await tib.locator('#connection').getAttribute('data-state'), 'connected');
  for (const url of tibSeen.urls) assert.ok(!url.includes(server.tokens['tib-uppsala']), `token in ${url}`);
  await tib.close();
});
