// The two adapter paths behind one interface, for the vector driver
// (adapter_vectors.mjs), the trap tests and the benchmarks:
//   makeAdapter({params, results, caller, callee}) -> the caller's core function
// params/results: [{t (web/cabi type), text (WIT type text)}]; caller/callee:
// {memory, addr, encoding, realloc}; callee also {target, postReturn}.
import { createContext } from '../../web/cabi/index.mjs';
import { createJsAdapter } from '../../web/component/js_adapter.mjs';
import { compileSync, instantiateWasmAdapter } from '../../web/component/wasm_adapter.mjs';

function funcOf(params, results) {
  return {
    params: params.map((p, i) => ({ label: `p${i}`, t: p.t })),
    results: results.map((r) => ({ label: null, t: r.t })),
  };
}

export function jsAdapterFactory({ boundary = 'caller -> callee f' } = {}) {
  return ({ params, results, caller, callee }) => {
    const cx = (side) => createContext({
      memory: side.memory, addr: side.addr, stringEncoding: side.encoding, realloc: side.realloc, boundary,
    });
    return createJsAdapter({
      func: funcOf(params, results), caller: cx(caller), callee: cx(callee),
      target: callee.target, postReturn: callee.postReturn,
    });
  };
}

// A JS function as a wasm function (a funcref table cannot hold a JS function).
export function wasmFunction(core, fn, sig, cache = new Map()) {
  if (!cache.has(sig)) {
    const r = core.emitReexports(sig);
    if (!r.ok) throw new Error(r.error);
    cache.set(sig, compileSync(r.bytes));
  }
  return new WebAssembly.Instance(cache.get(sig), { w: { f0: fn } }).exports.f0;
}

export function wasmAdapterFactory(core, { boundary = 'caller -> callee f', simd = true, tailCalls = true } = {}) {
  const modules = new Map();
  const wrappers = new Map();
  return ({ params, results, caller, callee }) => {
    const spec = {
      functions: [{ params: params.map((p) => p.text), results: results.map((r) => r.text), postReturn: !!callee.postReturn }],
      caller: { addr: caller.addr, encoding: caller.encoding },
      callee: { addr: callee.addr, encoding: callee.encoding },
      simd,
      tailCalls,
    };
    const key = JSON.stringify(spec);
    if (!modules.has(key)) {
      const r = core.emitAdapterForTypes(spec);
      if (!r.ok) throw new Error(r.error);
      modules.set(key, compileSync(r.bytes));
    }
    const a = instantiateWasmAdapter(modules.get(key), {
      callerMemory: caller.memory, calleeMemory: callee.memory, targets: [callee.target],
      postReturns: [callee.postReturn], boundaries: [boundary],
    });
    for (const [which, side] of [['caller', caller], ['callee', callee]]) {
      if (!side.realloc) continue;
      const sig = side.addr === 'i64' ? 'jjjjj' : 'iiiii';
      a.setRealloc(which, wasmFunction(core, side.realloc, sig, wrappers));
    }
    return a.functions[0];
  };
}
