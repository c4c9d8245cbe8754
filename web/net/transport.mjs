// Transports: how one attempt at one URL is made.
//
//   http(s):  fetch() (async, streamed body); synchronous XMLHttpRequest
//             (workers only: a window's main thread may not block on the
//             network, and Node has no synchronous HTTP)
//   file:     Node's file system, async (streamed) and sync
//
// Asynchronous opens give a Response whose body the caller streams (a file
// becomes a Response too, so one body pipeline serves both); synchronous
// reads give the whole body. Failures are FetchErrors with `transient` set
// when another attempt may succeed.
import { FetchError, KINDS } from './errors.mjs';
import { isNode, isWindowMainThread, isWorker, loadNodeModules } from './env.mjs';
import { isTransientStatus, parseRetryAfter } from './retry.mjs';

const TRANSIENT_FS_CODES = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR', 'ETIMEDOUT']);

export function displayLocation(url, node) {
  if (url.startsWith('file:') && node) return node.url.fileURLToPath(url);
  return url;
}

export function statusError(module, url, status, statusText, headers) {
  const transient = isTransientStatus(status);
  const text = statusText ? ` ${statusText}` : '';
  return new FetchError({
    module, url, status, transient,
    kind: status === 404 ? KINDS.NOT_FOUND : KINDS.HTTP,
    what: status === 404 ? 'not found' : `the server answered ${status}${text}`,
    retryAfterMs: transient && headers ? parseRetryAfter(headers.get('retry-after')) : null,
  });
}

function fileError(module, file, e) {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') {
    return new FetchError({ module, url: file, kind: KINDS.NOT_FOUND, what: `file not found (${e.code})` });
  }
  return new FetchError({
    module, url: file, kind: KINDS.FILE, what: `cannot read the file: ${e.message}`,
    transient: TRANSIENT_FS_CODES.has(e.code),
  });
}

function notRegular(module, file) {
  return new FetchError({ module, url: file, kind: KINDS.FILE, what: 'not a regular file (a directory, FIFO or device)' });
}

export function abortError(module, url, status = null) {
  return new FetchError({ module, url, status, kind: KINDS.ABORTED, what: 'cancelled' });
}

// One asynchronous attempt: resolves to an ok Response (2xx), or throws.
// cache: a RequestCache mode ('reload' bypasses the HTTP cache).
export async function openAsync(module, url, { signal, fetchImpl, cache } = {}) {
  if (url.startsWith('file:')) return openFile(module, url, signal);
  const doFetch = fetchImpl || globalThis.fetch;
  let response;
  try {
    response = await doFetch(url, cache ? { signal, credentials: 'same-origin', cache } : { signal, credentials: 'same-origin' });
  } catch (e) {
    if (signal?.aborted) throw abortError(module, url);
    const reason = e?.cause?.message || e?.message || String(e);
    throw new FetchError({ module, url, kind: KINDS.NETWORK, what: `network error: ${reason}`, transient: true, cause: e });
  }
  if (!response.ok) {
    // Read and discard the error body so the connection can be reused.
    response.body?.cancel().catch(() => {});
    throw statusError(module, url, response.status, response.statusText, response.headers);
  }
  return response;
}

async function openFile(module, url, signal) {
  const node = await loadNodeModules();
  if (!node) throw new FetchError({ module, url, kind: KINDS.FILE, what: 'file: URLs can only be read under Node' });
  const file = node.url.fileURLToPath(url);
  // Regular files only: opening a FIFO would wait for a writer, and a
  // device such as /dev/zero never ends.
  try {
    const st = await node.fs.promises.stat(file);
    if (!st.isFile()) throw notRegular(module, file);
  } catch (e) {
    if (e instanceof FetchError) throw e;
    throw fileError(module, file, e);
  }
  const stream = node.fs.createReadStream(file, { highWaterMark: 1 << 20, signal });
  let size;
  try {
    await new Promise((resolve, reject) => {
      stream.once('open', resolve);
      stream.once('error', reject);
    });
    const st = await node.fs.promises.stat(file);
    if (!st.isFile()) throw notRegular(module, file);
    size = st.size;
  } catch (e) {
    stream.destroy();
    if (e instanceof FetchError) throw e;
    if (signal?.aborted) throw abortError(module, file);
    throw fileError(module, file, e);
  }
  const body = node.stream.Readable.toWeb(stream);
  return new Response(body, { status: 200, headers: { 'content-length': String(size), 'content-type': 'application/wasm' } });
}

