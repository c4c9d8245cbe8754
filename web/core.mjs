// Loads lazylink's C++ core (compiled to wasm, web/dist/lazylink_core.*) in a
// browser, a worker or Node, once per realm.
//
//   import { loadCore } from './core.mjs';
//   const core = await loadCore();
//   core.version();
const isNode = typeof process === 'object' && !!(process.versions && process.versions.node);
let corePromise = null;

export function loadCore(options = {}) {
  if (!corePromise) corePromise = instantiateCore(options);
  return corePromise;
}

async function instantiateCore(options) {
  // web/core.mjs finds the core in ./dist/; the bundle (web/dist/lazylink.mjs)
  // already sits there.
  const here = new URL('.', import.meta.url);
  const base = options.distUrl ? new URL(options.distUrl)
    : here.pathname.endsWith('/dist/') ? here : new URL('./dist/', import.meta.url);
  const wasmUrl = new URL('lazylink_core.wasm', base);
  // In browsers the core's wasm is fetched and compiled (streaming) while
  // its JS glue is imported, not after: one round trip fewer at start-up.
  let compiled = null;
  if (!isNode && typeof WebAssembly.compileStreaming === 'function' && typeof fetch === 'function') {
    compiled = WebAssembly.compileStreaming(fetch(wasmUrl)).catch(async (e) => {
      // A server without the application/wasm type: compile the bytes.
      const response = await fetch(wasmUrl);
      if (!response.ok) throw new Error(`lazylink: ${wasmUrl.href}: HTTP ${response.status}`, { cause: e });
      return WebAssembly.compile(await response.arrayBuffer());
    });
    compiled.catch(() => {});  // raced below
  }
  const { default: createLazylinkCore } = await import(new URL('lazylink_core.mjs', base).href);
  const moduleArg = {
    print: (line) => console.log(line),
    printErr: (line) => console.warn(line),
  };
  if (isNode) {
    // Node 20's fetch cannot read file: URLs; hand the bytes over directly.
    const fs = await import('node:fs');
    moduleArg.wasmBinary = fs.readFileSync(wasmUrl);
  }
  if (!compiled) return createLazylinkCore(moduleArg);
  moduleArg.instantiateWasm = (imports, receiveInstance) => {
    compiled.then((module) => WebAssembly.instantiate(module, imports).then((instance) => receiveInstance(instance, module)))
      .catch(() => {});  // the race below reports it
    return {};
  };
  // A failed fetch or compile rejects here (the glue would wait forever).
  return Promise.race([createLazylinkCore(moduleArg), compiled.then(() => new Promise(() => {}))]);
}
