// Bad input gets a clear error; the connection and the server survive; nothing stored is harmed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { getJson } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { rawHttp } from '../support/http.mjs';
import { serverFixture } from '../support/fixture.mjs';

const server = serverFixture();
before(async () => {
  await server.ready;
  const seed = await server.client('admin');
  assert.equal((await seed.command(report('akademiska', { beds: { Burn: { available: 3 } } }))).type, 'ack');
  await seed.close();
});

const valid = { v: 1, type: 'report_capacity', space: 'live', hospital: 'gavle', beds: { AdultICU: { available: 2 } } };

const cases = [
  ['not JSON', 'this is not json', 'bad_json'],
  ['a JSON array', '[1, 2, 3]', 'bad_json'],
  ['no version', { type: 'report_capacity', id: 'x1' }, 'unsupported_version'],
  ['a future version', { ...valid, v: 2, id: 'x2' }, 'unsupported_version'],
  ['an unknown message type', { v: 1, type: 'delete_everything', id: 'x3' }, 'unknown_type'],
  ['a wrong type for a figure', { ...valid, id: 'x4', beds: { AdultICU: { available: 'many' } } }, 'bad_message'],
  ['a fraction', { ...valid, id: 'x5', beds: { AdultICU: { available: 1.5 } } }, 'bad_message'],
  ['a missing hospital', { v: 1, type: 'report_capacity', id: 'x6', space: 'live', beds: {} }, 'bad_message'],
  ['an unknown field', { ...valid, id: 'x7', bedz: {} }, 'bad_message'],
  ['an unknown hospital', { ...valid, id: 'x8', hospital: 'karolinska' }, 'unknown_hospital'],
  ['an unknown region', { v: 1, type: 'set_region_readiness', id: 'x9', space: 'live', region: 'gotland', level: 'staff' }, 'unknown_region'],
  ['an unknown space', { ...valid, id: 'x10', space: 'ovning-99' }, 'unknown_space'],
  ['an unknown bed type', { ...valid, id: 'x11', beds: { Sauna: { available: 1 } } }, 'invalid_value'],
  ['an unknown readiness level', { ...valid, id: 'x12', readiness: 'panik' }, 'invalid_value'],
  ['a negative count', { ...valid, id: 'x13', beds: { AdultICU: { available: -3 } } }, 'invalid_value'],
  ['an absurd count', { ...valid, id: 'x14', beds: { MedicalSurgical: { available: 1e12 } } }, null],
  ['an overflowing number', '{"v":1,"type":"report_capacity","id":"x15","space":"live","hospital":"gavle","reception":{"P1":99999999999999999999999}}', null],
  ['more available than baseline + surge', { ...valid, id: 'x16', beds: { AdultICU: { available: 999 } } }, 'over_capacity'],
  ['an empty report', { v: 1, type: 'report_capacity', id: 'x17', space: 'live', hospital: 'gavle' }, 'empty_report'],
  ['an oversized frame', { ...valid, id: 'x18', padding: 'x'.repeat(20000) }, 'message_too_large'],
  ['deep nesting', '['.repeat(5000) + ']'.repeat(5000), 'bad_json'],
  ['a binary frame', Buffer.from([1, 2, 3]), 'bad_json', { binary: true }],
];

test('each kind of bad input gets an error, the connection stays usable, nothing is stored', async () => {
  const before = await getJson(server, '/api/state');
  const client = await server.client('admin');
  await client.nextOfType('snapshot');
  for (const [name, input, code, options] of cases) {
    const payload = typeof input === 'string' || Buffer.isBuffer(input) ? input : JSON.stringify(input);
    client.socket.send(payload, { binary: options?.binary ?? false });
    const reply = await client.nextOfType('error');
    if (code) assert.equal(reply.code, code, `${name}: ${JSON.stringify(reply)}`);
    assert.ok(reply.message.length > 10, `${name}: a human-readable message`);
    assert.equal(reply.v, 1);
    if (typeof input === 'object' && !Buffer.isBuffer(input) && input.id && code !== 'message_too_large') {
      assert.equal(reply.id, input.id, `${name}: the command id is echoed`);
    }
  }
  const after = await getJson(server, '/api/state');
  assert.equal(after.body.seq, before.body.seq, 'no bad input was stored');
  assert.deepEqual(after.body.state, before.body.state);
  // Still usable after all of that.
  const ok = await client.command({ ...valid, id: 'after-all' });
  assert.equal(ok.type, 'ack');
  assert.equal(ok.seq, before.body.seq + 1);
});

// RFC 6455 says both must fail the connection; what matters is that nobody else notices.
for (const [name, payload, expectedCode] of [
  ['a frame above the hard limit', 'x'.repeat(2 * 1024 * 1024), 1009],
  ['a text frame with invalid UTF-8', Buffer.from('{"v":1,"type":"hello","name":"\xff\xfe"}', 'latin1'), 1007],
]) {
  test(`${name} closes that connection (${expectedCode}) and nothing else`, async () => {
    const bystander = await server.client('admin');
    await bystander.nextOfType('snapshot');
    const offender = await server.client('admin');
    await offender.nextOfType('snapshot');
    offender.socket.send(payload, { binary: false });
    const closed = await offender.closed;
    // The server sends the close code, then drops the TCP connection; a client still busy
    // writing 2 MiB may see the reset (1006) before it reads the close frame.
    assert.ok([expectedCode, 1006].includes(closed.code), `closed with ${closed.code}`);
    const reply = await bystander.command({ ...valid, id: `bystander-${expectedCode}` });
    assert.equal(reply.type, 'ack');
  });
}

test('raw HTTP path traversal gets 404, never a file outside web/', async () => {
  for (const path of ['/../CMakeLists.txt', '/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '//etc/passwd', '/web/../README.md']) {
    const response = (await rawHttp(server.port, [`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`])).raw;
    assert.match(response, /^HTTP\/1\.1 404/, path);
    assert.doesNotMatch(response, /root:|cmake_minimum_required/, path);
  }
});

test('a WebSocket upgrade on another path is refused, and the server goes on', async () => {
  await assert.rejects(server.client(null, '/../secret'));
  const health = await getJson(server, '/healthz');
  assert.equal(health.body.status, 'ok');
});
