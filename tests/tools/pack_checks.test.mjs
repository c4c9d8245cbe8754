// `lazylink pack` and `lazylink run` never produce or accept a broken app,
// with the real CLI on real modules (tests/modules/pack_*, not_side):
// - packed without a standard library, C and C++ whose lazy library throws
//   and catches: pack adds libstd.wasm / libstd-eh.wasm and the app runs
//   (`lazylink run out/lazylink.json`, and load() under Node);
// - a missing NEEDED library, an undefined symbol (and --allow-undefined),
//   a signature mismatch, a module built without -sSIDE_MODULE: exit 1, the
//   message naming module and symbol, the output directory left as it was;
// - `lazylink run` and load() refuse a module without dylink.0 at once
//   (they used to spin forever).
// Writes the packed apps to OUT_DIR/c and OUT_DIR/eh for the browser test.
//   node pack_checks.test.mjs ROOT CLI MODULES_DIR OUT_DIR
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, cli, modulesDir, outDir] = process.argv.slice(2).map((p) => path.resolve(p));
// not_side.wasm, built as a program, is kept apart from the side modules.
const mod = (name) => path.join(modulesDir, name === 'not_side.wasm' ? 'programs' : '', name);
let passed = 0;
let failed = 0;

function lazylink(args, { timeout = 120_000 } = {}) {
  const t0 = Date.now();
  const r = spawnSync(cli, args, { encoding: 'utf8', timeout, env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

function listing(dir) {
  if (!fs.existsSync(dir)) return null;
  return fs.readdirSync(dir).sort().map((f) => `${f}:${fs.statSync(path.join(dir, f)).size}`);
}

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

// A pack that must fail: exit 1, `expected` in stderr, nothing written to a
// fresh directory, and an existing one left exactly as it was.
function refused(args, expected) {
  const fresh = path.join(outDir, 'refused-fresh');
  fs.rmSync(fresh, { recursive: true, force: true });
  const r = lazylink(['pack', ...args, '-o', fresh]);
  assert.equal(r.code, 1, `exit status\n${r.stderr}`);
  for (const text of [].concat(expected)) assert.ok(r.stderr.includes(text), `stderr lacks ${JSON.stringify(text)}:\n${r.stderr}`);
  assert.ok(r.stderr.includes(`nothing was written to ${fresh}`), r.stderr);
  assert.equal(listing(fresh), null, 'the output directory was created');
  assert.equal(r.stdout, '');

  const kept = path.join(outDir, 'refused-kept');
  fs.rmSync(kept, { recursive: true, force: true });
  fs.mkdirSync(kept, { recursive: true });
  fs.writeFileSync(path.join(kept, 'lazylink.json'), '{"old": true}\n');
  const before = listing(kept);
  assert.equal(lazylink(['pack', ...args, '-o', kept]).code, 1);
  assert.deepEqual(listing(kept), before, 'the output directory changed');
  assert.equal(fs.readFileSync(path.join(kept, 'lazylink.json'), 'utf8'), '{"old": true}\n');
  return r;
}

const apps = {
  c: { mods: ['pack_main.wasm', 'libpack_lib.wasm'], libstd: 'libstd.wasm',
       stdout: 'pack_lib: working on 2\npack_main: 14\n' },
  eh: { mods: ['pack_eh_main.wasm', 'libpack_eh_lib.wasm'], libstd: 'libstd-eh.wasm',
        stdout: 'pack_eh_lib: caught invalid_argument for "forty-two"\npack_eh_main: 42 -1\n' },
};

for (const [key, app] of Object.entries(apps)) {
  await test(`${key}: pack without libstd adds ${app.libstd}; lazylink run out/lazylink.json runs it`, async () => {
    const dir = path.join(outDir, key);
    fs.rmSync(dir, { recursive: true, force: true });
    const p = lazylink(['pack', ...app.mods.map(mod), '-o', dir]);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(p.stderr, '', 'pack warned');
    assert.ok(p.stdout.includes(`added ${app.libstd} (no standard library was given), from ${path.join(root, 'web/dist', app.libstd)}`),
              p.stdout);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'lazylink.json'), 'utf8'));
    assert.deepEqual(Object.keys(manifest.modules).sort(), [...app.mods, app.libstd].sort());
    assert.equal(manifest.modules[app.libstd].policy, 'eager');
    assert.equal(manifest.modules[app.mods[1]].policy, 'lazy');
    assert.ok(manifest.start, 'no start plan');
    const r = lazylink(['run', path.join(dir, 'lazylink.json')]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, app.stdout);
    assert.equal(r.code, 0);
    console.log(`     pack ${p.ms} ms, run ${r.ms} ms`);
  });
}

