#!/usr/bin/env node
// Prototype of a leaner split site, to measure what the start-up
// benchmark's misses would gain from changes outside bench/ (proposals for
// the packer and the loader; nothing here is what lazylink ships):
//   1. libstd trimmed for this app: relinked from Emscripten's PIC archives
//      (like runtime/libstd, same lazylink_runtime.c) with -sSIDE_MODULE=2,
//      exporting only what the app's modules import from it plus what the
//      host runtime and the domain call (stackSave, malloc, memalign, ...);
//   2. a compact manifest: no `exports` lists for eager modules (the
//      loader does not need them; libstd's are 6,600 names);
//   3. an HTML page that declares every ES module of the loader with
//      <link rel=modulepreload> and preloads the core's wasm and the
//      manifest, so they are fetched in parallel instead of as an import
//      waterfall.
//
//   node bench/startup/proto_site.mjs --build build --out DIR
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const arg = (k, d) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
const build = path.resolve(arg('--build', path.join(root, 'build')));
const out = path.resolve(arg('--out', path.join(build, 'bench-startup/proto')));
const cli = path.join(build, 'bin/lazylink');
const apps = [path.join(build, 'wasm/bench/apps/sqlite_main.wasm'), path.join(build, 'wasm/demo/sqlite/libsqlite.wasm')];
const libstd = path.join(root, 'web/dist/libstd.wasm');
const work = path.join(build, 'bench-startup/proto-work');
fs.mkdirSync(work, { recursive: true });

// 1. What the app needs from libstd.
const exportsOf = (file) => new Set(WebAssembly.Module.exports(new WebAssembly.Module(fs.readFileSync(file))).map((e) => e.name));
const std = exportsOf(libstd);
const wanted = new Set(['stackSave', 'stackRestore', 'stackAlloc', 'malloc', 'free', 'memalign', '__errno_location',
  'lazylink_exit_runtime', 'lazylink_dl_seterr', 'fflush']);
for (const f of apps) {
  for (const imp of WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(f)))) {
    if (['env', 'GOT.mem', 'GOT.func'].includes(imp.module) && std.has(imp.name)) wanted.add(imp.name);
  }
}
for (const w of wanted) if (!std.has(w)) wanted.delete(w);
const cache = execFileSync('em-config', ['CACHE'], { encoding: 'utf8' }).trim();
const pic = path.join(cache, 'sysroot/lib/wasm32-emscripten/pic');
const archives = ['libc.a', 'libdlmalloc.a', 'libc++-noexcept.a', 'libc++abi-noexcept.a', 'libcompiler_rt.a'].map((a) => path.join(pic, a));
const trimmedDir = path.join(work, 'libstd');
fs.mkdirSync(trimmedDir, { recursive: true });
const trimmed = path.join(trimmedDir, 'libstd.wasm');
execFileSync('emcc', ['-O2', '-sSIDE_MODULE=2', `-sEXPORTED_FUNCTIONS=${[...wanted].sort().map((s) => `_${s}`).join(',')}`,
  `-I${path.join(root, 'runtime/include')}`, path.join(root, 'runtime/libstd/lazylink_runtime.c'), ...archives, '-o', trimmed],
{ stdio: 'inherit', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
const missing = [...wanted].filter((w) => !exportsOf(trimmed).has(w));
if (missing.length) throw new Error(`trimmed libstd lacks ${missing.join(', ')}`);

// 2. Pack, then drop the eager modules' export lists.
fs.rmSync(out, { recursive: true, force: true });
execFileSync(cli, ['pack', '-q', ...apps, trimmed, '-o', out], { stdio: 'inherit' });
const mf = path.join(out, 'lazylink.json');
const manifest = JSON.parse(fs.readFileSync(mf, 'utf8'));
for (const m of Object.values(manifest.modules)) if (m.policy === 'eager') m.exports = [];
fs.writeFileSync(mf, JSON.stringify(manifest));

// 3. The page, with preload hints for the loader's modules.
const jsModules = [];
const seen = new Set();
const walk = (file) => {
  if (seen.has(file)) return;
  seen.add(file);
  jsModules.push(file);
  const src = fs.readFileSync(file, 'utf8');
  for (const m of src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) walk(path.resolve(path.dirname(file), m[1]));
};
walk(path.join(root, 'web/lazylink.mjs'));
walk(path.join(root, 'web/dist/lazylink_core.mjs'));
const url = (f) => `/${path.relative(root, f).split(path.sep).join('/')}`;
const hints = [
  ...jsModules.map((f) => `<link rel="modulepreload" href="${url(f)}">`),
  `<link rel="preload" href="/web/dist/lazylink_core.wasm" as="fetch" crossorigin>`,
  `<link rel="preload" href="lazylink.json" as="fetch" crossorigin>`,
].join('\n');
const html = fs.readFileSync(path.join(root, 'bench/startup/split.html'), 'utf8')
  .replace('<title>', `${hints}\n<title>`).replace('start-up benchmark: split', 'start-up benchmark: split, prototype');
fs.writeFileSync(path.join(out, 'index.html'), html);
const size = (f) => fs.statSync(f).size;
console.log(JSON.stringify({
  site: out, libstd: { full: size(libstd), trimmed: size(trimmed), exports: wanted.size },
  manifest: size(mf), jsModules: jsModules.length,
}));
