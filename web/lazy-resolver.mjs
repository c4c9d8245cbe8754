// The lazy resolver: what a call through a lazily bound table slot runs the
// first time. It loads the module that defines the symbol (asynchronously
// through JSPI on a browser's main thread, synchronously in Node and
// workers) and fails, naming module and symbol, when it cannot.
//
//   const resolve = makeResolver(domain, (what) => new LinkError(...));  // the PLT's import
import { LinkError, RTLD_GLOBAL, RTLD_NOW } from './link-types.mjs';
import { isAbort } from './net/errors.mjs';
import { guardSuspending, isSuspendError } from '../runtime/host/suspend_guard.mjs';

// `notReady(what)`: the error for a call made before the loader core is in.
export function makeResolver(domain, notReady) {
  const describe = (slot) => {
    const target = domain.linker.lazyTarget(slot);
    if (!target) throw new LinkError(`lazylink: table slot ${slot} is not lazily bound`);
    return target;
  };
  const check = (slot, target) => {
    if (domain.linker.lazyTarget(slot)) {
      throw new LinkError(`lazylink: ${target.module} was loaded but does not define ${target.symbol}`,
                          { module: target.module, symbol: target.symbol });
    }
  };
  // A symbol as messages show it: a C++ function demangled too,
  // "f(int) (_Z1fi)" (libstd's __cxa_demangle, through the host).
  const shown = (symbol) => {
    const demangle = symbol?.startsWith('_Z') ? domain.host.context?.demangle : null;
    if (!demangle) return symbol;
    const plain = demangle(symbol);
    return plain && plain !== symbol ? `${plain} (${symbol})` : symbol;
  };
  const wrap = (target, e) => new LinkError(
    `lazylink: calling ${shown(target.symbol)} needs ${target.module}, which failed to load: ${e.message}`,
    { module: target.module, symbol: target.symbol, cause: e });
  if (domain.lazyMode === 'jspi') {
    // A call that cannot suspend (runtime/host/suspend_guard.mjs) links a module
    // prefetched earlier synchronously, or fails naming what it needed.
    const cannotSuspend = (slot, e) => {
      if (!isSuspendError(e)) throw e;
      const target = domain.linker ? describe(slot) : null;
      const module = target ? target.module : domain.startState?.lazySlots?.[slot];
      const symbol = target?.symbol;
      const why = /JS frames/.test(e.message)
        ? 'a JavaScript function is on the call stack between the entry into wasm and this call, and JSPI cannot suspend JavaScript frames'
        : 'wasm was entered without WebAssembly.promising (app.run() and app.call() use it; a direct call of an export, or a callback from JavaScript, does not)';
      const todo = `load it before this call (await app.prefetch(${JSON.stringify(module)}): a prefetched module then links ` +
        `without waiting) or make it eager (lazylink pack --policy ${module}=eager)`;
      const fail = (detail) => new LinkError(`lazylink: calling ${shown(symbol) ?? 'into'} ${symbol ? 'needs ' : ''}${module ?? `table slot ${slot}`}, ` +
        `which is not loaded${domain.linker ? '' : ' (nor is the loader core yet)'}, and this call cannot wait for it: ${why}; ` +
        `${todo}${detail}`, { module, symbol, cause: e });
      if (!domain.linker) throw fail('');
      domain.lazyResolves++;
      try {
        domain.loadSync(module, RTLD_NOW | RTLD_GLOBAL);
      } catch (le) {
        // (Not prefetched: the fetcher cannot read it synchronously here,
        // which the message already says.)
        throw fail(/synchronously/.test(le.message) ? '' : `. Loading it synchronously failed: ${le.message}`);
      }
      check(slot, target);
    };
    return guardSuspending(new WebAssembly.Suspending(async (slot) => {
      let early = null;  // a failure of the fetch started before the core was ready
      if (!domain.linker) {
        // Started from a start plan: the core is on its way. Fetch the
        // module meanwhile (the start plan knows which it is).
        const module = domain.startState?.lazySlots?.[slot];
        if (module && domain.fetcher?.prefetch) {
          domain.fetcher.prefetch(module).catch((e) => { if (!isAbort(e)) early = e; });
        }
        try {
          await domain.ready;
        } catch (e) {
          throw new LinkError(`lazylink: calling into ${module ?? `table slot ${slot}`} needs the loader core, ` +
            `which failed to start: ${e.message}`, { module, cause: e });
        }
      }
      const target = describe(slot);
      domain.lazyResolves++;
      try {
        // That fetch already failed (with its retries): this call fails
        // with it rather than asking the server again.
        if (early) throw early;
        await domain.load(target.module, RTLD_NOW | RTLD_GLOBAL);
      } catch (e) {
        throw wrap(target, e);
      }
      check(slot, target);
    }), cannotSuspend);
  }
  return (slot) => {
    if (!domain.linker) throw notReady(`a call into ${domain.startState?.lazySlots?.[slot] ?? `table slot ${slot}`}`);
    const target = describe(slot);
    domain.lazyResolves++;
    if (domain.lazyMode === 'none') {
      throw new LinkError(`lazylink: calling ${target.symbol} needs ${target.module}, which is not loaded; ` +
        'this thread cannot load it synchronously: prefetch it first (app.prefetch / lazylink_prefetch) or use JSPI',
        { module: target.module, symbol: target.symbol });
    }
    try {
      domain.loadSync(target.module, RTLD_NOW | RTLD_GLOBAL);
    } catch (e) {
      throw wrap(target, e);
    }
    check(slot, target);
  };
}
