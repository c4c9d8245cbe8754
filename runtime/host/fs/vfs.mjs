// One POSIX file system per application domain: an in-memory tree (memfs.mjs)
// with host directories mounted into it (node.mjs, Node only), a working
// directory and a descriptor table. wasi.mjs and syscalls.mjs put the WASI
// preview 1 and Emscripten 3.1.6 __syscall_* ABIs on top; everything here
// works with JS values and throws FsError(errno).
//
// The initial tree is the one an Emscripten program sees: /tmp,
// /home/web_user, /dev (null, zero, tty, random, urandom, stdin, stdout,
// stderr, shm/tmp) and /proc/self/fd. Descriptors 0-2 are the terminal
// (the host's stdin, stdout and stderr); new descriptors take the lowest
// free number, from 3.
import { E, FsError, fail } from './errno.mjs';
import { MemDevice, MemDir, MemFile, MemLink, S_IFDIR, S_IFMT, S_IFREG } from './memfs.mjs';

export const O = {
  ACCMODE: 3, WRONLY: 1, RDWR: 2, CREAT: 0o100, EXCL: 0o200, TRUNC: 0o1000, APPEND: 0o2000,
  NONBLOCK: 0o4000, DIRECTORY: 0o200000, NOFOLLOW: 0o400000, CLOEXEC: 0o2000000, PATH: 0o10000000,
};
const MAX_SYMLINKS = 40;
const MAX_FDS = 4096;

// An open file description (shared by dup'ed descriptors).
class OpenFile {
  constructor(node, flags, stack, handle) {
    this.node = node;
    this.flags = flags;
    this.stack = stack;    // the path to the node: [{name, node}] from the root
    this.handle = handle;  // files and devices: what node.open() returned
    this.pos = 0;
    this.refs = 0;
    this.dirents = null;   // directories: the listing getdents64 walks
  }
  get readable() { return (this.flags & O.ACCMODE) !== O.WRONLY; }
  get writable() { return (this.flags & O.ACCMODE) !== 0; }
}

