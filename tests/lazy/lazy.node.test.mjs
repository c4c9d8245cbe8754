// Lazy loading under Node (synchronous loads): a main module calls into a
// lazily loaded module from deep inside a wasm call stack.
//   node lazy.node.test.mjs ROOT CLI MODULES_DIR OUT_DIR
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { load } from '../../web/lazylink.mjs';
import { packLazyApp } from './pack_app.mjs';

const [root, cli, modulesDir, outDir] = process.argv.slice(2).map((p) => path.resolve(p));
const manifest = packLazyApp({ cli, modulesDir, libstd: path.join(root, 'web/dist/libstd.wasm'), outDir });
const lib = manifest.modules['lazy_lib.wasm'];
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

async function start(options = {}) {
  const fetched = [];
  const stdout = [];
  const app = await load(path.join(outDir, 'lazylink.json'), {
    stdout: (t) => stdout.push(t),
    onProgress: (e) => { if (e.phase === 'done') fetched.push(e.module); },
    ...options,
  });
  return { app, fetched, stdout };
}

await check('the packer made lazy_lib lazy and lazy_table eager', () => {
  assert.equal(lib.policy, 'lazy');
  assert.equal(manifest.modules['lazy_table.wasm'].policy, 'eager');
  assert.deepEqual(manifest.symbols.lazy_work, ['lazy_lib.wasm', 'ii']);
});

await check('lazy module loads at the first call, once, 40 frames deep', async () => {
  const { app, fetched, stdout } = await start();
  assert.equal(app.domain.lazyMode, 'sync');
  const atStart = [...fetched];
  console.log(`     loaded at start: ${atStart.join(', ')}`);
  assert.ok(!atStart.includes('lazy_lib.wasm'), 'lazy_lib must not load at start');
  const code = await app.run();
  console.log(`     loaded after main: ${fetched.join(', ')}`);
  assert.equal(code, 0);
  assert.deepEqual(fetched.filter((m) => m === 'lazy_lib.wasm'), ['lazy_lib.wasm']);
  assert.equal(stdout.join(''), 'table 3\nfirst 56 second 59 same-pointer 1 via-pointer 22 calls 3\n');
  // Three calls (two direct, one through &lazy_work), one resolver entry:
  // only the first call took a JS path.
  assert.equal(app.stats.lazyResolves, 1);
  assert.equal(await app.call('call_lazy', [5]), 5 * 3 + 10 + 10);
  assert.equal(app.stats.lazyResolves, 1);
});

await check('a missing lazy module fails the calling function, names module and symbol; a later call retries', async () => {
  const { app } = await start();
  const file = path.join(outDir, lib.url);
  fs.renameSync(file, file + '.away');
  try {
    await assert.rejects(app.call('call_lazy', [1]), (e) => {
      assert.match(e.message, /calling lazy_work needs lazy_lib\.wasm, which failed to load/);
      assert.match(e.message, /not found/);
      return true;
    });
  } finally {
    fs.renameSync(file + '.away', file);
  }
  assert.equal(await app.call('call_lazy', [1]), 1 * 3 + 10 + 10);
  assert.equal(app.stats.lazyResolves, 2);
});

await check('corrupt bytes of a lazy module: SHA-256 error with both hashes; recovers', async () => {
  const { app } = await start();
  const file = path.join(outDir, lib.url);
  const good = fs.readFileSync(file);
  const bad = Buffer.from(good);
  bad[bad.length - 1] ^= 0xff;
  fs.writeFileSync(file, bad);
  try {
    await assert.rejects(app.call('call_lazy', [2]), (e) => {
      assert.match(e.message, /lazy_lib\.wasm: SHA-256 mismatch: expected [0-9a-f]{64}, got [0-9a-f]{64}/);
      assert.ok(e.message.includes(lib.sha256));
      return true;
    });
  } finally {
    fs.writeFileSync(file, good);
  }
  assert.equal(await app.call('call_lazy', [2]), 2 * 3 + 10 + 10);
});

console.log(`lazy (node): ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
