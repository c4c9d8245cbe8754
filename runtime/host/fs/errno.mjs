// Error numbers of Emscripten 3.1.6's libc (the WASI numbering; the
// __syscall_* functions return them negated) and the file-system error type.
export const E = {
  ACCES: 2, AGAIN: 6, BADF: 8, BUSY: 10, EXIST: 20, FBIG: 22, INVAL: 28, IO: 29,
  ISDIR: 31, LOOP: 32, MFILE: 33, MLINK: 34, NAMETOOLONG: 37, NODEV: 43, NOENT: 44, NOSPC: 51,
  NOSYS: 52, NOTDIR: 54, PIPE: 64, NOTEMPTY: 55, NOTTY: 59, NXIO: 60, OVERFLOW: 61, PERM: 63,
  RANGE: 68, ROFS: 69, SPIPE: 70, XDEV: 75, NOTSUP: 138,
};

// Thrown inside the file system; the syscall layer turns it into -errno.
export class FsError extends Error {
  constructor(errno, what = '') {
    super(`file system error ${errno}${what ? `: ${what}` : ''}`);
    this.name = 'FsError';
    this.errno = errno;
  }
}

export const fail = (errno, what) => { throw new FsError(errno, what); };

// Node's error codes (node:fs) mapped to ours.
const NODE_CODES = {
  EACCES: E.ACCES, EAGAIN: E.AGAIN, EBADF: E.BADF, EBUSY: E.BUSY, EEXIST: E.EXIST,
  EFBIG: E.FBIG, EINVAL: E.INVAL, EIO: E.IO, EISDIR: E.ISDIR, ELOOP: E.LOOP, EMFILE: E.MFILE,
  EMLINK: E.MLINK, ENAMETOOLONG: E.NAMETOOLONG, ENOENT: E.NOENT, ENOSPC: E.NOSPC,
  ENOSYS: E.NOSYS, ENOTDIR: E.NOTDIR, ENOTEMPTY: E.NOTEMPTY, ENOTTY: E.NOTTY, ENXIO: E.NXIO,
  EOVERFLOW: E.OVERFLOW, EPERM: E.PERM, EPIPE: E.PIPE, ERANGE: E.RANGE, EROFS: E.ROFS, ESPIPE: E.SPIPE,
  EXDEV: E.XDEV, ENOTSUP: E.NOTSUP,
};

export function fromNodeError(e) {
  if (e instanceof FsError) return e;
  const errno = NODE_CODES[e && e.code];
  if (errno) return new FsError(errno, e.message);
  return new FsError(E.IO, e && e.message);
}
