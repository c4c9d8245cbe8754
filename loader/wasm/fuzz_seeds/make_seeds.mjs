#!/usr/bin/env node
// Writes the hand-made fuzzer seeds in this directory: small modules with
// what emcc's output lacks (every element and data segment encoding, every
// dylink.0 subsection, the legacy dylink section, tags, memory64, extended
// constant expressions, a full name section). Rerun after changing it:
//   node loader/wasm/fuzz_seeds/make_seeds.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const leb = (v) => {
  const out = [];
  let n = BigInt(v);
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const str = (s) => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];
const vec = (items) => [...leb(items.length), ...items.flat()];
const section = (id, payload) => [id, ...leb(payload.length), ...payload];
const custom = (name, payload) => section(0, [...str(name), ...payload]);
const sub = (id, payload) => [id, ...leb(payload.length), ...payload];
const module = (...sections) => Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...sections.flat()]);
const END = 0x0b, I32 = 0x7f, I64 = 0x7e, FUNCREF = 0x70, EXTERNREF = 0x6f;

const dylink = custom('dylink.0', [
  ...sub(1, [...leb(1024), 4, 3, 0]),
  ...sub(2, vec([str('libdep.wasm'), str('libstd.wasm')])),
  ...sub(3, vec([[...str('tls_var'), ...leb(0x100)], [...str('weak_fn'), 1]])),
  ...sub(4, vec([[...str('env'), ...str('maybe'), 0x11]])),
  ...sub(5, vec([str('$ORIGIN/lib')])),
  ...sub(77, [1, 2, 3]),
]);
const types = section(1, vec([[0x60, 0, 0], [0x60, 1, I32, 1, I32], [0x60, 2, I32, I64, 0]]));
const imports = section(2, vec([
  [...str('env'), ...str('memory'), 2, 0, 1],
  [...str('env'), ...str('__indirect_function_table'), 1, FUNCREF, 0, 4],
  [...str('env'), ...str('__memory_base'), 3, I32, 0],
  [...str('env'), ...str('__table_base'), 3, I32, 0],
  [...str('GOT.mem'), ...str('data'), 3, I32, 1],
  [...str('GOT.func'), ...str('fn'), 3, I32, 1],
  [...str('env'), ...str('maybe'), 0, 1],
  [...str('env'), ...str('exc'), 4, 0, 2],
]));
const functions = section(3, vec([[0], [1], [0]]));
const tables = section(4, vec([[EXTERNREF, 1, 1, 2]]));
const tags = section(13, vec([[0, 0]]));
const globals = section(6, vec([
  [I32, 0, 0x41, 0x08, END],
  [I32, 0, 0x23, 0x00, 0x41, 0x10, 0x6a, END],  // extended const
  [I64, 1, 0x42, 0x7f, END],
  [0x7b, 0, 0xfd, 0x0c, ...new Array(16).fill(0), END],  // v128.const
  [FUNCREF, 0, 0xd2, 0x02, END],
]));
const exports = section(7, vec([
  [...str('__wasm_call_ctors'), 0, 1], [...str('weak_fn'), 0, 2], [...str('tls_var'), 3, 8],
  [...str('counter'), 3, 6],
]));
const start = section(8, [1]);
const off = [0x23, 0x01, END];
const elems = section(9, vec([
  [0, ...off, ...vec([[1], [2]])],
  [1, 0, ...vec([[3]])],
  [2, 0, ...off, 0, ...vec([[1]])],
  [3, 0, ...vec([[2]])],
  [4, ...off, ...vec([[0xd2, 1, END], [0xd0, FUNCREF, END]])],
  [5, FUNCREF, ...vec([[0xd2, 3, END]])],
  [6, 0, ...off, FUNCREF, ...vec([[0xd0, FUNCREF, END]])],
  [7, FUNCREF, ...vec([[0xd2, 2, END]])],
]));
const datacount = section(12, [3]);
const body = [2, 0, END];
const code = section(10, vec([body, [4, 0, 0x20, 0, END], body]));
const data = section(11, vec([
  [0, 0x23, 0x00, END, ...str('active')],
  [1, ...str('passive')],
  [2, 0, 0x41, 0x20, END, ...str('')],
]));
const names = custom('name', [
  ...sub(0, str('everything')),
  ...sub(1, vec([[0, ...str('maybe')], [1, ...str('ctors')], [3, ...str('last')]])),
  ...sub(2, vec([[1, ...vec([[0, ...str('x')]])]])),
  ...sub(7, vec([[0, ...str('__memory_base')], [6, ...str('counter')]])),
  ...sub(9, vec([[0, ...str('.data')], [2, ...str('.bss')]])),
]);

const seeds = {
  'everything.wasm': module(dylink, types, imports, functions, tables, tags, globals, exports,
                            start, elems, datacount, code, data, names,
                            custom('producers', [0])),
  'legacy_dylink.wasm': module(custom('dylink', [64, 3, 2, 0, ...vec([str('liba.so')])]),
                               section(1, vec([[0x60, 0, 0]]))),
  'memory64.wasm': module(section(5, vec([[0x05, 1, 2], [0x03, 1, 4]])),
                          section(11, vec([[0, 0x42, 0, END, ...str('x')]]))),
};
for (const [name, bytes] of Object.entries(seeds)) writeFileSync(join(here, name), bytes);
console.log(`wrote ${Object.keys(seeds).join(', ')} to ${here}`);
