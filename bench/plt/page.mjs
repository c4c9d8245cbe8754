// The PLT call-cost benchmark, in one page: the same caller module
// (bench/apps/plt_caller.c) in several domains, its imports `plt_target`
// (x + 1: the call is all there is) and `plt_work` (a few ns of work) bound
//   eager    to the callee module's exports (direct import calls)
//   lazy     to PLT entries, after the first call loaded the callee through
//            the resolver (JSPI) and the slots now hold the callee's functions
//   lazySlot no imports: plt_caller_slot.wasm (bind-local --slot-calls, as
//            `lazylink pack` rewrites calls into lazy modules) calls through
//            the same slots with call_indirect, no PLT trampoline between
//   js       to JS functions forwarding to the callee's exports
//   jsEm     to JS stubs shaped like Emscripten 3.1.6's (library_dylink.js:
//            resolve once, then `resolved.apply(null, arguments)`)
// and the same loop around a call within the caller module (local), for
// the loop's own cost. Prototypes (not what the linker does; to try changes):
//   hostWasm   the imports bound (as "host functions") straight to the
//              callee's wasm exports: a control, should equal eager
//   protoCall  bound to trampolines emitted by proto.mjs like the linker's
//              PLT entries (call_indirect): a control, should equal lazy
//   protoTail  the same trampolines with return_call_indirect
//   protoRef, protoRefTail  the target in a typed funcref global, reached
//              with call_ref / return_call_ref (no table, no signature check)
// Rounds interleave the variants; every loop runs warm (tiered up) before
// it is timed.
import { loadCore } from '../../web/core.mjs';
import { Domain, RTLD_GLOBAL, RTLD_LOCAL, RTLD_NOW } from '../../web/domain.mjs';
import { Binding, decodePlan } from '../../web/plan.mjs';
import { createHost } from '../../runtime/host/index.mjs';
import { capturePlans } from '../lib/linkbench.mjs';
import { memFetcher, now } from '../lib/modules.mjs';
import { summarize } from '../lib/stats.mjs';
import { trampolineModule } from './proto.mjs';

const BINDING_NAMES = Object.fromEntries(Object.entries(Binding).map(([k, v]) => [v, k]));
const FUNCS = ['plt_target', 'plt_work'];
const LOOPS = { trivial: 'bench_import_loop', work: 'bench_work_loop' };

