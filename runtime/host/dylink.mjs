// dlopen/dlsym for app code. Emscripten 3.1.6's libc keeps a list of
// `struct dso` (system/lib/libc/dynlink.c) and asks the JS runtime to load
// and look up through _dlopen_js/_dlsym_js/_emscripten_dlopen_js; here the
// lazylink domain does the loading (synchronously where the platform
// allows it: Node, workers, or a module already prefetched).
//
// POSIX dlclose() in that libc only validates the handle; lazylink_close()
// (runtime/include/lazylink.h) unloads.
//
// A name with a '/' that names a regular file in the domain's file system
// (runtime/host/fs: a file the program wrote, or one under a `--dir`
// mount) is loaded from there; other names are searched as NEEDED names.
import { FsError } from './fs/errno.mjs';
const ENV = 'env';
const RTLD_DEFAULT = 0;
const RTLD_NEXT = -1;
const kNoModule = 0xffffffff;
const RTLD_NOW = 2;
const RTLD_GLOBAL = 256;

// struct dso (wasm32): next, prev, onsuccess, onerror, user_data, flags,
// mem_allocated (u8), mem_addr, mem_size, table_addr, table_size, name[].
const DSO = { flags: 20, memAllocated: 24, memAddr: 28, memSize: 32, tableAddr: 36, tableSize: 40, name: 44 };

// The domain's fetcher, answering names that are files of the domain's
// file system from there first (everything else goes to the fetcher).
function guestFileFetcher(ctx, inner, requested) {
  // The linker turns a dlopen() path into a module name and candidate
  // locations; a candidate that is a path the program named is read from
  // the file system.
  const serve = (req) => {
    for (const c of req.candidates) {
      if (!requested.has(c)) continue;
      try {
        return { location: c, bytes: ctx.fs.readFile(c) };
      } catch (e) {
        if (!(e instanceof FsError)) throw e;
      }
    }
    return null;
  };
  const report = (req, bytes, onProgress) => {
    onProgress?.({ module: req.name, phase: 'fetch', loaded: bytes.length, total: bytes.length });
  };
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'fetchSync') {
        return (req, onProgress) => {
          const hit = serve(req);
          if (hit) report(req, hit.bytes, onProgress);
          return hit ?? target.fetchSync(req, onProgress);
        };
      }
      if (key === 'fetch') {
        return async (req, onProgress) => {
          const hit = serve(req);
          if (hit) report(req, hit.bytes, onProgress);
          return hit ?? target.fetch(req, onProgress);
        };
      }
      if (key === GUEST_FILES) return true;
      const value = target[key];
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, key, value) {
      target[key] = value;
      return true;
    },
  });
}
const GUEST_FILES = Symbol('guest files');

