// TLS for the tests: a throwaway CA and a server certificate made with the openssl CLI, Debian's
// nginx started with the shipped deploy/nginx/lagesbild.conf (only its ports and file paths
// rewritten), the lagesbild server with its own TLS, and https/wss clients that trust the test CA.
// Hermetic: temporary folders, free loopback ports, no internet.
//
//   const certs = makeCertificates();          // certs.caPem, certPath, keyPath, reissue(), remove()
//   const proxy = await startNginx({ upstreamPort: srv.port, certs });   // proxy.httpsPort, stop()
//   const client = await wssClient(proxy.wsUrl(), { ca: certs.caPem, origin: proxy.origin });
//   const tlsServer = await startServe({ args: ['--tls-cert', certs.certPath, ...] });
//
// nginxSkip() / opensslSkip(): false when the tool is there; a reason to skip when it is not; and
// they throw when CI is set, so a CI run without them fails instead of skipping quietly.
import { execFileSync, spawn } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { join } from 'node:path';
import WebSocket from 'ws';
import { TestClient } from './client.mjs';
import { createUsers, makeTempDir, repoRoot, serverBinary, standardUsers } from './server.mjs';

export const nginxBinary = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
// LAGESBILD_NGINX_CONF: another file in its place (to see a changed setting fail the tests).
export const shippedNginxConf = process.env.LAGESBILD_NGINX_CONF ?? join(repoRoot, 'deploy', 'nginx', 'lagesbild.conf');

function unavailable(what, probe) {
  try {
    probe();
    return false;
  } catch (error) {
    const reason = `${what} is not available (${error.code ?? error.message}); install it (scripts/install-deps.sh --test)`;
    if (process.env.CI) throw new Error(`${reason}: CI is set, so this test must run`);
    return reason;
  }
}
export const opensslSkip = () => unavailable('openssl', () => execFileSync('openssl', ['version'], { stdio: 'pipe' }));
export const nginxSkip = () => opensslSkip()
  || unavailable(nginxBinary, () => execFileSync(nginxBinary, ['-v'], { stdio: 'pipe' }));

// ---------------------------------------------------------------------------------------------
// Certificates

const openssl = (args, cwd) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * A CA and a server certificate for `names` (DNS) and `ips` (IP) in the subjectAltName, in a
 * temporary folder (or `dir`): caPath, caPem, certPath, keyPath (mode 600), fingerprint256 (as
 * tls getPeerCertificate() gives it). reissue() puts a new key and certificate from the same CA
 * in place (each written beside and renamed over, as a renewal tool does) and returns the new
 * fingerprint. remove() deletes the folder when it was made here.
 */
export function makeCertificates({ names = ['localhost'], ips = ['127.0.0.1'], dir } = {}) {
  const own = dir ? null : makeTempDir('lagesbild-tls-');
  const folder = dir ?? own.path;
  writeFileSync(join(folder, 'ca.cnf'), [
    '[req]', 'distinguished_name = dn', 'prompt = no', 'x509_extensions = ca',
    '[dn]', 'CN = Lagesbild test CA',
    '[ca]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign',
    'subjectKeyIdentifier = hash', ''].join('\n'));
  writeFileSync(join(folder, 'server.cnf'), [
    '[req]', 'distinguished_name = dn', 'prompt = no', `[dn]`, `CN = ${names[0] ?? ips[0]}`,
    '[server]', 'basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature',
    'extendedKeyUsage = serverAuth',
    `subjectAltName = ${[...names.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP:${ip}`)].join(', ')}`,
    ''].join('\n'));
  openssl(['req', '-x509', '-new', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-config', 'ca.cnf'], folder);
  chmodSync(join(folder, 'ca.key'), 0o600);

  const certs = {
    dir: folder,
    caPath: join(folder, 'ca.pem'),
    caPem: readFileSync(join(folder, 'ca.pem'), 'utf8'),
    certPath: join(folder, 'cert.pem'),
    keyPath: join(folder, 'key.pem'),
    fingerprint256: null,
    reissue() {
      openssl(['req', '-new', ...ecKey, '-keyout', 'next-key.pem', '-out', 'next.csr', '-config', 'server.cnf'], folder);
      chmodSync(join(folder, 'next-key.pem'), 0o600);
      openssl(['x509', '-req', '-in', 'next.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
        '-set_serial', `0x${randomBytes(12).toString('hex')}`, '-days', '2',
        '-extfile', 'server.cnf', '-extensions', 'server', '-out', 'next-cert.pem'], folder);
      renameSync(join(folder, 'next-key.pem'), certs.keyPath);
      renameSync(join(folder, 'next-cert.pem'), certs.certPath);
      certs.fingerprint256 = new X509Certificate(readFileSync(certs.certPath)).fingerprint256;
      return certs.fingerprint256;
    },
    remove: () => own?.remove(),
  };
  certs.reissue();
  return certs;
}

// ---------------------------------------------------------------------------------------------
// Ports and clients

/** A free loopback port (bound to 0 and released; good enough on a test machine). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once `port` on 127.0.0.1 takes a TCP connection; rejects after `timeoutMs`. */
export async function waitForPort(port, { timeoutMs = 10000, failed = () => null } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    const why = failed();
    if (why) throw new Error(why);
    if (Date.now() > deadline) throw new Error(`nothing answers on port ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * An https request over IPv4: {status, headers, body, protocol (TLS version)}. `options` go to
 * https.request (method, headers, ca, servername, …).
 */
