// Packs the lazy-loading test app (tests/modules/lazy_*.c + libstd) with the
// real `lazylink pack` into `outDir`; returns the manifest.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function packLazyApp({ cli, modulesDir, libstd, outDir }) {
  fs.rmSync(outDir, { recursive: true, force: true });
  const mods = ['lazy_main.wasm', 'lazy_lib.wasm', 'lazy_table.wasm'].map((m) => path.join(modulesDir, m));
  execFileSync(cli, ['pack', '-q', ...mods, libstd, '-o', outDir], { stdio: 'inherit' });
  return JSON.parse(fs.readFileSync(path.join(outDir, 'lazylink.json'), 'utf8'));
}
