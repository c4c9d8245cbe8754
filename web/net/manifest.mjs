// Reading `lazylink.json` (docs/manifest.md): where it is, what it says, and
// the URL of each module, relative to the manifest's own URL.
//
//   const m = parseManifest(json, 'https://example.com/app/lazylink.json');
//   m.modules.get('libsqlite.wasm')
//   // { name, url: 'https://example.com/app/libsqlite.6a0f3e2b9c1d4e58.wasm',
//   //   sha256, size, policy, needed, exports }
import { FetchError, KINDS } from './errors.mjs';
import { isNode } from './env.mjs';

export const MANIFEST_SCHEMA = 'lazylink-manifest/1';
const POLICIES = new Set(['eager', 'lazy', 'prefetch']);
const SHA256_HEX = /^[0-9a-f]{64}$/;

// An absolute URL for where the manifest is. Under Node a bare path (not a
// URL) is a file, relative to the working directory; elsewhere it is
// relative to the page or worker.
export async function manifestLocation(spec) {
  if (spec instanceof URL) return spec;
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec)) return new URL(spec);
  if (isNode) {
    const [{ pathToFileURL }, path] = await Promise.all([import('node:url'), import('node:path')]);
    return pathToFileURL(path.resolve(spec));
  }
  return new URL(spec, globalThis.location?.href);
}

function fail(manifestUrl, what) {
  const u = new URL(String(manifestUrl));
  const url = u.protocol === 'file:' ? decodeURIComponent(u.pathname) : u.href;
  return new FetchError({ module: u.pathname.split('/').pop() || 'lazylink.json', url, kind: KINDS.MANIFEST, what });
}

// Checks the fields the network layer relies on and resolves module URLs.
// Throws a FetchError of kind 'manifest' naming the offending field.
export function parseManifest(json, manifestUrl) {
  const base = new URL(String(manifestUrl));
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throw fail(base, `not valid JSON: ${e.message}`);
    }
  }
  if (!doc || typeof doc !== 'object') throw fail(base, 'not a JSON object');
  if (doc.schema !== MANIFEST_SCHEMA) {
    throw fail(base, `schema is ${JSON.stringify(doc.schema)}, expected "${MANIFEST_SCHEMA}"`);
  }
  if (!doc.modules || typeof doc.modules !== 'object') throw fail(base, '"modules" is missing');
  const modules = new Map();
  for (const [name, m] of Object.entries(doc.modules)) {
    const field = (f) => `modules[${JSON.stringify(name)}].${f}`;
    if (!m || typeof m !== 'object') throw fail(base, `${field('')} is not an object`);
    if (typeof m.url !== 'string' || !m.url) throw fail(base, `${field('url')} is missing`);
    if (typeof m.sha256 !== 'string' || !SHA256_HEX.test(m.sha256)) {
      throw fail(base, `${field('sha256')} is not 64 lowercase hex digits`);
    }
    if (!Number.isSafeInteger(m.size) || m.size < 0) throw fail(base, `${field('size')} is not a byte count`);
    const policy = m.policy ?? 'lazy';
    if (!POLICIES.has(policy)) throw fail(base, `${field('policy')} is ${JSON.stringify(policy)}, not eager, lazy or prefetch`);
    modules.set(name, {
      name,
      url: new URL(m.url, base).href,
      sha256: m.sha256,
      size: m.size,
      policy,
      needed: Array.isArray(m.needed) ? m.needed : [],
      exports: Array.isArray(m.exports) ? m.exports : [],
    });
  }
  if (doc.main !== undefined && !modules.has(doc.main)) throw fail(base, `"main" names ${JSON.stringify(doc.main)}, which is not in "modules"`);
  return {
    url: base.href,
    main: doc.main ?? null,
    modules,
    symbols: doc.symbols && typeof doc.symbols === 'object' ? doc.symbols : {},
    json: doc,
  };
}
