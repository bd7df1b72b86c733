// Neighbours (federation, read side): two real instances — Sydöstra (config/sydost.json) and
// Mellansverige (config/mellansverige.json with neighbour feeds) — and hostile feeds from a fake
// HAVE producer. A report in Sydöstra's Linköping reaches Mellansverige's live boards within one
// poll interval; a dead, slow, huge, broken, redirecting or exercise feed is flagged with its
// reason and its last figures are never shown as fresh; https feeds check the certificate; a
// feed's token is sent; an exercise board gets no neighbours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, repoRoot } from '../support/server.mjs';
import { report } from '../support/client.mjs';
import { makeCertificates, opensslSkip } from '../support/tls.mjs';
import { scratchDir, startFixture } from '../support/fixture.mjs';

const dir = scratchDir('lagesbild-federation-');
const sydostUsers = [{ id: 'admin', role: 'admin' }, { id: 'viewer', role: 'viewer' }];
const INTERVAL_S = 1;

let sydost;       // Sydöstra's Lägesbild, plain http
let sydostTls;    // Sydöstra again, over https with a test CA and --require-sign-in
let fake;         // a HAVE producer that misbehaves on purpose (by path)
let fakePort;
let mellansverige;
let certs;
let haveDocument;  // Sydöstra's live document, as the fake's good answer

const feed = (name, url, extra = {}) => ({
  name, url, hospitals: ['linkoping', 'ryhov'], interval_seconds: INTERVAL_S, timeout_seconds: 1, ...extra,
});

async function neighbours(server = mellansverige) {
  const answer = await getJson(server, '/api/neighbours');
  assert.equal(answer.status, 200);
  return answer.body;
}

// Polls /api/neighbours until `check(feed)` holds for the named feed; returns that feed.
async function feedWhen(name, check, timeoutMs = 8000) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    last = (await neighbours()).feeds.find((f) => f.name === name);
    if (last && check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`feed ${name} never got there; last: ${JSON.stringify(last)?.slice(0, 1500)}`);
}

