// Lazy loading in headless Chromium (JSPI): the request log shows the lazy
// module fetched only at the first call and exactly once; faults injected by
// the test server give their specified error or recovery; the Cache API
// serves a second visit.
//   node lazy.browser.test.mjs ROOT CLI MODULES_DIR OUT_DIR
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../../web/server.mjs';
import { openBrowser } from '../browser/harness.mjs';
import { packLazyApp } from './pack_app.mjs';

const [root, cli, modulesDir, outDir] = process.argv.slice(2).map((p) => path.resolve(p));
const manifest = packLazyApp({ cli, modulesDir, libstd: path.join(root, 'web/dist/libstd.wasm'), outDir });
const lib = manifest.modules['lazy_lib.wasm'];
const libPath = `/lazy/app/${lib.url}`;
const server = await startServer({
  mounts: { '/web': path.join(root, 'web'), '/runtime': path.join(root, 'runtime'),
            '/lazy/app': outDir, '/lazy': path.join(root, 'tests/lazy') },
});
const browser = await openBrowser();
let passed = 0;
let failed = 0;

// A fresh browser context (its own HTTP cache and Cache API) per scenario;
// console errors fail the test except the HTTP errors it injects on purpose.
async function withPage(name, fn, { allowHttpErrors = [] } = {}) {
  const context = await browser.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  try {
    server.clearLog();
    server.clearFaults();
    await page.goto(`${server.url}/lazy/page.html`);
    await page.waitForFunction(() => window.__lazylinkResult);
    await fn(page);
    const unexpected = errors.filter((e) => !allowHttpErrors.some((s) => e.includes(s)));
    assert.deepEqual(unexpected, [], 'console errors');
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${e.stack}\nconsole errors: ${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}

const run = (page, name, options) => page.evaluate(([n, o]) => window.scenario(n, o), [name, options]);
const callLazy = (page, x) => page.evaluate((v) => window.callLazy(v), x);
const libRequests = () => server.requests.filter((r) => r.path === libPath);

try {
  await withPage('lazy call from 40 frames deep: fetched at the first call, once; no JS on later calls', async (page) => {
    const r = await run(page, 'run', { cache: false });
    assert.equal(r.ok, true, r.error);
    console.log(`     mode ${r.mode}; start plan: ${r.startPlan}; requests at start: ${r.atStart.join(', ')}`);
    assert.equal(r.startPlan, 'used', 'the packed start plan was not used');
    // The core is requested once the eager modules' bytes are in, not
    // before (it does not compete with them for the network).
    const coreAt = r.atStart.findIndex((x) => x.startsWith('lazylink_core'));
    assert.ok(coreAt === -1 || coreAt === r.atStart.length - 1, 'the core was requested before an eager module');
    console.log(`     requests after main: ${r.afterRun.join(', ')}`);
    assert.equal(r.mode, 'jspi');
    assert.ok(!r.atStart.some((x) => x.startsWith('lazy_lib.')), 'lazy_lib fetched before main ran');
    assert.equal(r.afterRun.filter((x) => x.startsWith('lazy_lib.')).length, 1, 'lazy_lib fetched exactly once');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'table 3\nfirst 56 second 59 same-pointer 1 via-pointer 22 calls 3\n');
    assert.equal(r.resolves, 1, 'one resolver entry for three calls');
    const again = await callLazy(page, 5);
    assert.deepEqual([again.value, again.resolves], [35, 1]);
    assert.equal(libRequests().length, 1);
  });

  await withPage('404: the calling function fails naming module, symbol and status; the app keeps working', async (page) => {
    assert.equal((await run(page, 'load-only', { cache: false })).ok, true);
    server.setFault(libPath, { status: 404 });
    const bad = await callLazy(page, 1);
    assert.equal(bad.ok, false);
    console.log(`     ${bad.error}`);
    assert.match(bad.error, /calling lazy_work needs lazy_lib\.wasm, which failed to load/);
    assert.match(bad.error, /HTTP 404/);
    assert.equal(libRequests().length, 1, 'a 404 is not retried');
    server.clearFaults();
    const good = await callLazy(page, 1);
    assert.equal(good.value, 1 * 3 + 10 + 10, good.error);
  }, { allowHttpErrors: ['status of 404'] });

  await withPage('404 while the loader core is still on its way: fetched once, the same error', async (page) => {
    // The core arrives late, so the resolver fetches the module before the
    // core can plan its load; that fetch's 404 is the call's answer.
    server.setFault('/web/dist/lazylink_core*.wasm', { delayMs: 1500 });
    server.setFault(libPath, { status: 404 });
    const started = await run(page, 'load-only', { cache: false });
    assert.equal(started.ok, true, started.error);
    assert.equal(started.startPlan, 'used');
    // (The log lists a request when it starts; status 0 until it ends.)
    assert.ok(!started.atStart.includes('lazylink_core.wasm 200'), `the core was already in: ${started.atStart}`);
    const bad = await callLazy(page, 1);
    assert.equal(bad.ok, false);
    console.log(`     ${bad.error}`);
    assert.match(bad.error, /calling lazy_work needs lazy_lib\.wasm, which failed to load: .*HTTP 404/);
    assert.equal(libRequests().length, 1, 'a 404 is not fetched again once the core is in');
    server.clearFaults();
    const good = await callLazy(page, 1);
    assert.equal(good.value, 1 * 3 + 10 + 10, good.error);
  }, { allowHttpErrors: ['status of 404'] });

  await withPage('wrong bytes: SHA-256 mismatch naming both hashes; recovers', async (page) => {
    assert.equal((await run(page, 'load-only', { cache: false })).ok, true);
    server.setFault(libPath, { corrupt: true });
    const bad = await callLazy(page, 2);
    console.log(`     ${bad.error}`);
    // Verified twice: the second time bypassing the HTTP cache.
    assert.equal(libRequests().length, 2);
    assert.match(bad.error, /lazy_lib\.wasm: SHA-256 mismatch: expected [0-9a-f]{64}, got [0-9a-f]{64}/);
    server.clearFaults();
    assert.equal((await callLazy(page, 2)).value, 2 * 3 + 10 + 10);
  });

  await withPage('500 then success: retried, one call succeeds', async (page) => {
    assert.equal((await run(page, 'load-only', { cache: false })).ok, true);
    server.setFault(libPath, { status: 500, times: 1 });
    const r = await callLazy(page, 3);
    assert.equal(r.value, 3 * 3 + 10 + 10, r.error);
    assert.deepEqual(libRequests().map((x) => x.status), [500, 200]);
  }, { allowHttpErrors: ['status of 500'] });

  await withPage('connection dropped mid-body, then success: retried', async (page) => {
    assert.equal((await run(page, 'load-only', { cache: false })).ok, true);
    server.setFault(libPath, { dropAfter: 64, times: 1 });
    const r = await callLazy(page, 4);
    assert.equal(r.value, 4 * 3 + 10 + 10, r.error);
    assert.deepEqual(libRequests().map((x) => x.status), ['dropped', 200]);
  }, { allowHttpErrors: ['net::ERR_CONTENT_LENGTH_MISMATCH'] });

  await withPage('slow response: the call waits and succeeds', async (page) => {
    assert.equal((await run(page, 'load-only', { cache: false })).ok, true);
    server.setFault(libPath, { delayMs: 800 });
    const t0 = Date.now();
    const r = await callLazy(page, 6);
    assert.equal(r.value, 6 * 3 + 10 + 10, r.error);
    assert.ok(Date.now() - t0 >= 800);
  });

  await withPage('repeat visit: every module comes from the Cache API, no module bytes fetched', async (page) => {
    const first = await run(page, 'run', { cache: true });
    assert.equal(first.ok, true, first.error);
    assert.ok(first.afterRun.length >= 4);
    server.clearLog();
    // Bypass the HTTP cache so only the Cache API can serve the modules.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await page.reload();
    await page.waitForFunction(() => window.__lazylinkResult);
    const second = await run(page, 'run', { cache: true });
    assert.equal(second.ok, true, second.error);
    // The app's modules; the loader's own lazylink_core.wasm is not an app
    // module (served with no-cache + ETag, it revalidates on real visits).
    const appModules = second.afterRun.filter((x) => !x.startsWith('lazylink_core.'));
    assert.deepEqual(appModules, [], 'no module bytes fetched on the second visit');
    assert.equal(second.stdout, first.stdout);
  });
} finally {
  await browser.close();
  await server.close();
}
console.log(`lazy (chromium): ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
