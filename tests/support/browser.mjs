// Headless Debian Chromium driven by playwright-core (which never downloads a browser), and what
// every browser test sets up: the one server fixture (fixture.mjs) and a Swedish browser.
//
//   const suite = browserSuite({ args: ['--require-sign-in'] });
//   before(async () => { await suite.ready; ... });
//   const page = await suite.open('/', { viewport: WALL });        // waits until connected
//   const tib = await suite.openAs('tib-varmland', '/tib.html');   // a #token= link, signed in
//
// suite.server is the fixture (url(), tokens, client(user), stop(), start(), restart()): the clients
// a test opened with suite.server.client() are closed after it. suite.browser and suite.context are
// set once suite.ready resolves; the pages of the context fail the test on a page error.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './server.mjs';
import { serverFixture } from './fixture.mjs';

export const artifactDir = process.env.LAGESBILD_ARTIFACTS ?? join(repoRoot, 'test-artifacts');

/** The viewports the pages are made for: the 1080p wall, a laptop, a tablet. */
export const WALL = { width: 1920, height: 1080 };
export const LAPTOP = { width: 1280, height: 900 };
export const TABLET = { width: 820, height: 1180 };

export async function launchBrowser() {
  // playwright-core gives every launch a fresh, temporary profile of its own.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

export function artifactPath(name) {
  mkdirSync(artifactDir, { recursive: true });
  return join(artifactDir, name);
}

/** A browser context in Swedish and Stockholm time whose pages fail the test on a page error. */
export async function swedishContext(browser) {
  const context = await browser.newContext({ locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  context.on('page', (page) => page.on('pageerror', (error) => { throw error; }));
  return context;
}

/**
 * A test file's server and browser: the server fixture (`options` go to serverFixture, e.g.
 * {args: ['--require-sign-in']}) and one Swedish browser context, started before the file's tests
 * and stopped after them. A file's own `before` awaits `suite.ready` (Node runs top-level `before`
 * hooks without waiting for each other).
 */
export function browserSuite(options = {}) {
  const suite = { server: serverFixture(options) };
  let started;
  suite.ready = new Promise((resolve, reject) => { started = { resolve, reject }; });
  suite.ready.catch(() => { /* reported by the hook */ });
  before(async () => {
    try {
      await suite.server.ready;
      suite.chromium = await launchBrowser();
      suite.browser = suite.chromium.browser;
      suite.context = await swedishContext(suite.browser);
      started.resolve(suite);
    } catch (error) {
      started.reject(error);
      throw error;
    }
  });
  after(async () => {
    await suite.chromium?.close();
  });

  /**
   * A new page of the context at `path` (of the suite's server), in `viewport`; it resolves once
   * the page shows `waitFor` (default: connected to the server; null: at once).
   */
  suite.open = async (path, { viewport = LAPTOP, waitFor = '#connection[data-state="connected"]' } = {}) => {
    const page = await suite.context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(suite.server.url(path));
    if (waitFor) await page.locator(waitFor).first().waitFor({ timeout: 5000 });
    return page;
  };

  /**
   * `path` opened with a sign-in link for `user` (#token=…): resolves once the page shows the user
   * signed in, and the token is gone from the address bar.
   */
  suite.openAs = async (user, path, { viewport = LAPTOP } = {}) => {
    const token = suite.server.tokens[user];
    const page = await suite.open(`${path}#token=${token}`, { viewport, waitFor: null });
    await page.locator('#user').filter({ hasText: user }).waitFor({ timeout: 5000 });
    assert.ok(!page.url().includes(token), 'the token is removed from the address bar');
    return page;
  };

  return suite;
}
