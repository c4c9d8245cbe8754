#!/usr/bin/env node
// lazylink's Node entry: `lazylink run`, under Node or in headless Chromium.
// (`build/bin/lazylink run ...` execs this file; docs/cli-run.md.)
//
//   node web/cli.mjs run [--lib FILE]... [--path DIR]... [--dir HOST[::GUEST]]... [--js-library FILE]...
//                        [--browser] MAIN.wasm [--] [ARGS...]
//
// libstd comes from web/dist/ (next to this file). Modules named by NEEDED
// and dlopen() are searched in the --path directories, then the main
// module's directory, then web/dist/. The program's stdout and stderr are
// the process's; so is its exit code (cli-runner.mjs lists the codes
// lazylink itself uses).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EXIT_INTERNAL, EXIT_USAGE, exitFor, runCommandProgram } from './cli-runner.mjs';
import { fileFetcher } from './fetchers.mjs';
import { hostDirectory } from '../runtime/host/fs/node.mjs';
import { linkerSettings } from './settings.mjs';
import { parseDefine } from '../runtime/host/js_preprocess.mjs';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(webDir);
const distDir = path.join(webDir, 'dist');

const USAGE = `usage: lazylink run [--lib FILE]... [--path DIR]... [--dir HOST[::GUEST]]... [--browser] MAIN.wasm [--] [ARGS...]
       lazylink run APP/lazylink.json [--] [ARGS...]
       lazylink serve [DIR] [--port N] [--host H] [--throttle none|10mbit|3g] [--demo] [--log] [--no-compress]

Runs a program split into WebAssembly modules (built with emcc -sSIDE_MODULE=1;
the main module is the one exporting main) with lazylink's loader.

  --lib FILE   load FILE before MAIN, as if MAIN were linked against it
               (RTLD_GLOBAL); repeatable
  --path DIR   search DIR for NEEDED libraries and dlopen() names (before
               MAIN's own directory); repeatable
  --dir HOST[::GUEST]
               map the host directory HOST into the program's file system at
               GUEST (default: HOST's own path; a relative one under /, and
               "." also becomes the working directory), read and write;
               repeatable. Without it the program sees an in-memory file
               system (/tmp, /home/web_user, /dev) that ends with the run
  --cwd DIR    the program's working directory at start, a path in its file
               system (a --dir GUEST, or a directory of a packed app's
               --files); default: the GUEST of --dir ., else /
  --js-library FILE
               JavaScript library functions the modules import, in the
               format of emcc --js-library (docs/em-js.md); repeatable
  --js-define NAME[=VALUE]
               a setting the JS libraries' #if lines see (as emcc -jsD);
               repeatable
  --browser    run in headless Chromium (in a Web Worker) instead of Node
  --initial-memory SIZE, --maximum-memory SIZE, --stack-size SIZE
               the memory's initial and largest size and the stack's size
               (default 16MB, 2GB, 1MB; as emcc's -sINITIAL_MEMORY,
               -sMAXIMUM_MEMORY, -sTOTAL_STACK). SIZE: bytes, or with KB, MB, GB
  --malloc dlmalloc|emmalloc
               the allocator (default dlmalloc; as emcc's -sMALLOC): emmalloc
               is libstd-emmalloc.wasm, with emmalloc's own functions
               (emmalloc_trim, ...); not with C++ exceptions (-fexceptions)
  --memory-growth-geometric-step X, --memory-growth-geometric-cap SIZE,
  --memory-growth-linear-step SIZE
               how the memory grows when malloc needs more (default 0.2, 96MB,
               none; as emcc's -sMEMORY_GROWTH_*)
  ARGS         passed to main as argv[1...]

With a manifest (written by lazylink pack), the app loads as in a browser:
eager modules first, the others on first call (synchronously, under Node).

Exit status: the program's; 127 if it could not be linked; 134 if it ended
abnormally (abort, uncaught C++ exception, trap); 2 for a usage error.

serve: a static server for packed apps (MIME types, caching headers for
content-hashed files, brotli/gzip compression unless --no-compress, optional
throttling) that also serves lazylink's JS under /web/ and /runtime/.
--demo serves the demo (build/demo-site).
`;

export class UsageError extends Error {
  constructor(message, { showUsage = true } = {}) {
    super(message);
    this.showUsage = showUsage;
  }
}
const noSuchFile = (what) => new UsageError(`${what}: no such file or directory`, { showUsage: false });

