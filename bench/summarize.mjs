// Turns the loadgen RESULT lines (JSON lines) into bench/results/latest.json and a Markdown table.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [file, mode] = process.argv.slice(2);
const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
const machine = {
  nproc: cpus().length,
  cpu_model: (/model name\s*:\s*(.*)/.exec(cpuinfo) ?? [])[1] ?? 'unknown',
  mem_gib: Math.round(totalmem() / 2 ** 30),
  kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
};
const out = { generated_at: new Date().toISOString(), mode, machine, runs: rows };
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json'),
  `${JSON.stringify(out, null, 2)}\n`);

// Lateness may be negative (early), so it is shown as is.
const ms = (v) => (v === undefined || v === null ? '–' : Number(v).toFixed(2));
const f = (v, d = 1) => (v === undefined || v === null || v < 0 ? '–' : Number(v).toFixed(d));
const lines = [];
lines.push(`Machine: ${machine.nproc} CPUs, ${machine.cpu_model}, ${machine.mem_gib} GiB, Linux ${machine.kernel}; mode ${mode}; ${out.generated_at}`);
lines.push('');
lines.push('| server | run | boards open | reports acked | p50 ms | p95 ms | p99 ms | max ms | missing | dup | deltas/s | server CPU s | loadgen CPU s |');
lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows.filter((r) => r.mode === 'latency')) {
  lines.push(`| ${r.server} | ${r.label} | ${r.boards_open}/${r.boards_requested} | ${r.acks}/${r.reports_sent} | ${f(r.p50_ms, 2)} | ${f(r.p95_ms, 2)} | ${f(r.p99_ms, 2)} | ${f(r.max_ms, 2)} | ${r.missing} | ${r.duplicates} | ${f(r.deltas_per_s, 0)} | ${f(r.server_cpu_s, 2)} | ${f(r.loadgen_cpu_s, 2)} |`);
}
lines.push('');
lines.push('| server | run | boards | window | acked reports/s | deltas/s | resync snapshots | server CPU s | seconds |');
lines.push('|---|---|---|---|---|---|---|---|---|');
for (const r of rows.filter((r) => r.mode === 'throughput')) {
  lines.push(`| ${r.server} | ${r.label} | ${r.boards_open} | ${r.window} | ${f(r.acks_per_s, 0)} | ${f(r.deltas_per_s, 0)} | ${r.resync_snapshots} | ${f(r.server_cpu_s, 2)} | ${f(r.seconds, 1)} |`);
}
lines.push('');
lines.push('| server | run | connections | VmRSS before KiB | after KiB | KiB per connection |');
lines.push('|---|---|---|---|---|---|');
for (const r of rows.filter((r) => r.mode === 'idle')) {
  lines.push(`| ${r.server} | ${r.label} | ${r.open} | ${r.rss_before_kib} | ${r.rss_after_kib} | ${f(r.kib_per_connection, 2)} |`);
}
lines.push('');
lines.push('| server | run | case | events | attempt | seconds to "listening" | VmRSS KiB | recovery |');
lines.push('|---|---|---|---|---|---|---|---|');
for (const r of rows.filter((r) => r.mode === 'cold_start')) {
  lines.push(`| ${r.server} | ${r.label} | ${r.case ?? ''} | ${r.events} | ${r.attempt} | ${f(r.seconds, 3)} | ${r.rss_kib} | ${r.recovered ?? ''} |`);
}
lines.push('');
lines.push('| server | run | speed | injects seen | lateness p50 ms | p95 ms | p99 ms | max ms | min ms |');
lines.push('|---|---|---|---|---|---|---|---|---|');
for (const r of rows.filter((r) => r.mode === 'inject_timing')) {
  lines.push(`| ${r.server} | ${r.label} | ${r.speed}x | ${r.injects_seen}/${r.injects_expected} | ${ms(r.p50_ms)} | ${ms(r.p95_ms)} | ${ms(r.p99_ms)} | ${ms(r.max_ms)} | ${ms(r.min_ms)} |`);
}
console.log(lines.join('\n'));
