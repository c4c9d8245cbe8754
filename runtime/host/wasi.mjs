// WASI preview 1, as libstd (Emscripten's libc) uses it: descriptors of the
// domain's file system (fs/vfs.mjs; stdio on fds 0-2), environ, args,
// clocks, randomness, exit. See docs/runtime.md for the full list. Functions
// with i64 parameters accept both the BIGINT and the legalized (split) form.
import { EBADF, EINVAL, ExitStatus } from './context.mjs';
import { FsError } from './fs/errno.mjs';
import { fileSystem } from './fs/index.mjs';

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
  const fs = () => fileSystem(ctx);
  // Runs fn, turning an FsError into its errno (WASI returns it as is).
  const call = (fn) => (...args) => {
    try {
      return fn(...args) ?? 0;
    } catch (e) {
      if (e instanceof FsError) return e.errno;
      throw e;
    }
  };
  // i64 parameters: one BigInt, or (low, high) without BIGINT.
  const offsetArg = (args, at) => (typeof args[at] === 'bigint'
    ? [Number(args[at]), at + 1] : [(args[at + 1] | 0) * 4294967296 + (args[at] >>> 0), at + 2]);
  const transfer = (fd, iov, count, at, write) => {
    let total = 0;
    for (const [ptr, len] of iovs(iov >>> 0, count)) {
      if (len === 0) continue;
      const view = ctx.u8.subarray(ptr, ptr + len);
      const n = write ? fs().write(fd, view, at === null ? null : at + total)
        : fs().read(fd, view, at === null ? null : at + total);
      total += n;
      if (n < len) break;
    }
    return total;
  };
  const FILETYPE = { dir: 3, file: 4, link: 7 };
  const FILESTAT_TYPE = { dir: 3, file: 4, link: 7, chr: 2 };

  return [
    [WASI, 'fd_write', 'iiiii', call((fd, iov, count, nwritten) => {
      ctx.setU32(nwritten, transfer(fd, iov, count, null, true));
    })],
    [WASI, 'fd_read', 'iiiii', call((fd, iov, count, nread) => {
      ctx.setU32(nread, transfer(fd, iov, count, null, false));
    })],
    [WASI, 'fd_pwrite', '', call((fd, iov, count, ...rest) => {
      const [at, next] = offsetArg(rest, 0);
      if (at < 0) return EINVAL;
      ctx.setU32(rest[next], transfer(fd, iov, count, at, true));
    })],
    [WASI, 'fd_pread', '', call((fd, iov, count, ...rest) => {
      const [at, next] = offsetArg(rest, 0);
      if (at < 0) return EINVAL;
      ctx.setU32(rest[next], transfer(fd, iov, count, at, false));
    })],
    [WASI, 'fd_close', 'ii', call((fd) => fs().close(fd))],
    // (fd, offset: i64, whence, newoffset*)
    [WASI, 'fd_seek', '', call((fd, ...rest) => {
      const [offset, next] = offsetArg(rest, 0);
      const pos = fs().seek(fd, offset, rest[next]);
      ctx.setI64(rest[next + 1], pos);
    })],
    [WASI, 'fd_tell', 'iii', call((fd, out) => { ctx.setI64(out, fs().seek(fd, 0, 1)); })],
    [WASI, 'fd_sync', 'ii', call((fd) => { fs().file(fd); })],
    [WASI, 'fd_datasync', 'ii', call((fd) => { fs().file(fd); })],
    [WASI, 'fd_fdstat_get', 'iii', call((fd, stat) => {
      const file = fs().file(fd);
      // Like Emscripten: only terminals are character devices (isatty()).
      const type = file.handle?.tty ? 2 : FILETYPE[file.node.kind] ?? 4;
      ctx.u8.fill(0, stat, stat + 24);
      ctx.u8[stat] = type;
      ctx.dv.setUint16(stat + 2, (file.flags & 0o2000 ? 1 : 0) | (file.flags & 0o4000 ? 4 : 0), true);
      ctx.setI64(stat + 8, -1n);
      ctx.setI64(stat + 16, -1n);
    })],
    [WASI, 'fd_fdstat_set_flags', 'iii', call((fd, flags) => {
      const file = fs().file(fd);
      file.flags = (file.flags & ~0o6000) | (flags & 1 ? 0o2000 : 0) | (flags & 4 ? 0o4000 : 0);
    })],
    // struct filestat: dev u64, ino u64, filetype u8 (@16), nlink u64 (@24),
    // size u64 (@32), atim, mtim, ctim u64 ns (@40, @48, @56).
    [WASI, 'fd_filestat_get', 'iii', call((fd, out) => {
      const st = fs().fstat(fd);
      const file = fs().file(fd);
      ctx.u8.fill(0, out, out + 64);
      ctx.setI64(out, st.dev);
      ctx.setI64(out + 8, st.ino);
      ctx.u8[out + 16] = FILESTAT_TYPE[file.node.kind] ?? 0;
      ctx.setI64(out + 24, st.nlink);
      ctx.setI64(out + 32, st.size);
      [st.atime, st.mtime, st.ctime].forEach((ms, i) => ctx.setI64(out + 40 + 8 * i, BigInt(Math.round(ms)) * 1000000n));
    })],
    [WASI, 'fd_filestat_set_size', '', call((fd, ...rest) => fs().ftruncate(fd, offsetArg(rest, 0)[0]))],
    // No preopened directories: Emscripten's libc opens by absolute path
    // (__syscall_open), so descriptors start at 3 as they do under emcc.
    [WASI, 'fd_prestat_get', 'iii', () => EBADF],
    [WASI, 'fd_prestat_dir_name', 'iiii', () => EBADF],
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
