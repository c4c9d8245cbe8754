// The npm package, as a user gets it: `npm pack` of the repository, then
// `npm install <tarball>` into an empty project (offline: the package has no
// dependencies), then
//   (a) Node: `import { load } from 'lazylink'` runs a packed app; progress
//       events arrive once each; the package's `lazylink` bin runs it too;
//   (b) esbuild bundles `import { load } from 'lazylink'` for the browser
//       (the "browser" condition) without errors and without a node:* import,
//       and that bundle runs the app in headless Chromium;
//   (c) the types (web/lazylink.d.ts) parse and declare every export of the
//       bundle, and FetchError's kinds are those of web/net/errors.mjs.
//   node npm_package.test.mjs ROOT CLI MODULES_DIR WORK_DIR
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packLazyApp } from '../lazy/pack_app.mjs';

const [root, cli, modulesDir, work] = process.argv.slice(2).map((p) => path.resolve(p));
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${e.stack}`);
  }
}
const npm = (args, cwd) => execFileSync('npm', [...args, '--offline', '--no-audit', '--no-fund', '--ignore-scripts',
  '--loglevel=error', `--cache=${path.join(work, 'npm-cache')}`], { cwd, encoding: 'utf8' });

// 1. npm pack
const packDir = path.join(work, 'pack');
fs.mkdirSync(packDir);
const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', packDir, root], work));
const tarball = path.join(packDir, packed.filename);
const files = new Set(packed.files.map((f) => f.path));
console.log(`     ${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${files.size} files`);

await check('the tarball holds what load(), the bin and the types need', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const needed = [pkg.types, pkg.bin.lazylink, ...Object.values(pkg.exports['.']),
    'web/dist/lazylink_core.mjs', 'web/dist/lazylink_core.wasm', 'web/dist/libstd.wasm',
    'web/dist/lazylink-component-model.mjs', 'web/dist/lazylink-component-model.browser.mjs',
    'web/dist/lazylink_components.mjs', 'web/dist/lazylink_components.wasm'];
  for (const f of needed) assert.ok(files.has(f.replace(/^\.\//, '')), `${f} is not in ${packed.filename}`);
  // Every relative import of the CLI's sources is packed too.
  for (const f of files) {
    if (!/^(web|runtime)\/.*\.mjs$/.test(f) || f.startsWith('web/dist/')) continue;
    const src = fs.readFileSync(path.join(root, f), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    for (const [, spec] of src.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), spec));
      if (target.startsWith('tests/') || target.startsWith('demo/')) continue;  // repository-only commands
      assert.ok(files.has(target), `${f} imports ${spec} (${target}), which is not packed`);
    }
  }
  assert.ok(!files.has('package-lock.json') && ![...files].some((f) => f.startsWith('tests/') || f.startsWith('loader/')),
    'sources other than the JS API are not packed');
  assert.ok(packed.size < 4 * 1024 * 1024, `the tarball is ${packed.size} bytes`);
});

// 2. A fresh project installing the tarball
const project = path.join(work, 'project');
fs.mkdirSync(project);
fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'uses-lazylink', private: true, type: 'module' }));
npm(['install', tarball], project);
const installed = path.join(project, 'node_modules/lazylink');
const app = path.join(work, 'app');
packLazyApp({ cli, modulesDir, libstd: path.join(root, 'web/dist/libstd.wasm'), outDir: app });
const expected = 'table 3\nfirst 56 second 59 same-pointer 1 via-pointer 22 calls 3\n';

await check('(a) Node: import { load } from "lazylink" runs a packed app, each progress event once', () => {
  fs.writeFileSync(path.join(project, 'main.js'), `
import { load, LinkError, FetchError, ExitStatus } from 'lazylink';
const events = [];
let out = '';
const app = await load(${JSON.stringify(path.join(app, 'lazylink.json'))}, {
  stdout: (t) => { out += t; }, onProgress: (e) => events.push(e) });
const code = await app.run();
const errors = [new LinkError('m').name, new FetchError({ module: 'm', url: 'u', kind: 'http' }).name, new ExitStatus(3).name];
console.log(JSON.stringify({ code, out, events, errors }));
`);
  const r = JSON.parse(execFileSync(process.execPath, ['main.js'], { cwd: project, encoding: 'utf8' }));
  assert.equal(r.code, 0);
  assert.equal(r.out, expected);
  assert.deepEqual(r.errors, ['LinkError', 'FetchError', 'ExitStatus']);
  const seen = new Map();
  for (const e of r.events) {
    const key = `${e.module} ${e.phase} ${e.phase === 'fetch' ? e.loaded : ''}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const twice = [...seen].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'progress events reported more than once');
  for (const m of ['lazy_main.wasm', 'lazy_table.wasm', 'lazy_lib.wasm', 'libstd.wasm']) {
    for (const phase of ['compile', 'link', 'init', 'done']) assert.equal(seen.get(`${m} ${phase} `), 1, `${m} ${phase}`);
  }
});

await check('(a) the package\'s bin: lazylink run <manifest>, lazylink run <module>', () => {
  const bin = path.join(project, 'node_modules/.bin/lazylink');
  assert.ok(fs.existsSync(bin), 'node_modules/.bin/lazylink is missing');
  const out = execFileSync(bin, ['run', path.join(app, 'lazylink.json')], { encoding: 'utf8' });
  assert.equal(out, expected);
  // Unpacked modules, with the libstd the package ships.
  const direct = execFileSync(bin, ['run', '--path', modulesDir, path.join(modulesDir, 'lazy_main.wasm')], { encoding: 'utf8' });
  assert.equal(direct, expected);
  assert.match(execFileSync(bin, ['--help'], { encoding: 'utf8' }), /lazylink run/);
});

