// Non-local control flow across modules, as Emscripten 3.1.6 does it without
// wasm exception handling: code that may throw (C++ -fexceptions) or
// longjmp (setjmp/longjmp) calls through invoke_<sig>(index, args...),
// which calls the table entry and, when a C++ exception or a longjmp
// unwinds through it, restores the stack pointer and sets __THREW__
// (setThrew, which keeps a longjmp's target if one is already set) for the
// caller to inspect.
//
// A 'j' in the signature is an i64. Without WASM_BIGINT it arrives split in
// two i32 halves, which invoke_ joins for the callee, and an i64 result goes
// back split (high half through tempRet0). With WASM_BIGINT the engine passes
// BigInts and nothing is split.
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

export function unwindFunctions(ctx) {
  ctx.unwinding = null;  // the CppException or LongjmpUnwind last caught by an invoke_
  const invokeFactory = (importName) => {
    const sig = importName.slice('invoke_'.length);
    if (!/^[vijfd][ijfd]*$/.test(sig)) {
      throw new Error(`lazylink: cannot provide ${importName}: unknown signature "${sig}"`);
    }
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
        ctx.unwinding = e;
        setThrew(1, 0);
        if (ret === 'v') return undefined;
        return ret === 'j' && big ? 0n : 0;
      }
    };
  };
  return [
    [ENV, 'invoke_*', '', invokeFactory],
    [ENV, '_emscripten_throw_longjmp', 'v', () => { throw new LongjmpUnwind(); }],
  ];
}
