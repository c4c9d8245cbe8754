// WASI preview 1, as libstd (Emscripten's libc) uses it: stdio on fds 0-2,
// environ, args, clocks, randomness, exit. There is no file system: other
// fds are EBADF. See docs/runtime.md for the full list. Functions with i64
// parameters accept both the BIGINT and the legalized (split) form.
import { EBADF, ESPIPE, ExitStatus } from './context.mjs';

const WASI = 'wasi_snapshot_preview1';

export function wasiFunctions(ctx) {
  const iovs = (iov, count) => {
    const out = [];
    for (let i = 0; i < count; i++) out.push([ctx.u32(iov + 8 * i), ctx.u32(iov + 8 * i + 4)]);
    return out;
  };
  const strings = (list) => list.map((s) => new TextEncoder().encode(s + '\0'));
  const sizesGet = (list) => (countPtr, sizePtr) => {
    const enc = strings(list());
    ctx.setU32(countPtr, enc.length);
    ctx.setU32(sizePtr, enc.reduce((n, b) => n + b.length, 0));
    return 0;
  };
  const get = (list) => (ptrs, buf) => {
    let p = buf;
    strings(list()).forEach((b, i) => {
      ctx.setU32(ptrs + 4 * i, p);
      ctx.u8.set(b, p);
      p += b.length;
    });
    return 0;
  };
  const environ = () => Object.entries(ctx.env).map(([k, v]) => `${k}=${v}`);
  const args = () => ctx.args;
  let stdinBuffer = new Uint8Array(0);

  return [
    [WASI, 'fd_write', 'iiiii', (fd, iov, count, nwritten) => {
      if (fd !== 1 && fd !== 2) return EBADF;
      let total = 0;
      for (const [ptr, len] of iovs(iov, count)) {
        ctx.writeFd(fd, ctx.u8.slice(ptr, ptr + len));
        total += len;
      }
      ctx.setU32(nwritten, total);
      return 0;
    }],
    [WASI, 'fd_read', 'iiiii', (fd, iov, count, nread) => {
      if (fd !== 0) return EBADF;
      let total = 0;
      for (const [ptr, len] of iovs(iov, count)) {
        if (stdinBuffer.length === 0) {
          const chunk = ctx.stdin ? ctx.stdin() : null;
          if (!chunk || chunk.length === 0) break;
          stdinBuffer = chunk;
        }
        const n = Math.min(len, stdinBuffer.length);
        ctx.u8.set(stdinBuffer.subarray(0, n), ptr);
        stdinBuffer = stdinBuffer.subarray(n);
        total += n;
        if (n < len) break;
      }
      ctx.setU32(nread, total);
      return 0;
    }],
    [WASI, 'fd_close', 'ii', (fd) => (fd <= 2 ? 0 : EBADF)],
    [WASI, 'fd_seek', '', (fd) => (fd <= 2 ? ESPIPE : EBADF)],
    [WASI, 'fd_sync', 'ii', (fd) => (fd <= 2 ? 0 : EBADF)],
    [WASI, 'fd_pread', '', () => EBADF],
    [WASI, 'fd_pwrite', '', () => EBADF],
    [WASI, 'fd_fdstat_get', 'iii', (fd, stat) => {
      if (fd > 2) return EBADF;
      // filetype character device, no flags, all rights.
      ctx.u8.fill(0, stat, stat + 24);
      ctx.u8[stat] = 2;
      ctx.setI64(stat + 8, -1n);
      ctx.setI64(stat + 16, -1n);
      return 0;
    }],
    [WASI, 'environ_sizes_get', 'iii', sizesGet(environ)],
    [WASI, 'environ_get', 'iii', get(environ)],
    [WASI, 'args_sizes_get', 'iii', sizesGet(args)],
    [WASI, 'args_get', 'iii', get(args)],
    [WASI, 'clock_time_get', '', (id, ...rest) => {
      // (id, precision: i64, out), with precision split in two without BIGINT.
      const out = rest[rest.length - 1];
      const ns = id === 0 ? BigInt(Date.now()) * 1000000n
                          : BigInt(Math.round(performance.now() * 1e6));
      ctx.setI64(out, ns);
      return 0;
    }],
    [WASI, 'clock_res_get', 'iii', (id, out) => { ctx.setI64(out, 1000n); return 0; }],
    [WASI, 'random_get', 'iii', (buf, len) => {
      crypto.getRandomValues(ctx.u8.subarray(buf, buf + len));
      return 0;
    }],
    [WASI, 'proc_exit', 'vi', (code) => { throw new ExitStatus(code); }],
    [WASI, 'sched_yield', 'i', () => 0],
  ];
}
