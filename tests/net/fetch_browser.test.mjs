// The network layer in headless Chromium: the Cache API across page loads
// (asserted from the server's request log), streaming compilation, progress
// events, a corrupt cache entry, sync fetch refused on the main thread and
// working in a worker, an unlisted module refused and an endless body
// stopped. Any console error fails a test.
//   node tests/net/fetch_browser.test.mjs <repo root> <modules dir>
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../web/server.mjs';
import { openBrowser } from '../browser/harness.mjs';
import { makeSite } from './make_site.mjs';
import { suite } from './testlib.mjs';

const root = path.resolve(process.argv[2] || '.');
const modulesDir = path.resolve(process.argv[3] || path.join(root, 'build/wasm/tests/modules'));
const moduleFiles = [
  ...fs.readdirSync(modulesDir).filter((f) => f.endsWith('.wasm')).sort().map((f) => path.join(modulesDir, f)),
  path.join(root, 'web/dist/libstd.wasm'),
];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lazylink-net-browser-'));
const site = makeSite({ dir: path.join(tmp, 'app'), modules: moduleFiles, main: 'chain_main.wasm' });
const names = Object.keys(site.manifest.modules);
const server = await startServer({
  mounts: { '/web': path.join(root, 'web'), '/tests': path.join(root, 'tests'), '/app': site.dir },
});
const browser = await openBrowser();
const page = `${server.url}/tests/net/browser/index.html`;
const wasmRequests = () => server.requests.filter((r) => r.path.startsWith('/app/') && r.path.endsWith('.wasm'));
const hashedUrl = (name) => `${server.url}/app/${site.manifest.modules[name].url}`;

async function run(query) {
  const { result, consoleErrors, consoleLines, page: p } = await browser.runPage(`${page}?${query}`);
  await p.close();
  assert.deepEqual(consoleErrors, [], `console errors:\n${consoleLines.join('\n')}`);
  assert.equal(result.ok, true, result.error);
  return result;
}

// The HTTP cache would also spare requests for these immutable URLs; clear
// it so that only the Cache API can.
async function clearHttpCache() {
  const p = await browser.newPage();
  const cdp = await browser.context.newCDPSession(p);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  await p.close();
}

const s = suite('net/browser');

s.test('first visit: every module from the network, streamed compile, progress, stored in the Cache API', async (t) => {
  server.clearLog();
  server.setThrottle({ kbps: 40_000, latencyMs: 20 });
  let r;
  try {
    r = await run('mode=load');
  } finally {
    server.setThrottle(null);
  }
  for (const name of names) {
    const m = r.modules[name];
    assert.equal(m.source, 'network', name);
    assert.equal(m.streamed, true, `${name} streamed`);
    assert.equal(m.verified, true);
    assert.equal(m.compiledIsModule, true);
    assert.equal(m.size, site.manifest.modules[name].size);
    const p = r.progress[name];
    assert.ok(p.fetch >= 1 && p.monotonic && p.compile === 1, `${name} progress ${JSON.stringify(p)}`);
    assert.deepEqual(p.totals, [m.size]);
    assert.deepEqual(p.last, { loaded: m.size, total: m.size });
  }
  assert.equal(r.streamingCompiles, names.length, 'WebAssembly.compileStreaming once per module');
  assert.ok(r.progress['libstd.wasm'].fetch >= 5, `libstd.wasm: ${r.progress['libstd.wasm'].fetch} fetch events`);
  assert.equal(r.stats.cacheStores, names.length);
  assert.equal(r.cacheKeys, names.length);
  const log = wasmRequests();
  assert.equal(log.length, names.length);
  for (const name of names) assert.equal(log.filter((x) => x.path === new URL(hashedUrl(name)).pathname).length, 1);
  t.log(`${names.length} modules from the network, ${log.length} requests; compileStreaming called ${r.streamingCompiles} times`);
  t.log(`progress: libstd.wasm ${r.progress['libstd.wasm'].fetch} fetch events rising to ${r.modules['libstd.wasm'].size}, then compile; every module monotonic`);
  t.log(`Cache API: ${r.cacheKeys} entries after flush()`);
});

s.test('second visit (HTTP cache cleared): no module bytes from the network', async (t) => {
  await clearHttpCache();
  server.clearLog();
  const r = await run('mode=load');
  for (const name of names) {
    assert.equal(r.modules[name].source, 'cache', name);
    assert.equal(r.modules[name].compiledIsModule, true);
    assert.equal(r.modules[name].streamed, true, `${name}: cached response compiled with streaming too`);
  }
  assert.equal(r.stats.cacheHits, names.length);
  assert.equal(r.stats.requests, 0);
  assert.deepEqual(wasmRequests(), []);
  t.log(`request log of the second load: ${JSON.stringify(server.requests.map((x) => x.path))} (no .wasm)`);
  t.log(`${names.length} cache hits, verified, compiled by compileStreaming from the cached responses`);
});

s.test('a corrupt cache entry is dropped and that module alone refetched', async (t) => {
  await clearHttpCache();
  server.clearLog();
  const r = await run('mode=corrupt-cache&module=libshapes.wasm');
  assert.equal(r.modules['libshapes.wasm'].source, 'network');
  for (const name of names) if (name !== 'libshapes.wasm') assert.equal(r.modules[name].source, 'cache', name);
  const drop = r.events.find((e) => e.type === 'cache-drop');
  assert.equal(drop.module, 'libshapes.wasm');
  assert.match(drop.reason, /^SHA-256 mismatch: expected [0-9a-f]{64}, got [0-9a-f]{64}$/);
  assert.deepEqual(wasmRequests().map((x) => x.path), [new URL(hashedUrl('libshapes.wasm')).pathname]);
  assert.equal(r.stats.cacheStores, 1, 'the good bytes are stored again');
  t.log(`cache-drop: ${drop.reason}`);
  t.log(`request log: ${wasmRequests().map((x) => x.path).join(', ')} only`);
});