// --initial-memory and friends: the option, and its key in opts.memory.
const MEMORY_OPTIONS = {
  '--initial-memory': 'initialMemory',
  '--maximum-memory': 'maximumMemory',
  '--stack-size': 'stackSize',
  '--memory-growth-geometric-step': 'geometricStep',
  '--memory-growth-geometric-cap': 'geometricCap',
  '--memory-growth-linear-step': 'linearStep',
};

// "16777216", "64MB", "64Mb", "1kb", "2GB" -> bytes (powers of 1024, as emcc).
export function parseSize(flag, text) {
  const m = /^\s*(\d+)\s*(?:([kmg])i?b?)?\s*$/i.exec(text);
  if (!m) {
    throw new UsageError(`${flag} ${text}: not a size (bytes, or a number with KB, MB or GB)`, { showUsage: false });
  }
  const bytes = Number(m[1]) * 1024 ** (m[2] ? 'kmg'.indexOf(m[2].toLowerCase()) + 1 : 0);
  if (bytes > 4 * 1024 ** 3) {
    throw new UsageError(`${flag} ${text}: more than 4GB, which a 32-bit memory cannot have`, { showUsage: false });
  }
  return bytes;
}

function parseFactor(flag, text) {
  const x = Number(text);
  if (!(text.trim() !== '' && x >= 0)) {
    throw new UsageError(`${flag} ${text}: not a non-negative number`, { showUsage: false });
  }
  return x;
}

// opts.memory -> the domain's linker options (web/domain.mjs, web/settings.mjs).
export function linkerMemoryOptions(memory = {}) {
  if (memory.maximumMemory !== undefined && memory.initialMemory !== undefined &&
      memory.initialMemory > memory.maximumMemory) {
    throw new UsageError(`--initial-memory ${memory.initialMemory} is more than --maximum-memory ${memory.maximumMemory}`,
                         { showUsage: false });
  }
  return linkerSettings(memory);
}

// Parses run's arguments (everything after "run").
export function parseRunArgs(argv) {
  const opts = { libs: [], paths: [], dirs: [], jsLibraries: [], jsDefines: {}, browser: false, main: null, args: [],
                 memory: {} };
  let i = 0;
  const value = (flag) => {
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-h' || a === '--help') {
      opts.help = true;
      return opts;
    }
    if (a === '--lib') opts.libs.push(value(a));
    else if (a.startsWith('--lib=')) opts.libs.push(a.slice(6));
    else if (a === '--path') opts.paths.push(value(a));
    else if (a.startsWith('--path=')) opts.paths.push(a.slice(7));
    else if (a === '--js-library') opts.jsLibraries.push(value(a));
    else if (a.startsWith('--js-library=')) opts.jsLibraries.push(a.slice(13));
    else if (a === '--js-define' || a.startsWith('--js-define=')) {
      const v = a === '--js-define' ? value(a) : a.slice(12);
      try {
        const [name, val] = parseDefine(v);
        opts.jsDefines[name] = val;
      } catch (e) {
        throw new UsageError(e.message);
      }
    } else if (a === '--dir') opts.dirs.push(value(a));
    else if (a === '--cwd' || a.startsWith('--cwd=')) {
      const v = a === '--cwd' ? value(a) : a.slice(6);
      if (!v.startsWith('/')) throw new UsageError(`--cwd ${v}: give an absolute path in the program's file system`);
      opts.cwd = v;
    }
    else if (a.startsWith('--dir=')) opts.dirs.push(a.slice(6));
    else if (a === '--browser') opts.browser = true;
    else if (a === '--malloc' || a.startsWith('--malloc=')) {
      const v = a === '--malloc' ? value(a) : a.slice(9);
      if (v !== 'dlmalloc' && v !== 'emmalloc') {
        throw new UsageError(`--malloc ${v}: dlmalloc or emmalloc`, { showUsage: false });
      }
      opts.memory.malloc = v;
    } else if (MEMORY_OPTIONS[a.split('=')[0]]) {
      const flag = a.split('=')[0];
      const v = a.includes('=') ? a.slice(flag.length + 1) : value(a);
      opts.memory[MEMORY_OPTIONS[flag]] =
        flag === '--memory-growth-geometric-step' ? parseFactor(flag, v) : parseSize(flag, v);
    }
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else {
      opts.main = a;
      i++;
      if (argv[i] === '--') i++;
      break;
    }
  }
  if (!opts.main && i < argv.length) opts.main = argv[i++];
  if (!opts.main) throw new UsageError('no MAIN.wasm given');
  opts.args = argv.slice(i);
  return opts;
}

