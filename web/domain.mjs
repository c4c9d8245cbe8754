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
import { Binding, decodePlan } from './plan.mjs';
import { engineFeatures } from './component/features.mjs';

export const RTLD_LAZY = 1;
export const RTLD_NOW = 2;
export const RTLD_NOLOAD = 4;
export const RTLD_GLOBAL = 256;
export const RTLD_LOCAL = 0;
export const RTLD_NODELETE = 4096;

const PAGE = 65536;

// A link, fetch or instantiation failure. `message` names the module (and
// symbol or byte offset) as the core reported it.
export class LinkError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'LinkError';
    Object.assign(this, details);
  }
}

function defaultLazyMode() {
  const isNode = typeof process === 'object' && !!(process.versions && process.versions.node);
  const isWorker = typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined' &&
                   self instanceof WorkerGlobalScope;
  if (isNode || isWorker) return 'sync';
  return typeof WebAssembly.Suspending === 'function' ? 'jspi' : 'none';
}

function now() {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

export class Domain {
  // options: { core, host, fetcher, linker: {stackSize, initialHeap,
  //   maxMemoryPages, searchPaths, implicitNeeded}, onProgress }
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
    // PLT entries tail-call where the engine can (Chromium, Node 20).
    this.linker = new core.Linker({ tailCalls: engineFeatures().tailCalls, ...linker });
    this.memory = null;
    this.table = null;
    this.stackPointer = null;
    this.instances = new Map();  // module id -> WebAssembly.Instance
    this.compiled = new Map();   // module id -> WebAssembly.Module
    this.exportNames = new Map(); // module id -> [export name by index]
    this.info = new Map();       // module id -> moduleInfo + timings
    this.libstd = null;          // libstd's exports, once loaded
    this.stats = { symbolsBound: 0, gotEntries: 0, pltEntries: 0, modules: 0, bytes: 0 };
    this.hostFunctions = host.functions;  // [[module, name, sig, fn, isFactory]]
    const err = this.linker.setHostFunctions(this.hostFunctions.map(([m, n, s]) => [m, n, s || '']));
    if (err) throw new LinkError(err);
    this.loading = false;
    this.queue = Promise.resolve();
    this.lazyMode = lazyMode ?? defaultLazyMode();
    this.lazyResolves = 0;  // resolver entries: each is one JS crossing
    this.resolver = this.#makeResolver();
    host.attach(this);
  }

  // Tells the linker which symbols modules not loaded yet define (the
  // manifest's index): calls to them bind lazily. entries: [symbol, module, sig].
  setLazyIndex(entries) {
    const packed = entries.map(([sym, mod, sig]) => `${sym}\t${mod}\t${sig}`).join('\n');
    const err = this.linker.setLazyIndex(packed);
    if (err) throw new LinkError(err);
  }

  #makeResolver() {
    const describe = (slot) => {
      const target = this.linker.lazyTarget(slot);
      if (!target) throw new LinkError(`lazylink: table slot ${slot} is not lazily bound`);
      return target;
    };
    const check = (slot, target) => {
      if (this.linker.lazyTarget(slot)) {
        throw new LinkError(`lazylink: ${target.module} was loaded but does not define ${target.symbol}`,
                            { module: target.module, symbol: target.symbol });
      }
    };
    const wrap = (target, e) => new LinkError(
      `lazylink: calling ${target.symbol} needs ${target.module}, which failed to load: ${e.message}`,
      { module: target.module, symbol: target.symbol, cause: e });
    if (this.lazyMode === 'jspi') {
      return new WebAssembly.Suspending(async (slot) => {
        const target = describe(slot);
        this.lazyResolves++;
        try {
          await this.load(target.module, RTLD_NOW | RTLD_GLOBAL);
        } catch (e) {
          throw wrap(target, e);
        }
        check(slot, target);
      });
    }
    return (slot) => {
      const target = describe(slot);
      this.lazyResolves++;
      if (this.lazyMode === 'none') {
        throw new LinkError(`lazylink: calling ${target.symbol} needs ${target.module}, which is not loaded; ` +
          'this thread cannot load it synchronously: prefetch it first (app.prefetch / lazylink_prefetch) or use JSPI',
          { module: target.module, symbol: target.symbol });
      }
      try {
        this.loadSync(target.module, RTLD_NOW | RTLD_GLOBAL);
      } catch (e) {
        throw wrap(target, e);
      }
      check(slot, target);
    };
  }

  progress(event) {
    if (this.onProgress) {
      try { this.onProgress(event); } catch (e) { console.error(e); }
    }
  }

  // --- loading -------------------------------------------------------------

  // Asynchronous loads run one after another.
  load(name, flags = RTLD_NOW | RTLD_GLOBAL, requester = '') {
    const run = () => this.#drive(this.#loadSteps(name, flags, requester), false);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => {});
    return result;
  }

  loadSync(name, flags = RTLD_NOW | RTLD_GLOBAL, requester = '') {
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
    const compiled = new Map();  // name -> { module | promise, bytes, location, timings }
    let committed = false;
    try {
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
      const plan = decodePlan(result.codes.slice());
      const pltBytes = result.plt.slice();
      const planMs = now() - t0;

      // 3. Compiled modules (compilation started at fetch time).
      const byId = new Map();
      for (const mod of plan.modules) {
        const info = linker.moduleInfo(mod.id);
        const entry = compiled.get(info.name);
        if (!entry) throw new LinkError(`${info.name}: no bytes for a planned module`);
        byId.set(mod.id, { info, entry });
      }
      const modules = yield this.#compileAll([...byId.values()].map((v) => v.entry));
      for (const [i, mod] of plan.modules.entries()) byId.get(mod.id).module = modules[i];

      // 4. Memory, table and stack for the domain's first load.
      if (plan.first) this.#createAddressSpace(plan);
      this.#ensureTable(plan.tableSize);
      this.#ensureMemory(plan.memorySize);

      // 5. The PLT, then every module in dependency order.
      let plt = null;
      if (pltBytes.length) {
        const pltModule = yield this.#compileOp(pltBytes);
        const h = {};
        plan.pltHostImports.forEach((hostIndex, k) => { h[k] = this.#hostFunction(hostIndex, null); });
        plt = yield this.#instantiateOp(pltModule, {
          env: { __indirect_function_table: this.table }, h, lazylink: { resolve: this.resolver } });
        for (const f of plan.pltFills) {
          this.table.set(f.slot, plt.exports[`${f.resolver ? 'r' : 't'}${f.exportIndex}`]);
        }
      }
      for (const f of plan.liveFills) this.#fillSlot(f.slot, f.module, f.exportIndex);

      const created = [];
      try {
        for (const mod of plan.modules) {
          const { info, entry, module } = byId.get(mod.id);
          this.compiled.set(mod.id, module);
          this.exportNames.set(mod.id, WebAssembly.Module.exports(module).map((e) => e.name));
          if (mod.zeroMemory && mod.memorySize) {
            new Uint8Array(this.memory.buffer, mod.memoryBase, mod.memorySize).fill(0);
          }
          const imports = this.#importObject(mod, module, info, plt);
          const ti = now();
          this.progress({ module: info.name, phase: 'link', loaded: entry.bytes.length, total: entry.bytes.length });
          const instance = yield this.#instantiateOp(module, imports);
          entry.timings.instantiate = now() - ti;
          this.instances.set(mod.id, instance);
          created.push(mod.id);
          for (const f of mod.fills) this.table.set(f.slot, instance.exports[this.exportNames.get(mod.id)[f.exportIndex]]);
          if (mod.applyDataRelocs >= 0) instance.exports[this.exportNames.get(mod.id)[mod.applyDataRelocs]]();
          if (info.name === 'libstd.wasm' || info.name === 'libstd-eh.wasm') this.#adoptLibstd(instance);
        }
      } catch (e) {
        for (const id of created) this.#forget(id);
        throw e;
      }

      // 6. Commit, then constructors, dependencies first.
      const root = linker.commit();
      committed = true;
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
          const ctors = this.instances.get(mod.id).exports[this.exportNames.get(mod.id)[mod.callCtors]];
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
      if (plan.first && this.libstd) this.#useAppHeap();
      return root;
    } catch (e) {
      if (!committed) linker.abort();
      // exit()/abort() from a constructor ends the program: not a link error.
      if (e instanceof LinkError || (this.host.isExit && this.host.isExit(e))) throw e;
      throw new LinkError(e && e.message ? e.message : String(e), { cause: e });
    } finally {
      this.loading = false;
    }
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
    const pages = Math.ceil(plan.memorySize / PAGE);
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
    const entry = this.hostFunctions[index];
    if (!entry) throw new LinkError(`host function #${index} does not exist`);
    const [, name, , fn, isFactory] = entry;
    if (isFactory) return fn(importName ?? name);
    return fn;
  }

  #importObject(mod, module, info, plt) {
    const descs = WebAssembly.Module.imports(module);
    const b = mod.bindings;
    if (descs.length * 3 !== b.length) {
      throw new LinkError(`${info.name}: the engine lists ${descs.length} imports, the plan ${b.length / 3}`);
    }
    const out = {};
    let memoryBase = null;
    let tableBase = null;
    for (let i = 0; i < descs.length; i++) {
      const { module: ns, name } = descs[i];
      const kind = b[3 * i];
      const a = b[3 * i + 1] >>> 0;
      const c = b[3 * i + 2] >>> 0;
      let value;
      switch (kind) {
        case Binding.Memory: value = this.memory; break;
        case Binding.Table: value = this.table; break;
        case Binding.StackPointer: value = this.stackPointer; break;
        case Binding.MemoryBase:
          value = memoryBase ??= new WebAssembly.Global({ value: 'i32', mutable: false }, mod.memoryBase);
          break;
        case Binding.TableBase:
          value = tableBase ??= new WebAssembly.Global({ value: 'i32', mutable: false }, mod.tableBase);
          break;
        case Binding.Value:
          value = new WebAssembly.Global({ value: 'i32', mutable: c === 1 }, a | 0);
          break;
        case Binding.ModuleFunc:
        case Binding.ModuleGlobal:
          value = this.instances.get(a).exports[this.exportNames.get(a)[c]];
          break;
        case Binding.HostFunc: value = this.#hostFunction(a, name); break;
        case Binding.PltFunc: value = plt.exports[`t${a}`]; break;
        case Binding.MissingWeak:
          value = () => { throw new Error(`lazylink: ${info.name} called ${name}, a weak symbol no module defines`); };
          break;
        default:
          throw new LinkError(`${info.name}: unknown binding ${kind} for ${ns}.${name}`);
      }
      (out[ns] ??= {})[name] = value;
    }
    return out;
  }

  #fillSlot(slot, moduleId, exportIndex) {
    const inst = this.instances.get(moduleId);
    this.table.set(slot, inst.exports[this.exportNames.get(moduleId)[exportIndex]]);
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

  moduleName(id) {
    return this.info.get(id)?.name;
  }

  // dlsym: a data address, or a function's canonical table slot.
  lookup(handle, name) {
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
