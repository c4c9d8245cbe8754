// Emscripten's own EM_ASM / EM_JS test programs (tests/core of the
// installed emscripten package), each built as a lazylink side module the
// way docs/em-js.md says (scripts/em-side-module.mjs: emcc -sSIDE_MODULE=1
// -c, wasm-ld -shared, wasm-opt) and run by `lazylink run`; the output is compared with the
// test's .out file as Emscripten's test suite does (the expected text
// contained in stdout + stderr).
//
//   node scripts/em-asm-tests.mjs [--browser] [--only NAME,...] [--out DIR] [--verbose]
//
// emcc itself refuses these programs as side modules ("EM_ASM is not
// supported in side modules"), so Emscripten's dynamic linker runs none.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSideModule } from './em-side-module.mjs';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const core = '/usr/share/emscripten/tests/core';

// name, source, extra compile flags, transform of the source, expected exit
// status (as tests/test_core.py runs them: force_c builds the C variants; a
// transform applies to the source and the expected output alike).
const C = ['-x', 'c', '-std=gnu89'];
const CASES = [
  ['test_em_asm', 'test_em_asm.cpp', []],
  ['test_em_asm_c', 'test_em_asm.cpp', C],
  ['test_em_asm_2', 'test_em_asm_2.cpp', []],
  ['test_em_asm_2_c', 'test_em_asm_2.cpp', C],
  ['test_main_thread_em_asm', 'test_em_asm_2.cpp', [], (s) => s.replaceAll('EM_ASM', 'MAIN_THREAD_EM_ASM')],
  ['test_main_thread_em_asm_c', 'test_em_asm_2.cpp', C, (s) => s.replaceAll('EM_ASM', 'MAIN_THREAD_EM_ASM')],
  ['test_main_thread_async_em_asm', 'test_main_thread_async_em_asm.cpp', []],
  ['test_main_thread_async_em_asm_c', 'test_main_thread_async_em_asm.cpp', ['-x', 'c']],
  ['test_em_asm_signatures', 'test_em_asm_signatures.cpp', [], null, 'nonzero'],
  ['test_em_asm_unicode', 'test_em_asm_unicode.cpp', []],
  ['test_em_asm_unicode_c', 'test_em_asm_unicode.cpp', ['-x', 'c']],
  ['test_em_asm_types', 'test_em_asm_types.cpp', []],
  ['test_em_asm_types_c', 'test_em_asm_types.cpp', ['-x', 'c']],
  ['test_em_asm_unused_arguments', 'test_em_asm_unused_arguments.cpp', []],
  ['test_em_asm_parameter_pack', 'test_em_asm_parameter_pack.cpp', []],
  ['test_em_asm_arguments_side_effects', 'test_em_asm_arguments_side_effects.cpp', []],
  ['test_em_asm_arguments_side_effects_c', 'test_em_asm_arguments_side_effects.cpp', ['-x', 'c']],
  ['test_em_asm_direct', 'test_em_asm_direct.c', []],
  ['test_em_js', 'test_em_js.cpp', []],
  ['test_em_js_c', 'test_em_js.cpp', ['-x', 'c']],
  ['test_stackAlloc', 'stackAlloc.cpp', []],
  ['test_getValue_setValue', 'getValue_setValue.cpp', ['-DDIRECT']],
];

function parseArgs(argv) {
  const o = { browser: false, only: null, out: path.join(repo, 'build/em-asm-tests'), verbose: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--browser') o.browser = true;
    else if (argv[i] === '--only') o.only = argv[++i].split(',');
    else if (argv[i] === '--out') o.out = argv[++i];
    else if (argv[i] === '--verbose') o.verbose = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return o;
}

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });

const opts = parseArgs(process.argv.slice(2));
fs.mkdirSync(opts.out, { recursive: true });
let passed = 0;
let total = 0;
for (const [name, file, flags, transform, exit = 0] of CASES) {
  if (opts.only && !opts.only.includes(name)) continue;
  total++;
  let src = path.join(core, file);
  if (transform) {
    const copy = path.join(opts.out, `${name}${path.extname(file)}`);
    fs.writeFileSync(copy, transform(fs.readFileSync(src, 'utf8')));
    src = copy;
  }
  const wasm = path.join(opts.out, `${name}.wasm`);
  // test_core.py applies the same replacement to the expected output.
  let expected = fs.readFileSync(path.join(core, file.replace(/\.(c|cpp)$/, '.out')), 'utf8');
  if (transform) expected = transform(expected);
  const failed = buildSideModule({ sources: [src], flags, out: wasm });
  let problem = failed && `${failed.tool}: ${failed.output}`;
  let output = '';
  if (!problem) {
    // (Emscripten's JS under Node 20 wants --no-experimental-fetch; the
    // browser driver wants fetch.)
    const r = run(process.execPath, [...(opts.browser ? [] : ['--no-experimental-fetch']),
      path.join(repo, 'web/cli.mjs'), 'run', ...(opts.browser ? ['--browser'] : []), wasm],
    { env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
    output = r.stdout + r.stderr;
    if (exit === 'nonzero' ? r.status === 0 : r.status !== exit) problem = `exit status ${r.status}, expected ${exit}`;
    else if (!output.includes(expected.trimEnd())) problem = 'output differs';
  }
  if (!problem) passed++;
  console.log(`${problem ? 'FAIL' : 'PASS'} ${name}${problem ? `: ${problem.split('\n')[0]}` : ''}`);
  if (problem && opts.verbose) console.log(`--- expected\n${expected}--- got\n${output}---`);
}
console.log(`Emscripten EM_ASM/EM_JS tests (${opts.browser ? 'chromium' : 'node'}): ${passed} of ${total} passed`);
process.exit(passed === total ? 0 : 1);
