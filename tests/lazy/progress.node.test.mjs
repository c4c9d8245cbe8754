// load()'s onProgress contract (docs/lazy-loading.md, "Progress events"):
// each module's compile, link, init and done arrive once per load, each
// fetch chunk once, whether the module was prefetched (eager modules, at
// start) or fetched by a lazy call; prefetch events say so.
//   node progress.node.test.mjs ROOT CLI MODULES_DIR OUT_DIR
import assert from 'node:assert/strict';
import path from 'node:path';
import { load } from '../../web/lazylink.mjs';
import { packLazyApp } from './pack_app.mjs';

const [root, cli, modulesDir, outDir] = process.argv.slice(2).map((p) => path.resolve(p));
packLazyApp({ cli, modulesDir, libstd: path.join(root, 'web/dist/libstd.wasm'), outDir });
const events = [];
const app = await load(path.join(outDir, 'lazylink.json'), { stdout: () => {}, onProgress: (e) => events.push(e) });
assert.equal(await app.run(), 0);
const count = new Map();
for (const e of events) {
  const key = `${e.module} ${e.phase}${e.phase === 'fetch' ? ` ${e.loaded}/${e.total}` : ''}`;
  count.set(key, (count.get(key) ?? 0) + 1);
}
console.log([...count].map(([k, n]) => `     ${n} x ${k}`).join('\n'));
assert.deepEqual([...count].filter(([, n]) => n !== 1), [], 'events reported more than once');
for (const m of ['lazy_main.wasm', 'lazy_table.wasm', 'libstd.wasm', 'lazy_lib.wasm']) {
  const phases = events.filter((e) => e.module === m).map((e) => e.phase);
  // fetch (one or more chunks, the last one complete), then compile, link, init, done.
  const first = phases.indexOf('compile');
  assert.ok(first > 0 && phases.slice(0, first).every((p) => p === 'fetch'), `${m}: ${phases}`);
  assert.deepEqual(phases.slice(first), ['compile', 'link', 'init', 'done'], `${m}: ${phases}`);
  const fetches = events.filter((e) => e.module === m && e.phase === 'fetch');
  assert.equal(fetches.at(-1).loaded, fetches.at(-1).total, `${m}: the last fetch event is complete`);
}
// Eager modules are prefetched at start; the lazy one is fetched by its first call.
assert.ok(events.filter((e) => e.module === 'lazy_main.wasm' && e.phase === 'fetch').every((e) => e.prefetch));
assert.ok(events.filter((e) => e.module === 'lazy_lib.wasm' && e.phase === 'fetch').every((e) => !e.prefetch));
console.log(`ok   ${events.length} progress events, each once`);
