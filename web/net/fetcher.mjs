// The manifest-driven module fetcher: what a Domain asks for module bytes.
//
//   const fetcher = await createModuleFetcher({ manifest: 'app/lazylink.json' });
//   const domain = new Domain({ core, host, fetcher });
//   fetcher.schedulePrefetch();           // 'prefetch' modules, when idle
//   await fetcher.prefetch('libsqlite.wasm');
//
// For a module the manifest lists, fetch() tries the Cache API (by SHA-256),
// then the network (retrying transient failures, within a concurrency
// limit), compiles while the body streams, verifies the SHA-256, and only
// then hands over { location, bytes, compiled }. A body is read no further
// than the manifest's size. A module the manifest does not list is refused
// without a request (no hash covers it), unless `allowUnlisted` (for
// development only) lets it be looked for at the request's candidates,
// relative to the manifest. docs/fetching.md has the details.
import { openModuleCache } from './cache.mjs';
import { canCompileStreaming, readBody } from './body.mjs';
import { FetchError, KINDS, isAbort } from './errors.mjs';
import { isWindowMainThread, loadNodeModules } from './env.mjs';
import { sha256HexAsync, sha256HexSync } from './hash.mjs';
import { Limiter } from './limiter.mjs';
import { manifestLocation, parseManifest } from './manifest.mjs';
import { retryPolicy, withRetries, withRetriesSync } from './retry.mjs';
import { abortError, displayLocation, openAsync, readSync, syncUnavailableReason } from './transport.mjs';

export const FETCHER_DEFAULTS = Object.freeze({
  concurrency: 6,            // network requests in flight at once (HTTP/1.1 browsers allow 6 per host)
  prefetchConcurrency: 2,    // of which at most this many for prefetches
  stallTimeoutMs: 30_000,    // an attempt that receives nothing for this long fails (transient)
  requestTimeoutMs: 300_000, // an attempt not complete after this long fails (a byte at a time never ends otherwise)
  compile: true,             // hand over `compiled` (streaming compilation where available)
  cache: true,               // the Cache API, where the realm has one; false disables it
  idleTimeoutMs: 2_000,      // requestIdleCallback's timeout for idle prefetch
  idleFallbackDelayMs: 50,   // without requestIdleCallback: setTimeout delay between prefetches
  prefetchWhenIdle: false,   // call schedulePrefetch() at creation
  allowUnlisted: false,      // development only: fetch modules the manifest does not list, unverified
  maxModuleBytes: 2 ** 30,   // the most bytes of a module with no size to go by (allowUnlisted)
  manifestMaxBytes: 16 * 2 ** 20,  // the most bytes of the manifest (a large app's is ~0.5 MB)
  manifestTimeoutMs: 30_000, // the whole manifest request, retries included
});

const MANIFEST_NAME = 'lazylink.json';

function noop() {}

function mismatch(spec, actual, size) {
  const sizes = size === spec.size ? '' : `; the manifest says ${spec.size} bytes`;
  return `SHA-256 mismatch: expected ${spec.sha256}, got ${actual} for ${size} bytes${sizes}`;
}

