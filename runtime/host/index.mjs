// The host runtime lazylink apps run against: one object the Domain takes,
// listing every host function (WASI preview 1 and Emscripten's `env`) with
// its signature. Anything not listed is a link error naming the symbol; the
// documented stubs (docs/runtime.md) report themselves by name when called.
//
//   const host = createHost({ args: ['prog', 'x'], stdout: (t) => ... });
//   const domain = new Domain({ core, host, fetcher });
import { Abort, ExitStatus, HostContext } from './context.mjs';
import { dylinkFunctions } from './dylink.mjs';
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
  unwindFunctions, exceptionFunctions, dylinkFunctions, lazylinkApiFunctions,
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
  for (const provide of providers) {
    for (const [module, name, sig, fn] of provide(ctx)) {
      const key = `${module}.${name}`;
      if (seen.has(key)) throw new Error(`lazylink host: ${key} is defined twice`);
      seen.add(key);
      functions.push([module, name, sig, fn, name.endsWith('*')]);
    }
  }
  return {
    context: ctx,
    functions,
    attach(domain) { ctx.domain = domain; },
    onLibstd(exports) { ctx.libstd = exports; },
    isExit: (e) => e instanceof ExitStatus,
  };
}
