// Derives, from the installed Emscripten toolchain itself, the list of
// functions a program's modules may import from the runtime: what libstd and
// the host must provide (docs/runtime.md, "The runtime, derived").
//
//   node runtime/derive/derive.mjs [--emscripten DIR] [--cache DIR] > derived.json
//
// Two sources:
//  1. The system archives libstd is linked from (the position-independent
//     libc, dlmalloc, libc++, libc++abi, compiler-rt and libstubs of the
//     toolchain's cache): every function their object files import and none
//     of them defines, read from the objects' import sections and symbol
//     tables (module, field name and signature as the import declares them).
//  2. Emscripten's JS library (src/library*.js): every C-callable function
//     (`_`-prefixed) its own JS compiler (src/compiler.js, in the mode emcc
//     uses to list every JS library symbol) reports with the full library
//     and tracing included, each attributed to the library file that
//     defines it. A file is in scope or not as a whole (SCOPE below, with
//     the reason), and a function is in scope only when a system header
//     declares it (a function no header declares is the JS runtime's own).
//
// Nothing here is a hand-written list of functions: the lists come from the
// toolchain; only which library files are in scope is a decision, stated
// below.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

// Archives libstd is made of (runtime/libstd/CMakeLists.txt), both variants.
export const ARCHIVES = ['libc.a', 'libdlmalloc.a', 'libc++-noexcept.a', 'libc++abi-noexcept.a',
  'libc++.a', 'libc++abi.a', 'libcompiler_rt.a', 'libstubs.a', 'libsockets.a'];

// Which JS library files are in scope, and why. Keys are file names;
// `names` restricts a file to the functions matching it.
export const SCOPE = {
  'library.js': { in: true, why: 'the core runtime: exit, time, system, signals, stack traces, run_script, random' },
  'library_syscall.js': { in: true, why: 'the system calls libc forwards to JS' },
  'library_wasi.js': { in: true, why: 'WASI preview 1, what libc calls for stdio, clocks, environ' },
  'library_math.js': { in: true, why: 'emscripten_math_*: JS Math for C' },
  'library_eventloop.js': { in: true, why: 'timeouts, intervals and immediates on the JS event loop' },
  'library_browser.js': {
    in: true,
    names: /^(emscripten_async_call|emscripten_(set|cancel|pause|resume)_main_loop.*|emscripten_(get|set)_main_loop_timing|_?emscripten_push_(uncounted_)?main_loop_blocker|emscripten_set_main_loop_expected_blockers|emscripten_async_run_script|emscripten_async_load_script)$/,
    why: 'only the main-loop and async-call functions; canvas, window, worker and preloaded-image functions need a page or a separate worker build',
  },
  'library_stack_trace.js': { in: true, why: 'stack traces' },
  'library_trace.js': { in: true, why: 'emscripten_trace_* (programs built with --tracing)' },
  'library_uuid.js': { in: true, why: 'libuuid' },
  'library_formatString.js': { in: true, why: 'printf/puts/strlen (libc defines them)' },
  'library_dylink.js': { in: true, why: 'dlopen/dlsym' },
  'library_pthread_stub.js': { in: true, why: 'the single-threaded answers of the thread API' },
  'library_exceptions.js': { in: true, why: 'C++ exceptions (JS-based)' },
  'library_exceptions_stub.js': { in: true, why: 'C++ exceptions (JS-based)' },
  'library_async.js': { in: false, why: 'needs the Asyncify transform of the whole program (-sASYNCIFY)' },
  'library_html5.js': { in: false, why: 'DOM events of a web page (libhtml5, not the C runtime)' },
  'library_html5_webgl.js': { in: false, why: 'GPU (WebGL)' },
  'library_html5_webgpu.js': { in: false, why: 'GPU (WebGPU)' },
  'library_webgl.js': { in: false, why: 'GPU (WebGL)' },
  'library_webgl2.js': { in: false, why: 'GPU (WebGL)' },
  'library_glemu.js': { in: false, why: 'GPU (WebGL)' },
  'library_webgpu.js': { in: false, why: 'GPU (WebGPU)' },
  'library_egl.js': { in: false, why: 'GPU (EGL)' },
  'library_glfw.js': { in: false, why: 'GPU (GLFW)' },
  'library_glut.js': { in: false, why: 'GPU (GLUT)' },
  'library_glew.js': { in: false, why: 'GPU (GLEW)' },
  'library_sdl.js': { in: false, why: 'SDL 1 (canvas, audio, GPU)' },
  'library_openal.js': { in: false, why: 'OpenAL (Web Audio)' },
  'library_xlib.js': { in: false, why: 'Xlib (canvas)' },
  'library_sockfs.js': { in: false, why: 'WebSocket-backed sockets' },
  'library_websocket.js': { in: false, why: 'WebSocket API' },
  'library_fetch.js': { in: false, why: 'the Fetch API library (libfetch, threads)' },
  'library_wget.js': { in: false, why: 'emscripten_wget into the file system / XHR' },
  'library_idbstore.js': { in: false, why: 'IndexedDB store API' },
  'library_pthread.js': { in: false, why: 'threads' },
  'library_wasmfs.js': { in: false, why: 'WasmFS' },
  'library_memoryprofiler.js': { in: false, why: 'the memory profiler overlay of a page (--memoryprofiler)' },
  '(generated)': { in: false, why: 'generated by the GL libraries (aliases of gl* functions)' },
};

