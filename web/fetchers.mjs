// Where module bytes come from. A fetcher gets a request from the linker
// ({name, requestedBy, candidates}) and returns {location, bytes} or
// {error}, trying the candidates in order (a missing one means "try the
// next"; any other failure stops the search).
//
//   fileFetcher({ baseDir, maxBytes })  Node: the file system (sync and async);
//                                 regular files of at most maxBytes (1 GiB) only
//   urlFetcher({ baseUrl })       browsers, workers, Node: HTTP(S)
const isNode = typeof process === 'object' && !!(process.versions && process.versions.node);

function notFound(req, tried) {
  return { error: `not found (tried ${tried.join(', ')})` };
}

function reportFetched(onProgress, req, bytes) {
  onProgress?.({ module: req.name, phase: 'fetch', loaded: bytes.length, total: bytes.length });
  onProgress?.({ module: req.name, phase: 'compile', loaded: bytes.length, total: bytes.length });
}

// The most bytes a module file may have: 1 GiB (the largest module the web's
// engines compile), or LAZYLINK_MAX_INPUT_BYTES, as for the native commands.
function defaultMaxBytes() {
  const env = isNode ? process.env.LAZYLINK_MAX_INPUT_BYTES : undefined;
  return env && /^[0-9]+$/.test(env) && Number(env) > 0 ? Number(env) : 2 ** 30;
}

// Regular files of at most maxBytes only: a FIFO would block the read until
// a writer comes, a device such as /dev/zero never ends. -> error or null
function refuseFile(file, st, maxBytes) {
  if (!st.isFile()) return `${file}: not a regular file (a directory, FIFO or device): give the path of a module`;
  if (st.size > maxBytes) {
    return `${file}: ${st.size} bytes, larger than the limit of ${maxBytes} bytes (set LAZYLINK_MAX_INPUT_BYTES to change it)`;
  }
  return null;
}

export async function fileFetcher({ baseDir = '.', maxBytes = defaultMaxBytes() } = {}) {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const resolve = (c) => (path.isAbsolute(c) ? c : path.resolve(baseDir, c));
  return {
    fetchSync(req, onProgress) {
      const tried = [];
      for (const c of req.candidates) {
        const file = resolve(c);
        tried.push(file);
        try {
          const refused = refuseFile(file, fs.statSync(file), maxBytes);
          if (refused) return { error: refused };
          const bytes = new Uint8Array(fs.readFileSync(file));
          reportFetched(onProgress, req, bytes);
          return { location: file, bytes };
        } catch (e) {
          if (e.code !== 'ENOENT' && e.code !== 'ENOTDIR') return { error: `${file}: ${e.message}` };
        }
      }
      return notFound(req, tried);
    },
    async fetch(req, onProgress) {
      const tried = [];
      for (const c of req.candidates) {
        const file = resolve(c);
        tried.push(file);
        try {
          const refused = refuseFile(file, await fs.promises.stat(file), maxBytes);
          if (refused) return { error: refused };
          const bytes = new Uint8Array(await fs.promises.readFile(file));
          reportFetched(onProgress, req, bytes);
          return { location: file, bytes };
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
        reportFetched(onProgress, req, bytes);
        return { location: url, bytes };
      }
      return notFound(req, tried);
    },
    fetchSync(req, onProgress) {
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
        const bytes = new Uint8Array(xhr.response);
        reportFetched(onProgress, req, bytes);
        return { location: url, bytes };
      }
      return notFound(req, tried);
    },
  };
}
