#!/usr/bin/env node
// Gathers every benchmark's output (bench/out/*.json) into bench/results.md
// (one table: benchmark, ratio, target, met?, absolute figures) and
// bench/results.json. A benchmark that did not run, or failed, still gets
// its row, saying so. scripts/bench.sh runs the benchmarks, then this.
//
//   node bench/report.mjs [--out-dir bench/out] [--status bench/out/status.json]
//
// A benchmark part may also contribute rows directly: a JSON file in
// bench/out with `rows: [{ benchmark, ratio, target, met, absolute }]`
// (bench/components does: see bench/README.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (k, d) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
const outDir = path.resolve(arg('--out-dir', path.join(root, 'bench/out')));
const statusFile = path.resolve(arg('--status', path.join(outDir, 'status.json')));
const status = fs.existsSync(statusFile) ? JSON.parse(fs.readFileSync(statusFile, 'utf8')) : {};
const read = (name) => {
  const f = path.join(outDir, `${name}.json`);
  if (!fs.existsSync(f)) return null;
  const data = JSON.parse(fs.readFileSync(f, 'utf8'));
  // A stale file from an earlier run does not count when this run failed.
  if (status[name] && status[name].status !== 'ok') return null;
  return data;
};

const n = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : Number(x).toFixed(d));
const ms = (s, d = 1) => (s && s.median !== null && s.median !== undefined
  ? `${n(s.median, d)} ms (${n(s.min, d)}–${n(s.max, d)}, n=${s.n})` : 'n/a');
const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
const rows = [];
const notRun = (benchmark, target, why) => rows.push({ benchmark, ratio: null, target, met: null, absolute: why });
const why = (name) => {
  const s = status[name];
  if (!s) return 'not run';
  if (s.status === 'skipped') return `not available: ${s.reason}`;
  if (s.status !== 'ok') return `failed (${s.status}): see ${s.log ?? 'the log'}`;
  return 'no output';
};

// 1. parse (bench/parse, another part's output)
{
  const p = read('parse');
  if (!p) {
    notRun('parse: libstd.wasm, native reader', '< 5 ms; >= 20x faster than wasm-objdump -x', why('parse'));
  } else {
    for (const r of p.results) {
      rows.push({
        benchmark: `parse: ${r.file} (${kib(r.bytes)}), native reader vs wasm-objdump -x`,
        ratio: r.native?.ratio_vs_objdump ?? null,
        ratioText: `${n(r.native?.ratio_vs_objdump)}x faster`,
        target: r.file.startsWith('libstd') ? '>= 20x; < 5 ms' : '>= 20x',
        met: r.native ? r.native.ratio_vs_objdump >= 20 && (!r.file.startsWith('libstd') || r.native.median_ms < 5) : null,
        absolute: `native ${n(r.native?.median_ms, 2)} ms (CPU ${n(r.native?.cpu_ms, 2)} ms); ` +
                  `Node (em++) ${n(r.node?.median_ms, 2)} ms; wasm-objdump ${n(r.objdump?.median_ms, 1)} ms`,
      });
    }
  }
}

