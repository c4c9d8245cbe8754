// The network layer under Node against the dev server (web/server.mjs) with
// fault injection, and against the file system. Real modules: the test
// modules built by emcc and libstd.wasm.
//   node tests/net/fetch_node.test.mjs <repo root> <modules dir>
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../web/server.mjs';
import { loadCore } from '../../web/core.mjs';
import { callMain, createDomain, runProgram } from '../../web/run.mjs';
import { createModuleFetcher, FetchError, KINDS } from '../../web/net/index.mjs';
import { makeSite } from './make_site.mjs';
import { maxInFlight, suite } from './testlib.mjs';

const root = path.resolve(process.argv[2] || '.');
const modulesDir = path.resolve(process.argv[3] || path.join(root, 'build/wasm/tests/modules'));
const libstd = path.join(root, 'web/dist/libstd.wasm');
const moduleFiles = [
  ...fs.readdirSync(modulesDir).filter((f) => f.endsWith('.wasm')).sort().map((f) => path.join(modulesDir, f)),
  libstd,
];
assert.ok(moduleFiles.length >= 3, `test modules in ${modulesDir}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lazylink-net-'));
const site = makeSite({
  dir: path.join(tmp, 'app'), modules: moduleFiles, main: 'chain_main.wasm',
  policies: { 'libptrs.wasm': 'prefetch', 'libshapes.wasm': 'prefetch' },
});
const names = Object.keys(site.manifest.modules);
const server = await startServer({ mounts: { '/app': site.dir } });
const manifestUrl = `${server.url}/app/lazylink.json`;
const core = await loadCore();
const FAST_RETRY = { retries: 3, baseDelayMs: 20, factor: 2, maxDelayMs: 200, jitter: 0 };

const glob = (name) => `/app/${name.replace(/\.wasm$/, '')}.*.wasm`;
const requestsFor = (name) => server.requests.filter((r) => r.path.startsWith(`/app/${name.replace(/\.wasm$/, '')}.`));
const req = (name) => ({ name, requestedBy: '', candidates: [name] });
const fileBytes = (name) => new Uint8Array(fs.readFileSync(site.files[name]));

function reset() {
  server.clearLog();
  server.clearFaults();
  server.setThrottle(null);
}

async function fetcherFor(extra = {}) {
  const fetcher = await createModuleFetcher({ manifest: manifestUrl, core, retry: FAST_RETRY, ...extra });
  server.clearLog();  // the manifest request is not what the tests count
  return fetcher;
}

const s = suite('net/node');

s.test('core sha256Hex (C++ in wasm) agrees with node:crypto on every module', async (t) => {
  for (const name of names) {
    const bytes = fileBytes(name);
    assert.equal(core.sha256Hex(bytes), crypto.createHash('sha256').update(bytes).digest('hex'), name);
  }
  assert.equal(core.sha256Hex(new Uint8Array(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  t.log(`${names.length} modules (largest ${fileBytes('libstd.wasm').length} bytes) and the empty input hash alike`);
});

s.test('every module fetched in parallel, verified, compiled while streaming', async (t) => {
  reset();
  const fetcher = await fetcherFor();
  const results = await Promise.all(names.map((n) => fetcher.fetch(req(n))));
  for (const [i, r] of results.entries()) {
    const name = names[i];
    assert.equal(r.error, undefined, r.error);
    assert.deepEqual(r.bytes, fileBytes(name), `${name}: bytes`);
    assert.equal(r.location, `${server.url}/app/${site.manifest.modules[name].url}`);
    assert.equal(r.verified, true);
    assert.equal(r.streamed, true, `${name}: compiled with compileStreaming`);
    const module = await r.compiled;
    assert.ok(module instanceof WebAssembly.Module);
    assert.deepEqual(WebAssembly.Module.imports(module), WebAssembly.Module.imports(new WebAssembly.Module(r.bytes)));
  }
  for (const name of names) assert.equal(requestsFor(name).length, 1, `${name}: one request`);
  t.log(`${names.length} modules: bytes equal the files, location is the hashed URL, compiled module matches`);
  t.log(`request log: ${server.requests.length} requests, one per module, all ${[...new Set(server.requests.map((r) => r.status))]}`);
  t.log(`stats: ${JSON.stringify({ ...fetcher.stats })}`);
});

s.test('404 fails at once: no retry, error names module, URL and status', async (t) => {
  reset();
  server.setFault(glob('libptrs.wasm'), { status: 404 });
  const events = [];
  const fetcher = await fetcherFor({ onEvent: (e) => events.push(e) });
  const r = await fetcher.fetch(req('libptrs.wasm'));
  const url = `${server.url}/app/${site.manifest.modules['libptrs.wasm'].url}`;
  assert.equal(r.error, `libptrs.wasm: not found (${url}, HTTP 404, not retried)`);
  assert.ok(r.fetchError instanceof FetchError);
  assert.equal(r.fetchError.status, 404);
  assert.equal(r.fetchError.kind, KINDS.NOT_FOUND);
  assert.equal(r.fetchError.module, 'libptrs.wasm');
  assert.equal(r.fetchError.url, url);
  assert.deepEqual(requestsFor('libptrs.wasm').map((x) => x.status), [404]);
  assert.equal(events.filter((e) => e.type === 'retry').length, 0);
  t.log(`error: ${r.error}`);
  t.log(`request log: ${JSON.stringify(requestsFor('libptrs.wasm').map((x) => [x.path, x.status]))}`);
});

s.test('other 4xx (403) fails at once too', async (t) => {
  reset();
  server.setFault(glob('libptrs.wasm'), { status: 403 });
  const fetcher = await fetcherFor();
  const r = await fetcher.fetch(req('libptrs.wasm'));
  assert.match(r.error, /^libptrs\.wasm: the server answered 403 Forbidden \(http:.*, HTTP 403, not retried\)$/);
  assert.equal(requestsFor('libptrs.wasm').length, 1);
  t.log(`error: ${r.error}; 1 request`);
});

s.test('500 then success: retried once, the log shows 2 requests', async (t) => {
  reset();
  server.setFault(glob('libchain_mid.wasm'), { status: 500, times: 1 });
  const events = [];
  const fetcher = await fetcherFor({ onEvent: (e) => events.push(e) });
  const r = await fetcher.fetch(req('libchain_mid.wasm'));
  assert.equal(r.error, undefined, r.error);
  assert.deepEqual(r.bytes, fileBytes('libchain_mid.wasm'));
  assert.deepEqual(requestsFor('libchain_mid.wasm').map((x) => x.status), [500, 200]);
  const retries = events.filter((e) => e.type === 'retry');
  assert.equal(retries.length, 1);
  assert.equal(retries[0].status, 500);
  assert.equal(retries[0].delayMs, 20);
  t.log(`request log: ${requestsFor('libchain_mid.wasm').map((x) => x.status).join(' then ')}; one retry event after ${retries[0].delayMs} ms`);
});

s.test('500 every time: gives up after retries + 1 attempts with backoff', async (t) => {
  reset();
  server.setFault(glob('libchain_mid.wasm'), { status: 503 });
  const events = [];
  const fetcher = await fetcherFor({ onEvent: (e) => events.push(e) });
  const r = await fetcher.fetch(req('libchain_mid.wasm'));
  assert.match(r.error, /^libchain_mid\.wasm: the server answered 503 Service Unavailable \(http:\/\/\S+libchain_mid\.[0-9a-f]{16}\.wasm, HTTP 503, gave up after 4 attempts\)$/);
  assert.equal(r.fetchError.attempts, 4);
  assert.equal(requestsFor('libchain_mid.wasm').length, 4);
  assert.deepEqual(events.filter((e) => e.type === 'retry').map((e) => e.delayMs), [20, 40, 80]);
  t.log(`error: ${r.error}`);
  t.log('4 requests in the log; waits 20, 40, 80 ms between them');
});

s.test('network failure (connection refused) is retried and reported with no HTTP status', async (t) => {
  reset();
  const dead = await startServer({ mounts: { '/app': site.dir } });
  const deadUrl = dead.url;
  const fetcher = await createModuleFetcher({ manifest: `${deadUrl}/app/lazylink.json`, core, retry: FAST_RETRY });
  await dead.close();
  const r = await fetcher.fetch(req('libptrs.wasm'));
  assert.match(r.error, /^libptrs\.wasm: network error: .+ \(http:\/\/127\.0\.0\.1:\d+\/app\/libptrs\.[0-9a-f]{16}\.wasm, no HTTP response, gave up after 4 attempts\)$/);
  assert.equal(r.fetchError.status, null);
  assert.equal(fetcher.stats.retries, 3);
  t.log(`error: ${r.error}`);
});

s.test('connection dropped mid-body, then success', async (t) => {
  reset();
  server.setFault(glob('libstd.wasm'), { dropAfter: 300_000, times: 1 });
  const events = [];
  const progress = [];
  const fetcher = await fetcherFor({ onEvent: (e) => events.push(e) });
  const r = await fetcher.fetch(req('libstd.wasm'), (p) => progress.push(p));
  assert.equal(r.error, undefined, r.error);
  assert.deepEqual(r.bytes, fileBytes('libstd.wasm'));
  assert.ok((await r.compiled) instanceof WebAssembly.Module);
  assert.deepEqual(requestsFor('libstd.wasm').map((x) => x.status), ['dropped', 200]);
  const retry = events.find((e) => e.type === 'retry');
  assert.match(retry.error, /^libstd\.wasm: connection dropped after \d+ of \d+ bytes \(http:\S+, HTTP 200\)$/);
  t.log(`request log: ${requestsFor('libstd.wasm').map((x) => `${x.status} (${x.bytes} bytes)`).join(', then ')}`);
  t.log(`retry event: ${retry.error}`);
});

s.test('connection dropped every time: error names bytes received, URL and status', async (t) => {
  reset();
  server.setFault(glob('libstd.wasm'), { dropAfter: 100_000 });
  const fetcher = await fetcherFor({ retry: { ...FAST_RETRY, retries: 1 } });
  const r = await fetcher.fetch(req('libstd.wasm'));
  assert.match(r.error, /^libstd\.wasm: connection dropped after \d+ of \d+ bytes \(http:\S+libstd\.[0-9a-f]{16}\.wasm, HTTP 200, gave up after 2 attempts\)$/);
  assert.equal(r.fetchError.kind, KINDS.DROPPED);
  assert.equal(requestsFor('libstd.wasm').length, 2);
  t.log(`error: ${r.error}`);
});

s.test('wrong bytes: SHA-256 mismatch names module, expected and actual hash; fetched once more bypassing the HTTP cache', async (t) => {
  reset();
  server.setFault(glob('libshapes.wasm'), { corrupt: true });
  const fetcher = await fetcherFor();
  const r = await fetcher.fetch(req('libshapes.wasm'));
  // The server flips 16 bytes in the middle; compute what it sent.
  const bad = Buffer.from(fileBytes('libshapes.wasm'));
  for (let i = Math.floor(bad.length / 2); i < Math.min(bad.length, Math.floor(bad.length / 2) + 16); i++) bad[i] ^= 0xff;
  const actual = crypto.createHash('sha256').update(bad).digest('hex');
  const expected = site.manifest.modules['libshapes.wasm'].sha256;
  const url = `${server.url}/app/${site.manifest.modules['libshapes.wasm'].url}`;
  assert.equal(r.error, `libshapes.wasm: SHA-256 mismatch: expected ${expected}, got ${actual} ` +
                        `for ${bad.length} bytes (also when fetched again bypassing the HTTP cache) ` +
                        `(${url}, HTTP 200, not retried)`);
  assert.equal(r.fetchError.kind, KINDS.INTEGRITY);
  assert.equal(r.fetchError.expected, expected);
  assert.equal(r.fetchError.actual, actual);
  assert.equal(r.bytes, undefined, 'no bytes handed over');
  assert.equal(r.compiled, undefined, 'no compiled module handed over');
  // Content-hashed URLs are cached forever: once more, bypassing the HTTP cache.
  assert.equal(requestsFor('libshapes.wasm').length, 2);
  t.log(`error: ${r.error}`);
});

s.test('slow response: progress events as the body streams, still succeeds', async (t) => {
  reset();
  server.setThrottle({ kbps: 40_000, latencyMs: 40 });  // 5 MB/s: libstd takes ~0.3 s
  const progress = [];
  const fetcher = await fetcherFor();
  const t0 = Date.now();
  const r = await fetcher.fetch(req('libstd.wasm'), (p) => progress.push(p));
  const ms = Date.now() - t0;
  assert.equal(r.error, undefined, r.error);
  const size = site.manifest.modules['libstd.wasm'].size;
  const fetchEvents = progress.filter((p) => p.phase === 'fetch');
  assert.ok(fetchEvents.length >= 10, `${fetchEvents.length} fetch events`);
  for (let i = 1; i < fetchEvents.length; i++) assert.ok(fetchEvents[i].loaded > fetchEvents[i - 1].loaded);
  assert.ok(fetchEvents.every((p) => p.total === size && p.module === 'libstd.wasm' && p.source === 'network'));
  assert.equal(fetchEvents.at(-1).loaded, size);
  assert.deepEqual(progress.at(-1), { module: 'libstd.wasm', phase: 'compile', loaded: size, total: size, source: 'network', prefetch: false });
  assert.ok((await r.compiled) instanceof WebAssembly.Module);
  t.log(`${size} bytes in ${ms} ms: ${fetchEvents.length} fetch events, loaded rising to total, then one compile event`);
});

s.test('a stalled response times out (stallTimeoutMs) and is retried', async (t) => {
  reset();
  server.setFault(glob('libptrs.wasm'), { delayMs: 1500, times: 1 });
  const events = [];
  const fetcher = await fetcherFor({ stallTimeoutMs: 300, onEvent: (e) => events.push(e) });
  const r = await fetcher.fetch(req('libptrs.wasm'));
  assert.equal(r.error, undefined, r.error);
  const retry = events.find((e) => e.type === 'retry');
  assert.match(retry.error, /^libptrs\.wasm: no data for 300 ms after 0 bytes \(http:\S+, no HTTP response\)$/);
  t.log(`first attempt: ${retry.error}; second attempt succeeded`);
});

s.test('concurrency limit respected (max in flight measured on the server)', async (t) => {
  for (const limit of [1, 2, 3]) {
    reset();
    server.setFault('/app/*.wasm', { delayMs: 120 });
    const fetcher = await fetcherFor({ concurrency: limit });
    const results = await Promise.all(names.map((n) => fetcher.fetch(req(n))));
    assert.ok(results.every((r) => !r.error));
    const seen = maxInFlight(server.requests.filter((r) => r.path.endsWith('.wasm')));
    assert.equal(seen, limit, `limit ${limit}: server saw ${seen}`);
    assert.equal(fetcher.stats.maxInFlight, limit);
    t.log(`concurrency ${limit}: ${names.length} parallel fetches, the server saw at most ${seen} at once`);
  }
});

s.test('prefetch, then fetch: one request; the fetch gets the prefetched bytes and module', async (t) => {
  reset();
  const fetcher = await fetcherFor();
  const p = await fetcher.prefetch('libshapes.wasm');
  assert.deepEqual(p, { name: 'libshapes.wasm', source: 'network', size: site.manifest.modules['libshapes.wasm'].size });
  const r = await fetcher.fetch(req('libshapes.wasm'));
  assert.equal(r.source, 'prefetch');
  assert.deepEqual(r.bytes, fileBytes('libshapes.wasm'));
  assert.ok((await r.compiled) instanceof WebAssembly.Module);
  assert.equal(requestsFor('libshapes.wasm').length, 1);
  t.log('prefetch made 1 request; the fetch after it made none and got source "prefetch"');
});

s.test('fetch while a prefetch is in flight takes it over: one request', async (t) => {
  reset();
  server.setFault(glob('libstd.wasm'), { delayMs: 200 });
  const fetcher = await fetcherFor();
  const pre = fetcher.prefetch('libstd.wasm');
  await new Promise((r) => setTimeout(r, 50));
  const r = await fetcher.fetch(req('libstd.wasm'));
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.source, 'prefetch');
  await pre;
  assert.equal(fetcher.cancelPrefetch('libstd.wasm'), 0, 'a taken-over prefetch is not cancellable');
  assert.equal(requestsFor('libstd.wasm').length, 1);
  t.log('1 request for libstd.wasm; cancelPrefetch after the take-over cancelled nothing');
});

s.test('a fetch that took over a prefetch which then gets a 404 fails with it: one request', async (t) => {
  reset();
  server.setFault(glob('libshapes.wasm'), { delayMs: 200, status: 404 });
  const events = [];
  const fetcher = await fetcherFor({ onEvent: (e) => events.push(e) });
  const pre = fetcher.prefetch('libshapes.wasm');
  pre.catch(() => {});
  await new Promise((r) => setTimeout(r, 50));
  const r = await fetcher.fetch(req('libshapes.wasm'));
  assert.match(r.error ?? '', /^libshapes\.wasm: not found \(http:.*HTTP 404, not retried\)$/);
  await assert.rejects(pre, (e) => e.kind === KINDS.NOT_FOUND);
  assert.equal(requestsFor('libshapes.wasm').length, 1, 'the 404 was asked for again');
  assert.ok(!events.some((e) => e.type === 'prefetch-unused'));
  t.log(`the fetch failed with the prefetch's error (${r.error.split(' (')[0]}); 1 request`);
});

