// Inline JavaScript in modules, and JavaScript libraries (docs/em-js.md).
//
// - EM_ASM / EM_ASM_INT / EM_ASM_DOUBLE / MAIN_THREAD_EM_ASM*: the module
//   calls emscripten_asm_const_* with the address of the code (a string in
//   its own data), a signature string ("iid": one char per argument) and a
//   buffer of arguments. The code is compiled once per address into
//   `function($0, $1, ...) { code }` and called with the decoded arguments
//   (Emscripten 3.1.6's readAsmConstArgs rules: i32 for 'i', an 8-aligned
//   f64 for 'd' and 'f').
// - EM_JS(ret, name, (params), { body }): the module imports env.NAME and
//   exports __em_js__NAME, the address of "(params)<::>{ body }" in its
//   data. The linker binds such an import to this file's `__em_js__*`
//   factory with that address (loader/link/plan.cc); the function is built
//   from the string at its first call (the data is in place by then).
// - JS libraries (createHost({ jsLibrary }), `lazylink run --js-library`):
//   files written for `emcc --js-library`, i.e.
//   mergeInto(LibraryManager.library, { name: function(...) {...},
//   name__sig: 'ii', name__deps: ['$helper'], $helper: ... }). Each function
//   becomes a host function env.NAME (signature from __sig, else whatever
//   the import declares); `$`-prefixed entries are helpers in scope by the
//   name without `$`.
//
// All of this code runs in one scope per domain, with the names EM_ASM code
// commonly uses: Module, HEAP8 ... HEAPF64 (live views of the domain's
// memory), UTF8ToString, stringToUTF8, lengthBytesUTF8, out, err, print,
// printErr, _malloc, _free, stackSave/stackAlloc/stackRestore, getValue,
// setValue, jsStackTrace/stackTrace, and `_NAME` for any function or data
// symbol of the domain.
import { preprocessJsLibrary } from './js_preprocess.mjs';

const ENV = 'env';
const EM_JS_PREFIX = '__em_js__';
const ASYNC_JS_PREFIX = '__asyncjs__';
const NO_MODULE = 0xffffffff;  // dlsym's global scope (runtime/host/dylink.mjs)

const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

// Emscripten's trim_asm_const_body: EM_ASM's code is the stringified macro
// argument, so it may come wrapped in quotes, braces or parentheses.
function matchesAround(body, open, close) {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === open) depth++;
    else if (body[i] === close && --depth === 0 && i !== body.length - 1) return false;
  }
  return depth === 0;
}
export function trimAsmConst(code) {
  let body = code.trim();
  for (let prev = null; prev !== body;) {
    prev = body;
    if (body.length > 1 && body[0] === '"' && body.at(-1) === '"') body = body.slice(1, -1).replaceAll('\\"', '"').trim();
    if (body.length > 1 && body[0] === '{' && body.at(-1) === '}' && matchesAround(body, '{', '}')) body = body.slice(1, -1).trim();
    if (body.length > 1 && body[0] === '(' && body.at(-1) === ')' && matchesAround(body, '(', ')')) body = body.slice(1, -1).trim();
  }
  return body;
}

