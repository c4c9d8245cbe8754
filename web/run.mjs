// Runs a C/C++ program split into modules: creates a domain, loads the main
// module (its NEEDED closure and libstd come along), calls main(argc, argv)
// and returns the exit code, flushing stdio and running atexit handlers as
// exit() does.
//
//   const { exitCode } = await runProgram({ main: 'app/main.wasm', args: ['x'],
//                                           fetcher, searchPaths: [...] });
import { loadCore } from './core.mjs';
import { Domain, RTLD_GLOBAL, RTLD_NOW } from './domain.mjs';
import { createHost, ExitStatus } from '../runtime/host/index.mjs';

export async function createDomain({ fetcher, searchPaths = [], hostOptions = {}, onProgress,
                                      linker = {}, core } = {}) {
  core ??= await loadCore();
  const host = createHost(hostOptions);
  const domain = new Domain({ core, host, fetcher, onProgress, linker: { searchPaths, ...linker } });
  return { domain, host };
}

// Calls main of module `id` with argv; returns the exit code.
export function callMain(domain, host, id, args) {
  const exports = domain.exportsOf(id);
  const libstd = domain.libstd;
  const ctx = host.context;
  const entry = exports.__main_argc_argv ?? exports.main;
  let code;
  try {
    if (!entry) {
      // No main: the program is its constructors (they ran at load), and
      // ends with status 0, as under Emscripten.
      ctx.mainReturned = true;
      if (!ctx.hasPendingAsync?.()) libstd.lazylink_exit_runtime?.();
      return 0;
    }
    if (entry.length === 0) {
      code = entry();
    } else {
      const sp = libstd.stackSave();
      const argv = libstd.stackAlloc(4 * (args.length + 1)) >>> 0;
      args.forEach((a, i) => {
        const bytes = new TextEncoder().encode(a);
        const p = libstd.stackAlloc(bytes.length + 1) >>> 0;
        ctx.u8.set(bytes, p);
        ctx.u8[p + bytes.length] = 0;
        ctx.setU32(argv + 4 * i, p);
      });
      ctx.setU32(argv + 4 * args.length, 0);
      try {
        code = entry(args.length, argv);
      } finally {
        libstd.stackRestore(sp);
      }
    }
    ctx.mainReturned = true;
    // With callbacks still scheduled the runtime stays up (the runner ends
    // it once they are done).
    if (!ctx.hasPendingAsync?.()) libstd.lazylink_exit_runtime?.();
  } catch (e) {
    if (e instanceof ExitStatus) {
      ctx.cancelAsync?.();  // exit() ends the program: no callback runs after it
      return e.status;
    }
    // emscripten_exit_with_live_runtime() and a main loop that simulates an
    // infinite loop leave main this way: the event loop goes on.
    if (e && e.lazylinkUnwind) {
      ctx.mainReturned = true;
      return 0;
    }
    throw e;
  }
  return code;
}

export async function runProgram({ main, args = [], fetcher, searchPaths = [], hostOptions = {},
                                   preload = [], onProgress }) {
  const programName = main.split('/').pop();
  const { domain, host } = await createDomain({
    fetcher, searchPaths, onProgress, hostOptions: { ...hostOptions, args: [programName, ...args] },
  });
  for (const lib of preload) await domain.load(lib, RTLD_NOW | RTLD_GLOBAL);
  let id;
  try {
    id = await domain.load(main, RTLD_NOW | RTLD_GLOBAL);
  } catch (e) {
    if (e instanceof ExitStatus) return { exitCode: e.status, domain };
    throw e;
  }
  const exitCode = callMain(domain, host, id, [programName, ...args]);
  return { exitCode, domain };
}
