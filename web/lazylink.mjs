// lazylink's public JS API: load an application from its manifest, run it,
// and let the rest load on demand.
//
//   import { load } from 'lazylink';            // web/lazylink.mjs
//   const app = await load('app/lazylink.json', {
//     onProgress: (e) => bar.update(e),          // {module, phase, loaded, total}
//     stdout: (text) => out.append(text),
//     args: ['--verbose'],
//   });
//   const code = await app.run();                // main(argc, argv)
//   await app.prefetch('libsqlite.wasm');         // fetch (and compile) ahead of need
//   app.modules                                   // what is loaded, sizes, timings
//
// In a browser's main thread, calls into modules not loaded yet suspend
// with JSPI while the module loads; under Node and in workers they load
// synchronously (see docs/lazy-loading.md).
import { loadComponentCore, loadCore } from './core.mjs';
import { Domain, LinkError, RTLD_GLOBAL, RTLD_NOW } from './domain.mjs';
import { packedFiles } from './files.mjs';
import { openPersistence } from '../runtime/host/fs/persist.mjs';
import { createModuleFetcher, FetchError } from './net/index.mjs';
import { usableStartPlan } from './start-plan.mjs';
import { standardLibraryArgs } from './standard-library.mjs';
import { linkerSettings } from './settings.mjs';
import { openAsync } from './net/transport.mjs';
import { readBody } from './net/body.mjs';
import { sha256HexAsync } from './net/hash.mjs';
import { createHost, ExitStatus } from '../runtime/host/index.mjs';

export { LinkError, FetchError, ExitStatus };

// load()'s jsLibrary option as [{ file, source }]: URLs fetched.
async function jsLibrarySources(libs, fetchFn) {
  if (!libs) return [];
  return Promise.all((Array.isArray(libs) ? libs : [libs]).map(async (lib, i) => {
    if (typeof lib === 'string') return { file: `jsLibrary[${i}]`, source: lib };
    if (lib.source !== undefined) return { file: lib.file ?? `jsLibrary[${i}]`, source: String(lib.source) };
    if (lib.url) {
      const r = await fetchFn(lib.url);
      if (!r.ok) throw new Error(`JS library ${lib.url}: HTTP ${r.status}`);
      return { file: String(lib.url), source: await r.text() };
    }
    throw new Error(`jsLibrary[${i}]: give the library's text, { source } or { url }`);
  }));
}

// The manifest's "jsLibraries" (docs/manifest.md): each fetched and checked
// against its SHA-256, as modules are, as createHost's jsLibrary entries.
async function packedJsLibraries(manifest, { fetch: fetchImpl, getCore }) {
  const libs = manifest.json?.jsLibraries ?? [];
  if (!Array.isArray(libs)) throw new LinkError(`${manifest.url}: "jsLibraries" is not an array`);
  return Promise.all(libs.map(async (lib, i) => {
    if (typeof lib?.url !== 'string' || typeof lib.sha256 !== 'string') {
      throw new LinkError(`${manifest.url}: jsLibraries[${i}] needs "url" and "sha256"`);
    }
    const url = new URL(lib.url, manifest.url).href;
    const name = lib.file ?? lib.url;
    const r = await openAsync(name, url, { fetchImpl });
    const size = Number.isSafeInteger(lib.size) ? lib.size : null;
    const { bytes } = await readBody(r, { module: name, url, status: r.status, size, maxBytes: size });
    const got = await sha256HexAsync(bytes, getCore);
    if (got !== lib.sha256) {
      throw new LinkError(`JS library ${name}: ${url}: SHA-256 mismatch (the manifest says ${lib.sha256}, the bytes ` +
                          `are ${got}); re-run lazylink pack`);
    }
    const defines = lib.defines && typeof lib.defines === 'object' ? lib.defines : {};
    return { file: name, source: new TextDecoder().decode(bytes), defines };
  }));
}

