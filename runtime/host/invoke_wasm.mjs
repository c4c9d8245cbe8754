// invoke_<sig> wrappers as WebAssembly, so that no JS frame sits between a
// call that may throw and the function it calls. That matters on a
// browser's main thread, where a lazy first call suspends the whole wasm
// stack with JSPI (WebAssembly.promising / WebAssembly.Suspending): the
// engine cannot suspend through JS frames, and a JS invoke_ wrapper is one.
//
// One small module per signature, compiled once per JS realm and
// instantiated once per domain. The wrapper does what Emscripten's JS
// invoke_ does: save the stack pointer, call the table entry, and when a C++
// exception or a longjmp of the host (a JS throw of a CppException or
// LongjmpUnwind, unwind.mjs) comes out of it, restore the stack pointer and
// set __THREW__; anything else (an ExitStatus, a failed lazy load, a JS
// error) goes on up, with the stack pointer restored. Traps are not
// catchable by wasm, and pass through.
//
// Where the engine has WebAssembly.JSTag (Chromium), the catch receives
// the JS exception itself and asks the host about it:
//
//   (func $invoke (param $index i32) (param ...) (result ...)
//     (local $sp i32) (local $e externref)
//     global.get $__stack_pointer   local.set $sp
//     try (result ...)
//       (args, i64 halves joined) local.get $index
//       call_indirect (type $callee) $table
//       (legalized i64 result: high half to setTempRet0, low half returned)
//     catch $JSTag
//       local.set $e
//       local.get $sp  global.set $__stack_pointer
//       local.get $e  call $caught      ;; JS: an unwind of the host? then setThrew(1, 0)
//       i32.eqz  if  rethrow 1  end      ;; no: rethrow it as it was
//       (zero of the result type)
//     catch_all                          ;; exceptions of wasm tags
//       local.get $sp  global.set $__stack_pointer
//       rethrow 0
//     end)
//
// Without JSTag (Node 20) the catch is a catch_all, which does not see the
// exception; the host knows which unwind it threw last and when: every
// throw of an unwind bumps the domain's $throws counter (a wasm global), the
// wrapper reads it on entry, and $caught(entry count) answers yes only for
// an unwind thrown after this wrapper was entered and not yet caught. So an
// unwind that escaped to JavaScript earlier is never taken for the
// exception passing now.
//
// $caught is JS, but runs only after the throw has unwound into the catch:
// no JS frame is on the stack while the callee runs. The encoding is the
// legacy exception-handling opcodes (try, catch, catch_all, rethrow), which
// Node 20 and Chromium validate by default.

const SIGS = /^[vijfd][ijfd]*$/;
const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
const EXTERNREF = 0x6f;
const VALTYPE = { i: I32, j: I64, f: F32, d: F64 };

// WebAssembly.JSTag, where the engine has it.
export const JS_TAG = typeof WebAssembly.JSTag === 'object' && WebAssembly.JSTag !== null ? WebAssembly.JSTag : null;

function uleb(n, out) {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
}

function name(s, out) {
  uleb(s.length, out);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
}

function section(id, body, out) {
  out.push(id);
  uleb(body.length, out);
  out.push(...body);
}

function funcType(params, results, out) {
  out.push(0x60);
  uleb(params.length, out);
  out.push(...params);
  uleb(results.length, out);
  out.push(...results);
}

