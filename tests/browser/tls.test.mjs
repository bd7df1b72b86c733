// The board over https in headless Chromium, with a certificate made by the test: A through
// Debian's nginx with the shipped deploy/nginx/lagesbild.conf, B on the server's own TLS
// (serve --tls-cert/--tls-key). In each the page must connect its wss WebSocket (the server's
// Origin check included) and show a report sent by a Node client over wss within a few seconds.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { report } from '../support/client.mjs';
import { startFixture } from '../support/fixture.mjs';
import { launchBrowser, artifactPath, WALL } from '../support/browser.mjs';
import {
  makeCertificates, startNginx, startServe, wssClient, nginxSkip, opensslSkip,
} from '../support/tls.mjs';

let chromium;
let certs;
before(async () => {
  if (opensslSkip()) return;
  certs = makeCertificates();
  chromium = await launchBrowser();
});
after(async () => {
  await chromium?.close();
  certs?.remove();
});

/**
 * Opens the board at `origin`/ in a fresh Swedish context that ignores certificate errors (the
 * test CA is not in Chromium's store), and checks that the page really came over TLS from the
 * test's certificate. Returns {page, context, failures}: failures lists every answer >= 400 and
 * every page error, so a read refused by a limit shows up.
 */
async function openBoard(origin) {
  const context = await chromium.browser.newContext({
    locale: 'sv-SE', timezoneId: 'Europe/Stockholm', ignoreHTTPSErrors: true, viewport: WALL,
  });
  const failures = [];
  context.on('page', (page) => page.on('pageerror', (error) => failures.push(`page error: ${error.message}`)));
  context.on('response', (response) => {
    if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
  });
  const page = await context.newPage();
  const response = await page.goto(`${origin}/`);
  assert.equal(response.status(), 200);
  const security = await response.securityDetails();
  assert.ok(security, 'the page came over TLS');
  assert.equal(security.issuer, 'Lagesbild test CA');
  assert.match(security.protocol, /TLS 1\.[23]/);
  assert.equal(await page.evaluate(() => location.protocol), 'https:');
  await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 10000 });
  assert.match(await page.locator('#connection').textContent(), /Ansluten/);
  return { page, context, failures };
}

/** A report over wss from a Node client (signed in as a trainer) shows on the board. */
async function reportShows(page, wsUrl, token, { origin, ca }, available) {
  const reporter = await wssClient(wsUrl, { ca, origin });
  try {
    await reporter.signIn(token);
    const sentAt = Date.now();
    const ack = await reporter.command(report('akademiska', { beds: { AdultICU: { available } } }));
    assert.equal(ack.type, 'ack', JSON.stringify(ack));
    await page.waitForFunction(
      (want) => document.querySelector('[data-hospital="akademiska"] [data-figure="AdultICU"]')?.textContent.trim() === want,
      String(available), { timeout: 5000 });
    return Date.now() - sentAt;
  } finally {
    await reporter.close();
  }
}

describe('the board over https through nginx', { skip: nginxSkip() }, () => {
  test('nginx: the board loads over https, connects over wss and shows a report', async (t) => {
    const srv = await startFixture({ args: ['--trusted-proxy', '127.0.0.1'] });
    t.after(() => srv.dispose());
    const proxy = await startNginx({ upstreamPort: srv.port, certs });
    t.after(() => proxy.stop());

    const { page, context, failures } = await openBoard(proxy.origin);
    t.after(() => context.close());
    // The page's own WebSocket went through nginx with the page's origin and was accepted.
    assert.equal(await page.locator('[data-hospital]').count(), 18);
    const shownAfter = await reportShows(page, proxy.wsUrl(), srv.tokens.admin,
      { origin: proxy.origin, ca: certs.caPem }, 6);
    assert.ok(shownAfter < 5000, `shown after ${shownAfter} ms`);
    await page.screenshot({ path: artifactPath('board-https-nginx.png') });

    // A reload, as a wall screen does after a network blip: the reads are not limited away.
    await page.reload();
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 10000 });
    assert.equal((await page.locator('[data-hospital="akademiska"] [data-figure="AdultICU"]').textContent()).trim(), '6');
    assert.deepEqual(failures, []);
    assert.match(proxy.accessLog(), /"GET \/ws\?[^"]* HTTP\/1\.1" 101 .*HeadlessChrome/,
      'the page\'s own WebSocket went through nginx');
  });
});

describe('the board over the server\'s own TLS', { skip: opensslSkip() }, () => {
  test('built-in TLS: the board loads over https, connects over wss and shows a report', async (t) => {
    const server = await startServe({ args: ['--tls-cert', certs.certPath, '--tls-key', certs.keyPath] });
    t.after(() => server.stop());
    assert.equal(server.scheme, 'https', 'it says it listens on https://');
    const origin = `https://localhost:${server.port}`;

    const { page, context, failures } = await openBoard(origin);
    t.after(() => context.close());
    assert.equal(await page.locator('[data-hospital]').count(), 18);
    const shownAfter = await reportShows(page, `wss://localhost:${server.port}/ws`, server.tokens.admin,
      { origin, ca: certs.caPem }, 5);
    assert.ok(shownAfter < 5000, `shown after ${shownAfter} ms`);
    await page.screenshot({ path: artifactPath('board-https-builtin.png') });
    assert.deepEqual(failures, []);
  });
});
