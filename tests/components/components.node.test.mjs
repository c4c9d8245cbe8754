// Components end to end under Node (no multi-memory: the JS adapter): a C++
// host and a C plugin, each its own domain, built with `lazylink bindgen`
// bindings, calling each other with every kind of value; JS calling the
// plugin and providing imports; isolation; traps that leave both usable;
// link errors.
//   node components.node.test.mjs ROOT MODULES_DIR
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CanonicalAbiTrap } from '../../web/cabi/index.mjs';
import { loadComponentCore, loadCore } from '../../web/core.mjs';
import { fileFetcher } from '../../web/fetchers.mjs';
import { ComponentError, ComponentSet, LinkError } from '../../web/component/index.mjs';
import { checkEndToEnd, checkJsView, expectedRunLines, provokeCases } from './scenario.mjs';

const [root, modulesDir] = process.argv.slice(2).map((p) => path.resolve(p));
const core = await loadCore();
const componentCore = await loadComponentCore();
const fetcher = await fileFetcher({ baseDir: modulesDir });
const searchPaths = [path.join(root, 'web/dist')];
const witText = fs.readFileSync(path.join(root, 'tests/components/wit/plugins.wit'), 'utf8');

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

function linkApp(options = {}) {
  const set = new ComponentSet({ core, componentCore, fetcher, searchPaths, ...options });
  set.add('app', { main: 'host.wasm' });
  set.add('plugin', { main: 'plugin.wasm' });
  return set;
}

await check('engine: Node 20 has no multi-memory, so adapters are JS', () => {
  const set = linkApp().linkSync();
  assert.equal(set.adapterKind, 'js');
});

await check('host (C++) and plugin (C) exchange every kind of value, both ways', () => {
  const set = linkApp().linkSync();
  const lines = set.instance('app').exports.app.run();
  console.log('     --- app.run() under Node (JS adapter) ---');
  for (const l of lines) console.log(`     ${l}`);
  checkEndToEnd(lines);
  assert.deepEqual(lines, expectedRunLines);
});

await check('JS calls the plugin with JS values (strings, typed arrays, objects, variants, results)', () => {
  const set = linkApp().linkSync();
  checkJsView(set.instance('plugin').exports, ComponentError);
});

await check('JS provides the imports of a plugin linked on its own', () => {
  const set = new ComponentSet({ core, componentCore, fetcher, searchPaths });
  set.add('plugin', { main: 'plugin.wasm' });
  const logged = [];
  set.provide({
    'demo:plugins/host': {
      log: (msg) => { logged.push(msg); },
      config: (key) => (key === 'theme' ? 'light' : null),
      data: () => [{ label: 'js', value: 2 }],
      favorite: () => 'green',
      checkedDiv: (a, b) => {
        if (b === 0) throw new ComponentError('js says no');
        return Math.trunc(a / b);
      },
    },
  });
  set.linkSync();
  const lines = set.instance('plugin').exports['plugin-api'].callHost();
  assert.deepEqual(logged, ['hello from the plugin']);
  assert.deepEqual(lines, [
    'config theme = light', 'config missing is not set', 'data: js=2', 'favorite color: green',
    '7 / 2 = 3', '1 / 0 = error: js says no',
  ]);
});

await check('isolation: separate memories; a host pointer means nothing in the plugin', () => {
  const set = linkApp().linkSync();
  const app = set.instance('app');
  const plugin = set.instance('plugin');
  assert.notEqual(app.memory, plugin.memory);
  const secret = app.exports.app.secret();
  const addr = app.exports.app.secretAddress();
  const hostBytes = new Uint8Array(app.memory.buffer, addr, secret.length);
  assert.equal(new TextDecoder().decode(hostBytes), secret);
  // The plugin reads its own memory at the host's address.
  const seen = [];
  for (let i = 0; i < secret.length; i++) seen.push(plugin.exports['plugin-api'].peek(addr + i));
  const text = String.fromCharCode(...seen);
  console.log(`     host secret at 0x${addr.toString(16)}: ${JSON.stringify(secret)}; the plugin sees ${JSON.stringify(text)} there`);
  assert.notEqual(text, secret);
  // And the secret is nowhere in the plugin's memory.
  const pluginBytes = new Uint8Array(plugin.memory.buffer);
  const needle = new TextEncoder().encode('host secret');
  assert.equal(Buffer.from(pluginBytes).indexOf(Buffer.from(needle)), -1);
});

await check('traps name the boundary and leave both components usable (one per kind)', () => {
  const set = linkApp().linkSync();
  const app = set.instance('app').exports.app;
  const before = app.run();
  const secret = app.secret();
  for (const [kind, pattern] of provokeCases) {
    let error;
    try {
      app.provoke(kind);
    } catch (e) {
      error = e;
    }
    assert.ok(error, `provoke(${kind}) did not trap`);
    console.log(`     provoke(${kind}): ${error.name}: ${error.message}`);
    if (kind < 7) assert.ok(error instanceof CanonicalAbiTrap, error.stack);
    assert.match(error.message, pattern);
    // Both components still work, and the host's data is intact.
    assert.deepEqual(app.run(), before);
    assert.equal(app.secret(), secret);
  }
});

await check('a type mismatch is a link error naming both components, the function and the place', () => {
  const changed = witText.replace('record row { label: string, value: f64 }', 'record row { name: string, value: f64 }');
  const set = new ComponentSet({ core, componentCore, fetcher, searchPaths });
  set.add('app', { main: 'host.wasm' });
  set.add('plugin', { main: 'plugin.wasm', wit: { world: 'demo:plugins/plugin@0.1.0', files: { 'plugins.wit': changed } } });
  assert.throws(() => set.linkSync(), (e) => {
    console.log(`     ${e.message.split('\n').join('\n     ')}`);
    assert.ok(e instanceof LinkError);
    assert.match(e.message, /component "app" \(host\.wasm\) imports demo:plugins\/chart@0\.1\.0#render from component "plugin" \(plugin\.wasm\), but the types differ at param 1 "rows": list element: field 0: "label" vs "name" \(app vs plugin\)/);
    return true;
  });
});

await check('a module without a world cannot be a component', () => {
  const set = new ComponentSet({ core, componentCore, fetcher, searchPaths });
  set.add('lib', { main: 'libhostbench.wasm' });
  assert.throws(() => set.linkSync(), /component "lib" \(libhostbench\.wasm\): the module has no lazylink\.wit section/);
});

await check('an import nobody provides is a link error', () => {
  const set = new ComponentSet({ core, componentCore, fetcher, searchPaths });
  set.add('plugin', { main: 'plugin.wasm' });
  assert.throws(() => set.linkSync(), /component "plugin" imports demo:plugins\/host@0\.1\.0#log, which no component exports and the host does not provide/);
});

await check('async linking works too', async () => {
  const set = await linkApp().link();
  assert.deepEqual(set.instance('app').exports.app.run(), expectedRunLines);
});

console.log(`components (node, js adapter): ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
