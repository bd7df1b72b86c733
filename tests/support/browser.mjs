// Headless Debian Chromium driven by playwright-core (which never downloads a browser).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './server.mjs';

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