const esbuild = createRequire(path.join(root, 'package.json'))('esbuild');

await check('(b) esbuild bundles import { load } from "lazylink" for the browser, no node:* import', async () => {
  fs.writeFileSync(path.join(project, 'page.js'),
    "import { load, loadComponent, LinkError } from 'lazylink';\nglobalThis.api = { load, loadComponent, LinkError };\n");
  const r = await esbuild.build({
    absWorkingDir: project, entryPoints: ['page.js'], bundle: true, platform: 'browser', format: 'esm',
    write: false, metafile: true, logLevel: 'silent', outdir: 'out',
  });
  assert.deepEqual(r.errors, []);
  const inputs = Object.keys(r.metafile.inputs);
  assert.ok(inputs.some((i) => i.endsWith('lazylink/web/dist/lazylink.browser.mjs')), `inputs: ${inputs.join(', ')}`);
  const text = r.outputFiles.map((f) => f.text).join('\n');
  const nodeImports = text.match(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']node:[^"']*["']/g);
  assert.equal(nodeImports, null, `the browser bundle imports ${nodeImports}`);
  // The Node entry is what a browser bundle must not get: it does import node:*.
  const nodeEntry = fs.readFileSync(path.join(installed, 'web/dist/lazylink.mjs'), 'utf8');
  assert.match(nodeEntry, /import\("node:fs"\)/);
});

await check('(b) that browser bundle runs the packed app in Chromium, the core beside it in dist/ (without: an error)', async () => {
  const site = path.join(work, 'site');
  fs.mkdirSync(path.join(site, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(project, 'site.js'), `import { load } from 'lazylink';
const out = [];
const events = [];
try {
  const app = await load('/app/lazylink.json', { stdout: (t) => out.push(t), onProgress: (e) => events.push(e.module + ' ' + e.phase),
                                                cache: false, prefetchWhenIdle: false });
  const code = await app.run();
  window.__lazylinkResult = { ok: true, code, stdout: out.join(''), mode: app.domain.lazyMode, events };
} catch (e) {
  window.__lazylinkResult = { ok: false, error: String(e && e.stack || e) };
}
`);
  await esbuild.build({ absWorkingDir: project, entryPoints: ['site.js'], bundle: true, platform: 'browser', format: 'esm',
    outfile: path.join(site, 'site.js'), logLevel: 'silent' });
  for (const f of ['lazylink_core.mjs', 'lazylink_core.wasm']) {
    fs.copyFileSync(path.join(installed, 'web/dist', f), path.join(site, 'dist', f));
  }
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/site.js"></script>\n');
  const { startServer } = await import(pathToFileURL(path.join(root, 'web/server.mjs')).href);
  const { openBrowser } = await import(pathToFileURL(path.join(root, 'tests/browser/harness.mjs')).href);
  const server = await startServer({ mounts: { '/': site, '/app': app } });
  const browser = await openBrowser();
  try {
    const { result, consoleErrors, page } = await browser.runPage(`${server.url}/index.html`, { timeoutMs: 30_000 });
    await page.close();
    assert.deepEqual(consoleErrors, []);
    assert.equal(result.ok, true, result.error);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, expected);
    assert.equal(result.mode, 'jspi');
    assert.equal(new Set(result.events).size, result.events.filter((e) => !e.endsWith(' fetch')).length +
      new Set(result.events.filter((e) => e.endsWith(' fetch'))).size, `events: ${result.events}`);
    // Without the core beside the bundle: a clear error, not a hang.
    fs.rmSync(path.join(site, 'dist'), { recursive: true });
    const missing = await browser.runPage(`${server.url}/index.html`, { timeoutMs: 30_000 });
    await missing.page.close();
    assert.equal(missing.result.ok, false);
    assert.match(missing.result.error, /needs the loader core, which failed to start: lazylink: the loader core failed to load: .*dist\/lazylink_core/);
  } finally {
    await browser.close();
    await server.close();
  }
});

await check('(c) the types parse and declare every export; FetchError kinds match', async () => {
  const dts = fs.readFileSync(path.join(installed, 'web/lazylink.d.ts'), 'utf8');
  await esbuild.transform(dts, { loader: 'ts', sourcefile: 'lazylink.d.ts' });
  const use = `import { load, type App, type LoadOptions } from 'lazylink';
const opts: LoadOptions = { onProgress: (e) => console.log(e.phase), stdout: (t: string) => {}, persist: ['/data'], cwd: '/' };
const app: App = await load('app/lazylink.json', opts);
export const code: number = await app.run(['x']);\n`;
  await esbuild.transform(use, { loader: 'ts', sourcefile: 'use.ts' });
  const declared = new Set([...dts.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)].map((m) => m[1]));
  const mod = await import(pathToFileURL(path.join(installed, 'web/dist/lazylink.mjs')).href);
  const exported = Object.keys(mod).filter((k) => !k.startsWith('__'));
  assert.deepEqual([...declared].sort(), exported.sort());
  const { KINDS } = await import(pathToFileURL(path.join(root, 'web/net/errors.mjs')).href);
  const kinds = dts.match(/export type FetchErrorKind =([^;]*);/)[1].match(/'[^']+'/g).map((s) => s.slice(1, -1));
  assert.deepEqual(kinds.sort(), Object.values(KINDS).sort());
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
