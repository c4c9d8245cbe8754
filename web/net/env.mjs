// What the current realm can do: Node, a window's main thread, or a worker.
// The synchronous transports depend on it (sync XHR exists in workers only,
// the file system in Node only).
export const isNode = typeof process === 'object' && !!(process.versions && process.versions.node);

export const isWindowMainThread = !isNode && typeof window !== 'undefined' && typeof document !== 'undefined';

export const isWorker = !isNode && typeof WorkerGlobalScope !== 'undefined' &&
  typeof self !== 'undefined' && self instanceof WorkerGlobalScope;  // eslint-disable-line no-undef

export function now() {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

// Node's file system modules, loaded once (ES modules cannot require()).
let nodeModules = null;
export function loadNodeModules() {
  if (!isNode) return Promise.resolve(null);
  nodeModules ??= Promise.all([
    import('node:fs'), import('node:path'), import('node:url'), import('node:stream'),
  ]).then(([fs, path, url, stream]) => ({ fs, path, url, stream }));
  return nodeModules;
}
