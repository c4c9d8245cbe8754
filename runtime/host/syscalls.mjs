// Emscripten 3.1.6's libc forwards POSIX calls it cannot do in wasm to its
// JS runtime as __syscall_* and a few named imports. lazylink has no file
// system, processes, sockets or signals: those return -ENOSYS (or the errno
// the ABI expects, e.g. ENOENT for opening a path) and report themselves by
// name on stderr the first time. stdio (fds 0-2) behaves as a terminal.
// The list is documented in docs/runtime.md.
import { ENOENT, ENOSYS, ENOTTY, EBADF } from './context.mjs';

const ERANGE = 68;

const ENV = 'env';
const TCGETS = 0x5401;
const TIOCGWINSZ = 0x5413;
const F_GETFL = 3;
const O_RDWR = 2;

// name -> sig, for calls that only ever fail here.
const UNSUPPORTED = {
  __syscall__newselect: 'iiiiii', __syscall_accept4: 'iiiiiii', __syscall_acct: 'ii',
  __syscall_chdir: 'ii', __syscall_chmod: 'iii', __syscall_chown32: 'iiii', __syscall_dup: 'ii',
  __syscall_dup3: 'iiii', __syscall_faccessat: 'iiiii', __syscall_fadvise64_64: 'iiiiiii',
  __syscall_fallocate: 'iiiiiii', __syscall_fchdir: 'ii', __syscall_fchmod: 'iii',
  __syscall_fchmodat: 'iiiii', __syscall_fchown32: 'iiii', __syscall_fchownat: 'iiiiii',
  __syscall_fdatasync: 'ii', __syscall_fstatat64: 'iiiii', __syscall_fstatfs64: 'iiii',
  __syscall_ftruncate64: 'iiii', __syscall_getdents64: 'iiii', __syscall_getgroups32: 'iii',
  __syscall_getitimer: 'iii', __syscall_getpgid: 'ii', __syscall_getpriority: 'iii',
  __syscall_getresgid32: 'iiii', __syscall_getresuid32: 'iiii', __syscall_getrusage: 'iii',
  __syscall_getsid: 'ii', __syscall_lchown32: 'iiii', __syscall_link: 'iii',
  __syscall_linkat: 'iiiiii', __syscall_lstat64: 'iii', __syscall_madvise: 'iiii',
  __syscall_mincore: 'iiii', __syscall_mkdir: 'iii', __syscall_mkdirat: 'iiii',
  __syscall_mknod: 'iiii', __syscall_mknodat: 'iiiii', __syscall_mlock: 'iii',
  __syscall_mlockall: 'ii', __syscall_mprotect: 'iiii', __syscall_mremap: 'iiiiii',
  __syscall_munlock: 'iii', __syscall_munlockall: 'i', __syscall_pause: 'i', __syscall_pipe: 'ii',
  __syscall_pipe2: 'iii', __syscall_poll: 'iiii', __syscall_prlimit64: 'iiiii',
  __syscall_pselect6: 'iiiiiii', __syscall_readlink: 'iiii', __syscall_readlinkat: 'iiiii',
  __syscall_recvmmsg: 'iiiiii', __syscall_rename: 'iii', __syscall_renameat: 'iiiii',
  __syscall_rmdir: 'ii', __syscall_sendmmsg: 'iiiiii', __syscall_setdomainname: 'iii',
  __syscall_setitimer: 'iiii', __syscall_setpgid: 'iii', __syscall_setpriority: 'iiii',
  __syscall_setrlimit: 'iii', __syscall_setsid: 'i', __syscall_statfs64: 'iiii',
  __syscall_symlink: 'iii', __syscall_symlinkat: 'iiii', __syscall_sync: 'i',
  __syscall_truncate64: 'iiii', __syscall_ugetrlimit: 'iii', __syscall_unlink: 'ii',
  __syscall_unlinkat: 'iiii', __syscall_utimensat: 'iiiii', __syscall_wait4: 'iiiii',
  _mmap_js: 'iiiiiiii', _munmap_js: 'iiiiiii', _msync_js: 'iiiii',
};

// C functions Emscripten's libc leaves to the runtime, with C's error
// conventions: name -> [sig, what the stub does].
const ENOEXEC = 45;
const EAI_FAIL = -4;
const C_FUNCTIONS = {
  // -1 with errno set.
  accept: ['iiii', 'errno'], bind: ['iiii', 'errno'], connect: ['iiii', 'errno'],
  recv: ['iiiii', 'errno'], recvfrom: ['iiiiiii', 'errno'], send: ['iiiii', 'errno'],
  sendto: ['iiiiiii', 'errno'], setsockopt: ['iiiiii', 'errno'], socket: ['iiii', 'errno'],
  execve: ['iiii', 'errno', ENOEXEC], fork: ['i', 'errno'],
  // The error number as the result; *result (5th argument) = NULL.
  getpwnam_r: ['iiiiii', 'result'], getpwuid_r: ['iiiiii', 'result'],
  // An EAI_* code.
  getnameinfo: ['iiiiiiii', 'eai'],
  // NULL with errno set (musl's time zone code then uses UTC).
  __map_file: ['iii', 'null'],
};

