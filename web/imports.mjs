// Import objects of planned modules (web/domain.mjs): built from a module's
// import descriptors and the bindings its plan gives them (web/plan.mjs).
// What needs another module's instance, or the PLT's, is left in a list
// and filled just before instantiation (bindExports), so that the rest can
// be built while the engine still compiles the modules.
//
//   const imports = importObject(mod, WebAssembly.Module.imports(module), info, domain);
//   ... (the providers are instantiated)
//   bindExports(imports, plt, (provider, key) => exportsOf(provider)[key]);
import { Binding } from './plan.mjs';
import { LinkError } from './link-types.mjs';

// Where an import object keeps its bindings to other modules' exports:
// [target, name, provider (-1: the PLT), key (export name or index)]...
const DEFERRED = Symbol('lazylink deferred imports');

// Export names by export index. The exports object lists them in the
// module's order (and is much cheaper to read than Module.exports, which
// makes an object per export: 25 ms for libstd's 7,000), unless a name is
// an array index, which JS objects list first: so only the first name
// needs a look (testing all 7,000 cost ~1.5 ms on the path to main).
export function exportNames(instance, module) {
  const names = Object.keys(instance.exports);
  if (names.length && /^(?:0|[1-9][0-9]*)$/.test(names[0])) return WebAssembly.Module.exports(module).map((e) => e.name);
  return names;
}

// Host function `index` of the host's list ([module, name, sig, fn,
// isFactory] each), made for `importName` if it is a factory (which may
// read the importing module's `bytes`, e.g. for an import's exact type);
// `arg` is the binding's second word (for EM_JS, the address of the
// function's source: runtime/host/em_js.mjs).
export function hostFunction(functions, index, importName, bytes = null, arg = 0) {
  const entry = functions[index];
  if (!entry) throw new LinkError(`host function #${index} does not exist`);
  // Indexed: array destructuring is slow in cold code, and this runs for
  // every host import of a load.
  return entry[4] ? entry[3](importName ?? entry[1], bytes, arg) : entry[3];
}

// The import object of planned module `mod` ({ memoryBase, tableBase,
// bindings }), from its import descriptors ({ module, name } each, in the
// module's order). `domain` gives memory, table, stackPointer and
// hostFunctions; `info.name` names the module in errors; `bytes` are the
// module's (host function factories may read them).
export function importObject(mod, descs, info, domain, bytes = null) {
  const b = mod.bindings;
  if (descs.length * 3 !== b.length) {
    throw new LinkError(`${info.name}: the engine lists ${descs.length} imports, the plan ${b.length / 3}`);
  }
  const out = {};
  const deferred = [];
  let memoryBase = null;
  let tableBase = null;
  for (let i = 0; i < descs.length; i++) {
    const { module: ns, name } = descs[i];
    const kind = b[3 * i];
    const a = b[3 * i + 1] >>> 0;
    const c = b[3 * i + 2] >>> 0;
    let value;
    switch (kind) {
      case Binding.Memory: value = domain.memory; break;
      case Binding.Table: value = domain.table; break;
      case Binding.StackPointer: value = domain.stackPointer; break;
      case Binding.MemoryBase:
        value = memoryBase ??= new WebAssembly.Global({ value: 'i32', mutable: false }, mod.memoryBase);
        break;
      case Binding.TableBase:
        value = tableBase ??= new WebAssembly.Global({ value: 'i32', mutable: false }, mod.tableBase);
        break;
      case Binding.Value:
        // An immutable i32 import takes a plain number (no Global object:
        // libstd's GOT, made immutable by `lazylink bind-local`, has ~1,400).
        value = c === 1 ? new WebAssembly.Global({ value: 'i32', mutable: true }, a | 0) : a | 0;
        break;
      case Binding.Named:
      case Binding.ModuleFunc:
      case Binding.ModuleGlobal:
        deferred.push(out[ns] ??= {}, name, a, kind === Binding.Named ? name : c);
        continue;
      case Binding.HostFunc: value = hostFunction(domain.hostFunctions, a, name, bytes, c); break;
      case Binding.PltFunc:
        deferred.push(out[ns] ??= {}, name, -1, `t${a}`);
        continue;
      case Binding.MissingWeak:
        value = () => { throw new Error(`lazylink: ${info.name} called ${name}, a weak symbol no module defines`); };
        break;
      default:
        throw new LinkError(`${info.name}: unknown binding ${kind} for ${ns}.${name}`);
    }
    (out[ns] ??= {})[name] = value;
  }
  Object.defineProperty(out, DEFERRED, { value: deferred });
  return out;
}

// Fills in what importObject left: the PLT's exports (from `plt`, an
// instance) and other modules' (lookup(provider, key): key is the export's
// name, or its index when the export is named differently from the import).
export function bindExports(imports, plt, lookup) {
  const d = imports[DEFERRED];
  for (let i = 0; i < d.length; i += 4) {
    const provider = d[i + 2];
    const key = d[i + 3];
    d[i][d[i + 1]] = provider < 0 ? plt.exports[key] : lookup(provider, key);
  }
}
