// Starts the real lagesbild binary on a free port with a temporary event log, for integration
// and browser tests. Hermetic: loopback only, temp directories, no internet.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const serverBinary =
  process.env.LAGESBILD_BIN ?? join(repoRoot, 'build', 'release', 'lagesbild');

export function makeTempDir(prefix = 'lagesbild-it-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// Resolves once the server prints its listening line; rejects if it exits first.
export async function startServer({ dbPath, port = 0, args = [], timeoutMs = 10000 } = {}) {
  const child = spawn(
    serverBinary,
    ['serve', '--port', String(port), '--db', dbPath, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const boundPort = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on http:\/\/[^:]+:(\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return {
    port: boundPort,
    child,
    exited,
    output: () => output,
    url: (path = '/') => `http://127.0.0.1:${boundPort}${path}`,
    // Stops the server; fails if a sanitizer reported anything during its life.
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const result = await exited;
      if (/ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|WARNING: ThreadSanitizer/.test(output)) {
        throw new Error(`sanitizer report from the server:\n${output}`);
      }
      return result;
    },
  };
}

export async function getJson(server, path) {
  const response = await fetch(server.url(path));
  return { status: response.status, body: await response.json() };
}
