// Packs the two test apps of tests/lazy_eh with the real `lazylink pack`:
//   eh: eh_main (C++, -fexceptions) + libeh_a, libeh_b (lazy) + libstd-eh
//   sj: sj_main (C, setjmp)          + libsj_a, libsj_b (lazy) + libstd
// into OUT/eh and OUT/sj; returns { eh, sj } with each manifest and its
// expected stdout.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const APPS = {
  eh: { main: 'eh_main.wasm', libs: ['libeh_a.wasm', 'libeh_b.wasm'], libstd: 'libstd-eh.wasm',
        symbols: { _Z10eh_a_valuei: 'libeh_a.wasm', _Z16eh_b_throw_firsti: 'libeh_b.wasm' },
        // How messages show the first one.
        shown: 'eh_a_value(int) (_Z10eh_a_valuei)' },
  sj: { main: 'sj_main.wasm', libs: ['libsj_a.wasm', 'libsj_b.wasm'], libstd: 'libstd.wasm',
        symbols: { sj_a_value: 'libsj_a.wasm', sj_b_jump_first: 'libsj_b.wasm' }, shown: 'sj_a_value' },
};

export function packApps({ root, cli, modulesDir, outDir }) {
  fs.rmSync(outDir, { recursive: true, force: true });
  const out = {};
  for (const [name, app] of Object.entries(APPS)) {
    const dir = path.join(outDir, name);
    const mods = [app.main, ...app.libs].map((m) => path.join(modulesDir, m));
    execFileSync(cli, ['pack', '-q', ...mods, path.join(root, 'web/dist', app.libstd), '-o', dir], { stdio: 'inherit' });
    out[name] = {
      ...app,
      dir,
      manifest: JSON.parse(fs.readFileSync(path.join(dir, 'lazylink.json'), 'utf8')),
      expected: fs.readFileSync(path.join(here, app.main.replace(/\.wasm$/, '.expected')), 'utf8'),
    };
  }
  return out;
}
