// The server's own TLS (serve --tls-cert FILE --tls-key FILE), with a certificate made by the
// test: https and wss on one port with no plaintext, HSTS on every answer, TLS 1.2 at least, the
// key's file mode checked, a non-loopback bind refused without TLS unless --insecure-plaintext,
// and SIGHUP putting a renewed certificate (and the users file) in use without dropping anyone.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawHttp } from '../support/http.mjs';
import { report } from '../support/client.mjs';
import { createUsers, makeTempDir } from '../support/server.mjs';
import {
  makeCertificates, startServe, serveRefusal, httpsRequest, wssClient, tlsConnect, oldTlsHandshake,
  opensslSkip,
} from '../support/tls.mjs';

const HSTS = 'max-age=31536000';

/** The certificate a new TLS connection to `port` is shown: its SHA-256 fingerprint. */
function peerFingerprint(port, ca) {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(port, { ca });
    socket.once('secureConnect', () => { resolve(socket.getPeerCertificate().fingerprint256); socket.destroy(); });
    socket.once('error', reject);
  });
}

describe('the server\'s own TLS', { skip: opensslSkip() }, () => {
  let certs;
  let server;
  let origin;
  const tlsArgs = () => ['--tls-cert', certs.certPath, '--tls-key', certs.keyPath];
  before(async () => {
    certs = makeCertificates();
    server = await startServe({ args: [...tlsArgs(), '--request-timeout', '2000'] });
    origin = `https://localhost:${server.port}`;
  });
  after(async () => {
    await server?.stop();
    certs?.remove();
  });

  test('it says it listens on https://', () => {
    assert.equal(server.scheme, 'https', server.output());
  });

  test('GET /healthz over https says "tls": true and carries HSTS, as every answer does', async () => {
    const health = await httpsRequest(`${origin}/healthz`, { ca: certs.caPem });
    assert.equal(health.status, 200);
    const body = JSON.parse(health.body);
    assert.equal(body.status, 'ok');
    assert.equal(body.tls, true);
    assert.notEqual(body.insecure_plaintext, true);
    assert.equal(health.headers['strict-transport-security'], HSTS);
    assert.match(health.protocol, /^TLSv1\.[23]$/);
    for (const path of ['/', '/no-such-file', '/api/state?space=nope']) {
      const answer = await httpsRequest(`${origin}${path}`, { ca: certs.caPem });
      assert.equal(answer.headers['strict-transport-security'], HSTS, `${path} (${answer.status})`);
    }
  });

  test('a report over wss is acked and a board on wss, with the page\'s origin, gets the delta', async () => {
    const board = await wssClient(`wss://localhost:${server.port}/ws`, { ca: certs.caPem, origin });
    const reporter = await wssClient(`wss://localhost:${server.port}/ws`, { ca: certs.caPem, origin });
    try {
      const snapshot = await board.nextOfType('snapshot');
      await reporter.signIn(server.tokens['tib-orebro']);
      const ack = await reporter.command(report('uso', { beds: { AdultICU: { available: 3 } } }));
      assert.equal(ack.type, 'ack', JSON.stringify(ack));
      const delta = await board.nextOfType('delta');
      assert.equal(delta.seq, ack.seq);
      assert.equal(delta.seq, snapshot.seq + 1);
      assert.equal(delta.hospital.beds.AdultICU.available, 3);
      // Another site's page is refused here as on plaintext.
      await assert.rejects(wssClient(`wss://localhost:${server.port}/ws`, { ca: certs.caPem, origin: 'https://evil.example' }), /403/);
    } finally {
      await board.close();
      await reporter.close();
    }
  });

  test('plain HTTP to the TLS port gets no HTTP answer: closed, reset or a TLS alert', async () => {
    for (const request of ['GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n',
      'GET /ws HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n'
        + 'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n']) {
      const answer = await rawHttp(server.port, [request], { timeoutMs: 8000 });
      assert.equal(answer.status, null);
      assert.doesNotMatch(answer.raw, /HTTP\/1\.[01]/);
      assert.doesNotMatch(answer.raw, /"status"|<html/i);
      assert.equal(answer.timedOut, false, 'the connection is closed, not left open');
    }
    // And the server goes on serving TLS.
    assert.equal((await httpsRequest(`${origin}/healthz`, { ca: certs.caPem })).status, 200);
  });

  test('TLS 1.1 is refused; TLS 1.2 works', async () => {
    const old = await oldTlsHandshake(server.port);
    assert.ok(old, 'TLS 1.1 refused');
    assert.doesNotMatch(old.message, /no protocols available/i, 'the client did offer TLS 1.1');
    const protocol = await new Promise((resolve, reject) => {
      const socket = tlsConnect(server.port, { ca: certs.caPem, maxVersion: 'TLSv1.2' });
      socket.once('secureConnect', () => { resolve(socket.getProtocol()); socket.destroy(); });
      socket.once('error', reject);
    });
    assert.equal(protocol, 'TLSv1.2');
  });

  test('SIGHUP: new connections get the renewed certificate, an open wss connection stays', async () => {
    const url = `wss://localhost:${server.port}/ws`;
    const open = await wssClient(url, { ca: certs.caPem, origin });
    await open.signIn(server.tokens.admin);
    const before = open.socket._socket.getPeerCertificate().fingerprint256;
    assert.equal(before, certs.fingerprint256);
    assert.equal(await peerFingerprint(server.port, certs.caPem), before);

    const renewed = certs.reissue();
    assert.notEqual(renewed, before);
    server.child.kill('SIGHUP');
    let seen = before;
    for (let i = 0; i < 50 && seen !== renewed; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await peerFingerprint(server.port, certs.caPem);
    }
    assert.equal(seen, renewed, 'a new connection is shown the renewed certificate');

    assert.equal(open.isClosed, undefined, 'the open connection was not dropped');
    assert.equal((await open.command(report('falun', { reception: { P2: 5 } }))).type, 'ack');
    await open.close();
    const fresh = await wssClient(url, { ca: certs.caPem, origin });
    assert.equal(fresh.socket._socket.getPeerCertificate().fingerprint256, renewed);
    assert.equal((await fresh.signIn(server.tokens.admin)).id, 'admin');
    await fresh.close();
    assert.equal(server.child.exitCode, null, 'still running');
  });

  test('SIGHUP rereads the users file: a user added since can sign in', async () => {
    const usersPath = join(server.dir, 'users.json');
    const token = createUsers(usersPath, [{ id: 'tib-ny', role: 'reporter', region: 'dalarna' }])['tib-ny'];
    const url = `wss://localhost:${server.port}/ws`;
    const early = await wssClient(url, { ca: certs.caPem, origin });
    await assert.rejects(early.signIn(token), /unknown token|sign-in refused/, 'not before the SIGHUP');
    await early.close();
    server.child.kill('SIGHUP');
    let signedIn = null;
    for (let i = 0; i < 30 && !signedIn; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const client = await wssClient(url, { ca: certs.caPem, origin });
      signedIn = await client.signIn(token).catch(() => null);
      await client.close();
    }
    assert.equal(signedIn?.id, 'tib-ny', 'the users file was read again');
    assert.equal(server.child.exitCode, null, 'still running');
  });
});

