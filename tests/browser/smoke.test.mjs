// Browser smoke test: headless Chromium loads the Emscripten-built core and
// reports a JSON result. Fails on any console error.
//   node tests/browser/smoke.test.mjs <repo root> <modules dir>
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../../web/server.mjs';
import { openBrowser } from './harness.mjs';

const root = path.resolve(process.argv[2] || '.');
const modulesDir = path.resolve(process.argv[3] || path.join(root, 'build/wasm/tests/modules'));
const server = await startServer({
  mounts: { '/web': path.join(root, 'web'), '/tests': path.join(root, 'tests'), '/modules': modulesDir },
});
const browser = await openBrowser();
let failed = false;
try {
  const { result, consoleErrors } = await browser.runPage(`${server.url}/tests/browser/smoke/index.html`);
  console.log(JSON.stringify(result, null, 1).slice(0, 2000));
  assert.deepEqual(consoleErrors, [], 'console errors');
  assert.equal(result.ok, true, result.error);
  assert.equal(result.version, '0.1.0');
  assert.equal(result.selfCheck, 'selfcheck: odd value 3 (at offset 0x1a)');
  assert.equal(result.jspi, true, 'JSPI is expected in the Chromium we test with');
  if (result.inspect) {
    assert.ok(result.inspect.dylink, 'inspect result has dylink');
  }
  const wasmRequests = server.requests.filter((r) => r.path.endsWith('.wasm'));
  assert.ok(wasmRequests.every((r) => r.status === 200), 'every wasm request served');
  console.log('browser smoke: 1 passed, 0 failed');
} catch (e) {
  failed = true;
  console.error(e);
  console.log('browser smoke: 0 passed, 1 failed');
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
