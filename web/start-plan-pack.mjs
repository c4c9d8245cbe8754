// Pack time (Node): adds a start plan (web/start-plan.mjs) to a packed
// app's manifest, and writes the page hints that let a browser fetch the
// manifest and the eager modules while the page itself loads.
// `lazylink pack` runs this after writing the manifest
// (`node web/cli.mjs start-plan OUT_DIR`); --no-start-plan skips it.
//
// The plan is made by the loader itself (the core compiled to wasm, the
// same Domain code load() runs), in a domain set up exactly as load()
// sets one up, so that what the browser carries out is what it would have
// decided.
import fs from 'node:fs';
import path from 'node:path';
import { loadCore } from './core.mjs';
import { Domain, RTLD_GLOBAL, RTLD_NOW } from './domain.mjs';
import { createModuleFetcher } from './net/index.mjs';
import { createHost } from '../runtime/host/index.mjs';
import { encodeStartPlan } from './start-plan.mjs';
import { standardLibraryArgs } from './standard-library.mjs';
import { linkerSettings } from './settings.mjs';
import { packedJsLibraries } from './pack-app.mjs';

export const PRELOAD_FILE = 'lazylink-preload.html';

// Returns { start, manifestPath, hints } after rewriting the manifest.
export async function addStartPlan(outDir) {
  const manifestPath = path.join(outDir, 'lazylink.json');
  const doc = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  delete doc.start;  // packing again: plan afresh
  if (!doc.main) throw new Error(`${manifestPath}: no main module, so no start plan`);
  // A component (a `lazylink.wit` section) is linked by loadComponent(),
  // which plans at run time: no start plan.
  const mainBytes = fs.readFileSync(path.join(outDir, doc.modules[doc.main].url));
  if (WebAssembly.Module.customSections(new WebAssembly.Module(mainBytes), 'lazylink.wit').length) {
    return { skipped: `${doc.main} is a component` };
  }
  const core = await loadCore();
  const fetcher = await createModuleFetcher({ manifest: manifestPath, core, cache: false });
  // The app's JS libraries and settings (lazylink pack --js-library,
  // --malloc, --initial-memory, ...: web/pack-app.mjs) as load() uses them.
  const host = createHost({ args: [doc.main.replace(/\.wasm$/, '')], jsLibrary: packedJsLibraries(outDir, doc) });
  // As load() (web/lazylink.mjs) makes its domain, minus what does not
  // change the plan.
  const domain = new Domain({ core, host, fetcher, lazyMode: 'sync', linker: {
    ...linkerSettings(doc.settings), searchPaths: [], ...standardLibraryArgs(fetcher.manifest.modules.keys()) } });
  domain.setLazyIndex(Object.entries(fetcher.manifest.symbols).map(([symbol, [module, sig]]) => [symbol, module, sig]));
  const plan = await domain.makeStartPlan(doc.main, RTLD_NOW | RTLD_GLOBAL);
  const start = encodeStartPlan(plan, { hostFunctions: host.functions, tailCalls: domain.linkerOptions.tailCalls });
  // Keys in order, as the packer writes them.
  const out = {};
  for (const key of Object.keys({ ...doc, start }).sort()) out[key] = key === 'start' ? start : doc[key];
  fs.writeFileSync(manifestPath, `${JSON.stringify(out, null, 2)}\n`);

  // Preload hints: the manifest and every module the start plan loads.
  const urls = ['lazylink.json', ...plan.modules.filter(Boolean).map((name) => doc.modules[name].url)];
  const hints = [
    '<!-- lazylink: fetch the app while the page loads. Paste into <head>; the hrefs are relative to the',
    '     packed directory (prefix them if the page is elsewhere). Add a modulepreload for lazylink.mjs too. -->',
    ...urls.map((u) => `<link rel="preload" href="${u}" as="fetch" crossorigin>`),
  ].join('\n');
  fs.writeFileSync(path.join(outDir, PRELOAD_FILE), `${hints}\n`);
  return { start, manifestPath, hints, modules: plan.modules.filter(Boolean) };
}

// `lazylink.mjs start-plan OUT_DIR [-q]`: 0 on success; a warning and 0
// when no plan can be made (the app then plans at run time); 2 on usage.
export async function startPlanCommand(args) {
  const quiet = args.includes('-q') || args.includes('--quiet');
  const dirs = args.filter((a) => !a.startsWith('-'));
  if (dirs.length !== 1) {
    process.stderr.write('usage: lazylink start-plan OUT_DIR [-q]\n');
    return 2;
  }
  try {
    const r = await addStartPlan(dirs[0]);
    if (r.skipped) {
      if (!quiet) process.stdout.write(`no start plan: ${r.skipped} (loadComponent plans at run time)\n`);
      return 0;
    }
    if (!quiet) {
      process.stdout.write(`start plan: ${r.modules.join(', ')} linked at pack time (main runs before the ` +
        `loader core arrives); page hints in ${path.join(dirs[0], PRELOAD_FILE)}\n`);
    }
    return 0;
  } catch (e) {
    process.stderr.write(`lazylink pack: warning: no start plan (the app will be planned at run time): ${e.message}\n`);
    return 0;
  }
}