s.test('prefetch is cancellable; a later fetch makes its own request', async (t) => {
  reset();
  server.setFault(glob('libchain_base.wasm'), { delayMs: 400, times: 1 });
  const events = [];
  const fetcher = await fetcherFor({ onEvent: (e) => events.push(e) });
  const controller = new AbortController();
  const pre = fetcher.prefetch('libchain_base.wasm', { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 50));
  controller.abort();
  await assert.rejects(pre, (e) => e.kind === KINDS.ABORTED && /^libchain_base\.wasm: cancelled \(http:/.test(e.message));
  const r = await fetcher.fetch(req('libchain_base.wasm'));
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.source, 'network');
  assert.ok(events.some((e) => e.type === 'prefetch-cancel' && e.module === 'libchain_base.wasm'));
  t.log(`cancelled prefetch rejected (kind aborted); the fetch made request #${requestsFor('libchain_base.wasm').length}`);
});

s.test('idle prefetch fetches the "prefetch" modules; later fetches make no request; cancellable', async (t) => {
  reset();
  const fetcher = await fetcherFor();
  const summary = await fetcher.schedulePrefetch().done;
  assert.deepEqual(summary, { prefetched: ['libptrs.wasm', 'libshapes.wasm'], failed: [], skipped: [], cancelled: false });
  server.clearLog();
  for (const name of ['libptrs.wasm', 'libshapes.wasm']) {
    const r = await fetcher.fetch(req(name));
    assert.equal(r.source, 'prefetch');
  }
  assert.equal(server.requests.length, 0);
  t.log(`schedulePrefetch: ${JSON.stringify(summary)}; the two fetches after it made 0 requests`);

  reset();
  const second = await fetcherFor({ prefetchWhenIdle: true, idleFallbackDelayMs: 200 });
  second.idlePrefetch.cancel();
  const cancelled = await second.idlePrefetch.done;
  assert.equal(cancelled.cancelled, true);
  assert.deepEqual(cancelled.prefetched, []);
  assert.equal(server.requests.length, 0);
  t.log('prefetchWhenIdle cancelled before idle: 0 requests, summary.cancelled = true');
});

