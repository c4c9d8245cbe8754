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
  const base = options.distUrl ? new URL(options.distUrl) : new URL('./dist/', import.meta.url);
  const { default: createLazylinkCore } = await import(new URL('lazylink_core.mjs', base).href);
  const moduleArg = {
    print: (line) => console.log(line),
    printErr: (line) => console.warn(line),
  };
  if (isNode) {
    // Node 20's fetch cannot read file: URLs; hand the bytes over directly.
    const fs = await import('node:fs');
    moduleArg.wasmBinary = fs.readFileSync(new URL('lazylink_core.wasm', base));
  }
  return createLazylinkCore(moduleArg);
}
