// Unit tests of the pieces of the host runtime and `lazylink run` that the
// conformance programs cannot observe directly: argument parsing, the exit
// status mapping, and prefetching (synchronous and asynchronous) feeding a
// later synchronous load.
//   node tests/conformance/host.test.mjs <conformance programs dir>
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkerMemoryOptions, parseRunArgs, parseSize, UsageError } from '../../web/cli.mjs';
import { preprocessJsLibrary } from '../../runtime/host/js_preprocess.mjs';
import { emscriptenFunctions } from '../../runtime/host/emscripten.mjs';
import { EXIT_ABORT, EXIT_INTERNAL, EXIT_LINK, exitFor } from '../../web/cli-runner.mjs';
import { LinkError, RTLD_GLOBAL, RTLD_LOCAL, RTLD_NOW } from '../../web/domain.mjs';
import { fileFetcher } from '../../web/fetchers.mjs';
import { createDomain } from '../../web/run.mjs';
import { Abort, ExitStatus } from '../../runtime/host/context.mjs';
import { LongjmpUnwind } from '../../runtime/host/unwind.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const programs = path.resolve(process.argv[2] || path.join(here, '../../build/wasm/tests/conformance'));
const dist = path.resolve(here, '../../web/dist');

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('parseRunArgs: options, MAIN, and arguments after it', () => {
  const o = parseRunArgs(['--lib', 'a.wasm', '--path=d1', '--path', 'd2', '--browser', 'm.wasm', '--', '-x', 'y']);
  assert.deepEqual(o.libs, ['a.wasm']);
  assert.deepEqual(o.paths, ['d1', 'd2']);
  assert.equal(o.browser, true);
  assert.equal(o.main, 'm.wasm');
  assert.deepEqual(o.args, ['-x', 'y']);
  assert.deepEqual(parseRunArgs(['m.wasm', 'a', '--', 'b']).args, ['a', '--', 'b']);
  assert.deepEqual(parseRunArgs(['--', 'm.wasm', '--lib']).args, ['--lib']);
  assert.equal(parseRunArgs(['--', 'm.wasm']).main, 'm.wasm');
  assert.throws(() => parseRunArgs([]), UsageError);
  assert.throws(() => parseRunArgs(['--lib']), /--lib needs a value/);
  assert.throws(() => parseRunArgs(['--bogus', 'm.wasm']), /unknown option --bogus/);
});

test('parseRunArgs: memory, stack, allocator and JS-library settings, as emcc spells them', () => {
  const o = parseRunArgs(['--initial-memory', '64Mb', '--maximum-memory=100MB', '--stack-size', '4194304',
    '--memory-growth-geometric-step', '8.5', '--memory-growth-geometric-cap', '32MB', '--malloc', 'emmalloc',
    '--js-define', 'CUSTOM=1', '--js-define', 'FLAG', '--js-define', 'NAME=text', 'm.wasm']);
  assert.deepEqual(o.memory, { initialMemory: 64 << 20, maximumMemory: 100 << 20, stackSize: 4 << 20,
    geometricStep: 8.5, geometricCap: 32 << 20, malloc: 'emmalloc' });
  assert.deepEqual(o.jsDefines, { CUSTOM: 1, FLAG: 1, NAME: 'text' });
  assert.deepEqual(linkerMemoryOptions(o.memory), { initialMemory: 64 << 20, stackSize: 4 << 20, maxMemoryPages: 1600,
    implicitNeeded: ['libstd-emmalloc.wasm'], memoryGrowth: { geometricStep: 8.5, geometricCap: 32 << 20 } });
  assert.deepEqual(linkerMemoryOptions({}), {});
  assert.equal(parseSize('--x', '1kb'), 1024);
  assert.equal(parseSize('--x', '2GB'), 2 ** 31);
  assert.throws(() => parseRunArgs(['--initial-memory', '12XB', 'm.wasm']), /--initial-memory 12XB: not a size/);
  assert.throws(() => parseRunArgs(['--maximum-memory', '5GB', 'm.wasm']), /more than 4GB/);
  assert.throws(() => parseRunArgs(['--malloc', 'tcmalloc', 'm.wasm']), /--malloc tcmalloc: dlmalloc or emmalloc/);
  assert.throws(() => parseRunArgs(['--js-define', '1X=2', 'm.wasm']), /"1X" is not a name/);
  assert.throws(() => linkerMemoryOptions({ initialMemory: 64 << 20, maximumMemory: 32 << 20 }), /is more than/);
});