describe('refusing to start', { skip: opensslSkip() }, () => {
  let certs;
  before(() => { certs = makeCertificates(); });
  after(() => certs?.remove());

  test('a key file readable by group or others: serve exits non-zero naming the key', async (t) => {
    for (const mode of [0o644, 0o640, 0o604]) {
      const dir = makeTempDir();
      t.after(() => dir.remove());
      const key = join(dir.path, 'key.pem');
      copyFileSync(certs.keyPath, key);
      chmodSync(key, mode);
      const result = await serveRefusal(['--tls-cert', certs.certPath, '--tls-key', key], { dir: dir.path });
      assert.equal(result.listened, false, `mode ${mode.toString(8)} was accepted:\n${result.output}`);
      assert.ok(result.code > 0, `exit code ${result.code}`);
      assert.ok(result.output.includes(key), `the message names ${key}:\n${result.output}`);
    }
    // Owner-only modes are fine.
    const dir = makeTempDir();
    t.after(() => dir.remove());
    const key = join(dir.path, 'key.pem');
    copyFileSync(certs.keyPath, key);
    chmodSync(key, 0o400);
    const ok = await serveRefusal(['--tls-cert', certs.certPath, '--tls-key', key], { dir: dir.path });
    assert.equal(ok.listened, true, ok.output);
  });

  test('a non-loopback bind without TLS exits non-zero unless --insecure-plaintext, which /healthz admits', async (t) => {
    const refused = await serveRefusal(['--bind', '0.0.0.0']);
    assert.equal(refused.listened, false, 'plaintext on every interface was accepted');
    assert.ok(refused.code > 0, `exit code ${refused.code}`);
    assert.match(refused.output, /--insecure-plaintext|--tls-cert/, refused.output);

    const insecure = await startServe({ args: ['--bind', '0.0.0.0', '--insecure-plaintext'] });
    t.after(() => insecure.stop());
    assert.match(insecure.output(), /insecure|plaintext|unencrypted/i, 'a warning at start');
    const health = await (await fetch(`http://127.0.0.1:${insecure.port}/healthz`)).json();
    assert.equal(health.insecure_plaintext, true);
    assert.equal(health.tls, false);

    // With TLS every interface is fine, and on loopback plaintext needs no flag.
    const secure = await startServe({ args: ['--bind', '0.0.0.0', '--tls-cert', certs.certPath, '--tls-key', certs.keyPath] });
    t.after(() => secure.stop());
    assert.equal(JSON.parse((await httpsRequest(`https://localhost:${secure.port}/healthz`, { ca: certs.caPem })).body).tls, true);
    const loopback = await startServe();
    t.after(() => loopback.stop());
    const plain = await (await fetch(`http://127.0.0.1:${loopback.port}/healthz`)).json();
    assert.equal(plain.tls, false);
    assert.notEqual(plain.insecure_plaintext, true);
  });
});
