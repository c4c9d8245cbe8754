// Builds a lazylink side module whose sources use EM_ASM / EM_JS, which
// `emcc -sSIDE_MODULE=1` refuses to link: each source compiled with
// `emcc -sSIDE_MODULE=1 -c`, linked with Emscripten's wasm-ld -shared (the
// flags emcc uses for side modules), then wasm-opt with the JS-interface
// legalization emcc applies without -sWASM_BIGINT (docs/em-js.md).
//
//   node scripts/em-side-module.mjs [compile flags...] SOURCES... [LIB.wasm...] -o OUT.wasm
//        [-sWASM_BIGINT] [-g] [-Wl,FLAG...]
//
// .c/.cpp/.cc sources are compiled (C++ with em++); .o files are linked as
// they are; .wasm inputs are side modules recorded as NEEDED. -O0..-Oz go
// to both the compile and wasm-opt (default -O2). Exits with the failing
// tool's status, its output on stderr.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const run = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });

// Emscripten's own wasm-ld and wasm-opt (em-config LLVM_ROOT / BINARYEN_ROOT).
export function emTool(name) {
  const r = run('em-config', [name === 'wasm-ld' ? 'LLVM_ROOT' : 'BINARYEN_ROOT']);
  const root = r.status === 0 ? r.stdout.trim() : '';
  for (const p of [path.join(root, name), path.join(root, 'bin', name)]) if (root && fs.existsSync(p)) return p;
  return name;
}

export const WASM_LD_FLAGS = ['-shared', '--experimental-pic', '--import-undefined', '--import-memory',
  '--export-dynamic', '--no-gc-sections', '--export-if-defined=main', '--export-if-defined=__main_argc_argv',
  '--export-if-defined=__start_em_asm', '--export-if-defined=__stop_em_asm',
  '--export-if-defined=__wasm_call_ctors'];
export const LEGALIZE_FLAGS = ['--legalize-js-interface', '--pass-arg=legalize-js-interface-export-originals'];

// Returns null, or { tool, status, output } of the step that failed.
export function buildSideModule({ sources, flags = [], out, opt = '-O2', bigint = false, debug = false,
                                  names = false, ldFlags = [], tmpDir = path.dirname(out) }) {
  fs.mkdirSync(tmpDir, { recursive: true });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const objects = [];
  const libs = [];
  for (const [i, src] of sources.entries()) {
    if (src.endsWith('.wasm')) {
      libs.push(src);
      continue;
    }
    if (src.endsWith('.o')) {
      objects.push(src);
      continue;
    }
    const obj = path.join(tmpDir, `${path.basename(out, '.wasm')}.${i}.${path.basename(src)}.o`);
    const cxx = /\.(cpp|cc|cxx|C)$/.test(src) && !flags.includes('c');
    const r = run(cxx ? 'em++' : 'emcc', ['-sSIDE_MODULE=1', opt, ...(debug ? ['-g'] : []), '-c', ...flags, src,
      '-o', obj]);
    if (r.status !== 0) return { tool: cxx ? 'em++' : 'emcc', status: r.status ?? 1, output: r.stdout + r.stderr };
    objects.push(obj);
  }
  let r = run(emTool('wasm-ld'), [...WASM_LD_FLAGS, ...(debug ? [] : ['--strip-debug']), ...ldFlags,
    ...objects, ...libs, '-o', out]);
  if (r.status !== 0) return { tool: 'wasm-ld', status: r.status ?? 1, output: r.stdout + r.stderr };
  r = run(emTool('wasm-opt'), [out, '-o', out, opt === '-O0' ? '-O0' : opt, '--detect-features',
    // --debuginfo keeps the name section (function names, as emcc's
    // --profiling-funcs does); DWARF is gone already without -g.
    ...(debug || names ? ['--debuginfo'] : []), ...(bigint ? [] : LEGALIZE_FLAGS)]);
  if (r.status !== 0) return { tool: 'wasm-opt', status: r.status ?? 1, output: r.stdout + r.stderr };
  return null;
}

function main(argv) {
  let out = null;
  let opt = '-O2';
  let bigint = false;
  let debug = false;
  let names = false;
  const flags = [];
  const sources = [];
  const ldFlags = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-o') out = argv[++i];
    else if (/^-O[0-3sz]$/.test(a)) opt = a;
    else if (a === '-sWASM_BIGINT' || a === '-sWASM_BIGINT=1') bigint = true;
    else if (a === '-g') debug = true;
    else if (a === '--profiling-funcs') names = true;
    else if (a.startsWith('-Wl,')) ldFlags.push(...a.slice(4).split(','));
    else if (a === '-x' || a === '-I' || a === '-D' || a === '-include') flags.push(a, argv[++i]);
    else if (a.startsWith('-')) flags.push(a);
    else sources.push(a);
  }
  if (!out || !sources.length) {
    process.stderr.write('usage: node scripts/em-side-module.mjs [flags...] SOURCES... [LIB.wasm...] -o OUT.wasm\n');
    return 2;
  }
  const failed = buildSideModule({ sources, flags, out, opt, bigint, debug, names, ldFlags });
  if (failed) {
    process.stderr.write(`em-side-module: ${failed.tool} failed\n${failed.output}`);
    return failed.status || 1;
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  process.exit(main(process.argv.slice(2)));
}