export function httpsRequest(url, { body, ...options } = {}) {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { family: 4, ...options }, (response) => {
      const protocol = response.socket.getProtocol?.();
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({
        status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'),
        protocol,
      }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * A TestClient (client.mjs) on a wss:// (or ws://) URL: `ca` to trust, `origin` for the Origin
 * header a browser page would send, `headers` beside it. Rejects with the HTTP status when the
 * upgrade is refused ("Unexpected server response: 403").
 */
export async function wssClient(url, { ca, origin, headers, ...options } = {}) {
  const socket = new WebSocket(url, { ca, origin, headers, family: 4, ...options });
  const client = new TestClient(socket);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return client;
}

/** Resolves with the error (or null) of a handshake offering TLS 1.0–1.1 only to `port`. */
export function oldTlsHandshake(port, servername = 'localhost') {
  return new Promise((resolve) => {
    // SECLEVEL=0: OpenSSL 3 would not even offer TLS 1.1 otherwise, and the refusal must come from
    // the server, not from this client.
    const socket = tlsConnect(port, { servername, minVersion: 'TLSv1', maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0', rejectUnauthorized: false });
    socket.once('secureConnect', () => { socket.destroy(); resolve(null); });
    socket.once('error', (error) => resolve(error));
  });
}

/** tls.connect to 127.0.0.1:`port`. */
export function tlsConnect(port, options = {}) {
  return tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...options });
}

// ---------------------------------------------------------------------------------------------
// nginx with the shipped configuration

/**
 * The shipped configuration with only what a test must change: its listen ports (to loopback
 * and free ports; the IPv6 listens are left out), the upstream's port and the certificate paths.
 * Throws when the file no longer has exactly the lines this expects, so an edit to it cannot
 * make the tests silently run something else. Returns {text, changed: [[before, after], …]}.
 */
export function rewriteNginxConf(text, { httpsPort, httpPort, upstreamPort, certPath, keyPath }) {
  const rules = [
    ['listen 443', /^(\s*)listen\s+443(\s[^;]*)?;/, (m) => `${m[1]}listen 127.0.0.1:${httpsPort}${m[2] ?? ''};`, 1],
    ['listen 80', /^(\s*)listen\s+80(\s[^;]*)?;/, (m) => `${m[1]}listen 127.0.0.1:${httpPort}${m[2] ?? ''};`, 1],
    ['listen [::]', /^(\s*)listen\s+\[::\]:\d+[^;]*;/, (m) => `${m[1]}# (test: IPv6 listen left out)`, null],
    ['upstream server', /^(\s*)server\s+127\.0\.0\.1:8080(\s[^;]*)?;/, (m) => `${m[1]}server 127.0.0.1:${upstreamPort}${m[2] ?? ''};`, 1],
    ['ssl_certificate', /^(\s*)ssl_certificate\s+\S+;/, (m) => `${m[1]}ssl_certificate ${certPath};`, 1],
    ['ssl_certificate_key', /^(\s*)ssl_certificate_key\s+\S+;/, (m) => `${m[1]}ssl_certificate_key ${keyPath};`, 1],
  ];
  const counts = new Map(rules.map(([name]) => [name, 0]));
  const changed = [];
  const lines = text.split('\n').map((line) => {
    for (const [name, pattern, replace] of rules) {
      const match = pattern.exec(line);
      if (!match) continue;
      counts.set(name, counts.get(name) + 1);
      const next = replace(match) + line.slice(match[0].length);
      changed.push([line, next]);
      return next;
    }
    return line;
  });
  for (const [name, , , expected] of rules) {
    if (expected !== null && counts.get(name) !== expected) {
      throw new Error(`${shippedNginxConf}: expected ${expected} "${name}" line(s), found ${counts.get(name)}`);
    }
  }
  return { text: lines.join('\n'), changed };
}

// What is still running when the test process ends (a test that threw past its cleanup) is
// killed: nginx by its process group, a server started here by its pid.
const running = new Set();
const servers = new Set();
process.on('exit', () => {
  for (const child of running) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  for (const child of servers) try { child.kill('SIGKILL'); } catch { /* gone */ }
});

/**
 * Starts /usr/sbin/nginx in the foreground with the shipped configuration (rewritten as above) in
 * a temporary prefix: pid, error log, access log and every temp path inside it. Resolves once the
 * TLS port answers: {httpsPort, httpPort, dir, origin, url(path), wsUrl(path), errorLog(),
 * accessLog(), changed, stop()}. stop() ends nginx's process group (master and workers).
 */
export async function startNginx({ upstreamPort, certs, confPath = shippedNginxConf }) {
  const dir = makeTempDir('lagesbild-nginx-');
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const { text, changed } = rewriteNginxConf(readFileSync(confPath, 'utf8'),
    { httpsPort, httpPort, upstreamPort, certPath: certs.certPath, keyPath: certs.keyPath });
  const p = (name) => join(dir.path, name);
  writeFileSync(p('lagesbild.conf'), text);
  writeFileSync(p('nginx.conf'), [
    // As root nginx would run its workers as "nobody", who cannot enter this folder.
    process.getuid?.() === 0 ? 'user root;' : '',
    'daemon off;', 'master_process on;', 'worker_processes 1;',
    `pid ${p('nginx.pid')};`, `error_log ${p('error.log')} notice;`,
    'events { worker_connections 1024; }',
    'http {',
    '  include /etc/nginx/mime.types;', '  default_type application/octet-stream;',
    `  access_log ${p('access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${p(t)};`),
    `  include ${p('lagesbild.conf')};`,
    '}', ''].join('\n'));

  const child = spawn(nginxBinary, ['-p', `${dir.path}/`, '-c', p('nginx.conf'), '-e', p('error.log')],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { running.delete(child); resolve({ code, signal }); }));
  const errorLog = () => (existsSync(p('error.log')) ? readFileSync(p('error.log'), 'utf8') : '');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
      await exited;
      clearTimeout(timer);
    }
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* no worker left: good */ }
    dir.remove();
  };
  try {
    await waitForPort(httpsPort, {
      failed: () => (child.exitCode !== null || child.signalCode !== null
        ? `nginx exited (${child.exitCode ?? child.signalCode}):\n${output}\n${errorLog()}` : null),
    });
    await waitForPort(httpPort);
  } catch (error) {
    await stop();
    throw error;
  }
  const origin = `https://localhost:${httpsPort}`;
  return {
    httpsPort, httpPort, dir: dir.path, origin, changed, child, exited, errorLog,
    url: (path = '/') => `${origin}${path}`,
    wsUrl: (path = '/ws') => `wss://localhost:${httpsPort}${path}`,
    accessLog: () => (existsSync(p('access.log')) ? readFileSync(p('access.log'), 'utf8') : ''),
    stop,
  };
}

