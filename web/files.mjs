// The files packed into an app (`lazylink pack --files`, the manifest's
// "files": docs/manifest.md), as entries for the domain's file system
// (runtime/host/fs/index.mjs, host option `files`).
//
// Where the platform can fetch synchronously (Node for file: URLs, Web
// Workers), a file is fetched when the program first opens it, inside
// open(). A window's main thread cannot wait there, so there (and for
// files whose policy is "eager") the files are fetched before main runs.
// Either way the bytes are checked against the manifest's SHA-256 before
// the program sees them, and each file reports progress:
//   onProgress({ file: '/data/input.txt', phase: 'fetch', loaded, total })
import { E, FsError } from '../runtime/host/fs/errno.mjs';
import { readBody } from './net/body.mjs';
import { isNode, loadNodeModules } from './net/env.mjs';
import { sha256HexAsync, sha256HexSync } from './net/hash.mjs';
import { readSync, syncUnavailableReason } from './net/transport.mjs';

// manifest: parseManifest()'s result. options: { fetch, onProgress,
// getCore: () => Promise<core> (workers hash with it), stderr }.
export async function packedFiles(manifest, { fetch: fetchFn = globalThis.fetch, onProgress, getCore, stderr } = {}) {
  const entries = Object.entries(manifest.json?.files ?? {});
  if (entries.length === 0) return [];
  const node = await loadNodeModules();
  const nodeCrypto = isNode ? await import('node:crypto') : null;
  let core = null;
  const hashSync = (bytes) => (nodeCrypto ? nodeCrypto.createHash('sha256').update(bytes).digest('hex')
    : sha256HexSync(bytes, core));
  const mismatch = (path, url, want, got) => new Error(
    `${path}: ${url}: SHA-256 mismatch (the manifest says ${want}, the bytes are ${got}); re-run lazylink pack`);
  const out = [];
  const eager = [];
  for (const [path, f] of entries) {
    if (f.type === 'dir') {
      out.push({ path, type: 'dir' });
      continue;
    }
    if (typeof f.url !== 'string' || typeof f.sha256 !== 'string') {
      throw new Error(`${manifest.url}: files[${JSON.stringify(path)}] needs "url" and "sha256"`);
    }
    const url = new URL(f.url, manifest.url).href;
    if (f.policy !== 'eager' && syncUnavailableReason(url) === null) {
      if (!nodeCrypto && !core) core = await getCore();
      out.push({
        path, size: f.size,
        load: () => {
          try {
            // No further than the manifest's size (regular files only).
            const { bytes } = readSync(path, url, node, Number.isSafeInteger(f.size)
              ? { maxBytes: f.size, sizeWhat: "the manifest's size" } : {});
            const got = hashSync(bytes);
            if (got !== f.sha256) throw mismatch(path, url, f.sha256, got);
            onProgress?.({ file: path, phase: 'fetch', loaded: bytes.length, total: f.size });
            return bytes;
          } catch (e) {
            stderr?.(`lazylink: ${e.message}\n`);
            throw new FsError(E.IO, e.message);
          }
        },
      });
    } else {
      const entry = { path, bytes: null };
      out.push(entry);
      eager.push((async () => {
        const r = await fetchFn(url);
        if (!r.ok) throw new Error(`${path}: ${url}: HTTP ${r.status} ${r.statusText}`);
        // Read no further than the manifest's size (an endless body stops).
        const { bytes } = await readBody(r, { module: path, url, status: r.status, size: Number.isSafeInteger(f.size) ? f.size : null });
        const got = await sha256HexAsync(bytes, getCore);
        if (got !== f.sha256) throw mismatch(path, url, f.sha256, got);
        onProgress?.({ file: path, phase: 'fetch', loaded: bytes.length, total: f.size });
        entry.bytes = bytes;
      })());
    }
  }
  await Promise.all(eager);
  return out;
}
