// Bundles lazylink's JS API (web/lazylink.mjs and everything it imports,
// components included) into one minified ES module, web/dist/lazylink.mjs,
// with esbuild. Pages that import it fetch one file instead of a waterfall of
// ~25 modules (each a round trip at start-up). The core (web/dist/
// lazylink_core.*) stays separate: it is fetched and compiled in parallel.
//   node scripts/bundle_web.mjs [OUT_FILE]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.resolve(process.argv[2] ?? path.join(root, 'web/dist/lazylink.mjs'));
const result = await build({
  entryPoints: [path.join(root, 'web/lazylink.mjs')],
  outfile,
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: ['node:*'],
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`bundled web/lazylink.mjs into ${path.relative(root, outfile)} (${bytes} bytes)`);
