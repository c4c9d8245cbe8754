// Instantiating the adapter modules the C++ core generates
// (loader/component/adapter.h): both memories, the callee's exports and
// post-returns, and a two-slot table holding the caller's and the callee's
// cabi_realloc. Values move in wasm, memory to memory; JS is only reached to
// report a trap.
//
//   const a = instantiateWasmAdapter(bytes, { callerMemory, calleeMemory,
//     targets: [fn0, ...], postReturns: [post0 | null, ...], boundaries: ['host -> plugin x#f'] });
//   a.setRealloc('caller', callerExports.cabi_realloc);
//   a.functions[0](...flatArgs);
import { adapterTrap } from './traps.mjs';

const CALLER_REALLOC_SLOT = 0;
const CALLEE_REALLOC_SLOT = 1;

export function compileSync(bytes) {
  return bytes instanceof WebAssembly.Module ? bytes : new WebAssembly.Module(bytes);
}

export function instantiateWasmAdapter(bytesOrModule, {
  callerMemory, calleeMemory, targets, postReturns = [], boundaries = [],
}) {
  const module = compileSync(bytesOrModule);
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: 2 });
  const a = {
    trap: adapterTrap({ boundaries, memories: [callerMemory, calleeMemory] }),
    m0: callerMemory,
    m1: calleeMemory,
    t: table,
  };
  targets.forEach((fn, k) => { a[`f${k}`] = fn; });
  postReturns.forEach((fn, k) => { if (fn) a[`p${k}`] = fn; });
  // Imports the module declares but no one gave: a trap naming them.
  for (const imp of WebAssembly.Module.imports(module)) {
    if (!(imp.name in a)) throw new Error(`adapter import a.${imp.name} was not provided`);
  }
  const instance = new WebAssembly.Instance(module, { a });
  const functions = targets.map((_, k) => instance.exports[`f${k}`]);
  return {
    instance,
    table,
    functions,
    /** which: 'caller' | 'callee'; fn: a wasm function (an export of some instance). */
    setRealloc(which, fn) {
      table.set(which === 'caller' ? CALLER_REALLOC_SLOT : CALLEE_REALLOC_SLOT, fn);
    },
  };
}
