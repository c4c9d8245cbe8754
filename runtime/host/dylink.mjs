// dlopen/dlsym for app code. Emscripten 3.1.6's libc keeps a list of
// `struct dso` (system/lib/libc/dynlink.c) and asks the JS runtime to load
// and look up through _dlopen_js/_dlsym_js/_emscripten_dlopen_js; here the
// lazylink domain does the loading (synchronously where the platform
// allows it: Node, workers, or a module already prefetched).
//
// POSIX dlclose() in that libc only validates the handle; lazylink_close()
// (runtime/include/lazylink.h) unloads.
const ENV = 'env';
const RTLD_DEFAULT = 0;
const RTLD_NEXT = -1;
const kNoModule = 0xffffffff;

// struct dso (wasm32): next, prev, onsuccess, onerror, user_data, flags,
// mem_allocated (u8), mem_addr, mem_size, table_addr, table_size, name[].
const DSO = { flags: 20, memAllocated: 24, memAddr: 28, memSize: 32, tableAddr: 36, tableSize: 40, name: 44 };

export function dylinkFunctions(ctx) {
  const handles = new Map();  // dso address -> module id (kNoModule: the global scope)
  ctx.dsoHandles = handles;

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
  ];
}