s.test('a module not in the manifest, with allowUnlisted: the candidates, relative to the manifest', async (t) => {
  reset();
  fs.mkdirSync(path.join(site.dir, 'plugins'), { recursive: true });
  fs.copyFileSync(path.join(modulesDir, 'libptrs.wasm'), path.join(site.dir, 'plugins', 'libextra.wasm'));
  // (Without it, refused: tests/net/limits_node.test.mjs.)
  const fetcher = await fetcherFor({ allowUnlisted: true });
  const r = await fetcher.fetch({ name: 'libextra.wasm', requestedBy: 'main.wasm', candidates: ['lib/libextra.wasm', 'plugins/libextra.wasm'] });
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.location, `${server.url}/app/plugins/libextra.wasm`);
  assert.equal(r.verified, false);
  assert.deepEqual(server.requests.map((x) => [x.path, x.status]), [['/app/lib/libextra.wasm', 404], ['/app/plugins/libextra.wasm', 200]]);
  const miss = await fetcher.fetch({ name: 'libnone.wasm', requestedBy: '', candidates: ['libnone.wasm'] });
  assert.equal(miss.error, `libnone.wasm: not in the manifest, and not found at any candidate location (${server.url}/app/libnone.wasm, HTTP 404, not retried)`);
  t.log(`found at the second candidate after a 404; missing everywhere: ${miss.error}`);
});

