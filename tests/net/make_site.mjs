// Test helper: writes modules under content-hashed names and a
// `lazylink-manifest/1` manifest beside them, the way `lazylink pack` lays
// out a site (docs/manifest.md), without the packer's policy analysis: the
// caller says which module is main and which policies to use.
//
//   const site = makeSite({ dir, modules: ['/path/libfoo.wasm', ...], main: 'chain_main.wasm',
//                           policies: { 'libfoo.wasm': 'prefetch' } });
//   site.manifestPath, site.manifest, site.files['libfoo.wasm'] (absolute path)
//
// CLI: node tests/net/make_site.mjs OUT_DIR MODULE.wasm... [--main NAME] [--policy NAME=POLICY]
// Hashes with node:crypto, independently of the code under test.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function sha256File(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function makeSite({ dir, modules, main = null, policies = {}, extra = {} }) {
  fs.mkdirSync(dir, { recursive: true });
  const entries = {};
  const files = {};
  for (const src of modules) {
    const name = path.basename(src);
    const bytes = fs.readFileSync(src);
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const url = `${name.replace(/\.wasm$/, '')}.${sha256.slice(0, 16)}.wasm`;
    fs.writeFileSync(path.join(dir, url), bytes);
    files[name] = path.join(dir, url);
    entries[name] = {
      exports: [],
      needed: [],
      policy: policies[name] ?? (name === main || name.startsWith('libstd') ? 'eager' : 'lazy'),
      reason: 'written by tests/net/make_site.mjs',
      sha256,
      size: bytes.length,
      url,
    };
  }
  const sorted = Object.fromEntries(Object.keys(entries).sort().map((k) => [k, entries[k]]));
  const manifest = { main: main ?? undefined, modules: sorted, schema: 'lazylink-manifest/1', symbols: {}, ...extra };
  const manifestPath = path.join(dir, 'lazylink.json');
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return { dir, manifestPath, manifest, files };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const policies = {};
  let main = null;
  const modules = [];
  let out = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--main') main = args[++i];
    else if (args[i] === '--policy') {
      const [n, p] = args[++i].split('=');
      policies[n] = p;
    } else if (!out) out = args[i];
    else modules.push(args[i]);
  }
  if (!out || !modules.length) {
    console.error('usage: make_site.mjs OUT_DIR MODULE.wasm... [--main NAME] [--policy NAME=POLICY]');
    process.exit(2);
  }
  const site = makeSite({ dir: out, modules, main, policies });
  console.log(`wrote ${site.manifestPath} (${modules.length} modules)`);
}
