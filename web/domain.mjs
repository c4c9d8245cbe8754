// An application domain: one memory, one funcref table, one __stack_pointer,
// one libstd instance, and the modules loaded into it. The C++ Linker (in
// the core) decides; this file fetches, compiles, instantiates and runs what
// its plans say.
//
//   const domain = await Domain.create({ core, host, fetcher });
//   const main = await domain.load('main.wasm');            // + NEEDED closure
//   const code = domain.callMain(main, ['arg']);
//   const lib = domain.loadSync('libplugin.wasm', RTLD_NOW); // Node/workers
//
// Loads are written once, as generators yielding the few operations that
// differ between synchronous and asynchronous loading (fetch, compile,
// instantiate); loadSync and load drive the same generator.
import { decodePlan, planModuleIds } from './plan.mjs';
import { bindExports, exportNames, hostFunction, importObject } from './imports.mjs';
import { engineFeatures } from './component/features.mjs';
import { isStandardLibrary } from './standard-library.mjs';
import { makeResolver } from './lazy-resolver.mjs';
import { LinkError, RTLD_GLOBAL, RTLD_NOW } from './link-types.mjs';

export { LinkError, RTLD_GLOBAL, RTLD_LAZY, RTLD_LOCAL, RTLD_NODELETE, RTLD_NOLOAD, RTLD_NOW } from './link-types.mjs';

const PAGE = 65536;

function defaultLazyMode() {
  const isNode = typeof process === 'object' && !!(process.versions && process.versions.node);
  const isWorker = typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined' &&
                   self instanceof WorkerGlobalScope;
  if (isNode || isWorker) return 'sync';
  return typeof WebAssembly.Suspending === 'function' ? 'jspi' : 'none';
}

// The PLT compiles and instantiates synchronously up to this size (small
// modules may be compiled synchronously on a browser's main thread).
const SYNC_COMPILE_LIMIT = 4096;