// The bytes of a module of invoke_ wrappers, export "i<k>" for wrappers[k]
// = { sig, bigint }:
//   sig     Emscripten's signature ("vii", "jij", ...)
//   bigint  i64 values cross unsplit (-sWASM_BIGINT), else as two i32
//           halves, with the high half of an i64 result through setTempRet0
//           (Emscripten's legalization)
// jsTag: catch JS exceptions with WebAssembly.JSTag (else catch_all and the
// $throws counter).
export function invokeModuleBytes(wrappers, { jsTag = false } = {}) {
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // Types: 0 $caught ((externref) or (i32) -> i32), 1 (i32) -> ()
  // (setTempRet0), 2 (externref) -> () (JSTag), then per wrapper its own
  // type and its callee's.
  const types = [];
  uleb(3 + 2 * wrappers.length, types);
  funcType([jsTag ? EXTERNREF : I32], [I32], types);
  funcType([I32], [], types);
  funcType([EXTERNREF], [], types);
  const shapes = wrappers.map(({ sig, bigint }, k) => {
    if (!SIGS.test(sig)) throw new Error(`lazylink: unknown invoke signature "${sig}"`);
    const ret = sig[0];
    const params = [...sig.slice(1)];
    const legal = !bigint;
    // The import's type (what the calling module declares).
    const outerParams = [I32];
    for (const p of params) {
      if (p === 'j' && legal) outerParams.push(I32, I32);
      else outerParams.push(VALTYPE[p]);
    }
    const outerResults = ret === 'v' ? [] : [ret === 'j' && legal ? I32 : VALTYPE[ret]];
    funcType(outerParams, outerResults, types);
    // The callee's type (the function in the table).
    funcType(params.map((p) => VALTYPE[p]), ret === 'v' ? [] : [VALTYPE[ret]], types);
    return { params, legal, outerParams, outerResults, splitResult: ret === 'j' && legal,
             outerType: 3 + 2 * k, calleeType: 4 + 2 * k };
  });
  section(1, types, bytes);

  // Imports: $caught (func 0), setTempRet0 (func 1), the table, the globals
  // sp (0) and throws (1), the tag.
  const imports = [];
  const entries = [
    ['caught', [0x00, 0x00]],
    ['setTempRet0', [0x00, 0x01]],
    ['table', [0x01, 0x70, 0x00, 0x00]],
    ['sp', [0x03, I32, 0x01]],
    jsTag ? ['js', [0x04, 0x00, 0x02]] : ['throws', [0x03, I32, 0x01]],
  ];
  uleb(entries.length, imports);
  for (const [field, desc] of entries) {
    name('env', imports);
    name(field, imports);
    imports.push(...desc);
  }
  section(2, imports, bytes);
  const fCaught = 0;
  const fSetTempRet0 = 1;
  const nFuncImports = 2;

  const funcs = [];
  uleb(wrappers.length, funcs);
  for (const sh of shapes) uleb(sh.outerType, funcs);
  section(3, funcs, bytes);
  const exp = [];
  uleb(wrappers.length, exp);
  wrappers.forEach((w, k) => {
    name(`i${k}`, exp);
    exp.push(0x00);
    uleb(nFuncImports + k, exp);
  });
  section(7, exp, bytes);

  const codes = [];
  uleb(wrappers.length, codes);
  for (const { params, legal, outerParams, outerResults, splitResult, calleeType } of shapes) {
    // Locals after the params: $sp (i32), $mark (i32: the $throws count on
    // entry, or unused), $e (externref), $wide (i64, a split result).
    const nParams = outerParams.length;
    const lSp = nParams;
    const lMark = nParams + 1;
    const lE = nParams + 2;
    const lWide = nParams + 3;
    const code = [0x03, 0x02, I32, 0x01, EXTERNREF, 0x01, I64];
    code.push(0x23, 0x00, 0x21); uleb(lSp, code);  // global.get sp; local.set $sp
    if (!jsTag) { code.push(0x23, 0x01, 0x21); uleb(lMark, code); }  // global.get throws; local.set $mark
    code.push(0x06, outerResults.length ? outerResults[0] : 0x40);  // try
    let local = 1;
    for (const p of params) {
      if (p === 'j' && legal) {
        // i64(lo) | i64(hi) << 32
        code.push(0x20); uleb(local, code); code.push(0xad);
        code.push(0x20); uleb(local + 1, code); code.push(0xad, 0x42, 32, 0x86, 0x84);
        local += 2;
      } else {
        code.push(0x20); uleb(local, code);
        local += 1;
      }
    }
    code.push(0x20, 0x00);  // local.get $index
    code.push(0x11); uleb(calleeType, code); code.push(0x00);  // call_indirect (type) table 0
    if (splitResult) {
      code.push(0x22); uleb(lWide, code);  // local.tee $wide
      code.push(0x42, 32, 0x88, 0xa7, 0x10); uleb(fSetTempRet0, code);  // >> 32, wrap, setTempRet0
      code.push(0x20); uleb(lWide, code); code.push(0xa7);  // low half
    }
    const restoreSp = () => { code.push(0x20); uleb(lSp, code); code.push(0x24, 0x00); };
    if (jsTag) {
      code.push(0x07, 0x00);  // catch $js (tag 0)
      code.push(0x21); uleb(lE, code);
      restoreSp();
      code.push(0x20); uleb(lE, code);
    } else {
      code.push(0x19);  // catch_all
      restoreSp();
      code.push(0x20); uleb(lMark, code);
    }
    code.push(0x10); uleb(fCaught, code);
    code.push(0x45, 0x04, 0x40, 0x09, 0x01, 0x0b);  // i32.eqz; if; rethrow 1; end
    switch (outerResults[0]) {
      case undefined: break;
      case I32: code.push(0x41, 0x00); break;
      case I64: code.push(0x42, 0x00); break;
      case F32: code.push(0x43, 0, 0, 0, 0); break;
      case F64: code.push(0x44, 0, 0, 0, 0, 0, 0, 0, 0); break;
    }
    if (jsTag) {
      code.push(0x19);  // catch_all: exceptions of wasm tags
      restoreSp();
      code.push(0x09, 0x00);  // rethrow 0
    }
    code.push(0x0b, 0x0b);  // end try, end func
    uleb(code.length, codes);
    codes.push(...code);
  }
  section(10, codes, bytes);
  return new Uint8Array(bytes);
}

