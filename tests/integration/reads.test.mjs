// The writer stays free: reads run on the reader thread with a bounded queue (503 with
// Retry-After when it is full), and scenario files are read at start and on a trainer's reload,
// never on the network thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { getJson, repoRoot, noRateLimits } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { withServer, scratchDir } from '../support/fixture.mjs';

const dir = scratchDir();

test('a full read queue answers 503 with Retry-After; reporters are acknowledged meanwhile', { timeout: 120000 }, () => withServer({ args: ['--max-queued-reads', '2', ...noRateLimits] }, async (server) => {
  const admin = await server.client('admin');
  await Promise.all(Array.from({ length: 3000 }, (_, i) =>
    admin.command(report('akademiska', { beds: { AdultICU: { available: i % 7 } } }), 60000)));
  const reads = Array.from({ length: 60 }, () => fetch(server.url('/api/history?hospital=akademiska')));
  const started = performance.now();
  const ack = await admin.command(report('uso', { beds: { AdultICU: { available: 1 } } }));
  const ackMs = performance.now() - started;
  const answers = await Promise.all(reads);
  const statuses = answers.map((r) => r.status);
  assert.ok(statuses.every((s) => s === 200 || s === 503), statuses.join(','));
  const busy = answers.filter((r) => r.status === 503);
  assert.ok(busy.length > 0, 'some reads were turned away');
  assert.equal(busy[0].headers.get('retry-after'), '1');
  assert.equal((await busy[0].json()).code, 'busy');
  const full = answers.find((r) => r.status === 200);
  assert.equal((await full.json()).entries.length, 3000);
  assert.equal(ack.type, 'ack');
  assert.ok(ackMs < 2000, `a report was acknowledged after ${ackMs.toFixed(0)} ms during the reads`);
  assert.ok((await getJson(server, '/healthz')).body.limits.reads_refused > 0);
}));

test('a read that runs past the read time-out is interrupted and answered 503, not left running', { timeout: 120000 }, () => withServer({ args: ['--read-timeout', '1', ...noRateLimits] }, async (server) => {
  const admin = await server.client('admin');
  await Promise.all(Array.from({ length: 5000 }, (_, i) =>
    admin.command({ v: 1, type: 'post_message', id: `m-${i}`, space: 'live', kind: 'information', to: 'all', text: 'x'.repeat(500) }, 60000)));
  const page = await getJson(server, '/api/messages?space=live&limit=200');
  assert.equal(page.status, 503);
  assert.equal(page.body.code, 'store_failed');
  assert.match(page.body.message, /timed out/);
}));

test('scenario files are read at start and on reload_scenarios; a broken one (even 1e400) is listed, not fatal', async () => {
  const scenarios = `${dir.path}/scenarios`;
  mkdirSync(scenarios);
  copyFileSync(`${repoRoot}/scenarios/demo-10min.json`, `${scenarios}/demo-10min.json`);
  await withServer({ dir, args: ['--scenarios', scenarios] }, async (server) => {
    const list = async () => (await getJson(server, '/api/scenarios', server.tokens.trainer)).body.scenarios;
    assert.deepEqual((await list()).map((s) => s.id), ['demo-10min']);
    const demo = JSON.parse(readFileSync(`${scenarios}/demo-10min.json`, 'utf8'));
    writeFileSync(`${scenarios}/ny-ovning.json`, JSON.stringify({ ...demo, id: 'ny-ovning', name: 'Ny övning' }));
    writeFileSync(`${scenarios}/trasig.json`, '{"format":1,"id":"trasig","planned_duration":1e400}');
    assert.deepEqual((await list()).map((s) => s.id), ['demo-10min'], 'no disk reads per request');
    const viewer = await server.client('tib-uppsala');
    assert.equal((await viewer.command({ v: 1, type: 'reload_scenarios', id: 'x' })).code, 'forbidden');
    await viewer.close();
    const trainer = await server.client('trainer');
    const reloaded = await trainer.command({ v: 1, type: 'reload_scenarios', id: 'reload-1' });
    assert.equal(reloaded.type, 'ack');
    assert.equal(reloaded.scenarios, 3);
    assert.equal(reloaded.broken, 1);
    const after = await list();
    assert.deepEqual(after.map((s) => s.id).sort(), ['demo-10min', 'ny-ovning', 'trasig']);
    const broken = after.find((s) => s.id === 'trasig');
    assert.equal(broken.valid, false);
    assert.match(broken.errors.join(' '), /JSON|range/i);
    const started = await trainer.command({ v: 1, type: 'start_exercise', id: 's-1', scenario: 'ny-ovning' });
    assert.equal(started.type, 'ack');
  });
});