function now() {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

// The fetcher options load() and loadComponent() pass on when given.
function netLimits(options) {
  const out = {};
  for (const k of ['allowUnlisted', 'stallTimeoutMs', 'requestTimeoutMs', 'manifestTimeoutMs', 'manifestMaxBytes',
                   'maxModuleBytes']) {
    if (options[k] !== undefined) out[k] = options[k];
  }
  return out;
}

// options:
//   onProgress(event)   per module: {module, phase: fetch|compile|link|init|done, loaded, total}
//   fetch               the fetch() to use
//   cache               Cache API on repeat visits (default true where available)
//   args, env           argv[1..] and the environment of main
//   stdout, stderr      (text) => void; default: the console / process streams
//   stdin               () => Uint8Array | null (EOF); default: none
//   lazyMode            'jspi' | 'sync' | 'none' (default: chosen for the platform)
//   prefetchWhenIdle    fetch `prefetch`-policy modules when idle (default true)
//   eagerPrefetch       request every eager module as soon as the manifest is in,
//                       while the core loads (default true)
//   linker              {stackSize, initialMemory, initialHeap, maxMemoryPages,
//                       memoryGrowth: {geometricStep, geometricCap, linearStep}}
//                       (docs/runtime.md, "Memory"; a start plan is used only
//                       without these); over the manifest's "settings"
//                       (lazylink pack --initial-memory, ...: docs/manifest.md)
//   startPlan           false: ignore the manifest's start plan (default: use it)
//   retry, concurrency  passed to the fetcher (docs/fetching.md)
//   stallTimeoutMs, requestTimeoutMs, manifestTimeoutMs, manifestMaxBytes
//                       the fetcher's limits (docs/fetching.md, "Limits")
//   allowUnlisted       development only: load modules the manifest does not
//                       list, unverified (default false: refused)
//   persist             ['/data', ...]: directories of the app's file system
//                       kept in IndexedDB, so they survive a reload (browsers)
//   mounts, cwd         Node: host directories in the app's file system,
//                       [[guestPath, hostDirectory(nodeFs, hostPath)]]
//                       (runtime/host/fs/node.mjs), and the working directory
//   jsLibrary           JS library functions the modules import, as for emcc
//                       --js-library: the file's text, { file, source }, { url },
//                       or an array of these (docs/em-js.md); after the
//                       manifest's "jsLibraries" (lazylink pack --js-library)
//   consoleToStdio      console.log/warn/error in that code (and in EM_ASM,
//                       EM_JS) write to stdout/stderr (default: the console)
export async function load(manifestUrl, options = {}) {
  const t0 = now();
  // With a start plan in the manifest (lazylink pack writes one), main runs
  // without the core: the eager modules are fetched, compiled and linked as
  // the plan says, and the core loads after their bytes are in, to check
  // the plan and link what comes later. Without one, the core, the
  // manifest and the eager modules load in parallel.
  let corePromise = null;
  const startCore = () => {
    if (!corePromise) {
      corePromise = options.core ? Promise.resolve(options.core) : loadCore();
      corePromise.catch(() => {});  // awaited later
    }
    return corePromise;
  };
  if (options.startPlan === false) startCore();
  const fetcher = await createModuleFetcher({
    manifest: manifestUrl,
    fetch: options.fetch,
    cache: options.cache ?? true,
    // Every fetch and compile event, a prefetch's and a load's, once each
    // (the domain reports only link, init and done: see below).
    onProgress: options.onProgress,
    onEvent: options.onEvent,
    retry: options.retry,
    concurrency: options.concurrency,
    ...netLimits(options),
    // Given, or (browser main thread) loaded by the fetcher only if it must
    // hash without WebCrypto; elsewhere the fetcher loads it (same instance).
    core: options.core,
  });
  const manifest = fetcher.manifest;
  if (!manifest.main) throw new LinkError(`${manifest.url}: the manifest names no main module`);
  if (options.eagerPrefetch ?? true) {
    for (const [name, spec] of manifest.modules) {
      // Failures surface (with their full message) when the domain asks.
      if (spec.policy === 'eager') fetcher.prefetch(name).catch(() => {});
    }
  }
  // The app's files (lazylink pack --files): fetched on first open where
  // that can block, before main elsewhere (web/files.mjs).
  const files = await packedFiles(manifest, {
    fetch: options.fetch, onProgress: options.onProgress, getCore: startCore,
    stderr: options.stderr ?? ((t) => console.warn(t)),
  });
  // Directories that survive a reload (IndexedDB; runtime/host/fs/persist.mjs).
  const persist = options.persist?.length ? await openPersistence(manifest.url, options.persist) : null;
  const host = createHost({
    files, mounts: options.mounts, cwd: options.cwd, persist,
    args: [manifest.main.replace(/\.wasm$/, ''), ...(options.args ?? [])],
    env: options.env,
    stdout: options.stdout,
    stderr: options.stderr,
    stdin: options.stdin,
    // The manifest's JS libraries (lazylink pack --js-library), then those
    // given here.
    jsLibrary: [...await packedJsLibraries(manifest, { fetch: options.fetch, getCore: startCore }),
                ...await jsLibrarySources(options.jsLibrary, options.fetch ?? globalThis.fetch)],
    consoleToStdio: options.consoleToStdio,
  });
  const start = options.startPlan === false ? { why: 'not asked for (startPlan: false)' }
    : usableStartPlan(manifest.json.start, { hostFunctions: host.functions, linkerOptions: options.linker ?? {} });
  if (!start.plan) startCore();
  const domain = new Domain({
    core: start.plan ? null : await corePromise,
    host, fetcher,
    // The fetcher already reported this load's fetch and compile events.
    onProgress: options.onProgress && ((e) => { if (e.phase !== 'fetch' && e.phase !== 'compile') options.onProgress(e); }),
    lazyMode: options.lazyMode,
    // The manifest's settings (lazylink pack --malloc, --initial-memory,
    // ...), under options.linker.
    linker: { ...linkerSettings(manifest.json.settings), ...(options.linker ?? {}), searchPaths: [],
              ...standardLibraryArgs(manifest.modules.keys()) },
  });
  domain.setLazyIndex(Object.entries(manifest.symbols).map(([symbol, [module, sig]]) => [symbol, module, sig]));
  let mainId;
  if (start.plan) {
    mainId = await domain.start(start.plan, { onFetched: startCore });
    const adopted = startCore().then((core) => domain.adopt(core), (e) => domain.coreUnavailable(e));
    adopted.catch(() => {});  // also domain.ready; later loads report it
    // Where lazy loads are synchronous (Node, workers) the core must be
    // there before main runs.
    if (domain.lazyMode === 'sync') await adopted;
  } else {
    mainId = await domain.load(manifest.main, RTLD_NOW | RTLD_GLOBAL);
  }
  const app = new App({ domain, host, fetcher, manifest, mainId, startMs: now() - t0,
    startPlan: start.plan ? 'used' : start.why });
  if (options.prefetchWhenIdle ?? true) app.idlePrefetch = fetcher.schedulePrefetch();
  return app;
}

export class App {
  constructor({ domain, host, fetcher, manifest, mainId, startMs, startPlan = 'not used' }) {
    this.domain = domain;
    // 'used', or why the manifest's start plan was not (docs/start-plans.md).
    this.startPlan = startPlan;
    this.host = host;
    this.fetcher = fetcher;
    this.manifest = manifest;
    this.mainId = mainId;
    this.startMs = startMs;  // from load() to main's module being ready
  }

  // What is loaded: name, sizes, placement, timings per phase.
  get modules() {
    return this.domain.modules();
  }

  get stats() {
    return { ...this.domain.stats, lazyResolves: this.domain.lazyResolves, fetch: this.fetcher.stats,
             startPlan: this.startPlan };
  }

  // Settles once the loader core is in and has checked the start plan
  // (at once without one): dlopen and dlsym work from then on; lazy calls
  // made before it simply wait for it.
  get ready() {
    return this.domain.ready;
  }

  // Calls main(argc, argv); resolves to the exit code once main has
  // returned and no callback the program scheduled (emscripten_set_timeout,
  // a main loop, ...: runtime/host/library.mjs) is left. stdio is flushed
  // and atexit handlers run, as exit() does. A program without main ends
  // with 0 (its constructors ran at load), as under Emscripten.
  async run(args) {
    const ctx = this.host.context;
    const argv = args ? [ctx.args[0], ...args] : ctx.args;
    const exports = this.domain.exportsOf(this.mainId);
    const entry = exports.__main_argc_argv ?? exports.main;
    try {
      let code = 0;
      try {
        if (!entry) code = 0;
        else if (entry.length === 0) code = await this.#call(entry);
        else code = await this.#withArgv(argv, (argc, ptr) => this.#call(entry, argc, ptr));
      } catch (e) {
        // emscripten_exit_with_live_runtime() and a main loop that
        // simulates an infinite loop leave main this way.
        if (!(e && e.lazylinkUnwind)) throw e;
      }
      ctx.mainReturned = true;
      if (ctx.hasPendingAsync?.()) {
        const done = await ctx.whenAsyncDone();
        if (done.error !== undefined) throw done.error;
      }
      this.domain.libstd?.lazylink_exit_runtime?.();
      await ctx.fsPersist?.flush();
      return code;
    } catch (e) {
      ctx.cancelAsync?.();
      if (e instanceof ExitStatus) {
        await ctx.fsPersist?.flush();
        return e.status;
      }
      throw e;
    }
  }

  // Resolves when what the program wrote under the `persist` directories
  // so far is stored (it is written in the background as it changes).
  flushFiles() {
    return this.host.context.fsPersist?.flush() ?? Promise.resolve();
  }

  // Calls an export of a loaded module by name (the main module's by
  // default), suspending under JSPI if it loads something lazily.
  call(name, args = [], { module } = {}) {
    const id = module ? this.domain.findLoaded(module) : this.mainId;
    const fn = id >= 0 ? this.domain.exportsOf(id)?.[name] : undefined;
    if (typeof fn !== 'function') {
      return Promise.reject(new LinkError(`${module ?? this.manifest.main} exports no function ${name}`));
    }
    return this.#call(fn, ...args);
  }

  // Fetches (and compiles) a module ahead of need; a later lazy call or
  // dlopen uses it without another request.
  prefetch(name) {
    return this.fetcher.prefetch(name);
  }

  // Loads a lazy module now (as if one of its functions had been called).
  async loadModule(name) {
    return this.domain.load(name, RTLD_NOW | RTLD_GLOBAL);
  }

  // Always a promise: in 'sync' mode a failed lazy load throws inside the
  // call, which becomes a rejection here.
  #call(fn, ...args) {
    if (this.domain.lazyMode === 'jspi') return WebAssembly.promising(fn)(...args);
    return new Promise((resolve) => resolve(fn(...args)));
  }

  async #withArgv(argv, body) {
    const libstd = this.domain.libstd;
    const ctx = this.host.context;
    const sp = libstd.stackSave();
    try {
      const ptr = libstd.stackAlloc(4 * (argv.length + 1)) >>> 0;
      argv.forEach((a, i) => {
        const bytes = new TextEncoder().encode(a);
        const p = libstd.stackAlloc(bytes.length + 1) >>> 0;
        ctx.u8.set(bytes, p);
        ctx.u8[p + bytes.length] = 0;
        ctx.setU32(ptr + 4 * i, p);
      });
      ctx.setU32(ptr + 4 * argv.length, 0);
      return await body(argv.length, ptr);
    } finally {
      libstd.stackRestore(sp);
    }
  }
}

