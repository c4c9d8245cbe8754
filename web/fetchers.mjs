// Where module bytes come from. A fetcher gets a request from the linker
// ({name, requestedBy, candidates}) and returns {location, bytes} or
// {error}, trying the candidates in order (a missing one means "try the
// next"; any other failure stops the search).
//
//   fileFetcher({ baseDir })      Node: the file system (sync and async)
//   urlFetcher({ baseUrl })       browsers, workers, Node: HTTP(S)
const isNode = typeof process === 'object' && !!(process.versions && process.versions.node);

function notFound(req, tried) {
  return { error: `not found (tried ${tried.join(', ')})` };
}

export async function fileFetcher({ baseDir = '.' } = {}) {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const resolve = (c) => (path.isAbsolute(c) ? c : path.resolve(baseDir, c));
  return {
    fetchSync(req) {
      const tried = [];
      for (const c of req.candidates) {
        const file = resolve(c);
        tried.push(file);
        try {
          return { location: file, bytes: new Uint8Array(fs.readFileSync(file)) };
        } catch (e) {
          if (e.code !== 'ENOENT' && e.code !== 'ENOTDIR') return { error: `${file}: ${e.message}` };
        }
      }
      return notFound(req, tried);
    },
    async fetch(req) {
      const tried = [];
      for (const c of req.candidates) {
        const file = resolve(c);
        tried.push(file);
        try {
          return { location: file, bytes: new Uint8Array(await fs.promises.readFile(file)) };
        } catch (e) {
          if (e.code !== 'ENOENT' && e.code !== 'ENOTDIR') return { error: `${file}: ${e.message}` };
        }
      }
      return notFound(req, tried);
    },
  };
}

// HTTP. A 404 means "try the next candidate"; other statuses and network
// errors are reported with the URL.
export function urlFetcher({ baseUrl, fetch: fetchImpl = globalThis.fetch } = {}) {
  const base = baseUrl ?? (typeof location !== 'undefined' ? location.href : undefined);
  return {
    async fetch(req, onProgress) {
      const tried = [];
      for (const c of req.candidates) {
        const url = new URL(c, base).href;
        tried.push(url);
        let response;
        try {
          response = await fetchImpl(url);
        } catch (e) {
          return { error: `${url}: network error: ${e.message}` };
        }
        if (response.status === 404) continue;
        if (!response.ok) return { error: `${url}: HTTP ${response.status}` };
        const bytes = new Uint8Array(await response.arrayBuffer());
        onProgress?.({ module: req.name, phase: 'fetch', loaded: bytes.length, total: bytes.length });
        return { location: url, bytes };
      }
      return notFound(req, tried);
    },
    fetchSync(req) {
      if (typeof XMLHttpRequest === 'undefined' || (typeof window !== 'undefined' && !isNode)) {
        return { error: 'cannot fetch synchronously on this thread: prefetch the module, or run under JSPI' };
      }
      const tried = [];
      for (const c of req.candidates) {
        const url = new URL(c, base).href;
        tried.push(url);
        const xhr = new XMLHttpRequest();
        xhr.open('GET', url, false);
        xhr.responseType = 'arraybuffer';
        try {
          xhr.send();
        } catch (e) {
          return { error: `${url}: network error: ${e.message}` };
        }
        if (xhr.status === 404) continue;
        if (xhr.status !== 200) return { error: `${url}: HTTP ${xhr.status}` };
        return { location: url, bytes: new Uint8Array(xhr.response) };
      }
      return notFound(req, tried);
    },
  };
}
