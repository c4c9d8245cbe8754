// The `env` functions Emscripten 3.1.6's libc expects from its JS runtime:
// memory growth, copies, time, exit/abort, temp-ret, console output.
// Exceptions, setjmp/longjmp, syscalls, time zones and dlopen live in their
// own files.
import { ExitStatus } from './context.mjs';

const ENV = 'env';
const PAGE = 65536;

export function emscriptenFunctions(ctx) {
  const heapMax = () => ctx.domain.maxMemoryPages * PAGE;
  return [
    [ENV, 'emscripten_memcpy_big', 'iiii', (dest, src, num) => {
      ctx.u8.copyWithin(dest, src, src + num);
      return dest;
    }],
    [ENV, 'emscripten_get_heap_max', 'i', () => heapMax()],
    // Emscripten's growth rule (library.js, ALLOW_MEMORY_GROWTH): over-grow
    // geometrically (capped) or linearly, to a whole page, within the
    // maximum; if the engine refuses, try a half and a quarter of the step.
    [ENV, 'emscripten_resize_heap', 'ii', (requested) => {
      requested >>>= 0;
      const memory = ctx.domain.memory;
      const old = memory.buffer.byteLength;
      const max = heapMax();
      if (requested > max) return 0;
      const { geometricStep, geometricCap, linearStep } = ctx.domain.memoryGrowth;
      for (let cutDown = 1; cutDown <= 4; cutDown *= 2) {
        let over;
        if (linearStep > 0) {
          over = old + linearStep / cutDown;
        } else {
          over = old * (1 + geometricStep / cutDown);
          if (geometricCap) over = Math.min(over, requested + geometricCap);
        }
        const size = Math.min(max, Math.ceil(Math.max(requested, over) / PAGE) * PAGE);
        try {
          if (size > old) memory.grow((size - old) / PAGE);
          return 1;
        } catch {
          // too much for the engine now: a smaller step
        }
      }
      return 0;
    }],
    [ENV, 'emscripten_get_now', 'd', () => performance.now()],
    [ENV, 'abort', 'v', () => ctx.abort('abort() called')],
    // C's exit(): Emscripten's libc leaves it to the runtime. Like exit(3):
    // atexit handlers and static destructors (lazylink_exit_runtime in
    // libstd), stdio flushed, then the program ends with `code`. An exit()
    // from an atexit handler ends at once.
    [ENV, 'exit', 'vi', (code) => {
      if (!ctx.exiting) {
        ctx.exiting = true;
        ctx.libstd?.lazylink_exit_runtime?.();
      }
      throw new ExitStatus(code);
    }],
    [ENV, 'getTempRet0', 'i', () => ctx.tempRet0],
    [ENV, 'setTempRet0', 'vi', (v) => { ctx.tempRet0 = v; }],
    // emscripten_console_log/_warn/_error and _emscripten_out/_err are
    // libstd's (runtime/libstd/lazylink_runtime.c), on this one function:
    // kind 0 log, 1 warn, 2 error (the JS console), 3 stdout, 4 stderr.
    [ENV, '_lazylink_console_js', 'vii', (kind, p) => {
      const text = ctx.cstring(p);
      if (kind === 0) console.log(text);
      else if (kind === 1) console.warn(text);
      else if (kind === 2) console.error(text);
      else if (kind === 3) ctx.stdout(text + '\n');
      else ctx.stderr(text + '\n');
    }],
    [ENV, '_emscripten_get_progname', 'vii', (buf, len) => {
      const name = ctx.args[0] ?? 'program';
      const bytes = new TextEncoder().encode(name).subarray(0, Math.max(0, len - 1));
      ctx.u8.set(bytes, buf);
      ctx.u8[buf + bytes.length] = 0;
    }],
    [ENV, 'getentropy', 'iii', (buf, len) => {
      crypto.getRandomValues(ctx.u8.subarray(buf, buf + len));
      return 0;
    }],
  ];
}
