// Emscripten 3.1.6's file __syscall_* imports over the domain's FileSystem
// (vfs.mjs). Arguments are the ABI's: paths are C strings, 64-bit values
// come split in two i32 (low, high), and the variadic ones (open, openat,
// fcntl64, ioctl, fchmodat) take a pointer to their extra arguments.
// Results are >= 0 or -errno. Struct layouts (checked against the headers
// of the installed Emscripten): struct stat 88 bytes, struct dirent 280,
// struct statfs 64, struct timespec {i32 tv_sec; i32 tv_nsec}.
import { E, FsError } from './errno.mjs';
import { O } from './vfs.mjs';
import { fileSystem } from './index.mjs';

const ENV = 'env';
const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_REMOVEDIR = 0x200;
const AT_EACCESS = 0x200;
const AT_EMPTY_PATH = 0x1000;
const DIRENT_SIZE = 280;
const DT = { dir: 4, file: 8, link: 10, chr: 2 };
const TCGETS = 0x5401;
const TIOCGWINSZ = 0x5413;
const TIOCGPGRP = 0x540f;
const TIOCSPGRP = 0x5410;
const TCSETS = 0x5402;
const TCSETSW = 0x5403;
const TCSETSF = 0x5404;
const F = { DUPFD: 0, GETFD: 1, SETFD: 2, GETFL: 3, SETFL: 4, GETLK: 5, SETLK: 6, SETLKW: 7,
  SETOWN: 8, GETOWN: 9, GETOWN_EX: 16, DUPFD_CLOEXEC: 1030 };
const F_UNLCK = 2;
const UTIME_NOW = 0x3fffffff;
const UTIME_OMIT = 0x3ffffffe;

const i64 = (lo, hi) => (hi | 0) * 4294967296 + (lo >>> 0);

// Writes a stat record (struct stat, 88 bytes) at buf.
export function writeStat(ctx, buf, st) {
  ctx.u8.fill(0, buf, buf + 88);
  const dv = ctx.dv;
  const sec = (ms) => Math.floor(ms / 1000);
  const nsec = (ms) => Math.floor((ms - sec(ms) * 1000) * 1e6) | 0;
  dv.setUint32(buf + 0, st.dev >>> 0, true);
  dv.setUint32(buf + 8, st.ino >>> 0, true);  // __st_ino_truncated
  dv.setUint32(buf + 12, st.mode, true);
  dv.setUint32(buf + 16, st.nlink, true);
  dv.setUint32(buf + 20, st.uid, true);
  dv.setUint32(buf + 24, st.gid, true);
  dv.setUint32(buf + 28, st.rdev >>> 0, true);
  dv.setBigInt64(buf + 40, BigInt(st.size), true);
  dv.setUint32(buf + 48, st.blksize, true);
  dv.setUint32(buf + 52, st.blocks >>> 0, true);
  [[56, st.atime], [64, st.mtime], [72, st.ctime]].forEach(([off, ms]) => {
    dv.setInt32(buf + off, sec(ms), true);
    dv.setInt32(buf + off + 4, nsec(ms), true);
  });
  dv.setBigUint64(buf + 80, BigInt(st.ino), true);
}

