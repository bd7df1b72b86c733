// TLS against plaintext: server memory per idle board and the 1,000-board fan-out, both over
// ws:// and over the server's own TLS (wss://), same machine, same Node client.
//   node bench/tls.mjs [--boards 1000] [--reports 200] [--interval 50] [--idle 1000,5000] [--runs 1]
//     [--client raw|ws] [--clients 1] [--settle 3000] [--out bench/results/tls.jsonl] [--bin PATH]
// Per run and transport (order alternates between runs), for every N in --idle: a fresh server
// (fresh log, one admin, --keepalive 600, limits lifted as bench/run.sh does); VmRSS from
// /proc/PID/status once it listens and is idle, N boards opened (/ws?space=live, each waits for
// its snapshot), --settle ms later VmRSS again: KiB per connection = (after - before) / N. On the
// server with N = --boards the fan-out follows: an admin (in this process, on `ws`, subscribed to
// live like a reporting page) sends --reports report_capacity, one every --interval ms, open loop;
// per report the time from sending it to the LAST board having the delta with the ack's seq (and
// to the first), and from sending to the ack. Boards run in --clients forked processes; all times
// are CLOCK_MONOTONIC (process.hrtime), shared by the processes. Boards (--client raw: net/tls
// socket, frames parsed here; ws: the ws package, no deflate, no UTF-8 check) find a frame's type
// and seq in its last 200 bytes (keys are sorted: "seq", "space", "type", "v" end a delta), no
// JSON.parse. They verify the certificate (a throwaway CA from tests/support/tls.mjs).
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import WebSocket from '../node_modules/ws/wrapper.mjs';

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), '..');
const now = () => Number(process.hrtime.bigint()) / 1e6;  // ms, CLOCK_MONOTONIC: same in every process
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wsOptions = (ca) => ({ ca, family: 4, perMessageDeflate: false, skipUTF8Validation: true });

