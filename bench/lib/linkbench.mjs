// Link-time measurements shared by the link-overhead and symbol-scale
// benchmarks; runs in Node and in browsers.
//
//   ours      bytes in hand -> main about to run, through lazylink's Domain
//             (new Domain, load(main): parse, plan, compile, PLT,
//             instantiate, fills, relocations, constructors)
//   floor     the same modules compiled and instantiated with import objects
//             computed beforehand from our own plan (memory, table, globals,
//             host functions all made outside the timed span; only what
//             depends on an earlier instance — its exports — is looked up
//             during it), the same table fills, relocations and constructors
//   breakdown one instrumented run of ours: where its time goes
//
// The floor is what any loader of these modules must spend; the overhead is
// ours minus the floor.
import { Domain, RTLD_GLOBAL, RTLD_NOW } from '../../web/domain.mjs';
import { Binding, decodePlan } from '../../web/plan.mjs';
import { callMain } from '../../web/run.mjs';
import { createHost } from '../../runtime/host/index.mjs';
import { memFetcher, now } from './modules.mjs';

const PAGE = 65536;

export function collectingHost(name, args) {
  const out = [];
  const host = createHost({ args: [name, ...args], stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
  return { host, out };
}

// One load of `main` through a fresh Domain, timed from the Domain's
// creation to main's module being ready (main not yet called). Then runs
// main (untimed) so the result can be checked.
//   entry: how to run main: 'argv' (main(argc, argv) as lazylink run does)
//          or 'call' (call the export with no arguments, return its value)
//   runMain: false to stop once loaded
//   profile: wrap the timed span in console.profile()/profileEnd() (a CDP
//            client with the Profiler enabled receives exactly that span)
export async function runOurs({ core, files, main, args = [], linker = {}, entry = 'argv', runMain = true,
                                profile = false }) {
  const { host, out } = collectingHost(main, args);
  const fetcher = memFetcher(files);
  if (profile) console.profile('ours');
  const t0 = now();
  const domain = new Domain({ core, host, fetcher, linker, lazyMode: 'none' });
  const id = await domain.load(main, RTLD_NOW | RTLD_GLOBAL);
  const ms = now() - t0;
  if (profile) console.profileEnd('ours');
  if (!runMain) return { ms, domain, id, modules: domain.modules() };
  let result;
  if (entry === 'argv') {
    result = callMain(domain, host, id, [main, ...args]);
  } else {
    const ex = domain.exportsOf(id);
    result = (ex.__main_argc_argv ?? ex.main)(0, 0) >>> 0;
  }
  return { ms, result, stdout: out.join(''), domain, id, modules: domain.modules() };
}

// The shipped start-plan path (web/start-plan.mjs, Domain.start): the
// recorded plan (what `lazylink pack` would have put in the manifest: the
// same code makes it) carried out by a Domain without a core, timed from
// its creation to main's module being ready, as runOurs. The core's later
// check (Domain.adopt) happens after main has started and is not timed.
// Runs main (untimed) so the result can be checked.
export async function runStart({ files, main, args = [], linker = {}, entry = 'argv', recorded }) {
  const { host, out } = collectingHost(main, args);
  const modules = [];
  for (const m of recorded.modules) modules[m.id] = m.name;
  const root = recorded.modules.find((m) => m.name === main).id;
  // As a manifest's start plan carries them (web/start-plan.mjs).
  const imports = [];
  for (const m of recorded.modules) imports[m.id] = m.imports.map(([ns, n]) => `${ns}\t${n}`);
  const plan = { root, flags: RTLD_NOW | RTLD_GLOBAL, modules, imports, codes: Int32Array.from(recorded.codes),
    plt: Uint8Array.from(recorded.plt), lazySlots: {} };
  const fetcher = memFetcher(files);
  const t0 = now();
  const domain = new Domain({ core: null, host, fetcher, linker, lazyMode: 'none' });
  const id = await domain.start(plan);
  const ms = now() - t0;
  let result;
  if (entry === 'argv') {
    result = callMain(domain, host, id, [main, ...args]);
  } else {
    const ex = domain.exportsOf(id);
    result = (ex.__main_argc_argv ?? ex.main)(0, 0) >>> 0;
  }
  return { ms, result, stdout: out.join(''), domain };
}

// Wraps the core's Linker so the plan of the next load can be read back.
export function capturePlans(core) {
  const proto = core.Linker.prototype;
  const orig = proto.makePlan;
  const plans = [];
  proto.makePlan = function makePlanCaptured() {
    const r = orig.call(this);
    if (r.ok) plans.push({ codes: r.codes.slice(), plt: r.plt.slice(), linker: this });
    return r;
  };
  return { plans, restore() { proto.makePlan = orig; } };
}

// The plan of one load of `main` (in a domain of its own), with module
// names and import/export shapes, as plain JSON-able data: recorded once (in
// its own page or process) and handed to the floor runs, so that a floor run
// compiles nothing but its timed modules and runs none of our code.
export async function recordPlan({ core, files, main, args = [], linker = {}, entry = 'argv' }) {
  const cap = capturePlans(core);
  let run;
  try {
    run = await runOurs({ core, files, main, args, linker, entry });
  } finally {
    cap.restore();
  }
  if (cap.plans.length !== 1) throw new Error(`expected one plan, got ${cap.plans.length}`);
  const { codes, plt } = cap.plans[0];
  const plan = decodePlan(codes.slice());
  const modules = plan.modules.map((m) => {
    const name = run.domain.linker.moduleInfo(m.id).name;
    const compiled = run.domain.compiled.get(m.id);
    return {
      id: m.id, name,
      imports: WebAssembly.Module.imports(compiled).map((d) => [d.module, d.name]),
      exports: WebAssembly.Module.exports(compiled).map((e) => e.name),
    };
  });
  return {
    codes: Array.from(codes), plt: Array.from(plt), modules,
    reference: { stdout: run.stdout, result: run.result },
    stats: { modules: plan.modules.length, symbolsBound: plan.symbolsBound, gotEntries: plan.gotEntries,
      pltEntries: plan.pltEntries, tableSize: plan.tableSize, memorySize: plan.memorySize,
      imports: modules.reduce((n, m) => n + m.imports.length, 0) },
  };
}

// Everything the floor needs that does not depend on an instance, made
// before timing: memory, table, stack pointer, base and GOT globals, host
// functions, export names. Returns { run(files) } which compiles the
// modules from `files` (name -> bytes), instantiates them in the plan's
// order, fills the table, applies relocations and runs constructors.
export function prepareFloor({ recorded, main, args = [], maxMemoryPages = 32768, entry = 'argv' }) {
  const plan = decodePlan(Int32Array.from(recorded.codes));
  const plt = Uint8Array.from(recorded.plt);
  const names = new Map(recorded.modules.map((m) => [m.id, m.name]));
  const { host, out } = collectingHost(main, args);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(plan.memorySize / PAGE),
    maximum: Math.max(Math.ceil(plan.memorySize / PAGE), maxMemoryPages) });
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: Math.max(plan.tableSize, 1) });
  const stackPointer = new WebAssembly.Global({ value: 'i32', mutable: true }, plan.stackHigh);
  const shim = { memory, table, maxMemoryPages, stackPointer };
  host.attach(shim);
  const hostFn = (index, name) => {
    const [, , , fn, isFactory] = host.functions[index];
    return isFactory ? fn(name) : fn;
  };
  // Import and export names, as recorded.
  const shapes = new Map(recorded.modules.map((m) => [m.id, {
    imports: m.imports.map(([module, name]) => ({ module, name })), exports: m.exports }]));
  const pltH = {};
  plan.pltHostImports.forEach((hostIndex, k) => { pltH[k] = hostFn(hostIndex, null); });
  const pltImports = { env: { __indirect_function_table: table }, h: pltH,
    lazylink: { resolve: () => { throw new Error('floor: no lazy binding'); } } };
  const pltFills = plan.pltFills.map((f) => [f.slot, `${f.resolver ? 'r' : 't'}${f.exportIndex}`]);
  if (plan.liveFills.length) throw new Error('floor: a first load has no live fills');

  const steps = plan.modules.map((mod) => {
    // GOT entries in the module's memory (lazylink.got): values from the
    // plan, written now like every other value computed beforehand (the
    // data segments written at instantiation do not reach them).
    if (mod.got.length) new Int32Array(memory.buffer, mod.memoryBase + mod.gotOffset, mod.got.length).set(mod.got);
    const { imports: descs } = shapes.get(mod.id);
    const b = mod.bindings;
    const obj = {};
    const deferred = [];  // [namespaceObject, name, 'plt' | moduleId, exportName]
    let memoryBase = null;
    let tableBase = null;
    descs.forEach(({ module: ns, name }, i) => {
      const kind = b[3 * i];
      const a = b[3 * i + 1] >>> 0;
      const c = b[3 * i + 2] >>> 0;
      const target = (obj[ns] ??= {});
      switch (kind) {
        case Binding.Memory: target[name] = memory; break;
        case Binding.Table: target[name] = table; break;
        case Binding.StackPointer: target[name] = stackPointer; break;
        case Binding.MemoryBase:
          target[name] = memoryBase ??= new WebAssembly.Global({ value: 'i32', mutable: false }, mod.memoryBase);
          break;
        case Binding.TableBase:
          target[name] = tableBase ??= new WebAssembly.Global({ value: 'i32', mutable: false }, mod.tableBase);
          break;
        case Binding.Value: target[name] = c === 1 ? new WebAssembly.Global({ value: 'i32', mutable: true }, a | 0) : a | 0; break;
        case Binding.ModuleFunc:
        case Binding.ModuleGlobal: deferred.push([target, name, a, shapes.get(a).exports[c]]); break;
        case Binding.Named: deferred.push([target, name, a, name]); break;
        case Binding.HostFunc: target[name] = hostFn(a, name); break;
        case Binding.PltFunc: deferred.push([target, name, 'plt', `t${a}`]); break;
        case Binding.MissingWeak: target[name] = () => { throw new Error(`weak ${name}`); }; break;
        default: throw new Error(`floor: binding ${kind}`);
      }
    });
    const ex = shapes.get(mod.id).exports;
    return {
      id: mod.id, name: names.get(mod.id), obj, deferred,
      fills: mod.fills.map((f) => [f.slot, ex[f.exportIndex]]),
      relocs: mod.applyDataRelocs >= 0 ? ex[mod.applyDataRelocs] : null,
      ctors: mod.callCtors >= 0 ? ex[mod.callCtors] : null,
      isLibstd: /^libstd(-eh)?\.wasm$/.test(names.get(mod.id)),
    };
  });
  const mainStep = steps.find((s) => s.name === main);

  let used = false;
  async function run(timedFiles) {
    if (used) throw new Error('floor: prepare a new floor for every run');
    used = true;
    const t = { start: now() };
    const modules = await Promise.all(steps.map((s) => WebAssembly.compile(timedFiles.get(s.name))));
    t.compiled = now();
    // The PLT (our own mechanism: libstd calling its own exports): timed
    // apart, so that it can be counted as overhead rather than floor.
    let pltInstance = null;
    if (plt.length) {
      const pltModule = await WebAssembly.compile(plt);
      pltInstance = await WebAssembly.instantiate(pltModule, pltImports);
      for (const [slot, e] of pltFills) table.set(slot, pltInstance.exports[e]);
    }
    t.plt = now();
    const instances = new Map();
    let libstd = null;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      for (const [target, name, from, e] of s.deferred) {
        target[name] = from === 'plt' ? pltInstance.exports[e] : instances.get(from).exports[e];
      }
      const instance = await WebAssembly.instantiate(modules[i], s.obj);
      instances.set(s.id, instance);
      for (const [slot, e] of s.fills) table.set(slot, instance.exports[e]);
      if (s.relocs) instance.exports[s.relocs]();
      if (s.isLibstd) {
        libstd = instance.exports;
        shim.libstd = libstd;
        host.onLibstd(libstd);
      }
    }
    t.instantiated = now();
    for (const s of steps) if (s.ctors) instances.get(s.id).exports[s.ctors]();
    t.end = now();
    // Main, untimed, to check the floor really linked the program.
    let result;
    const mainEx = instances.get(mainStep.id).exports;
    if (entry === 'argv') {
      shim.libstd = libstd;
      result = callMain({ exportsOf: () => mainEx, libstd, moduleName: () => main }, host, mainStep.id, [main, ...args]);
    } else {
      result = (mainEx.__main_argc_argv ?? mainEx.main)(0, 0) >>> 0;
    }
    return {
      ms: t.end - t.start,
      compileMs: t.compiled - t.start,
      pltMs: t.plt - t.compiled,
      instantiateMs: t.instantiated - t.plt,
      ctorsMs: t.end - t.instantiated,
      result,
      stdout: out.join(''),
    };
  }
  return { run };
}