// Why synchronous fetching is impossible here, or null when it is possible.
export function syncUnavailableReason(url) {
  if (url.startsWith('file:')) return isNode ? null : 'file: URLs can only be read under Node';
  if (isWindowMainThread) {
    return "cannot fetch synchronously on a window's main thread";
  }
  if (isNode) return 'cannot fetch over HTTP synchronously under Node (it has no synchronous HTTP)';
  if (!isWorker || typeof XMLHttpRequest === 'undefined') return 'no synchronous transport (XMLHttpRequest) in this realm';
  return null;
}

// One synchronous attempt: { status, bytes, contentLength } or throws.
// `node` is the result of loadNodeModules() (needed for file: URLs).
// maxBytes: a file: URL naming a larger file (or not a regular file) is
// refused before it is read. timeoutMs: the XHR's timeout (workers).
export function readSync(module, url, node, { maxBytes = null, sizeWhat = 'the limit', timeoutMs = 0 } = {}) {
  if (url.startsWith('file:')) {
    const file = node.url.fileURLToPath(url);
    try {
      const st = node.fs.statSync(file);
      if (!st.isFile()) throw notRegular(module, file);
      if (maxBytes !== null && st.size > maxBytes) {
        throw new FetchError({ module, url: file, kind: KINDS.TOO_LARGE,
                               what: `the file has ${st.size} bytes, more than ${sizeWhat} of ${maxBytes} bytes` });
      }
      const buf = node.fs.readFileSync(file);
      return { status: null, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), contentLength: buf.byteLength };
    } catch (e) {
      if (e instanceof FetchError) throw e;
      throw fileError(module, file, e);
    }
  }
  const xhr = new XMLHttpRequest();
  xhr.open('GET', url, false);
  xhr.responseType = 'arraybuffer';
  if (timeoutMs > 0) xhr.timeout = timeoutMs;
  try {
    xhr.send();
  } catch (e) {
    if (e?.name === 'TimeoutError') {
      throw new FetchError({ module, url, kind: KINDS.TIMEOUT, cause: e,
                             what: `not complete within ${timeoutMs} ms (option requestTimeoutMs)` });
    }
    // Chromium throws NetworkError for refused connections and for bodies
    // cut short; neither has a usable status.
    throw new FetchError({ module, url, kind: KINDS.NETWORK, what: `network error: ${e.message}`, transient: true, cause: e });
  }
  if (xhr.status === 0) {
    throw new FetchError({ module, url, kind: KINDS.NETWORK, what: 'network error (no response)', transient: true });
  }
  if (xhr.status < 200 || xhr.status > 299) {
    throw statusError(module, url, xhr.status, xhr.statusText, { get: (h) => xhr.getResponseHeader(h) });
  }
  const length = xhr.getResponseHeader('content-encoding') ? null : Number(xhr.getResponseHeader('content-length'));
  const bytes = new Uint8Array(xhr.response);
  if (maxBytes !== null && bytes.length > maxBytes) {
    throw new FetchError({ module, url, status: xhr.status, kind: KINDS.TOO_LARGE,
                           what: `the body has ${bytes.length} bytes, more than ${sizeWhat} of ${maxBytes} bytes` });
  }
  return { status: xhr.status, bytes, contentLength: Number.isFinite(length) ? length : null };
}