// The file-system layout of a run: absolute paths, and the search order.
function resolveRun(opts, cwd = process.cwd()) {
  const abs = (p) => path.resolve(cwd, p);
  const main = abs(opts.main);
  if (!fs.existsSync(main)) throw noSuchFile(opts.main);
  const libs = opts.libs.map((l) => {
    const file = abs(l);
    if (!fs.existsSync(file)) throw noSuchFile(`--lib ${l}`);
    return file;
  });
  for (const d of opts.paths) {
    if (!fs.existsSync(abs(d))) throw noSuchFile(`--path ${d}`);
  }
  const searchDirs = [...opts.paths.map(abs), path.dirname(main), distDir];
  const jsLibrary = (opts.jsLibraries ?? []).map((f) => {
    if (!fs.existsSync(abs(f))) throw noSuchFile(`--js-library ${f}`);
    return { file: f, source: fs.readFileSync(abs(f), 'utf8'), defines: opts.jsDefines ?? {} };
  });
  const resolved = resolveDirs(opts.dirs ?? [], cwd);
  if (opts.cwd) resolved.cwd = opts.cwd;
  return { main, libs, searchDirs: [...new Set(searchDirs)], jsLibrary, ...resolved };
}

// --dir HOST[::GUEST] (the wasmtime convention): host directories mapped
// into the program's file system. Returns {dirs: [{host, guest}], cwd}.
export function resolveDirs(specs, cwd = process.cwd()) {
  const dirs = [];
  let guestCwd = null;
  for (const spec of specs) {
    const sep = spec.indexOf('::');
    const hostPart = sep < 0 ? spec : spec.slice(0, sep);
    const guestPart = sep < 0 ? null : spec.slice(sep + 2);
    if (!hostPart) throw new UsageError(`--dir ${spec}: no host directory before "::"`);
    const host = path.resolve(cwd, hostPart);
    let st = null;
    try { st = fs.statSync(host); } catch { /* reported below */ }
    if (!st) throw new UsageError(`--dir ${spec}: ${hostPart}: no such directory`, { showUsage: false });
    if (!st.isDirectory()) throw new UsageError(`--dir ${spec}: ${hostPart} is not a directory`, { showUsage: false });
    let guest = guestPart ?? (path.isAbsolute(hostPart) ? hostPart : (hostPart === '.' ? host : hostPart));
    guest = path.posix.normalize(`/${guest}`).replace(/\/+$/, '');
    if (!guest || guest === '/') {
      throw new UsageError(`--dir ${spec}: cannot map a directory over "/"; name a guest directory (HOST::/data)`,
                           { showUsage: false });
    }
    if (hostPart === '.' && guestPart === null) guestCwd = guest;
    dirs.push({ host, guest });
  }
  return { dirs, cwd: guestCwd };
}

// stdin for the program, read synchronously in chunks; EOF on error.
function stdinReader() {
  const buf = Buffer.alloc(65536);
  let eof = false;
  return () => {
    if (eof) return null;
    try {
      const n = fs.readSync(0, buf, 0, buf.length, null);
      if (n === 0) eof = true;
      return n ? new Uint8Array(buf.subarray(0, n)) : null;
    } catch (e) {
      if (e.code === 'EAGAIN') return null;
      eof = true;
      return null;
    }
  };
}

export async function runNode(opts, io = {}) {
  const stdout = io.stdout ?? ((t) => process.stdout.write(t));
  const stderr = io.stderr ?? ((t) => process.stderr.write(t));
  const { main, libs, searchDirs, jsLibrary, dirs, cwd } = resolveRun(opts);
  const fetcher = await fileFetcher({ baseDir: process.cwd() });
  const mounts = dirs.map(({ host, guest }) => [guest, hostDirectory(fs, host)]);
  return runCommandProgram({
    fetcher, main, libs, searchPaths: searchDirs, args: opts.args, stdout, stderr, jsLibrary, mounts, cwd,
    linker: linkerMemoryOptions(opts.memory),
    stdin: io.stdin === undefined ? stdinReader() : io.stdin,
  });
}

