// A host directory mounted into a domain's file system (Node only: real
// node:fs, synchronous, read and write). `lazylink run --dir HOST::GUEST`
// mounts one. Nodes answer the interface described in memfs.mjs; every
// operation goes to the host file system at once (nothing is cached, so the
// program and the host see the same files).
//
//   import * as nodeFs from 'node:fs';
//   const root = hostDirectory(nodeFs, '/abs/host/dir');
//   fs.mount('/data', root);
import { E, fail, fromNodeError } from './errno.mjs';

const KIND = (st) => (st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link'
  : st.isCharacterDevice() ? 'chr' : 'file');

const guard = (fn) => {
  try {
    return fn();
  } catch (e) {
    throw fromNodeError(e);
  }
};

class HostNode {
  constructor(fs, path, kind) {
    this.fs = fs;
    this.path = path;
    this.kind = kind;
    this.mount = null;
    this.host = true;
  }
  child(name) { return `${this.path}/${name}`; }
  stat() {
    const st = guard(() => this.fs.lstatSync(this.path));
    return {
      dev: st.dev, ino: st.ino, mode: st.mode, nlink: st.nlink, uid: st.uid, gid: st.gid,
      rdev: st.rdev, size: st.size, blksize: st.blksize || 4096, blocks: st.blocks ?? Math.ceil(st.size / 512),
      atime: st.atimeMs, mtime: st.mtimeMs, ctime: st.ctimeMs,
    };
  }
  chmod(mode) { guard(() => this.fs.chmodSync(this.path, mode & 0o7777)); }
  utimes(atime, mtime) {
    const st = (atime === null || mtime === null) ? guard(() => this.fs.lstatSync(this.path)) : null;
    guard(() => this.fs.utimesSync(this.path, (atime ?? st.atimeMs) / 1000, (mtime ?? st.mtimeMs) / 1000));
  }

  // Directories.
  lookup(name) {
    const path = this.child(name);
    let st;
    try {
      st = this.fs.lstatSync(path);
    } catch (e) {
      if (e.code === 'ENOENT') return null;
      throw fromNodeError(e);
    }
    return new HostNode(this.fs, path, KIND(st));
  }
  createFile(name, mode) {
    const path = this.child(name);
    guard(() => this.fs.closeSync(this.fs.openSync(path, 'wx', mode & 0o7777)));
    return new HostNode(this.fs, path, 'file');
  }
  mkdir(name, mode) {
    const path = this.child(name);
    guard(() => this.fs.mkdirSync(path, { mode: mode & 0o7777 }));
    return new HostNode(this.fs, path, 'dir');
  }
  symlink(name, target) {
    const path = this.child(name);
    guard(() => this.fs.symlinkSync(target, path));
    return new HostNode(this.fs, path, 'link');
  }
  unlink(name) {
    const path = this.child(name);
    const st = guard(() => this.fs.lstatSync(path));
    if (st.isDirectory()) fail(E.ISDIR, name);
    guard(() => this.fs.unlinkSync(path));
  }
  rmdir(name) { guard(() => this.fs.rmdirSync(this.child(name))); }
  rename(name, toDir, toName) {
    guard(() => this.fs.renameSync(this.child(name), toDir.child(toName)));
  }
  entries() {
    return guard(() => this.fs.readdirSync(this.path, { withFileTypes: true })).map((d) => ({
      name: d.name,
      kind: d.isDirectory() ? 'dir' : d.isSymbolicLink() ? 'link' : d.isCharacterDevice() ? 'chr' : 'file',
      ino: 0,
    }));
  }
  contains(node) {
    return node.host && node.path.startsWith(`${this.path}/`);
  }

  // Symbolic links.
  readlink() { return guard(() => this.fs.readlinkSync(this.path)); }

  // Regular files: one host descriptor per open file description.
  open(flags) {
    const { fs, path } = this;
    const acc = flags & 3;
    const fd = guard(() => fs.openSync(path, acc === 0 ? 'r' : 'r+'));
    return {
      read: (dst, pos) => guard(() => fs.readSync(fd, dst, 0, dst.length, pos)),
      write: (src, pos) => guard(() => fs.writeSync(fd, src, 0, src.length, pos)),
      truncate: (n) => guard(() => fs.ftruncateSync(fd, n)),
      size: () => guard(() => fs.fstatSync(fd).size),
      close: () => guard(() => fs.closeSync(fd)),
    };
  }
  truncate(n) { guard(() => this.fs.truncateSync(this.path, n)); }
}

// The root node of a host directory mount; throws (ENOENT/ENOTDIR) when the
// host path is not a directory.
export function hostDirectory(fs, path) {
  const st = guard(() => fs.statSync(path));
  if (!st.isDirectory()) fail(E.NOTDIR, path);
  return new HostNode(fs, path.replace(/\/+$/, '') || '/', 'dir');
}
