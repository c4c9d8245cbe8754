// Retry policy: which failures are worth another attempt, and how long to
// wait before it (exponential backoff with jitter, bounded).
//
//   const policy = retryPolicy({ retries: 3, baseDelayMs: 250 });
//   policy.delayMs(1)  // ~250 before the 2nd attempt, ~500 before the 3rd, ...
import { FetchError, KINDS } from './errors.mjs';

export const RETRY_DEFAULTS = Object.freeze({
  retries: 3,          // attempts after the first one
  baseDelayMs: 250,    // wait before the first retry
  factor: 2,           // each further wait is this much longer
  maxDelayMs: 4000,    // no single wait is longer (Retry-After included)
  jitter: 0.2,         // each wait is scaled by a random factor in [1 - jitter, 1 + jitter]
});

export function retryPolicy(options = {}) {
  const o = { ...RETRY_DEFAULTS, ...options };
  if (!(o.retries >= 0)) throw new TypeError(`retry.retries must be >= 0, not ${o.retries}`);
  return {
    ...o,
    // The wait before attempt number `attempt + 1` (attempt >= 1 failed).
    delayMs(attempt, error) {
      let ms = Math.min(o.maxDelayMs, o.baseDelayMs * o.factor ** (attempt - 1));
      if (o.jitter) ms *= 1 + o.jitter * (2 * Math.random() - 1);
      if (error && error.retryAfterMs) ms = Math.max(ms, Math.min(error.retryAfterMs, o.maxDelayMs));
      return Math.max(0, Math.round(ms));
    },
  };
}

// HTTP statuses another attempt may cure: request timeout, too many
// requests, and every server error.
export function isTransientStatus(status) {
  return status === 408 || status === 429 || status >= 500;
}

// Seconds or an HTTP date, as in the Retry-After header; null if absent.
export function parseRetryAfter(value) {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : Math.max(0, t - Date.now());
}

export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Blocks the thread: only ever used on synchronous paths (workers, Node),
// which block anyway. Atomics.wait where shared memory exists, else a spin.
export function sleepSync(ms) {
  if (ms <= 0) return;
  if (typeof SharedArrayBuffer !== 'undefined' && typeof Atomics !== 'undefined') {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      return;
    } catch {
      // Atomics.wait is not allowed on this thread; spin instead.
    }
  }
  const end = Date.now() + ms;
  while (Date.now() < end) { /* spin */ }
}

// Runs `attempt(n)` (n = 1, 2, ...) until it succeeds, fails for good, or the
// retries are spent. `attempt` throws FetchErrors; transient ones are retried.
export async function withRetries(policy, attempt, { signal, onRetry } = {}) {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!(e instanceof FetchError)) throw e;
      if (e.kind === KINDS.ABORTED || !e.transient || n > policy.retries) throw e.withAttempts(n);
      const delay = policy.delayMs(n, e);
      onRetry?.({ attempt: n, delayMs: delay, error: e });
      await sleep(delay, signal);
    }
  }
}

export function withRetriesSync(policy, attempt, { onRetry } = {}) {
  for (let n = 1; ; n++) {
    try {
      return attempt(n);
    } catch (e) {
      if (!(e instanceof FetchError)) throw e;
      if (!e.transient || n > policy.retries) throw e.withAttempts(n);
      const delay = policy.delayMs(n, e);
      onRetry?.({ attempt: n, delayMs: delay, error: e });
      sleepSync(delay);
    }
  }
}
