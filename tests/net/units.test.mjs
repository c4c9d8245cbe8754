// Unit tests of the network layer's parts, no server: the limiter, the
// retry policy, error messages, manifest checks, body reading, idle waits.
//   node tests/net/units.test.mjs
import assert from 'node:assert/strict';
import { readBody, expectedLength } from '../../web/net/body.mjs';
import { FetchError, KINDS } from '../../web/net/errors.mjs';
import { whenIdle } from '../../web/net/fetcher.mjs';
import { Limiter } from '../../web/net/limiter.mjs';
import { parseManifest } from '../../web/net/manifest.mjs';
import { isTransientStatus, parseRetryAfter, retryPolicy, withRetries, withRetriesSync } from '../../web/net/retry.mjs';
import { suite } from './testlib.mjs';

const s = suite('net/units');
const tick = () => new Promise((r) => setTimeout(r, 0));
const SHA = 'a'.repeat(64);

s.test('Limiter: at most max at once, high priority first, prefetches capped at lowMax', async (t) => {
  const limiter = new Limiter(2, 1);
  const order = [];
  const hold = [];
  const take = (label, priority) => limiter.acquire({ priority }).then((release) => {
    order.push(label);
    hold.push(release);
  });
  take('low1', 'low');
  take('low2', 'low');
  take('high1', 'high');
  take('high2', 'high');
  await tick();
  assert.deepEqual(order, ['low1', 'high1'], 'low2 waits: one low slot only; high1 takes the other');
  hold.shift()();  // low1 done
  await tick();
  assert.deepEqual(order, ['low1', 'high1', 'high2'], 'high before the waiting low');
  hold.shift()();
  await tick();
  assert.deepEqual(order, ['low1', 'high1', 'high2', 'low2']);
  assert.equal(limiter.maxActive, 2);
  t.log(`grant order ${order.join(', ')}; max active 2`);
});

s.test('Limiter: a waiting ticket can be promoted, or aborted', async (t) => {
  const limiter = new Limiter(2, 1);
  const releases = [];
  releases.push(await limiter.acquire({ priority: 'low' }));
  releases.push(await limiter.acquire({ priority: 'high' }));
  const ticket = { priority: 'low' };
  let got = false;
  limiter.acquire(ticket).then(() => { got = true; });
  const controller = new AbortController();
  const aborted = limiter.acquire({ priority: 'high' }, controller.signal);
  controller.abort();
  await assert.rejects(aborted);
  releases.pop()();  // a high slot frees up; the low ticket may not use it (lowMax 1)
  await tick();
  assert.equal(got, false);
  ticket.priority = 'high';
  limiter.pump();
  await tick();
  assert.equal(got, true);
  t.log('a low ticket blocked by lowMax ran once promoted; an aborted waiter rejected and left the queue');
});

s.test('retry policy: exponential, capped, jittered within bounds, Retry-After honoured', async (t) => {
  const p = retryPolicy({ baseDelayMs: 100, factor: 2, maxDelayMs: 1000, jitter: 0 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => p.delayMs(n)), [100, 200, 400, 800, 1000, 1000]);
  const j = retryPolicy({ baseDelayMs: 100, jitter: 0.2 });
  for (let i = 0; i < 200; i++) {
    const d = j.delayMs(1);
    assert.ok(d >= 80 && d <= 120, `${d}`);
  }
  assert.equal(p.delayMs(1, { retryAfterMs: 700 }), 700);
  assert.equal(p.delayMs(1, { retryAfterMs: 70_000 }), 1000);
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(null), null);
  assert.ok(parseRetryAfter(new Date(Date.now() + 5000).toUTCString()) > 3000);
  assert.deepEqual([200, 404, 403, 408, 429, 500, 503].map(isTransientStatus), [false, false, false, true, true, true, true]);
  t.log('delays 100 200 400 800 1000 1000; jitter 0.2 keeps 80..120; Retry-After 700 ms used, 70 s capped');
  t.log('transient statuses: 408, 429, 5xx; not 403/404');
});

