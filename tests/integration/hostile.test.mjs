// The hostile input corpus: hundreds of malformed or hostile inputs. Each gets a clear error or
// a close; the server keeps serving; nothing stored changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getJson } from '../support/server.mjs';
import { rawHttp } from '../support/http.mjs';
import { serverFixture } from '../support/fixture.mjs';

// The corpus is sent one input at a time, three times over: a higher message rate than the
// default keeps it quick (the rate limit itself is tested in limits.test.mjs).
const server = serverFixture({ args: ['--message-rate', '1000', '--message-burst', '1000'] });

const base = {
  report_capacity: { v: 1, type: 'report_capacity', space: 'live', hospital: 'uso', beds: { AdultICU: { available: 1 } } },
  set_region_readiness: { v: 1, type: 'set_region_readiness', space: 'live', region: 'orebro', level: 'staff' },
  confirm_figures: { v: 1, type: 'confirm_figures', space: 'live', hospital: 'uso' },
  post_message: { v: 1, type: 'post_message', space: 'live', kind: 'information', to: 'all', text: 'x' },
  acknowledge: { v: 1, type: 'acknowledge', space: 'live', message: 'live:1' },
  subscribe: { v: 1, type: 'subscribe', space: 'live' },
  hello: { v: 1, type: 'hello', token: 'x' },
  start_exercise: { v: 1, type: 'start_exercise', scenario: 'demo-10min' },
  control_exercise: { v: 1, type: 'control_exercise', space: 'ovning-none', action: 'pause' },
};

