// What `lazylink run` does once it has a fetcher, in any realm (Node for
// `lazylink run`, a module Worker for `lazylink run --browser`): load the
// preloaded libraries and the main module, call main, and turn every way a
// program can end into an exit code and a message on stderr.
//
//   const code = await runCommandProgram({ fetcher, main: '/abs/app.wasm',
//     libs: [], searchPaths: ['/abs', '/repo/web/dist'], args: ['x'],
//     stdout: (t) => ..., stderr: (t) => ... });
//
// Exit codes (docs/cli-run.md):
//   the program's own   main's return value or exit()'s argument
//   127  EXIT_LINK      the program could not be loaded: missing module,
//                       undefined symbol, signature mismatch, corrupt module
//   134  EXIT_ABORT     abnormal end: abort(), an uncaught C++ exception,
//                       a trap (unreachable, out-of-bounds access, stack
//                       overflow), a longjmp to nowhere
//   70   EXIT_INTERNAL  lazylink itself failed
import { LinkError, RTLD_GLOBAL, RTLD_NOW } from './domain.mjs';
import { callMain, createDomain } from './run.mjs';
import { ExitStatus } from '../runtime/host/context.mjs';
import { describeUncaught } from '../runtime/host/exceptions.mjs';
import { CppException, LongjmpUnwind } from '../runtime/host/unwind.mjs';

export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;
export const EXIT_LINK = 127;
export const EXIT_ABORT = 134;

function baseName(p) {
  return p.split('/').pop();
}

// How the program ended, for an exception out of load or main.
export function exitFor(e, ctx, stderr) {
  // A failing constructor reaches us wrapped in a LinkError naming its module.
  const cause = e instanceof LinkError && e.cause !== undefined ? e.cause : null;
  const root = cause ?? e;
  // "libfoo.wasm: a constructor failed: ..." -> "libfoo.wasm: a constructor failed"
  const ctorAt = cause ? e.message.indexOf(': a constructor failed') : -1;
  const context = ctorAt >= 0 ? e.message.slice(0, ctorAt + ': a constructor failed'.length) : '';
  if (root instanceof ExitStatus) return root.status & 0xff;  // exit(), abort() (already reported)
  if (root instanceof CppException) {
    if (context) stderr(`lazylink: ${context}\n`);
    stderr(`${describeUncaught(ctx, root)}\n`);
    return EXIT_ABORT;
  }
  if (root instanceof LongjmpUnwind) {
    stderr(`lazylink: ${root.message}\n`);
    return EXIT_ABORT;
  }
  if (root instanceof WebAssembly.RuntimeError || root instanceof RangeError) {
    // A trap, or the engine's stack limit ("Maximum call stack size exceeded").
    const where = context ? `${context}: ` : '';
    stderr(`lazylink: ${where}the program trapped: ${root.message}\n`);
    return EXIT_ABORT;
  }
  if (e instanceof LinkError) {
    stderr(`lazylink: ${e.message}\n`);
    return EXIT_LINK;
  }
  stderr(`lazylink: internal error: ${e && e.stack ? e.stack : e}\n`);
  return EXIT_INTERNAL;
}

export async function runCommandProgram({ fetcher, main, libs = [], searchPaths = [], args = [],
                                          stdout, stderr, stdin = null, core, jsLibrary = [],
                                          mounts = [], cwd = null, linker = {} } = {}) {
  const programName = baseName(main);
  const argv = [programName, ...args];
  let domain;
  let host;
  try {
    ({ domain, host } = await createDomain({
      fetcher, searchPaths, core, linker,
      hostOptions: { args: argv, stdout, stderr, stdin, jsLibrary, mounts, cwd, consoleToStdio: true },
    }));
  } catch (e) {
    // A JS library that does not evaluate (runtime/host/em_js.mjs names it).
    if (!/^JS library /.test(e?.message ?? '')) throw e;
    stderr(`lazylink: ${e.message}\n`);
    return EXIT_LINK;
  }
  const ctx = host.context;
  // dlopen() from the program resolves relative to the main module.
  ctx.mainLocation = main;
  let id;
  try {
    for (const lib of libs) await domain.load(lib, RTLD_NOW | RTLD_GLOBAL);
    id = await domain.load(main, RTLD_NOW | RTLD_GLOBAL);
  } catch (e) {
    return exitFor(e, ctx, stderr);
  }
  try {
    const code = callMain(domain, host, id, argv);
    // Callbacks the program scheduled (emscripten_set_timeout,
    // emscripten_async_call, a main loop: runtime/host/library.mjs) run
    // after main returns, as under Emscripten; the program ends when none
    // is left or one of them ends it.
    if (ctx.hasPendingAsync?.()) {
      const done = await ctx.whenAsyncDone();
      if (done.error !== undefined) return exitFor(done.error, ctx, stderr);
      domain.libstd?.lazylink_exit_runtime?.();
    }
    return (code ?? 0) & 0xff;
  } catch (e) {
    return exitFor(e, ctx, stderr);
  } finally {
    ctx.cancelAsync?.();
  }
}
