// The PLT call-cost benchmark, in one page: the same caller module
// (bench/apps/plt_caller.c) in four domains, its import `plt_target` bound
//   eager    to the callee module's export (a direct import call)
//   lazy     to a PLT entry, after the first call loaded the callee through
//            the resolver (JSPI) and the slot now holds the callee
//   js       to a JS function forwarding to the callee's export
//   jsEm     to a JS stub shaped like Emscripten 3.1.6's (library_dylink.js:
//            resolve once, then `resolved.apply(null, arguments)`)
// and the same loop around a call within the caller module (local), for
// the loop's own cost. Prototypes (not what the linker does; to try changes):
//   hostWasm   the import bound (as a "host function") straight to the
//              callee's wasm export: a control, should equal eager
//   protoCall  bound to a trampoline emitted by proto.mjs like the linker's
//              PLT entry (call_indirect): a control, should equal lazy
//   protoTail  the same trampoline with return_call_indirect Rounds interleave the variants; every loop runs
// warm (tiered up) before it is timed.
import { loadCore } from '../../web/core.mjs';
import { Domain, RTLD_GLOBAL, RTLD_LOCAL, RTLD_NOW } from '../../web/domain.mjs';
import { Binding, decodePlan } from '../../web/plan.mjs';
import { createHost } from '../../runtime/host/index.mjs';
import { capturePlans } from '../lib/linkbench.mjs';
import { memFetcher, now } from '../lib/modules.mjs';
import { trampolineModule } from './proto.mjs';
import { summarize } from '../lib/stats.mjs';

const BINDING_NAMES = Object.fromEntries(Object.entries(Binding).map(([k, v]) => [v, k]));

async function fetchBytes(url) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

// What the caller's `plt_target` import was bound to, from the load's plan.
function bindingOf(plans, domain, id) {
  const plan = decodePlan(plans[plans.length - 1].codes.slice());
  const mod = plan.modules.find((m) => m.id === id);
  const imports = WebAssembly.Module.imports(domain.compiled.get(id));
  const i = imports.findIndex((d) => d.name === 'plt_target');
  return BINDING_NAMES[mod.bindings[3 * i]];
}

