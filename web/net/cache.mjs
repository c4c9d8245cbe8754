// Module bytes kept in the browser's Cache API across visits, keyed by
// content hash: a module whose SHA-256 is known is fetched from the network
// once, whatever URL it was listed under. Entries are verified like network
// bytes; a corrupt one is deleted and the module fetched again.
//
//   const cache = openModuleCache({ name: 'lazylink-modules-v1' }, manifestUrl);
//   cache?.open();                                 // start opening early (optional)
//   const response = await cache?.match(sha256);   // Response | null
//   await cache?.put(sha256, bytes);
export const CACHE_DEFAULTS = Object.freeze({
  name: 'lazylink-modules-v1',
});

// options: true | false | { name, storage }; storage defaults to
// globalThis.caches (absent outside secure contexts and under Node: then no
// cache, silently).
export function openModuleCache(options, manifestUrl) {
  if (options === false || options === null) return null;
  const o = { ...CACHE_DEFAULTS, ...(typeof options === 'object' ? options : {}) };
  const storage = o.storage ?? globalThis.caches;
  if (!storage || typeof storage.open !== 'function') return null;
  // Keys must be http(s) URLs; use the manifest's origin (or the realm's),
  // under a path no server serves.
  let origin = null;
  try {
    const u = new URL(manifestUrl);
    if (u.protocol === 'http:' || u.protocol === 'https:') origin = u.origin;
  } catch { /* not a URL */ }
  origin ??= globalThis.location?.origin;
  if (!origin || origin === 'null') return null;
  const keyOf = (sha256) => `${origin}/.lazylink-cache/sha256/${sha256}.wasm`;
  let opened = null;
  const open = () => (opened ??= storage.open(o.name));
  return {
    name: o.name,
    keyOf,
    // Opening the cache storage of a fresh profile or context takes tens of
    // milliseconds (the browser sets up its backend): the fetcher starts it
    // while the manifest loads, so that the first lookup does not wait.
    // Never rejects; a failure shows again in the first lookup.
    open() {
      open().catch(() => {});
    },
    async match(sha256) {
      const cache = await open();
      return (await cache.match(keyOf(sha256))) ?? null;
    },
    async put(sha256, bytes) {
      const cache = await open();
      await cache.put(keyOf(sha256), new Response(bytes, {
        headers: { 'content-type': 'application/wasm', 'content-length': String(bytes.length) },
      }));
    },
    async delete(sha256) {
      const cache = await open();
      return cache.delete(keyOf(sha256));
    },
  };
}