// A pipe: bytes written to one end, read from the other, in order.
class Pipe {
  constructor() {
    this.chunks = [];
    this.size = 0;
    this.readers = 1;
    this.writers = 1;
  }
  read(dst) {
    if (this.size === 0) {
      if (this.writers > 0) fail(E.AGAIN);  // one thread: nobody else can write
      return 0;
    }
    let n = 0;
    while (n < dst.length && this.chunks.length) {
      const c = this.chunks[0];
      const k = Math.min(c.length, dst.length - n);
      dst.set(c.subarray(0, k), n);
      n += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.size -= n;
    return n;
  }
  write(src) {
    if (this.readers === 0) fail(E.PIPE);
    this.chunks.push(src.slice());
    this.size += src.length;
    return src.length;
  }
}

// The nodes of a pipe's two ends (not in any directory).
class PipeEnd {
  constructor(pipe, reading) {
    this.kind = 'fifo';
    this.pipe = pipe;
    this.reading = reading;
    this.ino = 0;
    this.mount = null;
    const now = Date.now();
    this.times = now;
  }
  stat() {
    return { dev: 2, ino: this.ino, mode: 0o010600, nlink: 1, uid: 0, gid: 0, rdev: 0,
      size: this.pipe.size, blksize: 4096, blocks: 0, atime: this.times, mtime: this.times, ctime: this.times };
  }
  chmod() {}
  utimes() {}
  open() {
    const { pipe, reading } = this;
    return {
      read: (dst) => (reading ? pipe.read(dst) : fail(E.BADF)),
      write: (src) => (reading ? fail(E.BADF) : pipe.write(src)),
      poll: () => (reading ? (pipe.size > 0 ? 1 : 0) | (pipe.writers === 0 ? 0x10 : 0) : 4),
      close: () => { if (reading) pipe.readers--; else pipe.writers--; },
    };
  }
}

const pathOf = (stack) => '/' + stack.slice(1).map((e) => e.name).join('/');

// /proc/self/fd: one symbolic link per open descriptor, to the path it was
// opened by (what ttyname() and realpath-like code read).
class ProcFdDir extends MemDir {
  constructor(fs) {
    super(0o555);
    this.fs = fs;
  }
  lookup(name) {
    const fd = /^\d+$/.test(name) ? Number(name) : -1;
    const entry = this.fs.fds.get(fd);
    if (!entry) return null;
    const link = new MemLink(pathOf(entry.file.stack));
    link.perm = 0o700;
    return link;
  }
  entries() {
    return [...this.fs.fds.keys()].sort((a, b) => a - b).map((fd) => ({ name: String(fd), kind: 'link', ino: 0 }));
  }
  add() { fail(E.PERM, '/proc/self/fd'); }
  unlink() { fail(E.PERM, '/proc/self/fd'); }
}

export class FileSystem {
  // io: { readStdin() -> Uint8Array | null, write(fd, bytes) } for the terminal.
  constructor(io) {
    this.io = io;
    this.root = new MemDir(0o777);
    this.root.ino = this.root.inodes.next++;
    this.fds = new Map();  // fd -> {file: OpenFile, cloexec}
    // Emscripten's file system does not apply the umask to new files.
    this.umask = 0;
    const mkdirs = (path) => path.split('/').filter(Boolean).reduce(
      (dir, name) => dir.lookup(name) ?? dir.mkdir(name, 0o777), this.root);
    // Created in the order Emscripten creates them, so that inode numbers
    // match: /tmp, /home/web_user, /dev and its devices, /proc/self/fd, then
    // the /dev/std* links.
    mkdirs('/tmp');
    mkdirs('/home/web_user');
    const dev = mkdirs('/dev');
    const random = { read: (dst) => { crypto.getRandomValues(dst.subarray(0, Math.min(dst.length, 65536))); return Math.min(dst.length, 65536); }, write: (src) => src.length };
    const tty = (fd) => ({ tty: true, read: (dst) => this.io.readStdin(dst), write: (src) => { this.io.write(fd, src); return src.length; } });
    dev.add('null', new MemDevice({ read: () => 0, write: (src) => src.length }, 0x103));
    // As in Emscripten: /dev/tty reads the host's stdin and writes its
    // stdout, /dev/tty1 writes its stderr; /dev/std* link to them.
    dev.add('tty', new MemDevice(tty(1), 0x500));
    dev.add('tty1', new MemDevice(tty(2), 0x501));
    dev.add('random', new MemDevice(random, 0x108));
    dev.add('urandom', new MemDevice(random, 0x109));
    mkdirs('/dev/shm/tmp');
    mkdirs('/proc/self');
    this.root.lookup('proc').lookup('self').add('fd', new ProcFdDir(this));
    dev.symlink('stdin', '/dev/tty');
    dev.symlink('stdout', '/dev/tty');
    dev.symlink('stderr', '/dev/tty1');
    this.cwd = [{ name: '', node: this.root }];
    for (const [fd, name] of [[0, 'tty'], [1, 'tty'], [2, 'tty1']]) {
      const node = dev.lookup(name);
      this.install(new OpenFile(node, fd === 0 ? 0 : O.WRONLY,
        [{ name: '', node: this.root }, { name: 'dev', node: dev }, { name, node }], node.open()), fd);
    }
  }

  // Permission checks, as Emscripten's file system makes them: one user, so
  // any of the three classes' bits grants (mode & 0444 for 'r', ...). Host
  // directories are checked by the host.
  access_(node, want) {
    if (node.host || node.perm === undefined) return;
    const perm = node.perm;
    if ((want.includes('r') && !(perm & 0o444)) || (want.includes('w') && !(perm & 0o222)) ||
        (want.includes('x') && !(perm & 0o111))) {
      fail(E.ACCES);
    }
  }

  // Mounts a directory node (e.g. node.mjs's hostDirectory) at guestPath,
  // creating the directories on the way.
  mount(guestPath, dirNode) {
    let dir = this.root;
    for (const name of guestPath.split('/').filter(Boolean)) {
      let next = dir.lookup(name);
      if (!next) next = dir.mkdir(name, 0o777);
      if (next.mount) next = next.mount;
      if (next.kind !== 'dir') fail(E.NOTDIR, guestPath);
      dir = next;
    }
    if (dir === this.root) {
      throw new Error('lazylink: cannot mount a host directory over "/"; name a guest directory (HOST::/data)');
    }
    if (!(dir instanceof MemDir)) throw new Error(`lazylink: ${guestPath} is inside another mount`);
    dir.mount = dirNode;
  }

