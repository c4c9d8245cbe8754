// `lazylink pack --files HOST_DIR::GUEST_DIR`: the files go into the app
// content-hashed, the manifest lists them, the program reads them (and
// dlopen()s a module among them) in Node and on Chromium's main thread; a
// file is fetched on first open (one never opened may be missing), its
// SHA-256 is checked, and a bad --files writes nothing. And load()'s
// persist: a directory that survives a page reload in Chromium.
//   node tests/conformance/fs_pack.test.mjs --lazylink BIN --programs DIR
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const opts = { lazylink: null, programs: null };
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--lazylink') opts.lazylink = path.resolve(process.argv[++i]);
  else if (process.argv[i] === '--programs') opts.programs = process.argv[++i];
  else throw new Error(`unknown argument ${process.argv[i]}`);
}
if (!opts.lazylink || !opts.programs) throw new Error('usage: fs_pack.test.mjs --lazylink BIN --programs DIR');
const progDir = path.join(path.resolve(opts.programs), 'fs_hostdir');
const lazylink = (args, cwd) => spawnSync(opts.lazylink, args, { cwd, encoding: 'utf8', timeout: 120_000 });

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lazylink-pack-files-'));
const data = path.join(work, 'data');
fs.mkdirSync(path.join(data, 'sub'), { recursive: true });
fs.mkdirSync(path.join(data, 'empty'));
fs.writeFileSync(path.join(data, 'input.txt'), 'first line\nsecond line\nthird\n');
fs.writeFileSync(path.join(data, 'remove-me.txt'), 'x');
fs.writeFileSync(path.join(data, 'sub/never-opened.txt'), 'not read by the program');
fs.copyFileSync(path.join(progDir, 'libfsplugin.wasm'), path.join(data, 'libfsplugin.wasm'));

const expected = [
  'read 3 lines',
  'entries: 8',  // . .. empty input.txt libfsplugin.wasm made output.txt sub
  'input.txt: 29 bytes',
  'plugin from the mapped directory: 42',
  'plugin from memory: 42',
];

let failures = 0;
const tests = [];
const test = (name, fn) => tests.push({ name, fn });

const app = path.join(work, 'app');
test('pack --files: content-hashed files listed in the manifest', () => {
  const r = lazylink(['pack', path.join(progDir, 'fs_hostdir.wasm'), '--files', `${data}::/data`, '-o', app]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /4 files \(\d+ bytes\) packed/);
  const manifest = JSON.parse(fs.readFileSync(path.join(app, 'lazylink.json'), 'utf8'));
  const input = manifest.files['/data/input.txt'];
  assert.equal(input.size, 29);
  assert.match(input.url, /^files\/input\.[0-9a-f]{16}\.txt$/);
  assert.equal(input.sha256.slice(0, 16), input.url.split('.')[1]);
  assert.deepEqual(manifest.files['/data/empty'], { type: 'dir' });
  assert.equal(fs.readFileSync(path.join(app, input.url), 'utf8'), 'first line\nsecond line\nthird\n');
});

test('Node: the program reads its files, dlopen()s one; fetched on first open', () => {
  // Never opened: its absence must not matter.
  const manifest = JSON.parse(fs.readFileSync(path.join(app, 'lazylink.json'), 'utf8'));
  fs.rmSync(path.join(app, manifest.files['/data/sub/never-opened.txt'].url));
  const r = lazylink(['run', path.join(app, 'lazylink.json'), '/data']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n').slice(0, 5), expected);
});

test('Node: run --cwd starts the packed program in one of its directories', () => {
  const r = lazylink(['run', '--cwd', '/data', path.join(app, 'lazylink.json'), '.']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n').slice(0, 5), expected);
  // A directory the app does not have: the program ends with a message naming it.
  const bad = lazylink(['run', '--cwd', '/nowhere', path.join(app, 'lazylink.json'), '.']);
  assert.equal(bad.status, 134, bad.stderr);
  assert.match(bad.stderr, /the working directory \/nowhere is not a directory of the program's file system/);
  const relative = lazylink(['run', '--cwd', 'data', path.join(app, 'lazylink.json')]);
  assert.equal(relative.status, 2);
  assert.match(relative.stderr, /--cwd data: give an absolute path/);
});

test('Node: a file whose bytes do not match its SHA-256 is an I/O error naming it', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(app, 'lazylink.json'), 'utf8'));
  const file = path.join(app, manifest.files['/data/input.txt'].url);
  const good = fs.readFileSync(file);
  fs.writeFileSync(file, 'tampered\n');
  try {
    const r = lazylink(['run', path.join(app, 'lazylink.json'), '/data']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /\/data\/input\.txt: .*SHA-256 mismatch/);
    assert.match(r.stderr, /input\.txt: I\/O error/);
  } finally {
    fs.writeFileSync(file, good);
  }
});

