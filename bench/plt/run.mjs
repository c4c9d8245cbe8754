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
  'plt_caller_slot.wasm': path.join(dir, 'plt_caller_slot.wasm'),
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
      for (const [w, v] of Object.entries(r.nsPerCall)) {
        console.log(`page ${i} ${w}: ns/call ` + Object.entries(v).filter(([k]) => k !== 'calls')
          .map(([k, x]) => `${k} ${x.median.toFixed(2)}`).join(', '));
      }
    } finally {
      await p.close();
    }
  }
} finally {
  await bench.close();
}
// Every round of every page; ratios are per round (the two variants ran
// back to back), then the median.
const workloads = {};
for (const w of Object.keys(pages[0].nsPerCall)) {
  const variants = Object.keys(pages[0].nsPerCall[w]).filter((k) => k !== 'calls');
  const all = (k) => pages.flatMap((p) => p.nsPerCall[w][k].runs);
  const ns = Object.fromEntries(variants.map((k) => [k, summarize(all(k))]));
  const rr = (a, b) => summarize(pages.flatMap((p) => p.nsPerCall[w][a].runs.map((x, i) => x / p.nsPerCall[w][b].runs[i])));
  const ratios = {
    lazyVsEager: rr('lazy', 'eager'), lazySlotVsEager: rr('lazySlot', 'eager'), jsVsEager: rr('js', 'eager'), jsEmVsEager: rr('jsEm', 'eager'),
    jsVsLazy: rr('js', 'lazy'), jsEmVsLazy: rr('jsEm', 'lazy'),
    // Prototypes (bench/plt/proto.mjs): controls, then candidate PLT entries.
    hostWasmVsEager: rr('hostWasm', 'eager'), protoCallVsLazy: rr('protoCall', 'lazy'),
    protoTailVsEager: rr('protoTail', 'eager'), protoRefVsEager: rr('protoRef', 'eager'),
    protoRefTailVsEager: rr('protoRefTail', 'eager'),
  };
  // The loop's own cost (a call within the module, which V8 may inline) taken out.
  if (ns.local) {
    ratios.netLazyVsEager = ratio(ns.lazy.median - ns.local.median, ns.eager.median - ns.local.median);
    ratios.netLazySlotVsEager = ratio(ns.lazySlot.median - ns.local.median, ns.eager.median - ns.local.median);
  }
  workloads[w] = { calls: pages[0].nsPerCall[w].calls, nsPerCall: ns, ratios,
    extraNsPerPltCall: Math.round((ns.lazy.median - ns.eager.median) * 1000) / 1000 };
}
const report = {
  benchmark: 'plt-call-cost', date: new Date().toISOString(), machine: machine(), browser: `Chromium ${bench.version}`,
  rounds: opts.rounds, pages: opts.pages,
  bindings: pages[0].bindings,
  workloads,
  // The headline: the trivial callee (x + 1), where the call is all there is.
  nsPerCall: workloads.trivial.nsPerCall,
  ratios: workloads.trivial.ratios,
  calls: workloads.trivial.calls,
  target: 'resolved lazy call (packed app: through the slot) within 1.3x of a direct import call',
};
// The shipped path: `lazylink pack` rewrites calls into lazy modules to go
// through the slot (lazySlot); the PLT trampoline (lazy) is the fallback.
report.met = report.ratios.lazySlotVsEager.median <= 1.3;
fs.mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench/out/plt.json'), JSON.stringify(report, null, 2) + '\n');
console.log(`bindings (plt_target, plt_work): ${JSON.stringify(report.bindings)}`);
for (const [w, x] of Object.entries(workloads)) {
  const r = x.ratios;
  console.log(`${w} callee, ns per call (median of ${pages.length} pages x ${opts.rounds} rounds of ${x.calls} calls): ` +
              Object.entries(x.nsPerCall).map(([k, v]) => `${k} ${v.median.toFixed(2)} (${v.min.toFixed(2)}-${v.max.toFixed(2)})`).join('; '));
  console.log(`  lazySlot/eager ${r.lazySlotVsEager.median}${r.netLazySlotVsEager ? ` (net of the loop ${r.netLazySlotVsEager})` : ''}; ` +
              `lazy (PLT trampoline)/eager ${r.lazyVsEager.median}${r.netLazyVsEager ? ` (net of the loop ${r.netLazyVsEager})` : ''}; ` +
              `js/eager ${r.jsVsEager.median}; Emscripten-style stub/eager ${r.jsEmVsEager.median}; js/lazy ${r.jsVsLazy.median}; ` +
              `Emscripten-style stub/lazy ${r.jsEmVsLazy.median}`);
  console.log(`  prototypes: direct-as-host/eager ${r.hostWasmVsEager.median} (control); our-copy-of-PLT/lazy ` +
              `${r.protoCallVsLazy.median} (control); tail call/eager ${r.protoTailVsEager.median}; call_ref/eager ` +
              `${r.protoRefVsEager.median}; return_call_ref/eager ${r.protoRefTailVsEager.median}`);
}
console.log(`target (trivial callee, lazySlot/eager <= 1.3): ${report.met ? 'met' : 'missed'}`);
console.log('wrote bench/out/plt.json');