// Runs the program in headless Chromium: a page under web/run-page/ starts
// a module Worker (where synchronous fetching, hence dlopen, works) that
// runs it with the same loader; output and the exit code come back through
// the page. `browser` (from tests/browser/harness.mjs openBrowser) may be
// shared between runs; otherwise one is started and closed.
export async function runBrowser(opts, io = {}) {
  const stdout = io.stdout ?? ((t) => process.stdout.write(t));
  const stderr = io.stderr ?? ((t) => process.stderr.write(t));
  if (opts.dirs?.length) {
    throw new UsageError('--dir maps host directories under Node only; it does not apply with --browser',
                         { showUsage: false });
  }
  const { main, libs, searchDirs, jsLibrary } = resolveRun(opts);
  const { startServer } = await import('./server.mjs');
  const { openBrowser } = await import(pathToFileURL(path.join(repoRoot, 'tests/browser/harness.mjs')).href);

  // Every directory the run reads from becomes a mount: /d0/, /d1/, ...
  const mounts = { '/web': webDir, '/runtime': path.join(repoRoot, 'runtime') };
  const urlOf = new Map();
  const mount = (dir) => {
    if (dir === distDir) return '/web/dist';
    if (!urlOf.has(dir)) {
      const prefix = `/d${urlOf.size}`;
      urlOf.set(dir, prefix);
      mounts[prefix] = dir;
    }
    return urlOf.get(dir);
  };
  const fileUrl = (file) => `${mount(path.dirname(file))}/${encodeURIComponent(path.basename(file))}`;
  const config = {
    main: fileUrl(main),
    libs: libs.map(fileUrl),
    searchPaths: searchDirs.map(mount),
    args: opts.args,
    jsLibrary,
    linker: linkerMemoryOptions(opts.memory),
  };
  const server = await startServer({ mounts });
  const browser = io.browser ?? await openBrowser();
  let page = null;
  try {
    page = await browser.newPage();
    await page.exposeFunction('__lazylinkOutput', (fd, text) => { (fd === 1 ? stdout : stderr)(text); });
    const url = `${server.url}/web/run-page/index.html?config=${encodeURIComponent(JSON.stringify(config))}`;
    const { result, consoleErrors } = await browser.runPage(url, { page, timeoutMs: io.timeoutMs ?? 600_000 });
    for (const e of consoleErrors) stderr(`lazylink: browser console: ${e}\n`);
    if (typeof result.exitCode !== 'number') {
      stderr(`lazylink: the page reported no exit code: ${JSON.stringify(result)}\n`);
      return EXIT_INTERNAL;
    }
    return result.exitCode;
  } finally {
    if (page) await page.close().catch(() => {});
    if (!io.browser) await browser.close();
    await server.close();
  }
}

// `lazylink run APP/lazylink.json`: the app as web/lazylink.mjs loads it.
export async function runManifest(opts, io = {}) {
  const stdout = io.stdout ?? ((t) => process.stdout.write(t));
  const stderr = io.stderr ?? ((t) => process.stderr.write(t));
  const manifest = path.resolve(opts.main);
  if (!fs.existsSync(manifest)) throw noSuchFile(opts.main);
  if (opts.browser || opts.libs.length || opts.paths.length) {
    throw new UsageError('with a manifest, --browser, --lib and --path do not apply (use lazylink serve for browsers)');
  }
  const jsLibrary = (opts.jsLibraries ?? []).map((f) => {
    if (!fs.existsSync(f)) throw noSuchFile(`--js-library ${f}`);
    return { file: f, source: fs.readFileSync(f, 'utf8'), defines: opts.jsDefines ?? {} };
  });
  const { dirs, cwd: dirCwd } = resolveDirs(opts.dirs ?? []);
  const cwd = opts.cwd ?? dirCwd;
  const mounts = dirs.map(({ host, guest }) => [guest, hostDirectory(fs, host)]);
  const { load } = await import('./lazylink.mjs');
  let app = null;
  try {
    const linker = linkerMemoryOptions(opts.memory);
    app = await load(manifest, { args: opts.args, stdout, stderr, cache: false, prefetchWhenIdle: false, jsLibrary,
                                 mounts, cwd, ...(Object.keys(linker).length ? { linker } : {}),
                                 stdin: io.stdin === undefined ? stdinReader() : io.stdin });
    return ((await app.run()) ?? 0) & 0xff;
  } catch (e) {
    return exitFor(e, app?.host.context ?? null, stderr);
  }
}

