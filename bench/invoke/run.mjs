#!/usr/bin/env node
// The exceptions benchmark (bench/invoke/bench.mjs): the wasm invoke_
// wrappers against the JS ones, in Node (this process) and in headless
// Chromium. Writes bench/out/invoke.json (rows for bench/report.mjs) and
// prints the figures as a Markdown table.
//
//   node bench/invoke/run.mjs [--build build] [--n 2000000] [--rounds 21]
import fs from 'node:fs';
import path from 'node:path';
import { loadCore } from '../../web/core.mjs';
import { ROOT, callPage, openBench } from '../lib/browser.mjs';
import { asUrls, machine, parseArgs } from '../lib/driver.mjs';
import { LOOPS, benchInvoke } from './bench.mjs';

const opts = parseArgs({ build: path.join(ROOT, 'build'), n: 2_000_000, rounds: 21 },
  'usage: run.mjs [--build DIR] [--n CALLS] [--rounds N]');
const files = {
  'invoke_bench.wasm': path.join(path.resolve(opts.build), 'wasm/bench/invoke/invoke_bench.wasm'),
  'libstd-eh.wasm': path.join(ROOT, 'web/dist/libstd-eh.wasm'),
};
for (const p of Object.values(files)) {
  if (!fs.existsSync(p)) {
    console.error(`bench/invoke: ${p} missing (build the bench_invoke target of build/wasm first)`);
    process.exit(2);
  }
}

const bytes = new Map(Object.entries(files).map(([k, p]) => [k, new Uint8Array(fs.readFileSync(p))]));
const results = {};
console.log('[invoke] Node');
results.node = await benchInvoke({ core: await loadCore(), bytes, rounds: opts.rounds, n: opts.n });
results.node.engine = `Node ${process.version}`;
console.log('[invoke] Chromium');
const bench = await openBench();
try {
  const p = await bench.page('/bench/invoke/page.html');
  try {
    await p.page.waitForFunction(() => window.__benchReady);
    results.chromium = await callPage(p.page, 'benchInvoke', { files: asUrls(files), rounds: opts.rounds, n: opts.n });
    if (p.errors.length) throw new Error(p.errors.join('\n'));
    results.chromium.engine = results.chromium.browser;
  } finally {
    await p.close();
  }
} finally {
  await bench.close();
}

const WHAT = {
  calls: 'a call that does not throw, through invoke_ii (C++ with a destructor to run)',
  throws: 'a C++ throw caught by the caller (throw int; catch (int))',
  setjmp: 'a call under setjmp, through invoke_ii',
  longjmp: 'a longjmp back to a setjmp in the caller',
};
const rows = [];
const md = ['| engine | operation | wasm invoke_ ns/op | JS invoke_ ns/op | ratio (wasm / JS) |', '|---|---|---|---|---|'];
for (const [realm, r] of Object.entries(results)) {
  for (const loop of Object.keys(LOOPS)) {
    const x = r.nsPerOp[loop];
    const ratio = r.ratios[loop];
    md.push(`| ${r.engine} | ${WHAT[loop]} | ${x.wasm.median.toFixed(1)} (${x.wasm.min.toFixed(1)}–${x.wasm.max.toFixed(1)}) | ` +
            `${x.js.median.toFixed(1)} (${x.js.min.toFixed(1)}–${x.js.max.toFixed(1)}) | ${ratio.median.toFixed(2)}x |`);
    // Chromium uses the wasm wrappers by default: they must cost no more
    // than the JS ones did. Node 20 keeps the JS ones by default (its wasm
    // catch of a JS exception is slower): its rows are context.
    const isDefault = realm === 'chromium';
    rows.push({
      benchmark: `exceptions (${realm === 'node' ? `${r.engine}, wasm wrappers opt-in (wasmInvoke: true); the default there is JS` : r.engine}): ` +
                 `${WHAT[loop]}, wasm invoke_ wrappers vs the JS ones`,
      ratio: ratio.median,
      ratioText: `${ratio.median.toFixed(2)}x the JS wrappers' time (per-round ratios ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`,
      target: isDefault ? '<= 1.0x (no dearer than the JS wrappers)' : '(context)',
      met: isDefault ? ratio.median <= 1.0 : null,
      absolute: `ns/op: wasm ${x.wasm.median.toFixed(1)}, JS ${x.js.median.toFixed(1)} (${x.count} ops x ${r.rounds} rounds)`,
    });
  }
}
fs.mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench/out/invoke.json'),
                 JSON.stringify({ machine: machine(), opts, results, rows }, null, 2) + '\n');
console.log(md.join('\n'));
console.log('wrote bench/out/invoke.json');