// The parameter names of "(int a, const char* s)" (Emscripten's create_em_js).
export function emJsParams(raw) {
  const inner = raw.trim().replace(/^\(/, '').replace(/\)$/, '').trim();
  if (inner === '' || inner === 'void') return [];
  return inner.split(',').map((p) => p.trim().split(/\s+/).at(-1).replaceAll('*', '').replace(/\[.*$/, ''));
}

// Text of a JS library file for emcc --js-library, evaluated in `scope`:
// returns its entries ({ name: value, name__sig: ..., ... }).
function evalLibrary(source, file, scope, defines) {
  // #if/#else/#endif: runtime/host/js_preprocess.mjs.
  source = preprocessJsLibrary(source, file, defines);
  if (source.includes('{{{')) {
    throw new Error(`JS library ${file}: uses Emscripten's {{{ ... }}} macros, which lazylink does not run; ` +
                    'write the values the file needs directly');
  }
  const library = {};
  const merge = (target, entries) => Object.assign(target, entries);
  const manager = { library };
  try {
    // eslint-disable-next-line no-new-func
    new Function('__lazylink_scope', 'mergeInto', 'LibraryManager', 'addToLibrary', 'autoAddDeps',
      `with (__lazylink_scope) {\n${source}\n}`)(scope, merge, manager, (entries) => merge(library, entries), () => {});
  } catch (e) {
    throw new Error(`JS library ${file}: ${e.message}`);
  }
  return library;
}

export function emJsFunctions(ctx) {
  const libraryFns = new Map();  // name -> function (from JS libraries)
  const helpers = new Map();     // `$name` entries, by name without `$`
  const symbolCache = new Map(); // _NAME -> { slot, value } (found ones only)
  const asmConsts = new Map();   // code address -> { bytes, fn }

  // Live memory views, refreshed after growth.
  let viewsOf = null;
  let views = null;
  const heap = () => {
    const buf = ctx.domain.memory.buffer;
    if (buf !== viewsOf) {
      viewsOf = buf;
      views = {
        HEAP8: new Int8Array(buf), HEAPU8: new Uint8Array(buf), HEAP16: new Int16Array(buf),
        HEAPU16: new Uint16Array(buf), HEAP32: new Int32Array(buf), HEAPU32: new Uint32Array(buf),
        HEAPF32: new Float32Array(buf), HEAPF64: new Float64Array(buf),
        HEAP64: new BigInt64Array(buf), HEAPU64: new BigUint64Array(buf),
      };
    }
    return views;
  };
  const libstd = (name) => {
    const f = ctx.libstd?.[name];
    if (!f) throw new Error(`lazylink: ${name} is not available (libstd is not loaded yet)`);
    return f;
  };

  // A symbol of the domain by its JS name `_NAME`: a function (callable),
  // or a data symbol's address. undefined if none.
  // A function is kept by its canonical table slot, which an unload nulls:
  // then it is looked up again.
  const symbol = (jsName) => {
    const name = jsName.slice(1);
    if (libraryFns.has(name)) return libraryFns.get(name);
    const cached = symbolCache.get(jsName);
    if (cached) {
      if (!cached.slot) return cached.value;
      const f = ctx.domain.table.get(cached.slot);
      if (f) return f;
    }
    if (!ctx.domain?.linker) return undefined;
    const r = ctx.domain.lookup(NO_MODULE, name);
    if (!r.ok) return undefined;
    const fn = r.kind === 'function';
    const value = fn ? ctx.domain.table.get(r.value) : r.value;
    symbolCache.set(jsName, { slot: fn ? r.value : 0, value });
    return value;
  };

  const utf8 = new TextDecoder();
  const encoder = new TextEncoder();
  const UTF8ArrayToString = (array, idx = 0, maxBytes = Infinity) => {
    let end = idx;
    while (end < array.length && array[end] && end - idx < maxBytes) end++;
    return utf8.decode(array.subarray(idx, end));
  };
  const UTF8ToString = (ptr, maxBytes) => (ptr ? UTF8ArrayToString(heap().HEAPU8, ptr >>> 0, maxBytes) : '');
  const stringToUTF8Array = (str, out, outIdx, maxBytes) => {
    if (!(maxBytes > 0)) return 0;
    const bytes = encoder.encode(String(str));
    let n = bytes.length;
    if (n > maxBytes - 1) {
      n = maxBytes - 1;
      while (n > 0 && (bytes[n] & 0xc0) === 0x80) n--;  // no cut UTF-8 sequence
    }
    out.set(bytes.subarray(0, n), outIdx);
    out[outIdx + n] = 0;
    return n;
  };
  const stringToUTF8 = (str, outPtr, maxBytes) => stringToUTF8Array(str, heap().HEAPU8, outPtr >>> 0, maxBytes);
  const lengthBytesUTF8 = (str) => encoder.encode(String(str)).length;
  const allocateUTF8 = (str) => ctx.mallocCString(String(str));
  const allocateUTF8OnStack = (str) => {
    const size = lengthBytesUTF8(str) + 1;
    const ptr = libstd('stackAlloc')(size) >>> 0;
    stringToUTF8(str, ptr, size);
    return ptr;
  };
  const UTF16ToString = (ptr, maxBytes = Infinity) => {
    const h = heap().HEAPU16;
    let s = '';
    for (let i = ptr >>> 1; 2 * (i - (ptr >>> 1)) < maxBytes && h[i]; i++) s += String.fromCharCode(h[i]);
    return s;
  };
  const stringToUTF16 = (str, outPtr, maxBytes = 0x7fffffff) => {
    if (maxBytes < 2) return 0;
    const n = Math.min(str.length, (maxBytes - 2) >> 1);
    const h = heap().HEAPU16;
    for (let i = 0; i < n; i++) h[(outPtr >>> 1) + i] = str.charCodeAt(i);
    h[(outPtr >>> 1) + n] = 0;
    return 2 * n;
  };
  const UTF32ToString = (ptr, maxBytes = Infinity) => {
    const h = heap().HEAPU32;
    let s = '';
    for (let i = ptr >>> 2; 4 * (i - (ptr >>> 2)) < maxBytes && h[i]; i++) s += String.fromCodePoint(h[i]);
    return s;
  };
  const getValue = (ptr, type = 'i8') => {
    const h = heap();
    ptr >>>= 0;
    if (type.endsWith('*')) type = 'i32';
    switch (type) {
      case 'i1': case 'i8': return h.HEAP8[ptr];
      case 'i16': return h.HEAP16[ptr >> 1];
      case 'i32': return h.HEAP32[ptr >> 2];
      case 'i64': return Number(h.HEAP64[ptr >> 3]);
      case 'float': return h.HEAPF32[ptr >> 2];
      case 'double': return h.HEAPF64[ptr >> 3];
      default: throw new Error(`getValue: invalid type ${type}`);
    }
  };
  const setValue = (ptr, value, type = 'i8') => {
    const h = heap();
    ptr >>>= 0;
    if (type.endsWith('*')) type = 'i32';
    switch (type) {
      case 'i1': case 'i8': h.HEAP8[ptr] = value; break;
      case 'i16': h.HEAP16[ptr >> 1] = value; break;
      case 'i32': h.HEAP32[ptr >> 2] = value; break;
      case 'i64': h.HEAP64[ptr >> 3] = BigInt(Math.trunc(Number(value))); break;
      case 'float': h.HEAPF32[ptr >> 2] = value; break;
      case 'double': h.HEAPF64[ptr >> 3] = value; break;
      default: throw new Error(`setValue: invalid type ${type}`);
    }
  };
  // A JS number as a 64-bit integer at ptr: wrapped modulo 2^64; or, out of
  // the signed/unsigned range, clamped to its end or a RangeError.
  const writeI53 = (ptr, num, mode, signed) => {
    const h = heap().HEAPU32;
    const p = ptr >>> 2;
    const [min, max] = signed ? [-(2 ** 63), 2 ** 63] : [0, 2 ** 64];
    if (mode && (num < min || num >= max)) {
      if (mode === 'signal') throw new RangeError(`${num} does not fit a 64-bit integer`);
      // The range's last value is not a double: its words are written.
      if (num < min) [h[p], h[p + 1]] = signed ? [0, 0x80000000] : [0, 0];
      else [h[p], h[p + 1]] = signed ? [0xffffffff, 0x7fffffff] : [0xffffffff, 0xffffffff];
      return;
    }
    // A Uint32Array store is ToUint32: truncated toward zero, modulo 2^32.
    h[p] = num;
    h[p + 1] = (num - h[p]) / 4294967296;
  };
  const out = (...a) => ctx.stdout(`${a.join(' ')}\n`);
  // The JS call stack below the caller of jsStackTrace()/stackTrace().
  const callStack = (skip) => (new Error().stack ?? '').split('\n').slice(1 + skip).join('\n');
  const jsStackTrace = () => callStack(2);
  const err = (...a) => ctx.stderr(`${a.join(' ')}\n`);
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  const isWorker = typeof WorkerGlobalScope !== 'undefined';

  // The fixed names, as getters (live values) on one object.
  const names = {
    get HEAP8() { return heap().HEAP8; }, get HEAPU8() { return heap().HEAPU8; },
    get HEAP16() { return heap().HEAP16; }, get HEAPU16() { return heap().HEAPU16; },
    get HEAP32() { return heap().HEAP32; }, get HEAPU32() { return heap().HEAPU32; },
    get HEAPF32() { return heap().HEAPF32; }, get HEAPF64() { return heap().HEAPF64; },
    get HEAP64() { return heap().HEAP64; }, get HEAPU64() { return heap().HEAPU64; },
    get buffer() { return ctx.domain.memory.buffer; },
    get wasmMemory() { return ctx.domain.memory; },
    get wasmTable() { return ctx.domain.table; },
    UTF8ToString, UTF8ArrayToString, stringToUTF8, stringToUTF8Array, lengthBytesUTF8,
    allocateUTF8, allocateUTF8OnStack, UTF16ToString, stringToUTF16,
    lengthBytesUTF16: (str) => 2 * String(str).length,
    UTF32ToString,
    AsciiToString: (ptr) => { const h = heap().HEAPU8; let s = ''; while (h[ptr]) s += String.fromCharCode(h[ptr++]); return s; },
    intArrayFromString: (str, dontAddNull) => { const b = [...encoder.encode(String(str))]; if (!dontAddNull) b.push(0); return b; },
    writeArrayToMemory: (array, ptr) => { heap().HEAP8.set(array, ptr); },
    writeAsciiToMemory: (str, ptr, dontAddNull) => {
      const h = heap().HEAP8;
      for (let i = 0; i < str.length; i++) h[ptr++] = str.charCodeAt(i);
      if (!dontAddNull) h[ptr] = 0;
    },
    getValue, setValue,
    // 64-bit integers as JS numbers (53 bits exact), Emscripten's int53 helpers.
    convertI32PairToI53: (lo, hi) => (lo >>> 0) + (hi | 0) * 4294967296,
    convertU32PairToI53: (lo, hi) => (lo >>> 0) + (hi >>> 0) * 4294967296,
    readI53FromI64: (ptr) => Number(heap().HEAP64[ptr >>> 3]),
    readI53FromU64: (ptr) => Number(heap().HEAPU64[ptr >>> 3]),
    writeI53ToI64: (ptr, num) => writeI53(ptr, num, null, true),
    writeI53ToI64Clamped: (ptr, num) => writeI53(ptr, num, 'clamp', true),
    writeI53ToI64Signaling: (ptr, num) => writeI53(ptr, num, 'signal', true),
    writeI53ToU64Clamped: (ptr, num) => writeI53(ptr, num, 'clamp', false),
    writeI53ToU64Signaling: (ptr, num) => writeI53(ptr, num, 'signal', false),
    out, err, print: out, printErr: err,
    // The JS call stack as text (the engine's frames, this helper's own
    // left out); stackTrace() with C++ names demangled, as Emscripten's
    // (names need a name section: a build with --profiling-funcs or -g).
    jsStackTrace,
    stackTrace: () => callStack(2).replace(/\b_?_Z[\w$.]+/g, (m) => {
      const d = ctx.demangle ? ctx.demangle(m.startsWith('__Z') ? m.slice(1) : m) : m;
      return d === m ? m : `${d} (${m})`;
    }),
    _malloc: (n) => libstd('malloc')(n),
    _free: (p) => libstd('free')(p),
    stackSave: () => libstd('stackSave')(),
    stackRestore: (p) => libstd('stackRestore')(p),
    stackAlloc: (n) => libstd('stackAlloc')(n),
    getWasmTableEntry: (i) => ctx.domain.table.get(i),
    dynCall: (sig, ptr, args = []) => ctx.domain.table.get(ptr)(...args),
    abort: (what) => ctx.abort(what === undefined ? 'abort() called from JavaScript' : String(what)),
    assert: (cond, text) => { if (!cond) ctx.abort(`Assertion failed${text ? `: ${text}` : ''}`); },
    ENVIRONMENT_IS_NODE: isNode,
    ENVIRONMENT_IS_WEB: !isNode && !isWorker && typeof window !== 'undefined',
    ENVIRONMENT_IS_WORKER: isWorker,
    ENVIRONMENT_IS_SHELL: false,
  };

  // Module: what EM_ASM code keeps its own state in, with the names above
  // and every `_NAME` symbol as properties too.
  const moduleState = Object.create(null);
  const Module = new Proxy(moduleState, {
    get(target, key) {
      if (hasOwn(target, key)) return target[key];
      if (typeof key !== 'string') return undefined;
      if (key in names) return names[key];
      if (key[0] === '_') return symbol(key);
      return undefined;
    },
    has(target, key) {
      return hasOwn(target, key) || key in names || (typeof key === 'string' && key[0] === '_' && symbol(key) !== undefined);
    },
  });
  Object.defineProperty(names, 'Module', { value: Module, enumerable: true });
  // `lazylink run` (Node and --browser alike) sends console.log & co. of
  // this code to the program's stdout/stderr, as Node does; elsewhere the
  // console is the console.
  if (ctx.options.consoleToStdio) {
    const text = (args) => args.map((v) => {
      if (typeof v !== 'object' || v === null) return String(v);
      try { return JSON.stringify(v); } catch { return String(v); }
    }).join(' ');
    const toOut = (...args) => out(text(args));
    const toErr = (...args) => err(text(args));
    const stdio = { log: toOut, info: toOut, debug: toOut, warn: toErr, error: toErr, trace: toErr };
    const console_ = new Proxy(globalThis.console, { get: (target, key) => stdio[key] ?? target[key] });
    Object.defineProperty(names, 'console', { value: console_, enumerable: true });
  }

  // The scope all code runs in (`with`): the names above, helpers, JS
  // library functions as `_NAME`, then the domain's symbols as `_NAME`.
  // Other names fall through to the global object.
  const scope = new Proxy(Object.create(null), {
    has(target, key) {
      if (typeof key !== 'string') return false;
      return key in names || helpers.has(key) || (key[0] === '_' && symbol(key) !== undefined);
    },
    get(target, key) {
      if (typeof key !== 'string') return undefined;  // Symbol.unscopables
      if (key in names) return names[key];
      if (helpers.has(key)) return helpers.get(key);
      return symbol(key);
    },
    set(target, key, value) {
      // An assignment to a helper (`$counter: 0`) updates it.
      if (helpers.has(key)) helpers.set(key, value);
      else globalThis[key] = value;
      return true;
    },
  });
  ctx.jsScope = scope;
  ctx.jsModule = Module;

  // Errors in the user's JavaScript end the program as abort() does, saying
  // which code threw; lazylink's own unwinding (exit, C++ exceptions,
  // longjmp) and traps pass through.
  const userError = (e) => typeof e !== 'object' || e === null ||
    [Error, ReferenceError, TypeError, SyntaxError, EvalError, URIError].includes(e.constructor);
  const guard = (fn, what) => function guarded(...args) {
    try {
      return fn(...args);
    } catch (e) {
      if (!userError(e)) throw e;
      const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return ctx.abort(`${what} threw ${text}`);
    }
  };

  const compile = (params, body, what) => {
    try {
      // eslint-disable-next-line no-new-func
      return new Function('__lazylink_scope', `with (__lazylink_scope) { return function(${params.join(', ')}) {\n${body}\n}; }`)(scope);
    } catch (e) {
      throw new Error(`${what} does not compile: ${e.message}\n  ${body.trim().slice(0, 200)}`);
    }
  };

  // readAsmConstArgs: one char per argument in the signature string; an
  // 'i' (or 'p') is an i32 slot, a 'd' or 'f' an f64 in an 8-aligned slot,
  // a 'j' an i64 (BigInt) in an 8-aligned slot.
  const asmArgs = (sigPtr, buf) => {
    const h = heap();
    const args = [];
    let p = buf >>> 2;
    for (let s = sigPtr >>> 0; h.HEAPU8[s]; s++) {
      const ch = h.HEAPU8[s];
      if (ch === 100 || ch === 102 || ch === 106) {  // d f j
        if (p & 1) p++;
        args.push(ch === 106 ? h.HEAP64[p >> 1] : h.HEAPF64[p >> 1]);
        p += 2;
      } else {
        args.push(h.HEAP32[p]);
        p++;
      }
    }
    return args;
  };

  // The compiled EM_ASM block at `code`, once per address (checked against
  // the bytes there, so a module unloaded and another loaded at the same
  // address gets its own).
  const asmConst = (code) => {
    code >>>= 0;
    const u8 = heap().HEAPU8;
    let end = code;
    while (end < u8.length && u8[end]) end++;
    const cached = asmConsts.get(code);
    if (cached && cached.bytes.length === end - code) {
      let same = true;
      for (let i = 0; i < cached.bytes.length && same; i++) same = cached.bytes[i] === u8[code + i];
      if (same) return cached.fn;
    }
    const text = trimAsmConst(utf8.decode(u8.subarray(code, end)));
    let arity = 0;
    for (let i = 0; i < 16; i++) if (text.includes(`$${i}`)) arity = i + 1;
    const params = Array.from({ length: arity }, (_, i) => `$${i}`);
    const snippet = text.replace(/\s+/g, ' ').slice(0, 60);
    const fn = guard(compile(params, text, `EM_ASM block at ${code}`), `the EM_ASM block "${snippet}"`);
    asmConsts.set(code, { bytes: u8.slice(code, end), fn });
    return fn;
  };
  const runAsm = (code, sigPtr, argbuf) => asmConst(code)(...asmArgs(sigPtr, argbuf));

  // EM_JS NAME, from "(params)<::>{ body }" at `address`.
  const emJs = (name, bytes, address) => {
    if (!address) {
      throw new Error(`${EM_JS_PREFIX}${name} is EM_JS's own symbol and cannot be imported`);
    }
    if (name.startsWith(ASYNC_JS_PREFIX)) {
      throw new Error(`${name.slice(ASYNC_JS_PREFIX.length)} is an EM_ASYNC_JS function, which needs ` +
                      "Emscripten's Asyncify; lazylink does not provide it (use EM_JS)");
    }
    let fn = null;
    const build = () => {
      const raw = UTF8ToString(address);
      const sep = raw.indexOf('<::>');
      if (sep < 0) ctx.abort(`EM_JS ${name}: no "<::>" in the string at ${address} (not an EM_JS definition)`);
      return guard(compile(emJsParams(raw.slice(0, sep)), raw.slice(sep + 4), `EM_JS ${name}`), `EM_JS function ${name}`);
    };
    return function emJsFunction(...args) {
      fn ??= build();
      return fn(...args);
    };
  };

  const entries = [
    [ENV, 'emscripten_asm_const_int', 'iiii', runAsm],
    [ENV, 'emscripten_asm_const_ptr', 'iiii', runAsm],
    [ENV, 'emscripten_asm_const_double', 'diii', runAsm],
    // Single-threaded: the main thread is this thread.
    [ENV, 'emscripten_asm_const_int_sync_on_main_thread', 'iiii', runAsm],
    [ENV, 'emscripten_asm_const_double_sync_on_main_thread', 'diii', runAsm],
    [ENV, 'emscripten_asm_const_async_on_main_thread', 'viii', (code, sigPtr, argbuf) => { runAsm(code, sigPtr, argbuf); }],
    // The linker binds env.NAME of a module exporting __em_js__NAME here,
    // with the string's address (the factory's third argument).
    [ENV, `${EM_JS_PREFIX}*`, '', emJs],
  ];

  // JS libraries: [{ file, source, defines }] or source strings.
  const libs = ctx.options.jsLibrary ?? [];
  for (const [i, lib] of (Array.isArray(libs) ? libs : [libs]).entries()) {
    const { file, source, defines } = typeof lib === 'string' ? { file: `jsLibrary[${i}]`, source: lib } : lib;
    const library = evalLibrary(source, file, scope, defines);
    for (const [key, value] of Object.entries(library)) {
      if (key.includes('__')) continue;  // name__sig, name__deps, ...: read below
      if (key[0] === '$') {
        helpers.set(key.slice(1), value);
        continue;
      }
      let target = value;
      // An alias ("other_name"), as Emscripten's own library writes them.
      if (typeof target === 'string' && typeof library[target] === 'function') target = library[target];
      if (typeof target !== 'function') {
        helpers.set(`_${key}`, target);  // a value: `_NAME` in scope
        continue;
      }
      const sig = library[`${key}__sig`] ?? (typeof value === 'string' ? library[`${value}__sig`] : undefined) ?? '';
      if (typeof sig !== 'string' || !/^[vijfdp]?[ijfdp]*$/.test(sig)) {
        throw new Error(`JS library ${file}: ${key}__sig is "${sig}", not an Emscripten signature like 'iii'`);
      }
      for (const dep of library[`${key}__deps`] ?? []) {
        if (typeof dep !== 'string') continue;
        const helper = dep[0] === '$' ? dep : null;
        if (helper && !hasOwn(library, helper) && !helpers.has(helper.slice(1)) && !(helper.slice(1) in names)) {
          throw new Error(`JS library ${file}: ${key} depends on ${dep}, which no JS library defines`);
        }
      }
      target = guard(target, `${key} (JS library ${file})`);
      libraryFns.set(key, target);
      const postset = library[`${key}__postset`];
      if (typeof postset === 'string') {
        try {
          compile([], postset, `${key}__postset`)();
        } catch (e) {
          throw new Error(`JS library ${file}: ${key}__postset: ${e.message}`);
        }
      }
      // A JS library function may replace a host function of the same name
      // (like emcc --js-library); it is listed last, so it wins.
      entries.push([ENV, key, sig.replace(/p/g, 'i'), target, { replaces: true, from: file }]);
    }
  }
  return entries;
}