test('preprocessJsLibrary: #if/#elif/#else/#endif and #ifdef over lazylink\'s settings and the defines', () => {
  const src = ['a', '#if X == 2', 'b', '#elif X', 'c', '#else', 'd', '#endif', '#ifdef Y', 'e', '#endif',
    '#if ASSERTIONS', 'f', '#if 1', 'g', '#endif', '#endif', 'h'].join('\n');
  const kept = (defines) => preprocessJsLibrary(src, 'l.js', defines).split('\n').filter(Boolean).join('');
  assert.equal(kept({ X: 2 }), 'abh');
  assert.equal(kept({ X: 1, Y: 1 }), 'aceh');
  assert.equal(kept({ X: 0 }), 'adh');
  assert.equal(preprocessJsLibrary(src, 'l.js', { X: 2 }).split('\n').length, src.split('\n').length);  // lines kept
  assert.throws(() => preprocessJsLibrary('#if NOPE\n#endif', 'l.js'),
    /JS library l\.js, line 1: #if NOPE: NOPE is not a setting lazylink knows; give its value with --js-define NOPE=VALUE/);
  assert.throws(() => preprocessJsLibrary('#if 1\nx', 'l.js'), /1 #if without #endif/);
  assert.throws(() => preprocessJsLibrary('#endif', 'l.js'), /#endif without #if/);
  assert.throws(() => preprocessJsLibrary('#include "x.js"', 'l.js'), /#include is Emscripten's preprocessor's/);
  assert.equal(preprocessJsLibrary('#if 0\n#include "x.js"\n#endif\nok', 'l.js').trim(), 'ok');
});

test('emscripten_resize_heap: Emscripten\'s growth rule and settings', () => {
  const PAGE = 65536;
  const MB = 1 << 20;
  const resize = (memoryGrowth, maxMemoryPages = 32768) => {
    const domain = { memory: new WebAssembly.Memory({ initial: 256, maximum: maxMemoryPages }), maxMemoryPages,
      memoryGrowth: { geometricStep: 0.2, geometricCap: 96 * MB, linearStep: -1, ...memoryGrowth } };
    const fn = emscriptenFunctions({ domain }).find((f) => f[1] === 'emscripten_resize_heap')[3];
    return (requested) => [fn(requested), domain.memory.buffer.byteLength];
  };
  // Default: 20% more than the current 16MB, or the request, page-aligned.
  assert.deepEqual(resize({})(16 * MB + 1), [1, Math.ceil(16 * MB * 1.2 / PAGE) * PAGE]);
  assert.deepEqual(resize({})(40 * MB), [1, 40 * MB]);
  // Geometric step 8.5, capped at 32MB past the request.
  assert.deepEqual(resize({ geometricStep: 8.5, geometricCap: 32 * MB })(70 * MB + 5), [1, 102 * MB + PAGE]);
  // Linear steps.
  assert.deepEqual(resize({ linearStep: 4 * MB })(16 * MB + 1), [1, 20 * MB]);
  // Never past the maximum; a request beyond it fails.
  assert.deepEqual(resize({}, 300)(17 * MB), [1, 300 * PAGE]);
  assert.deepEqual(resize({}, 300)(19 * MB), [0, 16 * MB]);
});

test('exitFor: statuses for every way a program ends', () => {
  const lines = [];
  const err = (t) => lines.push(t);
  assert.equal(exitFor(new ExitStatus(3), null, err), 3);
  assert.equal(exitFor(new ExitStatus(256 + 7), null, err), 7);
  assert.equal(exitFor(new Abort('x'), null, err), EXIT_ABORT);
  assert.deepEqual(lines, []);  // both already reported by the host
  assert.equal(exitFor(new LinkError('main.wasm: undefined symbol: f'), null, err), EXIT_LINK);
  assert.equal(lines.pop(), 'lazylink: main.wasm: undefined symbol: f\n');
  assert.equal(exitFor(new WebAssembly.RuntimeError('unreachable'), null, err), EXIT_ABORT);
  assert.match(lines.pop(), /the program trapped: unreachable/);
  const ctor = new LinkError('libx.wasm: a constructor failed: memory access out of bounds',
    { cause: new WebAssembly.RuntimeError('memory access out of bounds') });
  assert.equal(exitFor(ctor, null, err), EXIT_ABORT);
  assert.equal(lines.pop(), 'lazylink: libx.wasm: a constructor failed: the program trapped: memory access out of bounds\n');
  assert.equal(exitFor(new LinkError('x', { cause: new ExitStatus(9) }), null, err), 9);
  assert.equal(exitFor(new LongjmpUnwind(), null, err), EXIT_ABORT);
  assert.equal(exitFor(new TypeError('bug'), null, err), EXIT_INTERNAL);
});

// A domain with dl.wasm loaded, whose fetcher counts what it is asked.
async function domainWithCountingFetcher(hostOptions = {}) {
  const inner = await fileFetcher({ baseDir: programs });
  const asked = { sync: [], async: [] };
  const fetcher = {
    fetchSync(req, p) { asked.sync.push(req.name); return inner.fetchSync(req, p); },
    fetch(req, p) { asked.async.push(req.name); return inner.fetch(req, p); },
  };
  const main = path.join(programs, 'dl', 'dl.wasm');
  const { domain, host } = await createDomain({ fetcher, searchPaths: [path.dirname(main), dist], hostOptions });
  host.context.mainLocation = main;
  await domain.load(main, RTLD_NOW | RTLD_GLOBAL);
  const prefetch = (name) => {
    const fn = host.functions.find(([, n]) => n === '_lazylink_prefetch_js')[3];
    return host.context.withStackString(name, (p) => fn(p));
  };
  return { domain, host, asked, prefetch };
}

test('prefetch (synchronous): the closure is fetched once, the load takes it', async () => {
  const { domain, asked, prefetch } = await domainWithCountingFetcher({ prefetch: 'sync' });
  asked.sync.length = 0;
  assert.equal(prefetch('libplugin_local.wasm'), 0);
  assert.deepEqual(asked.sync, ['libplugin_local.wasm', 'libplugin_dep.wasm']);
  assert.equal(domain.linker.findLoaded('libplugin_local.wasm'), -1, 'prefetch loads nothing');
  const id = domain.loadSync('libplugin_local.wasm', RTLD_NOW | RTLD_LOCAL);
  assert.deepEqual(asked.sync, ['libplugin_local.wasm', 'libplugin_dep.wasm'], 'no second fetch');
  assert.ok(domain.lookup(id, 'plugin_fn').ok);
  assert.equal(prefetch('libplugin_local.wasm'), 0, 'already loaded');
});

test('prefetch (asynchronous): fetches in the background, a later load takes it', async () => {
  const { domain, host, asked, prefetch } = await domainWithCountingFetcher({ prefetch: 'async' });
  asked.sync.length = 0;
  asked.async.length = 0;
  assert.equal(prefetch('libplugin_local.wasm'), 0);
  await host.context.prefetching;
  assert.deepEqual(asked.async.sort(), ['libplugin_dep.wasm', 'libplugin_local.wasm']);
  domain.loadSync('libplugin_local.wasm', RTLD_NOW | RTLD_LOCAL);
  assert.deepEqual(asked.sync, [], 'the load fetched nothing');
});

test('prefetch of a missing module fails with the linker message', async () => {
  const { host, prefetch } = await domainWithCountingFetcher({ prefetch: 'sync' });
  assert.equal(prefetch('libabsent.wasm'), -1);
  const dlerror = host.context.libstd.dlerror;
  const text = host.context.cstring(dlerror() >>> 0);
  assert.match(text, /lazylink_prefetch libabsent\.wasm: libabsent\.wasm: not found/);
});

test('exit() in a constructor reaches the caller of Domain.load as ExitStatus', async () => {
  let out = '';
  const { domain } = await domainWithCountingFetcher({ stdout: (t) => { out += t; } });
  const lib = path.join(programs, 'exit_in_ctor', 'libquit.wasm');
  await assert.rejects(domain.load(lib, RTLD_NOW), (e) => e instanceof ExitStatus && e.status === 4);
  assert.match(out, /libquit constructor calls exit\(4\)/);
});

let failed = 0;
for (const t of tests) {
  try {
    await t.fn();
    console.log(`PASS ${t.name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name}\n${e.stack}`);
  }
}
console.log(`host tests: ${tests.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