// Loads a component — a module (and its libstd) in a domain of its own, with
// a typed (WIT) boundary — from its manifest, for JS to call with JS values:
//
//   const chart = await loadComponent('chart/lazylink.json', { onProgress });
//   const svg = chart.exports.chart.render('Sales', [{ label: 'a', value: 3 }]);
//
// options: onProgress, fetch, cache, retry (as load()), provide (JS
// implementations of the component's imports, see ComponentSet.provide),
// adapter ('auto' | 'wasm' | 'js'). Resolves to { exports, memory, set };
// link errors (a missing import, an unsupported type) reject with LinkError,
// fetch errors with FetchError.
export async function loadComponent(manifestUrl, options = {}) {
  const { ComponentSet } = await import('./component/index.mjs');
  // The component core (WIT, adapters) loads while the manifest does.
  const componentCore = loadComponentCore();
  componentCore.catch(() => {});  // awaited by link()
  const core = options.core ?? (await loadCore());
  const fetcher = await createModuleFetcher({
    manifest: manifestUrl,
    fetch: options.fetch,
    cache: options.cache ?? true,
    retry: options.retry,
    ...netLimits(options),
    core,
  });
  const main = fetcher.manifest.main;
  if (!main) throw new LinkError(`${fetcher.manifest.url}: the manifest names no main module`);
  const set = new ComponentSet({ core, componentCore: await componentCore, fetcher, adapter: options.adapter ?? 'auto', onProgress: options.onProgress });
  const name = main.replace(/\.wasm$/, '');
  set.add(name, { main });
  if (options.provide) set.provide(options.provide);
  await set.link();
  const instance = set.instance(name);
  return { exports: instance.exports, memory: instance.memory, set };
}
