// Components in headless Chromium (multi-memory: generated wasm adapters):
// the vectors and trap cases through both adapter paths, and the host/plugin
// program with each. Console errors fail the test.
//   node components.browser.test.mjs ROOT MODULES_DIR VECTORS_JSON VECTOR_TYPES_JSON
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../../web/server.mjs';
import { openBrowser } from '../browser/harness.mjs';

const [root, modulesDir, , typesPath] = process.argv.slice(2).map((p) => path.resolve(p));
const server = await startServer({
  mounts: {
    '/web': path.join(root, 'web'),
    '/runtime': path.join(root, 'runtime'),
    '/tests': path.join(root, 'tests'),
    '/modules': modulesDir,
    // The standard library next to the components (a 404 while searching
    // would be a console error).
    '/modules/libstd.wasm': path.join(root, 'web/dist/libstd.wasm'),
    '/modules/libstd-eh.wasm': path.join(root, 'web/dist/libstd-eh.wasm'),
    '/cabi-build': path.dirname(typesPath),
  },
});
const browser = await openBrowser();
let failed = false;
try {
  const { result, consoleErrors } = await browser.runPage(`${server.url}/tests/components/page/index.html`,
    { timeoutMs: 240_000 });
  for (const line of result.log) console.log(line);
  assert.deepEqual(consoleErrors, [], 'console errors');
  assert.equal(result.ok, true, result.error);
  assert.equal(result.features.multiMemory, true, 'Chromium has multi-memory');
  assert.equal(result.vectorsWasm.failed, 0);
  assert.equal(result.vectorsJs.failed, 0);
  assert.equal(result.vectorsWasm.passed, result.vectorsJs.passed);
  assert.deepEqual(result.trapsWasm.failures, []);
  assert.deepEqual(result.trapsJs.failures, []);
  const [wasm, js] = result.e2e;
  assert.equal(wasm.kind, 'wasm');
  assert.equal(js.kind, 'js');
  assert.deepEqual(wasm.run, js.run, 'both adapters give the same results');
  assert.deepEqual(wasm.traps.map((t) => t.replace(/\(\d+ bytes\)$/, '')), js.traps.map((t) => t.replace(/\(\d+ bytes\)$/, '')),
    'both adapters report the same traps');
  assert.ok(wasm.stats.adapters >= 2, `wasm adapters instantiated: ${JSON.stringify(wasm.stats)}`);
  console.log('components (browser): 1 passed, 0 failed');
} catch (e) {
  failed = true;
  console.error(e);
  console.log('components (browser): 0 passed, 1 failed');
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