export const UNSUPPORTED_CALLS = Object.freeze(Object.keys(UNSUPPORTED));

export function syscallFunctions(ctx) {
  const out = Object.entries(UNSUPPORTED).map(([name, sig]) => [ENV, name, sig, () => {
    ctx.warnOnce(name, `${name} is not supported in lazylink (no file system, processes, sockets or signals): returning -ENOSYS`);
    return -ENOSYS;
  }]);
  const setErrno = (code) => {
    const where = ctx.libstd && ctx.libstd.__errno_location;
    if (where) ctx.setI32(where() >>> 0, code);
  };
  for (const [name, [sig, style, errno = ENOSYS]] of Object.entries(C_FUNCTIONS)) {
    out.push([ENV, name, sig, (...args) => {
      ctx.warnOnce(name, `${name}() is not supported in lazylink (no processes, sockets, user database or files): it fails`);
      switch (style) {
        case 'result':
          if (args[4]) ctx.setU32(args[4] >>> 0, 0);
          return ENOSYS;
        case 'eai':
          return EAI_FAIL;
        case 'null':
          setErrno(errno);
          return 0;
        default:
          setErrno(errno);
          return -1;
      }
    }]);
  }
  const isStdio = (fd) => fd >= 0 && fd <= 2;
  out.push(
    [ENV, '__syscall_open', 'iiii', (path) => {
      ctx.warnOnce('open', `open("${ctx.cstring(path)}"): lazylink has no file system: returning -ENOENT`);
      return -ENOENT;
    }],
    [ENV, '__syscall_openat', 'iiiii', (dirfd, path) => {
      ctx.warnOnce('open', `open("${ctx.cstring(path)}"): lazylink has no file system: returning -ENOENT`);
      return -ENOENT;
    }],
    [ENV, '__syscall_stat64', 'iii', (path) => {
      ctx.warnOnce('stat', `stat("${ctx.cstring(path)}"): lazylink has no file system: returning -ENOENT`);
      return -ENOENT;
    }],
    [ENV, '__syscall_ioctl', 'iiii', (fd, op, argp) => {
      if (!isStdio(fd)) return -EBADF;
      if (op === TCGETS) return 0;  // stdio is a terminal: line-buffered stdout
      if (op === TIOCGWINSZ) {
        ctx.dv.setUint16(argp, 24, true);
        ctx.dv.setUint16(argp + 2, 80, true);
        return 0;
      }
      return -ENOTTY;
    }],
    [ENV, '__syscall_fcntl64', 'iiii', (fd, cmd) => {
      if (!isStdio(fd)) return -EBADF;
      return cmd === F_GETFL ? O_RDWR : 0;
    }],
    [ENV, '__syscall_fstat64', 'iii', (fd, buf) => {
      if (!isStdio(fd)) return -EBADF;
      ctx.u8.fill(0, buf, buf + 88);  // sizeof(struct stat) in Emscripten 3.1.6
      ctx.setU32(buf + 12, 0o20666);  // st_mode: character device, rw
      ctx.setU32(buf + 48, 4096);     // st_blksize
      return 0;
    }],
    [ENV, '__syscall_umask', 'ii', () => 0o022],
    // The only directory there is: "/". Returns the length with the NUL, as
    // the kernel's getcwd does.
    [ENV, '__syscall_getcwd', 'iii', (buf, size) => {
      if ((size >>> 0) < 2) return -ERANGE;
      ctx.writeCString(buf, '/');
      return 2;
    }],
    [ENV, '__syscall_uname', 'ii', (buf) => {
      // struct utsname: 6 fields of 65 bytes. libstd's own (libstubs.a)
      // answers first; this is the same answer: release "1.0" as in
      // Emscripten 3.1.6, no domain name.
      const fields = ['Emscripten', 'emscripten', '1.0', '#1', 'wasm32', ''];
      fields.forEach((f, i) => ctx.writeCString(buf + 65 * i, f));
      return 0;
    }],
    [ENV, '__syscall_getuid32', 'i', () => 0],
    [ENV, '__syscall_geteuid32', 'i', () => 0],
    [ENV, '__syscall_getgid32', 'i', () => 0],
    [ENV, '__syscall_getegid32', 'i', () => 0],
    [ENV, '__syscall_getppid', 'i', () => 1],
    [ENV, '__call_sighandler', 'vii', (fp, sig) => ctx.domain.table.get(fp)(sig)],
  );
  return out;
}
