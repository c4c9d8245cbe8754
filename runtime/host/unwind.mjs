// Non-local control flow across modules, as Emscripten 3.1.6 does it without
// wasm exception handling in the modules: code that may throw (C++
// -fexceptions) or longjmp (setjmp/longjmp) calls through
// invoke_<sig>(index, args...), which calls the table entry and, when a C++
// exception or a longjmp unwinds through it, restores the stack pointer and
// sets __THREW__ (setThrew, which keeps a longjmp's target if one is already
// set) for the caller to inspect.
//
// Where the engine has wasm exception handling and WebAssembly.JSTag
// (Chromium), the invoke_ wrappers are WebAssembly (invoke_wasm.mjs): no JS
// frame sits between a caller and its callee, so a lazy first call under a
// try block or setjmp can suspend with JSPI. Elsewhere they are the JS
// functions below by default. The host option `wasmInvoke` chooses: 'auto'
// (the default: as just said), true (wasm wherever the engine has wasm
// exception handling, e.g. Node 20, where they catch with catch_all, which
// V8 11 does more slowly than a JS catch: calls get cheaper, throws dearer;
// docs/runtime.md has the figures), false (JS).
//
// A 'j' in the signature is an i64. Without WASM_BIGINT it arrives split in
// two i32 halves, which invoke_ joins for the callee, and an i64 result goes
// back split (high half through tempRet0). With WASM_BIGINT the engine passes
// BigInts and nothing is split.
import { JS_TAG, invokeImportTypes, isBigintType, makeWasmInvokes, wasmInvokeSupported } from './invoke_wasm.mjs';

const ENV = 'env';

// Thrown by __cxa_throw and friends (exceptions.mjs). Not an Error: no stack
// is captured, throwing stays cheap.
export class CppException {
  constructor(ptr, type = 0) {
    this.ptr = ptr;    // the thrown object
    this.type = type;  // its std::type_info
  }
  get message() {
    return `uncaught C++ exception (object at 0x${(this.ptr >>> 0).toString(16)})`;
  }
  toString() {
    return this.message;
  }
}

// Thrown by emscripten_longjmp (through _emscripten_throw_longjmp).
export class LongjmpUnwind {
  get message() {
    return 'longjmp to a setjmp buffer that is no longer on the stack';
  }
  toString() {
    return this.message;
  }
}

export function isUnwind(e) {
  return e instanceof CppException || e instanceof LongjmpUnwind;
}

// The types of a module's invoke_ imports (name -> { params, results }),
// read from its bytes once per module.
const importTypes = new WeakMap();
function invokeTypesOf(bytes) {
  let types = importTypes.get(bytes);
  if (!types) {
    types = invokeImportTypes(bytes);
    importTypes.set(bytes, types);
  }
  return types;
}

const SIG = /^[vijfd][ijfd]*$/;

// The `wasmInvoke` choice of hosts made from now on that do not give one
// ('auto', true or false); tests and benchmarks compare the two kinds.
let wasmInvokeDefault = 'auto';
export function setWasmInvokeDefault(choice) {
  wasmInvokeDefault = choice;
}