s.test('fetchSync over HTTP under Node: refused with a clear message, but a prefetched module is served', async (t) => {
  reset();
  const fetcher = await fetcherFor();
  const r = fetcher.fetchSync(req('libptrs.wasm'));
  assert.match(r.error, /^libptrs\.wasm: cannot fetch over HTTP synchronously under Node \(it has no synchronous HTTP\); prefetch the module first \(await fetcher\.prefetch\("libptrs\.wasm"\)\) or call into it under JSPI \(http:\S+, no HTTP response\)$/);
  await fetcher.prefetch('libptrs.wasm');
  const ok = fetcher.fetchSync(req('libptrs.wasm'));
  assert.equal(ok.error, undefined);
  assert.equal(ok.source, 'prefetch');
  assert.ok(ok.compiled instanceof WebAssembly.Module, 'sync hand-over gives the compiled module itself');
  t.log(`refused: ${r.error}`);
  t.log('after prefetch: fetchSync served it with a WebAssembly.Module');
});

s.test('a manifest on the file system: async and sync fetches verified (WebCrypto / core)', async (t) => {
  const fetcher = await createModuleFetcher({ manifest: path.relative(process.cwd(), site.manifestPath), core });
  for (const name of names) {
    const a = await fetcher.fetch(req(name));
    assert.equal(a.error, undefined, a.error);
    assert.equal(a.location, site.files[name]);
    assert.equal(a.source, 'file');
    assert.ok((await a.compiled) instanceof WebAssembly.Module);
    const b = fetcher.fetchSync(req(name));
    assert.equal(b.error, undefined, b.error);
    assert.deepEqual(b.bytes, a.bytes);
    assert.ok(b.compiled instanceof WebAssembly.Module);
  }
  t.log(`${names.length} modules read from ${site.dir}, async (streamed) and sync, both verified`);
});

