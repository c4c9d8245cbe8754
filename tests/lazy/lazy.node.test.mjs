// Lazy loading under Node (synchronous loads): a main module calls into a
// lazily loaded module from deep inside a wasm call stack.
//   node lazy.node.test.mjs ROOT CLI MODULES_DIR OUT_DIR
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { load } from '../../web/lazylink.mjs';
import { decodePlan, planModuleIds } from '../../web/plan.mjs';
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

// Start plans (docs/start-plans.md): the packer planned the first load;
// load() carries the plan out and the core checks it.
const manifestPath = path.join(outDir, 'lazylink.json');
async function withManifest(edit, fn) {
  const original = fs.readFileSync(manifestPath, 'utf8');
  const doc = JSON.parse(original);
  edit(doc);
  fs.writeFileSync(manifestPath, JSON.stringify(doc));
  try {
    await fn();
  } finally {
    fs.writeFileSync(manifestPath, original);
  }
}

await check('start plan: written by the packer, used by load(), and the same placement as planning at run time', async () => {
  assert.ok(manifest.start, 'lazylink pack wrote no start plan');
  assert.deepEqual(manifest.start.modules.slice().sort(), ['lazy_main.wasm', 'lazy_table.wasm', 'libstd.wasm']);
  assert.deepEqual([...new Set(Object.values(manifest.start.lazySlots))], ['lazy_lib.wasm'], 'lazy slots name lazy_lib');
  assert.ok(fs.existsSync(path.join(outDir, 'lazylink-preload.html')), 'no page hints');
  const { app, stdout } = await start();
  assert.equal(app.startPlan, 'used');
  const planned = await start({ startPlan: false });
  assert.match(planned.app.startPlan, /not asked for/);
  const placement = (a) => a.modules.map((m) => [m.name, m.memoryBase, m.memorySize, m.tableBase, m.tableSize]);
  assert.deepEqual(placement(app), placement(planned.app));
  assert.equal(await app.run(), 0);
  assert.equal(stdout.join(''), 'table 3\nfirst 56 second 59 same-pointer 1 via-pointer 22 calls 3\n');
  assert.equal(app.stats.lazyResolves, 1);
});

await check('the start plan\'s module list reads without decoding the plan, in the plan\'s order', () => {
  const bytes = Buffer.from(manifest.start.codes, 'base64');
  const codes = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const ids = planModuleIds(codes);
  assert.equal(ids.length, 3);
  assert.deepEqual(ids, decodePlan(codes).modules.map((m) => m.id));
  assert.equal(manifest.start.modules[ids[2]], 'lazy_main.wasm', 'dependencies first, main last');
});

await check('the start plan lists each module\'s imports as the module has them', async () => {
  manifest.start.modules.forEach((name, id) => {
    const bytes = fs.readFileSync(path.join(outDir, manifest.modules[name].url));
    const actual = WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((d) => `${d.module}\t${d.name}`);
    assert.deepEqual(manifest.start.imports[id], actual, name);
  });
  // Without them (an older manifest), start() reads them from the compiled
  // modules instead, and the app runs the same.
  await withManifest((doc) => { delete doc.start.imports; }, async () => {
    const { app, stdout } = await start();
    assert.equal(app.startPlan, 'used');
    assert.equal(await app.run(), 0);
    assert.match(stdout.join(''), /calls 3/);
  });
});

await check('start plan import names that are not the module\'s: the core\'s check refuses the plan', async () => {
  // Two of libstd's host imports swapped (neither is called before main):
  // the import objects are built from the plan's names, the core compares.
  await withManifest((doc) => {
    const id = doc.start.modules.indexOf('libstd.wasm');
    const names = doc.start.imports[id];
    // Any two host functions of the same signature that nothing calls before main.
    const candidates = ['__syscall_chdir', '__syscall_rmdir', '__syscall_unlink', '__syscall_fchdir',
      '__syscall_acct', '__syscall_dup'].map((n) => names.indexOf(`env\t${n}`)).filter((i) => i >= 0);
    assert.ok(candidates.length >= 2, 'libstd imports two of __syscall_chdir, _rmdir, _unlink, _fchdir, _acct, _dup');
    const [a, b] = candidates;
    [names[a], names[b]] = [names[b], names[a]];
  }, async () => {
    await assert.rejects(start(), (e) => {
      console.log(`     ${e.message}`);
      assert.match(e.message, /adopting the start plan: the start plan lists other imports for libstd\.wasm/);
      return true;
    });
  });
});

await check('start plan for other host functions: not used, the app plans at run time and runs', async () => {
  await withManifest((doc) => { doc.start.host = '0123456789abcdef'; }, async () => {
    const { app, stdout } = await start();
    assert.match(app.startPlan, /other host functions/);
    assert.equal(await app.run(), 0);
    assert.match(stdout.join(''), /calls 3/);
  });
});

await check('a start plan the core disagrees with is refused, naming the fix', async () => {
  // Word 1 is the plan's transaction number: carrying the plan out does not
  // read it, the core's check does.
  await withManifest((doc) => {
    const codes = Buffer.from(doc.start.codes, 'base64');
    codes.writeInt32LE(codes.readInt32LE(4) + 7, 4);
    doc.start.codes = codes.toString('base64');
  }, async () => {
    await assert.rejects(start(), (e) => {
      console.log(`     ${e.message}`);
      assert.match(e.message, /adopting the start plan: .*pack the app again/);
      return true;
    });
  });
});

await check('a truncated start plan fails load() with a message saying so', async () => {
  await withManifest((doc) => {
    const codes = Buffer.from(doc.start.codes, 'base64');
    doc.start.codes = codes.subarray(0, codes.length - 16).toString('base64');
  }, async () => {
    await assert.rejects(start(), (e) => {
      console.log(`     ${e.message}`);
      assert.match(e.message, /the plan is truncated/);
      return true;
    });
  });
});

console.log(`lazy (node): ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