export function dylinkFunctions(ctx) {
  const handles = new Map();  // dso address -> module id (kNoModule: the global scope)
  ctx.dsoHandles = handles;
  // Before a load by a path name: let the fetcher read the file system.
  const requested = new Set();
  const fromFiles = (name) => {
    const domain = ctx.domain;
    if (!name.includes('/') || !ctx.fs || !ctx.fs.exists(name)) return;
    requested.add(name);
    if (!domain.fetcher[GUEST_FILES]) domain.fetcher = guestFileFetcher(ctx, domain.fetcher, requested);
  };

  const setError = (message) => {
    const seterr = ctx.libstd && ctx.libstd.lazylink_dl_seterr;
    if (seterr) ctx.withStackString(message, (p) => seterr(p));
  };
  const record = (dso, id) => {
    handles.set(dso, id);
    const info = ctx.domain.linker.moduleInfo(id);
    if (info) {
      ctx.u8[dso + DSO.memAllocated] = 1;
      ctx.setU32(dso + DSO.memAddr, info.memoryBase);
      ctx.setU32(dso + DSO.memSize, info.memorySize);
      ctx.setU32(dso + DSO.tableAddr, info.tableBase);
      ctx.setU32(dso + DSO.tableSize, info.tableSize);
    }
  };
  // The module a packed app's symbol index (domain.lazyIndex: lines of
  // symbol, module, signature) names for `name`, or null.
  const lazyModuleOf = (name) => {
    const index = ctx.domain.lazyIndex;
    if (!index) return null;
    let at = 0;
    if (!index.startsWith(`${name}\t`)) {
      at = index.indexOf(`\n${name}\t`);
      if (at < 0) return null;
      at += 1;
    }
    const end = index.indexOf('\n', at);
    return index.slice(at, end < 0 ? index.length : end).split('\t')[1] || null;
  };
  const moduleFor = (handle) => {
    if (handle === RTLD_DEFAULT || handle === RTLD_NEXT) return kNoModule;
    return handles.has(handle) ? handles.get(handle) : null;
  };

  return [
    [ENV, '_dlopen_js', 'ii', (dso) => {
      dso >>>= 0;
      const name = ctx.cstring(dso + DSO.name);
      if (name === '__main__') {
        handles.set(dso, kNoModule);
        return dso;
      }
      const flags = ctx.i32(dso + DSO.flags);
      fromFiles(name);
      try {
        const id = ctx.domain.loadSync(name, flags, ctx.mainLocation ?? '');
        record(dso, id);
        return dso;
      } catch (e) {
        // exit()/abort() in a constructor ends the program; the domain
        // reports it wrapped in a LinkError naming the module.
        const exit = ctx.isExit?.(e) ? e : (e && ctx.isExit?.(e.cause) ? e.cause : null);
        if (exit) throw exit;
        setError(`dlopen ${name}: ${e.message}`);
        return 0;
      }
    }],
    [ENV, '_emscripten_dlopen_js', 'viii', (dso, onsuccess, onerror) => {
      dso >>>= 0;
      const name = ctx.cstring(dso + DSO.name);
      const flags = ctx.i32(dso + DSO.flags);
      fromFiles(name);
      ctx.domain.load(name, flags, ctx.mainLocation ?? '').then((id) => {
        record(dso, id);
        ctx.domain.table.get(onsuccess)(dso);
      }, (e) => {
        setError(`dlopen ${name}: ${e.message}`);
        ctx.domain.table.get(onerror)(dso);
      });
    }],
    [ENV, '_dlsym_js', 'iii', (handle, symbol) => {
      const name = ctx.cstring(symbol);
      const id = moduleFor(handle | 0);
      if (id === null) {
        setError(`dlsym ${name}: invalid handle`);
        return 0;
      }
      const r = ctx.domain.lookup(id, name);
      if (!r.ok) {
        setError(`dlsym ${name}: ${r.error.replace(/^dlsym: /, '')}`);
        return 0;
      }
      return r.value;
    }],
    // emscripten/exports.h: a function the program exports, by its JS name
    // (`_foo` for C's foo), as a function pointer (its table slot): the
    // same global lookup as dlsym(RTLD_DEFAULT, "foo"). A function of a
    // module a packed app loads lazily (the manifest's symbol index) is
    // loaded first, where that can be done synchronously (Node, workers, a
    // module already fetched). 0 if no module has it.
    [ENV, 'emscripten_get_exported_function', 'ii', (symbol) => {
      const jsName = ctx.cstring(symbol);
      const name = jsName.startsWith('_') ? jsName.slice(1) : jsName;
      let r = ctx.domain.lookup(kNoModule, name);
      const module = r.ok ? null : lazyModuleOf(name);
      if (module) {
        try {
          ctx.domain.loadSync(module, RTLD_NOW | RTLD_GLOBAL, ctx.mainLocation ?? '');
          r = ctx.domain.lookup(kNoModule, name);
        } catch (e) {
          const exit = ctx.isExit?.(e) ? e : (e && ctx.isExit?.(e.cause) ? e.cause : null);
          if (exit) throw exit;
          ctx.warnOnce(`emscripten_get_exported_function ${name}`,
            `emscripten_get_exported_function("${jsName}"): ${module} is not loaded and could not be loaded ` +
            `synchronously here (${e.message}); returning NULL. Call the function once first, or make ${module} eager ` +
            '(lazylink pack --policy)');
          return 0;
        }
      }
      return r.ok ? r.value : 0;
    }],
  ];
}
