// HTTP/1.1 done right: a table of raw requests, each with the status it must get. Fragmented
// requests must be waited for, not answered early; a request head that never completes is cut at
// the request time-out; every answer says Connection: close and carries the security headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rawHttp } from '../support/http.mjs';
import { serverFixture } from '../support/fixture.mjs';

const server = serverFixture({ args: ['--request-timeout', '1000'] });

const get = (target, headers = 'Host: localhost\r\n', version = 'HTTP/1.1') => `GET ${target} ${version}\r\n${headers}\r\n`;
const host = 'Host: localhost\r\n';

// [name, parts (sent in order, `gap` ms apart), expected status, options]
const table = [
  ['GET /healthz', [get('/healthz')], 200],
  ['HEAD /healthz has no body', [`HEAD /healthz HTTP/1.1\r\n${host}\r\n`], 200, { emptyBody: true }],
  ['HEAD of an error has no body either', [`HEAD /api/state?space=nope HTTP/1.1\r\n${host}\r\n`], 404, { emptyBody: true }],
  ['HEAD of a refused read has no body', [`HEAD /api/scenarios HTTP/1.1\r\n${host}\r\n`], 401, { emptyBody: true }],
  ['HTTP/1.0 with Host', [get('/healthz', host, 'HTTP/1.0')], 200],
  ['a static file', [get('/')], 200],
  ['an unknown path', [get('/nope')], 404],
  ['HTTP/1.0 without Host', [get('/healthz', '', 'HTTP/1.0')], 400],
  ['HTTP/1.1 without Host', [get('/healthz', '')], 400],
  ['two Host headers', [get('/healthz', 'Host: a\r\nHost: b\r\n')], 400],
  ['a Host with a comma', [get('/healthz', 'Host: a, b\r\n')], 400],
  ['a Host with a space', [get('/healthz', 'Host: a b\r\n')], 400],
  ['Content-Length: abc', [get('/healthz', `${host}Content-Length: abc\r\n`)], 400],
  ['Content-Length: -1', [get('/healthz', `${host}Content-Length: -1\r\n`)], 400],
  ['Content-Length: 5, 5', [get('/healthz', `${host}Content-Length: 5, 5\r\n`)], 400],
  ['Content-Length: 0x10', [get('/healthz', `${host}Content-Length: 0x10\r\n`)], 400],
  ['two Content-Length headers', [get('/healthz', `${host}Content-Length: 0\r\nContent-Length: 0\r\n`)], 400],
  ['Transfer-Encoding: chunked', [get('/healthz', `${host}Transfer-Encoding: chunked\r\n`) + '0\r\n\r\n'], 400],
  ['a control character in a value', [get('/healthz', `${host}X-A: a\u0001b\r\n`)], 400],
  ['DEL in a value', [get('/healthz', `${host}X-A: a\u007fb\r\n`)], 400],
  ['NUL in a value', [get('/healthz', `${host}X-A: a\u0000b\r\n`)], 400],
  ['an escape character in a value', [get('/healthz', `${host}X-A: \u001b[31m\r\n`)], 400],
  ['bare line feeds', ['GET /healthz HTTP/1.1\nHost: localhost\n\n'], 400],
  ['a bare carriage return', ['GET /healthz HTTP/1.1\r\nHost: local\rhost\r\n\r\n'], 400],
  ['a folded header line', [get('/healthz', `${host}X-A: a\r\n  folded\r\n`)], 400],
  ['a header name with a space', [get('/healthz', `${host}Bad Name: x\r\n`)], 400],
  ['a space before the colon', [get('/healthz', 'Host : localhost\r\n')], 400],
  ['a header line without a colon', [get('/healthz', `${host}NoColonHere\r\n`)], 400],
  ['an empty header name', [get('/healthz', `${host}: value\r\n`)], 400],
  ['two spaces in the request line', [`GET  /healthz HTTP/1.1\r\n${host}\r\n`], 400],
  ['no version', [`GET /healthz\r\n${host}\r\n`], 400],
  ['a fourth part in the request line', [`GET /healthz HTTP/1.1 extra\r\n${host}\r\n`], 400],
  ['a lower-case version', [get('/healthz', host, 'http/1.1')], 400],
  ['HTTP/2.0', [get('/healthz', host, 'HTTP/2.0')], 400],
  ['HTTP/1.2', [get('/healthz', host, 'HTTP/1.2')], 400],
  ['HTTP/0.9 style', ['GET /healthz\r\n\r\n'], 400],
  ['a target without a leading slash', [get('healthz')], 400],
  ['an absolute target', [get('http://localhost/healthz')], 400],
  ['a raw non-ASCII byte in the target', [Buffer.from(`GET /h\u00e4lsa HTTP/1.1\r\n${host}\r\n`, 'latin1')], 400],
  ['a tab in the target', [get('/health\tz')], 400],
  ['a target of 5,000 bytes', [get('/' + 'a'.repeat(5000))], 414],
  ['a head over 16,000 bytes', [get('/healthz', `${host}X-Big: ${'b'.repeat(17000)}\r\n`)], 431],
  ['101 header lines', [get('/healthz', host + Array.from({ length: 101 }, (_, i) => `X-${i}: v\r\n`).join(''))], 431],
  ['a bad method token', [`GE(T /healthz HTTP/1.1\r\n${host}\r\n`], 400],
  ['POST', [`POST /api/state HTTP/1.1\r\n${host}Content-Length: 2\r\n\r\n{}`], 405, { allow: true }],
  ['PUT', [`PUT /api/state HTTP/1.1\r\n${host}Content-Length: 0\r\n\r\n`], 405, { allow: true }],
  ['DELETE', [`DELETE /api/state HTTP/1.1\r\n${host}\r\n`], 405, { allow: true }],
  ['OPTIONS', [`OPTIONS /healthz HTTP/1.1\r\n${host}\r\n`], 405, { allow: true }],
  ['an unknown method', [`BREW /healthz HTTP/1.1\r\n${host}\r\n`], 405, { allow: true }],
  ['a GET with a small body', [`GET /healthz HTTP/1.1\r\n${host}Content-Length: 5\r\n\r\nhello`], 200],
  ['a WebSocket upgrade with a bad version', [get('/ws', `${host}Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n`)], 400],
  ['an unknown space, percent-encoded junk', [get('/api/state?space=%FF%00')], 404],
  // Fragmented: each must be waited for until it is whole.
  ['fragmented in two', ['GET /healthz HTTP/1.1\r\nHo', 'st: localhost\r\n\r\n'], 200, { gap: 200 }],
  ['fragmented byte by byte', [...get('/healthz')].map((c) => c), 200, { gap: 5 }],
  ['fragmented inside the blank line', ['GET /healthz HTTP/1.1\r\nHost: localhost\r', '\n\r', '\n'], 200, { gap: 150 }],
  ['fragmented before a body', [`GET /healthz HTTP/1.1\r\n${host}Content-Length: 5\r\n\r\nhe`, 'llo'], 200, { gap: 200 }],
  ['fragmented, then refused', ['GET /healthz HTTP/1.1\r\nHost: a\r\n', 'Host: b\r\n\r\n'], 400, { gap: 200 }],
];

