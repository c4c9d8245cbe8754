// Components: groups of modules that share nothing, joined by typed
// boundaries (docs/components.md). Each component is its own application
// domain (memory, table, stack, libstd); the C++ core links their worlds
// (read from each root module's `lazylink.wit` section), checks every import
// against the export that satisfies it, and generates the adapters.
//
//   const set = new ComponentSet({ core, fetcher });
//   set.add('app', { main: 'host.wasm' });        // the application first
//   (`core` and `componentCore` are loaded by link() when not given)
//   set.add('plugin', { main: 'plugin.wasm' });
//   set.provide({ 'demo:plugins/console': { print: (s) => console.log(s) } });
//   await set.link();                               // or set.linkSync() (Node, workers)
//   const { exports } = set.instance('plugin');
//   exports['plugin-api'].echo('hi');               // JS values in and out
//
// Adapters: generated wasm (both memories imported, memory.copy) where the
// engine has multi-memory, else JS (web/cabi). `adapter: 'wasm' | 'js' | 'auto'`.
import { loadComponentCore, loadCore } from '../core.mjs';
import { Domain, LinkError, RTLD_GLOBAL, RTLD_NOW } from '../domain.mjs';
import { createHost } from '../../runtime/host/index.mjs';
import { TypeTable, createContext, flattenFuncType } from '../cabi/index.mjs';
import { engineFeatures } from './features.mjs';
import { createJsAdapter } from './js_adapter.mjs';
import { compileSync, instantiateWasmAdapter } from './wasm_adapter.mjs';
import { ComponentError, exportFunction, importFunction } from './values.mjs';

export { ComponentError } from './values.mjs';
export { engineFeatures } from './features.mjs';
export { LinkError } from '../domain.mjs';

const SIG = { i32: 'i', i64: 'j', f32: 'f', f64: 'd' };

/** Emscripten-style signature ("vii") of a function type's lowered core signature. */
export function loweredSignature(func) {
  const core = flattenFuncType(func, 'i32', 'lower');
  return (core.results.length ? SIG[core.results[0]] : 'v') + core.params.map((t) => SIG[t]).join('');
}

