// GET /metrics: Prometheus' text format, checked by promtool (Debian's prometheus package), and
// its figures moving with what the server does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { TestClient, report } from '../support/client.mjs';
import { withServer } from '../support/fixture.mjs';

const promtool = spawnSync('promtool', ['--version']).status === 0;
const skip = promtool ? false : process.env.CI ? false : 'promtool is missing (apt-get install prometheus)';

// name{labels} value lines into a map ("name{a=\"b\"}" -> number).
function parse(text) {
  const values = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

async function scrape(srv, headers = {}) {
  const answer = await fetch(srv.url('/metrics'), { headers });
  assert.equal(answer.status, 200);
  assert.match(answer.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return answer.text();
}

test('metrics pass promtool and count connections, commits, refusals and sequences', { skip }, async () => {
  await withServer({}, async (srv) => {
    const before = parse(await scrape(srv));
    assert.equal(before.get('lagesbild_events_committed_total'), 0);

    const admin = await TestClient.connectAs(srv, 'admin');
    const board = await TestClient.connect(srv.port, '?space=live');
    for (let i = 0; i < 5; i += 1) {
      const ack = await admin.command(report('falun', { reception: { P2: i } }));
      assert.equal(ack.type, 'ack');
    }
    const viewer = await TestClient.connectAs(srv, 'viewer');
    const refused = await viewer.command(report('falun', { reception: { P2: 9 } }));
    assert.equal(refused.code, 'forbidden');

    const text = await scrape(srv);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(check.status, 0, `promtool:\n${check.stdout}${check.stderr}`);

    const after = parse(text);
    const health = await (await fetch(srv.url('/healthz'))).json();
    assert.equal(after.get('lagesbild_space_sequence{space="live"}'), health.spaces.live);
    assert.ok(after.get('lagesbild_events_committed_total') >= 6, 'five reports and one refusal record');
    assert.equal(after.get('lagesbild_connections{state="open"}'), 3);
    assert.equal(after.get('lagesbild_errors_sent_total{code="forbidden"}'), 1);
    assert.ok(after.get('lagesbild_commit_seconds_count') >= 1);
    assert.equal(after.get('lagesbild_commit_seconds_bucket{le="+Inf"}'), after.get('lagesbild_commit_seconds_count'));
    assert.ok(after.get('lagesbild_commit_batch_size_sum') >= 6);
    assert.ok(after.get('lagesbild_fanout_seconds_count') >= 1, 'the board was fanned out to');
    assert.ok(after.get('process_resident_memory_bytes') > 1e6);
    assert.ok(after.get('process_open_fds') >= 3);
    assert.equal(after.get('lagesbild_store_failed'), 0);
    assert.ok(!text.includes(srv.tokens.admin), 'no token in the metrics');
    await Promise.all([admin.close(), board.close(), viewer.close()]);
  });
});

test('--metrics-sign-in: /metrics needs a token, any role', { skip }, async () => {
  await withServer({ args: ['--metrics-sign-in'] }, async (srv) => {
    assert.equal((await fetch(srv.url('/metrics'))).status, 401);
    const text = await scrape(srv, { Authorization: `Bearer ${srv.tokens.viewer}` });
    assert.match(text, /^# HELP lagesbild_/);
  });
});
