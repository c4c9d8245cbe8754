// The one error type of the network layer. Every FetchError names the
// module, the URL (or file path) and the HTTP status, in its fields and in
// its message:
//
//   libfoo.wasm: <what happened> (<url>, HTTP <status>[, <attempts>])
//
//   e.module     'libfoo.wasm'
//   e.url        'https://example.com/app/libfoo.0123456789abcdef.wasm'
//   e.status     404, or null when no HTTP response arrived (network error, file)
//   e.kind       see KINDS below
//   e.transient  true when another attempt may succeed
//   e.attempts   how many requests were made
//   e.expected / e.actual   the two hashes, for kind 'integrity'

export const KINDS = Object.freeze({
  HTTP: 'http',                // a non-2xx response
  NOT_FOUND: 'not-found',      // 404, or a missing file
  NETWORK: 'network',          // no response at all (DNS, refused, reset, CORS)
  DROPPED: 'dropped',          // the body ended early: connection dropped mid-body
  STALLED: 'stalled',          // no body bytes for stallTimeoutMs
  INTEGRITY: 'integrity',      // SHA-256 differs from the manifest's
  SYNC_UNAVAILABLE: 'sync-unavailable',  // no synchronous transport on this thread
  ABORTED: 'aborted',          // cancelled through an AbortSignal
  MANIFEST: 'manifest',        // the manifest itself is malformed
  FILE: 'file',                // a file-system error other than a missing file
  TOO_LARGE: 'too-large',      // the body is longer than the manifest's size (or the cap)
  TIMEOUT: 'timeout',          // not complete in time (manifestTimeoutMs, requestTimeoutMs)
  UNLISTED: 'unlisted',        // a module the manifest does not list (no hash covers it)
});

export class FetchError extends Error {
  constructor({ module, url, status = null, kind, what, transient = false, attempts = 1,
                cause, ...extra }) {
    super(FetchError.format({ module, url, status, what, transient, attempts, kind }),
          cause ? { cause } : undefined);
    this.name = 'FetchError';
    this.module = module;
    this.url = url;
    this.status = status;
    this.kind = kind;
    this.transient = transient;
    this.attempts = attempts;
    this.what = what;
    Object.assign(this, extra);
  }

  static format({ module, url, status, what, transient, attempts, kind }) {
    const where = [url];
    if (status !== null && status !== undefined) where.push(`HTTP ${status}`);
    else if (!/^https?:/.test(String(url))) where.push('file system');
    else where.push('no HTTP response');
    if (transient && attempts > 1) where.push(`gave up after ${attempts} attempts`);
    else if (!transient && status !== null && status !== undefined) where.push('not retried');
    return `${module}: ${what} (${where.join(', ')})`;
  }

  // The same error after `attempts` requests (the message is rebuilt).
  withAttempts(attempts) {
    const { module, url, status, kind, what, transient, cause } = this;
    const extra = {};
    for (const k of Object.keys(this)) {
      if (!['module', 'url', 'status', 'kind', 'what', 'transient', 'attempts'].includes(k)) {
        extra[k] = this[k];
      }
    }
    return new FetchError({ ...extra, module, url, status, kind, what, transient, attempts, cause });
  }
}

export function isAbort(e, signal) {
  return (signal && signal.aborted) || (e && (e.name === 'AbortError' || e.kind === KINDS.ABORTED));
}