// ---- board processes (forked with --worker) ----
if (process.argv[2] === '--worker') {
  const boards = []; let per = new Map(); let expected = 0; let resyncs = 0;
  const tailInfo = (data) => {
    const tail = data.toString('latin1', Math.max(0, data.length - 200));
    const type = /"type":"(\w+)","v":1\}$/.exec(tail)?.[1];
    return { type, seq: type === 'delta' ? Number(/"seq":(\d+),"space":"[^"]*","type":"delta","v":1\}$/.exec(tail)?.[1]) : null };
  };
  const onText = (board, data, t) => {
    const { type, seq } = tailInfo(data);
    if (type === 'snapshot') {
      if (board.snapshot) resyncs++;
      board.snapshot = true; board.opened(board);
    } else if (type === 'delta') {
      if (seq <= board.lastSeq) { board.dup++; return; }
      board.lastSeq = seq; board.deltas++;
      let e = per.get(seq);
      if (!e) per.set(seq, e = { count: 0, first: t });
      if (++e.count === expected) { process.send({ type: 'done', seq, first: e.first, last: t }); per.delete(seq); }
    }
  };
  // --client ws: the ws package. --client raw: net/tls socket, handshake written and server frames
  // parsed here (unmasked; 7/16/64-bit lengths; a fragmented message is judged by its last frame).
  const openWs = (board, url, ca) => {
    board.socket = new WebSocket(url, wsOptions(ca));
    board.socket.on('message', (data) => onText(board, data, now()));
  };
  const openRaw = (board, url, ca) => {
    const u = new URL(url); const secure = u.protocol === 'wss:';
    const socket = board.socket = secure ? tls.connect({ host: u.hostname, port: Number(u.port), ca, servername: 'localhost' })
      : net.connect(Number(u.port), u.hostname);
    socket.setNoDelay(true);
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\n`
      + `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`));
    let pending = null; let upgraded = false;
    socket.on('data', (chunk) => {
      const t = now();
      let buf = pending ? Buffer.concat([pending, chunk]) : chunk; pending = null;
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) { pending = buf; return; }
        if (!buf.toString('latin1', 0, 13).startsWith('HTTP/1.1 101')) { socket.destroy(new Error(buf.toString('latin1', 0, end))); return; }
        upgraded = true; buf = buf.subarray(end + 4);
      }
      let at = 0;
      for (;;) {
        if (buf.length - at < 2) break;
        let len = buf[at + 1] & 127; let head = 2;
        if (len === 126) { if (buf.length - at < 4) break; len = buf.readUInt16BE(at + 2); head = 4; }
        else if (len === 127) { if (buf.length - at < 10) break; len = Number(buf.readBigUInt64BE(at + 2)); head = 10; }
        if (buf.length - at < head + len) break;
        const fin = buf[at] & 128; const op = buf[at] & 15; const payload = buf.subarray(at + head, at + head + len);
        at += head + len;
        if (op === 9) socket.write(Buffer.concat([Buffer.from([0x8a, 0x80 | payload.length, 0, 0, 0, 0]), payload]));  // pong, zero mask
        else if (op === 8) socket.end();
        else if (fin && (op === 1 || op === 0)) onText(board, payload, t);
      }
      if (at < buf.length) pending = buf.subarray(at);
    });
  };
  const openOne = (url, ca, kind) => new Promise((resolveOpen, rejectOpen) => {
    const board = { snapshot: false, deltas: 0, lastSeq: 0, dup: 0, opened: resolveOpen };
    (kind === 'ws' ? openWs : openRaw)(board, url, ca);
    board.socket.on('error', (error) => { board.error = error; rejectOpen(error); });
    board.socket.once('close', () => { board.closed = true; rejectOpen(new Error('closed')); });
  });
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (m) => {
    if (m.cmd === 'open') {
      let next = 0; let failed = 0; const t0 = now();
      await Promise.all(Array.from({ length: Math.min(64, m.n) }, async () => {
        while (next < m.n) { next++; try { boards.push(await openOne(m.url, m.ca, m.client)); } catch { failed++; } }
      }));
      expected = boards.length;
      process.send({ type: 'opened', n: boards.length, failed, ms: now() - t0, rssKib: process.memoryUsage().rss >> 10 });
    } else if (m.cmd === 'cpu') {
      const u = process.cpuUsage(); process.send({ type: 'cpu', s: (u.user + u.system) / 1e6 });
    } else if (m.cmd === 'stats') {
      const deltas = boards.map((b) => b.deltas);
      process.send({ type: 'stats', min: Math.min(...deltas), max: Math.max(...deltas), closed: boards.filter((b) => b.closed).length,
        dup: boards.reduce((s, b) => s + b.dup, 0), resyncs, incomplete: per.size });
    }
  });
} else {
  await main();
}

async function main() {
  const opt = { client: 'raw', boards: 1000, reports: 200, interval: 50, idle: '1000,5000', clients: 1, runs: 1, settle: 3000,
    out: join(root, 'bench', 'results', 'tls.jsonl'), bin: process.env.LAGESBILD_BIN };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opt) || argv[i + 1] === undefined) { console.error(`unknown or valueless option ${argv[i]} (see the top of ${here})`); process.exit(2); }
    opt[key] = typeof opt[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  const idleCounts = String(opt.idle).split(',').filter(Boolean).map(Number);
  const need = Math.max(opt.boards, ...idleCounts) + 100;
  // Descriptors: the server needs one per board, a board process its share. Node cannot raise its
  // own limit, so re-run this script once through bash with the soft limit at the hard one.
  const limits = /Max open files\s+(\d+)\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  if (Number(limits[1]) < need && !process.env.LB_TLS_BENCH_RAISED) {
    const r = spawnSync('bash', ['-c', 'ulimit -n "$(ulimit -Hn)" && exec "$@"', 'bash', process.execPath, here, ...argv],
      { stdio: 'inherit', env: { ...process.env, LB_TLS_BENCH_RAISED: '1' } });
    process.exit(r.status ?? 1);
  }
  if (Number(limits[1]) < need) console.error(`warning: open-file limit ${limits[1]} < ${need}; opening boards may fail`);
  if (opt.bin) process.env.LAGESBILD_BIN = resolve(opt.bin);
  const { makeCertificates, startServe } = await import('../tests/support/tls.mjs');
  const { serverBinary } = await import('../tests/support/server.mjs');
  if (!existsSync(serverBinary)) { console.error(`no server binary at ${serverBinary} (build it, or --bin PATH)`); process.exit(1); }

  // Cleanup on every way out: servers killed, their folders and the certificates removed.
  const live = new Set(); const workers = new Set(); let certs = null;
  const cleanup = () => {
    for (const w of workers) try { w.kill('SIGKILL'); } catch { /* gone */ }
    for (const s of live) { try { s.child.kill('SIGKILL'); } catch { /* gone */ } rmSync(s.dir, { recursive: true, force: true }); }
    live.clear(); certs?.remove(); certs = null;
  };
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { console.error(`\n${sig}: cleaning up`); process.exit(130); });
  for (const ev of ['unhandledRejection', 'uncaughtException']) process.on(ev, (e) => { console.error(e); process.exit(1); });
  certs = makeCertificates();

  const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  const machine = { cpus: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()), cpu: cpuModel,
    mem_gib: Math.round(os.totalmem() / 2 ** 30), kernel: os.release(), node: process.version };
  let commit = null; try { commit = execFileSync('git', ['-C', root, 'describe', '--always', '--dirty'], { encoding: 'utf8', stdio: 'pipe' }).trim(); } catch { /* no git */ }
  const procStatus = (pid) => readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKib = (pid) => Number(/VmRSS:\s+(\d+)/.exec(procStatus(pid))[1]);
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  const serverCpu = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / ticks; };
  const pct = (v, p) => { if (!v.length) return NaN; const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
  const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');

  const start = async (transport) => {
    const args = ['--keepalive', '600', '--max-connections', '100000', '--max-connections-per-address', '100000',
      '--message-rate', '1e7', '--message-burst', '1e7', '--write-rate', '1e7'];
    if (transport === 'tls') args.push('--tls-cert', certs.certPath, '--tls-key', certs.keyPath);
    const server = await startServe({ args, users: [{ id: 'admin', role: 'admin' }] });
    live.add(server);
    if (server.scheme !== (transport === 'tls' ? 'https' : 'http')) throw new Error(`asked for ${transport}, server says ${server.scheme}`);
    server.ws = `${transport === 'tls' ? 'wss' : 'ws'}://127.0.0.1:${server.port}/ws?space=live`;
    return server;
  };
  const stop = async (server) => { await server.stop(); live.delete(server); };

  // K board processes with n boards between them; resolves with their handles once all are open.
  const openBoards = async (server, n) => {
    const k = Math.max(1, Math.min(opt.clients, n));
    const procs = Array.from({ length: k }, () => {
      const w = fork(here, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      workers.add(w);
      w.on('exit', (code, signal) => {
        workers.delete(w);
        if (!w.closing) { console.error(`a board process exited (${code ?? signal}) during the run`); process.exit(1); }
      });
      return w;
    });
    const ask = (w, msg, type) => new Promise((r) => { const on = (m) => { if (m.type === type) { w.off('message', on); r(m); } }; w.on('message', on); w.send(msg); });
    const opened = await Promise.all(procs.map((w, i) => ask(w, { cmd: 'open', url: server.ws, ca: certs.caPem, client: opt.client,
      n: Math.floor(n / k) + (i < n % k ? 1 : 0) }, 'opened')));
    return { procs, ask, opened, n: opened.reduce((s, o) => s + o.n, 0), failed: opened.reduce((s, o) => s + o.failed, 0),
      cpu: async () => (await Promise.all(procs.map((w) => ask(w, { cmd: 'cpu' }, 'cpu')))).reduce((s, c) => s + c.s, 0),
      close: () => procs.forEach((w) => { w.closing = true; w.kill('SIGTERM'); }) };
  };

  const fanout = async (server, clients) => {
    const admin = new WebSocket(server.ws, wsOptions(certs.caPem));
    const acks = new Map(); let welcome;
    const welcomed = new Promise((r) => { welcome = r; });
    admin.on('error', (error) => console.error(`admin connection: ${error.message}`));
    admin.on('message', (data) => {
      const t = now(); const text = data.toString('latin1', Math.max(0, data.length - 200));
      if (text.includes('"type":"welcome"')) welcome();
      const ack = /^\{"id":"r(\d+)","seq":(\d+),"space":"live","type":"ack"/.exec(text);
      if (ack) acks.set(Number(ack[1]), { at: t, seq: Number(ack[2]) });
      else if (text.includes('"type":"error"')) console.error(`admin got an error: ${String(data).slice(0, 300)}`);
    });
    await new Promise((r, j) => { admin.once('open', r); admin.once('error', j); });
    admin.send(JSON.stringify({ v: 1, type: 'hello', token: server.tokens.admin }));
    await welcomed;
    const done = new Map();  // seq -> {workers, last}
    const onDone = (m) => {
      if (m.type !== 'done') return;
      const e = done.get(m.seq) ?? { workers: 0, first: Infinity, last: 0 };
      e.workers++; e.first = Math.min(e.first, m.first); e.last = Math.max(e.last, m.last); done.set(m.seq, e);
    };
    clients.procs.forEach((w) => w.on('message', onDone));
    const hospitals = ['falun', 'mora', 'gavle', 'hudiksvall', 'bollnas', 'eskilstuna', 'nykoping', 'katrineholm',
      'akademiska', 'enkoping', 'karlstad', 'arvika', 'torsby', 'vasteras', 'koping', 'uso', 'karlskoga', 'lindesberg'];
    const sent = [];
    const cpu0 = { server: serverCpu(server.child.pid), clients: await clients.cpu(), admin: process.cpuUsage() };
    const t0 = now();
    for (let k = 0; k < opt.reports; k++) {
      const due = t0 + k * opt.interval;
      while (now() < due - 1) await sleep(Math.max(0, due - now() - 1));
      sent[k] = now();
      admin.send(`{"v":1,"type":"report_capacity","id":"r${k}","space":"live","hospital":"${hospitals[k % 18]}",`
        + `"beds":{"MedicalSurgical":{"available":${k % 51}}}}`);
    }
    const complete = () => acks.size === opt.reports && [...acks.values()].every((a) => done.get(a.seq)?.workers === clients.procs.length);
    for (const deadline = now() + 10000; !complete() && now() < deadline;) await sleep(20);
    const seconds = (now() - t0) / 1000;
    const a1 = process.cpuUsage(cpu0.admin);
    const cpu = { server: serverCpu(server.child.pid) - cpu0.server, clients: (await clients.cpu()) - cpu0.clients,
      admin: (a1.user + a1.system) / 1e6 };
    clients.procs.forEach((w) => w.off('message', onDone));
    const stats = await Promise.all(clients.procs.map((w) => clients.ask(w, { cmd: 'stats' }, 'stats')));
    admin.close();
    const fan = []; const ack = []; const first = [];
    for (let k = 0; k < opt.reports; k++) {
      const a = acks.get(k); if (!a) continue;
      ack.push(a.at - sent[k]);
      const d = done.get(a.seq); if (d?.workers === clients.procs.length) { fan.push(d.last - sent[k]); first.push(d.first - sent[k]); }
    }
    return { reports: opt.reports, acked: acks.size, delivered: fan.length, p50: pct(fan, 0.5), p95: pct(fan, 0.95), p99: pct(fan, 0.99),
      max: Math.max(...fan), first_p50: pct(first, 0.5), ack_p50: pct(ack, 0.5), ack_p99: pct(ack, 0.99), ack_max: Math.max(...ack),
      deltas_min: Math.min(...stats.map((s) => s.min)), deltas_max: Math.max(...stats.map((s) => s.max)),
      dup: stats.reduce((s, x) => s + x.dup, 0), resyncs: stats.reduce((s, x) => s + x.resyncs, 0),
      closed: stats.reduce((s, x) => s + x.closed, 0), seconds, server_cpu_s: cpu.server, client_cpu_s: cpu.clients, admin_cpu_s: cpu.admin };
  };

  const all = [];
  const record = (row) => {
    all.push(row);
    try { mkdirSync(dirname(opt.out), { recursive: true }); appendFileSync(opt.out, `${JSON.stringify(row)}\n`); } catch (e) { console.error(`cannot append to ${opt.out}: ${e.message}`); }
  };
  const header = `Machine: ${machine.cpus} CPUs, ${machine.cpu}, ${machine.mem_gib} GiB, Linux ${machine.kernel}, Node ${machine.node}; server ${opt.bin ?? 'build/release/lagesbild'} (repo ${commit ?? '?'})`;
  console.log(header);
  for (let run = 1; run <= opt.runs; run++) {
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const at = new Date().toISOString();
    console.log(`\n### Run ${run}/${opt.runs}, ${at}, load average ${load}; boards: ${opt.client} client in ${opt.clients} process(es)\n`);
    const idleRows = []; const fanRows = [];
    const counts = idleCounts.includes(opt.boards) || opt.reports === 0 ? idleCounts : [...idleCounts, opt.boards];
    for (const transport of run % 2 ? ['plain', 'tls'] : ['tls', 'plain']) {
      for (const n of counts) {
        const server = await start(transport);
        await sleep(1000);
        const before = rssKib(server.child.pid);
        const clients = await openBoards(server, n);
        await sleep(opt.settle);
        const after = rssKib(server.child.pid);
        const base = { bench: 'tls', at, run, load, machine, commit, transport, client: opt.client, clients: opt.clients };
        if (idleCounts.includes(n)) {
          const row = { ...base, mode: 'idle', boards: n, open: clients.n, failed: clients.failed, open_ms: Math.round(Math.max(...clients.opened.map((o) => o.ms))),
            rss_before_kib: before, rss_after_kib: after, kib_per_connection: (after - before) / clients.n,
            client_rss_kib: clients.opened.reduce((s, o) => s + o.rssKib, 0) };
          record(row); idleRows.push(row);
        }
        if (n === opt.boards && opt.reports > 0) {
          const row = { ...base, mode: 'fanout', boards: clients.n, interval_ms: opt.interval, ...(await fanout(server, clients)) };
          record(row); fanRows.push(row);
        }
        clients.close();
        await stop(server);
      }
    }
    console.log('| transport | boards open | VmRSS before KiB | after KiB | KiB per connection | client RSS KiB |');
    console.log('|---|---|---|---|---|---|');
    for (const r of idleRows) console.log(`| ${r.transport} | ${r.open}/${r.boards} | ${r.rss_before_kib} | ${r.rss_after_kib} | ${f2(r.kib_per_connection)} | ${r.client_rss_kib} |`);
    console.log('\n| transport | boards | reports acked/delivered | fan-out p50 ms | p95 ms | p99 ms | max ms | first board p50 ms | ack p50 ms | ack p99 ms | deltas per board | dup | resync | server CPU s | board-client CPU s | seconds |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of fanRows) {
      console.log(`| ${r.transport} | ${r.boards} | ${r.acked}/${r.delivered} of ${r.reports} | ${f2(r.p50)} | ${f2(r.p95)} | ${f2(r.p99)} | ${f2(r.max)} | ${f2(r.first_p50)} | ${f2(r.ack_p50)} | ${f2(r.ack_p99)} | `
        + `${r.deltas_min}–${r.deltas_max} | ${r.dup} | ${r.resyncs} | ${f2(r.server_cpu_s)} | ${f2(r.client_cpu_s)} | ${r.seconds.toFixed(1)} |`);
    }
    console.log(`\nload average at the end of run ${run}: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  }
  if (opt.runs > 1) {
    console.log(`\n### Spread over ${opt.runs} runs (min–max)\n`);
    const span = (rows, key) => { const v = rows.map((r) => r[key]); return `${f2(Math.min(...v))}–${f2(Math.max(...v))}`; };
    for (const t of ['plain', 'tls']) {
      for (const n of idleCounts) console.log(`- ${t}, ${n} idle: ${span(all.filter((r) => r.mode === 'idle' && r.transport === t && r.boards === n), 'kib_per_connection')} KiB per connection`);
      const f = all.filter((r) => r.mode === 'fanout' && r.transport === t);
      if (f.length) console.log(`- ${t}, fan-out to ${opt.boards}: p50 ${span(f, 'p50')}, p99 ${span(f, 'p99')}, max ${span(f, 'max')} ms; ack p50 ${span(f, 'ack_p50')} ms`);
    }
  }
  console.log(`\nappended ${all.length} JSON lines to ${opt.out}`);
  process.exit(0);
}
