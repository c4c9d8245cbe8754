// EM_ASM / EM_JS modules with a JS library, packed: `lazylink pack` counts
// a module's own EM_JS functions as defined and names the JS library's
// functions as undefined unless allowed; the packed app runs with
// `lazylink run --js-library` (Node) and with load({ jsLibrary: { url } })
// on a page's main thread (Chromium), output identical to the conformance
// suite's (= a plain emcc build's). An app without a JS library runs from
// its pack-time start plan, EM_JS bindings included. Then the JS-library
// errors, each named, and a library function taking a host function's place.
//   node em_js.test.mjs ROOT LAZYLINK_BIN PROGRAM_DIR APP_DIR
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../web/server.mjs';
import { openBrowser } from '../browser/harness.mjs';
import { createHost } from '../../runtime/host/index.mjs';
import { parseExpected } from '../conformance/run.mjs';

const [root, lazylink, programDir, appDir] = process.argv.slice(2).map((p) => path.resolve(p));
const src = path.join(root, 'tests/conformance/em_js');
const library = path.join(src, 'library.js');
const expected = parseExpected(fs.readFileSync(path.join(src, 'em_js.expected'), 'utf8')).stdout;
const jslibNames = ['jslib_counter', 'jslib_mean3', 'jslib_mul'];
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
const lazylinkRun = (args) => spawnSync(lazylink, ['run', ...args], { encoding: 'utf8' });
const pack = (main, out, extra) => spawnSync(lazylink, ['pack', path.join(programDir, main),
  path.join(programDir, 'libemjs.wasm'), '-o', path.join(appDir, out), ...extra], { encoding: 'utf8' });

await test('pack: EM_JS functions are defined by their modules; the JS library\'s are undefined unless allowed', () => {
  fs.rmSync(appDir, { recursive: true, force: true });
  const refused = pack('em_js.wasm', 'jslib', []);
  assert.notEqual(refused.status, 0);
  const text = refused.stdout + refused.stderr;
  assert.match(text, /3 undefined symbols/);
  for (const n of jslibNames) assert.match(text, new RegExp(`em_js.wasm: undefined symbol ${n} `));
  assert.doesNotMatch(text, /add_js|lib_greet_js|make_string_js/);
  const r = pack('em_js.wasm', 'jslib', jslibNames.flatMap((n) => ['--allow-undefined', n]));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.ok(fs.existsSync(path.join(appDir, 'jslib/lazylink.json')));
  const nolib = pack('nolib.wasm', 'nolib', []);
  assert.equal(nolib.status, 0, nolib.stdout + nolib.stderr);
  assert.ok(JSON.parse(fs.readFileSync(path.join(appDir, 'nolib/lazylink.json'), 'utf8')).start, 'no start plan');
});

await test('the packed app under Node: lazylink run --js-library library.js app/lazylink.json', () => {
  const r = lazylinkRun(['--js-library', library, path.join(appDir, 'jslib/lazylink.json')]);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, expected);
  assert.equal(r.status, 0);
});

const server = await startServer({
  mounts: { '/web': path.join(root, 'web'), '/runtime': path.join(root, 'runtime'), '/apps': appDir,
            '/src': src, '/page': path.join(root, 'tests/em_js/page') },
});
const browser = await openBrowser();
const openPage = async (query) => {
  const { result, consoleErrors, page } = await browser.runPage(`${server.url}/page/index.html?${query}`,
                                                                { timeoutMs: 60_000 });
  await page.close();
  assert.deepEqual(consoleErrors, []);
  assert.equal(result.ok, true, result.error);
  return result;
};
try {
  await test('the packed app in Chromium: load() on the main thread with jsLibrary: { url }', async () => {
    const result = await openPage('app=jslib&lib=/src/library.js');
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, expected);
    assert.equal(result.code, 0);
  });
  await test('an EM_JS app without a JS library runs from its start plan in Chromium', async () => {
    const result = await openPage('app=nolib');
    assert.equal(result.startPlan, 'used');
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, 'nolib: 42 3 10 2 100\n');
    assert.equal(result.code, 0);
  });
} finally {
  await browser.close();
  await server.close();
}

