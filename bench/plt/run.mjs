#!/usr/bin/env node
// The PLT call-cost benchmark (issue 4), in Chromium: a call through a
// resolved lazy PLT entry vs a direct import call (target: within 1.3x), and
// vs JS trampolines, in the same page. See page.mjs for the variants.
// Writes bench/out/plt.json.
//
//   node bench/plt/run.mjs [--build build] [--n 20000000] [--rounds 15] [--pages 3]
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, callPage, openBench } from '../lib/browser.mjs';
import { asUrls, machine, parseArgs } from '../lib/driver.mjs';
import { ratio, summarize } from '../lib/stats.mjs';

const opts = parseArgs({ build: path.join(ROOT, 'build'), n: 20_000_000, rounds: 15, pages: 3 },
  'usage: run.mjs [--build DIR] [--n CALLS] [--rounds N] [--pages N]');
const dir = path.join(path.resolve(opts.build), 'wasm/bench/apps');
const files = {
  'plt_caller.wasm': path.join(dir, 'plt_caller.wasm'),
  'plt_callee.wasm': path.join(dir, 'plt_callee.wasm'),
  'libstd.wasm': path.join(ROOT, 'web/dist/libstd.wasm'),
};
for (const p of Object.values(files)) {
  if (!fs.existsSync(p)) {
    console.error(`bench/plt: ${p} missing (build first)`);
    process.exit(2);
  }
}

const bench = await openBench();
const pages = [];
try {
  // Several fresh pages; each runs every variant `rounds` times.
  for (let i = 0; i < opts.pages; i++) {
    const p = await bench.page('/bench/plt/page.html');
    try {
      await p.page.waitForFunction(() => window.__benchReady);
      const r = await callPage(p.page, 'benchPlt', { files: asUrls(files), n: opts.n, rounds: opts.rounds });
      if (p.errors.length) throw new Error(p.errors.join('\n'));
      pages.push(r);
      console.log(`page ${i}: ns/call ` + Object.entries(r.nsPerCall).map(([k, s]) => `${k} ${s.median.toFixed(3)}`).join(', '));
    } finally {
      await p.close();
    }
  }
} finally {
  await bench.close();
}
// Per-page medians, then the median over pages; every round's ratio too.
const all = (k) => pages.flatMap((p) => p.nsPerCall[k].runs);
const ns = Object.fromEntries(Object.keys(pages[0].nsPerCall).map((k) => [k, summarize(all(k))]));
const roundRatios = (a, b) => summarize(pages.flatMap((p) => p.nsPerCall[a].runs.map((x, i) => x / p.nsPerCall[b].runs[i])));
const net = (k) => ns[k].median - ns.local.median;
const report = {
  benchmark: 'plt-call-cost', date: new Date().toISOString(), machine: machine(), browser: `Chromium ${bench.version}`,
  calls: opts.n, rounds: opts.rounds, pages: opts.pages,
  bindings: pages[0].bindings,
  nsPerCall: ns,
  ratios: {
    lazyVsEager: roundRatios('lazy', 'eager'),
    jsVsEager: roundRatios('js', 'eager'),
    jsEmVsEager: roundRatios('jsEm', 'eager'),
    jsVsLazy: roundRatios('js', 'lazy'),
    jsEmVsLazy: roundRatios('jsEm', 'lazy'),
    // The loop's own cost (a call within the module) taken out.
    netLazyVsEager: ratio(net('lazy'), net('eager')),
    // Prototypes (bench/plt/proto.mjs): controls and a tail-call PLT entry.
    hostWasmVsEager: roundRatios('hostWasm', 'eager'),
    protoCallVsLazy: roundRatios('protoCall', 'lazy'),
    protoTailVsEager: roundRatios('protoTail', 'eager'),
  },
  target: 'resolved PLT call within 1.3x of a direct import call',
};
report.met = report.ratios.lazyVsEager.median <= 1.3;
fs.mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench/out/plt.json'), JSON.stringify(report, null, 2) + '\n');
console.log(`bindings: ${JSON.stringify(report.bindings)}`);
console.log(`ns per call (median over ${pages.length} pages x ${opts.rounds} rounds of ${opts.n} calls): ` +
            Object.entries(ns).map(([k, s]) => `${k} ${s.median.toFixed(3)} (${s.min.toFixed(3)}-${s.max.toFixed(3)})`).join('; '));
console.log(`lazy/eager ${report.ratios.lazyVsEager.median} (net of the loop ${report.ratios.netLazyVsEager}); ` +
            `js/eager ${report.ratios.jsVsEager.median}; Emscripten-style stub/eager ${report.ratios.jsEmVsEager.median}; ` +
            `js/lazy ${report.ratios.jsVsLazy.median}`);
console.log(`prototypes: control direct-as-host/eager ${report.ratios.hostWasmVsEager.median}; control ` +
            `trampoline/lazy ${report.ratios.protoCallVsLazy.median}; tail-call trampoline/eager ${report.ratios.protoTailVsEager.median}`);
console.log('wrote bench/out/plt.json');