await test('options taking a value take one: modules may follow --files, --allow-undefined, --js-library, --js-define', () => {
  const files = path.join(outDir, 'files-in');
  fs.mkdirSync(files, { recursive: true });
  fs.writeFileSync(path.join(files, 'a.txt'), 'a\n');
  const dir = path.join(outDir, 'files-out');
  fs.rmSync(dir, { recursive: true, force: true });
  const r = lazylink(['pack', '-q', '--files', files, '--allow-undefined', 'nothing', '--js-library',
                      path.join(root, 'tests/modules/pack_jslib.js'), '--js-define', 'UNUSED=1', mod('pack_main.wasm'),
                      mod('libpack_lib.wasm'), '-o', dir]);
  assert.equal(r.code, 0, r.stderr);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'lazylink.json'), 'utf8'));
  assert.ok(manifest.modules['pack_main.wasm'] && manifest.modules['libpack_lib.wasm']);
  assert.ok(JSON.stringify(manifest.files ?? {}).includes('a.txt'), JSON.stringify(manifest.files));
});

await test('load() under Node runs the packed C++ app, lazy library with exceptions included', async () => {
  const { load } = await import(pathToFileURL(path.join(root, 'web/lazylink.mjs')).href);
  const out = [];
  const app = await load(path.join(outDir, 'eh', 'lazylink.json'), { stdout: (t) => out.push(t), cache: false,
                                                                      prefetchWhenIdle: false });
  assert.equal(app.startPlan, 'used');
  assert.equal(await app.run(), 0);
  assert.equal(out.join(''), apps.eh.stdout);
  assert.ok(app.modules.some((m) => m.name === 'libstd-eh.wasm'));
  assert.ok(!app.modules.some((m) => m.name === 'libstd.wasm'));
  // Planned at run time (no start plan): the domain's linker takes the
  // manifest's standard library, although main itself does not catch.
  const out2 = [];
  const planned = await load(path.join(outDir, 'eh', 'lazylink.json'), { stdout: (t) => out2.push(t), cache: false,
                                                                          prefetchWhenIdle: false, startPlan: false });
  assert.equal(await planned.run(), 0);
  assert.equal(out2.join(''), apps.eh.stdout);
  assert.deepEqual(planned.modules.map((m) => m.name).sort(), ['libpack_eh_lib.wasm', 'libstd-eh.wasm', 'pack_eh_main.wasm']);
});

await test('a NEEDED library missing from the inputs: refused', () => {
  refused([mod('pack_main.wasm')],
          'lazylink pack: pack: 2 problems:\n' +
          '  1 undefined symbol (no module being packed, the standard library or the host defines it; add the module ' +
          'that does, or pack with --allow-undefined NAME if the app provides it at run time):\n' +
          '  pack_main.wasm: undefined symbol pack_lib_work (function (i32) -> i32)\n' +
          '  pack_main.wasm: needs libpack_lib.wasm (a NEEDED entry of its dylink.0 section), which is not among ' +
          'the modules being packed: add it to the command line\n');
});