// JS-library errors, under `lazylink run` (exit 127, the file named).
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lazylink-em-js-'));
const main = path.join(programDir, 'em_js.wasm');
const badLibrary = (name, text) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};
for (const [name, text, message] of [
  ['macros.js', 'mergeInto(LibraryManager.library, {\n  f: function() { return {{{ WASM_PAGE_SIZE }}}; },\n});\n',
    "JS library TMP/macros.js: uses Emscripten's {{{ ... }}} macros, which lazylink does not run"],
  ['setting.js', 'mergeInto(LibraryManager.library, {\n#if NO_SUCH_SETTING\n  f: function() {},\n#endif\n});\n',
    'JS library TMP/setting.js, line 2: #if NO_SUCH_SETTING: NO_SUCH_SETTING is not a setting lazylink knows; ' +
    'give its value with --js-define NO_SUCH_SETTING=VALUE'],
  ['syntax.js', 'mergeInto(LibraryManager.library, { jslib_mul: function(a, b) { return a * ; } });\n',
    'JS library TMP/syntax.js: Unexpected token'],
  ['deps.js', "mergeInto(LibraryManager.library, { jslib_mul__deps: ['$nowhere'], jslib_mul: function(a, b) { return nowhere(a, b); } });\n",
    'JS library TMP/deps.js: jslib_mul depends on $nowhere, which no JS library defines'],
  ['sig.js', "mergeInto(LibraryManager.library, { jslib_mul__sig: 'i(i)', jslib_mul: function(a) { return a; } });\n",
    'JS library TMP/sig.js: jslib_mul__sig is "i(i)", not an Emscripten signature like \'iii\''],
]) {
  await test(`a JS library that cannot be used is refused, named: ${name}`, () => {
    const r = lazylinkRun(['--js-library', badLibrary(name, text), main]);
    assert.equal(r.status, 127, r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.startsWith(`lazylink: ${message.replace('TMP', tmp)}`), r.stderr);
  });
}
await test('a JS library function that throws ends the program as abort() does, named', () => {
  const file = badLibrary('throws.js', 'mergeInto(LibraryManager.library, { jslib_mul: function(a, b) { return a.b.c; }, ' +
    'jslib_mean3: function() { return 0; }, jslib_counter: function() { return 0; } });\n');
  const r = lazylinkRun(['--js-library', file, main]);
  assert.equal(r.status, 134, r.stderr);
  assert.match(r.stderr, new RegExp(`^lazylink: aborted: jslib_mul \\(JS library ${file.replace(/[.]/g, '\\.')}\\) threw TypeError: `));
  assert.match(r.stdout, /^EM_ASM: 7 seven 7.5\n/);  // what ran before
});
await test('without the JS library: a link error naming each of its functions', () => {
  const r = lazylinkRun([main]);
  assert.equal(r.status, 127);
  for (const n of jslibNames) assert.match(r.stderr, new RegExp(`em_js.wasm: undefined symbol: ${n} \\(function`));
  assert.doesNotMatch(r.stderr, /add_js/);
});
await test('EM_ASYNC_JS is refused at load time, named', () => {
  const r = lazylinkRun([path.join(programDir, '../em_js_errors/async.wasm')]);
  assert.equal(r.status, 127);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, "lazylink: slow_js is an EM_ASYNC_JS function, which needs Emscripten's Asyncify; lazylink " +
               'does not provide it (use EM_JS)\n');
});
await test("taking an EM_JS function's address is a link error naming it", () => {
  const r = lazylinkRun([path.join(programDir, '../em_js_errors/addr.wasm')]);
  assert.equal(r.status, 127);
  assert.equal(r.stderr, 'lazylink: addr.wasm: takes the address of takes_addr, an EM_JS function: not supported; ' +
               'take the address of a C function that calls it\n');
});
await test('a JS library function takes the place of the host function of its name', () => {
  const plain = createHost({});
  const host = createHost({ jsLibrary: [{ file: 'now.js', source:
    "mergeInto(LibraryManager.library, { emscripten_get_now__sig: 'd', emscripten_get_now: function() { return 1234.5; } });" }] });
  const at = plain.functions.findIndex(([m, n]) => m === 'env' && n === 'emscripten_get_now');
  assert.ok(at >= 0);
  assert.equal(host.functions.length, plain.functions.length);
  assert.equal(host.functions[at][1], 'emscripten_get_now');
  assert.equal(host.functions[at][3](), 1234.5);
});
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