// Builds the corpus: [name, payload (string), expects an error reply (true) or a close (false)].
function corpus() {
  const cases = [];
  const add = (name, payload, close = false) => cases.push([name, typeof payload === 'string' ? payload : JSON.stringify(payload), close]);
  // Bad JSON.
  for (const text of ['', ' ', '{', '}', '[', '{"v":1,', '{"v":1}}', '{"v":1} x', "{'v':1}", '{"v":NaN}', '{"v":Infinity}',
    '{v:1}', '{"v":1,}', '[1,]', '/* */{}', '{"a":"\\x"}', '{"a":"\\u12"}', '{"a":"\u0001"}', 'null', 'true', '42', '"str"',
    '[]', '[{}]', '{"v":1 "type":"x"}', '\u0000', '{"v":01}', '{"v":-}', '{"v":1e}', '{"v":.5}']) add(`bad json ${JSON.stringify(text).slice(0, 20)}`, text);
  // Deep nesting (all within 16 KiB).
  for (const depth of [10, 100, 1000, 3000, 7000]) {
    add(`deep array ${depth}`, '['.repeat(depth) + ']'.repeat(depth));
    add(`deep object ${depth}`, '{"a":'.repeat(Math.min(depth, 3000)) + '1' + '}'.repeat(Math.min(depth, 3000)));
    add(`deep field ${depth}`, `{"v":1,"type":"report_capacity","id":"d","space":"live","hospital":"uso","beds":${'['.repeat(Math.min(depth, 2000))}${']'.repeat(Math.min(depth, 2000))}}`);
  }
  // Huge strings, every text field.
  const huge = 'å'.repeat(7000);
  for (const [type, message] of Object.entries(base)) {
    for (const field of Object.keys(message).filter((f) => !['v', 'type'].includes(f))) {
      add(`huge ${type}.${field}`, { ...message, id: 'h', [field]: huge });
    }
    add(`huge id ${type}`, { ...message, id: huge });
  }
  // Wrong types for every field of every message.
  for (const [type, message] of Object.entries(base)) {
    for (const field of Object.keys(message).filter((f) => f !== 'v')) {
      for (const wrong of [null, true, 1.5, [], { a: 1 }, -1]) {
        if (field === 'type' && typeof wrong === 'string') continue;
        add(`${type}.${field} = ${JSON.stringify(wrong)}`, { ...message, id: 't', [field]: wrong });
      }
    }
  }
  // Unknown ids.
  for (const hospital of ['karolinska', 'USO', 'uso ', '', '../uso', 'uso\u0000']) add(`unknown hospital ${hospital}`, { ...base.report_capacity, id: 'u', hospital });
  for (const region of ['gotland', 'Orebro', '']) add(`unknown region ${region}`, { ...base.set_region_readiness, id: 'u', region });
  for (const space of ['nope', 'LIVE', 'ovning-x', '']) add(`unknown space ${space}`, { ...base.report_capacity, id: 'u', space });
  for (const message of ['live:999999', 'live:-1', 'live:abc', 'other:1', ':', '']) add(`unknown message ${message}`, { ...base.acknowledge, id: 'u', message });
  for (const scenario of ['nope', '../etc/passwd', 'demo-10min/../x']) add(`unknown scenario ${scenario}`, { ...base.start_exercise, id: 'u', scenario });
  // Negative, huge and overflowing numbers in every figure.
  for (const value of ['-1', '-9223372036854775808', '9223372036854775807', '9223372036854775808', '18446744073709551616',
    '1e308', '1e-7', '100001', '1.0']) {
    add(`bed figure ${value}`, `{"v":1,"type":"report_capacity","id":"n","space":"live","hospital":"uso","beds":{"AdultICU":{"available":${value}}}}`);
    add(`reception ${value}`, `{"v":1,"type":"report_capacity","id":"n","space":"live","hospital":"uso","reception":{"P1":${value}}}`);
    if (value !== '100001') add(`since ${value}`, `{"v":1,"type":"subscribe","space":"live","since":${value}}`);
    add(`version ${value}`, `{"v":${value},"type":"hello","token":"x"}`);
  }
  // Numbers at and past the edges of a double, and where a whole number is required: each must be
  // an error, never an abort (a since of 1e400 once stopped the server).
  for (const value of ['1e400', '-1e400', '1e-400', '-1e-400', '1E+999999', '-0', '-0.0', '0.5', '1.5', '2.0',
    '18446744073709551616', '18446744073709551615', '-9223372036854775809', '123456789012345678901234567890',
    '4.9e-324', '1.7976931348623157e309']) {
    // -0 is a whole number, zero: a valid since and figure.
    if (value !== '-0') add(`since ${value} (edge)`, `{"v":1,"type":"subscribe","space":"live","since":${value}}`);
    if (value !== '-0') add(`figure ${value} (edge)`, `{"v":1,"type":"report_capacity","id":"e","space":"live","hospital":"uso","beds":{"AdultICU":{"available":${value}}}}`);
    add(`version ${value} (edge)`, `{"v":${value},"type":"hello","token":"x"}`);
    add(`speed ${value} (edge)`, `{"v":1,"type":"control_exercise","id":"e","space":"ovning-none","action":"speed","speed":${value}}`);
    add(`number as key value ${value}`, `{"v":1,"type":"hello","token":"x","extra":${value}}`);
  }
  // Escapes that do not make valid text: lone and reversed surrogates, escaped NUL in ids.
  for (const text of ['\\ud800', '\\udc00', '\\udbff\\u0041', '\\udc00\\ud800', '\\ud800\\ud800', '\\u0000']) {
    if (!text.endsWith('0000')) add(`escape ${text} in text`, `{"v":1,"type":"post_message","id":"s","space":"live","kind":"information","to":"all","text":"a${text}b"}`);
    add(`escape ${text} in id`, `{"v":1,"type":"report_capacity","id":"x${text}","space":"live","hospital":"uso"}`);
    add(`escape ${text} in key`, `{"v":1,"type":"hello","token":"x","k${text}":1}`);
  }
  // Oversized frames: over the soft limit (error, connection stays) and over the hard one (close).
  for (const size of [16 * 1024 + 1, 64 * 1024, 512 * 1024]) add(`oversized ${size}`, `{"v":1,"type":"hello","token":"${'x'.repeat(size)}"}`);
  add('over the hard limit', 'x'.repeat(1024 * 1024 + 10), true);
  return cases;
}