export async function benchPlt({ files, n = 20_000_000, rounds = 15, warmupCalls = 3 }) {
  const core = await loadCore();
  const bytes = new Map();
  for (const [name, url] of Object.entries(files)) bytes.set(name, await fetchBytes(url));
  const fetcher = memFetcher(bytes);
  const cap = capturePlans(core);
  const variants = {};
  const bindings = {};
  try {
    // eager: the callee is loaded first, so the import binds to its export.
    {
      const d = new Domain({ core, host: createHost({}), fetcher, lazyMode: 'jspi' });
      await d.load('plt_callee.wasm', RTLD_NOW | RTLD_GLOBAL);
      const id = await d.load('plt_caller.wasm', RTLD_NOW | RTLD_GLOBAL);
      bindings.eager = bindingOf(cap.plans, d, id);
      variants.eager = d.exportsOf(id).bench_import_loop;
      variants.local = d.exportsOf(id).bench_local_loop;
    }
    // lazy: the callee is in the lazy index; the first call loads it.
    let lazyDomain;
    {
      const d = new Domain({ core, host: createHost({}), fetcher, lazyMode: 'jspi' });
      d.setLazyIndex([['plt_target', 'plt_callee.wasm', 'ii']]);
      const id = await d.load('plt_caller.wasm', RTLD_NOW | RTLD_GLOBAL);
      bindings.lazy = bindingOf(cap.plans, d, id);
      const loop = d.exportsOf(id).bench_import_loop;
      if (d.linker.findLoaded('plt_callee.wasm') >= 0) throw new Error('lazy: the callee was loaded eagerly');
      const first = await WebAssembly.promising(loop)(1);
      if (d.lazyResolves !== 1 || d.linker.findLoaded('plt_callee.wasm') < 0) {
        throw new Error(`lazy: the first call did not resolve (${d.lazyResolves} resolver entries)`);
      }
      if (first !== 1) throw new Error(`lazy: first call returned ${first}`);
      variants.lazy = loop;
      lazyDomain = d;
    }
    // js / jsEm: the callee is loaded RTLD_LOCAL (invisible to the caller;
    // after a first load, which is always global); the caller's import is
    // a host function forwarding to its export.
    const jsDomain = async (makeStub) => {
      const host = createHost({});
      let target = null;
      host.functions.push(['env', 'plt_target', 'ii', makeStub(() => target), false]);
      const d = new Domain({ core, host, fetcher, lazyMode: 'jspi' });
      await d.load('libstd.wasm', RTLD_NOW | RTLD_GLOBAL);
      const callee = await d.load('plt_callee.wasm', RTLD_NOW | RTLD_LOCAL);
      target = d.exportsOf(callee).plt_target;
      const id = await d.load('plt_caller.wasm', RTLD_NOW | RTLD_GLOBAL);
      return { d, id };
    };
    {
      const { d, id } = await jsDomain((get) => (x) => get()(x));
      bindings.js = bindingOf(cap.plans, d, id);
      variants.js = d.exportsOf(id).bench_import_loop;
    }
    {
      // Emscripten 3.1.6's stub (library_dylink.js, loadWebAssemblyModule).
      const { d, id } = await jsDomain((get) => {
        let resolved;
        return function stub() {
          if (!resolved) resolved = get();
          return resolved.apply(null, arguments);
        };
      });
      bindings.jsEm = bindingOf(cap.plans, d, id);
      variants.jsEm = d.exportsOf(id).bench_import_loop;
    }
    // Prototypes: the callee's export reached through a trampoline of our
    // own (its own table, imported like the domain's).
    for (const mode of ['hostWasm', 'protoCall', 'protoTail']) {
      const host = createHost({});
      const entry = ['env', 'plt_target', 'ii', null, false];
      host.functions.push(entry);
      const d = new Domain({ core, host, fetcher, lazyMode: 'jspi' });
      await d.load('libstd.wasm', RTLD_NOW | RTLD_GLOBAL);
      const callee = await d.load('plt_callee.wasm', RTLD_NOW | RTLD_LOCAL);
      const target = d.exportsOf(callee).plt_target;
      if (mode === 'hostWasm') {
        entry[3] = target;
      } else {
        const table = new WebAssembly.Table({ element: 'anyfunc', initial: 1 });
        table.set(0, target);
        const m = await WebAssembly.compile(trampolineModule(0, mode === 'protoTail' ? 'tail' : 'call'));
        entry[3] = (await WebAssembly.instantiate(m, { env: { __indirect_function_table: table } })).exports.t0;
      }
      const id = await d.load('plt_caller.wasm', RTLD_NOW | RTLD_GLOBAL);
      bindings[mode] = bindingOf(cap.plans, d, id);
      variants[mode] = d.exportsOf(id).bench_import_loop;
    }
    for (const k of ['js', 'jsEm', 'hostWasm', 'protoCall', 'protoTail']) {
      if (bindings[k] !== 'HostFunc') throw new Error(`${k}: plt_target bound as ${bindings[k]}, not to the JS function`);
    }
    if (bindings.eager !== 'ModuleFunc' || bindings.lazy !== 'PltFunc') {
      throw new Error(`unexpected bindings ${JSON.stringify(bindings)}`);
    }
    // All agree on the answer.
    const expect = variants.eager(1000);
    for (const [k, f] of Object.entries(variants)) {
      if (f(1000) !== expect) throw new Error(`${k} computes ${f(1000)}, eager ${expect}`);
    }
    // Warm: tier up every loop before timing.
    for (let w = 0; w < warmupCalls; w++) for (const f of Object.values(variants)) f(n >>> 2);
    const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    const names = Object.keys(variants);
    for (let r = 0; r < rounds; r++) {
      const order = names.map((_, i) => names[(i + r) % names.length]);
      for (const k of order) {
        const t0 = now();
        variants[k](n);
        times[k].push(now() - t0);
      }
    }
    if (lazyDomain.lazyResolves !== 1) throw new Error(`lazy: ${lazyDomain.lazyResolves} resolver entries after timing`);
    const nsPerCall = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summarize(v.map((ms) => (ms * 1e6) / n))]));
    return { n, rounds, bindings, nsPerCall, lazyResolves: lazyDomain.lazyResolves, userAgent: navigator.userAgent };
  } finally {
    cap.restore();
  }
}