// `lazylink serve`.
export async function serve(argv) {
  const opts = { dir: null, port: 8080, host: '127.0.0.1', throttle: 'none', demo: false, log: false, compress: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port') opts.port = Number(value());
    else if (a === '--host') opts.host = value();
    else if (a === '--throttle') opts.throttle = value();
    else if (a === '--demo') opts.demo = true;
    else if (a === '--log') opts.log = true;
    else if (a === '--no-compress') opts.compress = false;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else opts.dir = a;
  }
  const { startServer, THROTTLE_PROFILES } = await import('./server.mjs');
  if (!(opts.throttle in THROTTLE_PROFILES)) {
    throw new UsageError(`--throttle ${opts.throttle}: expected ${Object.keys(THROTTLE_PROFILES).join(', ')}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new UsageError('--port: not a port number');
  let mounts;
  if (opts.demo) {
    const { demoMounts } = await import(pathToFileURL(path.join(repoRoot, 'demo/serve.mjs')).href);
    mounts = demoMounts();
    if (!fs.existsSync(mounts['/app'])) {
      throw new UsageError(`${mounts['/app']} is missing: build first (make demo)`, { showUsage: false });
    }
  } else {
    const dir = path.resolve(opts.dir ?? '.');
    if (!fs.existsSync(dir)) throw noSuchFile(opts.dir);
    mounts = { '/': dir, '/web': webDir, '/runtime': path.join(repoRoot, 'runtime') };
  }
  const server = await startServer({ mounts, port: opts.port, host: opts.host, quiet: !opts.log,
                                     throttle: THROTTLE_PROFILES[opts.throttle], compress: opts.compress });
  process.stdout.write(`lazylink serve: ${server.url}/${opts.demo ? '' : `  (serving ${mounts['/']})`}\n`);
  process.stdout.write('Ctrl+C to stop\n');
  return new Promise(() => {});  // until interrupted
}

export async function main(argv) {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === undefined) {
    process.stdout.write(USAGE);
    return command === undefined ? EXIT_USAGE : 0;
  }
  if (command === 'serve') {
    try {
      return await serve(rest);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      process.stderr.write(`lazylink serve: ${e.message}\n${e.showUsage ? USAGE : ''}`);
      return EXIT_USAGE;
    }
  }
  if (command === 'start-plan') {
    const { startPlanCommand } = await import('./start-plan-pack.mjs');
    return startPlanCommand(rest);
  }
  if (command === 'pack-files') {
    // `lazylink pack --files` (loader/cli/pack_command.cc) after the manifest is written.
    const { packFilesCommand } = await import('./pack-files.mjs');
    return packFilesCommand(rest);
  }
  if (command === 'host-functions' || command === 'pack-app') {
    // host-functions [--js-library FILE]... [run's memory options]: what the
    // host provides (with those JS libraries), for `lazylink pack`'s checks:
    // one per line, MODULE<TAB>NAME<TAB>SIG (SIG empty: any signature; NAME
    // ending in *: a prefix). pack-app OUT_DIR [the same options]: copies
    // the JS libraries into the app and records them and the settings in
    // its manifest (web/pack-app.mjs).
    const { hostFunctionsCommand, packAppCommand } = await import('./pack-app.mjs');
    try {
      const cli = { parseRunArgs, linkerMemoryOptions, UsageError };
      return await (command === 'pack-app' ? packAppCommand(rest, cli) : hostFunctionsCommand(rest, cli));
    } catch (e) {
      process.stderr.write(`lazylink pack: ${e.message}\n`);
      return e instanceof UsageError ? EXIT_USAGE : 1;
    }
  }
  if (command !== 'run') {
    process.stderr.write(`lazylink: unknown command "${command}" (this entry knows "run" and "serve")\n${USAGE}`);
    return EXIT_USAGE;
  }
  let opts;
  try {
    opts = parseRunArgs(rest);
    if (opts.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (opts.main.endsWith('.json')) return await runManifest(opts);
    return await (opts.browser ? runBrowser(opts) : runNode(opts));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`lazylink run: ${e.message}\n${e.showUsage ? USAGE : ''}`);
      return EXIT_USAGE;
    }
    process.stderr.write(`lazylink: internal error: ${e && e.stack ? e.stack : e}\n`);
    return EXIT_INTERNAL;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  const code = await main(process.argv.slice(2));
  // Let stdout/stderr drain (pipes are asynchronous), then leave with the
  // program's status even if something keeps the event loop alive.
  await new Promise((resolve) => process.stdout.write('', resolve));
  await new Promise((resolve) => process.stderr.write('', resolve));
  process.exit(code);
}
