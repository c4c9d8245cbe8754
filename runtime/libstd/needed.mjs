// Prints the symbols a set of modules needs from the standard library, one
// per line: every function import from `env` and every GOT.mem / GOT.func
// entry that none of the given modules defines, plus what lazylink's host
// runtime calls in libstd (host_exports.txt). Used to link an app-specific
// libstd.wasm (lazylink_add_libstd in runtime/cmake/LazylinkModule.cmake).
//
//   node runtime/libstd/needed.mjs [--keep sym,sym] main.wasm libfoo.wasm ... > needed.txt
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const keep = [];
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--keep') keep.push(...args[++i].split(',').filter(Boolean));
  else files.push(args[i]);
}
if (!files.length) {
  console.error('usage: needed.mjs [--keep sym,...] MODULE.wasm...');
  process.exit(2);
}

const defined = new Set();
const wanted = new Set();
for (const file of files) {
  let module;
  try {
    module = new WebAssembly.Module(fs.readFileSync(file));
  } catch (e) {
    console.error(`needed.mjs: ${file}: ${e.message}`);
    process.exit(1);
  }
  for (const e of WebAssembly.Module.exports(module)) defined.add(e.name);
  for (const i of WebAssembly.Module.imports(module)) {
    if ((i.module === 'env' && i.kind === 'function') || i.module === 'GOT.mem' || i.module === 'GOT.func') {
      wanted.add(i.name);
    }
  }
}
const here = path.dirname(fileURLToPath(import.meta.url));
const host = fs.readFileSync(path.join(here, 'host_exports.txt'), 'utf8')
  .split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
const out = new Set([...host, ...keep]);
for (const name of wanted) if (!defined.has(name)) out.add(name);
process.stdout.write([...out].sort().join('\n') + '\n');