s.test('withRetries / withRetriesSync: transient errors retried, others not, attempts counted', async (t) => {
  const policy = retryPolicy({ retries: 2, baseDelayMs: 1, jitter: 0 });
  const transient = () => new FetchError({ module: 'm.wasm', url: 'https://x/m.wasm', status: 502, kind: KINDS.HTTP, what: 'the server answered 502', transient: true });
  let n = 0;
  const v = await withRetries(policy, () => { if (++n < 3) throw transient(); return 'ok'; });
  assert.equal(v, 'ok');
  assert.equal(n, 3);
  n = 0;
  await assert.rejects(withRetries(policy, () => { n++; throw transient(); }),
    { message: 'm.wasm: the server answered 502 (https://x/m.wasm, HTTP 502, gave up after 3 attempts)' });
  assert.equal(n, 3);
  n = 0;
  assert.throws(() => withRetriesSync(policy, () => {
    n++;
    throw new FetchError({ module: 'm.wasm', url: 'https://x/m.wasm', status: 404, kind: KINDS.NOT_FOUND, what: 'not found' });
  }), { message: 'm.wasm: not found (https://x/m.wasm, HTTP 404, not retried)' });
  assert.equal(n, 1);
  t.log('3 attempts then success; 3 attempts then "gave up after 3 attempts"; a 404 tried once');
});

s.test('FetchError messages name module, location and status', async (t) => {
  const cases = [
    [{ module: 'a.wasm', url: 'https://h/a.wasm', kind: KINDS.NETWORK, what: 'network error: boom', transient: true, attempts: 4 },
     'a.wasm: network error: boom (https://h/a.wasm, no HTTP response, gave up after 4 attempts)'],
    [{ module: 'a.wasm', url: '/srv/a.wasm', kind: KINDS.NOT_FOUND, what: 'file not found (ENOENT)' },
     'a.wasm: file not found (ENOENT) (/srv/a.wasm, file system)'],
    [{ module: 'a.wasm', url: 'https://h/a.wasm', status: 200, kind: KINDS.DROPPED, what: 'connection dropped after 10 of 20 bytes', transient: true },
     'a.wasm: connection dropped after 10 of 20 bytes (https://h/a.wasm, HTTP 200)'],
  ];
  for (const [fields, message] of cases) {
    const e = new FetchError(fields);
    assert.equal(e.message, message);
    assert.equal(e.name, 'FetchError');
    assert.ok(e instanceof Error);
  }
  const e = new FetchError({ module: 'a.wasm', url: 'u', status: 500, kind: KINDS.HTTP, what: 'x', transient: true, expected: 'e' }).withAttempts(3);
  assert.equal(e.attempts, 3);
  assert.equal(e.expected, 'e', 'extra fields survive withAttempts');
  for (const [, m] of cases) t.log(m);
});

s.test('manifest: URLs relative to the manifest, fields checked and named', async (t) => {
  const doc = {
    schema: 'lazylink-manifest/1', main: 'main.wasm',
    modules: {
      'main.wasm': { url: 'main.0123456789abcdef.wasm', size: 10, sha256: SHA, policy: 'eager' },
      'libx.wasm': { url: '../shared/libx.wasm', size: 0, sha256: SHA, policy: 'prefetch' },
    },
  };
  const m = parseManifest(JSON.stringify(doc), 'https://cdn.example/app/v1/lazylink.json');
  assert.equal(m.modules.get('main.wasm').url, 'https://cdn.example/app/v1/main.0123456789abcdef.wasm');
  assert.equal(m.modules.get('libx.wasm').url, 'https://cdn.example/app/shared/libx.wasm');
  assert.equal(m.modules.get('libx.wasm').policy, 'prefetch');
  const bad = (patch, re) => assert.throws(() => parseManifest({ ...doc, ...patch }, 'https://h/lazylink.json'),
    (e) => e instanceof FetchError && e.kind === KINDS.MANIFEST && re.test(e.message));
  bad({ schema: 'x' }, /^lazylink\.json: schema is "x", expected "lazylink-manifest\/1" \(https:\/\/h\/lazylink\.json, no HTTP response\)$/);
  bad({ modules: { 'a.wasm': { url: 'a', size: 1, sha256: SHA.toUpperCase() } } }, /modules\["a\.wasm"\]\.sha256 is not 64 lowercase hex digits/);
  bad({ modules: { 'a.wasm': { url: 'a', size: -1, sha256: SHA } } }, /modules\["a\.wasm"\]\.size is not a byte count/);
  bad({ modules: { 'a.wasm': { url: 'a', size: 1, sha256: SHA, policy: 'sometimes' } } }, /policy is "sometimes", not eager, lazy or prefetch/);
  bad({ main: 'nope.wasm' }, /"main" names "nope\.wasm", which is not in "modules"/);
  assert.throws(() => parseManifest('{', 'https://h/lazylink.json'), /lazylink\.json: not valid JSON/);
  t.log('module URLs resolve against the manifest URL (incl. ../); schema, sha256, size, policy, main checked');
});

