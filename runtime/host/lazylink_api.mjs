// The host half of lazylink's public C API (runtime/include/lazylink.h; the
// C half is runtime/libstd/lazylink_runtime.c). lazylink_load and
// lazylink_sym are dlopen/dlsym in C; what needs the domain is here:
//
//   _lazylink_close_js(handle)   unload what a dlopen/lazylink_load handle
//                                refers to (domain.unload), and retire the
//                                handle
//   _lazylink_prefetch_js(name)  fetch a module and its NEEDED closure ahead
//                                of a synchronous load
//
// Failures set the text dlerror()/lazylink_error() return and return -1.
//
// Prefetching: the linker itself works out which modules a load of `name`
// would fetch, and from where, in a probe transaction that is aborted at the
// end (nothing is instantiated or registered). Fetched bytes wait in a cache
// keyed by module name and candidate locations, so a later load asks for
// exactly the same thing and takes them instead of fetching. Where fetching
// can block (Node, workers) the probe fetches synchronously, so everything
// is in hand when lazylink_prefetch returns; elsewhere (a browser's main
// thread) it fetches asynchronously and returns at once.
const ENV = 'env';
const RTLD_NOW = 2;
const DSO_NAME = 44;  // offsetof(struct dso, name), see dylink.mjs

// A fetcher that serves prefetched bytes first.
class PrefetchingFetcher {
  constructor(inner) {
    this.inner = inner;
    this.ready = new Map();    // key -> {location, bytes}
    this.inFlight = new Map(); // key -> Promise<{location, bytes} | {error}>
  }

  static key(req) {
    return `${req.name}\n${req.candidates.join('\n')}`;
  }

  take(req) {
    const key = PrefetchingFetcher.key(req);
    const hit = this.ready.get(key);
    if (hit) this.ready.delete(key);
    return hit ?? null;
  }

  fetchSync(req, onProgress) {
    return this.take(req) ?? this.inner.fetchSync(req, onProgress);
  }

  async fetch(req, onProgress) {
    const hit = this.take(req);
    if (hit) return hit;
    const pending = this.inFlight.get(PrefetchingFetcher.key(req));
    if (pending) {
      const r = await pending;
      this.ready.delete(PrefetchingFetcher.key(req));
      return r;
    }
    return this.inner.fetch(req, onProgress);
  }
}

// Host option `prefetch`: 'sync', 'async', or (default) sync where
// fetching may block (Node, workers).
function canFetchSync(ctx) {
  const mode = ctx.options.prefetch;
  if (mode === 'sync' || mode === 'async') return mode === 'sync';
  const isNode = typeof process === 'object' && !!(process.versions && process.versions.node);
  return isNode || typeof window === 'undefined';
}

export function lazylinkApiFunctions(ctx) {
  const setError = (message) => {
    const seterr = ctx.libstd && ctx.libstd.lazylink_dl_seterr;
    if (seterr) ctx.withStackString(message, (p) => seterr(p));
  };

  const fetcher = () => {
    const domain = ctx.domain;
    if (!(domain.fetcher instanceof PrefetchingFetcher)) domain.fetcher = new PrefetchingFetcher(domain.fetcher);
    return domain.fetcher;
  };

  // One probe transaction: provides what is cached (fetching synchronously
  // when `sync`), returns the requests still missing. Always aborted.
  const probe = (name, sync) => {
    const { linker } = ctx.domain;
    const f = fetcher();
    const begin = linker.beginLoad(name, RTLD_NOW, ctx.mainLocation ?? '');
    if (begin) {
      linker.abort();
      return { error: begin };
    }
    const missing = [];
    try {
      for (let pending = linker.pending(); pending.length; pending = linker.pending()) {
        for (const req of pending) {
          const key = PrefetchingFetcher.key(req);
          let got = f.ready.get(key);
          if (!got && sync) {
            got = f.inner.fetchSync(req);
            if (got.error) return { error: `${req.name}: ${got.error}` };
            f.ready.set(key, got);
          }
          if (got) {
            const err = linker.provide(req.name, got.location, got.bytes);
            if (err) return { error: err };
          } else {
            missing.push(req);
            linker.provideError(req.name, 'not fetched yet');
          }
        }
      }
      return { missing };
    } finally {
      linker.abort();
    }
  };

  const prefetchAsync = async (name) => {
    for (;;) {
      const r = probe(name, false);
      if (r.error || !r.missing.length) return;
      const f = fetcher();
      await Promise.all(r.missing.map((req) => {
        const key = PrefetchingFetcher.key(req);
        if (!f.inFlight.has(key)) {
          f.inFlight.set(key, f.inner.fetch(req).then((got) => {
            f.inFlight.delete(key);
            if (!got.error) f.ready.set(key, got);
            return got;
          }));
        }
        return f.inFlight.get(key);
      }));
      if (r.missing.every((req) => !f.ready.has(PrefetchingFetcher.key(req)))) return;  // failed
    }
  };

  return [
    [ENV, '_lazylink_close_js', 'ii', (handle) => {
      handle >>>= 0;
      const handles = ctx.dsoHandles;
      if (!handles || !handles.has(handle) || handles.get(handle) === 0xffffffff) {
        setError(`lazylink_close: invalid handle 0x${handle.toString(16)}`);
        return -1;
      }
      if (ctx.domain.loading) {
        setError('lazylink_close: a load is in progress');
        return -1;
      }
      const r = ctx.domain.unload(handles.get(handle));
      if (!r.ok) {
        setError(`lazylink_close: ${r.error}`);
        return -1;
      }
      // libc keeps its struct dso in a list it matches names against;
      // change the name so that the next dlopen of it loads afresh.
      handles.delete(handle);
      ctx.u8[handle + DSO_NAME] = 1;
      return 0;
    }],
    [ENV, '_lazylink_prefetch_js', 'ii', (namePtr) => {
      const name = ctx.cstring(namePtr);
      if (!name) {
        setError('lazylink_prefetch: empty module name');
        return -1;
      }
      if (ctx.domain.findLoaded(name) >= 0) return 0;
      if (ctx.domain.loading) {
        setError(`lazylink_prefetch ${name}: a load is in progress`);
        return -1;
      }
      if (canFetchSync(ctx)) {
        const r = probe(name, true);
        if (r.error) {
          setError(`lazylink_prefetch ${name}: ${r.error}`);
          return -1;
        }
        return 0;
      }
      ctx.prefetching = prefetchAsync(name).catch(() => {});
      return 0;
    }],
  ];
}
