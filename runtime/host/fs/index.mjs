// The domain's file system, made on first use from the host options:
//
//   createHost({ mounts: [['/data', hostDirectory(nodeFs, '/abs/dir')]] })
//
// mounts a directory node (node.mjs, Node only) at a guest path (option
// `cwd`: the initial working directory); without mounts the program sees
// only the in-memory tree. Option `files`: [{path, type: 'dir'} |
// {path, size, load: () => Uint8Array} | {path, bytes}] adds files (the
// app's packed files, web/files.mjs); `load` runs on first open. ctx.fs is the
// FileSystem (vfs.mjs); stdio fds 0-2 are the host's stdin/stdout/stderr.
import { LazyFile, MemFile } from './memfs.mjs';
import { attachPersistence } from './persist.mjs';
import { FileSystem } from './vfs.mjs';

export function fileSystem(ctx) {
  if (ctx.fs) return ctx.fs;
  let stdinBuffer = new Uint8Array(0);
  const fs = new FileSystem({
    readStdin(dst) {
      if (stdinBuffer.length === 0) {
        const chunk = ctx.stdin ? ctx.stdin() : null;
        if (!chunk || chunk.length === 0) return 0;
        stdinBuffer = chunk;
      }
      const n = Math.min(dst.length, stdinBuffer.length);
      dst.set(stdinBuffer.subarray(0, n));
      stdinBuffer = stdinBuffer.subarray(n);
      return n;
    },
    write(fd, bytes) { ctx.writeFd(fd === 2 ? 2 : 1, bytes.slice()); },
  });
  for (const [guest, node] of ctx.options.mounts ?? []) fs.mount(guest, node);
  for (const f of ctx.options.files ?? []) addFile(fs, f);
  if (ctx.options.persist) {
    // persist.mjs: directories kept in IndexedDB (opened before the host).
    ctx.fsPersist = attachPersistence(fs, ctx.options.persist,
      { onError: (e) => ctx.stderr(`lazylink: persisting files failed: ${e && e.message}\n`) });
  }
  if (ctx.options.cwd) {
    try {
      fs.chdir(ctx.options.cwd);
    } catch (e) {
      ctx.abort(`the working directory ${ctx.options.cwd} is not a directory of the program's file system ` +
                `(${e && e.message}): map one there with --dir or pack --files`);
    }
  }
  ctx.fs = fs;
  return fs;
}

// Creates the parent directories of f.path in memory, then the entry.
function addFile(fs, f) {
  const names = f.path.split('/').filter(Boolean);
  let dir = fs.root;
  for (const name of names.slice(0, f.type === 'dir' ? names.length : -1)) {
    let next = dir.lookup(name);
    if (!next) next = dir.mkdir(name, 0o777);
    if (next.mount) next = next.mount;
    dir = next;
  }
  if (f.type === 'dir') return;
  const name = names[names.length - 1];
  const node = f.bytes ? new MemFile(0o644, f.bytes) : new LazyFile(f.size, f.load);
  dir.add(name, node);
  f.node = node;
}

export { FileSystem };
export { hostDirectory } from './node.mjs';