s.test('cache: false never touches the Cache API', async (t) => {
  await clearHttpCache();
  server.clearLog();
  const r = await run('mode=cache-off');
  assert.equal(r.cacheEnabled, false);
  for (const name of names) assert.equal(r.modules[name].source, 'network');
  assert.equal(wasmRequests().length, names.length);
  assert.equal(r.stats.cacheHits + r.stats.cacheMisses + r.stats.cacheStores, 0);
  t.log(`${names.length} network fetches, no cache reads or writes`);
});

s.test('fetchSync on the main thread is refused with the clear message; served after prefetch', async (t) => {
  await clearHttpCache();
  server.clearLog();
  const r = await run('mode=sync-main&module=libptrs.wasm');
  assert.equal(r.refused.error, 'libptrs.wasm: cannot fetch synchronously on a window\'s main thread; prefetch the module first ' +
    `(await fetcher.prefetch("libptrs.wasm")) or call into it under JSPI (${hashedUrl('libptrs.wasm')}, no HTTP response)`);
  assert.equal(r.refused.kind, 'sync-unavailable');
  assert.deepEqual(r.prefetched, { name: 'libptrs.wasm', source: 'network', size: site.manifest.modules['libptrs.wasm'].size });
  assert.deepEqual(r.served, { source: 'prefetch', size: site.manifest.modules['libptrs.wasm'].size, compiledIsModule: true });
  assert.equal(wasmRequests().length, 1, 'the prefetch only');
  t.log(`refused: ${r.refused.error}`);
  t.log('after await prefetch(): fetchSync served it (a WebAssembly.Module), 1 request in all');
});

s.test('an unlisted module is refused without a request; an endless body stops past the manifest\'s size', async (t) => {
  server.clearLog();
  const name = 'libchain_base.wasm';
  const r = await run(`mode=limits&module=${name}`);
  assert.equal(r.unlisted.kind, 'unlisted');
  assert.match(r.unlisted.error, /^libnope\.wasm: not in the manifest: refusing to load a module no hash covers/);
  assert.ok(!server.requests.some((x) => x.path.includes('libnope')), 'no request for the unlisted module');
  assert.equal(r.endless.kind, 'too-large', r.endless.error);
  assert.match(r.endless.error, new RegExp(`^${name}: the body is longer than the manifest's size of ${r.endless.size} bytes`));
  assert.equal(r.endless.cancelled, true, 'the body was cancelled (the engine\'s branch too)');
  assert.equal(r.endless.stillPulling, false);
  assert.ok(r.endless.pulled <= r.endless.size + (1 << 18), `${r.endless.pulled} bytes pulled`);
  t.log(`unlisted: refused, no request; endless: refused after ${Math.round(r.endless.ms)} ms, ${r.endless.pulled} bytes pulled ` +
        `(size ${r.endless.size}), then cancelled`);
});

s.test('fetchSync in a module worker: sync XHR, verified by the core, compiled; a hash mismatch reported', async (t) => {
  await clearHttpCache();
  server.clearLog();
  server.setFault(`/app/libchain_mid.*.wasm`, { corrupt: true });
  let r;
  try {
    r = await run('mode=worker');
  } finally {
    server.clearFaults();
  }
  assert.equal(r.sha256Hex, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  for (const name of names) {
    if (name === 'libchain_mid.wasm') continue;
    assert.deepEqual(r.modules[name], { source: 'network', size: site.manifest.modules[name].size, verified: true,
                                        compiledIsModule: true, progress: ['fetch', 'compile'] }, name);
  }
  const bad = Buffer.from(fs.readFileSync(site.files['libchain_mid.wasm']));
  for (let i = Math.floor(bad.length / 2); i < Math.min(bad.length, Math.floor(bad.length / 2) + 16); i++) bad[i] ^= 0xff;
  const actual = crypto.createHash('sha256').update(bad).digest('hex');
  assert.deepEqual(r.modules['libchain_mid.wasm'], {
    kind: 'integrity',
    error: `libchain_mid.wasm: SHA-256 mismatch: expected ${site.manifest.modules['libchain_mid.wasm'].sha256}, ` +
           `got ${actual} for ${bad.length} bytes (${hashedUrl('libchain_mid.wasm')}, HTTP 200, not retried)`,
  });
  assert.equal(wasmRequests().length, names.length);
  t.log(`${names.length - 1} modules fetched synchronously in the worker, verified with core.sha256Hex, compiled`);
  t.log(`corrupted one: ${r.modules['libchain_mid.wasm'].error}`);
});

s.test('fetchSync in a worker: a response slower than requestTimeoutMs fails with kind timeout', async (t) => {
  await clearHttpCache();
  server.clearLog();
  const name = 'libchain_base.wasm';
  server.setFault(`/app/libchain_base.*.wasm`, { delayMs: 3000 });
  let r;
  try {
    r = await run(`mode=worker&requestTimeoutMs=500&module=${name}`);
  } finally {
    server.clearFaults();
  }
  assert.deepEqual(r.modules[name], {
    kind: 'timeout',
    error: `${name}: not complete within 500 ms (option requestTimeoutMs) (${hashedUrl(name)}, no HTTP response)`,
  });
  assert.ok(r.ms >= 490 && r.ms < 2500, `${r.ms} ms`);
  t.log(`${r.modules[name].error} after ${Math.round(r.ms)} ms`);
});

let ok = false;
try {
  ok = await s.run();
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
