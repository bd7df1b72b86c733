// Starts the real lagesbild binary on a free port with a temporary event log, for integration
// and browser tests. Hermetic: loopback only, temp directories, no internet.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
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

export const regionIds = ['dalarna', 'gavleborg', 'sormland', 'uppsala', 'varmland', 'vastmanland', 'orebro'];

// The standard test users: an admin (writes live), a trainer (runs exercises, writes only in
// them), a viewer and one reporter per region ("tib-<region>").
export const standardUsers = [
  { id: 'admin', role: 'admin' },
  { id: 'trainer', role: 'trainer' },
  { id: 'viewer', role: 'viewer' },
  ...regionIds.map((region) => ({ id: `tib-${region}`, role: 'reporter', region })),
];

// Creates users with the real `lagesbild users add`; returns their tokens by id.
export function createUsers(usersPath, users = standardUsers, extraArgs = []) {
  const tokens = {};
  for (const { id, role, region } of users) {
    const args = ['users', 'add', id, '--role', role, '--users', usersPath, ...extraArgs];
    if (region) args.push('--region', region);
    tokens[id] = execFileSync(serverBinary, args, { encoding: 'utf8' }).trim();
  }
  return tokens;
}

// For tests that flood the server on purpose: the per-connection and server-wide rate limits off.
export const noRateLimits = ['--message-rate', '1e7', '--message-burst', '1e7', '--write-rate', '1e7'];

// Resolves once the server prints its listening line; rejects if it exits first. The users file
// (`usersPath`, default next to the database) is made with `users` (default the standard users) the
// first time, and their tokens are kept beside it, so a restart on the same files has the same
// `tokens`. A `usersPath` given without `users` is used as it is, and `tokens` is then empty.
export async function startServer({ dbPath, port = 0, args = [], usersPath, users, timeoutMs = 10000 } = {}) {
  let tokens = {};
  if (!usersPath) {
    usersPath = `${dbPath}.users.json`;
    users ??= standardUsers;
  }
  if (users) {
    const tokensPath = `${usersPath}.tokens`;
    tokens = existsSync(tokensPath) ? JSON.parse(readFileSync(tokensPath, 'utf8')) : createUsers(usersPath, users);
    writeFileSync(tokensPath, JSON.stringify(tokens));
  }
  const child = spawn(
    serverBinary,
    ['serve', '--port', String(port), '--db', dbPath, '--users', usersPath, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const boundPort = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on https?:\/\/[^:]+:(\d+)\//.exec(output);
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
    tokens,
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

// `token`: sent as Authorization: Bearer (the trainers' API, or any read with --require-sign-in).
export async function getJson(server, path, token) {
  const response = await fetch(server.url(path), token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  return { status: response.status, body: await response.json() };
}