export function unwindFunctions(ctx) {
  ctx.unwinding = null;  // the CppException or LongjmpUnwind last thrown
  const wasmInvokes = new Map();  // sig (+ '/big') -> this domain's wasm invoke_
  const choice = ctx.options.wasmInvoke ?? wasmInvokeDefault;
  const useWasm = choice === 'auto' ? JS_TAG !== null : !!choice;
  // How many invoke_ imports got each kind (tests and benchmarks read it).
  ctx.invokeStats = { wasm: 0, js: 0 };
  const wasmInvokes_ = useWasm && wasmInvokeSupported();

  // Without JSTag, the wasm wrappers catch with catch_all and ask which
  // unwind is in flight (invoke_wasm.mjs): `throws` counts the unwinds
  // thrown, `pending` is the last one until a wrapper takes it.
  const throws = wasmInvokes_ && !JS_TAG ? new WebAssembly.Global({ value: 'i32', mutable: true }, 0) : null;
  let pending = null;
  let pendingMark = 0;
  // Every C++ exception and longjmp of the host is thrown here
  // (exceptions.mjs too).
  ctx.throwUnwind = (e) => {
    ctx.unwinding = e;
    if (throws) {
      pendingMark = (throws.value + 1) | 0;
      throws.value = pendingMark;
      pending = e;
    }
    throw e;
  };
  // The wrappers' question, asked in their catch (after the unwind): is the
  // exception an unwind of the host? If so, __THREW__ is set.
  const caught = JS_TAG
    ? (e) => {
      if (!isUnwind(e)) return 0;
      ctx.libstd.setThrew(1, 0);
      return 1;
    }
    : (mark) => {
      // Only an unwind thrown since the wrapper was entered: one that
      // escaped to JavaScript earlier is not the exception passing now.
      if (pending === null || ((pendingMark - mark) | 0) <= 0) return 0;
      pending = null;
      ctx.libstd.setThrew(1, 0);
      return 1;
    };

  // The wasm invoke_<sig> for an import of a module with these bytes, or
  // null where the JS one has to do: no wasm exception handling, no domain
  // address space yet, or an i64 signature whose split-ness is unknown. The
  // first one a module asks for brings every invoke_ it imports, made at
  // once (one small module compiled and instantiated, not one per
  // signature).
  const wasmInvoke = (importName, sig, bytes) => {
    if (!wasmInvokes_) return null;
    const domain = ctx.domain;
    if (!domain || !domain.table || !domain.stackPointer) return null;
    const types = bytes ? invokeTypesOf(bytes) : null;
    const type = types?.get(importName);
    if (!type && sig.includes('j')) return null;
    const key = type && isBigintType(type) ? `${sig}/big` : sig;
    if (!wasmInvokes.has(key)) {
      const wanted = new Map([[key, { sig, bigint: key !== sig }]]);
      for (const [name, t] of types ?? []) {
        const s = name.slice('invoke_'.length);
        const k = isBigintType(t) ? `${s}/big` : s;
        if (SIG.test(s) && !wasmInvokes.has(k)) wanted.set(k, { sig: s, bigint: k !== s });
      }
      const fns = makeWasmInvokes([...wanted.values()], {
        table: domain.table,
        stackPointer: domain.stackPointer,
        caught,
        throws,
        setTempRet0: (hi) => { ctx.tempRet0 = hi; },
      });
      [...wanted.keys()].forEach((k, i) => wasmInvokes.set(k, fns[i]));
    }
    return wasmInvokes.get(key);
  };

  const invokeFactory = (importName, bytes = null) => {
    const sig = importName.slice('invoke_'.length);
    if (!SIG.test(sig)) {
      throw new Error(`lazylink: cannot provide ${importName}: unknown signature "${sig}"`);
    }
    const asWasm = wasmInvoke(importName, sig, bytes);
    if (asWasm) {
      ctx.invokeStats.wasm++;
      return asWasm;
    }
    ctx.invokeStats.js++;
    return jsInvoke(sig);
  };

  // The JS invoke_<sig> (engines without wasm exception handling).
  const jsInvoke = (sig) => {
    const ret = sig[0];
    const params = sig.slice(1);
    const hasI64 = params.includes('j');
    const join = (args) => {
      // Split halves arrive as numbers; BIGINT builds pass BigInts.
      if (args.some((a) => typeof a === 'bigint')) return { callArgs: args, big: true };
      const callArgs = [];
      let a = 0;
      for (const p of params) {
        if (p === 'j') {
          callArgs.push(BigInt(args[a] >>> 0) | (BigInt(args[a + 1] | 0) << 32n));
          a += 2;
        } else {
          callArgs.push(args[a++]);
        }
      }
      return { callArgs, big: false };
    };
    return (index, ...args) => {
      const { stackSave, stackRestore, setThrew } = ctx.libstd;
      const sp = stackSave();
      let big = false;
      try {
        let callArgs = args;
        if (hasI64) ({ callArgs, big } = join(args));
        const result = ctx.domain.table.get(index)(...callArgs);
        if (ret === 'j' && !big) {
          ctx.tempRet0 = Number(BigInt.asIntN(32, BigInt(result) >> 32n));
          return Number(BigInt.asIntN(32, BigInt(result)));
        }
        return result;
      } catch (e) {
        stackRestore(sp);
        if (!isUnwind(e)) throw e;
        if (e === pending) pending = null;
        setThrew(1, 0);
        if (ret === 'v') return undefined;
        return ret === 'j' && big ? 0n : 0;
      }
    };
  };
  return [
    [ENV, 'invoke_*', '', invokeFactory],
    [ENV, '_emscripten_throw_longjmp', 'v', () => ctx.throwUnwind(new LongjmpUnwind())],
  ];
}
