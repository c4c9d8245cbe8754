// `lazylink run --dir HOST[::GUEST]`: a program reads a host file and
// writes files back, which this test then checks on the host; dlopen() of
// modules from the file system; the errors for a bad --dir.
//   node tests/conformance/fs_hostdir.test.mjs --lazylink BIN --programs DIR
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const opts = { lazylink: null, programs: null };
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--lazylink') opts.lazylink = process.argv[++i];
  else if (process.argv[i] === '--programs') opts.programs = process.argv[++i];
  else throw new Error(`unknown argument ${process.argv[i]}`);
}
if (!opts.lazylink || !opts.programs) throw new Error('usage: fs_hostdir.test.mjs --lazylink BIN --programs DIR');
const progDir = path.join(path.resolve(opts.programs), 'fs_hostdir');
const main = path.join(progDir, 'fs_hostdir.wasm');

const run = (args, cwd) => spawnSync(path.resolve(opts.lazylink), ['run', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

// A fresh host directory with an input file, the plugin and a file the
// program removes.
function hostDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazylink-fs-'));
  fs.writeFileSync(path.join(dir, 'input.txt'), 'first line\nsecond line\nthird\n');
  fs.copyFileSync(path.join(progDir, 'libfsplugin.wasm'), path.join(dir, 'libfsplugin.wasm'));
  fs.writeFileSync(path.join(dir, 'remove-me.txt'), 'x');
  return dir;
}

function checkHost(dir) {
  assert.equal(fs.readFileSync(path.join(dir, 'output.txt'), 'utf8'), 'FIRST LINE\nSECOND LINE\nTHIRD\n3 lines\n');
  assert.equal(fs.readFileSync(path.join(dir, 'made/notes.txt'), 'utf8'), 'notes from the program\n');
  assert.ok(!fs.existsSync(path.join(dir, 'made/draft.txt')), 'rename left the old name');
  assert.ok(!fs.existsSync(path.join(dir, 'remove-me.txt')), 'unlink did not reach the host');
}

const expectedStdout = [
  'read 3 lines',
  'entries: 6',  // . .. input.txt libfsplugin.wasm output.txt made (remove-me.txt is gone)
  'input.txt: 29 bytes',
  'plugin from the mapped directory: 42',
  'plugin from memory: 42',
];

let failures = 0;
const test = (name, fn) => {
  try {
    fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n${e.stack}`);
  }
};

const made = [];
test('--dir HOST::/data: reads and writes host files, dlopen from the file system', () => {
  const dir = hostDir();
  made.push(dir);
  const r = run(['--dir', `${dir}::/data`, main, '/data']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 5), expectedStdout);
  assert.match(lines[5], /^dlopen \/tmp\/mods\/none\.wasm: .*none\.wasm/);
  assert.equal(lines[6], 'missing plugin: -1');
  checkHost(dir);
});

test('--dir HOST (no GUEST): the same path inside; --dir=. is the working directory', () => {
  const dir = hostDir();
  made.push(dir);
  let r = run([`--dir=${dir}`, main, dir]);
  assert.equal(r.status, 0, r.stderr);
  checkHost(dir);
  fs.rmSync(path.join(dir, 'output.txt'));
  fs.rmSync(path.join(dir, 'made'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'remove-me.txt'), 'x');
  r = run(['--dir', '.', main, '.'], dir);
  assert.equal(r.status, 0, r.stderr);
  checkHost(dir);
});

test('without --dir the program sees only memory', () => {
  const r = run([main, '/data']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /chdir: No such file or directory/);
});

test('a --dir that does not exist, or is a file: exit 2 and a clear message', () => {
  let r = run(['--dir', '/no/such/dir::/data', main]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--dir \/no\/such\/dir::\/data: \/no\/such\/dir: no such directory/);
  r = run(['--dir', `${main}::/data`, main]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /is not a directory/);
  r = run(['--dir', `${progDir}::/`, main]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /cannot map a directory over "\/"/);
  r = run(['--dir', progDir, '--browser', main]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /under Node only/);
});

for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
if (failures) {
  console.log(`${failures} failed`);
  process.exit(1);
}
console.log('all passed');