await test('an undefined symbol: refused, unless --allow-undefined', () => {
  refused([mod('pack_undef.wasm')],
          'lazylink pack: pack: 1 undefined symbol (no module being packed, the standard library or the host ' +
          'defines it; add the module that does, or pack with --allow-undefined NAME if the app provides it at run ' +
          'time):\n  pack_undef.wasm: undefined symbol pack_nowhere (function (i32) -> i32)\n');
  const dir = path.join(outDir, 'allowed');
  fs.rmSync(dir, { recursive: true, force: true });
  const r = lazylink(['pack', '-q', mod('pack_undef.wasm'), '--allow-undefined', 'pack_nowhere', '-o', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'lazylink.json')));
  // Allowed at pack time, still missing at run time: the loader says so.
  const run = lazylink(['run', path.join(dir, 'lazylink.json')]);
  assert.equal(run.code, 127, run.stderr);
  assert.ok(run.stderr.includes('pack_undef.wasm: undefined symbol: pack_nowhere'), run.stderr);
});

await test('a signature mismatch: refused', () => {
  refused([mod('pack_sig_main.wasm'), mod('libpack_lib.wasm')],
          'lazylink pack: pack: pack_sig_main.wasm: imports pack_lib_work as (i32, i32) -> i32, but ' +
          'libpack_lib.wasm exports it as (i32) -> i32 (a signature mismatch: rebuild both against the same ' +
          'declaration)\n');
});

await test('a module built without -sSIDE_MODULE: refused by pack', () => {
  const expected = 'not_side.wasm: not a side module (it has no dylink.0 section): lazylink links only modules ' +
                   'built with emcc -sSIDE_MODULE=1, the main module too (e.g. emcc -sSIDE_MODULE=1 -O2 main.c -o main.wasm)';
  refused([mod('not_side.wasm')], `lazylink pack: ${expected}\n`);
  refused([mod('pack_main.wasm'), mod('libpack_lib.wasm'), mod('not_side.wasm')], expected);
});

await test('lazylink run refuses a module built without -sSIDE_MODULE at once (it used to spin forever)', () => {
  const r = lazylink(['run', mod('not_side.wasm')], { timeout: 30_000 });
  assert.equal(r.signal, null, `killed after ${r.ms} ms: lazylink run did not end`);
  assert.equal(r.code, 127, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'lazylink: not_side.wasm: not a side module (it has no dylink.0 section): lazylink links ' +
               'only modules built with emcc -sSIDE_MODULE=1, the main module too (e.g. emcc -sSIDE_MODULE=1 -O2 ' +
               'main.c -o main.wasm)\n');
  // As a library of a good program too.
  const lib = lazylink(['run', '--lib', mod('not_side.wasm'), mod('pack_main.wasm')], { timeout: 30_000 });
  assert.equal(lib.code, 127, lib.stderr);
  assert.ok(lib.stderr.includes('not_side.wasm: not a side module'), lib.stderr);
  console.log(`     refused in ${r.ms} ms`);
});

// A packed app runs as `lazylink run MAIN.wasm` with the same options does:
// same output, same status, and (Node's load()) the start plan used.
async function sameAsDirect(key, packArgs, runArgs, mainName) {
  const dir = path.join(outDir, key);
  fs.rmSync(dir, { recursive: true, force: true });
  const p = lazylink(['pack', '-q', ...packArgs, '-o', dir]);
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.stderr, '', 'pack warned');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'lazylink.json'), 'utf8'));
  assert.equal(manifest.main, mainName);
  assert.ok(manifest.start, 'no start plan');
  const direct = lazylink(['run', ...runArgs, mod(mainName)]);
  assert.equal(direct.code, 0, direct.stderr);
  assert.notEqual(direct.stdout, '');
  const packed = lazylink(['run', path.join(dir, 'lazylink.json')]);
  assert.equal(packed.stderr, direct.stderr);
  assert.equal(packed.stdout, direct.stdout);
  assert.equal(packed.code, 0);
  const { load } = await import(pathToFileURL(path.join(root, 'web/lazylink.mjs')).href);
  const out = [];
  const app = await load(path.join(dir, 'lazylink.json'), { stdout: (t) => out.push(t), cache: false,
                                                            prefetchWhenIdle: false });
  assert.equal(app.startPlan, 'used');
  assert.equal(await app.run(), 0);
  assert.equal(out.join(''), direct.stdout);
  fs.writeFileSync(path.join(outDir, `${key}.stdout`), direct.stdout);  // for pack_browser.test.mjs
  return { manifest, dir, stdout: direct.stdout };
}