export function fsSyscallFunctions(ctx) {
  const fs = () => fileSystem(ctx);
  const str = (p) => ctx.cstring(p >>> 0);
  const vararg = (p) => (p ? ctx.i32(p >>> 0) : 0);
  // Runs fn, turning an FsError into -errno.
  const sys = (name, sig, fn) => [ENV, name, sig, (...args) => {
    try {
      const r = fn(...args);
      return r === undefined ? 0 : r;
    } catch (e) {
      if (e instanceof FsError) return -e.errno;
      throw e;
    }
  }];
  const base = (dirfd, path) => fs().baseFor(dirfd | 0, path);
  const statAt = (dirfd, path, buf, flags) => {
    if (path === '') {
      if (!(flags & AT_EMPTY_PATH)) return -E.NOENT;
      writeStat(ctx, buf >>> 0, dirfd === AT_FDCWD ? fs().stat('.') : fs().fstat(dirfd));
      return 0;
    }
    writeStat(ctx, buf >>> 0, fs().stat(path, !(flags & AT_SYMLINK_NOFOLLOW), base(dirfd, path)));
    return 0;
  };
  const readlinkTo = (text, buf, size) => {
    if ((size | 0) <= 0) return -E.INVAL;
    const bytes = new TextEncoder().encode(text).subarray(0, size >>> 0);
    ctx.u8.set(bytes, buf >>> 0);
    return bytes.length;
  };
  const utimes = (dirfd, pathPtr, times, flags) => {
    const now = Date.now();
    let atime = now;
    let mtime = now;
    if (times) {
      const one = (p) => {
        const ns = ctx.i32(p + 4);
        if (ns === UTIME_NOW) return now;
        if (ns === UTIME_OMIT) return null;
        return ctx.i32(p) * 1000 + ns / 1e6;
      };
      atime = one(times >>> 0);
      mtime = one((times >>> 0) + 8);
    }
    if (!pathPtr) {
      fs().file(dirfd).node.utimes(atime, mtime);
      return 0;
    }
    const path = str(pathPtr);
    fs().utimes(path, atime, mtime, base(dirfd, path), !(flags & AT_SYMLINK_NOFOLLOW));
    return 0;
  };
  const statfs = (buf) => {
    buf >>>= 0;
    ctx.u8.fill(0, buf, buf + 64);
    ctx.setI32(buf + 4, 4096);       // f_bsize
    ctx.setI32(buf + 8, 1000000);    // f_blocks
    ctx.setI32(buf + 12, 500000);    // f_bfree
    ctx.setI32(buf + 16, 500000);    // f_bavail
    ctx.setI32(buf + 20, 1000000);   // f_files
    ctx.setI32(buf + 24, 1000000);   // f_ffree
    ctx.setI32(buf + 28, 42);        // f_fsid
    ctx.setI32(buf + 36, 255);       // f_namelen
    ctx.setI32(buf + 40, 4096);      // f_frsize
    ctx.setI32(buf + 44, 2);         // f_flags: ST_NOSUID
    return 0;
  };
  const exists = (path, dirfd = AT_FDCWD) => { fs().lookup(path, { base: base(dirfd, path) }); return 0; };

  return [
    sys('__syscall_open', 'iiii', (path, flags, va) => fs().open(str(path), flags, vararg(va))),
    sys('__syscall_openat', 'iiiii', (dirfd, path, flags, va) => {
      const p = str(path);
      return fs().open(p, flags, vararg(va), base(dirfd, p));
    }),
    sys('__syscall_stat64', 'iii', (path, buf) => statAt(AT_FDCWD, str(path), buf, 0)),
    sys('__syscall_lstat64', 'iii', (path, buf) => statAt(AT_FDCWD, str(path), buf, AT_SYMLINK_NOFOLLOW)),
    sys('__syscall_fstat64', 'iii', (fd, buf) => { writeStat(ctx, buf >>> 0, fs().fstat(fd)); }),
    sys('__syscall_fstatat64', 'iiiii', (dirfd, path, buf, flags) => statAt(dirfd, str(path), buf, flags)),
    sys('__syscall_getdents64', 'iiii', (fd, dirp, count) => {
      const file = fs().file(fd);
      if (file.node.kind !== 'dir') return -E.NOTDIR;
      const list = fs().listing(file);
      dirp >>>= 0;
      let idx = Math.floor(file.pos / DIRENT_SIZE);
      let used = 0;
      if (idx < list.length && (count >>> 0) < DIRENT_SIZE) return -E.INVAL;
      while (idx < list.length && used + DIRENT_SIZE <= (count >>> 0)) {
        const ent = list[idx];
        const p = dirp + used;
        ctx.u8.fill(0, p, p + DIRENT_SIZE);
        ctx.dv.setBigUint64(p, BigInt(ent.ino || idx + 1), true);
        ctx.dv.setBigInt64(p + 8, BigInt((idx + 1) * DIRENT_SIZE), true);
        ctx.dv.setUint16(p + 16, DIRENT_SIZE, true);
        ctx.u8[p + 18] = DT[ent.kind] ?? 0;
        const name = new TextEncoder().encode(ent.name).subarray(0, 255);
        ctx.u8.set(name, p + 19);
        used += DIRENT_SIZE;
        idx++;
      }
      file.pos = idx * DIRENT_SIZE;
      return used;
    }),
    sys('__syscall_mkdir', 'iii', (path, mode) => fs().mkdir(str(path), mode)),
    sys('__syscall_mkdirat', 'iiii', (dirfd, path, mode) => {
      const p = str(path);
      return fs().mkdir(p, mode, base(dirfd, p));
    }),
    sys('__syscall_rmdir', 'ii', (path) => fs().rmdir(str(path))),
    sys('__syscall_unlink', 'ii', (path) => fs().unlink(str(path))),
    sys('__syscall_unlinkat', 'iiii', (dirfd, path, flags) => {
      const p = str(path);
      if (flags & ~AT_REMOVEDIR) return -E.INVAL;
      return flags & AT_REMOVEDIR ? fs().rmdir(p, base(dirfd, p)) : fs().unlink(p, base(dirfd, p));
    }),
    sys('__syscall_rename', 'iii', (a, b) => fs().rename(str(a), str(b))),
    sys('__syscall_renameat', 'iiiii', (da, a, db, b) => {
      const pa = str(a);
      const pb = str(b);
      return fs().rename(pa, pb, base(da, pa), base(db, pb));
    }),
    // No hard links, as in Emscripten (libc's own link() says EMLINK too).
    sys('__syscall_link', 'iii', () => -E.MLINK),
    sys('__syscall_linkat', 'iiiiii', () => -E.MLINK),
    sys('__syscall_symlink', 'iii', (target, path) => fs().symlink(str(target), str(path))),
    sys('__syscall_symlinkat', 'iiii', (target, dirfd, path) => {
      const p = str(path);
      return fs().symlink(str(target), p, base(dirfd, p));
    }),
    sys('__syscall_readlink', 'iiii', (path, buf, size) => readlinkTo(fs().readlink(str(path)), buf, size)),
    sys('__syscall_readlinkat', 'iiiii', (dirfd, path, buf, size) => {
      const p = str(path);
      return readlinkTo(fs().readlink(p, base(dirfd, p)), buf, size);
    }),
    sys('__syscall_truncate64', 'iiii', (path, lo, hi) => fs().truncate(str(path), i64(lo, hi))),
    sys('__syscall_ftruncate64', 'iiii', (fd, lo, hi) => fs().ftruncate(fd, i64(lo, hi))),
    sys('__syscall_fallocate', 'iiiiiii', (fd, mode, olo, ohi, llo, lhi) => {
      const file = fs().file(fd);
      if (mode !== 0) return -E.NOTSUP;
      const end = i64(olo, ohi) + i64(llo, lhi);
      if (file.node.kind !== 'file') return -E.NODEV;
      if (end > fs().size(file)) fs().ftruncate(fd, end);
      return 0;
    }),
    // Advice is taken without looking at fd, as Emscripten's does.
    sys('__syscall_fadvise64_64', 'iiiiiii', () => 0),
    sys('__syscall_fdatasync', 'ii', (fd) => { fs().file(fd); }),
    sys('__syscall_mknod', 'iiii', (path, mode, dev) => fs().mknod(str(path), mode, dev)),
    sys('__syscall_mknodat', 'iiiii', (dirfd, path, mode, dev) => {
      const p = str(path);
      return fs().mknod(p, mode, dev, base(dirfd, p));
    }),
    sys('__syscall_pipe', 'ii', (fds) => {
      const [r, w] = fs().pipe();
      ctx.setI32(fds >>> 0, r);
      ctx.setI32((fds >>> 0) + 4, w);
    }),
    sys('__syscall_pipe2', 'iii', (fds, flags) => {
      if (flags & ~(O.CLOEXEC | O.NONBLOCK)) return -E.INVAL;
      const [r, w] = fs().pipe(flags);
      ctx.setI32(fds >>> 0, r);
      ctx.setI32((fds >>> 0) + 4, w);
    }),
    // struct pollfd {int fd; short events, revents;}. Never waits (one
    // thread: nothing else could make a descriptor ready meanwhile).
    sys('__syscall_poll', 'iiii', (fds, nfds) => {
      let ready = 0;
      for (let i = 0; i < nfds; i++) {
        const p = (fds >>> 0) + 8 * i;
        const events = ctx.dv.getInt16(p + 4, true);
        const mask = fs().pollMask(ctx.i32(p)) & (events | 0x8 | 0x10);  // as Emscripten filters
        ctx.dv.setInt16(p + 6, mask, true);
        if (mask) ready++;
      }
      return ready;
    }),
    sys('__syscall_dup', 'ii', (fd) => fs().dup(fd)),
    sys('__syscall_dup3', 'iiii', (fd, to, flags) => {
      if (flags & ~O.CLOEXEC) return -E.INVAL;
      return fs().dup3(fd, to, !!(flags & O.CLOEXEC));
    }),
    sys('__syscall_fcntl64', 'iiii', (fd, cmd, va) => {
      const f = fs();
      const file = f.file(fd);
      const entry = f.fds.get(fd);
      switch (cmd) {
        case F.DUPFD:
        case F.DUPFD_CLOEXEC: {
          const min = vararg(va);
          if (min < 0) return -E.INVAL;
          return f.dup(fd, min, cmd === F.DUPFD_CLOEXEC);
        }
        case F.GETFD: return entry.cloexec ? 1 : 0;
        case F.SETFD: entry.cloexec = !!(vararg(va) & 1); return 0;
        case F.GETFL: return file.flags;
        case F.SETFL: {
          const changeable = O.APPEND | O.NONBLOCK;
          file.flags = (file.flags & ~changeable) | (vararg(va) & changeable);
          return 0;
        }
        case F.GETLK: ctx.dv.setInt16(vararg(va) >>> 0, F_UNLCK, true); return 0;
        case F.SETLK:
        case F.SETLKW: return 0;  // one process: every lock is granted
        default: return -E.INVAL;
      }
    }),
    sys('__syscall_ioctl', 'iiii', (fd, op, va) => {
      const file = fs().file(fd);
      if (!file.handle?.tty) return -E.NOTTY;
      switch (op) {
        case TCGETS: case TCSETS: case TCSETSW: case TCSETSF: return 0;
        case TIOCGWINSZ: {
          const argp = vararg(va) >>> 0;
          if (argp) {
            ctx.dv.setUint16(argp, 24, true);
            ctx.dv.setUint16(argp + 2, 80, true);
            ctx.dv.setUint32(argp + 4, 0, true);
          }
          return 0;
        }
        case TIOCGPGRP: { const argp = vararg(va) >>> 0; if (argp) ctx.setI32(argp, 0); return 0; }
        case TIOCSPGRP: return 0;
        default: return -E.INVAL;
      }
    }),
    sys('__syscall_chdir', 'ii', (path) => fs().chdir(str(path))),
    sys('__syscall_fchdir', 'ii', (fd) => fs().fchdir(fd)),
    // Returns the length with the NUL, as the kernel's getcwd does.
    sys('__syscall_getcwd', 'iii', (buf, size) => {
      const bytes = new TextEncoder().encode(fs().getcwd());
      if ((size >>> 0) < bytes.length + 1) return -E.RANGE;
      ctx.u8.set(bytes, buf >>> 0);
      ctx.u8[(buf >>> 0) + bytes.length] = 0;
      return bytes.length + 1;
    }),
    sys('__syscall_faccessat', 'iiiii', (dirfd, path, amode, flags) => {
      if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS)) return -E.INVAL;
      const p = str(path);
      return fs().access(p, amode, base(dirfd, p), !(flags & AT_SYMLINK_NOFOLLOW));
    }),
    sys('__syscall_utimensat', 'iiiii', utimes),
    sys('__syscall_chmod', 'iii', (path, mode) => fs().chmod(str(path), mode)),
    sys('__syscall_fchmod', 'iii', (fd, mode) => fs().fchmod(fd, mode)),
    sys('__syscall_fchmodat', 'iiiii', (dirfd, path, mode) => {
      const p = str(path);
      return fs().chmod(p, mode, base(dirfd, p));
    }),
    // One user: ownership cannot change, but the path must exist.
    sys('__syscall_chown32', 'iiii', (path) => exists(str(path))),
    sys('__syscall_lchown32', 'iiii', (path) => { fs().lookup(str(path), { follow: false }); }),
    sys('__syscall_fchown32', 'iiii', (fd) => { fs().file(fd); }),
    sys('__syscall_fchownat', 'iiiiii', (dirfd, path) => exists(str(path), dirfd)),
    // Like Emscripten's: the figures are fixed and the path is not looked up
    // (its tests statvfs() a path that does not exist).
    sys('__syscall_statfs64', 'iiii', (path, size, buf) => statfs(buf)),
    sys('__syscall_fstatfs64', 'iiii', (fd, size, buf) => { fs().file(fd); return statfs(buf); }),
  ];
}