function readU(buf, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos.p++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return result;
  }
}
function readName(buf, pos) {
  const len = readU(buf, pos);
  const s = buf.toString('utf8', pos.p, pos.p + len);
  pos.p += len;
  return s;
}
const VAL = { 0x7f: 'i', 0x7e: 'j', 0x7d: 'f', 0x7c: 'd' };

// Imports and symbols of one relocatable wasm object.
export function parseObject(buf) {
  if (buf.readUInt32LE(0) !== 0x6d736100) return null;
  const types = [];
  const imports = [];
  const symbols = [];
  const pos = { p: 8 };
  while (pos.p < buf.length) {
    const id = buf[pos.p++];
    const size = readU(buf, pos);
    const end = pos.p + size;
    if (id === 1) {
      const n = readU(buf, pos);
      for (let i = 0; i < n; i++) {
        pos.p++;  // 0x60
        const np = readU(buf, pos);
        let params = '';
        for (let j = 0; j < np; j++) params += VAL[buf[pos.p++]] ?? '?';
        const nr = readU(buf, pos);
        let result = 'v';
        for (let j = 0; j < nr; j++) result = VAL[buf[pos.p++]] ?? '?';
        types.push(result + params);
      }
    } else if (id === 2) {
      const n = readU(buf, pos);
      for (let i = 0; i < n; i++) {
        const module = readName(buf, pos);
        const field = readName(buf, pos);
        const kind = buf[pos.p++];
        const entry = { module, field, kind };
        if (kind === 0) entry.sig = types[readU(buf, pos)];
        else if (kind === 1) { pos.p++; const f = buf[pos.p++]; readU(buf, pos); if (f & 1) readU(buf, pos); }
        else if (kind === 2) { const f = buf[pos.p++]; readU(buf, pos); if (f & 1) readU(buf, pos); }
        else if (kind === 3) pos.p += 2;
        else if (kind === 4) { pos.p++; readU(buf, pos); }
        imports.push(entry);
      }
    } else if (id === 0) {
      const name = readName(buf, pos);
      if (name === 'linking') {
        readU(buf, pos);  // version
        while (pos.p < end) {
          const type = buf[pos.p++];
          const len = readU(buf, pos);
          const subEnd = pos.p + len;
          if (type === 8) {
            const n = readU(buf, pos);
            for (let i = 0; i < n; i++) {
              const kind = buf[pos.p++];
              const flags = readU(buf, pos);
              const undefined_ = (flags & 0x10) !== 0;
              const sym = { kind, flags, undefined: undefined_, local: (flags & 2) !== 0, weak: (flags & 1) !== 0 };
              if (kind === 0 || kind === 2 || kind === 4 || kind === 5) {
                sym.index = readU(buf, pos);
                if (!undefined_ || (flags & 0x40)) sym.name = readName(buf, pos);
              } else if (kind === 1) {
                sym.name = readName(buf, pos);
                if (!undefined_) { readU(buf, pos); readU(buf, pos); readU(buf, pos); }
              } else {
                readU(buf, pos);
              }
              symbols.push(sym);
            }
          }
          pos.p = subEnd;
        }
      }
    }
    pos.p = end;
  }
  // Undefined function symbols take their module, field and name from the
  // import they stand for.
  const funcImports = imports.filter((i) => i.kind === 0);
  const globalImports = imports.filter((i) => i.kind === 3);
  for (const s of symbols) {
    if (!s.undefined) continue;
    const imp = s.kind === 0 ? funcImports[s.index] : s.kind === 2 ? globalImports[s.index] : null;
    if (imp) {
      s.module = imp.module;
      s.field = imp.field;
      s.sig = imp.sig;
      s.name ??= imp.field;
    }
  }
  return symbols;
}

