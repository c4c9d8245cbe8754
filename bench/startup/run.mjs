#!/usr/bin/env node
// Split vs monolithic start-up (issue 4), in Chromium under an emulated
// 10 Mbit/s, 40 ms RTT network (CDP Network.emulateNetworkConditions; the
// dev server itself unthrottled): time and bytes until main runs, and until
// the first query completed, for
//   split  the SQLite app packed by `lazylink pack` (main + libstd eager,
//          SQLite lazy; libstd as lazylink_add_libstd makes it for the app),
//          loaded with lazylink's public API (web/lazylink.mjs)
//   split-full-libstd  the same with the whole 1.6 MB libstd (context)
//   mono   the same program as ONE static Emscripten build (sqlite_mono.js/.wasm)
// both served by web/server.mjs (compressing as a production server would,
// brotli for Chromium; --no-compress to turn that off), every run in a fresh browser context (cold
// HTTP cache and Cache API). Times are from navigation start; bytes are
// response bodies (Resource Timing) of everything the page fetched until
// that moment: HTML, JS, manifest, wasm. Targets: main runs at least 3x
// sooner, with under a third of the bytes. Writes bench/out/startup.json.
//
// Also measured, labelled a prototype: `proto`, the split app with the
// changes bench/startup/proto_site.mjs makes (libstd trimmed to the app,
// compact manifest, preload hints) — what the packer and loader could gain.
//
//   node bench/startup/run.mjs [--build build] [--runs 7] [--kbps 10000] [--rtt 40] [--no-proto] [--extra NAME=DIR]...
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, openBench } from '../lib/browser.mjs';
import { machine } from '../lib/driver.mjs';
import { ratio, summarize } from '../lib/stats.mjs';

const argv = process.argv.slice(2);
const opts = { build: path.join(ROOT, 'build'), runs: 7, kbps: 10_000, rtt: 40, extra: [], proto: true, compress: true };
for (let i = 0; i < argv.length; i++) {
  const k = argv[i].replace(/^--/, '');
  if (k === 'extra') opts.extra.push(argv[++i]);
  else if (k === 'no-proto') opts.proto = false;
  else if (k === 'no-compress') opts.compress = false;
  else if (k in opts) opts[k] = k === 'build' ? argv[++i] : Number(argv[++i]);
  else {
    console.error('usage: run.mjs [--build DIR] [--runs N] [--kbps N] [--rtt MS] [--extra NAME=SITE_DIR]...');
    process.exit(2);
  }
}
const build = path.resolve(opts.build);
const cli = path.join(build, 'bin/lazylink');
const apps = path.join(build, 'wasm/bench/apps');
const site = path.join(build, 'bench-startup');
const appLibstd = path.join(apps, 'libstd/libstd.wasm');
const need = [cli, appLibstd, path.join(apps, 'sqlite_main.wasm'), path.join(build, 'wasm/demo/sqlite/libsqlite.wasm'),
  path.join(ROOT, 'web/dist/libstd.wasm'), path.join(apps, 'sqlite_mono.js'), path.join(apps, 'sqlite_mono.wasm')];
for (const p of need) {
  if (!fs.existsSync(p)) {
    console.error(`bench/startup: ${p} missing (build first)`);
    process.exit(2);
  }
}

// The two sites.
fs.rmSync(site, { recursive: true, force: true });
const splitDir = path.join(site, 'split');
execFileSync(cli, ['pack', '-q', path.join(apps, 'sqlite_main.wasm'), path.join(build, 'wasm/demo/sqlite/libsqlite.wasm'),
  appLibstd, '-o', splitDir], { stdio: 'inherit' });
// The page as lazylink's docs say to write it: the pack's preload hints
// (manifest and eager modules) and a modulepreload of the loader, in <head>.
const withHints = (dir) => {
  const hints = fs.readFileSync(path.join(dir, 'lazylink-preload.html'), 'utf8');
  const page = fs.readFileSync(path.join(ROOT, 'bench/startup/split.html'), 'utf8')
    .replace('<!-- hints -->', `<link rel="modulepreload" href="/web/dist/lazylink.mjs">\n${hints}`);
  fs.writeFileSync(path.join(dir, 'index.html'), page);
};
withHints(splitDir);
const splitFullDir = path.join(site, 'split-full-libstd');
execFileSync(cli, ['pack', '-q', path.join(apps, 'sqlite_main.wasm'), path.join(build, 'wasm/demo/sqlite/libsqlite.wasm'),
  path.join(ROOT, 'web/dist/libstd.wasm'), '-o', splitFullDir], { stdio: 'inherit' });