// Whether this engine compiles and links the wrappers (wasm exception
// handling with the legacy opcodes, reference types, and JSTag in a legacy
// catch where it has JSTag): a small module, instantiated once.
let supported = null;
export function wasmInvokeSupported() {
  if (supported === null) {
    try {
      const jsTag = JS_TAG !== null;
      const module = new WebAssembly.Module(invokeModuleBytes([{ sig: 'ijd', bigint: false }], { jsTag }));
      const env = {
        table: new WebAssembly.Table({ element: 'anyfunc', initial: 1 }),
        sp: new WebAssembly.Global({ value: 'i32', mutable: true }, 0),
        caught: () => 0,
        setTempRet0: () => {},
      };
      if (jsTag) env.js = JS_TAG;
      else env.throws = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
      new WebAssembly.Instance(module, { env });
      supported = true;
    } catch {
      supported = false;
    }
  }
  return supported;
}

// Compiled wrapper modules, by their wrappers, for the whole realm.
const compiled = new Map();

// WebAssembly functions invoke_<sig>, one per { sig, bigint } of
// `wrappers`, for one domain (one module compiled and instantiated for all):
//   table, stackPointer  the domain's funcref table and __stack_pointer
//   caught(e)            with JSTag: whether JS exception e is an unwind of
//                        the host (then it has set __THREW__)
//   caught(mark)         without: whether an unwind thrown since the
//                        $throws count was `mark` is in flight (the same)
//   throws               without JSTag: the domain's unwind counter (a
//                        mutable i32 WebAssembly.Global)
//   setTempRet0(hi)      the high half of a legalized i64 result
export function makeWasmInvokes(wrappers, { table, stackPointer, caught, throws, setTempRet0 }) {
  const jsTag = JS_TAG !== null;
  const key = wrappers.map((w) => (w.bigint ? `${w.sig}/big` : w.sig)).join(',');
  let module = compiled.get(key);
  if (!module) {
    module = new WebAssembly.Module(invokeModuleBytes(wrappers, { jsTag }));
    compiled.set(key, module);
  }
  const env = { table, sp: stackPointer, caught, setTempRet0 };
  if (jsTag) env.js = JS_TAG;
  else env.throws = throws;
  const { exports } = new WebAssembly.Instance(module, { env });
  return wrappers.map((w, k) => exports[`i${k}`]);
}

// The types of a module's invoke_* imports, read from its bytes:
// Map name -> { params: [valtype...], results: [valtype...] }.
export function invokeImportTypes(bytes) {
  const out = new Map();
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let p = 8;
  const readU = () => {
    let r = 0;
    let shift = 0;
    let b;
    do {
      b = u8[p++];
      r |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return r >>> 0;
  };
  // A name as [offset, length], read without making a string.
  const skipName = () => {
    const n = readU();
    const at = p;
    p += n;
    return [at, n];
  };
  const is = ([at, n], prefix) => {
    if (n < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (u8[at + i] !== prefix.charCodeAt(i)) return false;
    return true;
  };
  const text = ([at, n]) => String.fromCharCode(...u8.subarray(at, at + n));
  const types = [];
  while (p < u8.length) {
    const id = u8[p++];
    const size = readU();
    const end = p + size;
    if (id === 1) {
      const n = readU();
      for (let i = 0; i < n; i++) {
        if (u8[p++] !== 0x60) return out;  // not a plain function type: give up
        const params = [];
        for (let k = readU(); k > 0; k--) params.push(u8[p++]);
        const results = [];
        for (let k = readU(); k > 0; k--) results.push(u8[p++]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      const n = readU();
      for (let i = 0; i < n; i++) {
        const mod = skipName();
        const field = skipName();
        const kind = u8[p++];
        if (kind === 0) {
          const t = readU();
          if (mod[1] === 3 && is(mod, 'env') && is(field, 'invoke_') && types[t]) out.set(text(field), types[t]);
        } else if (kind === 1) {
          p++;  // reftype
          const flags = u8[p++];
          readU();
          if (flags & 1) readU();
        } else if (kind === 2) {
          const flags = u8[p++];
          readU();
          if (flags & 1) readU();
        } else if (kind === 3) {
          p += 2;
        } else if (kind === 4) {
          p++;
          readU();
        } else {
          return out;
        }
      }
      return out;
    } else if (id !== 0) {
      // Types and imports come first; past them there is nothing to find.
      if (id > 2) return out;
    }
    p = end;
  }
  return out;
}

// Whether an invoke_ import of this type passes i64 unsplit.
export function isBigintType(type) {
  return type.params.includes(I64) || type.results.includes(I64);
}