// The wasm objects of a GNU/llvm-ar archive.
export function* archiveMembers(buf) {
  if (buf.toString('latin1', 0, 8) !== '!<arch>\n') throw new Error('not an ar archive');
  let p = 8;
  let longNames = '';
  while (p + 60 <= buf.length) {
    let name = buf.toString('latin1', p, p + 16).trim();
    const size = Number(buf.toString('latin1', p + 48, p + 58).trim());
    const data = buf.subarray(p + 60, p + 60 + size);
    p += 60 + size + (size & 1);
    if (name === '//') { longNames = data.toString('latin1'); continue; }
    if (name === '/' || name === '/SYM64/') continue;
    if (/^\/\d+$/.test(name)) {
      const off = Number(name.slice(1));
      name = longNames.slice(off, longNames.indexOf('\n', off));
    }
    yield [name.replace(/\/$/, ''), data];
  }
}

// Every function the archives import and none of them defines.
export function deriveArchives(picDir, archives = ARCHIVES) {
  const defined = new Set();
  const wanted = new Map();  // name -> { module, field, sig, weak, archives: Set }
  const linkerGlobals = new Set();
  for (const a of archives) {
    const buf = fs.readFileSync(path.join(picDir, a));
    for (const [, data] of archiveMembers(buf)) {
      const symbols = parseObject(data);
      if (!symbols) continue;
      for (const s of symbols) {
        if (s.local || !s.name) continue;
        if (!s.undefined) { defined.add(s.name); continue; }
        if (s.kind === 0) {
          const w = wanted.get(s.name) ?? { module: s.module, field: s.field, sig: s.sig, weak: true, archives: new Set() };
          w.weak &&= s.weak;
          w.archives.add(a);
          wanted.set(s.name, w);
        } else {
          linkerGlobals.add(s.name);
        }
      }
    }
  }
  const functions = [];
  for (const [name, w] of wanted) {
    // A wasi import is never defined by a C symbol of its name.
    if (w.module === 'env' && defined.has(name)) continue;
    functions.push({ symbol: name, module: w.module, name: w.field, sig: w.sig, weak: w.weak,
      archives: [...w.archives].sort() });
  }
  functions.sort((x, y) => x.name.localeCompare(y.name));
  return { functions, linkerSymbols: [...linkerGlobals].filter((n) => !defined.has(n)).sort() };
}