function startFake() {
  const server = http.createServer((req, res) => {
    const path = req.url.split('?')[0];
    if (path === '/chunked') {  // no Content-Length: node sends it chunked, in pieces
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      for (let i = 0; i < haveDocument.length; i += 997) res.write(haveDocument.slice(i, i + 997));
      res.end();
    } else if (path === '/token') {
      const ok = req.headers.authorization === 'Bearer fake-secret-token';
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/xml' });
      res.end(ok ? haveDocument : 'no');
    } else if (path === '/slow') {  // the head, then nothing: the time-out must end it
      res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': '100000' });
      res.write('<?xml version="1.0"?>');
    } else if (path === '/huge') {  // more than 512 KiB, never-ending
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      const piece = `<!-- ${'x'.repeat(64 * 1024)} -->`;
      let sent = 0;
      const more = () => {
        while (sent < 40 && res.write(piece)) sent++;
        if (sent < 40 && !res.destroyed) res.once('drain', more);
      };
      more();
    } else if (path === '/garbage') {
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      res.end('<HospitalStatus><Hospital>oops');
    } else if (path === '/interim') {  // "100 Continue", asked for by nobody, then silence
      res.writeContinue();
    } else if (path === '/redirect') {
      res.writeHead(301, { Location: `http://127.0.0.1:${sydost.port}/api/have` });
      res.end();
    } else if (path === '/exercise') {
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      res.end(exerciseDocument);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
let exerciseDocument;

before(async () => {
  const sydostConfig = join(repoRoot, 'config', 'sydost.json');
  sydost = await startFixture({ dir, db: 'sydost.db', users: sydostUsers, args: ['--config', sydostConfig] });
  haveDocument = await (await fetch(sydost.url('/api/have'))).text();
  const enveloped = await (await fetch(sydost.url('/api/have?envelope=de'))).text();
  exerciseDocument = enveloped.replace('<distributionStatus>Actual</distributionStatus>',
    '<distributionStatus>Exercise</distributionStatus>');
  assert.notEqual(exerciseDocument, enveloped);
  fake = await startFake();
  fakePort = fake.address().port;

  const feeds = [
    feed('Sydöstra sjukvårdsregionen', sydost.url('/api/have')),
    feed('Fake chunked', `http://127.0.0.1:${fakePort}/chunked`, { hospitals: [] }),
    feed('Fake slow', `http://127.0.0.1:${fakePort}/slow`),
    feed('Fake huge', `http://127.0.0.1:${fakePort}/huge`),
    feed('Fake garbage', `http://127.0.0.1:${fakePort}/garbage`),
    feed('Fake redirect', `http://127.0.0.1:${fakePort}/redirect`),
    feed('Fake exercise', `http://127.0.0.1:${fakePort}/exercise`),
    feed('Nobody', `http://127.0.0.1:1/api/have`),
    feed('Fake interim', `http://127.0.0.1:${fakePort}/interim`),
  ];
  const tokenPath = join(dir.path, 'fake.token');
  writeFileSync(tokenPath, 'fake-secret-token\n');
  chmodSync(tokenPath, 0o600);
  feeds.push(feed('Fake token', `http://127.0.0.1:${fakePort}/token`, { token_file: tokenPath }));
  feeds.push(feed('Fake no token', `http://127.0.0.1:${fakePort}/token`));
  if (!opensslSkip()) {
    certs = makeCertificates({ names: ['localhost'], ips: [], dir: dir.path });  // no IP in it
    sydostTls = await startFixture({
      dir: scratchDir('lagesbild-federation-tls-'), users: sydostUsers,
      args: ['--config', sydostConfig, '--tls-cert', certs.certPath, '--tls-key', certs.keyPath, '--require-sign-in'],
    });
    const viewerToken = join(dir.path, 'viewer.token');
    writeFileSync(viewerToken, sydostTls.tokens.viewer);
    chmodSync(viewerToken, 0o600);
    const https = `https://localhost:${sydostTls.port}/api/have`;
    feeds.push(feed('Sydöstra https', https, { ca_file: certs.caPath, token_file: viewerToken }));
    feeds.push(feed('Sydöstra https, untrusted', https, { token_file: viewerToken }));
    feeds.push(feed('Sydöstra https, wrong name', `https://127.0.0.1:${sydostTls.port}/api/have`,
      { ca_file: certs.caPath, token_file: viewerToken }));
  }
  const config = JSON.parse(readFileSync(join(repoRoot, 'config', 'mellansverige.json'), 'utf8'));
  config.neighbours = feeds;
  const configPath = join(dir.path, 'mellansverige-with-neighbours.json');
  writeFileSync(configPath, JSON.stringify(config));
  mellansverige = await startFixture({ dir, db: 'mellansverige.db', args: ['--config', configPath] });
});

after(async () => {
  await mellansverige?.dispose();
  await sydost?.dispose();
  await sydostTls?.dispose();
  fake?.closeAllConnections();
  fake?.close();
});

test('a report in Sydöstra\'s Linköping reaches Mellansverige\'s live board within one poll interval', async () => {
  const board = await mellansverige.client(null, '?space=live');
  await board.nextOfType('snapshot');
  const first = await board.next((m) => m.type === 'neighbours' &&
    m.feeds.find((f) => f.name === 'Sydöstra sjukvårdsregionen').health === 'answering', 5000);
  const sy = first.feeds.find((f) => f.name === 'Sydöstra sjukvårdsregionen');
  assert.deepEqual(sy.hospitals.map((h) => h.id), ['linkoping', 'ryhov']);
  assert.equal(sy.hospitals[0].name, 'Universitetssjukhuset i Linköping');
  assert.equal(sy.hospitals[0].reported, false);  // baselines only so far
  assert.equal(sy.hospitals[1].missing, false);

  const tib = await sydost.client('admin');
  const sent = Date.now();
  const ack = await tib.command(report('linkoping', { beds: { Burn: { available: 2 }, AdultICU: { available: 5 } }, ed_status: 'restricted' }));
  assert.equal(ack.type, 'ack', JSON.stringify(ack));
  const seen = await board.next((m) => m.type === 'neighbours' &&
    m.feeds[0].hospitals[0].figures.beds?.Burn?.available === 2, (INTERVAL_S + 3) * 1000);
  const took = Date.now() - sent;
  assert.ok(took <= (INTERVAL_S + 1) * 1000 + 500, `took ${took} ms for a ${INTERVAL_S} s interval`);
  console.log(`federation: a report in Linköping on Mellansverige's board after ${took} ms (interval ${INTERVAL_S} s)`);
  const linkoping = seen.feeds[0].hospitals[0];
  assert.equal(linkoping.reported, true);
  assert.equal(linkoping.figures.beds.AdultICU.available, 5);
  assert.equal(linkoping.figures.ed_status, 'restricted');
  assert.ok(Date.parse(linkoping.stale_at) > Date.now(), 'just reported: not stale');
  assert.ok(Date.parse(seen.feeds[0].dead_at) > Date.now(), 'just fetched: not dead');
  // Nothing of a neighbour enters our own picture.
  const state = (await getJson(mellansverige, '/api/state')).body;
  assert.equal(state.state.hospitals.find((h) => h.id === 'linkoping'), undefined);
});

test('a feed that dies is flagged within an interval and a time-out, its figures kept, never fresh', async () => {
  const name = 'Sydöstra sjukvårdsregionen';
  await feedWhen(name, (f) => f.health === 'answering');
  await sydost.stop();
  const stopped = Date.now();
  const dead = await feedWhen(name, (f) => f.health === 'failing');
  const flagged = Date.now() - stopped;
  assert.ok(flagged < (INTERVAL_S + 1) * 1000 + 1500, `flagged after ${flagged} ms`);
  console.log(`federation: a stopped feed flagged failing after ${flagged} ms`);
  assert.equal(dead.problem.code, 'unreachable');
  assert.ok(dead.failing_since);
  assert.equal(dead.hospitals[0].figures.beds.Burn.available, 2, 'the last figures are kept');
  // The board flags it by itself once dead_at passes, whatever the server says afterwards.
  assert.ok(Date.parse(dead.dead_at) <= Date.parse(dead.fetched_at) + (INTERVAL_S + 1 + 5) * 1000);
  await sydost.start();
  const back = await feedWhen(name, (f) => f.health === 'answering');
  assert.equal(back.problem, null);
  assert.equal(back.failing_since, null);
});

test('hostile and odd feeds: each flagged with its reason, the server unharmed', async () => {
  const expected = {
    'Fake slow': 'timeout',
    'Fake huge': 'too_large',
    'Fake garbage': 'invalid_have',
    'Fake redirect': 'http_status',
    'Fake exercise': 'exercise',
    'Nobody': 'unreachable',
    'Fake no token': 'http_status',
    'Fake interim': 'invalid_http',
  };
  for (const [name, code] of Object.entries(expected)) {
    const failing = await feedWhen(name, (f) => f.health === 'failing');
    assert.equal(failing.problem.code, code, `${name}: ${JSON.stringify(failing.problem)}`);
    assert.equal(failing.fetched_at, null, `${name} never answered`);
    assert.equal(failing.dead_at, null);
    assert.deepEqual(failing.hospitals, [], `${name}: nothing shown`);
  }
  assert.match((await feedWhen('Fake redirect', () => true)).problem.detail, /301.*redirects are not followed/);
  assert.match((await feedWhen('Fake no token', () => true)).problem.detail, /401/);
  assert.match((await feedWhen('Fake interim', () => true)).problem.detail, /interim answer \(100\)/);
  const garbage = (await feedWhen('Fake garbage', () => true)).problem.detail;
  assert.doesNotMatch(garbage, /imported/, 'a neighbour\'s answer is no import');
  assert.match(garbage, /line \d+/i, garbage);
  // A chunked answer with no list of hospitals: every hospital of the feed, in its order.
  const chunked = await feedWhen('Fake chunked', (f) => f.health === 'answering');
  assert.equal(chunked.hospitals.length, haveDocument.match(/<Hospital>/g).length);
  assert.ok(chunked.hospitals.length >= 8);
  assert.equal(chunked.hospitals[0].id, 'linkoping');
  const token = await feedWhen('Fake token', (f) => f.health === 'answering');
  assert.equal(token.hospitals.length, 2);
  // Still serving, and the operator's log says why once per change, never the token.
  assert.equal((await getJson(mellansverige, '/healthz')).status, 200);
  const log = mellansverige.output();
  assert.match(log, /neighbour_failing feed="Fake huge".*problem=too_large/);
  assert.doesNotMatch(log, /fake-secret-token/);
});

test('https feeds: the certificate is checked against the CA and the host name; the token is sent', { skip: opensslSkip() }, async () => {
  const good = await feedWhen('Sydöstra https', (f) => f.health === 'answering');
  assert.equal(good.hospitals[0].id, 'linkoping');
  const untrusted = await feedWhen('Sydöstra https, untrusted', (f) => f.health === 'failing');
  assert.equal(untrusted.problem.code, 'tls', JSON.stringify(untrusted.problem));
  const wrongName = await feedWhen('Sydöstra https, wrong name', (f) => f.health === 'failing');
  assert.equal(wrongName.problem.code, 'tls', JSON.stringify(wrongName.problem));
});

test('an exercise board gets no neighbours: a neighbour\'s live data never mixes into an exercise', async () => {
  const trainer = await mellansverige.client('trainer');
  const started = await trainer.command({ v: 1, type: 'start_exercise', id: 'ex-1', scenario: 'demo-10min' });
  assert.equal(started.type, 'ack', JSON.stringify(started));
  const board = await mellansverige.client(null, `?space=${started.space}`);
  await board.nextOfType('snapshot');
  await assert.rejects(board.nextOfType('neighbours', (INTERVAL_S + 1) * 1000), /no matching message/);
  const live = await mellansverige.client(null, '?space=live');
  await live.nextOfType('snapshot');
  await live.nextOfType('neighbours', 1000);  // sent with the snapshot
});

test('a configuration with a bad neighbour is refused at start, naming it', async () => {
  const config = JSON.parse(readFileSync(join(repoRoot, 'config', 'mellansverige.json'), 'utf8'));
  config.neighbours = [{ name: 'X', url: 'https://x.example/api/have', token_file: join(dir.path, 'missing.token') }];
  const path = join(dir.path, 'bad.json');
  writeFileSync(path, JSON.stringify(config));
  await assert.rejects(startFixture({ dir: scratchDir(), args: ['--config', path] }), /neighbour 'X'.*token_file/);
  config.neighbours = [{ name: 'X', url: 'ftp://x.example/' }];
  writeFileSync(path, JSON.stringify(config));
  await assert.rejects(startFixture({ dir: scratchDir(), args: ['--config', path] }), /neighbours\[0\]\.url/);
});

test('/metrics: each feed up or down, its fetches and its last answer, passing promtool', async () => {
  await feedWhen('Fake garbage', (f) => f.failures_in_a_row >= 1);
  await feedWhen('Fake chunked', (f) => f.health === 'answering');
  const text = await (await fetch(mellansverige.url('/metrics'))).text();
  assert.match(text, /^lagesbild_neighbour_up\{feed="Fake chunked"\} 1$/m);
  assert.match(text, /^lagesbild_neighbour_up\{feed="Fake garbage"\} 0$/m);
  assert.match(text, /^lagesbild_neighbour_fetches_total\{feed="Fake garbage",result="failed"\} [1-9]/m);
  assert.match(text, /^lagesbild_neighbour_last_answer_timestamp_seconds\{feed="Nobody"\} 0$/m);
  const last = Number(/^lagesbild_neighbour_last_answer_timestamp_seconds\{feed="Fake chunked"\} (\S+)$/m.exec(text)[1]);
  assert.ok(Math.abs(last - Date.now() / 1000) < 10, String(last));
  const promtool = spawnSync('promtool', ['--version']).status === 0;
  if (promtool || process.env.CI) {
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
  }
});