// 2. link overhead
{
  const l = read('link');
  for (const realm of ['chromium', 'node']) {
    const r = l?.results?.[realm];
    const where = realm === 'chromium' ? 'Chromium' : 'Node';
    const name = `link overhead (${where}): libstd + SQLite + main, bytes in hand -> main, cold loader`;
    if (!r) {
      notRun(name, 'overhead < 10% of the floor', l ? 'not measured' : why('link'));
      continue;
    }
    const pct = r.overheadRatio.median * 100;
    const b = r.breakdown;
    rows.push({
      benchmark: name,
      ratio: r.overheadRatio.median,
      ratioText: `overhead ${n(pct)}% of the floor`,
      target: '< 10%',
      met: pct < 10,
      absolute: `ours ${ms(r.ours)}; floor ${ms(r.floorStrict)} (+ our PLT ${n(r.floorParts.plt.median)} ms counted as overhead); ` +
                `overhead ${ms(r.overheadStrict)}. Ours, instrumented: core ${n(b.coreTotalMs)} ms (parse ${n(b.parseMs)}, ` +
                `plan ${n(b.planMs)}), instantiate ${n(b.instantiateMs)} ms (floor ${n(r.floorParts.instantiate.median)}), ` +
                `import objects and fills ${n(b.betweenInstantiationsMs)} ms, ctors ${n(b.ctorsMs)} ms; ` +
                `core load ${n(r.coreLoad.median)} ms (not counted)`,
    });
    if (r.oursWarm) {
      const w = r.breakdownWarm;
      rows.push({
        benchmark: `link overhead (${where}), warm loader (two earlier loads in the same ${realm === 'node' ? 'process' : 'page'}): context`,
        ratio: r.overheadWarmRatio.median,
        ratioText: `overhead ${n(r.overheadWarmRatio.median * 100)}% of the floor`,
        target: '< 10%',
        met: r.overheadWarmRatio.median < 0.1,
        absolute: `ours ${ms(r.oursWarm)}; overhead ${ms(r.overheadWarm)}; instrumented: core ${n(w.coreTotalMs)} ms ` +
                  `(parse ${n(w.parseMs)}, plan ${n(w.planMs)}), instantiate ${n(w.instantiateMs)} ms, import objects ` +
                  `and fills ${n(w.betweenInstantiationsMs)} ms`,
      });
    }
    if (r.aot) {
      rows.push({
        benchmark: `link overhead (${where}): start plan (lazylink pack's default: planned at pack time, no core before main)`,
        ratio: r.aotOverheadRatio.median,
        ratioText: `overhead ${n(r.aotOverheadRatio.median * 100)}% of the floor`,
        target: '< 10%',
        met: r.aotOverheadRatio.median < 0.1,
        absolute: `${ms(r.aot)}; overhead ${ms(r.aotOverhead)}; after main has started, the core loads and checks the plan (not counted: the check took ${ms(r.aotAdopt)})`,
      });
    }
  }
}

// 3. symbol scale
{
  const s = read('scale');
  const name = 'symbol scale (Chromium): 20 modules, 30,000 imports';
  if (!s) {
    notRun(`${name}, overhead beyond the floor`, '< 50 ms', why('scale'));
    notRun(`${name}, vs Emscripten 3.1.6's dynamic linker`, '>= 2x faster', why('scale'));
  } else {
    const o = s.ours;
    const b = o.breakdown;
    rows.push({
      benchmark: `${name}, our link time beyond the floor (cold loader)`,
      ratio: o.overheadRatio.median,
      ratioText: `${n(o.overheadStrict.median)} ms (${n(o.overheadRatio.median * 100)}% of the floor)`,
      target: '< 50 ms',
      met: o.overheadStrict.median < 50,
      absolute: `ours ${ms(o.ours)}; floor ${ms(o.floorStrict)}; overhead ${ms(o.overheadStrict)}. Instrumented: core ` +
                `${n(b.coreTotalMs)} ms (parse ${n(b.parseMs)}, plan ${n(b.planMs)}), instantiate ${n(b.instantiateMs)} ms ` +
                `(floor ${n(o.floorParts.instantiate.median)}), import objects and fills ${n(b.betweenInstantiationsMs)} ms`,
    });
    rows.push({
      benchmark: `${name}, vs Emscripten 3.1.6's dynamic linker (MAIN_MODULE=2, modules listed at link time), cold loader`,
      ratio: s.ratios.emscriptenVsOursTotal,
      ratioText: `${n(s.ratios.emscriptenVsOursTotal, 2)}x (Emscripten's time / ours, bytes in hand -> main)`,
      target: '>= 2x',
      met: s.ratios.emscriptenVsOursTotal >= 2,
      absolute: `Emscripten ${ms(s.emscripten.ms)} (side modules ${n(s.emscripten.dylibsMs.median)} ms); ours ${ms(o.ours)}; ` +
                `beyond the same floor: Emscripten ${n(s.emscripten.overhead.median)} ms, ours ${n(o.overheadStrict.median)} ms ` +
                `(${n(s.ratios.emscriptenVsOursOverhead, 2)}x)`,
    });
    if (o.oursWarm) {
      rows.push({
        benchmark: `${name}, warm loader (two earlier loads in the page): context`,
        ratio: s.ratios.emscriptenVsOursWarm,
        ratioText: `beyond the floor ${n(o.overheadWarm.median)} ms; ${n(s.ratios.emscriptenVsOursWarm, 2)}x faster than Emscripten`,
        target: '< 50 ms; >= 2x',
        met: o.overheadWarm.median < 50 && s.ratios.emscriptenVsOursWarm >= 2,
        absolute: `ours ${ms(o.oursWarm)}; instrumented: core ${n(o.breakdownWarm.coreTotalMs)} ms, instantiate ` +
                  `${n(o.breakdownWarm.instantiateMs)} ms, import objects and fills ${n(o.breakdownWarm.betweenInstantiationsMs)} ms`,
      });
    }
    if (o.aot) {
      rows.push({
        benchmark: `${name}: start plan (lazylink pack's default: planned at pack time, no core before main)`,
        ratio: s.ratios.emscriptenVsOursAot,
        ratioText: `beyond the floor ${n(o.aotOverhead.median)} ms; ${n(s.ratios.emscriptenVsOursAot, 2)}x faster than Emscripten`,
        target: '< 50 ms; >= 2x',
        met: o.aotOverhead.median < 50 && s.ratios.emscriptenVsOursAot >= 2,
        absolute: `${ms(o.aot)}; after main has started, the core's check of the plan took ${ms(o.aotAdopt)} (not counted)`,
      });
    }
  }
}