  // Called after every change to names, contents or metadata (persist.mjs
  // follows changes through it).
  changed() { this.onChange?.(); }

  // ---- paths ---------------------------------------------------------------

  // Resolves `path` from `base` (a stack; the cwd by default). Returns
  // {stack, node, dir, name}: node is null when only the last component is
  // missing (dir/name then say where it would be created).
  resolve(path, { follow = true, base = null } = {}) {
    if (path === '') fail(E.NOENT, 'empty path');
    if (path.length > 4096) fail(E.NAMETOOLONG, path);
    return this.walk(path.startsWith('/') ? [this.cwd[0]] : (base ?? this.cwd), path, follow, { links: 0 });
  }

  walk(start, path, follow, count) {
    const stack = start.slice();
    const parts = path.split('/');
    const trailingSlash = path.endsWith('/');
    const last = (() => {
      for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== '') return i;
      return -1;
    })();
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i];
      if (name === '') continue;
      const top = stack[stack.length - 1].node;
      if (top.kind !== 'dir') fail(E.NOTDIR, path);
      if (name === '.') continue;
      if (name === '..') {
        if (stack.length > 1) stack.pop();
        continue;
      }
      this.access_(top, 'x');
      let child = top.lookup(name);
      if (!child) {
        if (i === last) return { stack, node: null, dir: top, name, trailingSlash };
        fail(E.NOENT, path);
      }
      if (child.mount) child = child.mount;
      if (child.kind === 'link' && (i !== last || follow || trailingSlash)) {
        if (++count.links > MAX_SYMLINKS) fail(E.LOOP, path);
        const target = child.readlink();
        const base = target.startsWith('/') ? [stack[0]] : stack;
        const r = this.walk(base, target, true, count);
        if (!r.node) {
          if (i === last) return r;
          fail(E.NOENT, path);
        }
        stack.length = 0;
        stack.push(...r.stack);
        continue;
      }
      stack.push({ name, node: child });
    }
    const node = stack[stack.length - 1].node;
    if (trailingSlash && node.kind !== 'dir') fail(E.NOTDIR, path);
    const parent = stack.length > 1 ? stack[stack.length - 2].node : node;
    return { stack, node, dir: parent, name: stack.length > 1 ? stack[stack.length - 1].name : '/', trailingSlash };
  }

  // A base stack for the *at() calls: the cwd, or the directory of dirfd.
  baseFor(dirfd, path) {
    if (path.startsWith('/') || dirfd === -100) return null;
    const file = this.file(dirfd);
    if (file.node.kind !== 'dir') fail(E.NOTDIR, path);
    return file.stack;
  }

  lookup(path, opts) {
    const r = this.resolve(path, opts);
    if (!r.node) fail(E.NOENT, path);
    return r;
  }

  getcwd() { return pathOf(this.cwd); }
  chdir(path, base = null) {
    const r = this.lookup(path, { base });
    if (r.node.kind !== 'dir') fail(E.NOTDIR, path);
    this.access_(r.node, 'x');
    this.cwd = r.stack;
  }
  fchdir(fd) {
    const file = this.file(fd);
    if (file.node.kind !== 'dir') fail(E.NOTDIR);
    this.cwd = file.stack;
  }

  // ---- descriptors ---------------------------------------------------------

  file(fd) {
    const entry = this.fds.get(fd);
    if (!entry) fail(E.BADF, `fd ${fd}`);
    return entry.file;
  }
  has(fd) { return this.fds.has(fd); }

  install(file, fd = -1, cloexec = false, min = 0) {
    if (fd < 0) {
      fd = min;
      while (this.fds.has(fd)) fd++;
      if (fd >= MAX_FDS) fail(E.MFILE);
    } else if (this.fds.has(fd)) {
      this.close(fd);
    }
    file.refs++;
    this.fds.set(fd, { file, cloexec });
    return fd;
  }

  close(fd) {
    const file = this.file(fd);
    this.fds.delete(fd);
    if (--file.refs === 0 && file.handle?.close) file.handle.close();
  }

  open(path, flags, mode = 0o666, base = null) {
    const acc = flags & O.ACCMODE;
    // O_CREAT|O_EXCL fails on any existing name, a dangling link included.
    const excl = (flags & O.CREAT) && (flags & O.EXCL);
    const r = this.resolve(path, { follow: !(flags & O.NOFOLLOW) && !excl, base });
    let node = r.node;
    if (node && (flags & O.CREAT) && (flags & O.EXCL)) fail(E.EXIST, path);
    let created = false;
    if (!node) {
      if (!(flags & O.CREAT)) fail(E.NOENT, path);
      if (r.trailingSlash) fail(E.ISDIR, path);
      this.access_(r.dir, 'wx');
      created = true;
      node = r.dir.createFile(r.name, mode & ~this.umask & 0o7777);
      r.stack.push({ name: r.name, node });
      this.changed();
    }
    if (node.kind === 'link') fail(E.LOOP, path);  // O_NOFOLLOW on a link
    if ((flags & O.DIRECTORY) && node.kind !== 'dir') fail(E.NOTDIR, path);
    if (node.kind === 'dir' && (acc !== 0 || (flags & O.TRUNC))) fail(E.ISDIR, path);
    if (!created && !(flags & O.PATH)) {
      this.access_(node, (acc !== O.WRONLY ? 'r' : '') + (acc !== 0 || (flags & O.TRUNC) ? 'w' : ''));
    }
    let handle = null;
    if (node.kind !== 'dir') handle = node.open(flags);
    const file = new OpenFile(node, flags & ~(O.CREAT | O.EXCL | O.TRUNC | O.CLOEXEC), r.stack, handle);
    try {
      if ((flags & O.TRUNC) && node.kind === 'file' && acc !== 0) {
        handle.truncate(0);
        this.changed();
      }
      return this.install(file, -1, !!(flags & O.CLOEXEC));
    } catch (e) {
      if (file.refs === 0) handle?.close?.();
      throw e;
    }
  }

  // pipe(): [read fd, write fd].
  pipe(flags = 0) {
    const p = new Pipe();
    const ends = [new PipeEnd(p, true), new PipeEnd(p, false)];
    const files = ends.map((node, i) => new OpenFile(node, (i === 0 ? 0 : O.WRONLY) | (flags & O.NONBLOCK),
      [{ name: '', node: this.root }, { name: `pipe:[${i}]`, node }], node.open()));
    const rfd = this.install(files[0], -1, !!(flags & O.CLOEXEC));
    const wfd = this.install(files[1], -1, !!(flags & O.CLOEXEC));
    return [rfd, wfd];
  }

  // poll(): the events ready on fd (POLLNVAL when it is not open); files
  // and terminals are always ready (POLLIN | POLLOUT), as in Emscripten.
  pollMask(fd) {
    const entry = this.fds.get(fd);
    if (!entry) return 0x20;
    return entry.file.handle?.poll ? entry.file.handle.poll() : 5;
  }

  dup(fd, min = 0, cloexec = false) { return this.install(this.file(fd), -1, cloexec, min); }
  dup3(fd, to, cloexec = false) {
    const file = this.file(fd);
    if (fd === to) fail(E.INVAL);
    if (to < 0 || to >= MAX_FDS) fail(E.BADF);
    return this.install(file, to, cloexec);
  }

  // ---- data ----------------------------------------------------------------

  size(file) {
    if (file.node.kind !== 'file') return 0;
    return file.handle.size();
  }

  // Reads into dst (a Uint8Array view of memory) at the file position, or at
  // `at` (pread). Returns the count.
  read(fd, dst, at = null) {
    const file = this.file(fd);
    if (!file.readable) fail(E.BADF);
    if (file.node.kind === 'dir') fail(E.ISDIR);
    if (file.node.kind === 'chr' || file.node.kind === 'fifo') {
      if (at !== null && (file.handle.tty || file.node.kind === 'fifo')) fail(E.SPIPE);
      return file.handle.read(dst);
    }
    const pos = at ?? file.pos;
    const n = file.handle.read(dst, pos);
    if (at === null) file.pos = pos + n;
    return n;
  }

  write(fd, src, at = null) {
    const file = this.file(fd);
    if (!file.writable) fail(E.BADF);
    if (file.node.kind === 'chr' || file.node.kind === 'fifo') {
      if (at !== null && (file.handle.tty || file.node.kind === 'fifo')) fail(E.SPIPE);
      return file.handle.write(src);
    }
    let pos = at ?? file.pos;
    if (at === null && (file.flags & O.APPEND)) pos = file.handle.size();
    const n = file.handle.write(src, pos);
    if (at === null) file.pos = pos + n;
    this.changed();
    return n;
  }

  seek(fd, offset, whence) {
    const file = this.file(fd);
    if (file.node.kind === 'chr' || file.node.kind === 'fifo') {
      if (file.handle.tty || file.node.kind === 'fifo') fail(E.SPIPE);
      return 0;
    }
    const base = whence === 0 ? 0 : whence === 1 ? file.pos : whence === 2 ? this.size(file) : NaN;
    if (Number.isNaN(base)) fail(E.INVAL);
    const pos = base + offset;
    if (pos < 0) fail(E.INVAL);
    if (file.node.kind === 'dir' && pos !== file.pos) file.dirents = pos === 0 ? null : file.dirents;
    file.pos = pos;
    return pos;
  }

  ftruncate(fd, length) {
    const file = this.file(fd);
    if (length < 0) fail(E.INVAL);
    if (file.node.kind === 'dir') fail(E.ISDIR);
    if (file.node.kind !== 'file' || !file.writable) fail(E.INVAL);
    file.handle.truncate(length);
    this.changed();
  }

  truncate(path, length) {
    if (length < 0) fail(E.INVAL);
    const { node } = this.lookup(path);
    if (node.kind === 'dir') fail(E.ISDIR, path);
    if (node.kind !== 'file') fail(E.INVAL, path);
    node.truncate(length);
    this.changed();
  }

  // ---- metadata ------------------------------------------------------------

  stat(path, follow = true, base = null) { return this.lookup(path, { follow, base }).node.stat(); }
  fstat(fd) {
    const file = this.file(fd);
    const st = file.node.stat();
    if (file.node.kind === 'file' && file.node.host) st.size = file.handle.size();
    return st;
  }

  // Directory entries of an open directory, "." and ".." first.
  listing(file) {
    if (!file.dirents) {
      const { stack, node } = file;
      const parent = stack.length > 1 ? stack[stack.length - 2].node : node;
      // /proc/self/fd lists nothing, as in Emscripten.
      file.dirents = node instanceof ProcFdDir ? [] : [
        { name: '.', kind: 'dir', ino: node.ino ?? 0 },
        { name: '..', kind: 'dir', ino: parent.ino ?? 0 },
        ...node.entries(),
      ];
    }
    return file.dirents;
  }

  // ---- names ---------------------------------------------------------------

  mkdir(path, mode, base = null) {
    const r = this.resolve(path.replace(/\/+$/, '') || '/', { follow: false, base });
    if (r.node) fail(E.EXIST, path);
    this.access_(r.dir, 'wx');
    r.dir.mkdir(r.name, mode & ~this.umask & 0o7777);
    this.changed();
  }

  rmdir(path, base = null) {
    const r = this.lookup(path, { follow: false, base });
    if (r.stack.length === 1 || r.name === '.' || /(^|\/)\.\/*$/.test(path)) fail(r.stack.length === 1 ? E.BUSY : E.INVAL, path);
    if (r.node.kind !== 'dir') fail(E.NOTDIR, path);
    if (this.isMountPoint(r)) fail(E.BUSY, path);
    this.access_(r.dir, 'wx');
    r.dir.rmdir(r.name);
    this.changed();
  }

  unlink(path, base = null) {
    const r = this.lookup(path, { follow: false, base });
    if (r.node.kind === 'dir') fail(E.ISDIR, path);
    if (r.trailingSlash) fail(E.NOTDIR, path);
    this.access_(r.dir, 'wx');
    r.dir.unlink(r.name);
    this.changed();
  }

  isMountPoint(r) {
    const raw = r.dir.lookup?.(r.name);
    return !!(raw && raw.mount);
  }

  rename(from, to, fromBase = null, toBase = null) {
    const a = this.lookup(from, { follow: false, base: fromBase });
    const b = this.resolve(to, { follow: false, base: toBase });
    // Renaming "/" is EINVAL, as Emscripten reports it (Linux: EBUSY).
    if (a.stack.length === 1) fail(E.INVAL, from);
    if (this.isMountPoint(a)) fail(E.BUSY, from);
    if (b.node && b.stack.length === 1) fail(E.NOTEMPTY, to);  // onto "/", as Emscripten
    if (b.node && this.isMountPoint(b)) fail(E.BUSY, to);
    const sameBackend = (!!a.dir.host) === (!!b.dir.host) &&
      (!a.dir.host || this.mountOf(a.stack) === this.mountOf(b.stack));
    if (!sameBackend) fail(E.XDEV, `${from} -> ${to}`);
    if (b.node === a.node) return;
    this.access_(a.dir, 'wx');
    this.access_(b.dir, 'wx');
    if (a.node.kind === 'dir' && a.dir !== b.dir) this.access_(a.node, 'w');
    // A directory cannot move into itself or below itself.
    if (a.node.kind === 'dir' && b.stack.some((e) => e.node === a.node ||
        (a.node.host && e.node.host && e.node.path === a.node.path))) fail(E.INVAL, `${from} -> ${to}`);
    a.dir.rename(a.name, b.dir, b.name);
    this.changed();
  }

  mountOf(stack) {
    for (let i = stack.length - 1; i >= 0; i--) {
      if (!stack[i].node.host) return stack[i + 1]?.node.path ?? null;
    }
    return null;
  }

  symlink(target, path, base = null) {
    if (target === '') fail(E.NOENT, 'empty symlink target');
    const r = this.resolve(path, { follow: false, base });
    if (r.node) fail(E.EXIST, path);
    this.access_(r.dir, 'wx');
    r.dir.symlink(r.name, target);
    this.changed();
  }

  readlink(path, base = null) {
    const { node } = this.lookup(path, { follow: false, base });
    if (node.kind !== 'link') fail(E.INVAL, path);
    return node.readlink();
  }

  access(path, amode, base = null, follow = true) {
    if (amode & ~7) fail(E.INVAL);
    const { node } = this.lookup(path, { base, follow });
    this.access_(node, (amode & 4 ? 'r' : '') + (amode & 2 ? 'w' : '') + (amode & 1 ? 'x' : ''));
  }

  // mknod: regular files and character devices (which read nothing and
  // take everything written, as /dev/null); FIFOs and sockets are EPERM.
  mknod(path, mode, rdev, base = null) {
    const type = mode & S_IFMT;
    if (type === S_IFDIR || (type !== 0 && ![S_IFREG, 0o020000, 0o010000, 0o060000, 0o140000].includes(type))) {
      fail(E.INVAL, path);
    }
    if (type !== 0 && type !== S_IFREG && type !== 0o020000) fail(E.PERM, path);
    const r = this.resolve(path, { follow: false, base });
    if (r.node) fail(E.EXIST, path);
    this.access_(r.dir, 'wx');
    if (type === 0o020000) {
      r.dir.add(r.name, new MemDevice({ read: () => 0, write: (src) => src.length }, rdev, mode & 0o7777));
    } else {
      r.dir.createFile(r.name, mode & 0o7777);
    }
    this.changed();
  }

  chmod(path, mode, base = null, follow = true) {
    this.lookup(path, { base, follow }).node.chmod(mode);
    this.changed();
  }
  fchmod(fd, mode) {
    this.file(fd).node.chmod(mode);
    this.changed();
  }
  utimes(path, atime, mtime, base = null, follow = true) {
    this.lookup(path, { base, follow }).node.utimes(atime, mtime);
    this.changed();
  }

  // Whole-file helpers for the host side (dlopen, tests, packed files).
  readFile(path) {
    const { node } = this.lookup(path);
    if (node.kind === 'dir') fail(E.ISDIR, path);
    if (node.kind !== 'file') fail(E.INVAL, path);
    if (node instanceof MemFile) return node.bytes();
    const h = node.open(0);
    try {
      const out = new Uint8Array(h.size());
      let got = 0;
      while (got < out.length) {
        const n = h.read(out.subarray(got), got);
        if (n === 0) break;
        got += n;
      }
      return out.subarray(0, got);
    } finally {
      h.close();
    }
  }

  writeFile(path, bytes, mode = 0o666) {
    const fd = this.open(path, O.WRONLY | O.CREAT | O.TRUNC, mode);
    try {
      let done = 0;
      while (done < bytes.length) done += this.write(fd, bytes.subarray(done));
    } finally {
      this.close(fd);
    }
  }

  exists(path) {
    try {
      return !!this.resolve(path).node;
    } catch (e) {
      if (e instanceof FsError) return false;
      throw e;
    }
  }
}

export { FsError, S_IFDIR, S_IFMT, S_IFREG };
