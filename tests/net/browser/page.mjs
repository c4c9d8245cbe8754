// The browser side of tests/net/fetch_browser.test.mjs. One scenario per
// page load, chosen by ?mode=; the result goes to window.__lazylinkResult
// for the harness.
//   load           fetch every module of the manifest in parallel (cache on)
//   corrupt-cache  overwrite one module's Cache API entry, then as `load`
//   cache-off      as `load` with { cache: false }
//   sync-main      fetchSync on the main thread: refused; after prefetch: served
//   worker         fetchSync of every module in a module worker
//   limits         an unlisted module refused without a request; a module
//                  body that never ends (the real bytes, then padding, no
//                  Content-Length) stopped past the manifest's size
import { createModuleFetcher, CACHE_DEFAULTS } from '/web/net/index.mjs';

const params = new URLSearchParams(location.search);
const mode = params.get('mode');
const manifest = params.get('manifest') || '/app/lazylink.json';

// Count streaming compilations: proof that the fetcher used them.
let streamingCompiles = 0;
const compileStreaming = WebAssembly.compileStreaming;
WebAssembly.compileStreaming = function (...args) {
  streamingCompiles++;
  return compileStreaming.apply(this, args);
};

function summarizeProgress(events) {
  const byModule = {};
  for (const e of events) {
    const m = (byModule[e.module] ??= { fetch: 0, compile: 0, monotonic: true, last: null, totals: new Set(), sources: new Set() });
    if (e.phase === 'fetch') {
      if (m.last && e.loaded <= m.last.loaded) m.monotonic = false;
      m.fetch++;
      m.last = { loaded: e.loaded, total: e.total };
      m.totals.add(e.total);
    } else if (e.phase === 'compile') {
      if (m.compile === 0 && m.last && m.last.loaded !== e.loaded) m.monotonic = false;
      m.compile++;
    }
    m.sources.add(e.source);
  }
  for (const m of Object.values(byModule)) {
    m.totals = [...m.totals];
    m.sources = [...m.sources];
  }
  return byModule;
}

async function loadAll(options = {}) {
  const progress = [];
  const events = [];
  const fetcher = await createModuleFetcher({
    manifest, onProgress: (p) => progress.push(p), onEvent: (e) => events.push(e), ...options,
  });
  const names = [...fetcher.manifest.modules.keys()];
  const results = await Promise.all(names.map((name) => fetcher.fetch({ name, requestedBy: '', candidates: [name] })));
  const modules = {};
  for (const [i, r] of results.entries()) {
    if (r.error) throw new Error(r.error);
    const compiled = await r.compiled;
    modules[names[i]] = {
      source: r.source, streamed: r.streamed, size: r.bytes.length, verified: r.verified,
      compiledIsModule: compiled instanceof WebAssembly.Module,
      exports: WebAssembly.Module.exports(compiled).length,
    };
  }
  await fetcher.flush();
  let cacheKeys = null;
  if (fetcher.cacheEnabled) cacheKeys = (await (await caches.open(CACHE_DEFAULTS.name)).keys()).length;
  return {
    names, modules, cacheKeys, streamingCompiles, cacheEnabled: fetcher.cacheEnabled,
    stats: { ...fetcher.stats }, progress: summarizeProgress(progress),
    events: events.map((e) => ({ type: e.type, module: e.module, reason: e.reason })),
  };
}

async function corruptCache(name) {
  const doc = await (await fetch(manifest)).json();
  const sha = doc.modules[name].sha256;
  const cache = await caches.open(CACHE_DEFAULTS.name);
  const key = `${location.origin}/.lazylink-cache/sha256/${sha}.wasm`;
  if (!(await cache.match(key))) throw new Error(`no cache entry ${key} to corrupt`);
  await cache.put(key, new Response(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 2, 3]), {
    headers: { 'content-type': 'application/wasm' },
  }));
  return key;
}

async function syncMain(name) {
  // No Cache API here: the one request is the prefetch's.
  const fetcher = await createModuleFetcher({ manifest, cache: false });
  const req = { name, requestedBy: '', candidates: [name] };
  const refused = fetcher.fetchSync(req);
  const prefetched = await fetcher.prefetch(name);
  const served = fetcher.fetchSync(req);
  return {
    refused: { error: refused.error, kind: refused.fetchError?.kind },
    prefetched,
    served: served.error ? { error: served.error } : {
      source: served.source, size: served.bytes.length, compiledIsModule: served.compiled instanceof WebAssembly.Module,
    },
  };
}

async function limits(name) {
  const fetcher = await createModuleFetcher({ manifest, cache: false });
  const unlisted = await fetcher.fetch({ name: 'libnope.wasm', requestedBy: '', candidates: ['libnope.wasm'] });
  // The module's bytes, then 64 KiB of padding for as long as anyone reads.
  let pulled = 0;
  let cancelled = false;
  const endlessFetch = async (url, init) => {
    const r = await fetch(url, init);
    if (!url.endsWith('.wasm')) return r;
    const reader = r.body.getReader();
    return new Response(new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read();
        const chunk = done ? new Uint8Array(1 << 16) : value;
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
        return reader.cancel();
      },
    }, { highWaterMark: 0 }), { status: 200, headers: { 'content-type': 'application/wasm' } });
  };
  const endless = await createModuleFetcher({ manifest, cache: false, fetch: endlessFetch, retry: { retries: 0 } });
  const t0 = performance.now();
  const r = await endless.fetch({ name, requestedBy: '', candidates: [name] });
  const ms = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const settled = pulled;
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    unlisted: { error: unlisted.error, kind: unlisted.fetchError?.kind },
    endless: { error: r.error, kind: r.fetchError?.kind, pulled, stillPulling: pulled !== settled, cancelled,
               size: endless.manifest.modules.get(name).size, ms },
  };
}

function inWorker() {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
    worker.onmessage = (e) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
    worker.postMessage({ manifest: new URL(manifest, location.href).href, corrupt: params.get('corrupt'),
                         requestTimeoutMs: params.get('requestTimeoutMs'), only: params.get('module') });
  });
}

const result = { ok: false, mode };
try {
  if (mode === 'load') Object.assign(result, await loadAll());
  else if (mode === 'corrupt-cache') {
    result.corrupted = await corruptCache(params.get('module'));
    Object.assign(result, await loadAll());
  } else if (mode === 'cache-off') Object.assign(result, await loadAll({ cache: false }));
  else if (mode === 'sync-main') Object.assign(result, await syncMain(params.get('module')));
  else if (mode === 'worker') Object.assign(result, await inWorker());
  else if (mode === 'limits') Object.assign(result, await limits(params.get('module')));
  else throw new Error(`unknown mode ${mode}`);
  result.ok = true;
} catch (e) {
  result.error = String(e && e.stack || e);
  console.error(result.error);
}
window.__lazylinkResult = result;
