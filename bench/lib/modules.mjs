// Helpers over module bytes shared by the benchmarks (Node and browsers).
//
//   memFetcher(files)      a Domain fetcher serving bytes already in memory
//   withNonce(bytes, n)    the same module plus a custom section holding n,
//                          so the engine cannot reuse an earlier compilation
//                          of identical bytes (V8 caches native modules by
//                          content within a process)
export function now() {
  return performance.now();
}

// files: Map name -> Uint8Array. Requests name candidates (paths); the base
// name is what counts. Answers at once, as if every module were in hand.
export function memFetcher(files) {
  const find = (req) => {
    for (const c of [req.name, ...(req.candidates || [])]) {
      const base = String(c).split('/').pop();
      if (files.has(base)) return { location: base, bytes: files.get(base) };
    }
    return { error: `not in memory (tried ${[req.name, ...(req.candidates || [])].join(', ')})` };
  };
  return {
    fetch: async (req, onProgress) => {
      const r = find(req);
      if (r.bytes) onProgress?.({ module: req.name, phase: 'fetch', loaded: r.bytes.length, total: r.bytes.length });
      return r;
    },
    fetchSync: (req, onProgress) => {
      const r = find(req);
      if (r.bytes) onProgress?.({ module: req.name, phase: 'fetch', loaded: r.bytes.length, total: r.bytes.length });
      return r;
    },
  };
}

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

const NONCE_NAME = new TextEncoder().encode('lazylink-bench-nonce');

export function withNonce(bytes, nonce) {
  const payload = new TextEncoder().encode(String(nonce));
  const body = [...leb(NONCE_NAME.length), ...NONCE_NAME, ...payload];
  const section = [0, ...leb(body.length), ...body];
  const out = new Uint8Array(bytes.length + section.length);
  out.set(bytes, 0);
  out.set(section, bytes.length);
  return out;
}

// Map name -> bytes with a fresh nonce in every module.
export function noncedFiles(files, nonce) {
  const out = new Map();
  for (const [name, bytes] of files) out.set(name, withNonce(bytes, nonce));
  return out;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// Lets the engine collect garbage between runs when it is exposed
// (node --expose-gc, chromium --js-flags=--expose-gc).
export async function settle() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  await sleep(20);
}