// 4. PLT call cost
{
  const p = read('plt');
  const name = 'PLT call cost (Chromium): resolved lazy PLT call vs direct import call';
  if (!p) {
    notRun(name, '<= 1.3x', why('plt'));
  } else {
    for (const [w, label] of [['trivial', 'callee x + 1'], ['work', 'callee doing two xorshift rounds']]) {
      const x = p.workloads[w];
      const c = x.nsPerCall;
      const r = x.ratios;
      if (r.lazySlotVsEager) {
        rows.push({
          benchmark: `${name}, packed app: the caller calls through the function's table slot (${label})`,
          ratio: r.lazySlotVsEager.median,
          ratioText: `${n(r.lazySlotVsEager.median, 2)}x${r.netLazySlotVsEager ? ` (net of the loop: ${n(r.netLazySlotVsEager, 2)}x)` : ''}`,
          target: '<= 1.3x',
          met: r.lazySlotVsEager.median <= 1.3,
          absolute: `ns/call: direct ${n(c.eager.median, 2)}, through the slot ${n(c.lazySlot.median, 2)}` +
                    `${c.local ? `, loop alone ${n(c.local.median, 2)}` : ''} (what \`lazylink pack\` ships: ` +
                    `calls into lazy modules rewritten to call_indirect through the GOT.func slot)`,
        });
      }
      rows.push({
        benchmark: `${name}${r.lazySlotVsEager ? ', through a PLT trampoline' : ''} (${label})`,
        ratio: r.lazyVsEager.median,
        ratioText: `${n(r.lazyVsEager.median, 2)}x${r.netLazyVsEager ? ` (net of the loop: ${n(r.netLazyVsEager, 2)}x)` : ''}`,
        target: r.lazySlotVsEager ? '(fallback: modules packed with --no-slot-calls, or a lazy index set by hand)' : '<= 1.3x',
        met: r.lazySlotVsEager ? null : r.lazyVsEager.median <= 1.3,
        absolute: `ns/call: direct ${n(c.eager.median, 2)}, PLT ${n(c.lazy.median, 2)} (+${n(x.extraNsPerPltCall, 2)})` +
                  `${c.local ? `, loop alone ${n(c.local.median, 2)}` : ''}; prototype PLT entries: tail call ` +
                  `${n(r.protoTailVsEager.median, 2)}x, return_call_ref ${n(r.protoRefTailVsEager.median, 2)}x ` +
                  `(${x.calls} calls x ${p.rounds} rounds x ${p.pages} pages)`,
      });
    }
    const x = p.workloads.trivial;
    rows.push({
      benchmark: 'PLT call cost (Chromium): JS trampolines vs the resolved PLT (callee x + 1)',
      ratio: x.ratios.jsEmVsLazy.median,
      ratioText: `JS forwarder ${n(x.ratios.jsVsLazy.median, 2)}x, Emscripten-style stub ${n(x.ratios.jsEmVsLazy.median, 2)}x the PLT's time`,
      target: '(context: Emscripten stubs 7–13x a direct call)',
      met: null,
      absolute: `ns/call: JS forwarder ${n(x.nsPerCall.js.median, 2)} (${n(x.ratios.jsVsEager.median, 2)}x direct), ` +
                `Emscripten-style stub ${n(x.nsPerCall.jsEm.median, 2)} (${n(x.ratios.jsEmVsEager.median, 2)}x direct)`,
    });
  }
}

