// Emscripten 3.1.6's libc forwards POSIX calls it cannot do in wasm to its
// JS runtime as __syscall_* and a few named imports. The file system's
// calls are in fs/syscalls.mjs (one file system per domain; stdio on fds
// 0-2 behaves as a terminal). lazylink has no processes, sockets or
// signals: those return -ENOSYS and report themselves by name on stderr
// the first time.
// The list is documented in docs/runtime.md.
import { ENOSYS } from './context.mjs';
import { FILE_SYSCALLS, fsSyscallFunctions } from './fs/syscalls.mjs';

const ENV = 'env';

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

export const UNSUPPORTED_CALLS = Object.freeze(Object.keys(UNSUPPORTED).filter((n) => !FILE_SYSCALLS.includes(n)));

export function syscallFunctions(ctx) {
  const stubs = Object.entries(UNSUPPORTED).filter(([name]) => !FILE_SYSCALLS.includes(name));
  const out = stubs.map(([name, sig]) => [ENV, name, sig, () => {
    ctx.warnOnce(name, `${name} is not supported in lazylink (no processes, sockets or signals): returning -ENOSYS`);
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
  // The file system's calls (open, stat, readdir, ...): fs/syscalls.mjs.
  out.push(...fsSyscallFunctions(ctx));
  out.push(
    [ENV, '__syscall_umask', 'ii', () => 0o022],
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
