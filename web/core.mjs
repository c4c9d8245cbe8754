// Loads lazylink's C++ cores (compiled to wasm, in web/dist/) in a browser,
// a worker or Node, once per realm:
//   loadCore()            lazylink_core.*: reader, linker, PLT, SHA-256 —
//                         what every app needs before main
//   loadComponentCore()   lazylink_components.*: WIT, Canonical ABI, the
//                         component linker and adapter generator — only for
//                         components (a separate module, fetched on use)
//
//   import { loadCore } from './core.mjs';
//   const core = await loadCore();
//   core.version();
const isNode = typeof process === 'object' && !!(process.versions && process.versions.node);
let corePromise = null;
let componentCorePromise = null;

export function loadCore(options = {}) {
  if (!corePromise) corePromise = instantiateCore('lazylink_core', options);
  return corePromise;
}

export function loadComponentCore(options = {}) {
  if (!componentCorePromise) componentCorePromise = instantiateCore('lazylink_components', options);
  return componentCorePromise;
}

async function instantiateCore(name, options) {
  // web/core.mjs finds the core in ./dist/; the bundle (web/dist/lazylink.mjs)
  // already sits there.
  const here = new URL('.', import.meta.url);
  const base = options.distUrl ? new URL(options.distUrl)
    : here.pathname.endsWith('/dist/') ? here : new URL('./dist/', import.meta.url);
  const wasmUrl = new URL(`${name}.wasm`, base);
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
  const { default: createLazylinkCore } = await import(new URL(`${name}.mjs`, base).href);
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