// 5. split vs monolithic start-up
{
  const s = read('startup');
  const comp = s && s.network.compression && s.network.compression !== 'none' ? ', compressed responses' : '';
  const name = `split vs monolithic start-up (Chromium, ${s ? `${s.network.kbps / 1000} Mbit/s, ${s.network.rttMs} ms RTT${comp}` : '10 Mbit/s, 40 ms RTT'})`;
  if (!s) {
    notRun(`${name}: time until main runs`, '>= 3x sooner', why('startup'));
    notRun(`${name}: bytes until main runs`, '< 1/3 of the bytes', why('startup'));
  } else {
    const sp = s.results.split;
    const mo = s.results.mono;
    const q = s.ratios.split;
    rows.push({
      benchmark: `${name}: time until main runs`,
      ratio: q.mainSooner,
      ratioText: `${n(q.mainSooner, 2)}x sooner`,
      target: '>= 3x',
      met: q.mainSooner >= 3,
      absolute: `split ${ms(sp.mainMs, 0)}; monolithic ${ms(mo.mainMs, 0)}; first query: split ${ms(sp.queryMs, 0)}, ` +
                `monolithic ${ms(mo.queryMs, 0)} (${n(q.querySooner, 2)}x)`,
    });
    rows.push({
      benchmark: `${name}: bytes until main runs`,
      ratio: q.bytesToMainFraction,
      ratioText: `${n(q.bytesToMainFraction, 2)} of the bytes`,
      target: '< 0.33',
      met: q.bytesToMainFraction < 1 / 3,
      absolute: `split ${kib(sp.bytesToMain.median)} (${sp.requestsToMain.median} requests); monolithic ${kib(mo.bytesToMain.median)}; ` +
                `until the first query: split ${kib(sp.bytesToQuery.median)}, monolithic ${kib(mo.bytesToQuery.median)}`,
    });
    for (const [variant, r] of Object.entries(s.ratios)) {
      if (variant === 'split') continue;
      const v = s.results[variant];
      const label = variant === 'split-full-libstd'
        ? 'the same split app with the whole 1.6 MB libstd instead of its own (context)'
        : `prototype "${variant}" (not the shipped loader)`;
      rows.push({
        benchmark: `${name}: ${label}`,
        ratio: r.mainSooner,
        ratioText: `${n(r.mainSooner, 2)}x sooner, ${n(r.bytesToMainFraction, 2)} of the bytes`,
        target: '>= 3x, < 0.33',
        met: r.mainSooner >= 3 && r.bytesToMainFraction < 1 / 3,
        absolute: `main ${ms(v.mainMs, 0)}, ${kib(v.bytesToMain.median)}; first query ${ms(v.queryMs, 0)}`,
      });
    }
  }
}