function camel(name) {
  return name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

function unversioned(iface) {
  return iface.replace(/@[^#]*$/, '');
}

function shortName(iface) {
  const slash = iface.lastIndexOf('/');
  return unversioned(slash >= 0 ? iface.slice(slash + 1) : iface);
}

// Reuses the bytes fetched to read a component's world when its domain loads.
function cachingFetcher(fetcher, cache) {
  return {
    fetch: (req, onProgress) => (cache.has(req.name) ? Promise.resolve(cache.get(req.name)) : fetcher.fetch(req, onProgress)),
    fetchSync: (req, onProgress) => (cache.has(req.name) ? cache.get(req.name) : fetcher.fetchSync(req, onProgress)),
  };
}

function joinPath(dir, name) {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

export class ComponentSet {
  // options: { core, fetcher, adapter: 'auto' | 'wasm' | 'js', searchPaths,
  //            hostOptions, linker (Domain linker options), simd,
  //            makeJsAdapter (replaces the JS adapter: benchmarks compare glue),
  //            elideIdentity (default true: bind an import whose adapter would
  //            do nothing straight to the export),
  //            onProgress (module load events: fetch, compile, link, init, done) }
  constructor({ core = null, componentCore = null, fetcher, adapter = 'auto', searchPaths = [], hostOptions = {},
                linker = {}, simd, makeJsAdapter = createJsAdapter, elideIdentity = true,
                onProgress = null } = {}) {
    this.onProgress = onProgress;
    this.core = core;                    // web/core.mjs loadCore(): the domains' linker
    this.componentCore = componentCore;  // loadComponentCore(): WIT, adapters
    this.fetcher = fetcher;
    this.adapterChoice = adapter;
    this.searchPaths = searchPaths;
    this.hostOptions = hostOptions;
    this.linkerOptions = linker;
    this.simd = simd;
    this.makeJsAdapter = makeJsAdapter;
    this.elideIdentity = elideIdentity;
    this.components = [];      // {name, main, wit, searchPaths, hostOptions, ...state}
    this.provided = [];        // {component, imports}
    this.wiring = [];
    this.linked = false;
    this.plan = null;
    this.adapterKind = null;   // 'wasm' | 'js' once linked
    this.stats = { adapters: 0, trampolines: 0, jsAdapters: 0 };
  }

  add(name, { main, wit = null, searchPaths = [], hostOptions = {} } = {}) {
    if (this.linked) throw new Error('components: add() after link()');
    if (!main) throw new TypeError(`component ${name}: no main module`);
    this.components.push({ name, main, wit, searchPaths, hostOptions });
    return this;
  }

  /**
   * JS implementations of imports no component exports. `imports` maps an
   * interface name ('ns:pkg/iface@1.0.0', or without the version, or '$root'
   * for functions of the world) to {function name: implementation}.
   */
  provide(imports, { component = null } = {}) {
    this.provided.push({ component, imports });
    return this;
  }

  wire(component, importName, exporter) {
    this.wiring.push([component, importName, exporter]);
    return this;
  }

  async link() {
    [this.core, this.componentCore] = await Promise.all([
      this.core ?? loadCore(), this.componentCore ?? loadComponentCore()]);
    return this.#drive(this.#linkSteps(), false);
  }

  linkSync() {
    if (!this.core || !this.componentCore) {
      throw new Error('components: linkSync() needs `core` and `componentCore` (await loadCore() and loadComponentCore() first)');
    }
    return this.#drive(this.#linkSteps(), true);
  }

  instance(name) {
    const c = this.components.find((x) => x.name === name);
    if (!c) throw new Error(`no component named ${name}`);
    return c.instance;
  }

  // --- linking -----------------------------------------------------------------

  #drive(gen, sync) {
    if (sync) {
      let r = gen.next();
      while (!r.done) {
        let v;
        try {
          v = r.value.sync();
        } catch (e) {
          r = gen.throw(e);
          continue;
        }
        r = gen.next(v);
      }
      return r.value;
    }
    return (async () => {
      let r = gen.next();
      while (!r.done) {
        let v;
        try {
          v = await r.value.async();
        } catch (e) {
          r = gen.throw(e);
          continue;
        }
        r = gen.next(v);
      }
      return r.value;
    })();
  }

  *#linkSteps() {
    if (this.linked) throw new Error('components: already linked');
    const core = this.core;
    const cache = new Map();

    // 1. Every component's root module: its world.
    const linker = new this.componentCore.ComponentLinker();
    for (const c of this.components) {
      const paths = [...c.searchPaths, ...this.searchPaths];
      const req = { name: c.main, requestedBy: '', candidates: [c.main, ...paths.map((p) => joinPath(p, c.main))] };
      const fetched = yield {
        sync: () => this.fetcher.fetchSync(req, this.onProgress ?? undefined),
        async: () => this.fetcher.fetch(req, this.onProgress ?? undefined),
      };
      if (fetched.error) {
        const what = String(fetched.error).startsWith(`${c.main}:`) ? fetched.error : `${c.main}: ${fetched.error}`;
        throw new LinkError(`component "${c.name}": ${what}`);
      }
      cache.set(c.main, fetched);
      const wit = c.wit ? { world: c.wit.world, files: Object.entries(c.wit.files ?? {}) } : null;
      const err = linker.addModule(c.name, c.main, fetched.bytes, wit);
      if (err) throw new LinkError(err);
    }
    for (const [component, importName, exporter] of this.wiring) linker.wire(component, importName, exporter);
    const result = linker.link();
    if (!result.ok) throw new LinkError(result.error);
    const plan = JSON.parse(result.plan);
    this.plan = plan;

    // 2. Types, per component, and what each import and export is.
    plan.components.forEach((pc, i) => {
      const c = this.components[i];
      c.index = i;
      c.table = new TypeTable(pc.world.types);
      c.importFuncs = new Map();
      for (const item of pc.world.imports) {
        const funcs = item.kind === 'function' ? [item] : item.funcs;
        for (const f of funcs) c.importFuncs.set(`${f.module}\0${f.field}`, f);
      }
      c.exportFuncs = new Map();
      for (const item of pc.world.exports) {
        const funcs = item.kind === 'function' ? [item] : item.funcs;
        for (const f of funcs) c.exportFuncs.set(f.export, f);
      }
    });
    const errors = [];
    const edges = plan.functions.map((f, index) => {
      const caller = this.components[f.caller];
      const desc = caller.importFuncs.get(`${f.module}\0${f.field}`);
      return { ...f, identity: f.identity && this.elideIdentity, index, func: caller.table.func(desc.func), sig: null };
    });
    for (const e of edges) e.sig = loweredSignature(e.func);
    const hosted = [];
    for (const u of plan.unresolved) {
      const c = this.components[u.component];
      const impl = this.#providedImpl(c.name, u.iface, u.func);
      const what = u.iface ? `${u.iface}#${u.func}` : u.func;
      if (!impl) {
        errors.push(`component "${c.name}" imports ${what}, which no component exports and the host does not provide`);
        continue;
      }
      const desc = c.importFuncs.get(`${u.module}\0${u.field}`);
      if (desc.unsupported) {
        errors.push(`component "${c.name}" imports ${what}: ${desc.unsupported} cannot cross the boundary to JS`);
        continue;
      }
      const func = c.table.func(desc.func);
      hosted.push({ ...u, func, impl, sig: loweredSignature(func), boundary: `${c.name} -> js ${what}` });
    }
    if (errors.length) throw new LinkError(errors.join('\n'));

    // 3. The adapter kind, and (wasm) the adapter modules, compiled ahead.
    const features = engineFeatures();
    let kind = this.adapterChoice;
    if (kind === 'auto') kind = features.multiMemory ? 'wasm' : 'js';
    if (kind === 'wasm' && !features.multiMemory) {
      throw new LinkError('components: wasm adapters need multi-memory, which this engine lacks (use adapter: "js")');
    }
    this.adapterKind = kind;
    const pairs = new Map();  // "caller,callee" -> {caller, callee, module, edges}
    for (const e of edges.filter((x) => !x.identity)) {
      const key = `${e.caller},${e.callee}`;
      if (!pairs.has(key)) pairs.set(key, { caller: e.caller, callee: e.callee, edges: [], adapter: null });
      pairs.get(key).edges.push(e);
    }
    if (kind === 'wasm') {
      for (const pair of pairs.values()) {
        const r = linker.adapter(pair.caller, pair.callee,
          { simd: this.simd ?? features.simd, tailCalls: features.tailCalls, includeIdentity: !this.elideIdentity });
        if (!r.ok) throw new LinkError(r.error);
        pair.functions = r.functions;  // edge index per f<k>
        pair.module = yield {
          sync: () => compileSync(r.bytes),
          async: () => WebAssembly.compile(r.bytes),
        };
      }
    }
    linker.delete?.();

    // 4. Domains, callees before callers where the graph allows.
    const order = this.#loadOrder(edges);
    for (const i of order) {
      const c = this.components[i];
      const host = createHost({ ...this.hostOptions, ...c.hostOptions });
      const mine = edges.filter((e) => e.caller === i);
      const pendingTrampolines = mine.filter((e) => !this.components[e.callee].loaded);
      let trampolines = null;
      if (kind === 'wasm' && pendingTrampolines.length) {
        trampolines = this.#makeTrampolines(pendingTrampolines);
      }
      for (const e of mine) {
        host.functions.push([e.module, e.field, e.sig, () => this.#bindEdge(e, pairs, trampolines), true]);
      }
      for (const h of hosted.filter((x) => x.component === i)) {
        host.functions.push([h.module, h.field, h.sig, () => importFunction({
          func: h.func, impl: h.impl, boundary: h.boundary, cx: () => this.#context(c, h.boundary),
        }), true]);
      }
      c.host = host;
      c.domain = new Domain({
        core, host, fetcher: cachingFetcher(this.fetcher, cache), onProgress: this.onProgress,
        linker: { ...this.linkerOptions, searchPaths: [...c.searchPaths, ...this.searchPaths] },
      });
      const id = yield {
        sync: () => c.domain.loadSync(c.main, RTLD_NOW | RTLD_GLOBAL),
        async: () => c.domain.load(c.main, RTLD_NOW | RTLD_GLOBAL),
      };
      c.rootId = id;
      c.exports = c.domain.exportsOf(id);
      c.memory = c.domain.memory;
      c.realloc = c.exports.cabi_realloc ?? null;
      c.loaded = true;
    }

    // 5. Finish what waited for a later component.
    for (const pair of pairs.values()) {
      if (kind === 'wasm') {
        const a = this.#adapterFor(pair);
        if (this.components[pair.caller].realloc) a.setRealloc('caller', this.components[pair.caller].realloc);
      }
    }
    for (const e of edges) {
      if (e.identity) {
        if (e.trampoline) e.trampoline.table.set(e.trampoline.slot, this.#target(e));
        else e.impl = this.#target(e);
      } else if (kind === 'js') {
        e.impl = this.#jsAdapter(e);
      } else if (e.trampoline) {
        const pair = pairs.get(`${e.caller},${e.callee}`);
        e.trampoline.table.set(e.trampoline.slot, this.#adapterFor(pair).byEdge.get(e.index));
      }
    }

    // 6. The JS view of every component's exports.
    for (const c of this.components) c.instance = this.#instance(c, plan);
    this.linked = true;
    return this;
  }

  #providedImpl(component, iface, func) {
    const keys = iface ? [iface, unversioned(iface), shortName(iface)] : ['$root'];
    for (const { component: only, imports } of this.provided) {
      if (only && only !== component) continue;
      for (const k of keys) {
        const group = imports[k];
        if (!group) continue;
        const fn = group[func] ?? group[camel(func)];
        if (typeof fn === 'function') return fn;
      }
    }
    return null;
  }

  #loadOrder(edges) {
    const n = this.components.length;
    const state = new Array(n).fill(0);
    const order = [];
    const visit = (i) => {
      if (state[i]) return;
      state[i] = 1;
      for (const e of edges) if (e.caller === i) visit(e.callee);
      state[i] = 2;
      order.push(i);
    };
    for (let i = 0; i < n; i++) visit(i);
    return order;
  }

  #context(c, boundary) {
    return createContext({ memory: c.memory ?? c.domain.memory, realloc: c.realloc ?? c.exports?.cabi_realloc ?? null, boundary });
  }

  // The import function a caller module gets for edge e (called when the
  // caller's module is instantiated; its memory exists by then).
  #bindEdge(e, pairs, trampolines) {
    // Nothing to adapt (u32/s32/u64/s64 only): wasm calls wasm directly.
    if (e.identity && this.components[e.callee].loaded) {
      this.stats.direct = (this.stats.direct ?? 0) + 1;
      return this.#target(e);
    }
    if (e.identity && this.adapterKind === 'wasm') return trampolines.functions.get(e.index);
    if (this.adapterKind === 'js') {
      this.stats.jsAdapters++;
      return (...args) => {
        if (!e.impl) throw new LinkError(`${e.boundary}: called before the components were linked (from a constructor?)`);
        return e.impl(...args);
      };
    }
    if (this.components[e.callee].loaded) {
      return this.#adapterFor(pairs.get(`${e.caller},${e.callee}`)).byEdge.get(e.index);
    }
    return trampolines.functions.get(e.index);
  }

  #target(e) {
    const callee = this.components[e.callee];
    const fn = callee.exports[e.export];
    if (typeof fn !== 'function') throw new LinkError(`${e.boundary}: ${callee.main} does not export ${e.export}`);
    return fn;
  }

  #adapterFor(pair) {
    if (pair.adapter) return pair.adapter;
    const caller = this.components[pair.caller];
    const callee = this.components[pair.callee];
    const list = pair.functions.map((i) => pair.edges.find((e) => e.index === i));
    const targets = list.map((e) => {
      const fn = callee.exports[e.export];
      if (typeof fn !== 'function') throw new LinkError(`${e.boundary}: ${callee.main} does not export ${e.export}`);
      return fn;
    });
    const a = instantiateWasmAdapter(pair.module, {
      callerMemory: caller.domain.memory,
      calleeMemory: callee.domain.memory,
      targets,
      postReturns: list.map((e) => (e.postReturn ? callee.exports[e.postReturn] ?? null : null)),
      boundaries: list.map((e) => e.boundary),
    });
    if (callee.realloc) a.setRealloc('callee', callee.realloc);
    a.byEdge = new Map(list.map((e, k) => [e.index, a.functions[k]]));
    pair.adapter = a;
    this.stats.adapters++;
    return a;
  }

  #makeTrampolines(list) {
    const r = this.componentCore.emitTrampolines(list.map((e) => e.sig).join(','));
    if (!r.ok) throw new LinkError(r.error);
    const table = new WebAssembly.Table({ element: 'anyfunc', initial: list.length });
    const instance = new WebAssembly.Instance(compileSync(r.bytes), { t: { t: table } });
    const functions = new Map();
    list.forEach((e, k) => {
      e.trampoline = { table, slot: k };
      functions.set(e.index, instance.exports[`f${k}`]);
    });
    this.stats.trampolines += list.length;
    return { table, functions };
  }

  #jsAdapter(e) {
    const caller = this.components[e.caller];
    const callee = this.components[e.callee];
    const target = callee.exports[e.export];
    if (typeof target !== 'function') throw new LinkError(`${e.boundary}: ${callee.main} does not export ${e.export}`);
    return this.makeJsAdapter({
      func: e.func,
      caller: this.#context(caller, e.boundary),
      callee: this.#context(callee, e.boundary),
      target,
      postReturn: e.postReturn ? callee.exports[e.postReturn] ?? null : null,
    });
  }

  // Runs f; if it throws, every domain's stack pointer goes back to where it
  // was, so a trap deep in a call chain leaves all components usable.
  #guard(f) {
    const saved = this.components.map((c) => c.domain?.stackPointer?.value);
    try {
      return f();
    } catch (e) {
      this.components.forEach((c, i) => { if (c.domain?.stackPointer) c.domain.stackPointer.value = saved[i]; });
      throw e;
    }
  }

  #instance(c, plan) {
    const exports = {};
    const guard = (f) => this.#guard(f);
    const groups = new Map();
    for (const pe of plan.exports.filter((x) => x.component === c.index)) {
      const desc = c.exportFuncs.get(pe.export.replace(/^orig\$/, ''));
      const what = pe.iface ? `${pe.iface}#${pe.func}` : pe.func;
      const boundary = `js -> ${c.name} ${what}`;
      const target = c.exports[pe.export];
      let fn;
      if (desc.unsupported || typeof target !== 'function') {
        const why = desc.unsupported ?? `${c.main} does not export ${pe.export}`;
        fn = () => { throw new LinkError(`${boundary}: ${why}`); };
      } else {
        fn = exportFunction({
          func: c.table.func(desc.func), cx: () => this.#context(c, boundary), target,
          postReturn: pe.postReturn ? c.exports[pe.postReturn] ?? null : null, boundary, guard,
        });
      }
      const key = pe.iface || '$root';
      if (!groups.has(key)) groups.set(key, {});
      const g = groups.get(key);
      g[pe.func] = fn;
      g[camel(pe.func)] = fn;
    }
    const shortCount = new Map();
    for (const key of groups.keys()) shortCount.set(shortName(key), (shortCount.get(shortName(key)) ?? 0) + 1);
    for (const [key, g] of groups) {
      exports[key] = g;
      exports[unversioned(key)] ??= g;
      if (shortCount.get(shortName(key)) === 1) exports[shortName(key)] ??= g;
      if (key === '$root') Object.assign(exports, g);
    }
    return {
      name: c.name,
      domain: c.domain,
      memory: c.domain.memory,
      exports,
      rootExports: c.exports,
    };
  }
}

export function createComponentSet(options) {
  return new ComponentSet(options);
}

export { ComponentError as ResultError };