function now() {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

export class Domain {
  // options: { core, host, fetcher, linker: {stackSize, initialMemory,
  //   initialHeap, maxMemoryPages, memoryGrowth, searchPaths,
  //   implicitNeeded}, onProgress }
  static async create(options) {
    const domain = new Domain(options);
    return domain;
  }

  // lazyMode: how a call into a module not loaded yet loads it:
  //   'jspi'  the resolver suspends (WebAssembly.Suspending); app entries
  //           must be called through WebAssembly.promising (browsers);
  //   'sync'  the resolver loads synchronously (Node, workers);
  //   'none'  the resolver fails, asking for the module to be prefetched.
  // Default: 'sync' under Node and in workers, else 'jspi' if available.
  constructor({ core, host, fetcher, linker = {}, onProgress = null, lazyMode }) {
    this.core = core;
    this.host = host;
    this.fetcher = fetcher;
    this.onProgress = onProgress;
    this.maxMemoryPages = linker.maxMemoryPages ?? 32768;
    // How emscripten_resize_heap grows the memory (Emscripten's
    // MEMORY_GROWTH_* settings, with their defaults): by geometricStep times
    // the current size, at most geometricCap bytes beyond the request, or,
    // with linearStep > 0, by linearStep bytes.
    this.memoryGrowth = { geometricStep: 0.2, geometricCap: 96 * 1024 * 1024, linearStep: -1,
                          ...linker.memoryGrowth };
    // PLT entries tail-call where the engine can (Chromium, Node 20).
    this.linkerArgs = linker;
    this.hostFunctions = host.functions;  // [[module, name, sig, fn, isFactory]]
    // Without a core (a domain started from a start plan, see start()), the
    // linker arrives later, with adopt(core).
    this.linker = core ? this.#makeLinker(core) : null;
    this.lazyIndex = '';          // packed lazy index, kept for adopt()
    this.startState = null;       // a start plan's load, until adopted
    this.ready = Promise.resolve();  // settles once the domain has its linker
    this.memory = null;
    this.table = null;
    this.stackPointer = null;
    this.instances = new Map();  // module id -> WebAssembly.Instance
    this.compiled = new Map();   // module id -> WebAssembly.Module
    this.exportNames = new Map(); // module id -> [export name by index]
    this.info = new Map();       // module id -> moduleInfo + timings
    this.libstd = null;          // libstd's exports, once loaded
    this.stats = { symbolsBound: 0, gotEntries: 0, pltEntries: 0, modules: 0, bytes: 0 };
    this.loading = false;
    this.queue = Promise.resolve();
    this.lazyMode = lazyMode ?? defaultLazyMode();
    this.lazyResolves = 0;  // resolver entries: each is one JS crossing
    this.resolver = this.#makeResolver();
    host.attach(this);
  }

  // The options the core's Linker gets. Asked for when a linker is made:
  // a domain started from a start plan has none until the core arrives
  // (and the feature probe is not on the way to main).
  get linkerOptions() {
    this.linkerOptionsMade ??= { tailCalls: engineFeatures().tailCalls, ...this.linkerArgs };
    return this.linkerOptionsMade;
  }

  #makeLinker(core) {
    const linker = new core.Linker(this.linkerOptions);
    const err = linker.setHostFunctions(this.hostFunctions.map(([m, n, s]) => [m, n, s || '']));
    if (err) throw new LinkError(err);
    return linker;
  }

  // What a call needing the linker reports before adopt() gave it one.
  #notReady(what) {
    if (this.adoptError) return this.adoptError;
    return new LinkError(`lazylink: ${what}: the loader core is still loading (the app started from its ` +
      'start plan); wait for app.ready, or load it with an asynchronous call');
  }

  // Tells the linker which symbols modules not loaded yet define (the
  // manifest's index): calls to them bind lazily. entries: [symbol, module, sig].
  setLazyIndex(entries) {
    const packed = entries.map(([sym, mod, sig]) => `${sym}\t${mod}\t${sig}`).join('\n');
    this.lazyIndex = packed;
    if (!this.linker) return;
    const err = this.linker.setLazyIndex(packed);
    if (err) throw new LinkError(err);
  }

  #makeResolver() {
    return makeResolver(this, (what) => this.#notReady(what));
  }

  progress(event) {
    if (this.onProgress) {
      try { this.onProgress(event); } catch (e) { console.error(e); }
    }
  }

  // --- loading -------------------------------------------------------------

  // Asynchronous loads run one after another.
  load(name, flags = RTLD_NOW | RTLD_GLOBAL, requester = '') {
    const run = () => {
      if (!this.linker) throw this.#notReady(`load ${name}`);
      return this.#drive(this.#loadSteps(name, flags, requester), false);
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => {});
    return result;
  }

  loadSync(name, flags = RTLD_NOW | RTLD_GLOBAL, requester = '') {
    if (!this.linker) throw this.#notReady(`load ${name}`);
    return this.#drive(this.#loadSteps(name, flags, requester), true);
  }

  // Runs a load generator; each yielded op has sync() and async() forms.
  #drive(gen, sync) {
    if (sync) {
      let r = gen.next();
      while (!r.done) {
        let value;
        try {
          value = r.value.sync();
        } catch (e) {
          r = gen.throw(e);
          continue;
        }
        r = gen.next(value);
      }
      return r.value;
    }
    return (async () => {
      let r = gen.next();
      while (!r.done) {
        let value;
        try {
          value = await r.value.async();
        } catch (e) {
          r = gen.throw(e);
          continue;
        }
        r = gen.next(value);
      }
      return r.value;
    })();
  }

  *#loadSteps(name, flags, requester) {
    if (this.loading) throw new LinkError(`cannot load ${name} while another load is in progress`);
    this.loading = true;
    const linker = this.linker;
    let committed = false;
    try {
      const { plan, pltBytes, byId, planMs } = yield* this.#planSteps(name, flags, requester, linker);
      return yield* this.#applySteps(plan, pltBytes, byId, planMs, () => {
        const root = linker.commit();
        committed = true;
        return root;
      });
    } catch (e) {
      if (!committed) linker.abort();
      // exit()/abort() from a constructor ends the program: not a link error.
      if (e instanceof LinkError || (this.host.isExit && this.host.isExit(e))) throw e;
      throw new LinkError(e && e.message ? e.message : String(e), { cause: e });
    } finally {
      this.loading = false;
    }
  }

  // Steps 1 and 2 of a load: the NEEDED closure fetched, compiling, parsed
  // by the core; then the plan. byId: module id -> { info, entry }.
  *#planSteps(name, flags, requester, linker) {
    const compiled = new Map();  // name -> { module | promise, bytes, location, timings }
    const begin = linker.beginLoad(name, flags, requester);
    if (begin) throw new LinkError(begin);

    // 1. The NEEDED closure: fetch every pending module (in parallel when
    //    asynchronous), start compiling it, and let the core parse it
    //    while the engine compiles.
    for (let pending = linker.pending(); pending.length; pending = linker.pending()) {
      const fetched = yield this.#fetchAll(pending);
      for (const f of fetched) {
        if (f.error) {
          linker.provideError(f.name, f.error);
          continue;
        }
        const t0 = now();
        const err = linker.provide(f.name, f.location, f.bytes);
        f.timings.parse = now() - t0;
        if (!err) compiled.set(f.name, f);
      }
    }

    // 2. The plan: everything decided in C++, all errors at once.
    const t0 = now();
    const result = linker.makePlan();
    if (!result.ok) throw new LinkError(result.error);
    const codes = result.codes.slice();
    const plan = decodePlan(codes);
    const pltBytes = result.plt.slice();
    const planMs = now() - t0;
    const byId = new Map();
    for (const mod of plan.modules) {
      const info = linker.moduleInfo(mod.id);
      const entry = compiled.get(info.name);
      if (!entry) throw new LinkError(`${info.name}: no bytes for a planned module`);
      byId.set(mod.id, { info, entry });
    }
    return { plan, codes, pltBytes, byId, planMs };
  }

  // Steps 3 to 6: address space, PLT and memory regions (while the engine
  // still compiles the modules), then the compiled modules, instances,
  // table fills, relocations, commit(), constructors. Returns the root's id.
  //   pltCompiling: the PLT's compilation if the caller started it already
  //   importNames: each module's import names by id (a start plan's), so
  //     that import objects are built before the modules are compiled
  *#applySteps(plan, pltBytes, byId, planMs, commit, pltCompiling = null, importNames = null) {
    // 3. What does not need the compiled modules, done while the engine
    //    compiles them (it started at fetch time): memory, table and stack
    //    for the domain's first load, each module's memory region and GOT,
    //    the import objects (a start plan's), then the PLT.
    if (plan.first) this.#createAddressSpace(plan);
    this.#ensureTable(plan.tableSize);
    this.#ensureMemory(plan.memorySize);

    for (const f of plan.liveFills) this.#fillSlot(f.slot, f.module, f.exportIndex);

    for (const mod of plan.modules) {
      if (mod.zeroMemory && mod.memorySize) {
        new Uint8Array(this.memory.buffer, mod.memoryBase, mod.memorySize).fill(0);
      }
      // Its GOT in memory (lazylink.got): one copy, no import per entry.
      if (mod.got.length) new Int32Array(this.memory.buffer, mod.memoryBase + mod.gotOffset, mod.got.length).set(mod.got);
    }
    // Import objects, when the names are known already: everything but
    // other modules' exports, which are looked up just before instantiation.
    if (importNames) {
      for (const mod of plan.modules) {
        const names = importNames[mod.id];
        if (!Array.isArray(names)) continue;
        const descs = names.map((n) => {
          const tab = n.indexOf('\t');
          return { module: n.slice(0, tab), name: n.slice(tab + 1) };
        });
        const v = byId.get(mod.id);
        v.imports = this.#importObject(mod, descs, v.info, v.entry.bytes);
      }
    }

    let plt = null;
    if (pltBytes.length) {
      // A small PLT (the usual one) compiles and instantiates at once,
      // rather than queueing behind the modules' compilation. A start
      // plan's was started with the modules: it is waited for last, as its
      // compilation tends to finish with theirs.
      const small = pltBytes.length <= SYNC_COMPILE_LIMIT;
      let pltModule;
      if (pltCompiling) pltModule = yield { async: () => pltCompiling };
      else pltModule = small ? new WebAssembly.Module(pltBytes) : yield this.#compileOp(pltBytes);
      const h = {};
      plan.pltHostImports.forEach((hostIndex, k) => { h[k] = this.#hostFunction(hostIndex, null); });
      const pltImports = { env: { __indirect_function_table: this.table }, h, lazylink: { resolve: this.resolver } };
      plt = small ? new WebAssembly.Instance(pltModule, pltImports) : yield this.#instantiateOp(pltModule, pltImports);
      for (const f of plan.pltFills) {
        this.table.set(f.slot, plt.exports[`${f.resolver ? 'r' : 't'}${f.exportIndex}`]);
      }
    }

    // 4. The compiled modules.
    const modules = yield this.#compileAll([...byId.values()].map((v) => v.entry));
    for (const [i, mod] of plan.modules.entries()) byId.get(mod.id).module = modules[i];

    // 5. Every module in dependency order.
    const created = [];
    try {
      for (const mod of plan.modules) {
        const { info, entry, module, imports: early } = byId.get(mod.id);
        this.compiled.set(mod.id, module);
        const imports = early ?? this.#importObject(mod, WebAssembly.Module.imports(module), info, entry.bytes);
        this.#bindExports(imports, plt);
        const ti = now();
        this.progress({ module: info.name, phase: 'link', loaded: entry.bytes.length, total: entry.bytes.length });
        const instance = yield this.#instantiateOp(module, imports);
        entry.timings.instantiate = now() - ti;
        this.instances.set(mod.id, instance);
        created.push(mod.id);
        for (const f of mod.fills) this.#fillSlot(f.slot, mod.id, f.exportIndex);
        if (mod.applyDataRelocs >= 0) instance.exports.__wasm_apply_data_relocs();
        if (isStandardLibrary(info.name)) this.#adoptLibstd(instance);
      }
    } catch (e) {
      for (const id of created) this.#forget(id);
      throw e;
    }

    // 6. Commit, then constructors, dependencies first.
    const root = commit();
    this.stats.symbolsBound += plan.symbolsBound;
    this.stats.gotEntries += plan.gotEntries;
    this.stats.pltEntries += plan.pltEntries;
    this.stats.lazyEntries = (this.stats.lazyEntries ?? 0) + plan.lazyEntries;
    for (const mod of plan.modules) {
      const { info, entry } = byId.get(mod.id);
      this.stats.modules++;
      this.stats.bytes += entry.bytes.length;
      this.info.set(mod.id, { ...info, timings: { ...entry.timings, plan: planMs } });
    }
    for (const mod of plan.modules) {
      const { info, entry } = byId.get(mod.id);
      if (mod.callCtors >= 0) {
        const tc = now();
        this.progress({ module: info.name, phase: 'init', loaded: entry.bytes.length, total: entry.bytes.length });
        const ctors = this.instances.get(mod.id).exports.__wasm_call_ctors;
        try {
          ctors();
        } catch (e) {
          if (this.host.isExit && this.host.isExit(e)) throw e;
          // Nothing half-loaded: a later load (dlopen, lazy binding) takes
          // back what it committed, so a retry starts clean.
          if (!plan.first) {
            this.loading = false;
            this.unload(root);
          }
          throw new LinkError(`${info.name}: a constructor failed: ${e && e.message || e}`, { cause: e });
        }
        this.info.get(mod.id).timings.init = now() - tc;
      }
      this.progress({ module: info.name, phase: 'done', loaded: entry.bytes.length, total: entry.bytes.length });
    }
    if (plan.first && this.libstd && this.linker) this.#useAppHeap();
    return root;
  }

  // --- start plans ---------------------------------------------------------
  //
  // A start plan (web/start-plan.mjs; made by `lazylink pack`) is the plan
  // of the app's first load, made at pack time by this same code. start()
  // carries it out without the core: main can run while the core loads.
  // adopt(core) then replays the load in the core, checks the core decides
  // exactly what the start plan said, and commits it; from then on the
  // domain is as if load(main) had run.

  // Pack time: the first load's plan for `name`, committed in this
  // (throwaway) domain's linker, nothing instantiated.
  makeStartPlan(name, flags = RTLD_NOW | RTLD_GLOBAL) {
    const self = this;
    function* steps() {
      if (self.loading) throw new LinkError(`cannot plan ${name} while a load is in progress`);
      self.loading = true;
      const linker = self.linker;
      let committed = false;
      try {
        const { plan, codes, pltBytes, byId } = yield* self.#planSteps(name, flags, '', linker);
        if (!plan.first) throw new LinkError('a start plan is made in a fresh domain');
        const root = linker.commit();
        committed = true;
        const lazySlots = {};
        for (const f of plan.pltFills) {
          const t = f.resolver ? linker.lazyTarget(f.slot) : null;
          if (t) lazySlots[f.slot] = t.module;
        }
        const modules = [];
        for (const id of byId.keys()) modules[id] = byId.get(id).info.name;
        // Each module's import names ("module\tname", in order), so that a
        // start can build import objects while the engine still compiles.
        const compiled = yield self.#compileAll([...byId.values()].map((v) => v.entry));
        const imports = [];
        [...byId.keys()].forEach((id, i) => {
          imports[id] = WebAssembly.Module.imports(compiled[i]).map((d) => `${d.module}\t${d.name}`);
        });
        return { root, flags, codes, plt: pltBytes, modules, imports, lazySlots };
      } finally {
        if (!committed) linker.abort();
        self.loading = false;
      }
    }
    return this.#drive(steps(), false);
  }

  // Runs a start plan (decoded by web/start-plan.mjs: { root, flags,
  // codes, plt, modules: [name by id], imports: [["module\tname", ...] by
  // id] (optional), lazySlots }) in this fresh,
  // core-less domain. Resolves to the root's id once its constructors ran.
  // onFetched(): called once every module's bytes are in (a good moment
  // to start loading the core).
  start(startPlan, { onFetched } = {}) {
    if (this.linker || this.startState || this.memory) {
      return Promise.reject(new LinkError('lazylink: a start plan runs in a fresh domain without a core'));
    }
    let settle;
    this.ready = new Promise((resolve, reject) => { settle = { resolve, reject }; });
    this.ready.catch(() => {});
    this.startState = { ...startPlan, settle, entries: null };
    // Loads queue behind adoption.
    this.queue = this.ready.catch(() => {});
    const self = this;
    function* steps() {
      self.loading = true;
      try {
        // Fetching (and so compiling) comes first, in the plan's order: the
        // engine compiles while the rest of the plan is decoded and carried
        // out up to the instantiations.
        // The PLT is known already: it is compiled like the modules, and
        // started first (measured a little sooner than compiling it at once
        // later, while the engine is busy with the modules).
        const pltCompiling = startPlan.plt.length ? WebAssembly.compile(startPlan.plt) : null;
        pltCompiling?.catch(() => {});
        const ids = planModuleIds(startPlan.codes);
        const requests = ids.map((id) => {
          const name = startPlan.modules[id];
          if (!name) throw new LinkError(`lazylink: the start plan names no module #${id}`);
          return { name, requestedBy: '', candidates: [] };
        });
        const fetched = yield self.#fetchAll(requests);
        const plan = decodePlan(startPlan.codes.slice());
        if (!plan.first) throw new LinkError('lazylink: the start plan is not a first load');
        if (plan.modules.length !== ids.length || plan.modules.some((mod, i) => mod.id !== ids[i])) {
          throw new LinkError('lazylink: the start plan is malformed (its module list does not decode)');
        }
        onFetched?.();
        const byId = new Map();
        plan.modules.forEach((mod, i) => {
          const f = fetched[i];
          if (f.error) throw new LinkError(f.error, { module: f.name });
          const info = { id: mod.id, name: f.name, location: f.location, memoryBase: mod.memoryBase,
            memorySize: mod.memorySize, tableBase: mod.tableBase, tableSize: mod.tableSize, bytes: f.bytes.length };
          byId.set(mod.id, { info, entry: f });
        });
        self.startState.entries = byId;
        return yield* self.#applySteps(plan, startPlan.plt, byId, 0, () => startPlan.root, pltCompiling,
                                       startPlan.imports ?? null);
      } catch (e) {
        const err = e instanceof LinkError || (self.host.isExit && self.host.isExit(e)) ? e
          : new LinkError(e && e.message ? e.message : String(e), { cause: e });
        self.adoptError = err;
        settle.reject(err);
        throw err;
      } finally {
        self.loading = false;
      }
    }
    return this.#drive(steps(), false);
  }

  // The core of a domain started from a start plan could not be loaded
  // (e.g. lazylink_core.* missing beside the page's bundle): what waits for
  // `ready` (a lazy call, dlopen, a load) fails with this error instead of
  // waiting for ever. Throws it.
  coreUnavailable(e) {
    const err = new LinkError(`lazylink: the loader core failed to load: ${e && e.message ? e.message : e}`, { cause: e });
    this.adoptError ??= err;
    this.startState?.settle.reject(err);
    throw err;
  }

  // Gives a domain started from a start plan its core: the core replays
  // the first load from the same bytes and must arrive at the same plan,
  // word for word; then it commits it. Resolves when done (also `ready`);
  // on a mismatch rejects, and every later load fails with that error.
  adopt(core) {
    const st = this.startState;
    if (!st || this.linker) return Promise.reject(new LinkError('lazylink: adopt() is for a domain started from a start plan'));
    const run = () => {
      if (!st.entries) throw this.adoptError ?? new LinkError('lazylink: the start plan did not run');
      const linker = this.#makeLinker(core);
      let committed = false;
      try {
        if (this.lazyIndex) {
          const err = linker.setLazyIndex(this.lazyIndex);
          if (err) throw new LinkError(err);
        }
        const byName = new Map([...st.entries.values()].map(({ entry }) => [entry.name, entry]));
        const begin = linker.beginLoad(st.modules[st.root], st.flags, '');
        if (begin) throw new LinkError(begin);
        for (let pending = linker.pending(); pending.length; pending = linker.pending()) {
          for (const req of pending) {
            const f = byName.get(req.name);
            if (!f) throw new LinkError(`the core needs ${req.name}, which the start plan does not load`);
            const err = linker.provide(f.name, f.location, f.bytes);
            if (err) throw new LinkError(err);
          }
        }
        const result = linker.makePlan();
        if (!result.ok) throw new LinkError(result.error);
        const same = (x, y) => x.length === y.length && x.every((v, i) => v === y[i]);
        if (!same(result.codes, st.codes) || !same(result.plt, st.plt)) {
          throw new LinkError('the start plan in the manifest is not what this loader decides for these modules ' +
            '(pack the app again with this version of lazylink)');
        }
        // The import names it carried (used before the modules were
        // compiled) are the modules' own.
        if (st.imports) {
          for (const id of st.entries.keys()) {
            const names = st.imports[id];
            if (!Array.isArray(names)) continue;
            const actual = WebAssembly.Module.imports(this.compiled.get(id)).map((d) => `${d.module}\t${d.name}`);
            if (!same(names, actual)) {
              throw new LinkError(`the start plan lists other imports for ${st.modules[id]} than the module has ` +
                '(pack the app again with this version of lazylink)');
            }
          }
        }
        const root = linker.commit();
        committed = true;
        if (root !== st.root) throw new LinkError(`the start plan's root is #${st.root}, the core's #${root}`);
        this.linker = linker;
        for (const [id, old] of this.info) {
          const info = linker.moduleInfo(id);
          if (info) this.info.set(id, { ...info, timings: old.timings });
        }
        if (this.libstd) this.#useAppHeap();
        this.startState = null;
        st.settle.resolve();
      } catch (e) {
        if (!committed) linker.abort();
        const err = new LinkError(`lazylink: adopting the start plan: ${e.message}`, { cause: e });
        this.adoptError = err;
        st.settle.reject(err);
        throw err;
      }
    };
    return Promise.resolve().then(run);
  }

  #fetchAll(pending) {
    const fetcher = this.fetcher;
    const one = (req, sync) => {
      // The fetcher reports 'fetch' (as bytes arrive) and 'compile' progress;
      // the domain adds 'link', 'init' and 'done'.
      const timings = {};
      const t0 = now();
      const done = (r) => {
        timings.fetch = now() - t0;
        if (r.error) return { name: req.name, error: r.error, timings };
        const tc = now();
        const entry = { name: req.name, location: r.location, bytes: r.bytes, timings };
        // Start compiling now (unless the fetcher already did, streaming);
        // the core parses meanwhile.
        if (r.compiled) {
          if (sync) {
            entry.module = r.compiled;
          } else {
            entry.promise = Promise.resolve(r.compiled).then(
              (m) => { timings.compile = now() - tc; entry.module = m; return m; },
              (e) => { entry.compileError = e; return null; });
          }
        } else if (sync) {
          try {
            entry.module = new WebAssembly.Module(r.bytes);
          } catch (e) {
            entry.compileError = e;
          }
          timings.compile = now() - tc;
        } else {
          entry.promise = WebAssembly.compile(r.bytes).then(
            (m) => { timings.compile = now() - tc; entry.module = m; return m; },
            (e) => { entry.compileError = e; return null; });
        }
        return entry;
      };
      if (sync) return done(fetcher.fetchSync(req, (ev) => this.progress(ev)));
      return fetcher.fetch(req, (ev) => this.progress(ev)).then(done, (e) => done({ error: String(e && e.message || e) }));
    };
    return {
      sync: () => pending.map((req) => one(req, true)),
      async: () => Promise.all(pending.map((req) => one(req, false))),
    };
  }

  #compileAll(entries) {
    const check = (entry) => {
      if (entry.compileError) {
        throw new LinkError(`${entry.name}: the engine rejected the module: ${entry.compileError.message}`);
      }
      return entry.module;
    };
    return {
      sync: () => entries.map(check),
      async: async () => {
        await Promise.all(entries.map((e) => e.promise));
        return entries.map(check);
      },
    };
  }

  #compileOp(bytes) {
    return { sync: () => new WebAssembly.Module(bytes), async: () => WebAssembly.compile(bytes) };
  }

  #instantiateOp(module, imports) {
    return {
      sync: () => new WebAssembly.Instance(module, imports),
      async: () => WebAssembly.instantiate(module, imports),
    };
  }

  // --- address space -------------------------------------------------------

  #createAddressSpace(plan) {
    // A start plan was made with the packer's initial memory size; the
    // app's own initialMemory option still applies.
    const pages = Math.ceil(Math.max(plan.memorySize, this.linkerArgs.initialMemory ?? 0) / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: Math.max(pages, this.maxMemoryPages) });
    this.table = new WebAssembly.Table({ element: 'anyfunc', initial: Math.max(plan.tableSize, 1) });
    this.stackPointer = new WebAssembly.Global({ value: 'i32', mutable: true }, plan.stackHigh);
    this.stackLow = plan.stackLow;
    this.stackHigh = plan.stackHigh;
    this.heapBase = plan.heapBase;
  }

  #ensureTable(size) {
    if (this.table.length < size) this.table.grow(size - this.table.length);
  }

  #ensureMemory(bytes) {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  #useAppHeap() {
    const { memalign, free } = this.libstd;
    if (!memalign || !free) return;
    this.linker.setHeap({
      allocate: (size, align) => memalign(Math.max(align, 4), size) >>> 0,
      free: (addr) => free(addr),
    });
  }

  #adoptLibstd(instance) {
    this.libstd = instance.exports;
    this.host.onLibstd?.(instance.exports);
  }

  // --- imports ---------------------------------------------------------------

  #hostFunction(index, importName) {
    return hostFunction(this.hostFunctions, index, importName);
  }

  // A planned module's import object (web/imports.mjs), from its import
  // descriptors; bindExports completes it just before instantiation.
  #importObject(mod, descs, info, bytes) {
    return importObject(mod, descs, info, this, bytes);
  }

  #bindExports(imports, plt) {
    bindExports(imports, plt, (provider, key) =>
      this.instances.get(provider).exports[typeof key === 'number' ? this.#exportName(provider, key) : key]);
  }

  #fillSlot(slot, moduleId, exportIndex) {
    this.table.set(slot, this.instances.get(moduleId).exports[this.#exportName(moduleId, exportIndex)]);
  }

  // Export `index`'s name, listing a module's export names the first time
  // one is asked for (libstd has thousands; most loads never need them).
  #exportName(moduleId, index) {
    let names = this.exportNames.get(moduleId);
    if (!names) {
      names = exportNames(this.instances.get(moduleId), this.compiled.get(moduleId));
      this.exportNames.set(moduleId, names);
    }
    return names[index];
  }

  #forget(id) {
    this.instances.delete(id);
    this.compiled.delete(id);
    this.exportNames.delete(id);
    this.info.delete(id);
  }

  // --- running and symbols ---------------------------------------------------

  exportsOf(id) {
    return this.instances.get(id)?.exports;
  }

  // The id of a loaded module by name, or -1 (also before adopt()).
  findLoaded(name) {
    if (this.linker) return this.linker.findLoaded(name);
    for (const [id, info] of this.info) if (info.name === name) return id;
    return -1;
  }

  // One past the highest table slot in use (before adopt(): the table's
  // length, which the start plan sized).
  tableHighWater() {
    return this.linker ? this.linker.tableHighWater() : (this.table?.length ?? 0);
  }

  moduleName(id) {
    return this.info.get(id)?.name;
  }

  // dlsym: a data address, or a function's canonical table slot.
  lookup(handle, name) {
    if (!this.linker) return { ok: false, error: this.#notReady(`dlsym ${name}`).message };
    const r = this.linker.lookup(handle >>> 0, name);
    if (!r.ok) return r;
    if (r.fillSlot !== undefined) {
      this.#ensureTable(r.fillSlot + 1);
      this.#fillSlot(r.fillSlot, r.fillModule, r.fillExport);
    }
    return r;
  }

  // dlclose.
  unload(handle) {
    if (!this.linker) return { ok: false, error: this.#notReady('dlclose').message };
    const r = this.linker.unload(handle >>> 0);
    if (!r.ok) return r;
    for (const slot of r.freedSlots) if (slot < this.table.length) this.table.set(slot, null);
    for (const id of r.unloaded) this.#forget(id);
    return r;
  }

  modules() {
    return [...this.info.values()];
  }
}