// 6. typed boundaries (bench/components, another part)
{
  const c = read('components');
  if (!c) {
    notRun('typed boundaries: throughput and call cost (bench/components)', 'see bench/components', why('components'));
  } else if (Array.isArray(c.rows)) {
    // Rows in the table's own shape, or bench/components' {what, ratio,
    // baseline, target, median_ms, best_ms, met?}.
    for (const r of c.rows) {
      if (r.benchmark) {
        rows.push({ ...r, ratioText: r.ratioText ?? (r.ratio !== undefined ? n(r.ratio, 2) : 'n/a') });
        continue;
      }
      const browser = c.browser ? (String(c.browser).match(/Chrom[a-zA-Z]*\/[\d.]+/)?.[0] ?? c.browser) : null;
      // met: theirs, else read from a target of the form ">= Nx ..." or "within Nx ...".
      let met = typeof r.met === 'boolean' ? r.met : null;
      if (met === null && typeof r.ratio === 'number' && r.target) {
        const ge = String(r.target).match(/^>=\s*([\d.]+)x/);
        const within = String(r.target).match(/^within\s*([\d.]+)x/);
        if (ge) met = r.ratio >= Number(ge[1]);
        else if (within) met = r.ratio <= Number(within[1]);
      }
      rows.push({
        benchmark: `typed boundaries${browser ? ` (${browser})` : ''}: ${r.what}`,
        ratio: r.ratio ?? null,
        ratioText: r.ratio !== undefined && r.ratio !== null ? `${n(r.ratio, 2)}${r.baseline ? ` (vs ${r.baseline})` : ''}` : 'n/a',
        target: r.target ?? '',
        met,
        absolute: [typeof r.median_ms === 'number' ? `median ${n(r.median_ms, 3)} ms` : null,
          typeof r.best_ms === 'number' ? `best ${n(r.best_ms, 3)} ms` : null, r.absolute ?? null].filter(Boolean).join(', '),
      });
    }
  } else {
    rows.push({ benchmark: 'typed boundaries (bench/components)', ratio: null, target: 'see bench/out/components.json',
      met: null, absolute: 'bench/out/components.json has no `rows`; see the file' });
  }
}

// 7. exceptions: wasm invoke_ wrappers vs the JS ones (bench/invoke)
{
  const x = read('invoke');
  if (!x) notRun('exceptions: invoke_ wrappers, wasm vs JS (bench/invoke)', '<= 1.0x', why('invoke'));
  else rows.push(...x.rows);
}

const machine = { cpu: os.cpus()[0]?.model, cpus: os.cpus().length, node: process.version, loadavg: os.loadavg() };
const browsers = [...new Set(['link', 'scale', 'plt', 'startup'].map((k) => read(k)?.browser ?? read(k)?.results?.chromium?.browser).filter(Boolean))];
const results = { date: new Date().toISOString(), machine, browsers, status, rows };
fs.writeFileSync(path.join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');

const esc = (s) => String(s ?? '').replace(/\|/g, '\\|');
const md = [
  '# lazylink benchmarks',
  '',
  `Written by \`make bench\` (scripts/bench.sh, bench/report.mjs) on ${results.date}.`,
  `Machine: ${machine.cpu}, ${machine.cpus} CPUs (shared), Node ${machine.node}` +
  `${browsers.length ? `, ${browsers.join(', ')}` : ''}; load average at the end ${machine.loadavg.map((x) => x.toFixed(1)).join(' ')}.`,
  'Ratios are against baselines measured in the same run; absolute times are medians (min–max, n runs), for context.',
  'What each benchmark measures, and how: bench/README.md. Raw data: bench/results.json and bench/out/*.json.',
  '',
  '| benchmark | ratio | target | met? | absolute figures |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${esc(r.benchmark)} | ${esc(r.ratioText ?? 'n/a')} | ${esc(r.target)} | ` +
                     `${r.met === true ? 'yes' : r.met === false ? '**no**' : '–'} | ${esc(r.absolute)} |`),
  '',
];
const notes = fs.existsSync(path.join(root, 'bench/notes.md')) ? fs.readFileSync(path.join(root, 'bench/notes.md'), 'utf8') : '';
if (notes) md.push(notes.trim(), '');
fs.writeFileSync(path.join(root, 'bench/results.md'), md.join('\n'));
console.log(md.slice(0, 9 + rows.length).join('\n'));
console.log('\nwrote bench/results.md and bench/results.json');
