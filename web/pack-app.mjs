// Pack time (Node): the JS libraries and run settings of a packed app
// (`lazylink pack --js-library FILE --malloc emmalloc --initial-memory 32MB ...`,
// loader/cli/pack_command.cc), read with the parsers `lazylink run` uses.
//
//   node web/cli.mjs host-functions [OPTIONS]     the host's functions, the libraries' included
//   node web/cli.mjs pack-app OUT_DIR [OPTIONS]   copies the libraries into OUT_DIR as
//                                                 NAME.<16 hex>.js, records them ("jsLibraries")
//                                                 and the settings ("settings") in lazylink.json
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createHost } from '../runtime/host/index.mjs';

// OPTIONS: --js-library FILE (repeatable), --malloc, --initial-memory, ...
// exactly as `lazylink run` takes them: `cli` is web/cli.mjs's
// { parseRunArgs, linkerMemoryOptions, UsageError } (passed in: cli.mjs
// imports this file). Returns { jsLibrary, settings }.
export function parseAppOptions(argv, { parseRunArgs, linkerMemoryOptions, UsageError }) {
  const opts = parseRunArgs([...argv, '--', 'app.wasm']);
  if (opts.main !== 'app.wasm' || opts.libs.length || opts.paths.length || opts.dirs.length || opts.browser) {
    throw new UsageError(`pack takes only --js-library and the memory options of run here: ${argv.join(' ')}`);
  }
  linkerMemoryOptions(opts.memory);  // refuses --initial-memory > --maximum-memory
  if (Object.keys(opts.jsDefines).length && !opts.jsLibraries.length) {
    throw new UsageError('--js-define is for the JS libraries\' #if lines: give --js-library too');
  }
  const jsLibrary = opts.jsLibraries.map((file) => {
    if (!fs.existsSync(file)) throw new UsageError(`--js-library ${file}: no such file`);
    return { file, source: fs.readFileSync(file, 'utf8'), defines: opts.jsDefines };
  });
  return { jsLibrary, settings: opts.memory };
}

// The host's functions with the app's JS libraries: the runtime's own
// parser reads them (runtime/host/em_js.mjs), so a library it would
// refuse at load time makes pack fail, naming the file.
export function hostFunctionsCommand(argv, cli) {
  const { jsLibrary } = parseAppOptions(argv, cli);
  const lines = createHost({ jsLibrary }).functions.map(([m, n, sig]) => `${m}\t${n}\t${sig || ''}\n`);
  process.stdout.write(lines.join(''));
  return 0;
}

// The manifest's JS libraries, as createHost's jsLibrary (pack time: files
// in OUT_DIR; load() fetches and checks them itself, web/lazylink.mjs).
export function packedJsLibraries(outDir, doc) {
  return (doc.jsLibraries ?? []).map((lib) => ({
    file: lib.file, source: fs.readFileSync(path.join(outDir, lib.url), 'utf8'), defines: lib.defines ?? {},
  }));
}

export function packAppCommand(argv, cli) {
  const [outDir, ...rest] = argv;
  const { jsLibrary, settings } = parseAppOptions(rest, cli);
  const manifestPath = path.join(outDir, 'lazylink.json');
  const doc = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const seen = new Set();
  doc.jsLibraries = jsLibrary.map(({ file, source, defines }) => {
    const bytes = Buffer.from(source, 'utf8');
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const base = path.basename(file);
    const ext = path.extname(base);
    const url = `${base.slice(0, base.length - ext.length)}.${sha256.slice(0, 16)}${ext || '.js'}`;
    if (seen.has(url)) throw new cli.UsageError(`--js-library ${file}: given twice`);
    seen.add(url);
    fs.writeFileSync(path.join(outDir, url), bytes);
    return { file: base, url, sha256, size: bytes.length, ...(Object.keys(defines).length ? { defines } : {}) };
  });
  if (!doc.jsLibraries.length) delete doc.jsLibraries;
  if (Object.keys(settings).length) doc.settings = settings;
  else delete doc.settings;
  const out = {};
  for (const key of Object.keys(doc).sort()) out[key] = doc[key];
  fs.writeFileSync(manifestPath, `${JSON.stringify(out, null, 2)}\n`);
  return 0;
}
