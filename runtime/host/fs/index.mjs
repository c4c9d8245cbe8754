// The domain's file system, made on first use from the host options:
//
//   createHost({ mounts: [['/data', hostDirectory(nodeFs, '/abs/dir')]] })
//
// mounts a directory node (node.mjs, Node only) at a guest path (option
// `cwd`: the initial working directory); without mounts the program sees
// only the in-memory tree. ctx.fs is the
// FileSystem (vfs.mjs); stdio fds 0-2 are the host's stdin/stdout/stderr.
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
  if (ctx.options.cwd) fs.chdir(ctx.options.cwd);
  ctx.fs = fs;
  return fs;
}

export { FileSystem };
export { hostDirectory } from './node.mjs';
