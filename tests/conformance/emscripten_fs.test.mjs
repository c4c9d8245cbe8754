// Emscripten 3.1.6's own file-system test programs (installed with it:
// tests/unistd, dirent, fcntl, stat, stdio, fs, termios, utime; the ones
// that need no EM_ASM and no JS set-up), each built as a side module and
// run by `lazylink run`, against what the same program prints built with
// plain emcc and run under Node (stdout, stderr and exit status). The
// build (tests/conformance/CMakeLists.txt) makes both and the expected
// output:
//   node emscripten_fs.test.mjs --expect PLAIN.js OUT.expected   (build time)
//   node emscripten_fs.test.mjs --lazylink BIN --programs DIR    (the test)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
const fmt = (stdout, status) => `${stdout}\n--- exit status ${status}\n`;

if (argv[0] === '--expect') {
  const [, js, out] = argv;
  const r = spawnSync(process.execPath, ['--no-experimental-fetch', path.basename(js)],
    { cwd: path.dirname(js), encoding: 'utf8', timeout: 60_000 });
  if (r.status === null) throw new Error(`${js}: did not finish`);
  fs.writeFileSync(out, fmt(r.stdout + r.stderr, r.status));
  process.exit(0);
}

const opts = { lazylink: null, programs: null };
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--lazylink') opts.lazylink = path.resolve(argv[++i]);
  else if (argv[i] === '--programs') opts.programs = argv[++i];
  else throw new Error(`unknown argument ${argv[i]}`);
}
if (!opts.lazylink || !opts.programs) throw new Error('usage: emscripten_fs.test.mjs --lazylink BIN --programs DIR');
const dir = path.join(path.resolve(opts.programs), 'emscripten_fs');
const names = fs.readdirSync(dir).filter((f) => f.endsWith('.expected')).map((f) => f.slice(0, -9)).sort();
if (names.length === 0) throw new Error(`no programs in ${dir}`);

const runOne = (name) => new Promise((resolve) => {
  const child = spawn(opts.lazylink, ['run', path.join(dir, `${name}.wasm`)], { cwd: dir });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.on('close', (status) => {
    clearTimeout(timer);
    resolve(fmt(out + err, status));
  });
});

let failed = 0;
const queue = [...names];
const worker = async () => {
  while (queue.length) {
    const name = queue.shift();
    const want = fs.readFileSync(path.join(dir, `${name}.expected`), 'utf8');
    const got = await runOne(name);
    if (got === want) {
      console.log(`PASS ${name}`);
    } else {
      failed++;
      console.log(`FAIL ${name}\n--- plain emcc\n${want}--- lazylink\n${got}`);
    }
  }
};
await Promise.all([worker(), worker()]);
console.log(`Emscripten's file-system tests: ${names.length - failed} of ${names.length} as plain emcc`);
process.exit(failed ? 1 : 0);