// Emscripten's own JS compiler, in the mode emcc's get_all_js_syms uses:
// every JS library symbol, with the full library (and tracing) included.
export function jsLibrarySymbols(emscriptenRoot, cacheDir) {
  const src = path.join(emscriptenRoot, 'src');
  const context = {};
  vm.createContext(context);
  for (const f of ['settings.js', 'settings_internal.js']) {
    vm.runInContext(fs.readFileSync(path.join(src, f), 'utf8'), context);
  }
  const settings = { ...context };
  settings.LEGACY_SETTINGS = settings.LEGACY_SETTINGS.map((l) => l[0]);
  settings.ALL_INCOMING_MODULE_JS_API = [...settings.INCOMING_MODULE_JS_API, 'fetchSettings'];
  settings.INCLUDE_FULL_LIBRARY = 1;
  settings.ONLY_CALC_JS_SYMBOLS = 1;
  settings.EMSCRIPTEN_TRACING = 1;  // emcc --tracing: also adds library_trace.js
  settings.JS_LIBRARIES = [...(settings.JS_LIBRARIES ?? []), 'library_trace.js'];
  settings.STRUCT_INFO = path.join(cacheDir, 'sysroot/lib/wasm32-emscripten/struct_info.json');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lazylink-derive-'));
  try {
    const file = path.join(tmp, 'settings.json');
    fs.writeFileSync(file, JSON.stringify(settings));
    const out = execFileSync(process.execPath, [path.join(src, 'compiler.js'), file],
      { cwd: src, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
    const at = out.indexOf('//FORWARDED_DATA:');
    if (at < 0) throw new Error('src/compiler.js gave no symbol list');
    const data = JSON.parse(out.slice(at + '//FORWARDED_DATA:'.length));
    // C symbols carry a leading underscore (emcc's is_c_symbol).
    return data.libraryFunctions.filter((n) => n.startsWith('_')).map((n) => n.slice(1));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// The library file that defines each name (the first key `name:` found).
function attribute(emscriptenRoot, names) {
  const src = path.join(emscriptenRoot, 'src');
  const files = fs.readdirSync(src).filter((f) => /^library.*\.js$/.test(f)).sort((a, b) =>
    (a === 'library.js' ? -1 : b === 'library.js' ? 1 : a.localeCompare(b)));
  const keys = new Map();
  for (const f of files) {
    const text = fs.readFileSync(path.join(src, f), 'utf8');
    for (const m of text.matchAll(/^\s*['"]?([A-Za-z_$][\w$]*)['"]?\s*:/gm)) {
      if (!keys.has(m[1])) keys.set(m[1], f);
    }
  }
  return new Map(names.map((n) => [n, keys.get(n) ?? '(generated)']));
}

// Every function name a system header declares (sysroot/include).
function declaredNames(cacheDir) {
  const root = path.join(cacheDir, 'sysroot/include');
  const out = new Set();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.h$/.test(e.name) || !e.name.includes('.')) {
        const text = fs.readFileSync(p, 'utf8');
        for (const m of text.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) out.add(m[1]);
      }
    }
  };
  walk(root);
  return out;
}

export function derive({ emscriptenRoot, cacheDir } = {}) {
  emscriptenRoot ??= process.env.EMSCRIPTEN_ROOT ?? emConfig('EMSCRIPTEN_ROOT');
  cacheDir ??= process.env.EM_CACHE ?? emConfig('CACHE');
  const version = fs.readFileSync(path.join(emscriptenRoot, 'emscripten-version.txt'), 'utf8')
    .trim().replace(/"/g, '');
  const picDir = path.join(cacheDir, 'sysroot/lib/wasm32-emscripten/pic');
  const archives = deriveArchives(picDir);
  const jsNames = jsLibrarySymbols(emscriptenRoot, cacheDir);
  const files = attribute(emscriptenRoot, jsNames);
  const declared = declaredNames(cacheDir);
  const js = jsNames.map((name) => {
    const file = files.get(name);
    const scope = SCOPE[file] ?? { in: false, why: 'not classified', unclassified: true };
    let inScope = scope.in && (!scope.names || scope.names.test(name));
    let why = scope.in && !inScope ? 'outside this file\'s in-scope functions' : scope.why;
    if (inScope && !declared.has(name)) {
      inScope = false;
      why = 'declared in no system header (the JS runtime\'s own)';
    }
    return { name, file, in: inScope, why, ...(scope.unclassified ? { unclassified: true } : {}) };
  }).sort((x, y) => x.name.localeCompare(y.name));
  return { toolchain: { version, root: emscriptenRoot, cache: cacheDir }, archives: ARCHIVES,
    fromArchives: archives.functions, linkerSymbols: archives.linkerSymbols, jsLibrary: js,
    scope: Object.fromEntries(Object.entries(SCOPE).map(([f, s]) => [f, { in: s.in, why: s.why }])) };
}

function emConfig(key) {
  return execFileSync('em-config', [key], { encoding: 'utf8' }).trim();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--emscripten') opt.emscriptenRoot = args[++i];
    else if (args[i] === '--cache') opt.cacheDir = args[++i];
    else { console.error(`derive.mjs: unknown argument ${args[i]}`); process.exit(2); }
  }
  process.stdout.write(JSON.stringify(derive(opt), null, 1) + '\n');
}
