// Lägesbild behind Debian's nginx with the shipped deploy/nginx/lagesbild.conf, started by the
// test (only its ports and certificate paths changed): https and wss with a certificate made by
// the test, a report round trip, WebSockets outliving the server's keepalive, plaintext on the
// TLS port refused, port 80 redirecting, and what nginx tells the server about the client.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import tls from 'node:tls';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { rawHttp } from '../support/http.mjs';
import { report } from '../support/client.mjs';
import { startFixture } from '../support/fixture.mjs';
import {
  makeCertificates, startNginx, httpsRequest, wssClient, tlsConnect, oldTlsHandshake, nginxSkip,
  nginxBinary, shippedNginxConf, rewriteNginxConf,
} from '../support/tls.mjs';

const skip = nginxSkip();
const shipped = readFileSync(shippedNginxConf, 'utf8');
// The directives alone: comments may name what the directives must not do.
const directives = shipped.replace(/#.*$/gm, '');
const block = (start) => {
  const at = directives.indexOf(start);
  assert.ok(at >= 0, `no "${start}" in ${shippedNginxConf}`);
  return directives.slice(at, directives.indexOf('}', at));
};
const seconds = (text, directive) => Number(new RegExp(`^\\s*${directive}\\s+(\\d+)s;`, 'm').exec(text)?.[1]);
const get = (path, host = 'localhost') => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;

describe('the shipped nginx configuration', { skip }, () => {
  test('keeps WebSockets past the server keepalive, replaces X-Forwarded-For, TLS 1.2+ only', () => {
    const ws = block('location = /ws');
    // The server pings every 20 s by default: nginx must wait well beyond one silent interval.
    for (const directive of ['proxy_read_timeout', 'proxy_send_timeout']) {
      assert.ok(seconds(ws, directive) >= 60, `${directive} in /ws is ${seconds(ws, directive)} s`);
    }
    assert.match(ws, /proxy_http_version 1\.1;/);
    assert.match(ws, /proxy_buffering off;/);
    assert.doesNotMatch(directives, /\$proxy_add_x_forwarded_for/, 'a client must not be able to add an address');
    assert.doesNotMatch(directives, /set_real_ip_from|real_ip_header/, 'nginx is the edge: its peer is the client');
    // proxy_set_header is not inherited by a location that sets one of its own: each sets all.
    const locations = directives.split(/^\s*location\s/m).slice(1);
    assert.equal(locations.length, 3);
    for (const location of locations) {
      assert.match(location, /proxy_set_header X-Forwarded-For \$remote_addr;/);
      assert.match(location, /proxy_set_header X-Forwarded-Proto \$scheme;/);
      assert.match(location, /proxy_set_header Host \$http_host;/);
      assert.match(location, /proxy_buffering off;/);
    }
    assert.match(directives, /^\s*ssl_protocols TLSv1\.2 TLSv1\.3;/m);
    assert.match(directives, /^\s*server_tokens off;/m);
    assert.match(shipped, /^\s*ssl_certificate \/etc\/lagesbild\/tls\/cert\.pem;/m);
    assert.match(shipped, /^\s*ssl_certificate_key \/etc\/lagesbild\/tls\/key\.pem;/m);
  });

  test('fits into Debian\'s own nginx.conf as a conf.d file (nginx -t)', (t) => {
    const certs = makeCertificates();
    t.after(() => certs.remove());
    // Debian's file with its log, pid and include paths moved into the temp folder; the site
    // file with only its certificate paths changed; sites-enabled left out, as the file says.
    const site = shipped.replaceAll('/etc/lagesbild/tls/cert.pem', certs.certPath)
      .replaceAll('/etc/lagesbild/tls/key.pem', certs.keyPath);
    writeFileSync(join(certs.dir, 'lagesbild.conf'), site);
    const main = readFileSync('/etc/nginx/nginx.conf', 'utf8')
      .replace(/^pid .*$/m, `pid ${certs.dir}/nginx.pid;`)
      .replaceAll('/var/log/nginx/', `${certs.dir}/`)
      .replace('include /etc/nginx/conf.d/*.conf;', `include ${certs.dir}/lagesbild.conf;`)
      .replace('include /etc/nginx/sites-enabled/*;', '');
    writeFileSync(join(certs.dir, 'nginx.conf'), main);
    const out = execFileSync(nginxBinary, ['-t', '-p', `${certs.dir}/`, '-c', join(certs.dir, 'nginx.conf'),
      '-e', join(certs.dir, 'error.log')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(out, '');
    assert.doesNotMatch(readFileSync(join(certs.dir, 'error.log'), 'utf8'), /\[(warn|emerg|crit)\]/);
  });

  test('the test changes only listen ports, the upstream port and the certificate paths', () => {
    const { text, changed } = rewriteNginxConf(shipped,
      { httpsPort: 1, httpPort: 2, upstreamPort: 3, certPath: '/c', keyPath: '/k' });
    const before = shipped.split('\n');
    const after = text.split('\n');
    assert.equal(after.length, before.length);
    const differ = before.filter((line, i) => line !== after[i]);
    assert.equal(differ.length, changed.length);
    for (const line of differ) assert.match(line, /^\s*(listen |server 127\.0\.0\.1:8080|ssl_certificate(_key)? )/);
  });
});

describe('lagesbild through nginx over https and wss', { skip }, () => {
  let certs;
  let srv;
  let proxy;
  before(async () => {
    certs = makeCertificates();
    // As deployed: nginx is the trusted proxy. Pings every 2 s, to see them pass through nginx.
    srv = await startFixture({ args: ['--keepalive', '2', '--trusted-proxy', '127.0.0.1'] });
    proxy = await startNginx({ upstreamPort: srv.port, certs });
  });
  after(async () => {
    await proxy?.stop();
    await srv?.dispose();
    certs?.remove();
  });
  const options = () => ({ ca: certs.caPem });

  test('GET /healthz over TLS 1.3 with HSTS, no nginx version, the server\'s own headers kept', async () => {
    const health = await httpsRequest(proxy.url('/healthz'), options());
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).status, 'ok');
    assert.equal(health.headers['strict-transport-security'], 'max-age=31536000');
    assert.equal(health.headers.server, 'nginx');
    assert.equal(health.headers['x-content-type-options'], 'nosniff');
    assert.equal(health.protocol, 'TLSv1.3');
    // `always`: an error answer carries HSTS too.
    const missing = await httpsRequest(proxy.url('/no-such-file'), options());
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['strict-transport-security'], 'max-age=31536000');
    const page = await httpsRequest(proxy.url('/'), options());
    assert.equal(page.status, 200);
    assert.match(page.body, /<html/i);
  });

  test('a reporter\'s report over wss is acked and a board on wss gets the delta', async () => {
    const origin = proxy.origin;  // as the board page at https://localhost:<port>/ sends it
    const board = await wssClient(proxy.wsUrl(), { ...options(), origin });
    const reporter = await wssClient(proxy.wsUrl(), { ...options(), origin });
    try {
      const snapshot = await board.nextOfType('snapshot');
      assert.equal((await reporter.signIn(srv.tokens['tib-uppsala'])).id, 'tib-uppsala');
      const ack = await reporter.command(report('akademiska', { beds: { AdultICU: { available: 4 } } }));
      assert.equal(ack.type, 'ack', JSON.stringify(ack));
      const delta = await board.nextOfType('delta');
      assert.equal(delta.seq, ack.seq);
      assert.equal(delta.seq, snapshot.seq + 1);
      assert.equal(delta.hospital.beds.AdultICU.available, 4);
      assert.equal(delta.event.actor.id, 'tib-uppsala');
      const state = JSON.parse((await httpsRequest(proxy.url('/api/state'), options())).body);
      assert.equal(state.state.hospitals.find((h) => h.id === 'akademiska').beds.AdultICU.available, 4);
    } finally {
      await board.close();
      await reporter.close();
    }
  });

  test('another site\'s page is still refused its WebSocket through the proxy (403)', async () => {
    const refused = await httpsRequest(proxy.url('/ws'), { ...options(), headers: {
      Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', Origin: 'https://evil.example' } });
    assert.equal(refused.status, 403);
    assert.equal(JSON.parse(refused.body).code, 'origin_forbidden');
    await assert.rejects(wssClient(proxy.wsUrl(), { ...options(), origin: `http://localhost:${proxy.httpsPort + 1}` }), /403/);
  });

  test('a wss connection stays open across several server keepalives (--keepalive 2, 6 s)', async () => {
    const client = await wssClient(proxy.wsUrl(), { ...options(), origin: proxy.origin });
    let pings = 0;
    client.socket.on('ping', () => { pings += 1; });
    await client.nextOfType('snapshot');
    await new Promise((resolve) => setTimeout(resolve, 6000));
    assert.equal(client.isClosed, undefined, 'still open');
    assert.ok(pings >= 2, `the server's pings pass through nginx (${pings} seen)`);
    await client.signIn(srv.tokens.admin);
    const ack = await client.command(report('uso', { reception: { P1: 2 } }));
    assert.equal(ack.type, 'ack');
    await client.close();
  });

  test('plain HTTP to the TLS port gets nginx\'s 400, never a page', async () => {
    const answer = await rawHttp(proxy.httpsPort, [get('/')]);
    assert.equal(answer.status, 400);
    assert.match(answer.body, /The plain HTTP request was sent to HTTPS port/);
    assert.doesNotMatch(answer.body, /Lägesbild|<script/);
    const upgrade = await rawHttp(proxy.httpsPort, [`GET /ws HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\n`
      + 'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n']);
    assert.equal(upgrade.status, 400);
  });

  test('port 80 redirects every path to https, and serves nothing itself', async () => {
    for (const path of ['/', '/tib.html?space=live', '/ws', '/api/state']) {
      const answer = await rawHttp(proxy.httpPort, [get(path, 'lagesbild.example')]);
      assert.ok([301, 308].includes(answer.status), `${path}: ${answer.status}`);
      assert.equal(answer.headers.location, `https://lagesbild.example${path}`);
      assert.doesNotMatch(answer.body, /"status"|Lägesbild/);
    }
  });

  test('TLS 1.1 and a cipher outside the list are refused; TLS 1.2 with a listed one works', async () => {
    const old = await oldTlsHandshake(proxy.httpsPort);
    assert.ok(old, 'TLS 1.1 refused');
    assert.doesNotMatch(old.message, /no protocols available/i, 'the client did offer TLS 1.1');
    const weak = await new Promise((resolve) => {
      const socket = tlsConnect(proxy.httpsPort, { ...options(), maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' });
      socket.once('secureConnect', () => { socket.destroy(); resolve(null); });
      socket.once('error', resolve);
    });
    assert.ok(weak, 'a CBC-SHA1 suite is refused');
    const modern = await new Promise((resolve, reject) => {
      const socket = tlsConnect(proxy.httpsPort, { ...options(), maxVersion: 'TLSv1.2' });
      socket.once('secureConnect', () => { resolve([socket.getProtocol(), socket.getCipher().name]); socket.destroy(); });
      socket.once('error', reject);
    });
    assert.equal(modern[0], 'TLSv1.2');
    assert.match(modern[1], /^ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
  });

  test('control: this client can speak TLS 1.1 and CBC-SHA1 when a server allows it', async () => {
    const server = tls.createServer({ cert: readFileSync(certs.certPath), key: readFileSync(certs.keyPath),
      minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (socket) => socket.end());
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      assert.equal(await oldTlsHandshake(server.address().port), null);
    } finally {
      server.close();
    }
  });

  test('pages go over HTTP/2 when the client offers it', async () => {
    const session = http2.connect(proxy.url('/'), { ca: certs.caPem, family: 4 });
    try {
      const { status, body } = await new Promise((resolve, reject) => {
        const stream = session.request({ ':path': '/healthz' });
        let status;
        let data = '';
        stream.on('response', (headers) => { status = headers[':status']; });
        stream.on('data', (chunk) => { data += chunk; });
        stream.on('end', () => resolve({ status, body: data }));
        stream.on('error', reject);
      });
      assert.equal(status, 200);
      assert.equal(JSON.parse(body).status, 'ok');
      assert.equal(session.alpnProtocol, 'h2');
    } finally {
      session.close();
    }
  });

  test('a request body beyond client_max_body_size is refused by nginx (413)', async () => {
    const big = await httpsRequest(proxy.url('/api/state'), { ...options(), method: 'POST', body: 'x'.repeat(20000),
      headers: { 'Content-Type': 'text/plain' } });
    assert.equal(big.status, 413);
    const small = await httpsRequest(proxy.url('/api/state'), { ...options(), method: 'POST', body: '{}' });
    assert.equal(small.status, 405, 'a small one reaches the server, which allows GET and HEAD only');
  });
});

describe('what nginx tells the server (a recording upstream in its place)', { skip }, () => {
  let certs;
  let proxy;
  let upstream;
  const seen = [];
  before(async () => {
    certs = makeCertificates();
    upstream = http.createServer((request, response) => {
      seen.push({ path: request.url, headers: request.headers });
      response.end('{}');
    });
    new WebSocketServer({ server: upstream }).on('connection', (socket, request) => {
      seen.push({ path: request.url, headers: request.headers });
      socket.send('{}');
    });
    await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    proxy = await startNginx({ upstreamPort: upstream.address().port, certs });
  });
  after(async () => {
    await proxy?.stop();
    upstream?.close();
    upstream?.closeAllConnections();
    certs?.remove();
  });
  const forged = { 'X-Forwarded-For': '6.6.6.6', 'X-Forwarded-Proto': 'http', 'X-Real-IP': '6.6.6.6' };

  test('X-Forwarded-For is nginx\'s view of the peer, never what the client sent; Proto is https', async () => {
    seen.length = 0;
    for (const path of ['/', '/healthz', '/api/state?space=live']) {
      assert.equal((await httpsRequest(proxy.url(path), { ca: certs.caPem, headers: forged })).status, 200);
    }
    const ws = await wssClient(proxy.wsUrl('/ws?space=live'), { ca: certs.caPem, origin: proxy.origin, headers: forged });
    await ws.next();
    await ws.close();
    assert.deepEqual(seen.map((s) => s.path), ['/', '/healthz', '/api/state?space=live', '/ws?space=live']);
    for (const { path, headers } of seen) {
      assert.equal(headers['x-forwarded-for'], '127.0.0.1', path);
      assert.equal(headers['x-forwarded-proto'], 'https', path);
      assert.equal(headers.host, `localhost:${proxy.httpsPort}`, `${path}: the Host the browser sent`);
    }
    const upgrade = seen.at(-1).headers;
    assert.equal(upgrade.upgrade, 'websocket');
    assert.equal(upgrade.connection.toLowerCase(), 'upgrade');
    assert.equal(upgrade.origin, proxy.origin);
    assert.equal(seen[0].headers.upgrade, undefined);
  });

  test('over HTTP/2 too the server gets the Host and the real address', async () => {
    seen.length = 0;
    const session = http2.connect(proxy.url('/'), { ca: certs.caPem, family: 4 });
    await new Promise((resolve, reject) => {
      const stream = session.request({ ':path': '/api/spaces', 'x-forwarded-for': '6.6.6.6' });
      stream.on('data', () => {});
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    session.close();
    assert.equal(seen.length, 1);
    assert.equal(seen[0].headers.host, `localhost:${proxy.httpsPort}`);
    assert.equal(seen[0].headers['x-forwarded-for'], '127.0.0.1');
  });

  test('the read limit lets a board load (and a few more) through, and stops a flood with 429', async () => {
    // A board loads about 20 reads at once; several boards behind one NAT address reload together.
    const load = await Promise.all(Array.from({ length: 100 }, () => httpsRequest(proxy.url('/api/history'), { ca: certs.caPem })));
    assert.deepEqual([...new Set(load.map((r) => r.status))], [200]);
    const statuses = [];
    for (let i = 0; i < 400; i += 40) {
      const batch = await Promise.all(Array.from({ length: 40 }, () => httpsRequest(proxy.url('/api/history'), { ca: certs.caPem })));
      statuses.push(...batch.map((r) => r.status));
    }
    assert.ok(statuses.includes(429), 'a flood of 500 reads in a moment is limited');
    assert.ok(statuses.filter((s) => s === 200).length >= 150, 'the burst allowance is not tiny');
    // The pages themselves are not rate limited: a reload storm of static files still works.
    const pages = await Promise.all(Array.from({ length: 60 }, () => httpsRequest(proxy.url('/board.js'), { ca: certs.caPem })));
    assert.deepEqual([...new Set(pages.map((r) => r.status))], [200]);
  });
});