async function fetchBytes(url) {
  const r = await fetch(url, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

// What the caller's imports were bound to, from the load's plan.
function bindingsOf(plans, domain, id) {
  const plan = decodePlan(plans[plans.length - 1].codes.slice());
  const mod = plan.modules.find((m) => m.id === id);
  const imports = WebAssembly.Module.imports(domain.compiled.get(id));
  return FUNCS.map((f) => BINDING_NAMES[mod.bindings[3 * imports.findIndex((d) => d.name === f)]]);
}

export async function benchPlt({ files, n = 20_000_000, rounds = 15, warmupCalls = 3 }) {
  const core = await loadCore();
  const bytes = new Map();
  for (const [name, url] of Object.entries(files)) bytes.set(name, await fetchBytes(url));
  const fetcher = memFetcher(bytes);
  const cap = capturePlans(core);
  const loops = { trivial: {}, work: {} };
  const bindings = {};
  const adopt = (variant, d, id) => {
    bindings[variant] = bindingsOf(cap.plans, d, id);
    for (const [w, exp] of Object.entries(LOOPS)) loops[w][variant] = d.exportsOf(id)[exp];
  };
  try {
    // eager: the callee is loaded first, so the imports bind to its exports.
    {
      const d = new Domain({ core, host: createHost({}), fetcher, lazyMode: 'jspi' });
      await d.load('plt_callee.wasm', RTLD_NOW | RTLD_GLOBAL);
      const id = await d.load('plt_caller.wasm', RTLD_NOW | RTLD_GLOBAL);
      adopt('eager', d, id);
      loops.trivial.local = d.exportsOf(id).bench_local_loop;
    }
    // lazy: the callee is in the lazy index; the first call loads it.
    let lazyDomain;
    {
      const d = new Domain({ core, host: createHost({}), fetcher, lazyMode: 'jspi' });
      d.setLazyIndex(FUNCS.map((f) => [f, 'plt_callee.wasm', 'ii']));
      const id = await d.load('plt_caller.wasm', RTLD_NOW | RTLD_GLOBAL);
      adopt('lazy', d, id);
      if (d.findLoaded('plt_callee.wasm') >= 0) throw new Error('lazy: the callee was loaded eagerly');
      // One resolver entry loads the callee and fills both slots.
      const first = await WebAssembly.promising(d.exportsOf(id).bench_import_loop)(1);
      await WebAssembly.promising(d.exportsOf(id).bench_work_loop)(1);
      if (d.lazyResolves !== 1 || d.findLoaded('plt_callee.wasm') < 0) {
        throw new Error(`lazy: the first calls did not resolve (${d.lazyResolves} resolver entries)`);
      }
      if (first !== 1) throw new Error(`lazy: first call returned ${first}`);
      lazyDomain = d;
    }
    // lazySlot: the same, with the caller calling through the slots itself.
    let slotDomain;
    {
      const d = new Domain({ core, host: createHost({}), fetcher, lazyMode: 'jspi' });
      d.setLazyIndex(FUNCS.map((f) => [f, 'plt_callee.wasm', 'ii']));
      const id = await d.load('plt_caller_slot.wasm', RTLD_NOW | RTLD_GLOBAL);
      const imports = WebAssembly.Module.imports(d.compiled.get(id));
      for (const f of FUNCS) {
        if (imports.some((i) => i.kind === 'function' && i.name === f)) throw new Error(`lazySlot: the caller still imports ${f}`);
        if (!imports.some((i) => i.module === 'GOT.func' && i.name === f)) throw new Error(`lazySlot: no GOT.func.${f} import`);
      }
      if (d.findLoaded('plt_callee.wasm') >= 0) throw new Error('lazySlot: the callee was loaded eagerly');
      const first = await WebAssembly.promising(d.exportsOf(id).bench_import_loop)(1);
      await WebAssembly.promising(d.exportsOf(id).bench_work_loop)(1);
      if (d.lazyResolves !== 1 || d.findLoaded('plt_callee.wasm') < 0) {
        throw new Error(`lazySlot: the first calls did not resolve (${d.lazyResolves} resolver entries)`);
      }
      if (first !== 1) throw new Error(`lazySlot: first call returned ${first}`);
      bindings.lazySlot = FUNCS.map(() => 'GotFuncSlot');
      for (const [w, exp] of Object.entries(LOOPS)) loops[w].lazySlot = d.exportsOf(id)[exp];
      slotDomain = d;
    }
    // The others: the callee is loaded RTLD_LOCAL (invisible to the caller;
    // after a first load, which is always global), and the caller's imports
    // are host functions made by `make(calleeExport)`.
    const viaHost = async (variant, make) => {
      const host = createHost({});
      const entries = FUNCS.map((f) => ['env', f, 'ii', null, false]);
      host.functions.push(...entries);
      const d = new Domain({ core, host, fetcher, lazyMode: 'jspi' });
      await d.load('libstd.wasm', RTLD_NOW | RTLD_GLOBAL);
      const callee = await d.load('plt_callee.wasm', RTLD_NOW | RTLD_LOCAL);
      for (const [k, f] of FUNCS.entries()) entries[k][3] = await make(d.exportsOf(callee)[f]);
      const id = await d.load('plt_caller.wasm', RTLD_NOW | RTLD_GLOBAL);
      adopt(variant, d, id);
    };
    await viaHost('js', (target) => (x) => target(x));
    // Emscripten 3.1.6's stub (library_dylink.js, loadWebAssemblyModule).
    await viaHost('jsEm', (target) => {
      let resolved;
      return function stub() {
        if (!resolved) resolved = target;
        return resolved.apply(null, arguments);
      };
    });
    await viaHost('hostWasm', (target) => target);
    for (const [variant, mode] of [['protoCall', 'call'], ['protoTail', 'tail'], ['protoRef', 'ref'], ['protoRefTail', 'refTail']]) {
      await viaHost(variant, async (target) => {
        const m = await WebAssembly.compile(trampolineModule(0, mode));
        if (mode === 'ref' || mode === 'refTail') {
          const inst = await WebAssembly.instantiate(m, {});
          inst.exports.bind(target);
          return inst.exports.t0;
        }
        // Its own table, imported like the domain's.
        const table = new WebAssembly.Table({ element: 'anyfunc', initial: 1 });
        table.set(0, target);
        return (await WebAssembly.instantiate(m, { env: { __indirect_function_table: table } })).exports.t0;
      });
    }
    const expectKinds = { eager: 'ModuleFunc', lazy: 'PltFunc', lazySlot: 'GotFuncSlot' };
    for (const [v, kinds] of Object.entries(bindings)) {
      const want = expectKinds[v] ?? 'HostFunc';
      if (kinds.some((k) => k !== want)) throw new Error(`${v}: imports bound as ${kinds}, expected ${want}`);
    }
    // All agree on the answers.
    for (const [w, fs] of Object.entries(loops)) {
      const expect = fs.eager(1000);
      for (const [k, f] of Object.entries(fs)) {
        if (w === 'trivial' && k === 'local') continue;
        if (f(1000) !== expect) throw new Error(`${w}/${k} computes ${f(1000)}, eager ${expect}`);
      }
    }
    // Warm: tier up every loop before timing.
    for (let i = 0; i < warmupCalls; i++) for (const fs of Object.values(loops)) for (const f of Object.values(fs)) f(n >>> 3);
    const nsPerCall = {};
    for (const [w, fs] of Object.entries(loops)) {
      const calls = w === 'work' ? n >>> 2 : n;
      const times = Object.fromEntries(Object.keys(fs).map((k) => [k, []]));
      const names = Object.keys(fs);
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < names.length; i++) {
          const k = names[(i + r) % names.length];
          const t0 = now();
          fs[k](calls);
          times[k].push(((now() - t0) * 1e6) / calls);
        }
      }
      nsPerCall[w] = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summarize(v)]));
      nsPerCall[w].calls = calls;
    }
    if (lazyDomain.lazyResolves !== 1) throw new Error(`lazy: ${lazyDomain.lazyResolves} resolver entries after timing`);
    if (slotDomain.lazyResolves !== 1) throw new Error(`lazySlot: ${slotDomain.lazyResolves} resolver entries after timing`);
    return { n, rounds, bindings, nsPerCall, lazyResolves: lazyDomain.lazyResolves, userAgent: navigator.userAgent };
  } finally {
    cap.restore();
  }
}
