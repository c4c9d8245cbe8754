#!/usr/bin/env node
// The parse benchmark: ReadModule() on the standard-library module and a
// SQLite side module, natively (Google Benchmark, build/bench/parse/parse_bench)
// and under Node (em++ build, build/wasm/bench/parse/parse_driver.js), against
// `wasm-objdump -x` on the same files in the same run, timed as a whole
// process. Prints a table and writes bench/out/parse.json.
//
//   node bench/parse/run.mjs [--build build] [--runs 20] [--libstd FILE] [--sqlite FILE]
//
// Targets (issue 2): a full parse of the ~1.6 MB module in under 5 ms
// natively, and at least 20x faster than `wasm-objdump -x` as a whole process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const opts = { build: join(root, 'build'), runs: 20, libstd: null, sqlite: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; ++i) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in opts) || i + 1 >= argv.length) {
    console.error('usage: run.mjs [--build DIR] [--runs N] [--libstd FILE] [--sqlite FILE]');
    process.exit(2);
  }
  opts[key] = key === 'runs' ? Number(argv[++i]) : resolve(argv[++i]);
}

function firstExisting(...paths) {
  return paths.find((p) => p && existsSync(p));
}
const libstd = firstExisting(opts.libstd, join(opts.build, 'wasm/runtime/libstd/libstd.wasm'));
const sqlite = firstExisting(opts.sqlite, join(opts.build, 'wasm/demo/sqlite/libsqlite.wasm'),
                             '/tmp/libsqlite.wasm');
if (!libstd) fail(`no libstd.wasm under ${opts.build}/wasm/runtime/libstd (build first, or --libstd)`);
if (!sqlite) {
  fail('no SQLite side module: build the demo (build/wasm/demo/sqlite/libsqlite.wasm), or\n' +
       '  emcc -O2 -sSIDE_MODULE=1 node_modules/better-sqlite3/deps/sqlite3/sqlite3.c ' +
       '-o /tmp/libsqlite.wasm, or pass --sqlite');
}
const files = [libstd, sqlite];
const nativeBench = join(opts.build, 'bench/parse/parse_bench');
const nodeDriver = join(opts.build, 'wasm/bench/parse/parse_driver.js');
const lazylink = join(opts.build, 'bin/lazylink');

function fail(msg) {
  console.error(`bench/parse: ${msg}`);
  process.exit(2);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error || r.status !== 0) fail(`${cmd} ${args.join(' ')} failed: ${r.error || r.stderr}`);
  return r.stdout;
}

// Median wall time of a whole process, output discarded, after one warm-up.
function timeProcess(cmd, args, runs) {
  const times = [];
  for (let i = -1; i < runs; ++i) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const t1 = process.hrtime.bigint();
    if (r.error || r.status !== 0) fail(`${cmd} ${args.join(' ')} failed: ${r.error || r.stderr}`);
    if (i >= 0) times.push(Number(t1 - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median_ms: times[times.length >> 1], min_ms: times[0], runs };
}

const results = files.map((f) => ({ file: basename(f), path: f, bytes: statSync(f).size }));

// Native: Google Benchmark, median of 5 repetitions.
if (!existsSync(nativeBench)) fail(`${nativeBench} missing (needs libbenchmark-dev; build first)`);
const nativeJson = JSON.parse(run(nativeBench, [
  '--benchmark_format=json', '--benchmark_repetitions=5', '--benchmark_min_time=0.3',
  '--benchmark_report_aggregates_only=true', ...files]));
for (const b of nativeJson.benchmarks) {
  if (b.aggregate_name !== 'median') continue;
  const r = results.find((x) => `parse/${x.file}` === b.run_name);
  const unit = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 }[b.time_unit];
  const ms = b.real_time * unit;
  // Wall time is what the ratios use; CPU time shows what a loaded machine
  // (load average below) added to it.
  r.native = { median_ms: ms, cpu_ms: b.cpu_time * unit, mb_per_s: r.bytes / 1e6 / (ms / 1e3) };
}

// Node: the em++ build of the reader.
if (existsSync(nodeDriver)) {
  const out = run(process.execPath, ['--no-experimental-fetch', nodeDriver, '--runs',
                                     String(Math.max(opts.runs, 20)), ...files]);
  for (const line of out.trim().split('\n')) {
    const j = JSON.parse(line);
    const r = results.find((x) => x.file === j.file);
    r.node = { median_ms: j.median_ms, mb_per_s: j.mb_per_s };
  }
} else {
  console.error(`bench/parse: ${nodeDriver} missing; Node figures skipped`);
}

// Whole processes: wasm-objdump -x, and lazylink inspect --json for reference.
for (const r of results) {
  r.objdump = timeProcess('wasm-objdump', ['-x', r.path], opts.runs);
  if (existsSync(lazylink)) r.inspect = timeProcess(lazylink, ['inspect', '--json', r.path], opts.runs);
  if (r.native) r.native.ratio_vs_objdump = r.objdump.median_ms / r.native.median_ms;
  if (r.node) r.node.ratio_vs_objdump = r.objdump.median_ms / r.node.median_ms;
  if (r.inspect) r.inspect.ratio_vs_objdump = r.objdump.median_ms / r.inspect.median_ms;
}

const f = (x, d = 2) => (x === undefined ? '-' : x.toFixed(d));
const rows = [['module', 'MB', 'native ms', 'native MB/s', 'node ms', 'node MB/s',
               'objdump -x ms', 'x native', 'x node', 'inspect ms', 'x inspect']];
for (const r of results) {
  rows.push([r.file, f(r.bytes / 1e6), f(r.native?.median_ms, 3), f(r.native?.mb_per_s, 0),
             f(r.node?.median_ms, 3), f(r.node?.mb_per_s, 0), f(r.objdump.median_ms, 1),
             f(r.native?.ratio_vs_objdump, 0), f(r.node?.ratio_vs_objdump, 0),
             f(r.inspect?.median_ms, 1), f(r.inspect?.ratio_vs_objdump, 1)]);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
for (const row of rows) console.log(row.map((cell, c) => (c ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  '));
console.log('(ms: medians of wall time; "x": wasm-objdump -x whole-process time / ours; ' +
            '"inspect": `lazylink inspect --json` as a whole process, JSON output included)');
for (const r of results) {
  if (r.native) console.log(`${r.file}: native parse CPU time ${f(r.native.cpu_ms, 3)} ms`);
}
console.log(`load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(' ')} ` +
            `on ${cpus().length} CPUs`);

const std = results[0];
const checks = [
  { target: 'libstd parse < 5 ms natively', ok: std.native && std.native.median_ms < 5 },
  { target: '>= 20x faster than wasm-objdump -x (native parse)',
    ok: results.every((r) => r.native && r.native.ratio_vs_objdump >= 20) },
];
for (const c of checks) console.log(`${c.ok ? 'PASS' : 'MISS'}  ${c.target}`);

const outDir = join(root, 'bench/out');
mkdirSync(outDir, { recursive: true });
const report = {
  benchmark: 'parse',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cpus: cpus().length, node: process.version, loadavg: loadavg() },
  results,
  checks,
};
writeFileSync(join(outDir, 'parse.json'), JSON.stringify(report, null, 2) + '\n');
console.log(`wrote ${join(outDir, 'parse.json')}`);
