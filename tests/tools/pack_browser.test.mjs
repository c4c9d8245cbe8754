// The apps tests/tools/pack_checks.test.mjs packed without a standard library
// (C, and C++ whose lazy library throws and catches) run in headless
// Chromium with load() on the main thread, and so do the apps packed with
// run's options (a program without main, --js-library, memory settings),
// with the output `lazylink run` gave; a manifest whose main module was
// built without -sSIDE_MODULE is refused at once instead of freezing the tab.
// `lazylink run --browser` refuses such a module too. Any console error fails
// the test.
//   node pack_browser.test.mjs ROOT APPS_DIR MODULES_DIR   (after pack_checks.test.mjs)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runBrowser } from '../../web/cli.mjs';
import { startServer } from '../../web/server.mjs';
import { openBrowser } from '../browser/harness.mjs';

const [root, appsDir, modulesDir] = process.argv.slice(2).map((p) => path.resolve(p));
for (const app of ['c', 'eh', 'broken-manifest', 'ctors', 'jslib', 'mem']) {
  if (!fs.existsSync(path.join(appsDir, app, 'lazylink.json'))) {
    console.log(`FAIL ${path.join(appsDir, app)} is missing: run pack_checks.test.mjs first`);
    process.exit(1);
  }
}
const server = await startServer({
  mounts: { '/web': path.join(root, 'web'), '/runtime': path.join(root, 'runtime'), '/apps': appsDir,
            '/page': path.join(root, 'tests/tools/pack_page') },
});
const browser = await openBrowser();
let passed = 0;
let failed = 0;

async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${e.stack}`);
  }
}

async function open(app) {
  const t0 = Date.now();
  const r = await browser.runPage(`${server.url}/page/index.html?app=${app}`, { timeoutMs: 60_000 });
  await r.page.close();
  return { ...r, ms: Date.now() - t0 };
}

try {
  const expected = {
    c: { stdout: 'pack_lib: working on 2\npack_main: 14\n', libstd: 'libstd.wasm',
         modules: ['libpack_lib.wasm', 'libstd.wasm', 'pack_main.wasm'] },
    eh: { stdout: 'pack_eh_lib: caught invalid_argument for "forty-two"\npack_eh_main: 42 -1\n', libstd: 'libstd-eh.wasm',
          modules: ['libpack_eh_lib.wasm', 'libstd-eh.wasm', 'pack_eh_main.wasm'] },
  };
  for (const [app, want] of Object.entries(expected)) {
    await test(`${app}: packed without libstd (pack added ${want.libstd}), runs on the main thread, lazy library loaded`, async () => {
      const { result, consoleErrors, ms } = await open(app);
      assert.deepEqual(consoleErrors, []);
      assert.equal(result.ok, true, result.error);
      assert.equal(result.mode, 'jspi');
      assert.equal(result.startPlan, 'used');
      assert.equal(result.stdout, want.stdout);
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
      assert.deepEqual(result.modules, want.modules);
      console.log(`     ${ms} ms`);
    });
  }
  // Packed with what `lazylink run` takes as options (pack_checks.test.mjs):
  // the same output as `lazylink run MAIN.wasm` with those options gave.
  const withOptions = {
    ctors: { what: 'a program without main (constructors only)', modules: ['libstd.wasm', 'pack_ctors.wasm'] },
    jslib: { what: 'a JS library packed with --js-library (fetched, hash-checked)',
             modules: ['libstd.wasm', 'pack_jslib.wasm'] },
    mem: { what: '--malloc emmalloc --initial-memory 32MB --stack-size 256KB from the manifest',
           modules: ['libstd-emmalloc.wasm', 'pack_mem.wasm'] },
  };
  for (const [app, want] of Object.entries(withOptions)) {
    await test(`${app}: ${want.what} runs on the main thread as lazylink run ran it`, async () => {
      const expectedStdout = fs.readFileSync(path.join(appsDir, `${app}.stdout`), 'utf8');
      const { result, consoleErrors, ms } = await open(app);
      assert.deepEqual(consoleErrors, []);
      assert.equal(result.ok, true, result.error);
      assert.equal(result.startPlan, 'used');
      assert.equal(result.stdout, expectedStdout);
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
      assert.deepEqual(result.modules, want.modules);
      console.log(`     ${ms} ms`);
    });
  }
  await test('a main module without dylink.0: load() rejects at once, naming it and how to build it', async () => {
    const { result, consoleErrors, ms } = await open('broken-manifest');
    assert.deepEqual(consoleErrors, []);
    assert.equal(result.ok, false);
    assert.equal(result.name, 'LinkError');
    assert.ok(result.error.includes('pack_main.wasm: not a side module (it has no dylink.0 section)'), result.error);
    assert.ok(result.error.includes('emcc -sSIDE_MODULE=1'), result.error);
    assert.equal(result.stdout, '');
    console.log(`     refused in ${ms} ms`);
  });
  await test('lazylink run --browser refuses a module built without -sSIDE_MODULE at once', async () => {
    const out = [];
    const err = [];
    const t0 = Date.now();
    const code = await runBrowser({ main: path.join(modulesDir, 'programs', 'not_side.wasm'), libs: [], paths: [], args: [] },
                                  { browser, stdout: (t) => out.push(t), stderr: (t) => err.push(t), timeoutMs: 60_000 });
    assert.equal(code, 127, err.join(''));
    assert.equal(out.join(''), '');
    assert.equal(err.join(''), 'lazylink: not_side.wasm: not a side module (it has no dylink.0 section): lazylink ' +
                 'links only modules built with emcc -sSIDE_MODULE=1, the main module too (e.g. emcc -sSIDE_MODULE=1 ' +
                 '-O2 main.c -o main.wasm)\n');
    console.log(`     refused in ${Date.now() - t0} ms`);
  });
} finally {
  await browser.close();
  await server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
