// The runtime's behaviour through the browser API: conformance programs
// packed with the real `lazylink pack`, loaded with load() in headless
// Chromium and run with app.run(), must print what their .expected files
// say and end with their status: a program without main (status 0),
// callbacks scheduled from C that run after main returns (app.run()
// resolves once they are done), exit() from a callback, and the
// JS-library functions of libc_runtime, emscripten_sleep suspending the
// page's main thread with JSPI (sleep_exports). Fails on any console error.
//   node load.browser.test.mjs ROOT CLI PROGRAMS_DIR OUT_DIR
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../../web/server.mjs';
import { openBrowser } from '../browser/harness.mjs';
import { parseExpected } from '../conformance/run.mjs';

const [root, cli, programsDir, outDir] = process.argv.slice(2).map((p) => path.resolve(p));
const PROGRAMS = ['no_main', 'event_loop', 'event_loop_exit', 'libc_runtime', 'trace', 'sleep_exports'];
// Libraries a program needs besides libstd, and pack options. libanswer is
// eager: a page's main thread cannot load a lazy module synchronously when
// emscripten_get_exported_function asks for one of its functions.
const LIBS = { sleep_exports: ['libanswer.wasm'] };
const PACK_OPTIONS = { sleep_exports: ['--policy', 'libanswer.wasm=eager'] };

fs.rmSync(outDir, { recursive: true, force: true });
for (const name of PROGRAMS) {
  const libs = (LIBS[name] ?? []).map((f) => path.join(programsDir, name, f));
  execFileSync(cli, ['pack', '-q', ...(PACK_OPTIONS[name] ?? []), '--main', `${name}.wasm`, path.join(programsDir, name, `${name}.wasm`), ...libs,
    path.join(root, 'web/dist/libstd.wasm'), '-o', path.join(outDir, name)], { stdio: 'inherit' });
}
const server = await startServer({
  mounts: { '/web': path.join(root, 'web'), '/runtime': path.join(root, 'runtime'),
            '/rt/apps': outDir, '/rt': path.join(root, 'tests/runtime') },
});
const browser = await openBrowser();
let passed = 0;
let failed = 0;
try {
  const { page, consoleErrors } = await browser.runPage(`${server.url}/rt/page.html`);
  for (const name of PROGRAMS) {
    try {
      const spec = parseExpected(fs.readFileSync(path.join(root, 'tests/conformance', name, `${name}.expected`), 'utf8'));
      const r = await page.evaluate((n) => window.runApp(n), name);
      assert.equal(r.ok, true, r.error);
      assert.equal(r.stdout, spec.stdout, `${name}: stdout`);
      assert.equal(r.code, spec.exit, `${name}: exit status`);
      passed++;
      console.log(`ok   ${name} (status ${r.code})`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}\n${e.message}`);
    }
  }
  if (consoleErrors.length) {
    failed++;
    console.log(`FAIL console errors:\n${consoleErrors.join('\n')}`);
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`runtime through load() (chromium): ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
