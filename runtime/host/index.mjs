// The host runtime lazylink apps run against: one object the Domain takes,
// listing every host function (WASI preview 1 and Emscripten's `env`) with
// its signature. Anything not listed is a link error naming the symbol; the
// documented stubs (docs/runtime.md) report themselves by name when called.
//
//   const host = createHost({ args: ['prog', 'x'], stdout: (t) => ... });
//   const domain = new Domain({ core, host, fetcher });
import { Abort, ExitStatus, HostContext } from './context.mjs';
import { dylinkFunctions } from './dylink.mjs';
import { emJsFunctions } from './em_js.mjs';
import { emscriptenFunctions } from './emscripten.mjs';
import { exceptionFunctions } from './exceptions.mjs';
import { lazylinkApiFunctions } from './lazylink_api.mjs';
import { libraryFunctions } from './library.mjs';
import { syscallFunctions } from './syscalls.mjs';
import { timeFunctions } from './time.mjs';
import { unwindFunctions } from './unwind.mjs';
import { wasiFunctions } from './wasi.mjs';

// Every host module, in order.
const providers = [wasiFunctions, emscriptenFunctions, syscallFunctions, timeFunctions,
  unwindFunctions, exceptionFunctions, dylinkFunctions, lazylinkApiFunctions, emJsFunctions,
  libraryFunctions];
export function registerHostProvider(provider) {
  providers.push(provider);
}

export { Abort, ExitStatus };

export function createHost(options = {}) {
  const ctx = new HostContext(options);
  ctx.isExit = (e) => e instanceof ExitStatus;
  const functions = [];
  const seen = new Set();
  const replacing = [];
  for (const provide of providers) {
    for (const [module, name, sig, fn, extra] of provide(ctx)) {
      if (extra?.replaces) {
        replacing.push([module, name, sig, fn]);
        continue;
      }
      const key = `${module}.${name}`;
      if (seen.has(key)) throw new Error(`lazylink host: ${key} is defined twice`);
      seen.add(key);
      functions.push([module, name, sig, fn, name.endsWith('*')]);
    }
  }
  // JS library functions (em_js.mjs) come last, or take the place of a
  // host function of their name (as with emcc --js-library).
  for (const [module, name, sig, fn] of replacing) {
    const at = functions.findIndex(([m, n]) => m === module && n === name);
    if (at >= 0) functions[at] = [module, name, sig, fn, false];
    else functions.push([module, name, sig, fn, false]);
  }
  return {
    context: ctx,
    functions,
    attach(domain) { ctx.domain = domain; },
    onLibstd(exports) { ctx.libstd = exports; },
    isExit: (e) => e instanceof ExitStatus,
  };
}
