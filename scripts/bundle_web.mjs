// Bundles lazylink's JS API into minified ES modules with esbuild:
//
//   web/dist/lazylink.mjs                    web/lazylink.mjs and everything
//                                            load() needs: one request at start-up
//   web/dist/lazylink-component-model.mjs    the components API (web/component/,
//                                            the Canonical ABI in web/cabi/), imported
//                                            by loadComponent() only
//   web/dist/*.browser.mjs                   both, without node:* imports (what the
//                                            npm package gives bundlers for the browser)
//
// Pages that import the bundle fetch one file instead of a waterfall of ~25
// modules (each a round trip at start-up), and apps without components do
// not download or evaluate the component code (about 40% of the JS).
//
// The second file uses the first one's instances of what both need (the
// Domain and LinkError classes, the host, the cores' loaders): it imports
// them from ./lazylink.mjs through one internal export, so that a
// LinkError thrown by either is `instanceof` the one the page imported and
// the cores are loaded once per realm. (esbuild's own code splitting would
// move that shared code into a third file the first one imports: another
// round trip before load() can run.)
//
// The core (web/dist/lazylink_core.*) stays separate: it is fetched and
// compiled in parallel.
//   node scripts/bundle_web.mjs [OUT_FILE]      (the second file goes beside it)
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.resolve(process.argv[2] ?? path.join(root, 'web/dist/lazylink.mjs'));
const componentsFile = 'lazylink-component-model.mjs';
const componentsEntry = path.join(root, 'web/component/index.mjs');

// The modules of the start-up bundle that the components API imports too
// (a build fails if it imports another one: see `guard` below).
const SHARED = ['web/domain.mjs', 'web/core.mjs', 'web/plan.mjs', 'web/component/features.mjs',
  'runtime/host/index.mjs'].map((f) => path.join(root, f));
const SHARED_EXPORT = '__lazylinkShared';

const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: root,
};

// The start-up bundle: web/lazylink.mjs's exports, plus one object holding
// the shared modules' namespaces for the components file; loadComponent()'s
// import('./component/index.mjs') becomes an import of that file.
const entry = [
  `export * from ${JSON.stringify(path.join(root, 'web/lazylink.mjs'))};`,
  ...SHARED.map((f, i) => `import * as m${i} from ${JSON.stringify(f)};`),
  `export const ${SHARED_EXPORT} = Object.freeze({ ${SHARED.map((f, i) => `${JSON.stringify(rel(f))}: m${i}`).join(', ')} });`,
].join('\n');
const main = await build({
  ...common,
  stdin: { contents: entry, resolveDir: path.join(root, 'web'), sourcefile: 'lazylink-bundle.mjs', loader: 'js' },
  outfile,
  external: ['node:*'],
  plugins: [{
    name: 'lazylink-component-model-chunk',
    setup(b) {
      b.onResolve({ filter: /component\/index\.mjs$/ }, (args) => {
        if (path.resolve(args.resolveDir, args.path) !== componentsEntry) return undefined;
        if (args.kind !== 'dynamic-import') {
          throw new Error(`${args.importer} imports the components API statically; it belongs in ${componentsFile}`);
        }
        return { path: `./${componentsFile}`, external: true };
      });
    },
  }],
});

// The components file: every import of a shared module becomes a module that
// re-exports that module's bindings from the start-up bundle's object.
const namesOf = async (f) => Object.keys(await import(pathToFileURL(f).href));
const components = await build({
  ...common,
  entryPoints: [componentsEntry],
  outfile: path.join(path.dirname(outfile), componentsFile),
  external: ['node:*', './lazylink.mjs'],
  plugins: [{
    name: 'lazylink-shared-from-bundle',
    setup(b) {
      b.onResolve({ filter: /\.mjs$/ }, (args) => {
        if (args.namespace !== 'file' || args.kind === 'entry-point') return undefined;
        const file = path.resolve(args.resolveDir, args.path);
        return SHARED.includes(file) ? { path: file, namespace: 'lazylink-shared' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'lazylink-shared' }, async (args) => {
        const names = await namesOf(args.path);
        return {
          contents: `import { ${SHARED_EXPORT} as s } from './lazylink.mjs';\n` +
            `export const { ${names.join(', ')} } = s[${JSON.stringify(rel(args.path))}];\n`,
          loader: 'js',
          resolveDir: path.dirname(outfile),
        };
      });
    },
  }],
});

// A module that both files contain would exist twice at run time (two
// LinkError classes, two core loaders): list it in SHARED.
const inputsOf = (r) => new Set(Object.keys(r.metafile.inputs).filter((k) => !k.includes(':')).map((k) => path.resolve(root, k)));
const twice = [...inputsOf(components)].filter((f) => inputsOf(main).has(f) && !SHARED.includes(f));
if (twice.length) {
  throw new Error(`bundle_web: in both ${path.basename(outfile)} and ${componentsFile}: ${twice.map(rel).join(', ')} (add to SHARED)`);
}

// The browser variants (package.json's "browser" condition, for bundlers):
// the same two files with every `node:*` module replaced by one that
// throws. The bundles import those only where `process.versions.node` says
// they run under Node, so a browser never evaluates the replacement; a
// bundler targeting the browser then finds no Node built-in to resolve.
const dist = path.dirname(outfile);
const browserFile = (f) => f.replace(/\.mjs$/, '.browser.mjs');
const browserBuilds = [];
for (const [file, sibling] of [[path.basename(outfile), componentsFile], [componentsFile, path.basename(outfile)]]) {
  browserBuilds.push(await build({
    ...common,
    minify: false,  // already minified; keeps the output close to the Node file
    minifyWhitespace: true,
    platform: 'browser',
    entryPoints: [path.join(dist, file)],
    outfile: path.join(dist, browserFile(file)),
    plugins: [{
      name: 'lazylink-browser-variant',
      setup(b) {
        b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path.slice(5), namespace: 'lazylink-browser-stub' }));
        b.onLoad({ filter: /.*/, namespace: 'lazylink-browser-stub' }, (args) => ({
          contents: `export {};\nthrow new Error(${JSON.stringify(`lazylink: the Node built-in ${args.path} is used under Node only; this is the browser build`)});`,
          loader: 'js',
        }));
        b.onResolve({ filter: new RegExp(`^\\./${sibling.replace('.', '\\.')}$`) },
          () => ({ path: `./${browserFile(sibling)}`, external: true }));
      },
    }],
  }));
}

for (const r of [main, components, ...browserBuilds]) {
  for (const [file, o] of Object.entries(r.metafile.outputs)) {
    console.log(`bundled ${path.relative(root, path.resolve(root, file))} (${o.bytes} bytes)`);
  }
}

function rel(f) {
  return path.relative(root, f).split(path.sep).join('/');
}
