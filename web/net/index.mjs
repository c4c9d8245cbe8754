// lazylink's network layer: manifest-driven module fetching with integrity
// checks, retries, a concurrency limit, streaming compilation, the Cache API
// and prefetch. docs/fetching.md describes the API.
//
//   import { createModuleFetcher } from './net/index.mjs';
//   const fetcher = await createModuleFetcher({ manifest: 'app/lazylink.json', onProgress });
export { createModuleFetcher, loadManifest, ModuleFetcher, FETCHER_DEFAULTS, whenIdle, canCompileStreaming } from './fetcher.mjs';
export { FetchError, KINDS } from './errors.mjs';
export { parseManifest, manifestLocation, MANIFEST_SCHEMA } from './manifest.mjs';
export { RETRY_DEFAULTS, retryPolicy, isTransientStatus } from './retry.mjs';
export { CACHE_DEFAULTS } from './cache.mjs';
export { Limiter } from './limiter.mjs';
export { sha256HexAsync, sha256HexSync, hasWebCrypto } from './hash.mjs';