function streamOf(chunks, { failAfter = Infinity } = {}) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i >= failAfter) return controller.error(new TypeError('terminated'));
      if (i >= chunks.length) return controller.close();
      controller.enqueue(chunks[i++]);
    },
  });
}

s.test('readBody: collects chunks with progress; early end and errors are "dropped"', async (t) => {
  const chunks = [new Uint8Array([1, 2]), new Uint8Array([3]), new Uint8Array([4, 5, 6])];
  const seen = [];
  const ok = await readBody(new Response(streamOf(chunks), { headers: { 'content-length': '6' } }),
    { module: 'm.wasm', url: 'u', status: 200, onBytes: (l, tot) => seen.push([l, tot]) });
  assert.deepEqual([...ok.bytes], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(seen, [[2, 6], [3, 6], [6, 6]]);
  await assert.rejects(readBody(new Response(streamOf(chunks, { failAfter: 2 }), { headers: { 'content-length': '6' } }),
    { module: 'm.wasm', url: 'https://h/m.wasm', status: 200 }),
  (e) => e.kind === KINDS.DROPPED && e.transient && e.message === 'm.wasm: connection dropped after 3 of 6 bytes (https://h/m.wasm, HTTP 200)');
  await assert.rejects(readBody(new Response(streamOf(chunks.slice(0, 1)), { headers: { 'content-length': '6' } }),
    { module: 'm.wasm', url: 'https://h/m.wasm', status: 200 }),
  (e) => e.kind === KINDS.DROPPED && /after 2 of 6 bytes/.test(e.message));
  // The manifest's size is the total; a content-encoded length is not.
  assert.equal(expectedLength(new Response('x', { headers: { 'content-length': '5', 'content-encoding': 'gzip' } }), null), null);
  assert.equal(expectedLength(new Response('x', { headers: { 'content-length': '5' } }), 9), 9);
  t.log('progress 2/6, 3/6, 6/6; a stream error after 3 bytes and a short body both give transient "dropped" errors');
});

s.test('readBody with compile: the engine compiles a tee of the stream', async (t) => {
  // (module (func (export "f")))
  const wasm = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 4, 1, 2, 0, 11]);
  const r = await readBody(new Response(streamOf([wasm.slice(0, 9), wasm.slice(9)])), { module: 'm.wasm', url: 'u', status: 200, compile: true });
  assert.deepEqual(r.bytes, wasm);
  const module = await r.compiled;
  assert.deepEqual(WebAssembly.Module.exports(module), [{ name: 'f', kind: 'function' }]);
  t.log('bytes collected and the module compiled from the same two-chunk stream');
});

s.test('whenIdle: resolves (setTimeout fallback under Node), rejects when aborted', async (t) => {
  const t0 = Date.now();
  await whenIdle(1000, 30);
  assert.ok(Date.now() - t0 >= 25);
  const c = new AbortController();
  const p = whenIdle(1000, 10_000, c.signal);
  c.abort();
  await assert.rejects(p);
  t.log('resolved after the 30 ms fallback delay; aborted wait rejected at once');
});

process.exit(await s.run() ? 0 : 1);