withHints(splitFullDir);
const manifest = JSON.parse(fs.readFileSync(path.join(splitDir, 'lazylink.json'), 'utf8'));
const policies = Object.fromEntries(Object.entries(manifest.modules).map(([n, m]) => [n, m.policy]));
if (policies['libsqlite.wasm'] !== 'lazy') throw new Error(`libsqlite.wasm packed ${policies['libsqlite.wasm']}, not lazy`);
const monoDir = path.join(site, 'mono');
fs.mkdirSync(monoDir, { recursive: true });
for (const f of ['sqlite_mono.js', 'sqlite_mono.wasm']) fs.copyFileSync(path.join(apps, f), path.join(monoDir, f));
fs.copyFileSync(path.join(ROOT, 'bench/startup/mono.html'), path.join(monoDir, 'index.html'));
const variants = { split: splitDir, mono: monoDir, 'split-full-libstd': splitFullDir };
let proto = null;
if (opts.proto) {
  const protoDir = path.join(site, 'proto');
  proto = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bench/startup/proto_site.mjs'), '--build', build,
    '--out', protoDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop());
  variants.proto = protoDir;
}
for (const e of opts.extra) {
  const [name, dir] = e.split('=');
  variants[name] = path.resolve(dir);
}

const throttle = {
  offline: false,
  latency: opts.rtt,                                // ms added to each request (request to response headers)
  downloadThroughput: (opts.kbps * 1000) / 8,      // bytes/s
  uploadThroughput: (opts.kbps * 1000) / 8,
};
const bench = await openBench({ jsFlags: [], compress: opts.compress });
const urlOf = (dir) => `/${path.relative(ROOT, dir).split(path.sep).join('/')}/index.html`;

// A run that has not finished after this long stalled (it happens on this
// shared machine: every open connection of a page waiting minutes at once);
// it is counted, reported, and run again.
const STALL_MS = 60_000;
const stalls = [];
async function once(name) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await onceAttempt(name);
    } catch (e) {
      if (e.name !== 'TimeoutError' || attempt >= 2) throw e;
      stalls.push({ variant: name, attempt, at: new Date().toISOString() });
      console.log(`  (${name}: no result after ${STALL_MS / 1000} s: stalled run discarded, running it again)`);
    }
  }
}

async function onceAttempt(name) {
  const p = await bench.page(null, { throttle });
  try {
    await p.cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await p.page.goto(`${bench.server.url}${urlOf(variants[name])}`);
    const handle = await p.page.waitForFunction(() => window.__lazylinkResult, null, { timeout: STALL_MS });
    const r = await handle.jsonValue();
    if (!r.ok) throw new Error(`${name}: ${r.error}\n${r.stdout}`);
    const res = await p.page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const entries = [nav, ...performance.getEntriesByType('resource')];
      return entries.map((e) => ({ name: e.name.replace(location.origin, ''), end: e.responseEnd, start: e.startTime,
        body: e.encodedBodySize, transfer: e.transferSize }));
    });
    const bytesUntil = (t) => res.filter((e) => e.end <= t).reduce((s, e) => s + e.body, 0);
    const requestsUntil = (t) => res.filter((e) => e.end <= t).length;
    if (p.errors.length) throw new Error(`${name}: console errors: ${p.errors.join('\n')}`);
    return {
      mainMs: r.marks.main, queryMs: r.marks.query, marks: r.marks,
      bytesToMain: bytesUntil(r.marks.main), bytesToQuery: bytesUntil(r.marks.query),
      requestsToMain: requestsUntil(r.marks.main), requestsToQuery: requestsUntil(r.marks.query),
      resources: res, stdout: r.stdout, modules: r.modules, lazyResolves: r.lazyResolves,
    };
  } finally {
    await p.close();
  }
}

