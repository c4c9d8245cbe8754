// Components in Chromium: the Canonical ABI vectors and the trap cases
// through generated wasm adapters (and the JS adapter, for comparison), and
// the host/plugin program with each adapter kind. Publishes its results as
// window.__lazylinkResult for components.browser.test.mjs.
import { loadComponentCore, loadCore } from '/web/core.mjs';
import { urlFetcher } from '/web/fetchers.mjs';
import { CanonicalAbiTrap } from '/web/cabi/index.mjs';
import { ComponentError, ComponentSet, LinkError, engineFeatures } from '/web/component/index.mjs';
import { createMemory } from '/web/component/features.mjs';
import { parseJsonWithBigInts } from '/tests/cabi/json_bigint.mjs';
import { runAdapterVectors } from '../adapter_vectors.mjs';
import { jsAdapterFactory, wasmAdapterFactory } from '../adapter_factories.mjs';
import { BOUNDARY, runTrapCase, trapCases } from '../trap_cases.mjs';
import { checkEndToEnd, checkJsView, provokeCases } from '../scenario.mjs';

const result = { ok: false, log: [] };
const log = (line) => {
  result.log.push(line);
  document.getElementById('out').textContent += `${line}\n`;
};

async function endToEnd(core, adapter) {
  const fetcher = urlFetcher({ baseUrl: new URL('/modules/', location.href).href });
  const make = () => {
    const set = new ComponentSet({ core, fetcher, adapter });
    set.add('app', { main: 'host.wasm' });
    set.add('plugin', { main: 'plugin.wasm' });
    return set;
  };
  const out = { adapter };
  const set = await make().link();
  out.kind = set.adapterKind;
  out.stats = set.stats;
  const app = set.instance('app').exports.app;
  out.run = app.run();
  checkEndToEnd(out.run);
  checkJsView(set.instance('plugin').exports, ComponentError);
  // Isolation.
  const host = set.instance('app');
  const plugin = set.instance('plugin');
  if (host.memory === plugin.memory) throw new Error('one memory for two components');
  const secret = app.secret();
  const addr = app.secretAddress();
  let seen = '';
  for (let i = 0; i < secret.length; i++) seen += String.fromCharCode(plugin.exports['plugin-api'].peek(addr + i));
  if (seen === secret) throw new Error('the plugin read the host secret');
  out.isolation = `host secret at 0x${addr.toString(16)}: ${JSON.stringify(secret)}; the plugin sees ${JSON.stringify(seen.replace(/\0/g, '.'))} there`;
  // Traps at the app -> plugin boundary, and the components afterwards.
  out.traps = [];
  for (const [kind, pattern] of provokeCases) {
    let error = null;
    try {
      app.provoke(kind);
    } catch (e) {
      error = e;
    }
    if (!error) throw new Error(`provoke(${kind}) did not trap`);
    if (kind < 7 && !(error instanceof CanonicalAbiTrap)) throw new Error(`provoke(${kind}): ${error.stack}`);
    if (!pattern.test(error.message)) throw new Error(`provoke(${kind}): ${error.message}`);
    out.traps.push(`${error.name}: ${error.message}`);
    checkEndToEnd(app.run());
    if (app.secret() !== secret) throw new Error('the host secret changed');
  }
  // A type mismatch.
  const wit = await (await fetch('/tests/components/wit/plugins.wit')).text();
  const changed = wit.replace('record row { label: string, value: f64 }', 'record row { name: string, value: f64 }');
  const bad = new ComponentSet({ core, fetcher, adapter });
  bad.add('app', { main: 'host.wasm' });
  bad.add('plugin', { main: 'plugin.wasm', wit: { world: 'demo:plugins/plugin@0.1.0', files: { 'plugins.wit': changed } } });
  try {
    await bad.link();
    throw new Error('a mismatched link succeeded');
  } catch (e) {
    if (!(e instanceof LinkError)) throw e;
    out.mismatch = e.message;
  }
  return out;
}

try {
  const core = await loadCore();
  const componentCore = await loadComponentCore();
  const features = engineFeatures();
  result.features = features;
  log(`multi-memory ${features.multiMemory}, simd ${features.simd}`);
  const vectors = parseJsonWithBigInts(await (await fetch('/tests/data/canonical-abi/vectors.json')).text());
  const descriptors = await (await fetch('/cabi-build/vector_types.json')).json();

  for (const [label, makeAdapter] of [['wasm adapter', wasmAdapterFactory(componentCore)], ['js adapter', jsAdapterFactory()]]) {
    const failures = [];
    const r = runAdapterVectors({
      vectors, descriptors, label, makeAdapter,
      createMemory: (addr) => createMemory({ initial: 1, addr: label === 'wasm adapter' ? addr : 'i32' }),
      onFail: (line) => failures.push(line),
    });
    for (const line of [...failures, ...r.lines]) log(line);
    result[label === 'wasm adapter' ? 'vectorsWasm' : 'vectorsJs'] = { passed: r.passed, failed: r.failed, failures };
  }

  for (const [label, makeAdapter] of [['wasm adapter', wasmAdapterFactory(componentCore, { boundary: BOUNDARY })],
    ['js adapter', jsAdapterFactory({ boundary: BOUNDARY })]]) {
    let passed = 0;
    const failures = [];
    for (const c of trapCases) {
      const error = runTrapCase(c, makeAdapter);
      if (error) failures.push(`${c.name}: ${error}`);
      else passed++;
    }
    for (const f of failures) log(`FAIL trap ${f}`);
    log(`adapter traps (${label}): ${passed} passed, ${failures.length} failed`);
    result[label === 'wasm adapter' ? 'trapsWasm' : 'trapsJs'] = { passed, failures };
  }

  result.e2e = [];
  for (const adapter of ['wasm', 'js']) {
    const out = await endToEnd(core, adapter);
    log(`--- app.run() in Chromium (${out.kind} adapter) ---`);
    for (const l of out.run) log(l);
    log(out.isolation);
    for (const t of out.traps) log(t);
    log(out.mismatch);
    result.e2e.push(out);
  }
  result.ok = true;
} catch (e) {
  result.error = String(e && e.stack || e);
  log(result.error);
}
window.__lazylinkResult = result;