// As an admin (who may write anywhere, so every input reaches the checks past the permissions), as
// a trainer (whose writes to live are refused), as a reporter and as a connection that never signed in.
for (const who of ['admin', 'trainer', 'tib-orebro', null]) {
test(`the hostile corpus as ${who ?? 'anonymous'}: every input gets an error or a close, the server serves on, nothing changes`, { timeout: 120000 }, async () => {
  const cases = corpus();
  assert.ok(cases.length >= 390, `corpus has ${cases.length} inputs`);
  const before = (await getJson(server, '/api/state')).body;
  const client = await server.client(who);
  if (!who) await client.nextOfType('snapshot');
  let errors = 0;
  let closes = 0;
  for (const [name, payload, closes_connection] of cases) {
    if (closes_connection) {
      const victim = await server.client();
      victim.send(payload);
      const closed = await victim.closed;
      assert.ok([1009, 1006].includes(closed.code), `${name}: closed with ${closed.code}`);
      closes++;
      continue;
    }
    client.received.length = 0;
    client.send(payload);
    const reply = await client.next((m) => m.type === 'error' || m.type === 'ack' || m.type === 'snapshot' || m.type === 'welcome', 5000)
      .catch((error) => { throw new Error(`${name}: ${error.message}`); });
    assert.equal(reply.type, 'error', `${name}: ${JSON.stringify(reply).slice(0, 200)}`);
    assert.ok(typeof reply.code === 'string' && reply.message.length > 5, name);
    errors++;
  }
  // Invalid UTF-8 in text frames closes the connection (RFC 6455), and only that one.
  for (const bytes of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]) {
    const victim = await server.client();
    victim.socket.send(Buffer.concat([Buffer.from('{"v":1,"type":"hello","token":"'), Buffer.from(bytes), Buffer.from('"}')]), { binary: false });
    assert.equal((await victim.closed).code, 1007);
    closes++;
  }
  const after = (await getJson(server, '/api/state')).body;
  // Refusals of a signed-in user are recorded (access_denied) but change no figure; an anonymous
  // connection's are not even recorded.
  if (!who) assert.equal(after.seq, before.seq, 'nothing was stored');
  assert.deepEqual(after.state.hospitals, before.state.hospitals);
  assert.deepEqual(after.state.regions, before.state.regions);
  const probe = await server.client('admin');
  const ok = await probe.command({ ...base.report_capacity, id: `still-works-${who}` });
  assert.equal(ok.type, 'ack');
  assert.ok(errors + closes >= 390, `${errors} errors, ${closes} closes`);
});
}

test('HTTP path traversal and odd requests: 404/405/400, never a file outside web/', async () => {
  const paths = ['/../CMakeLists.txt', '/../../../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd',
    '//etc/passwd', '/web/../README.md', '/./index.html/../../src/main.cpp', '/index.html%00.png', '/\\..\\..\\etc\\passwd',
    '/api/../../etc/passwd', '/api/state/../../x', '/.git/config', '/node_modules/ws/package.json', '/data/lagesbild.db',
    '/config/mellansverige.json', '/scenarios/demo-10min.json', '/tests/support/server.mjs', '/%c0%ae%c0%ae/etc/passwd',
    '/' + 'a'.repeat(8000), '/api/history?hospital=../../etc/passwd'];
  for (const path of paths) {
    const response = (await rawHttp(server.port, [`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`])).raw;
    assert.match(response, /^HTTP\/1\.1 (404|400|413|414)/, path);
    assert.doesNotMatch(response, /root:|cmake_minimum_required|\[core\]|healthcare_region|SQLite format/, path);
  }
  assert.equal((await getJson(server, '/healthz')).body.status, 'ok');
});

test('floods of messages and connections: the server serves on', { timeout: 60000 }, async () => {
  const flooder = await server.client();
  await flooder.nextOfType('snapshot');
  for (let i = 0; i < 2000; i++) flooder.send('{"v":1,"type":"nonsense"}');
  const sockets = [];
  for (let i = 0; i < 300; i++) sockets.push(server.client().catch(() => null));
  const opened = (await Promise.all(sockets)).filter(Boolean);
  assert.ok(opened.length >= 250, `${opened.length} of 300 connections opened`);
  const probe = await server.client('admin');
  assert.equal((await probe.command({ ...base.report_capacity, id: 'during-flood' }, 10000)).type, 'ack');
  for (const client of opened) client.socket.terminate();
  flooder.socket.terminate();
  await probe.close();
  assert.equal((await getJson(server, '/healthz')).body.status, 'ok');
});