s.test('file system: corrupt file is a hash mismatch (sync and async); missing file is not found', async (t) => {
  const dir = path.join(tmp, 'corrupt');
  const bad = makeSite({ dir, modules: [path.join(modulesDir, 'libptrs.wasm'), path.join(modulesDir, 'libchain_base.wasm')] });
  const file = bad.files['libptrs.wasm'];
  const bytes = fs.readFileSync(file);
  bytes[bytes.length - 1] ^= 1;
  fs.writeFileSync(file, bytes);
  fs.rmSync(bad.files['libchain_base.wasm']);
  const actual = crypto.createHash('sha256').update(bytes).digest('hex');
  const expected = bad.manifest.modules['libptrs.wasm'].sha256;
  const fetcher = await createModuleFetcher({ manifest: bad.manifestPath, core });
  const message = `libptrs.wasm: SHA-256 mismatch: expected ${expected}, got ${actual} for ${bytes.length} bytes (${file}, file system)`;
  assert.equal(fetcher.fetchSync(req('libptrs.wasm')).error, message);
  assert.equal((await fetcher.fetch(req('libptrs.wasm'))).error, message);
  const missing = `libchain_base.wasm: file not found (ENOENT) (${bad.files['libchain_base.wasm']}, file system)`;
  assert.equal(fetcher.fetchSync(req('libchain_base.wasm')).error, missing);
  assert.equal((await fetcher.fetch(req('libchain_base.wasm'))).error, missing);
  t.log(`sync and async: ${message}`);
  t.log(`sync and async: ${missing}`);
});

