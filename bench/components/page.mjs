// The component boundary benchmark, in Chromium: the host (C++) passes a
// 1 MB list<u8> and a 1 MB string to the plugin (C) in a loop, through the
// generated wasm adapter, the generic JS adapter and a jco-style JS glue;
// baselines are memcpy of 1 MB inside the host's memory and, for a call with
// scalar arguments, a direct core call to another module of the host's
// domain. Every figure is measured in this run. Publishes
// window.__lazylinkResult.
import { loadCore } from '/web/core.mjs';
import { urlFetcher } from '/web/fetchers.mjs';
import { ComponentSet, engineFeatures } from '/web/component/index.mjs';
import { jcoStyleAdapter } from './jco_style.mjs';

const params = new URLSearchParams(location.search);
const SIZE = Number(params.get('size') ?? 1 << 20);
const ITER = Number(params.get('iterations') ?? 64);
const CALLS = Number(params.get('calls') ?? 2_000_000);
const ROUNDS = Number(params.get('rounds') ?? 7);
const out = (line) => { document.getElementById('out').textContent += `${line}\n`; };

// Best of ROUNDS, per operation, in milliseconds.
function measure(f, perRun) {
  f();  // warm up (tier-up, allocator growth)
  f();
  const times = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    f();
    times.push((performance.now() - t0) / perRun);
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(times.length / 2)] };
}

async function link(core, adapter, { makeJsAdapter, elideIdentity = true } = {}) {
  const set = new ComponentSet({
    core, adapter, elideIdentity, fetcher: urlFetcher({ baseUrl: new URL('/modules/', location.href).href }),
    ...(makeJsAdapter ? { makeJsAdapter } : {}),
  });
  set.add('app', { main: 'host.wasm' });
  set.add('plugin', { main: 'plugin.wasm' });
  await set.link();
  return set.instance('app').exports.app;
}

const result = { ok: false, size: SIZE, iterations: ITER, calls: CALLS, rounds: ROUNDS };
try {
  const core = await loadCore();
  result.features = engineFeatures();
  result.userAgent = navigator.userAgent;
  // jco-style glue has no notion of an elided (identity) adapter.
  const paths = {
    wasm: await link(core, 'wasm'),
    js: await link(core, 'js'),
    jco: await link(core, 'js', { makeJsAdapter: jcoStyleAdapter, elideIdentity: false }),
  };
  const wasmFull = await link(core, 'wasm', { elideIdentity: false });
  const app = paths.wasm;
  const expectBytes = app.benchBytes(SIZE, 1);
  for (const [name, a] of Object.entries(paths)) {
    if (a.benchBytes(SIZE, 1) !== expectBytes) throw new Error(`${name}: list<u8> result differs`);
    if (a.benchString(SIZE, 1) !== app.benchString(SIZE, 1)) throw new Error(`${name}: string result differs`);
  }
  const r = {};
  r.memcpy = measure(() => app.benchMemcpy(SIZE, ITER), ITER);
  for (const [name, a] of Object.entries(paths)) {
    r[`bytes_${name}`] = measure(() => a.benchBytes(SIZE, ITER), ITER);
    r[`string_${name}`] = measure(() => a.benchString(SIZE, ITER), ITER);
    out(`${name}: list<u8> ${r[`bytes_${name}`].best.toFixed(3)} ms, string ${r[`string_${name}`].best.toFixed(3)} ms`);
  }
  // add(u32, u32) -> u32: nothing to adapt, so by default the import is
  // bound to the export; `wasm_full` keeps the (thin) generated adapter.
  r.direct = measure(() => app.benchDirect(CALLS), CALLS);
  for (const [name, a] of Object.entries(paths)) r[`scalar_${name}`] = measure(() => a.benchScalar(CALLS), CALLS);
  r.scalar_wasm_full = measure(() => wasmFull.benchScalar(CALLS), CALLS);
  // scale(u32, u8, bool) -> u32: the adapter masks the u8 and normalizes the bool.
  r.scale_direct = measure(() => app.benchScaleDirect(CALLS), CALLS);
  for (const [name, a] of Object.entries(paths)) r[`scale_${name}`] = measure(() => a.benchScale(CALLS), CALLS);
  for (const [name, a] of Object.entries({ ...paths, wasmFull })) {
    if (a.benchScale(1000) !== app.benchScaleDirect(1000)) throw new Error(`${name}: scale differs`);
  }
  result.ms = r;
  result.ok = true;
} catch (e) {
  result.error = String(e && e.stack || e);
  out(result.error);
}
window.__lazylinkResult = result;