test(`a table of ${table.length} raw requests gets the right answer each, always with Connection: close and the security headers`, { timeout: 120000 }, async () => {
  assert.ok(table.length >= 30);
  const failures = [];
  for (const [name, parts, status, options = {}] of table) {
    const answer = await rawHttp(server.port, parts, { gapMs: options.gap ?? 0 });
    const problems = [];
    if (answer.status !== status) problems.push(`status ${answer.status}, want ${status}`);
    if (answer.early) problems.push('answered before the request was complete');
    if (answer.headers.connection !== 'close') problems.push(`Connection: ${answer.headers.connection}`);
    if (answer.headers['x-content-type-options'] !== 'nosniff') problems.push('no X-Content-Type-Options');
    if (!answer.headers['content-security-policy']) problems.push('no Content-Security-Policy');
    if (options.allow && answer.headers.allow !== 'GET, HEAD') problems.push(`Allow: ${answer.headers.allow}`);
    if (options.emptyBody && answer.body !== '') problems.push('HEAD answered with a body');
    if (status >= 400 && !options.emptyBody && !/"code"|404/.test(answer.body)) problems.push(`no error body: ${answer.body.slice(0, 80)}`);
    if (problems.length) failures.push(`${name}: ${problems.join('; ')}\n    ${answer.head.split('\r\n')[0]}`);
  }
  assert.deepEqual(failures, [], `${failures.length} of ${table.length} wrong:\n${failures.join('\n')}`);
});

test('a request head that never completes is cut at the request time-out, without an answer', async () => {
  const started = Date.now();
  const incomplete = await rawHttp(server.port, ['GET /healthz HTTP/1.1\r\nHost: localhost\r\n'], { timeoutMs: 8000 });
  assert.equal(incomplete.timedOut, false, 'the server closed the connection');
  assert.notEqual(incomplete.status, 200);
  assert.ok(Date.now() - started < 4000, `cut after ${Date.now() - started} ms`);
  // A client that trickles a byte every 100 ms is cut too, though it never stops sending.
  const trickled = Date.now();
  const slow = await rawHttp(server.port, [...'GET /healthz HTTP/1.1\r\nX-Slow: ' + 'x'.repeat(200)], { gapMs: 100, timeoutMs: 15000 });
  assert.equal(slow.timedOut, false, 'the trickling client was cut');
  assert.ok(slow.closedAt - trickled < 5000, `cut after ${slow.closedAt - trickled} ms`);
  // The server answers normally afterwards.
  assert.equal((await rawHttp(server.port, [get('/healthz')])).status, 200);
});
