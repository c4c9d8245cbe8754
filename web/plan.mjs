// Decodes the Int32Array a Linker plan crosses the wasm/JS boundary in
// (written by loader/edge/link_bindings.cc; keep the two in step).
export const PLAN_VERSION = 4;

// Import binding kinds (loader/link/linker.h, enum class Binding).
export const Binding = Object.freeze({
  Memory: 0,
  Table: 1,
  StackPointer: 2,
  MemoryBase: 3,
  TableBase: 4,
  Value: 5,
  ModuleFunc: 6,
  HostFunc: 7,
  PltFunc: 8,
  MissingWeak: 9,
  ModuleGlobal: 10,
  // ModuleFunc or ModuleGlobal whose export has the import's own name (the
  // edge writes this kind, loader/edge/link_bindings.cc): looked up by that
  // name, so the provider's export names are never listed.
  Named: 11,
});

// The module ids of a plan, in its (dependency) order, without decoding
// the rest: enough to start fetching and compiling the modules first.
export function planModuleIds(codes) {
  const nModules = codes[8] >>> 0;
  let p = 16 + (codes[9] >>> 0) + 3 * (codes[10] >>> 0) + 3 * (codes[11] >>> 0);
  const ids = [];
  for (let m = 0; m < nModules && p < codes.length; m++) {
    ids.push(codes[p] >>> 0);
    // id, 7 fixed words, nImports, nFills, gotOffset, nGot, then the lists.
    p += 12 + 3 * (codes[p + 8] >>> 0) + 2 * (codes[p + 9] >>> 0) + (codes[p + 11] >>> 0);
  }
  return ids;
}

export function decodePlan(codes) {
  let p = 0;
  const next = () => codes[p++] >>> 0;
  const version = next();
  if (version !== PLAN_VERSION) throw new Error(`lazylink: plan version ${version}, expected ${PLAN_VERSION}`);
  const plan = {
    txn: next(),
    first: next() === 1,
    stackLow: next(),
    stackHigh: next(),
    heapBase: next(),
    memorySize: next(),
    tableSize: next(),
  };
  const nModules = next();
  const nPltHost = next();
  const nPltFills = next();
  const nLiveFills = next();
  plan.symbolsBound = next();
  plan.gotEntries = next();
  plan.pltEntries = next();
  plan.lazyEntries = next();
  plan.pltHostImports = [];
  for (let i = 0; i < nPltHost; i++) plan.pltHostImports.push(next());
  plan.pltFills = [];
  for (let i = 0; i < nPltFills; i++) {
    plan.pltFills.push({ slot: next(), exportIndex: next(), resolver: next() === 1 });
  }
  plan.liveFills = [];
  for (let i = 0; i < nLiveFills; i++) plan.liveFills.push({ slot: next(), module: next(), exportIndex: next() });
  plan.modules = [];
  for (let m = 0; m < nModules; m++) {
    const mod = {
      id: next(),
      memoryBase: next(),
      memorySize: next(),
      zeroMemory: next() === 1,
      tableBase: next(),
      tableSize: next(),
      applyDataRelocs: codes[p++],
      callCtors: codes[p++],
    };
    const nImports = next();
    const nFills = next();
    mod.gotOffset = next();
    const nGot = next();
    // Bindings stay packed: kind, a, b per import.
    mod.bindings = codes.subarray(p, p + 3 * nImports);
    p += 3 * nImports;
    mod.fills = [];
    for (let i = 0; i < nFills; i++) mod.fills.push({ slot: next(), exportIndex: next() });
    // The module's GOT in its memory (a lazylink.got section): written at
    // memoryBase + gotOffset before instantiation, one i32 per entry.
    mod.got = codes.subarray(p, p + nGot);
    p += nGot;
    plan.modules.push(mod);
  }
  if (p > codes.length) throw new Error(`lazylink: the plan is truncated (${codes.length} words, ${p} needed)`);
  if (p !== codes.length) throw new Error(`lazylink: plan has ${codes.length - p} trailing words`);
  return plan;
}
