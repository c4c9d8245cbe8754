// Streams one response body: collects the bytes (for hashing and for the
// C++ parse), reports progress as they arrive, and, on a tee'd branch of the
// same stream, lets the engine compile while the bytes are still arriving.
// A body that stops early is a transient 'dropped' error. (Stalls are the
// caller's watchdog: it aborts the request, which ends the body here.)
import { FetchError, KINDS } from './errors.mjs';
import { abortError } from './transport.mjs';

export const canCompileStreaming = typeof WebAssembly === 'object' &&
  typeof WebAssembly.compileStreaming === 'function' && typeof Response === 'function';

// The number of bytes to expect: the manifest's size when known; else the
// Content-Length, unless the body is content-encoded (then the header counts
// compressed bytes).
export function expectedLength(response, size) {
  if (Number.isSafeInteger(size)) return size;
  if (response.headers.get('content-encoding')) return null;
  const n = Number(response.headers.get('content-length'));
  return response.headers.has('content-length') && Number.isFinite(n) ? n : null;
}

// The error for a body longer than it may be: `limit` bytes, the manifest's
// size or (no size known) the cap named by `capName`.
function tooLarge({ module, url, status, size, limit, capName, received, announced = null }) {
  const got = announced !== null ? `the server announces ${announced}` : `${received} bytes received`;
  const what = Number.isSafeInteger(size)
    ? `the body is longer than the manifest's size of ${size} bytes (${got}); ` +
      'the file on the server is not the one the manifest was made for'
    : `the body is larger than the limit of ${limit} bytes (${got}; option ${capName})`;
  return new FetchError({ module, url, status, kind: KINDS.TOO_LARGE, transient: false, loaded: received, what });
}

// -> { bytes, compiled: Promise<WebAssembly.Module> | null, total }
//   signal: the caller's own cancellation (reported as 'aborted').
//   size: the manifest's byte count; the body may not be longer (it is
//     cancelled at the first chunk past it, for the engine's branch too).
//   maxBytes, capName: without a size, the most bytes accepted, and the
//     option that sets it (named in the error).
export async function readBody(response, { module, url, status, size = null, maxBytes = null, capName = 'maxBytes',
                                           compile = false, signal, onBytes }) {
  const total = expectedLength(response, size);
  const wireLength = response.headers.get('content-encoding') ? null : Number(response.headers.get('content-length') ?? NaN);
  const limit = Number.isSafeInteger(size) ? size : Number.isSafeInteger(maxBytes) ? maxBytes : null;
  let body = response.body;
  let overflow = null;
  if (limit !== null && Number.isFinite(wireLength) && wireLength > limit) {
    // Announced too long: refused before a byte is read.
    body?.cancel().catch(() => {});
    throw tooLarge({ module, url, status, size, limit, capName, received: 0, announced: wireLength });
  }
  if (limit !== null && body) {
    // Counted before the tee, so that the engine's branch stops too and the
    // request is cancelled (an endless body ends here).
    let seen = 0;
    body = body.pipeThrough(new TransformStream({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) {
          overflow = tooLarge({ module, url, status, size, limit, capName, received: seen });
          controller.error(overflow);
          return;
        }
        controller.enqueue(chunk);
      },
    }));
  }
  let compiled = null;
  if (compile && body && canCompileStreaming) {
    const [forEngine, forUs] = body.tee();
    compiled = WebAssembly.compileStreaming(
      new Response(forEngine, { headers: { 'content-type': 'application/wasm' } }));
    // Never left unhandled: a failed attempt drops it, a good one hands the
    // original promise (rejections included) to the caller.
    compiled.catch(() => {});
    body = forUs;
  }
  if (!body) return { bytes: new Uint8Array(0), compiled, total };

  const reader = body.getReader();
  const chunks = [];
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      onBytes?.(loaded, total);
    }
  } catch (e) {
    if (overflow) throw overflow;
    if (signal?.aborted) throw abortError(module, url, status);
    const of = total !== null ? ` of ${total}` : '';
    throw new FetchError({ module, url, status, kind: KINDS.DROPPED, transient: true, cause: e,
                           loaded, total, what: `connection dropped after ${loaded}${of} bytes` });
  }
  if (Number.isFinite(wireLength) && loaded < wireLength) {
    throw new FetchError({ module, url, status, kind: KINDS.DROPPED, transient: true, loaded, total,
                           what: `connection dropped after ${loaded} of ${wireLength} bytes` });
  }
  let bytes;
  if (chunks.length === 1) {
    const c = chunks[0];  // a plain Uint8Array even when the stream gave a Node Buffer
    bytes = new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
  } else {
    bytes = new Uint8Array(loaded);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
  }
  return { bytes, compiled, total };
}
