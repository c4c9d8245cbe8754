// The component boundary benchmark (not a test): runs bench/components in
// headless Chromium, prints a table of ratios against the in-run baselines
// and absolute times, and writes bench/out/components.json.
//
//   node bench/components/run.mjs [MODULES_DIR] [--iterations N] [--calls N] [--rounds N]
// MODULES_DIR: where tests/components built host.wasm and plugin.wasm
// (default: build/wasm/tests/components).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../web/server.mjs';
import { openBrowser } from '../../tests/browser/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const flag = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const modulesDir = path.resolve(args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')))
  ?? path.join(root, 'build/wasm/tests/components'));
for (const f of ['host.wasm', 'plugin.wasm']) {
  if (!fs.existsSync(path.join(modulesDir, f))) {
    console.error(`${path.join(modulesDir, f)} is missing: build tests/components first (or pass its directory)`);
    process.exit(2);
  }
}
const query = new URLSearchParams({
  iterations: flag('iterations', '64'), calls: flag('calls', '2000000'), rounds: flag('rounds', '7'),
});

const server = await startServer({
  mounts: {
    '/web': path.join(root, 'web'),
    '/runtime': path.join(root, 'runtime'),
    '/bench': path.join(root, 'bench'),
    '/modules': modulesDir,
    '/modules/libstd.wasm': path.join(root, 'web/dist/libstd.wasm'),
    '/modules/libstd-eh.wasm': path.join(root, 'web/dist/libstd-eh.wasm'),
  },
});
const browser = await openBrowser();
let status = 0;
try {
  const { result, consoleErrors } = await browser.runPage(`${server.url}/bench/components/page.html?${query}`,
    { timeoutMs: 600_000 });
  if (!result.ok) throw new Error(result.error);
  if (consoleErrors.length) throw new Error(`console errors: ${consoleErrors.join('\n')}`);
  const ms = result.ms;
  const mb = result.size / (1 << 20);
  const gbps = (t) => (result.size / (t * 1e-3) / 1e9).toFixed(2);
  const rows = [];
  const row = (what, t, baseName, base, target) => {
    const ratio = base / t.best;
    rows.push({ what, best_ms: t.best, median_ms: t.median, baseline: baseName, ratio, target });
  };
  row('memcpy 1 MB in one memory (baseline)', ms.memcpy, 'memcpy', ms.memcpy.best, null);
  for (const kind of ['bytes', 'string']) {
    const label = kind === 'bytes' ? `list<u8> ${mb} MB` : `string ${mb} MB (utf8, ASCII)`;
    row(`${label}, wasm adapter`, ms[`${kind}_wasm`], 'memcpy', ms.memcpy.best, '>= 0.5x memcpy');
    row(`${label}, JS adapter (web/cabi)`, ms[`${kind}_js`], 'memcpy', ms.memcpy.best, null);
    row(`${label}, jco-style JS glue`, ms[`${kind}_jco`], 'memcpy', ms.memcpy.best, null);
    rows.push({
      what: `${label}: wasm adapter vs jco-style glue`, best_ms: null, median_ms: null,
      baseline: 'jco-style', ratio: ms[`${kind}_jco`].best / ms[`${kind}_wasm`].best, target: '>= 3x faster',
    });
  }
  const perCall = (t) => ({ best: t.best * 1e6, median: t.median * 1e6 });  // ns
  const scalarRows = (fn, baselineKey, list) => {
    const direct = perCall(ms[baselineKey]);
    rows.push({ what: `${fn}, direct core call (baseline)`, best_ns: direct.best, median_ns: direct.median, baseline: 'direct', ratio: 1, target: null });
    for (const [key, label, target] of list) {
      const t = perCall(ms[key]);
      rows.push({ what: `${fn} across the boundary, ${label}`, best_ns: t.best, median_ns: t.median,
        baseline: 'direct', ratio: t.best / direct.best, target });
    }
  };
  scalarRows('add(u32, u32) -> u32', 'direct', [
    ['scalar_wasm', 'identity adapter elided (import bound to the export)', 'within 2x of direct'],
    ['scalar_wasm_full', 'generated wasm adapter kept', 'within 2x of direct'],
    ['scalar_js', 'Node path (JS adapter; identity elided too)', null],
    ['scalar_jco', 'jco-style JS glue', null],
  ]);
  scalarRows('scale(u32, u8, bool) -> u32', 'scale_direct', [
    ['scale_wasm', 'generated wasm adapter', 'within 2x of direct'],
    ['scale_js', 'JS adapter (web/cabi)', null],
    ['scale_jco', 'jco-style JS glue', null],
  ]);

  console.log(`component boundary benchmark (${result.userAgent.match(/(HeadlessChrome|Chrome)\/[\d.]+/)?.[0] ?? 'Chromium'}; ` +
              `${result.iterations} transfers, ${result.calls} calls, best of ${result.rounds})`);
  console.log('');
  console.log('| what | best | median | throughput | ratio | target |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const r of rows) {
    if (r.best_ns !== undefined) {
      console.log(`| ${r.what} | ${r.best_ns.toFixed(2)} ns | ${r.median_ns.toFixed(2)} ns | | ${r.ratio.toFixed(2)}x ${r.baseline} | ${r.target ?? ''} |`);
    } else if (r.best_ms === null) {
      console.log(`| ${r.what} | | | | ${r.ratio.toFixed(2)}x faster | ${r.target ?? ''} |`);
    } else {
      console.log(`| ${r.what} | ${(r.best_ms * 1e3).toFixed(1)} us | ${(r.median_ms * 1e3).toFixed(1)} us | ${gbps(r.best_ms)} GB/s | ${r.ratio.toFixed(2)}x ${r.baseline} | ${r.target ?? ''} |`);
    }
  }
  const outDir = path.join(root, 'bench/out');
  fs.mkdirSync(outDir, { recursive: true });
  const json = { date: new Date().toISOString(), browser: result.userAgent, features: result.features,
    size: result.size, iterations: result.iterations, calls: result.calls, rounds: result.rounds, raw_ms: ms, rows };
  fs.writeFileSync(path.join(outDir, 'components.json'), `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), path.join(outDir, 'components.json'))}`);
} catch (e) {
  status = 1;
  console.error(e);
} finally {
  await browser.close();
  await server.close();
}
process.exit(status);