const rows = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
try {
  // Check the emulation throttles this server: a 1 MB body takes about
  // 1e6 / (kbps/8) seconds.
  {
    const p = await bench.page('/bench/lib/page.html', { throttle });
    const t = await p.page.evaluate(async () => {
      const t0 = performance.now();
      const r = await fetch('/build/wasm/demo/sqlite/libsqlite.wasm', { cache: 'no-store' });
      const b = await r.arrayBuffer();
      return { ms: performance.now() - t0, bytes: b.byteLength };
    }).catch(() => null);
    await p.close();
    if (t) console.log(`throttle check: ${t.bytes} bytes in ${t.ms.toFixed(0)} ms ` +
                       `(${((t.bytes * 8) / t.ms / 1000).toFixed(2)} Mbit/s effective)`);
  }
  for (let i = -1; i < opts.runs; i++) {
    const names = Object.keys(variants);
    const order = i % 2 === 0 ? names : [...names].reverse();
    const line = [];
    for (const name of order) {
      const r = await once(name);
      if (i >= 0) rows[name].push(r);
      line.push(`${name}: main ${r.mainMs.toFixed(0)} ms / ${(r.bytesToMain / 1024).toFixed(0)} KiB, ` +
                `query ${r.queryMs.toFixed(0)} ms / ${(r.bytesToQuery / 1024).toFixed(0)} KiB`);
    }
    console.log(`  run ${i < 0 ? 'warm-up' : i}: ${line.join('; ')}`);
  }
} finally {
  await bench.close();
}

const sum = (name, k) => summarize(rows[name].map((r) => r[k]));
const result = {};
for (const name of Object.keys(variants)) {
  const last = rows[name][rows[name].length - 1];
  result[name] = {
    site: path.relative(ROOT, variants[name]),
    mainMs: sum(name, 'mainMs'), queryMs: sum(name, 'queryMs'),
    bytesToMain: sum(name, 'bytesToMain'), bytesToQuery: sum(name, 'bytesToQuery'),
    requestsToMain: sum(name, 'requestsToMain'),
    marks: Object.fromEntries(Object.keys(last.marks).map((k) => [k, summarize(rows[name].map((r) => r.marks[k])).median])),
    resources: last.resources,
    modules: last.modules, lazyResolves: last.lazyResolves,
    output: last.stdout.trim(),
  };
}
const report = {
  benchmark: 'startup', date: new Date().toISOString(), machine: machine(), browser: `Chromium ${bench.version}`,
  network: { method: 'CDP Network.emulateNetworkConditions (dev server unthrottled)', kbps: opts.kbps, rttMs: opts.rtt,
             compression: opts.compress ? 'brotli/gzip as accepted (web/server.mjs compress)' : 'none' },
  policies, runs: opts.runs, results: result, proto, stalls,
  ratios: {},
  target: 'split: main runs at least 3x sooner than mono, with under a third of the bytes',
};
for (const name of Object.keys(variants)) {
  if (name === 'mono') continue;
  report.ratios[name] = {
    mainSooner: ratio(result.mono.mainMs.median, result[name].mainMs.median),
    bytesToMainFraction: ratio(result[name].bytesToMain.median, result.mono.bytesToMain.median),
    querySooner: ratio(result.mono.queryMs.median, result[name].queryMs.median),
    bytesToQueryFraction: ratio(result[name].bytesToQuery.median, result.mono.bytesToQuery.median),
  };
  report.ratios[name].met = report.ratios[name].mainSooner >= 3 && report.ratios[name].bytesToMainFraction < 1 / 3;
}
fs.mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench/out/startup.json'), JSON.stringify(report, null, 2) + '\n');
for (const name of Object.keys(variants)) {
  const r = result[name];
  console.log(`${name}: main at ${r.mainMs.median.toFixed(0)} ms (${r.mainMs.min.toFixed(0)}-${r.mainMs.max.toFixed(0)}), ` +
              `${(r.bytesToMain.median / 1024).toFixed(0)} KiB; first query at ${r.queryMs.median.toFixed(0)} ms, ` +
              `${(r.bytesToQuery.median / 1024).toFixed(0)} KiB`);
}
for (const [name, q] of Object.entries(report.ratios)) {
  console.log(`${name} vs mono: main ${q.mainSooner}x sooner, ${q.bytesToMainFraction} of the bytes; ` +
              `first query ${q.querySooner}x sooner, ${q.bytesToQueryFraction} of the bytes; target ${q.met ? 'met' : 'missed'}`);
}
console.log('wrote bench/out/startup.json');
