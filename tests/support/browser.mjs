// Headless Debian Chromium driven by playwright-core (which never downloads a browser).
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startServer, makeTempDir } from './server.mjs';

export const artifactDir = process.env.LAGESBILD_ARTIFACTS ?? join(repoRoot, 'test-artifacts');

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

/**
 * A test file's server and browser: the real server on a fresh temporary event log (`serverOptions`
 * go to startServer, e.g. {args: ['--require-sign-in']}) and one Swedish browser context, started
 * before the file's tests and stopped after them. A page error fails the test. The fields of the
 * returned object (dir, server, chromium, context) are set once `ready` resolves: a file's own
 * `before` awaits it (Node runs top-level `before` hooks without waiting for each other).
 */
export function browserSuite(serverOptions = {}) {
  const suite = {};
  let started;
  suite.ready = new Promise((resolve, reject) => { started = { resolve, reject }; });
  suite.ready.catch(() => { /* reported by the hook */ });
  before(async () => {
    try {
      suite.dir = makeTempDir();
      suite.server = await startServer({ dbPath: `${suite.dir.path}/log.db`, ...serverOptions });
      suite.chromium = await launchBrowser();
      suite.context = await suite.chromium.browser.newContext({ locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
      suite.context.on('page', (page) => page.on('pageerror', (error) => { throw error; }));
      started.resolve(suite);
    } catch (error) {
      started.reject(error);
      throw error;
    }
  });
  after(async () => {
    await suite.chromium?.close();
    await suite.server?.stop();
    suite.dir?.remove();
  });
  return suite;
}
