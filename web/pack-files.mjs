// `lazylink pack --files HOST_DIR[::GUEST_DIR]`: the files of an app.
// `lazylink pack` (loader/cli/pack_command.cc) runs this after writing the
// manifest:
//
//   node web/cli.mjs pack-files OUT_DIR SPEC...
//
// Every regular file under each HOST_DIR is written to OUT_DIR/files/ under
// a content-hashed name (name.<16 hex>.ext, so it can be cached forever)
// and listed in OUT_DIR/lazylink.json under "files", keyed by its path in
// the program's file system (GUEST_DIR, default /HOST_DIR's last name):
//
//   "files": { "/data/input.txt": { "url": "files/input.3f2a9c0d1e7b4a66.txt",
//              "size": 29, "sha256": "3f2a...", "policy": "lazy" },
//              "/data/empty": { "type": "dir" } }
//
// The loader (web/files.mjs) fetches a file when the program first opens
// it and checks its SHA-256, as for modules (docs/manifest.md).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export class PackFilesError extends Error {}

// Parses HOST_DIR[::GUEST_DIR] -> { host, guest }.
export function parseFilesSpec(spec, cwd = process.cwd()) {
  const sep = spec.indexOf('::');
  const hostPart = sep < 0 ? spec : spec.slice(0, sep);
  const guestPart = sep < 0 ? null : spec.slice(sep + 2);
  if (!hostPart) throw new PackFilesError(`--files ${spec}: no host directory before "::"`);
  const host = path.resolve(cwd, hostPart);
  let st = null;
  try { st = fs.statSync(host); } catch { /* below */ }
  if (!st) throw new PackFilesError(`--files ${spec}: ${hostPart}: no such directory`);
  if (!st.isDirectory()) throw new PackFilesError(`--files ${spec}: ${hostPart} is not a directory`);
  const guest = path.posix.normalize(`/${guestPart ?? path.basename(host)}`).replace(/\/+$/, '');
  if (!guest || guest === '/') throw new PackFilesError(`--files ${spec}: name a guest directory other than "/" (HOST::/data)`);
  return { host, guest };
}

function hashedName(file, hex) {
  const base = path.basename(file);
  const dot = base.lastIndexOf('.');
  const safe = (s) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return dot > 0 ? `${safe(base.slice(0, dot))}.${hex.slice(0, 16)}${safe(base.slice(dot))}`
    : `${safe(base)}.${hex.slice(0, 16)}`;
}

// Adds the files of `specs` to the app in outDir. Returns the entries.
export function packFiles(outDir, specs, cwd = process.cwd()) {
  const manifestPath = path.join(outDir, 'lazylink.json');
  const doc = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const files = {};
  const filesDir = path.join(outDir, 'files');
  const walk = (hostDir, guestDir) => {
    const entries = fs.readdirSync(hostDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (entries.length === 0) files[guestDir] = { type: 'dir' };
    for (const e of entries) {
      const host = path.join(hostDir, e.name);
      const guest = `${guestDir}/${e.name}`;
      const st = fs.statSync(host);  // follows links: their targets are packed
      if (st.isDirectory()) {
        walk(host, guest);
      } else if (st.isFile()) {
        const bytes = fs.readFileSync(host);
        const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
        const name = hashedName(host, sha256);
        fs.mkdirSync(filesDir, { recursive: true });
        fs.writeFileSync(path.join(filesDir, name), bytes);
        files[guest] = { policy: 'lazy', sha256, size: bytes.length, url: `files/${name}` };
      }
    }
  };
  for (const spec of specs) {
    const { host, guest } = parseFilesSpec(spec, cwd);
    walk(host, guest);
  }
  const sorted = Object.fromEntries(Object.keys(files).sort().map((k) => [k, files[k]]));
  const out = {};
  for (const key of Object.keys({ ...doc, files: null }).sort()) out[key] = key === 'files' ? sorted : doc[key];
  fs.writeFileSync(manifestPath, `${JSON.stringify(out, null, 2)}\n`);
  return sorted;
}

// `node web/cli.mjs pack-files OUT_DIR SPEC... [-q]`
export function packFilesCommand(argv) {
  const quiet = argv.includes('-q');
  const [outDir, ...specs] = argv.filter((a) => a !== '-q');
  if (!outDir || specs.length === 0) {
    process.stderr.write('usage: lazylink pack-files OUT_DIR HOST_DIR[::GUEST_DIR]...\n');
    return 2;
  }
  try {
    const files = packFiles(outDir, specs);
    const list = Object.values(files).filter((f) => f.url);
    if (!quiet) {
      const bytes = list.reduce((n, f) => n + f.size, 0);
      process.stdout.write(`${list.length} files (${bytes} bytes) packed under ${path.join(outDir, 'files')}, fetched on first open\n`);
    }
    return 0;
  } catch (e) {
    process.stderr.write(`lazylink pack: ${e.message}\n`);
    return e instanceof PackFilesError ? 2 : 1;
  }
}
