#!/usr/bin/env node
// The link-overhead benchmark (issue 3): for libstd + the SQLite side module
// + a main that uses SQLite (bench/apps/sqlite_main.c), the time from bytes
// in hand to main, through lazylink, minus the floor: the same modules
// compiled and instantiated with import objects computed beforehand (same
// table fills, relocations and constructors). Target: overhead under 10% of
// the floor. In Chromium (primary) and Node; each measurement in a fresh page
// or process; medians and spread. Writes bench/out/link.json.
//
//   node bench/link/run.mjs [--build build] [--runs 9] [--node-runs 9] [--no-node] [--no-chromium]
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, openBench } from '../lib/browser.mjs';
import { asUrls, machine, nodeOp, oursVsFloor, pageOp, parseArgs } from '../lib/driver.mjs';
import { fmt } from '../lib/stats.mjs';

const opts = parseArgs({ build: path.join(ROOT, 'build'), runs: 9, 'node-runs': 9, 'no-node': false, 'no-chromium': false },
  'usage: run.mjs [--build DIR] [--runs N] [--node-runs N] [--no-node] [--no-chromium]');
const build = path.resolve(opts.build);
const files = {
  'sqlite_main.wasm': path.join(build, 'wasm/bench/apps/sqlite_main.wasm'),
  'libsqlite.wasm': path.join(build, 'wasm/demo/sqlite/libsqlite.wasm'),
  'libstd.wasm': path.join(ROOT, 'web/dist/libstd.wasm'),
};
for (const [n, p] of Object.entries(files)) {
  if (!fs.existsSync(p)) {
    console.error(`bench/link: ${n} missing at ${p} (build first)`);
    process.exit(2);
  }
}
const spec = { main: 'sqlite_main.wasm', args: ['1000'], entry: 'argv' };
const report = {
  benchmark: 'link-overhead', date: new Date().toISOString(), machine: machine(),
  app: Object.fromEntries(Object.entries(files).map(([n, p]) => [n, fs.statSync(p).size])),
  target: 'overhead (ours - floor) under 10% of the floor',
  results: {},
};

const show = (name, r) => {
  console.log(`${name}: ours ${fmt(r.ours)}; floor ${fmt(r.floorStrict)} (+ PLT ${fmt(r.floorParts.plt)}); ` +
              `overhead ${fmt(r.overheadStrict)} = ${(100 * r.overheadRatio.median).toFixed(1)}% of the floor`);
  console.log(`  warm loader (after two loads in the same ${name === 'node' ? 'process' : 'page'}): ours ${fmt(r.oursWarm)}; ` +
              `overhead ${fmt(r.overheadWarm)} = ${(100 * r.overheadWarmRatio.median).toFixed(1)}% of the floor`);
  console.log(`  start plan (shipped; made at pack time, no core before main): ${fmt(r.aot)}; overhead ${fmt(r.aotOverhead)} = ` +
              `${(100 * r.aotOverheadRatio.median).toFixed(1)}% of the floor; the core's later check ${fmt(r.aotAdopt)}`);
  for (const [label, b] of [['cold', r.breakdown], ['warm', r.breakdownWarm]]) {
  console.log(`  breakdown (${label}, instrumented, medians): parse ${b.parseMs?.toFixed(1)} ms, plan ${b.planMs?.toFixed(1)} ms, ` +
              `plan->first instantiate ${b.afterPlanToFirstInstantiateMs?.toFixed(1)} ms (PLT compile ${b.pltCompileMs?.toFixed(1)}), ` +
              `instantiate ${b.instantiateMs?.toFixed(1)} ms (${b.instantiations}), ctors ${b.ctorsMs?.toFixed(1)} ms, ` +
              `commit ${b.commitMs?.toFixed(1)} ms, ${b.tableSets} table sets; longest compile ${b.compileWallMaxMs?.toFixed(1)} ms`);
  }
};

if (!opts['no-chromium']) {
  console.log(`link overhead, Chromium (${opts.runs} runs + 1 warm-up, a fresh page each):`);
  const bench = await openBench();
  try {
    const r = await oursVsFloor({
      run: (op, o) => pageOp(bench, op, o), opts: { ...spec, files: asUrls(files) }, runs: opts.runs,
      warm: true, aot: true, log: (l) => console.log(l),
    });
    r.browser = `Chromium ${bench.version}`;
    report.results.chromium = r;
    show('chromium', r);
  } finally {
    await bench.close();
  }
}
if (!opts['no-node']) {
  console.log(`link overhead, Node ${process.version} (${opts['node-runs']} runs + 1 warm-up, a fresh process each):`);
  const r = await oursVsFloor({
    run: async (op, o) => nodeOp(op, o), opts: { ...spec, files }, runs: opts['node-runs'],
    warm: true, aot: true, log: (l) => console.log(l),
  });
  report.results.node = r;
  show('node', r);
}
report.machine.loadavgAfter = machine().loadavg;
fs.mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench/out/link.json'), JSON.stringify(report, null, 2) + '\n');
console.log('wrote bench/out/link.json');