// One instrumented load: wraps the core's Linker methods and the
// WebAssembly entry points to see where the time of ours goes. Slower than
// an untimed run by the wrappers' cost; used for the breakdown only.
export async function breakdownOurs({ core, files, main, args = [], linker = {}, entry = 'argv' }) {
  const proto = core.Linker.prototype;
  const acc = { instantiate: 0, instantiateCount: 0, tableSets: 0, pltCompile: 0, moduleImports: 0, moduleExports: 0,
    globals: 0, globalCount: 0 };
  const coreMs = {};  // per Linker method
  const marks = {};
  const wrapped = [];
  const wrap = (obj, key, fn) => {
    const orig = obj[key];
    obj[key] = fn(orig);
    wrapped.push(() => { obj[key] = orig; });
  };
  for (const m of Object.getOwnPropertyNames(proto)) {
    if (m === 'constructor' || typeof proto[m] !== 'function' || m.startsWith('_') || /^(delete|clone|is|isAliasOf|isDeleted|deleteLater)/.test(m)) continue;
    wrap(proto, m, (orig) => function timed(...a) {
      const t = now();
      try { return orig.apply(this, a); } finally {
        coreMs[m] = (coreMs[m] ?? 0) + now() - t;
        marks[`${m}End`] = now();
      }
    });
  }
  for (const k of ['imports', 'exports']) {
    const key = k === 'imports' ? 'moduleImports' : 'moduleExports';
    wrap(WebAssembly.Module, k, (orig) => function timedShape(m) {
      const t = now();
      try { return orig.call(WebAssembly.Module, m); } finally { acc[key] += now() - t; }
    });
  }
  const OrigGlobal = WebAssembly.Global;
  wrap(WebAssembly, 'Global', () => new Proxy(OrigGlobal, {
    construct(target, args) {
      const t = now();
      try { return Reflect.construct(target, args); } finally { acc.globals += now() - t; acc.globalCount++; }
    },
  }));
  let pltBytes = null;
  wrap(proto, 'makePlan', (orig) => function grab(...a) {
    const r = orig.apply(this, a);
    if (r.ok) pltBytes = r.plt.length;
    return r;
  });
  wrap(WebAssembly, 'instantiate', (orig) => async function timedInstantiate(m, imports) {
    marks.firstInstantiate ??= now();
    const t = now();
    const r = await orig.call(WebAssembly, m, imports);
    acc.instantiate += now() - t;
    acc.instantiateCount++;
    marks.lastInstantiate = now();
    return r;
  });
  wrap(WebAssembly, 'compile', (orig) => function timedCompile(bytes) {
    // After the plan, the only compile is the PLT's.
    if (marks.makePlanEnd === undefined) return orig.call(WebAssembly, bytes);
    marks.pltCompileStart = now();
    return orig.call(WebAssembly, bytes).then((m) => { acc.pltCompile += now() - marks.pltCompileStart; return m; });
  });
  const tableSet = WebAssembly.Table.prototype.set;
  wrap(WebAssembly.Table.prototype, 'set', () => function countedSet(...a) {
    acc.tableSets++;
    return tableSet.apply(this, a);
  });
  let run;
  try {
    run = await runOurs({ core, files, main, args, linker, entry, runMain: false });
  } finally {
    for (const undo of wrapped.reverse()) undo();
  }
  const mods = run.modules;
  const sumCore = Object.values(coreMs).reduce((a, b) => a + b, 0);
  const sum = (k) => mods.reduce((s, m) => s + (m.timings?.[k] ?? 0), 0);
  return {
    totalMs: run.ms,
    parseMs: coreMs.provide ?? 0,
    planMs: coreMs.makePlan ?? 0,
    beginLoadMs: coreMs.beginLoad ?? 0,
    commitMs: coreMs.commit ?? 0,
    coreOtherMs: sumCore - (coreMs.provide ?? 0) - (coreMs.makePlan ?? 0) - (coreMs.commit ?? 0),
    coreMethodsMs: coreMs,
    coreTotalMs: sumCore,
    moduleImportsMs: acc.moduleImports,
    moduleExportsMs: acc.moduleExports,
    globalsMs: acc.globals,
    globalCount: acc.globalCount,
    // From the first instantiation's start to the last one's end, less the
    // instantiations: import objects and table fills between them.
    betweenInstantiationsMs: marks.lastInstantiate - marks.firstInstantiate - acc.instantiate,
    pltCompileMs: acc.pltCompile,
    pltBytes,
    instantiateMs: acc.instantiate,
    instantiations: acc.instantiateCount,
    tableSets: acc.tableSets,
    ctorsMs: sum('init'),
    compileWallMaxMs: Math.max(...mods.map((m) => m.timings?.compile ?? 0)),
    // From the plan to the first instantiation: waiting for the engine's
    // compilation (started when the bytes were handed over), address space,
    // PLT compile.
    afterPlanToFirstInstantiateMs: marks.firstInstantiate - marks.makePlanEnd,
    modules: mods.map((m) => ({ name: m.name, bytes: m.bytes, imports: m.imports, timings: m.timings })),
  };
}