await test('a program without main (constructors only): packed, it runs them and ends with 0, as run does', async () => {
  const { manifest } = await sameAsDirect('ctors', [mod('pack_ctors.wasm')], [], 'pack_ctors.wasm');
  assert.equal(manifest.modules['pack_ctors.wasm'].policy, 'eager');
  // Two modules that no other needs, none exporting main: which is the program is not guessed.
  refused([mod('pack_ctors.wasm'), mod('libpack_lib.wasm')],
          ['no module exports main, and several modules are needed by none', 'name the main module with --main']);
});

const jsLibraryFile = path.join(root, 'tests/modules/pack_jslib.js');
await test('pack --js-library: its functions count as defined; the library is packed, hash-checked and used', async () => {
  refused([mod('pack_jslib.wasm')], 'pack_jslib.wasm: undefined symbol jslib_scale (function (i32) -> i32)');
  const { manifest, dir } = await sameAsDirect('jslib', [mod('pack_jslib.wasm'), '--js-library', jsLibraryFile],
                                               ['--js-library', jsLibraryFile], 'pack_jslib.wasm');
  const source = fs.readFileSync(jsLibraryFile);
  const { createHash } = await import('node:crypto');
  const sha256 = createHash('sha256').update(source).digest('hex');
  assert.deepEqual(manifest.jsLibraries, [{ file: 'pack_jslib.js', url: `pack_jslib.${sha256.slice(0, 16)}.js`, sha256,
                                            size: source.length }]);
  assert.deepEqual(fs.readFileSync(path.join(dir, manifest.jsLibraries[0].url)), source);
  // A library whose bytes differ from the manifest's hash is refused.
  const tampered = path.join(outDir, 'jslib-tampered');
  fs.rmSync(tampered, { recursive: true, force: true });
  fs.cpSync(dir, tampered, { recursive: true });
  fs.writeFileSync(path.join(tampered, manifest.jsLibraries[0].url), String(source).replace('x * 6', 'x * 7'));
  const r = lazylink(['run', path.join(tampered, 'lazylink.json')]);
  assert.notEqual(r.code, 0);
  assert.ok(r.stderr.includes('JS library pack_jslib.js') && r.stderr.includes('SHA-256 mismatch'), r.stderr);
  assert.ok(!r.stdout.includes('pack_jslib: 49'), r.stdout);
  // A library the runtime's parser refuses makes pack fail before writing anything.
  const bad = path.join(outDir, 'bad-library.js');
  fs.writeFileSync(bad, "mergeInto(LibraryManager.library, { jslib_scale__sig: 'q', jslib_scale: function(x) { return x; } });\n");
  const fresh = path.join(outDir, 'bad-library-out');
  fs.rmSync(fresh, { recursive: true, force: true });
  const b = lazylink(['pack', mod('pack_jslib.wasm'), '--js-library', bad, '-o', fresh]);
  assert.equal(b.code, 1);
  assert.ok(b.stderr.includes('jslib_scale__sig is "q"') && b.stderr.includes(`nothing was written to ${fresh}`), b.stderr);
  assert.equal(listing(fresh), null);
});

await test('pack --js-define: the settings a JS library\'s #if lines see are recorded with it', async () => {
  const lib = path.join(outDir, 'scaled_library.js');
  fs.writeFileSync(lib, [
    'mergeInto(LibraryManager.library, {',
    "  jslib_scale__sig: 'ii',",
    '  jslib_scale: function(x) {',
    '#if SCALE == 5', '    return x * 5;', '#else', '    return -x;', '#endif',
    '  },',
    "  jslib_half__sig: 'dd',",
    '  jslib_half: function(x) { return x / 2; },',
    '});', ''].join('\n'));
  refused([mod('pack_jslib.wasm'), '--js-library', lib], 'SCALE');
  const { manifest, stdout } = await sameAsDirect('jsdefine', [mod('pack_jslib.wasm'), '--js-library', lib,
                                                   '--js-define', 'SCALE=5'],
                                                  ['--js-library', lib, '--js-define', 'SCALE=5'], 'pack_jslib.wasm');
  assert.deepEqual(manifest.jsLibraries[0].defines, { SCALE: 5 });
  assert.equal(stdout, 'pack_jslib: 35 2.5\n');
  refused([mod('pack_ctors.wasm'), '--js-define', 'SCALE=5'], '--js-define is for the JS libraries');
});

