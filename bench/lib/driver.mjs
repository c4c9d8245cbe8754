// Drivers' side of bench/lib/ops.mjs: runs each measurement in a fresh
// realm (a Node process, or a new Chromium context and page) and aggregates.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, callPage } from './browser.mjs';
import { summarize } from './stats.mjs';

const NODE_OP = path.join(ROOT, 'bench/lib/node-op.mjs');

export function parseArgs(defaults, usage) {
  const opts = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opts)) {
      console.error(usage);
      process.exit(2);
    }
    if (typeof opts[key] === 'boolean') opts[key] = true;
    else opts[key] = typeof defaults[key] === 'number' ? Number(argv[++i]) : argv[++i];
  }
  return opts;
}

export function machine() {
  return { cpu: os.cpus()[0]?.model, cpus: os.cpus().length, node: process.version, loadavg: os.loadavg() };
}

// Runs one op in a fresh Node process; files are paths.
export function nodeOp(op, opts) {
  const tmp = path.join(os.tmpdir(), `lazylink-bench-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(tmp, JSON.stringify(opts));
  try {
    const r = spawnSync(process.execPath, ['--expose-gc', NODE_OP, op, tmp],
                        { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
    if (r.status !== 0) throw new Error(`node ${op} failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

// Runs one op in a fresh browser context; files are URLs on the bench server.
export async function pageOp(bench, op, opts) {
  const p = await bench.page('/bench/lib/page.html');
  try {
    await p.page.waitForFunction(() => window.__benchReady);
    const r = await callPage(p.page, 'benchOp', { op, opts });
    if (p.errors.length) throw new Error(`console errors: ${p.errors.join('\n')}`);
    return r;
  } finally {
    await p.close();
  }
}

// Files as URLs for the bench server (it serves the repository root).
export function asUrls(files) {
  return Object.fromEntries(Object.entries(files).map(([name, p]) => {
    const rel = path.relative(ROOT, p);
    if (rel.startsWith('..')) throw new Error(`${p} is outside the repository; the bench server cannot serve it`);
    return [name, `/${rel.split(path.sep).join('/')}`];
  }));
}

// ours vs floor, `runs` times each (after `warmup` discarded rounds),
// rotating which goes first, every run in a fresh realm.
//   run(op, opts) -> result   (nodeOp or pageOp bound to a browser)
//   extras: { name: async (nonce) => ({ ms, ... }) } measured in the same
//           rounds (e.g. Emscripten's loader on the same modules)
//   warm: also measure ours after two earlier loads in the same realm
//   aot: also measure the shipped start-plan path (op 'aot')
export async function oursVsFloor({ run, opts, runs, warmup = 1, breakdownRuns = 3, extras = {}, warm = false,
                                    aot = false, log = () => {} }) {
  const recorded = await run('record', opts);
  const expect = (opts.entry ?? 'argv') === 'argv' ? recorded.reference.stdout : recorded.reference.result;
  const got = (r) => ((opts.entry ?? 'argv') === 'argv' ? r.stdout : r.result);
  const rows = [];
  for (let i = -warmup; i < runs; i++) {
    const nonce = `${Date.now()}-${i}-${Math.random()}`;
    const one = async (op) => {
      if (extras[op]) return extras[op](`${op}-${nonce}`);
      const r = await run(op, { ...opts, nonce: `${op}-${nonce}`, recorded: op === 'floor' || op === 'aot' ? recorded : undefined });
      if (got(r) !== expect) throw new Error(`${op} ran main differently:\n${got(r)}\nexpected:\n${expect}`);
      return r;
    };
    const names = ['ours', 'floor', ...(warm ? ['ours-warm'] : []), ...(aot ? ['aot'] : []), ...Object.keys(extras)];
    const order = names.map((_, k) => names[(k + i + warmup) % names.length]);
    const row = {};
    for (const op of order) row[op] = await one(op);
    const o = row.ours;
    const f = row.floor;
    log(`  run ${i < 0 ? 'warm-up' : i}: ours ${o.ms.toFixed(1)} ms; floor ${f.ms.toFixed(1)} ms ` +
        `(compile ${f.compileMs.toFixed(1)}, PLT ${f.pltMs.toFixed(1)}, instantiate ${f.instantiateMs.toFixed(1)}, ` +
        `ctors ${f.ctorsMs.toFixed(1)}); core load ${o.coreMs.toFixed(1)} ms` +
        (warm ? `; ours warm ${row['ours-warm'].ms.toFixed(1)} ms` : '') +
        (aot ? `; start plan ${row.aot.ms.toFixed(1)} ms` : '') +
        Object.keys(extras).map((k) => `; ${k} ${row[k].ms.toFixed(1)} ms`).join(''));
    if (i >= 0) rows.push({ o, f, row });
  }
  const breakdownOf = async (op) => {
    const bs = [];
    for (let i = 0; i < breakdownRuns; i++) bs.push(await run(op, { ...opts, nonce: `b-${Date.now()}-${i}` }));
    const med = (k) => summarize(bs.map((b) => b[k])).median;
    return {
      note: 'medians of instrumented runs of ours (wrappers add a little); compile runs in the engine\'s ' +
            'background threads from the moment bytes are handed over, overlapping parse and plan',
      totalMs: med('totalMs'), coreTotalMs: med('coreTotalMs'), parseMs: med('parseMs'), planMs: med('planMs'),
      commitMs: med('commitMs'), coreOtherMs: med('coreOtherMs'), betweenInstantiationsMs: med('betweenInstantiationsMs'),
      moduleImportsMs: med('moduleImportsMs'), moduleExportsMs: med('moduleExportsMs'), globalsMs: med('globalsMs'),
      globalCount: bs[0].globalCount,
      afterPlanToFirstInstantiateMs: med('afterPlanToFirstInstantiateMs'), pltCompileMs: med('pltCompileMs'),
      instantiateMs: med('instantiateMs'), ctorsMs: med('ctorsMs'), compileWallMaxMs: med('compileWallMaxMs'),
      instantiations: bs[0].instantiations, tableSets: bs[0].tableSets, pltBytes: bs[0].pltBytes,
      modules: bs[0].modules.map((m) => ({ name: m.name, bytes: m.bytes, imports: m.imports })),
    };
  };
  const breakdown = await breakdownOf('breakdown');
  const breakdownWarm = warm ? await breakdownOf('breakdown-warm') : undefined;
  const s = (fn) => summarize(rows.map(fn));
  return {
    runs: rows.length,
    ours: s((r) => r.o.ms),
    floor: s((r) => r.f.ms),
    // The floor without our PLT module (compile + instantiate + its fills):
    // counting the PLT as overhead, not floor.
    floorStrict: s((r) => r.f.ms - r.f.pltMs),
    overhead: s((r) => r.o.ms - r.f.ms),
    overheadStrict: s((r) => r.o.ms - (r.f.ms - r.f.pltMs)),
    overheadRatio: s((r) => (r.o.ms - (r.f.ms - r.f.pltMs)) / (r.f.ms - r.f.pltMs)),
    floorParts: {
      compile: s((r) => r.f.compileMs), plt: s((r) => r.f.pltMs),
      instantiate: s((r) => r.f.instantiateMs), ctors: s((r) => r.f.ctorsMs),
    },
    coreLoad: s((r) => r.o.coreMs),
    extras: Object.fromEntries(Object.keys(extras).map((k) => [k, { ms: s((r) => r.row[k].ms), runs: rows.map((r) => r.row[k]) }])),
    breakdown,
    ...(aot ? {
      aot: s((r) => r.row.aot.ms),
      aotOverhead: s((r) => r.row.aot.ms - (r.f.ms - r.f.pltMs)),
      aotOverheadRatio: s((r) => (r.row.aot.ms - (r.f.ms - r.f.pltMs)) / (r.f.ms - r.f.pltMs)),
      aotAdopt: s((r) => r.row.aot.adoptMs),
    } : {}),
    ...(warm ? {
      oursWarm: s((r) => r.row['ours-warm'].ms),
      overheadWarm: s((r) => r.row['ours-warm'].ms - (r.f.ms - r.f.pltMs)),
      overheadWarmRatio: s((r) => (r.row['ours-warm'].ms - (r.f.ms - r.f.pltMs)) / (r.f.ms - r.f.pltMs)),
      breakdownWarm,
    } : {}),
    plan: recorded.stats,
    output: typeof expect === 'string' ? expect.trim() : expect,
  };
}