s.test('a bad manifest is refused with the field named', async (t) => {
  const dir = path.join(tmp, 'badmanifest');
  fs.mkdirSync(dir, { recursive: true });
  const write = (doc) => fs.writeFileSync(path.join(dir, 'lazylink.json'), JSON.stringify(doc));
  write({ schema: 'lazylink-manifest/2', modules: {} });
  await assert.rejects(createModuleFetcher({ manifest: path.join(dir, 'lazylink.json'), core }),
    { message: `lazylink.json: schema is "lazylink-manifest/2", expected "lazylink-manifest/1" (${path.join(dir, 'lazylink.json')}, file system)` });
  write({ schema: 'lazylink-manifest/1', modules: { 'a.wasm': { url: 'a.wasm', size: 1, sha256: 'XYZ' } } });
  await assert.rejects(createModuleFetcher({ manifest: path.join(dir, 'lazylink.json'), core }),
    /modules\["a\.wasm"\]\.sha256 is not 64 lowercase hex digits/);
  reset();
  server.setFault('/app/lazylink.json', { status: 500, times: 2 });
  const f = await createModuleFetcher({ manifest: manifestUrl, core, retry: FAST_RETRY });
  assert.equal(f.manifest.modules.size, names.length);
  assert.deepEqual(server.requests.map((r) => r.status), [500, 500, 200]);
  t.log('wrong schema and a bad sha256 refused with the field named; the manifest itself is retried on 500 (500, 500, 200)');
});