test('pack --files with a missing directory: exit 2, nothing written', () => {
  const out = path.join(work, 'not-written');
  const r = lazylink(['pack', path.join(progDir, 'fs_hostdir.wasm'), '--files', `${work}/nope::/data`, '-o', out]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--files .*nope::\/data: .*nope is not a directory/);
  assert.ok(!fs.existsSync(out));
});

test('Chromium (main thread): the same program, files fetched before main', async () => {
  // On a window's main thread open() cannot wait: every file is fetched
  // before main, so the one removed above must be back.
  const manifest = JSON.parse(fs.readFileSync(path.join(app, 'lazylink.json'), 'utf8'));
  fs.writeFileSync(path.join(app, manifest.files['/data/sub/never-opened.txt'].url), 'not read by the program');
  const { startServer } = await import('../../web/server.mjs');
  const { openBrowser } = await import('../browser/harness.mjs');
  const server = await startServer({ mounts: { '/web': path.join(repo, 'web'), '/runtime': path.join(repo, 'runtime'),
                                               '/tests': path.join(repo, 'tests'), '/app': app } });
  const browser = await openBrowser();
  try {
    const q = `app=${encodeURIComponent('/app/lazylink.json')}&args=${encodeURIComponent('["/data"]')}`;
    const { result, consoleErrors } = await browser.runPage(`${server.url}/tests/conformance/fs_pack/index.html?${q}`);
    assert.equal(result.error, undefined, result.error);
    assert.deepEqual(consoleErrors, []);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.split('\n').slice(0, 5), expected);
    assert.ok(result.files.includes('/data/input.txt fetch 29/29'), JSON.stringify(result.files));
  } finally {
    await browser.close();
    await server.close();
  }
});

test('Chromium (Web Worker): files fetched inside open(), SHA-256 by the core', async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(app, 'lazylink.json'), 'utf8'));
  const never = path.join(app, manifest.files['/data/sub/never-opened.txt'].url);
  fs.rmSync(never);  // never opened: its absence must not matter here either
  const { startServer } = await import('../../web/server.mjs');
  const { openBrowser } = await import('../browser/harness.mjs');
  const server = await startServer({ mounts: { '/web': path.join(repo, 'web'), '/runtime': path.join(repo, 'runtime'),
                                               '/tests': path.join(repo, 'tests'), '/app': app } });
  const browser = await openBrowser();
  try {
    const q = `worker=1&app=${encodeURIComponent('/app/lazylink.json')}&args=${encodeURIComponent('["/data"]')}`;
    const { result, consoleErrors } = await browser.runPage(`${server.url}/tests/conformance/fs_pack/index.html?${q}`);
    assert.equal(result.error, undefined, result.error);
    assert.deepEqual(consoleErrors, []);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.split('\n').slice(0, 5), expected);
    assert.ok(result.files.includes('/data/input.txt fetch 29/29'), JSON.stringify(result.files));
    assert.ok(!result.files.some((f) => f.startsWith('/data/sub/never-opened.txt')), JSON.stringify(result.files));
  } finally {
    fs.writeFileSync(never, 'not read by the program');
    await browser.close();
    await server.close();
  }
});

test('Chromium: load(..., { persist: [\'/data\'] }) keeps /data across a page reload', async () => {
  const persistApp = path.join(work, 'persist-app');
  const r = lazylink(['pack', path.join(path.resolve(opts.programs), 'fs_persist/fs_persist.wasm'), '-o', persistApp, '-q']);
  assert.equal(r.status, 0, r.stderr);
  const { startServer } = await import('../../web/server.mjs');
  const { openBrowser } = await import('../browser/harness.mjs');
  const server = await startServer({ mounts: { '/web': path.join(repo, 'web'), '/runtime': path.join(repo, 'runtime'),
                                               '/tests': path.join(repo, 'tests'), '/app': persistApp } });
  const browser = await openBrowser();
  try {
    const q = `app=${encodeURIComponent('/app/lazylink.json')}&persist=${encodeURIComponent('["/data"]')}`;
    const url = `${server.url}/tests/conformance/fs_pack/index.html?${q}`;
    const first = await browser.runPage(url);
    assert.equal(first.result.error, undefined, first.result.error);
    assert.deepEqual(first.consoleErrors, []);
    assert.equal(first.result.code, 0, first.result.stderr);
    assert.equal(first.result.stdout, 'tmp had a file: 0\nrun 1\nlog: run 1\nlink: /data/count.txt\nfirst-only.txt: 1\n');
    // The same page, reloaded.
    const second = await browser.runPage(url, { page: first.page });
    assert.equal(second.result.code, 0, second.result.stderr);
    assert.equal(second.result.stdout,
      'tmp had a file: 0\nrun 2\nlog: run 1\nlog: run 2\nlink: /data/count.txt\nfirst-only.txt: 0\n');
    assert.deepEqual(second.consoleErrors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

for (const { name, fn } of tests) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n${e.stack}`);
  }
}
fs.rmSync(work, { recursive: true, force: true });
console.log(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
