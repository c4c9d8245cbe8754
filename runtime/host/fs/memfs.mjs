// In-memory nodes: directories, regular files, symbolic links and character
// devices. Every node kind answers the same small interface, which the host
// directory mounts (node.mjs) answer too:
//
//   all:   kind ('dir' | 'file' | 'link' | 'chr'), stat(), chmod(mode), utimes(a, m)
//   dir:   lookup(name), createFile(name, mode), mkdir(name, mode),
//          symlink(name, target), unlink(name), rmdir(name),
//          rename(name, toDir, toName), entries() -> [{name, kind, ino}]
//   file:  open(flags) -> handle {read(u8, pos), write(u8, pos), truncate(n), size(), close()}
//   link:  readlink()
//   chr:   open(flags) -> handle {read(u8), write(u8), tty}
import { E, fail } from './errno.mjs';

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;
const TYPE_BITS = { dir: S_IFDIR, file: S_IFREG, link: S_IFLNK, chr: S_IFCHR };

// Inode numbers are per file system, given when a node enters a directory
// (MemDir.add), in creation order as in Emscripten's (programs print them).
class MemNode {
  constructor(kind, mode) {
    this.kind = kind;
    this.ino = 0;
    this.perm = mode & 0o7777;
    this.nlink = 1;
    const now = Date.now();
    this.atime = now;
    this.mtime = now;
    this.ctime = now;
    this.mount = null;  // a host directory mounted here (dirs only)
  }
  size() { return 0; }
  stat() {
    const size = this.size();
    return {
      dev: 1, ino: this.ino, mode: TYPE_BITS[this.kind] | this.perm, nlink: this.nlink,
      // st_blocks in 4096-byte blocks, as Emscripten counts them.
      uid: 0, gid: 0, rdev: this.rdev ?? 0, size, blksize: 4096, blocks: Math.ceil(size / 4096),
      atime: this.atime, mtime: this.mtime, ctime: this.ctime,
    };
  }
  chmod(mode) { this.perm = mode & 0o7777; this.ctime = Date.now(); }
  utimes(atime, mtime) {
    if (atime !== null) this.atime = atime;
    if (mtime !== null) this.mtime = mtime;
    this.ctime = Date.now();
  }
}

export class MemFile extends MemNode {
  constructor(mode = 0o666, bytes = null) {
    super('file', mode);
    this.data = bytes ? bytes.slice() : new Uint8Array(0);
    this.length = this.data.length;
    this.version = 0;  // bumped by every change of the content
  }
  size() { return this.length; }
  reserve(n) {
    if (n <= this.data.length) return;
    const grown = new Uint8Array(Math.max(n, Math.min(this.data.length * 2, this.data.length + (16 << 20)), 256));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
  open() { return this; }
  close() {}
  read(dst, pos) {
    if (pos >= this.length) return 0;
    const n = Math.min(dst.length, this.length - pos);
    dst.set(this.data.subarray(pos, pos + n));
    this.atime = Date.now();
    return n;
  }
  write(src, pos) {
    const end = pos + src.length;
    this.reserve(end);
    if (pos > this.length) this.data.fill(0, this.length, pos);
    this.data.set(src, pos);
    if (end > this.length) this.length = end;
    this.mtime = this.ctime = Date.now();
    this.version++;
    return src.length;
  }
  truncate(n) {
    if (n > this.length) {
      this.reserve(n);
      this.data.fill(0, this.length, n);
    }
    this.length = n;
    this.mtime = this.ctime = Date.now();
    this.version++;
  }
  // The whole content (a copy).
  bytes() { return this.data.slice(0, this.length); }
}

export class MemLink extends MemNode {
  constructor(target) {
    super('link', 0o777);
    this.target = target;
  }
  size() { return new TextEncoder().encode(this.target).length; }
  readlink() { return this.target; }
}

// A character device: `ops` = {read(u8) -> n, write(u8) -> n, tty}.
export class MemDevice extends MemNode {
  constructor(ops, rdev, mode = 0o666) {
    super('chr', mode);
    this.ops = ops;
    this.rdev = rdev;
  }
  open() { return this.ops; }
}

export class MemDir extends MemNode {
  // inodes: the file system's counter {next}, shared by its directories.
  constructor(mode = 0o777, inodes = { next: 1 }) {
    super('dir', mode);
    this.children = new Map();
    this.inodes = inodes;
  }
  size() { return 4096; }
  lookup(name) { return this.children.get(name) ?? null; }
  add(name, node) {
    if (this.children.has(name)) fail(E.EXIST, name);
    if (!node.ino) node.ino = this.inodes.next++;
    if (node instanceof MemDir) node.inodes = this.inodes;
    this.children.set(name, node);
    this.mtime = this.ctime = Date.now();
    return node;
  }
  createFile(name, mode) { return this.add(name, new MemFile(mode)); }
  mkdir(name, mode) { return this.add(name, new MemDir(mode, this.inodes)); }
  symlink(name, target) { return this.add(name, new MemLink(target)); }
  unlink(name) {
    const node = this.children.get(name);
    if (!node) fail(E.NOENT, name);
    if (node.kind === 'dir') fail(E.ISDIR, name);
    this.children.delete(name);
    node.nlink = 0;
    this.mtime = this.ctime = Date.now();
  }
  rmdir(name) {
    const node = this.children.get(name);
    if (!node) fail(E.NOENT, name);
    if (node.kind !== 'dir') fail(E.NOTDIR, name);
    if (node.mount) fail(E.BUSY, name);
    if (node.children.size) fail(E.NOTEMPTY, name);
    this.children.delete(name);
    node.nlink = 0;
    this.mtime = this.ctime = Date.now();
  }
  // POSIX rename within the in-memory tree (the caller checked that toDir
  // is a MemDir and that a directory is not moved into itself).
  rename(name, toDir, toName) {
    const node = this.children.get(name);
    if (!node) fail(E.NOENT, name);
    const old = toDir.children.get(toName);
    if (old === node) return;
    if (old) {
      if (node.kind === 'dir') {
        if (old.kind !== 'dir') fail(E.NOTDIR, toName);
        if (old.children.size || old.mount) fail(E.NOTEMPTY, toName);
      } else if (old.kind === 'dir') {
        fail(E.ISDIR, toName);
      }
    }
    this.children.delete(name);
    toDir.children.set(toName, node);
    const now = Date.now();
    this.mtime = this.ctime = toDir.mtime = toDir.ctime = node.ctime = now;
  }
  contains(node) {
    for (const child of this.children.values()) {
      if (child === node || (child.kind === 'dir' && child.contains(node))) return true;
    }
    return false;
  }
  entries() {
    return [...this.children].map(([name, node]) => ({ name, kind: node.kind, ino: node.ino }));
  }
}

// A file whose bytes arrive on first use (a file packed into the app,
// web/files.mjs): `load()` returns them synchronously or throws an
// FsError. Until then its size is the declared one.
export class LazyFile extends MemFile {
  constructor(size, load, mode = 0o644) {
    super(mode);
    this.declaredSize = size;
    this.load = load;
  }
  ensure() {
    if (!this.load) return;
    const bytes = this.load();
    this.load = null;
    this.data = bytes;
    this.length = bytes.length;
  }
  size() { return this.load ? this.declaredSize : this.length; }
  open() { this.ensure(); return this; }
  bytes() { this.ensure(); return super.bytes(); }
  // Bytes already here (e.g. fetched before main on a browser's main thread).
  provide(bytes) {
    this.load = null;
    this.data = bytes;
    this.length = bytes.length;
  }
}