// Loads and checks a manifest (retrying transient failures like modules).
//   spec: URL or string (Node: a path or a URL; browsers: relative to the page)
//   manifestMaxBytes, manifestTimeoutMs: see FETCHER_DEFAULTS (a larger
//   body, or no whole manifest in time, retries included, fails at once)
export async function loadManifest(spec, {
  fetch: fetchImpl, retry, signal, onEvent,
  manifestMaxBytes = FETCHER_DEFAULTS.manifestMaxBytes, manifestTimeoutMs = FETCHER_DEFAULTS.manifestTimeoutMs,
} = {}) {
  const url = await manifestLocation(spec);
  const node = await loadNodeModules();
  const name = url.pathname.split('/').pop() || MANIFEST_NAME;
  const shown = displayLocation(url.href, node);
  const policy = retryPolicy(retry);
  // One deadline for the whole request: the caller's signal or the timer.
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = manifestTimeoutMs > 0 ? setTimeout(() => { timedOut = true; controller.abort(); }, manifestTimeoutMs) : null;
  const timeoutError = () => new FetchError({
    module: name, url: shown, kind: KINDS.TIMEOUT,
    what: `no complete manifest within ${manifestTimeoutMs} ms (option manifestTimeoutMs)`,
  });
  try {
    const text = await withRetries(policy, async () => {
      const response = await openAsync(name, url.href, { signal: controller.signal, fetchImpl });
      const status = url.protocol === 'file:' ? null : response.status;
      try {
        const { bytes } = await readBody(response, {
          module: name, url: shown, status, maxBytes: manifestMaxBytes, capName: 'manifestMaxBytes', signal: controller.signal,
        });
        return new TextDecoder().decode(bytes);
      } catch (e) {
        if (e instanceof FetchError && e.kind === KINDS.TOO_LARGE) throw e;
        if (controller.signal.aborted) throw timedOut ? timeoutError() : abortError(name, shown);
        if (e instanceof FetchError) throw e;
        throw new FetchError({ module: name, url: shown, status, kind: KINDS.DROPPED,
                               transient: true, what: 'connection dropped while reading the manifest', cause: e });
      }
    }, { signal: controller.signal, onRetry: (r) => onEvent?.({ type: 'retry', module: name, url: shown, ...r, error: r.error.message }) });
    return parseManifest(text, url);
  } catch (e) {
    if (timedOut) throw timeoutError();
    throw e;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

// options: see FETCHER_DEFAULTS, plus
//   manifest     URL/path string or URL (fetched), or a parsed manifest object (needs manifestUrl)
//   manifestUrl  the manifest's location when `manifest` is an object
//   core         the lazylink core (for synchronous SHA-256); loaded with
//                web/core.mjs when omitted, except on a window's main thread;
//                null: no synchronous verification (fetchSync then fails)
//   retry        { retries: 3, baseDelayMs: 250, factor: 2, maxDelayMs: 4000, jitter: 0.2 }
//   fetch        the fetch() to use (default globalThis.fetch)
//   onProgress   receives every progress event (also those of prefetches)
//   onEvent      receives retry / cache / prefetch events
//   allowUnlisted  development only: a module the manifest does not list is
//                looked for at the request's candidates and used unverified
//                (default false: refused, without a request)
//   manifestMaxBytes, manifestTimeoutMs, maxModuleBytes: limits (FETCHER_DEFAULTS)
export async function createModuleFetcher(options = {}) {
  const o = { ...FETCHER_DEFAULTS, ...options };
  let manifest;
  if (o.manifest && typeof o.manifest === 'object' && !(o.manifest instanceof URL)) {
    if (!o.manifestUrl) throw new TypeError('createModuleFetcher: a manifest object needs manifestUrl');
    manifest = parseManifest(o.manifest, await manifestLocation(o.manifestUrl));
  } else if (o.manifest) {
    // The Cache API opens while the manifest loads (it takes tens of ms in a
    // fresh browser profile, and every module lookup waits for it).
    const url = await manifestLocation(o.manifest);
    o.moduleCache = openModuleCache(o.cache, url.href);
    o.moduleCache?.open();
    manifest = await loadManifest(url, o);
  } else {
    throw new TypeError('createModuleFetcher: the manifest option is required');
  }
  let core = o.core;
  if (core === undefined && !isWindowMainThread) {
    const { loadCore } = await import('../core.mjs');
    core = await loadCore();
  }
  const node = await loadNodeModules();
  const fetcher = new ModuleFetcher(manifest, { ...o, core: core ?? null, node });
  if (o.prefetchWhenIdle) fetcher.idlePrefetch = fetcher.schedulePrefetch();
  return fetcher;
}

export class ModuleFetcher {
  #o;
  #core;
  #node;
  #retry;
  #limiter;
  #cache;
  #prefetches = new Map();  // name -> prefetch record (until a fetch takes it)
  #delivered = new Set();   // names handed to a fetch already
  #pendingWrites = new Set();
  #schedules = new Set();
  #suspect = new Set();     // names whose last fetch failed verification

  constructor(manifest, options) {
    this.manifest = manifest;
    this.#o = { ...FETCHER_DEFAULTS, ...options };
    options = this.#o;
    this.#core = options.core;
    this.#node = options.node;
    this.#retry = retryPolicy(options.retry);
    this.#limiter = new Limiter(options.concurrency, options.prefetchConcurrency);
    this.#cache = options.moduleCache !== undefined ? options.moduleCache : openModuleCache(options.cache, manifest.url);
    this.idlePrefetch = null;
    const limiter = this.#limiter;
    this.stats = {
      requests: 0, retries: 0, bytesFromNetwork: 0,
      cacheHits: 0, cacheMisses: 0, cacheDrops: 0, cacheStores: 0,
      prefetched: 0, preloaded: 0, streamingCompiles: 0,
      get maxInFlight() { return limiter.maxActive; },
    };
  }

  get cacheEnabled() { return this.#cache !== null; }

  // --- the Domain's interface ------------------------------------------------

  // -> { location, bytes, compiled: Promise<WebAssembly.Module>, sha256, size, source, verified }
  //    or { error: message, fetchError: FetchError }. Never rejects.
  async fetch(req, onProgress, { signal } = {}) {
    try {
      return await this.#fetchAsync(req, onProgress, signal);
    } catch (e) {
      return this.#failure(req.name, e);
    }
  }

  // The same, synchronously; `compiled` is a WebAssembly.Module.
  fetchSync(req, onProgress) {
    try {
      return this.#fetchSync(req, onProgress);
    } catch (e) {
      return this.#failure(req.name, e);
    }
  }

  // --- prefetch ------------------------------------------------------------

  // Fetches (and compiles) a module the manifest lists, without handing it
  // to anyone: the next fetch of it uses the result with no request.
  // Resolves (once compiled) to { name, source, size }; rejects with a FetchError.
  prefetch(name, { signal } = {}) {
    const spec = this.manifest.modules.get(name);
    if (!spec) {
      return Promise.reject(new FetchError({
        module: name, url: this.manifest.url, kind: KINDS.NOT_FOUND,
        what: 'cannot prefetch a module the manifest does not list',
      }));
    }
    if (this.#delivered.has(name)) return Promise.resolve({ name, source: 'delivered', size: spec.size });
    let pre = this.#prefetches.get(name);
    if (!pre) pre = this.#startPrefetch(spec);
    if (signal) {
      const onAbort = () => this.cancelPrefetch(name);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    return pre.promise.then((r) => ({ name, source: r.source, size: r.bytes.length }));
  }

  // Prefetches, one at a time and each when the realm is idle, the modules
  // named (default: every module whose policy is 'prefetch').
  // -> { cancel(), done: Promise<{ prefetched, failed, skipped, cancelled }> }
  schedulePrefetch({ names, signal, timeoutMs = this.#o.idleTimeoutMs } = {}) {
    const list = names ?? [...this.manifest.modules.values()].filter((m) => m.policy === 'prefetch').map((m) => m.name);
    const controller = new AbortController();
    if (signal) {
      if (signal.aborted) controller.abort();
      else signal.addEventListener('abort', () => controller.abort(), { once: true });
    }
    this.#schedules.add(controller);
    const done = (async () => {
      const summary = { prefetched: [], failed: [], skipped: [], cancelled: false };
      for (const name of list) {
        if (controller.signal.aborted) break;
        if (this.#delivered.has(name) || this.#prefetches.has(name)) {
          summary.skipped.push(name);
          continue;
        }
        try {
          await whenIdle(timeoutMs, this.#o.idleFallbackDelayMs, controller.signal);
        } catch {
          break;
        }
        try {
          await this.prefetch(name, { signal: controller.signal });
          summary.prefetched.push(name);
        } catch (e) {
          if (controller.signal.aborted) break;
          summary.failed.push({ name, error: e.message });
        }
      }
      summary.cancelled = controller.signal.aborted;
      this.#schedules.delete(controller);
      return summary;
    })();
    return { cancel: () => controller.abort(), done };
  }

  // Cancels the named prefetch (or all, and every scheduled idle prefetch).
  // A prefetch a fetch has already taken over is not cancelled.
  // Returns how many in-flight prefetches were cancelled.
  cancelPrefetch(name) {
    let n = 0;
    if (name === undefined) {
      for (const c of this.#schedules) c.abort();
    }
    for (const [key, pre] of this.#prefetches) {
      if (name !== undefined && key !== name) continue;
      if (pre.taken || pre.settled) continue;
      this.#prefetches.delete(key);
      pre.controller.abort();
      this.#event({ type: 'prefetch-cancel', module: key });
      n++;
    }
    return n;
  }

  // Resolves once every Cache API write started so far has finished.
  async flush() {
    while (this.#pendingWrites.size) await Promise.allSettled([...this.#pendingWrites]);
  }

  // --- internals -------------------------------------------------------------

  #failure(name, e) {
    const err = e instanceof FetchError ? e : new FetchError({
      module: name, url: this.manifest.url, kind: KINDS.NETWORK, what: String(e && e.message || e), cause: e,
    });
    return { error: err.message, fetchError: err };
  }

  #event(ev) {
    if (!this.#o.onEvent) return;
    try {
      this.#o.onEvent(ev);
    } catch (e) {
      console.warn('lazylink: onEvent listener threw', e);
    }
  }

  #progress(listeners, ev) {
    for (const fn of listeners) {
      try {
        fn(ev);
      } catch (e) {
        console.warn('lazylink: progress listener threw', e);
      }
    }
  }

  #listeners(...extra) {
    const set = new Set();
    if (this.#o.onProgress) set.add(this.#o.onProgress);
    for (const fn of extra) if (fn) set.add(fn);
    return set;
  }

  #startPrefetch(spec) {
    const pre = {
      name: spec.name, controller: new AbortController(), ticket: { priority: 'low' },
      listeners: this.#listeners(), taken: false, settled: false, result: null, module: null,
    };
    this.#event({ type: 'prefetch-start', module: spec.name });
    // `verified`: bytes checked (what a fetch taking it over waits for, so
    // that the core's parse overlaps the compile); `promise`: also compiled.
    pre.verified = this.#load(spec, { listeners: pre.listeners, signal: pre.controller.signal, ticket: pre.ticket, prefetch: true });
    pre.verified.catch(noop);
    pre.promise = pre.verified
      .then(async (r) => {
        // Ready means compiled too: a later synchronous hand-over (even on
        // the main thread, where large synchronous compiles are refused)
        // gets the module itself.
        if (r.compiled) pre.module = await r.compiled.catch(() => null);
        pre.settled = true;
        pre.result = r;
        this.stats.prefetched++;
        this.#event({ type: 'prefetch-done', module: spec.name, source: r.source, size: r.bytes.length });
        return r;
      }, (e) => {
        pre.settled = true;
        if (this.#prefetches.get(spec.name) === pre && !pre.taken) this.#prefetches.delete(spec.name);
        if (!isAbort(e)) this.#event({ type: 'prefetch-error', module: spec.name, error: e.message });
        throw e;
      });
    pre.promise.catch(noop);
    this.#prefetches.set(spec.name, pre);
    return pre;
  }

  async #fetchAsync(req, onProgress, signal) {
    const spec = this.manifest.modules.get(req.name);
    if (!spec) {
      if (!this.#o.allowUnlisted) throw this.#unlisted(req);
      return this.#fetchCandidates(req, onProgress, signal);
    }
    const pre = this.#prefetches.get(spec.name);
    if (pre) {
      this.#prefetches.delete(spec.name);
      pre.taken = true;
      pre.ticket.priority = 'high';
      this.#limiter.pump();
      if (onProgress) pre.listeners.add(onProgress);
      try {
        const r = await pre.verified;
        return this.#deliver({ ...r, source: 'prefetch', prefetchedFrom: r.source });
      } catch (e) {
        // The prefetch was this fetch's attempt, with the same retry policy:
        // its failure is the fetch's (fetching again would only repeat a
        // 404 or a hash mismatch). Only a cancelled prefetch is redone.
        if (!isAbort(e)) throw e;
        this.#event({ type: 'prefetch-unused', module: spec.name, error: e.message });
      }
    }
    const ctx = { listeners: this.#listeners(onProgress), signal, ticket: { priority: 'high' } };
    return this.#deliver(await this.#load(spec, ctx));
  }

  #deliver(result) {
    this.#delivered.add(result.name);
    if (!this.#o.compile) delete result.compiled;
    return result;
  }

  // Cache, then network; verified. ctx: { listeners, signal, ticket, prefetch }
  async #load(spec, ctx) {
    try {
      // A module the page preloads (`lazylink pack`'s hints) is on its way
      // from the network or the HTTP cache whatever the Cache API holds: a
      // lookup there could only delay it (opening the Cache API takes tens of
      // ms on a first visit).
      if (this.#cache && !this.#suspect.has(spec.name) && preloadedByPage(spec.url)) {
        this.stats.preloaded++;
        this.#event({ type: 'cache-skip', module: spec.name, reason: 'preloaded by the page' });
      } else if (this.#cache) {
        const hit = await this.#fromCache(spec, ctx);
        if (hit) return hit;
      }
      const shown = this.#shown(spec.url);
      // Content-hashed URLs are cached forever by browsers: bytes that failed
      // verification once may sit in the HTTP cache, so the next fetch of
      // that module bypasses it.
      const reload = this.#suspect.has(spec.name);
      let r = await withRetries(this.#retry, () => this.#attempt(spec.url, spec, ctx, reload), {
        signal: ctx.signal, onRetry: (x) => this.#onRetry(spec.name, shown, x),
      });
      let actual = await sha256HexAsync(r.bytes, () => this.#asyncCore());
      let refetched = reload;
      if (actual !== spec.sha256 && !reload && !spec.url.startsWith('file:')) {
        refetched = true;
        // Once more from the server itself before reporting a mismatch.
        this.#event({ type: 'integrity-refetch', module: spec.name, url: shown });
        r = await withRetries(this.#retry, () => this.#attempt(spec.url, spec, ctx, true), {
          signal: ctx.signal, onRetry: (x) => this.#onRetry(spec.name, shown, x),
        });
        actual = await sha256HexAsync(r.bytes, () => this.#asyncCore());
      }
      if (actual === spec.sha256) this.#suspect.delete(spec.name);
      else this.#suspect.add(spec.name);
      if (actual !== spec.sha256) {
        throw new FetchError({
          module: spec.name, url: shown, status: r.status, kind: KINDS.INTEGRITY,
          expected: spec.sha256, actual,
          what: mismatch(spec, actual, r.bytes.length) +
            (refetched && !spec.url.startsWith('file:') ? ' (also when fetched again bypassing the HTTP cache)' : ''),
        });
      }
      this.#store(spec, r.bytes);
      return this.#verified(spec, r, r.source, ctx);
    } catch (e) {
      if (ctx.signal?.aborted && !(e instanceof FetchError && e.kind === KINDS.ABORTED)) {
        throw abortError(spec.name, this.#shown(spec.url));
      }
      throw e;
    }
  }

  #verified(spec, r, source, ctx) {
    let compiled = r.compiled;
    if (this.#o.compile && !compiled) {
      compiled = WebAssembly.compile(r.bytes);
      compiled.catch(noop);
    }
    this.#progress(ctx.listeners, {
      module: spec.name, phase: 'compile', loaded: r.bytes.length, total: r.bytes.length, source, prefetch: !!ctx.prefetch,
    });
    return {
      name: spec.name, location: this.#shown(spec.url), bytes: r.bytes, compiled,
      sha256: spec.sha256, size: r.bytes.length, source, verified: true, streamed: !!r.compiled,
    };
  }

  async #fromCache(spec, ctx) {
    let response;
    try {
      response = await this.#cache.match(spec.sha256);
    } catch (e) {
      this.#event({ type: 'cache-error', module: spec.name, error: String(e && e.message || e) });
      return null;
    }
    if (!response) {
      this.stats.cacheMisses++;
      return null;
    }
    const key = this.#cache.keyOf(spec.sha256);
    let reason;
    try {
      const r = await readBody(response, {
        module: spec.name, url: key, status: null, size: spec.size, compile: this.#o.compile, signal: ctx.signal,
        onBytes: (loaded, total) => this.#progress(ctx.listeners, {
          module: spec.name, phase: 'fetch', loaded, total, source: 'cache', prefetch: !!ctx.prefetch,
        }),
      });
      if (r.compiled) this.stats.streamingCompiles++;
      const actual = await sha256HexAsync(r.bytes, () => this.#asyncCore());
      if (actual === spec.sha256) {
        this.stats.cacheHits++;
        this.#event({ type: 'cache-hit', module: spec.name, size: r.bytes.length });
        return this.#verified(spec, r, 'cache', ctx);
      }
      reason = `SHA-256 mismatch: expected ${spec.sha256}, got ${actual}`;
    } catch (e) {
      if (ctx.signal?.aborted) throw abortError(spec.name, this.#shown(spec.url));
      reason = e.message;
    }
    this.stats.cacheDrops++;
    this.#event({ type: 'cache-drop', module: spec.name, reason });
    await this.#cache.delete(spec.sha256).catch(noop);
    return null;
  }

  #store(spec, bytes) {
    if (!this.#cache) return;
    // Written when the page is idle (at most a second later): copying the
    // bytes into the Cache API costs main-thread time that the module's
    // compile and link, and main, need more at start-up.
    const write = whenIdle(1000, 0).then(() => this.#cache.put(spec.sha256, bytes)).then(
      () => {
        this.stats.cacheStores++;
        this.#event({ type: 'cache-store', module: spec.name, size: bytes.length });
      },
      (e) => this.#event({ type: 'cache-error', module: spec.name, error: String(e && e.message || e) }));
    this.#pendingWrites.add(write);
    write.finally(() => this.#pendingWrites.delete(write));
  }

  // One request within the concurrency limit; the stall watchdog covers the
  // wait for headers as well as the body.
  async #attempt(url, spec, ctx, reload = false) {
    const shown = this.#shown(url);
    const attemptController = new AbortController();
    const onAbort = () => attemptController.abort();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    let release = null;
    const stallMs = this.#o.stallTimeoutMs;
    const overallMs = this.#o.requestTimeoutMs;
    let stalled = false;
    let timedOut = false;
    let timer = null;
    const overall = overallMs > 0 ? setTimeout(() => { timedOut = true; attemptController.abort(); }, overallMs) : null;
    const arm = () => {
      if (!stallMs) return;
      clearTimeout(timer);
      timer = setTimeout(() => { stalled = true; attemptController.abort(); }, stallMs);
    };
    let status = null;
    let loadedSoFar = 0;
    try {
      try {
        release = await this.#limiter.acquire(ctx.ticket, ctx.signal);
      } catch {
        throw abortError(spec.name, shown);
      }
      this.stats.requests++;
      arm();
      const response = await openAsync(spec.name, url, {
        signal: attemptController.signal, fetchImpl: this.#o.fetch, cache: reload ? 'reload' : undefined });
      status = url.startsWith('file:') ? null : response.status;
      const source = url.startsWith('file:') ? 'file' : 'network';
      const r = await readBody(response, {
        module: spec.name, url: shown, status, size: spec.size, compile: this.#o.compile,
        maxBytes: spec.maxBytes ?? null, capName: 'maxModuleBytes',
        signal: ctx.signal,
        onBytes: (loaded, total) => {
          arm();
          this.stats.bytesFromNetwork += loaded - loadedSoFar;
          loadedSoFar = loaded;
          this.#progress(ctx.listeners, { module: spec.name, phase: 'fetch', loaded, total, source, prefetch: !!ctx.prefetch });
        },
      });
      if (r.compiled) this.stats.streamingCompiles++;
      return { ...r, status, source };
    } catch (e) {
      if (ctx.signal?.aborted) throw abortError(spec.name, shown, status);
      if (timedOut) {
        throw new FetchError({ module: spec.name, url: shown, status, kind: KINDS.TIMEOUT, cause: e,
                               what: `not complete within ${overallMs} ms (option requestTimeoutMs), after ${loadedSoFar} bytes` });
      }
      if (stalled) {
        throw new FetchError({ module: spec.name, url: shown, status, kind: KINDS.STALLED, transient: true, cause: e,
                               what: `no data for ${stallMs} ms after ${loadedSoFar} bytes` });
      }
      throw e;
    } finally {
      clearTimeout(timer);
      clearTimeout(overall);
      ctx.signal?.removeEventListener('abort', onAbort);
      release?.();
    }
  }

  #onRetry(name, url, { attempt, delayMs, error }) {
    this.stats.retries++;
    this.#event({ type: 'retry', module: name, url, attempt, delayMs, status: error.status, error: error.message });
  }

  // Names the manifest does not list: the request's candidates, in order,
  // relative to the manifest; a 404 (or missing file) means "try the next".
  async #fetchCandidates(req, onProgress, signal) {
    const ctx = { listeners: this.#listeners(onProgress), signal, ticket: { priority: 'high' } };
    const tried = [];
    let lastStatus = null;
    const spec = { name: req.name, size: null, maxBytes: this.#o.maxModuleBytes };
    for (const c of this.#candidateUrls(req)) {
      const shown = this.#shown(c);
      try {
        const r = await withRetries(this.#retry, () => this.#attempt(c, spec, ctx), {
          signal, onRetry: (x) => this.#onRetry(req.name, shown, x),
        });
        let compiled = r.compiled;
        if (this.#o.compile && !compiled) {
          compiled = WebAssembly.compile(r.bytes);
          compiled.catch(noop);
        }
        this.#delivered.add(req.name);
        return {
          name: req.name, location: shown, bytes: r.bytes, compiled: this.#o.compile ? compiled : undefined,
          sha256: null, size: r.bytes.length, source: r.source, verified: false, streamed: !!r.compiled,
        };
      } catch (e) {
        if (!(e instanceof FetchError) || e.kind !== KINDS.NOT_FOUND) throw e;
        tried.push(shown);
        lastStatus = e.status;
      }
    }
    throw this.#notFound(req, tried, lastStatus);
  }

  #candidateUrls(req) {
    const list = req.candidates && req.candidates.length ? req.candidates : [req.name];
    return list.map((c) => new URL(c, this.manifest.url).href);
  }

  // A module no hash covers: refused before any request.
  #unlisted(req) {
    return new FetchError({
      module: req.name, url: this.#shown(this.manifest.url), kind: KINDS.UNLISTED,
      what: `not in the manifest: refusing to load a module no hash covers; add it to the app ` +
        '(lazylink pack) or, for development only, pass allowUnlisted: true',
    });
  }

  #notFound(req, tried, status) {
    return new FetchError({
      module: req.name, url: tried.join(', ') || this.manifest.url, status, kind: KINDS.NOT_FOUND,
      what: 'not in the manifest, and not found at any candidate location',
    });
  }

  #fetchSync(req, onProgress) {
    const listeners = this.#listeners(onProgress);
    const spec = this.manifest.modules.get(req.name);
    let inFlight = false;
    if (spec) {
      const pre = this.#prefetches.get(spec.name);
      if (pre && pre.result) {
        this.#prefetches.delete(spec.name);
        pre.taken = true;
        const r = pre.result;
        return this.#deliver({ ...r, compiled: pre.module ?? undefined, source: 'prefetch', prefetchedFrom: r.source });
      }
      inFlight = !!pre;
    } else if (!this.#o.allowUnlisted) {
      throw this.#unlisted(req);
    }
    const urls = spec ? [spec.url] : this.#candidateUrls(req);
    const reason = syncUnavailableReason(urls[0]);
    if (reason) {
      const still = inFlight ? ' (its prefetch has not finished yet)' : '';
      throw new FetchError({
        module: req.name, url: this.#shown(urls[0]), kind: KINDS.SYNC_UNAVAILABLE,
        what: `${reason}${still}; prefetch the module first (await fetcher.prefetch(${JSON.stringify(req.name)})) or call into it under JSPI`,
      });
    }
    const tried = [];
    let lastStatus = null;
    for (const url of urls) {
      const shown = this.#shown(url);
      const source = url.startsWith('file:') ? 'file' : 'network';
      let r;
      try {
        r = withRetriesSync(this.#retry, () => {
          this.stats.requests++;
          const got = readSync(req.name, url, this.#node, {
            ...(spec ? { maxBytes: spec.size, sizeWhat: "the manifest's size" }
              : { maxBytes: this.#o.maxModuleBytes, sizeWhat: 'maxModuleBytes' }),
            timeoutMs: this.#o.requestTimeoutMs,
          });
          if (spec && got.bytes.length > spec.size) {
            throw new FetchError({ module: req.name, url: shown, status: got.status, kind: KINDS.TOO_LARGE,
                                   what: `the body is longer than the manifest's size of ${spec.size} bytes (${got.bytes.length} bytes received)` });
          }
          if (got.contentLength !== null && got.bytes.length < got.contentLength) {
            throw new FetchError({ module: req.name, url: shown, status: got.status, kind: KINDS.DROPPED, transient: true,
                                   what: `connection dropped after ${got.bytes.length} of ${got.contentLength} bytes` });
          }
          return got;
        }, { onRetry: (x) => this.#onRetry(req.name, shown, x) });
      } catch (e) {
        if (!spec && e instanceof FetchError && e.kind === KINDS.NOT_FOUND) {
          tried.push(shown);
          lastStatus = e.status;
          continue;
        }
        throw e;
      }
      const n = r.bytes.length;
      this.stats.bytesFromNetwork += source === 'network' ? n : 0;
      this.#progress(listeners, { module: req.name, phase: 'fetch', loaded: n, total: n, source });
      if (spec) {
        let actual;
        try {
          actual = sha256HexSync(r.bytes, this.#core);
        } catch (e) {
          throw new FetchError({ module: req.name, url: shown, status: r.status, kind: KINDS.INTEGRITY, what: e.message });
        }
        if (actual !== spec.sha256) {
          throw new FetchError({
            module: req.name, url: shown, status: r.status, kind: KINDS.INTEGRITY, expected: spec.sha256, actual,
            what: mismatch(spec, actual, n),
          });
        }
      }
      this.#progress(listeners, { module: req.name, phase: 'compile', loaded: n, total: n, source });
      let compiled;
      if (this.#o.compile) {
        try {
          compiled = new WebAssembly.Module(r.bytes);
        } catch {
          compiled = undefined;  // the Domain compiles and reports the engine's error itself
        }
      }
      return this.#deliver({
        name: req.name, location: shown, bytes: r.bytes, compiled, sha256: spec ? spec.sha256 : null,
        size: n, source, verified: !!spec, streamed: false,
      });
    }
    throw this.#notFound(req, tried, lastStatus);
  }

  #shown(url) {
    return displayLocation(url, this.#node);
  }

  async #asyncCore() {
    if (this.#core) return this.#core;
    const { loadCore } = await import('../core.mjs');
    this.#core = await loadCore();
    return this.#core;
  }
}

// Whether the page has a <link rel="preload"> for exactly this URL (only a
// window's document can have one).
export function preloadedByPage(url) {
  if (!isWindowMainThread || typeof document.querySelectorAll !== 'function') return false;
  for (const link of document.querySelectorAll('link[rel~="preload" i][href]')) {
    if (link.href === url) return true;
  }
  return false;
}

// Resolves when the realm is idle (requestIdleCallback), or after a short
// delay where there is no such thing (Node, Safari).
export function whenIdle(timeoutMs, fallbackDelayMs, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    let cancel;
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(done, { timeout: timeoutMs });
      cancel = () => cancelIdleCallback(id);
    } else {
      const id = setTimeout(done, fallbackDelayMs);
      cancel = () => clearTimeout(id);
    }
    const onAbort = () => {
      cancel();
      reject(signal.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export { canCompileStreaming };
