// Lazy loading under C++ exceptions and setjmp in Node (synchronous loads):
// the first calls into lazy modules are made inside try blocks / under
// setjmp (through invoke_ wrappers), and those modules throw and longjmp
// back into main. With the wasm invoke_ wrappers (the default where the
// engine has wasm exception handling) and with the JS ones.
//   node lazy_eh.node.test.mjs ROOT CLI MODULES_DIR OUT_DIR
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { load } from '../../web/lazylink.mjs';
import { setWasmInvokeDefault } from '../../runtime/host/unwind.mjs';
import { JS_TAG } from '../../runtime/host/invoke_wasm.mjs';
import { packApps } from './pack_apps.mjs';

const [root, cli, modulesDir, outDir] = process.argv.slice(2).map((p) => path.resolve(p));
const apps = packApps({ root, cli, modulesDir, outDir });
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

async function runApp(app, { wasmInvoke }) {
  setWasmInvokeDefault(wasmInvoke);
  const loaded = [];
  const stdout = [];
  const a = await load(path.join(app.dir, 'lazylink.json'), {
    stdout: (t) => stdout.push(t),
    onProgress: (e) => { if (e.phase === 'done') loaded.push(e.module); },
  });
  const atStart = [...loaded];
  const code = await a.run();
  return { code, stdout: stdout.join(''), atStart, loaded, app: a, invokes: a.domain.host.context.invokeStats };
}

for (const [name, app] of Object.entries(apps)) {
  await check(`${name}: the packer made ${app.libs.join(' and ')} lazy`, () => {
    for (const lib of app.libs) assert.equal(app.manifest.modules[lib].policy, 'lazy', lib);
    for (const [sym, mod] of Object.entries(app.symbols)) assert.equal(app.manifest.symbols[sym][0], mod, sym);
  });
  // true: the wasm wrappers (catch_all where the engine has no JSTag, as
  // Node 20); false: the JS ones; 'auto': the default (wasm with JSTag).
  for (const wasmInvoke of [true, false, 'auto']) {
    const kind = wasmInvoke === 'auto' ? `default: ${JS_TAG ? 'wasm' : 'JS'}` : wasmInvoke ? 'wasm' : 'JS';
    await check(`${name} (${kind} invoke_): first calls under ${name === 'eh' ? 'try' : 'setjmp'} load the lazy modules; ` +
                `${name === 'eh' ? 'exceptions' : 'longjmps'} from them reach main`, async () => {
      const r = await runApp(app, { wasmInvoke });
      assert.equal(r.app.domain.lazyMode, 'sync');
      for (const lib of app.libs) assert.ok(!r.atStart.includes(lib), `${lib} loaded before main`);
      assert.equal(r.stdout, app.expected);
      assert.equal(r.code, 0);
      assert.deepEqual(r.loaded.filter((m) => app.libs.includes(m)).sort(), [...app.libs].sort(), 'each lazy module loaded once');
      assert.equal(r.app.stats.lazyResolves, app.libs.length);
      console.log(`     invoke_ imports: ${r.invokes.wasm} wasm, ${r.invokes.js} JS`);
      if (wasmInvoke === true || (wasmInvoke === 'auto' && JS_TAG)) {
        assert.ok(r.invokes.wasm > 0, 'no wasm invoke_ wrapper was made');
        assert.equal(r.invokes.js, 0, 'a JS invoke_ wrapper was made');
      } else {
        assert.equal(r.invokes.wasm, 0);
        assert.ok(r.invokes.js > 0);
      }
    });
  }
  await check(`${name}: lazylink run APP/lazylink.json`, () => {
    const stdout = execFileSync(cli, ['run', path.join(app.dir, 'lazylink.json')], { encoding: 'utf8' });
    assert.equal(stdout, app.expected);
  });
}
setWasmInvokeDefault('auto');
console.log(`lazy_eh (node): ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
