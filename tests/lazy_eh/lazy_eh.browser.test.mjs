// Lazy loading under C++ exceptions and setjmp in headless Chromium, on the
// page's main thread (JSPI): first calls into lazy modules made inside try
// blocks / under setjmp suspend through the wasm invoke_ wrappers; the lazy
// modules throw and longjmp back into main. With JS invoke_ wrappers the
// same call cannot suspend and fails naming module, symbol and what to do;
// a prefetched module then links without waiting.
//   node lazy_eh.browser.test.mjs ROOT CLI MODULES_DIR OUT_DIR
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../../web/server.mjs';
import { openBrowser } from '../browser/harness.mjs';
import { packApps } from './pack_apps.mjs';

const [root, cli, modulesDir, outDir] = process.argv.slice(2).map((p) => path.resolve(p));
const apps = packApps({ root, cli, modulesDir, outDir });
const server = await startServer({
  mounts: { '/web': path.join(root, 'web'), '/runtime': path.join(root, 'runtime'),
            '/lazy_eh/apps': outDir, '/lazy_eh': path.join(root, 'tests/lazy_eh') },
});
const browser = await openBrowser();
let passed = 0;
let failed = 0;

// A fresh browser context per scenario; any console error fails it (but
// the HTTP errors a scenario injects on purpose).
async function withPage(name, fn, { allowHttpErrors = [] } = {}) {
  const context = await browser.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  try {
    server.clearLog();
    await page.goto(`${server.url}/lazy_eh/page.html`);
    await page.waitForFunction(() => window.__lazylinkResult);
    await fn(page);
    assert.deepEqual(errors.filter((e) => !allowHttpErrors.some((x) => e.includes(x))), [], 'console errors');
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${e.stack}\nconsole errors: ${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}

const scenario = (page, app, options) => page.evaluate(([a, o]) => window.scenario(a, o), [app, options]);
const fetchedLazily = (r, app) => app.libs.map((lib) => r.afterRun.filter((x) => x.startsWith(lib.replace(/\.wasm$/, '.'))).length);

try {
  for (const [name, app] of Object.entries(apps)) {
    const under = name === 'eh' ? 'inside try' : 'under setjmp';
    await withPage(`${name}: first calls ${under} load lazy modules on the main thread (JSPI, wasm invoke_); ` +
                   `${name === 'eh' ? 'their exceptions are caught by main' : 'their longjmps land in main'}`, async (page) => {
      const r = await scenario(page, name, {});
      assert.equal(r.ok, true, r.error);
      assert.equal(r.mode, 'jspi');
      console.log(`     invoke_ imports: ${r.invokes.wasm} wasm, ${r.invokes.js} JS; lazy resolves ${r.resolves}`);
      for (const lib of app.libs) {
        assert.ok(!r.atStart.some((x) => x.startsWith(lib.replace(/\.wasm$/, '.'))), `${lib} fetched before main ran`);
      }
      assert.deepEqual(fetchedLazily(r, app), app.libs.map(() => 1), 'each lazy module fetched once, by main');
      assert.equal(r.stdout, app.expected);
      assert.equal(r.code, 0);
      assert.equal(r.resolves, app.libs.length);
      assert.ok(r.invokes.wasm > 0);
      assert.equal(r.invokes.js, 0);
    });

    const [firstSym] = Object.keys(app.symbols);
    const firstLib = app.symbols[firstSym];
    await withPage(`${name}: a failed lazy load ${under} is not taken for a C++ exception or a longjmp: ` +
                   'the run fails naming module and symbol', async (page) => {
      const libPath = `/lazy_eh/apps/${name}/${app.manifest.modules[firstLib].url}`;
      server.setFault(libPath, { status: 404 });
      try {
        const r = await scenario(page, name, {});
        assert.equal(r.ok, false, `the run should have failed; stdout: ${r.stdout}`);
        console.log(`     ${r.error}`);
        assert.equal(r.stdout, '', 'main went on (its catch (...) or setjmp took the failure)');
        assert.ok(r.error.includes(`calling ${app.shown} needs ${firstLib}, which failed to load: `), r.error);
        assert.match(r.error, /HTTP 404/);
      } finally {
        server.clearFaults();
      }
    }, { allowHttpErrors: ['status of 404'] });

    await withPage(`${name}: with JS invoke_ wrappers the first call cannot suspend; the error names ` +
                   `${firstLib}, ${firstSym} and what to do`, async (page) => {
      const r = await scenario(page, name, { wasmInvoke: false });
      assert.equal(r.ok, false, 'the run should have failed');
      console.log(`     ${r.error}`);
      assert.equal(r.mode, 'jspi');
      assert.ok(r.invokes.js > 0);
      assert.equal(r.name, 'LinkError');
      assert.equal(r.module, firstLib);
      assert.equal(r.symbol, firstSym);
      assert.equal(r.cause, 'SuspendError');
      assert.ok(r.error.includes(`calling ${app.shown} needs ${firstLib}, which is not loaded`), r.error);
      assert.match(r.error, new RegExp('needs [^,]+, which is not loaded, ' +
                                       'and this call cannot wait for it: a JavaScript function is on the call stack'));
      assert.match(r.error, new RegExp(`app\\.prefetch\\("${firstLib.replace('.', '\\.')}"\\)`));
      assert.match(r.error, new RegExp(`--policy ${firstLib.replace('.', '\\.')}=eager`));
    });

    await withPage(`${name}: main called without WebAssembly.promising: the first lazy call fails naming ` +
                   `${firstLib}, ${firstSym} and what to do`, async (page) => {
      const r = await scenario(page, name, { direct: true });
      assert.equal(r.ok, false, 'the call should have failed');
      console.log(`     ${r.error}`);
      assert.equal(r.module, firstLib);
      assert.equal(r.symbol, firstSym);
      assert.equal(r.cause, 'SuspendError');
      assert.ok(r.error.includes(`calling ${app.shown} needs ${firstLib}, which is not loaded, and this call cannot wait ` +
                                 'for it: wasm was entered without WebAssembly.promising'), r.error);
    });

    await withPage(`${name}: with JS invoke_ wrappers, prefetched lazy modules link without waiting`, async (page) => {
      const r = await scenario(page, name, { wasmInvoke: false, prefetch: app.libs });
      assert.equal(r.ok, true, r.error);
      assert.equal(r.stdout, app.expected);
      assert.equal(r.code, 0);
      assert.equal(r.invokes.wasm, 0);
    });
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`lazy_eh (chromium): ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