s.test('the Domain runs a split program through the fetcher: HTTP with a 500 injected, and file + loadSync', async (t) => {
  reset();
  server.setFault(glob('libchain_mid.wasm'), { status: 500, times: 1 });
  let stdout = '';
  const fetcher = await fetcherFor();
  const { exitCode } = await runProgram({
    main: 'chain_main.wasm', fetcher, hostOptions: { stdout: (text) => { stdout += text; } },
  });
  assert.equal(exitCode, 0);
  const wasm = server.requests.filter((r) => r.path.endsWith('.wasm')).map((r) => `${r.path.split('/').pop().split('.')[0]} ${r.status}`);
  assert.deepEqual([...wasm].sort(), ['chain_main 200', 'libchain_base 200', 'libchain_mid 200', 'libchain_mid 500', 'libstd 200']);
  assert.ok(wasm.indexOf('libchain_mid 500') < wasm.indexOf('libchain_mid 200'));
  t.log(`async over HTTP: exit 0, stdout ${JSON.stringify(stdout)}; request log: ${wasm.join(', ')}`);

  let syncOut = '';
  const fileFetcher = await createModuleFetcher({ manifest: site.manifestPath, core });
  const { domain, host } = await createDomain({
    fetcher: fileFetcher, core, hostOptions: { args: ['chain_main'], stdout: (text) => { syncOut += text; } },
  });
  const id = domain.loadSync('chain_main.wasm');
  assert.equal(callMain(domain, host, id, ['chain_main']), 0);
  assert.equal(syncOut, stdout);
  t.log(`sync from the file system (Domain.loadSync): exit 0, same output`);
});

const ok = await s.run();
await server.close();
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