// ---------------------------------------------------------------------------------------------
// lagesbild serve with its own TLS (or any flags the fixture's start does not know)

/**
 * `lagesbild serve` with `args` on a free port, a fresh log and the standard users in `dir` (a
 * temporary folder of its own by default). Resolves once it prints "listening on http(s)://…":
 * {port, scheme, tokens, child, output(), url(path), wsUrl(path), stop()}; rejects with its
 * output if it exits first. The folder is removed by stop() when it was made here.
 */
export async function startServe({ args = [], dir, users = standardUsers, timeoutMs = 10000 } = {}) {
  const own = dir ? null : makeTempDir('lagesbild-serve-');
  const folder = dir ?? own.path;
  const usersPath = join(folder, 'users.json');
  const tokensPath = `${usersPath}.tokens`;
  const tokens = existsSync(tokensPath) ? JSON.parse(readFileSync(tokensPath, 'utf8')) : createUsers(usersPath, users);
  writeFileSync(tokensPath, JSON.stringify(tokens));
  const child = spawn(serverBinary, ['serve', '--port', '0', '--db', join(folder, 'log.db'), '--users', usersPath, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  servers.add(child);
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { servers.delete(child); resolve({ code, signal }); }));
  const listening = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`server did not start:\n${output}`)); }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (https?):\/\/[^\s]+:(\d+)\//.exec(output);
      if (match) { clearTimeout(timer); resolve({ scheme: match[1], port: Number(match[2]) }); }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`server exited (${code ?? signal}) before listening:\n${output}`), { code, output }));
    });
  }).catch((error) => { own?.remove(); throw error; });
  const host = listening.scheme === 'https' ? 'localhost' : '127.0.0.1';
  return {
    ...listening, tokens, child, exited, dir: folder,
    output: () => output,
    url: (path = '/') => `${listening.scheme}://${host}:${listening.port}${path}`,
    wsUrl: (path = '/ws') => `${listening.scheme === 'https' ? 'wss' : 'ws'}://${host}:${listening.port}${path}`,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const result = await exited;
      own?.remove();
      return result;
    },
  };
}

/**
 * Runs `lagesbild serve` with `args` expecting it to refuse to start: resolves with {code,
 * output, listened} once it exits, or after `timeoutMs` with listened=true if it started instead
 * (it is then stopped), so a test can assert on either.
 */
export async function serveRefusal(args, { timeoutMs = 20000, dir } = {}) {
  try {
    const server = await startServe({ args, dir, timeoutMs });
    await server.stop();
    return { code: 0, output: server.output(), listened: true };
  } catch (error) {
    if (error.output === undefined) throw error;
    return { code: error.code, output: error.output, listened: false };
  }
}
