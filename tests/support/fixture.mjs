// The one server fixture of the integration and browser tests: the real lagesbild binary on a free
// loopback port with a fresh event log in a temporary folder, the standard users and their tokens,
// test clients that are closed for you, and stop/start/restart for crash and durability tests.
//
//   import { serverFixture, withServer, startFixture, scratchDir } from '../support/fixture.mjs';
//
//   const srv = serverFixture({ args: ['--resume-window', '5'] });
//     One server for the whole test file: started in a `before` hook, stopped and its folder removed
//     in an `after` hook; the clients a test opened with srv.client() are closed after that test.
//     The fields are set once the hook has run (inside tests). Node runs a file's top-level `before`
//     hooks without waiting for each other: a file's own `before` awaits `srv.ready` first.
//   await withServer({ args: ['--require-sign-in'] }, async (srv) => { ... });
//     One server for one test: started, handed to the body, and disposed of when the body ends or
//     throws (clients closed, server stopped, its own folder removed). The options may be left out.
//   const srv = await startFixture(options); ... await srv.dispose();
//     The same by hand. Rejects (with the server's output) if the server does not start.
//   const dir = scratchDir();
//     A temporary folder for a test file's own files, removed after the file's tests.
//
// Options, all optional:
//   args       extra `lagesbild serve` arguments (e.g. noRateLimits from server.mjs)
//   dir        the folder for the log and users file: a path or a scratchDir(); default a temporary
//              folder of the fixture's own, removed by dispose()
//   db         the event log's file name (or path) in that folder, default 'log.db'; or
//   dbPath     the event log's full path (its folder is then `dir`, and is not removed)
//   users      the users to create, default standardUsers (admin, trainer, viewer, tib-<region>)
//   usersPath  the users file, default next to the log; one given without `users` is used as it is
//              (and `tokens` is then empty)
//   port       the first start's port, default 0 (a free one)
//
// A fixture (of the server process now running, or last run):
//   port, url(path), tokens ({user id: token}), dbPath, dir (a path), args, child, exited, output()
//   client(user = null, query = '')  a TestClient (client.mjs) on /ws + query (e.g. '?space=live'):
//              signed in as `user` (an id in tokens; resolves after the welcome), or anonymous for
//              null. The server's first snapshot is still queued: await client.nextOfType('snapshot').
//   closeClients()                 closes every client from client() that is still open
//   stop(signal = 'SIGTERM')       stops the server, resolves with {code, signal}; fails if a
//              sanitizer reported anything; then ends what is left of the clients. On a stopped
//              fixture it does nothing and resolves with the last result.
//   start()                        starts the server again on the same log, users and tokens, on the
//              port it had (a page that reconnects finds it again)
//   restart({ signal, args, port }) stop(signal), then start() with `args` and `port` if given
//   dispose()                      closeClients(), stop(), and the fixture's own folder removed
import { before, after, afterEach } from 'node:test';
import { dirname, join } from 'node:path';
import { makeTempDir, startServer } from './server.mjs';
import { TestClient } from './client.mjs';

export class ServerFixture {
  constructor({ args = [], dir, db = 'log.db', dbPath, users, usersPath, port = 0 } = {}) {
    Object.assign(this, { args, users, usersPath, nextPort: port });
    const folder = typeof dir === 'string' ? dir : dir?.path;
    this.ownDir = folder || dbPath ? null : makeTempDir();
    this.dir = folder ?? (dbPath ? dirname(dbPath) : this.ownDir.path);
    this.dbPath = dbPath ?? join(this.dir, db);
    this.process = null;  // the startServer handle of the server running or last run
    this.running = false;
    this.lastExit = null;
    this.clients = new Set();
    this.tokens = {};
  }

  get port() { return this.process?.port; }
  get child() { return this.process?.child; }
  get exited() { return this.process?.exited; }
  output() { return this.process?.output() ?? ''; }
  url(path = '/') { return `http://127.0.0.1:${this.port}${path}`; }

  async start() {
    if (this.running) throw new Error('the server is running already');
    const { dbPath, args, users, usersPath } = this;
    this.process = await startServer({ dbPath, port: this.nextPort, args, users, usersPath });
    this.running = true;
    this.nextPort = this.process.port;
    this.tokens = this.process.tokens;
    return this;
  }

  async stop(signal = 'SIGTERM') {
    if (!this.running) return this.lastExit;
    this.running = false;
    try {
      this.lastExit = await this.process.stop(signal);
    } finally {
      for (const client of this.clients) client.socket.terminate();
      this.clients.clear();
    }
    return this.lastExit;
  }

  async restart({ signal, args, port } = {}) {
    await this.stop(signal);
    if (args) this.args = args;
    if (port !== undefined) this.nextPort = port;
    return this.start();
  }

  async client(user = null, query = '') {
    if (user !== null && !(user in this.tokens)) {
      throw new Error(`no user '${user}'; the fixture has ${Object.keys(this.tokens).join(', ') || 'none'}`);
    }
    const client = await TestClient.connect(this.port, query);
    this.clients.add(client);
    if (user !== null) await client.signIn(this.tokens[user]);
    return client;
  }

  // Graceful closes; a client that does not finish its close within 3 s (one that stopped
  // reading, say) is cut.
  async closeClients() {
    const open = [...this.clients].filter((client) => !client.isClosed);
    this.clients.clear();
    await Promise.all(open.map((client) => {
      const timer = setTimeout(() => client.socket.terminate(), 3000);
      return client.close().finally(() => clearTimeout(timer));
    }));
  }

  async dispose() {
    try {
      await this.closeClients();
      await this.stop();
    } finally {
      this.ownDir?.remove();
    }
  }
}

export async function startFixture(options) {
  const srv = new ServerFixture(options);
  try {
    return await srv.start();
  } catch (error) {
    srv.ownDir?.remove();
    throw error;
  }
}

export async function withServer(options, body) {
  if (typeof options === 'function') [options, body] = [{}, options];
  const srv = await startFixture(options);
  try {
    return await body(srv);
  } finally {
    await srv.dispose();
  }
}

export function serverFixture(options) {
  const srv = new ServerFixture(options);
  let started;
  srv.ready = new Promise((resolve, reject) => { started = { resolve, reject }; });
  srv.ready.catch(() => { /* reported by the hook */ });
  before(async () => {
    try {
      started.resolve(await srv.start());
    } catch (error) {
      started.reject(error);
      throw error;
    }
  });
  afterEach(() => srv.closeClients());
  after(() => srv.dispose());
  return srv;
}

export function scratchDir(prefix) {
  const dir = makeTempDir(prefix);
  after(() => dir.remove());
  return dir;
}
