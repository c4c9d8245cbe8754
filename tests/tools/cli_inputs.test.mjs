// Every file the native commands read is a regular file of bounded size:
// a directory, a FIFO, a device (/dev/zero, endless) or a file over the
// limit (LAZYLINK_MAX_INPUT_BYTES) is refused with exit status 1 and a
// message naming the file, at once (no uncaught exception, status 134; no
// hang; no read until memory runs out). A usage error exits 2.
// With --with-run (the wasm core is built), `lazylink run` too: its module
// files are read by web/fetchers.mjs under the same rules (exit 127).
//   node cli_inputs.test.mjs CLI [--with-run]
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve(process.argv[2]);
const withRun = process.argv.includes('--with-run');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazylink-cli-inputs-'));
let passed = 0;
let failed = 0;

function lazylink(args, env = {}) {
  const r = spawnSync(cli, args, {
    encoding: 'utf8',
    timeout: 10_000,
    maxBuffer: 1 << 20,
    env: { ...process.env, LAZYLINK_MAX_INPUT_BYTES: '', ...env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function test(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${e.stack}`);
  }
}

function refused(r, file, what) {
  assert.equal(r.signal, null, `killed by ${r.signal} (it hung or ran out of memory)`);
  assert.equal(r.code, 1, `exit status ${r.code}, stderr: ${r.stderr}`);
  assert.ok(r.stderr.includes(`${file}: ${what}`), `stderr does not say "${file}: ${what}": ${r.stderr}`);
  assert.ok(!/terminate called|exception/i.test(r.stderr), r.stderr);
}

// The smallest valid module (no sections) and a copy one byte over a limit.
const module = path.join(dir, 'min.wasm');
fs.writeFileSync(module, Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
const fifo = path.join(dir, 'pipe.wasm');
const mkfifo = spawnSync('mkfifo', [fifo]);
const config = path.join(dir, 'config.json');
fs.writeFileSync(config, JSON.stringify({ policy: {} }) + ' '.repeat(100));
const wit = path.join(dir, 'w.wit');
fs.writeFileSync(wit, 'package a:b;\n');
const out = path.join(dir, 'out');
const isDir = 'is a directory, not a regular file';
const isFifo = 'is a FIFO (named pipe), not a regular file';
const isDevice = 'is a character device, not a regular file';

test('inspect reads a regular file', () => {
  const r = lazylink(['inspect', module]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /min\.wasm: 8 bytes/);
});

test('inspect DIR', () => refused(lazylink(['inspect', dir]), dir, isDir));
test('inspect FIFO (no writer: must not wait for one)', () => {
  assert.equal(mkfifo.status, 0, 'mkfifo failed');
  refused(lazylink(['inspect', fifo]), fifo, isFifo);
});
test('inspect /dev/zero', () => refused(lazylink(['inspect', '/dev/zero']), '/dev/zero', isDevice));
test('inspect over the limit, and at it', () => {
  refused(lazylink(['inspect', module], { LAZYLINK_MAX_INPUT_BYTES: '7' }), module,
    'larger than the limit of 7 bytes (set LAZYLINK_MAX_INPUT_BYTES to change it)');
  assert.equal(lazylink(['inspect', module], { LAZYLINK_MAX_INPUT_BYTES: '8' }).code, 0);
});

test('pack --config DIR', () => refused(lazylink(['pack', module, '-o', out, '--config', dir]), dir, isDir));
test('pack --config FIFO', () => refused(lazylink(['pack', module, '-o', out, '--config', fifo]), fifo, isFifo));
test('pack --config /dev/zero', () =>
  refused(lazylink(['pack', module, '-o', out, '--config', '/dev/zero']), '/dev/zero', isDevice));
test('pack --config over the limit', () =>
  refused(lazylink(['pack', module, '-o', out, '--config', config], { LAZYLINK_MAX_INPUT_BYTES: '64' }), config,
    'larger than the limit of 64 bytes'));
test('pack --config that is not JSON', () => {
  const r = lazylink(['pack', module, '-o', out, '--config', module]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /not a JSON object/);
});
test('pack --config with a "main" that is not a string', () => {
  const bad = path.join(dir, 'main5.json');
  fs.writeFileSync(bad, '{"main": 5}');
  const r = lazylink(['pack', module, '-o', out, '--config', bad]);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stderr.includes(`${bad}: "main" must be a string (the main module's file name)`), r.stderr);
});
test('pack MODULE: FIFO, /dev/zero, over the limit', () => {
  refused(lazylink(['pack', fifo, '-o', out]), fifo, isFifo);
  refused(lazylink(['pack', '/dev/zero', '-o', out]), '/dev/zero', isDevice);
  refused(lazylink(['pack', module, '-o', out], { LAZYLINK_MAX_INPUT_BYTES: '7' }), module, 'larger than the limit of 7 bytes');
  assert.ok(!fs.existsSync(out), 'pack wrote its output directory although it refused an input');
});

test('bind-local DIR, FIFO, /dev/zero, --keep-file DIR', () => {
  refused(lazylink(['bind-local', dir, '-o', path.join(dir, 'x.wasm')]), dir, isDir);
  refused(lazylink(['bind-local', fifo, '-o', path.join(dir, 'x.wasm')]), fifo, isFifo);
  refused(lazylink(['bind-local', '/dev/zero', '-o', path.join(dir, 'x.wasm')]), '/dev/zero', isDevice);
  refused(lazylink(['bind-local', module, '-o', path.join(dir, 'x.wasm'), '--keep-file', dir]), dir, isDir);
});

test('bindgen DIR, FIFO, /dev/zero, over the limit', () => {
  refused(lazylink(['bindgen', dir, '-o', out]), dir, isDir);
  refused(lazylink(['bindgen', fifo, '-o', out]), fifo, isFifo);
  refused(lazylink(['bindgen', '/dev/zero', '-o', out]), '/dev/zero', isDevice);
  refused(lazylink(['bindgen', wit, '-o', out], { LAZYLINK_MAX_INPUT_BYTES: '4' }), wit, 'larger than the limit of 4 bytes');
});

if (withRun) {
  test('run DIR, FIFO, /dev/zero, over the limit: exit 127 naming the file', () => {
    const loadRefused = (r, file, what) => {
      assert.equal(r.signal, null, `killed by ${r.signal} (it hung or ran out of memory)`);
      assert.equal(r.code, 127, `exit status ${r.code}, stderr: ${r.stderr}`);
      assert.ok(r.stderr.includes(`${file}: ${what}`), `stderr does not say "${file}: ${what}": ${r.stderr}`);
    };
    const notRegular = 'not a regular file (a directory, FIFO or device)';
    loadRefused(lazylink(['run', dir]), dir, notRegular);
    loadRefused(lazylink(['run', fifo]), fifo, notRegular);
    loadRefused(lazylink(['run', '/dev/zero']), '/dev/zero', notRegular);
    loadRefused(lazylink(['run', module], { LAZYLINK_MAX_INPUT_BYTES: '7' }), module,
      '8 bytes, larger than the limit of 7 bytes (set LAZYLINK_MAX_INPUT_BYTES to change it)');
  });
}

test('usage errors exit 2 with CLI11\'s message', () => {
  for (const args of [['inspect'], ['pack', dir, '-o', out], ['inspect', module, '--bogus'], []]) {
    const r = lazylink(args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit status ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, /Run with --help for more information/);
  }
  assert.equal(lazylink(['--help']).code, 0);
});

fs.rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