await test('pack --malloc emmalloc --initial-memory --stack-size: recorded in the manifest and used by load()', async () => {
  const opts = ['--malloc', 'emmalloc', '--initial-memory', '32MB', '--stack-size', '256KB'];
  // emmalloc's own API links only against libstd-emmalloc.wasm.
  refused([mod('pack_mem.wasm')], 'pack_mem.wasm: undefined symbol emmalloc_validate_memory_regions');
  const { manifest, dir, stdout } = await sameAsDirect('mem', [mod('pack_mem.wasm'), ...opts], opts, 'pack_mem.wasm');
  assert.deepEqual(manifest.settings, { malloc: 'emmalloc', initialMemory: 32 << 20, stackSize: 256 << 10 });
  assert.deepEqual(Object.keys(manifest.modules).sort(), ['libstd-emmalloc.wasm', 'pack_mem.wasm']);
  assert.match(stdout, /^pack_mem: heap 33554432, stack \d+, emmalloc valid 1\n$/);
  // Without the settings, the stack differs: they are what made the output.
  assert.notEqual(lazylink(['run', '--malloc', 'emmalloc', mod('pack_mem.wasm')]).stdout, stdout);
  // Options given to load() override the manifest's (and the start plan is then not used).
  const { load } = await import(pathToFileURL(path.join(root, 'web/lazylink.mjs')).href);
  const out = [];
  const app = await load(path.join(dir, 'lazylink.json'), { stdout: (t) => out.push(t), cache: false,
    prefetchWhenIdle: false, linker: { initialMemory: 64 << 20 } });
  assert.equal(await app.run(), 0);
  assert.match(out.join(''), /^pack_mem: heap 67108864, /);
  // Wrong settings are usage errors of pack, before anything is written.
  refused([mod('pack_ctors.wasm'), '--initial-memory', '64MB', '--maximum-memory', '32MB'],
          '--initial-memory 67108864 is more than --maximum-memory 33554432');
  refused([mod('pack_ctors.wasm'), '--stack-size', '3XB'], '--stack-size 3XB: not a size');
  refused([...apps.eh.mods.map(mod), '--malloc', 'emmalloc'],
          'libstd-emmalloc.wasm (--malloc emmalloc) does not support');
});

await test('load() refuses a module without dylink.0 in its manifest at once', async () => {
  // The packed C app with its main module's bytes replaced by not_side.wasm
  // (hash and size updated, start plan removed): as a server could serve it.
  const dir = path.join(outDir, 'broken-manifest');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(outDir, 'c'), dir, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'lazylink.json'), 'utf8'));
  const bytes = fs.readFileSync(mod('not_side.wasm'));
  const { createHash } = await import('node:crypto');
  const spec = manifest.modules['pack_main.wasm'];
  spec.sha256 = createHash('sha256').update(bytes).digest('hex');
  spec.size = bytes.length;
  fs.writeFileSync(path.join(dir, spec.url), bytes);
  delete manifest.start;
  fs.writeFileSync(path.join(dir, 'lazylink.json'), JSON.stringify(manifest));
  const { load } = await import(pathToFileURL(path.join(root, 'web/lazylink.mjs')).href);
  await assert.rejects(load(path.join(dir, 'lazylink.json'), { cache: false, prefetchWhenIdle: false }),
                       (e) => e.name === 'LinkError' && e.message.includes('pack_main.wasm: not a side module ' +
                         '(it has no dylink.0 section)') && e.message.includes('emcc -sSIDE_MODULE=1'));
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
