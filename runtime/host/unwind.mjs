// Non-local control flow across modules, as Emscripten 3.1.6 does it without
// wasm exception handling: code that may throw (C++ -fexceptions) or
// longjmp (setjmp/longjmp) calls through invoke_<sig>(index, args...),
// which calls the table entry and, when a C++ exception or a longjmp
// unwinds through it, restores the stack pointer and sets __THREW__
// (setThrew) for the caller to inspect.
//
// A 'j' in the signature is an i64 passed split in two i32 halves (no
// WASM_BIGINT); invoke_ joins them for the callee and splits an i64 result
// back (high half through tempRet0).
const ENV = 'env';

// Thrown by __cxa_throw and friends (exceptions.mjs).
export class CppException {
  constructor(ptr) {
    this.ptr = ptr;
  }
}

// Thrown by emscripten_longjmp (through _emscripten_throw_longjmp).
export class LongjmpUnwind {}

export function isUnwind(e) {
  return e instanceof CppException || e instanceof LongjmpUnwind;
}

export function unwindFunctions(ctx) {
  const invokeFactory = (importName) => {
    const sig = importName.slice('invoke_'.length);
    if (!/^[vijfd][ijfd]*$/.test(sig)) {
      throw new Error(`lazylink: cannot provide ${importName}: unknown signature "${sig}"`);
    }
    const ret = sig[0];
    const params = sig.slice(1);
    const needsJoin = params.includes('j');
    return (index, ...args) => {
      const { stackSave, stackRestore, setThrew } = ctx.libstd;
      const sp = stackSave();
      try {
        let callArgs = args;
        if (needsJoin) {
          callArgs = [];
          let a = 0;
          for (const p of params) {
            if (p === 'j') {
              callArgs.push(BigInt(args[a] >>> 0) | (BigInt(args[a + 1] | 0) << 32n));
              a += 2;
            } else {
              callArgs.push(args[a++]);
            }
          }
        }
        const result = ctx.domain.table.get(index)(...callArgs);
        if (ret === 'j') {
          ctx.tempRet0 = Number(BigInt.asIntN(32, BigInt(result) >> 32n));
          return Number(BigInt.asIntN(32, BigInt(result)));
        }
        return result;
      } catch (e) {
        stackRestore(sp);
        if (!isUnwind(e)) throw e;
        setThrew(1, 0);
        return ret === 'v' ? undefined : 0;
      }
    };
  };
  return [
    [ENV, 'invoke_*', '', invokeFactory],
    [ENV, '_emscripten_throw_longjmp', 'v', () => { throw new LongjmpUnwind(); }],
  ];
}