// The names this file implements (syscalls.mjs leaves them out of its stubs).
export const FILE_SYSCALLS = Object.freeze(['__syscall_open', '__syscall_openat',
  '__syscall_stat64', '__syscall_lstat64', '__syscall_fstat64', '__syscall_fstatat64',
  '__syscall_getdents64', '__syscall_mkdir', '__syscall_mkdirat', '__syscall_rmdir',
  '__syscall_unlink', '__syscall_unlinkat', '__syscall_rename', '__syscall_renameat',
  '__syscall_link', '__syscall_linkat', '__syscall_symlink', '__syscall_symlinkat', '__syscall_readlink', '__syscall_readlinkat',
  '__syscall_truncate64', '__syscall_ftruncate64', '__syscall_fallocate', '__syscall_fadvise64_64',
  '__syscall_fdatasync', '__syscall_pipe', '__syscall_pipe2', '__syscall_poll', '__syscall_mknod', '__syscall_mknodat', '__syscall_dup', '__syscall_dup3', '__syscall_fcntl64', '__syscall_ioctl',
  '__syscall_chdir', '__syscall_fchdir', '__syscall_getcwd', '__syscall_faccessat',
  '__syscall_utimensat', '__syscall_chmod', '__syscall_fchmod', '__syscall_fchmodat',
  '__syscall_chown32', '__syscall_lchown32', '__syscall_fchown32', '__syscall_fchownat',
  '__syscall_statfs64', '__syscall_fstatfs64']);
