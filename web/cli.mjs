#!/usr/bin/env node
// lazylink's Node entry: `lazylink run`, under Node or in headless Chromium.
// (`build/bin/lazylink run ...` execs this file; docs/cli-run.md.)
//
//   node web/cli.mjs run [--lib FILE]... [--path DIR]... [--browser] MAIN.wasm [--] [ARGS...]
//
// libstd comes from web/dist/ (next to this file). Modules named by NEEDED
// and dlopen() are searched in the --path directories, then the main
// module's directory, then web/dist/. The program's stdout and stderr are
// the process's; so is its exit code (cli-runner.mjs lists the codes
// lazylink itself uses).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EXIT_INTERNAL, EXIT_USAGE, runCommandProgram } from './cli-runner.mjs';
import { fileFetcher } from './fetchers.mjs';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(webDir);
const distDir = path.join(webDir, 'dist');

const USAGE = `usage: lazylink run [--lib FILE]... [--path DIR]... [--browser] MAIN.wasm [--] [ARGS...]

Runs a program split into WebAssembly modules (built with emcc -sSIDE_MODULE=1;
the main module is the one exporting main) with lazylink's loader.

  --lib FILE   load FILE before MAIN, as if MAIN were linked against it
               (RTLD_GLOBAL); repeatable
  --path DIR   search DIR for NEEDED libraries and dlopen() names (before
               MAIN's own directory); repeatable
  --browser    run in headless Chromium (in a Web Worker) instead of Node
  ARGS         passed to main as argv[1...]

Exit status: the program's; 127 if it could not be linked; 134 if it ended
abnormally (abort, uncaught C++ exception, trap); 2 for a usage error.
`;

export class UsageError extends Error {
  constructor(message, { showUsage = true } = {}) {
    super(message);
    this.showUsage = showUsage;
  }
}
const noSuchFile = (what) => new UsageError(`${what}: no such file or directory`, { showUsage: false });

// Parses run's arguments (everything after "run").
export function parseRunArgs(argv) {
  const opts = { libs: [], paths: [], browser: false, main: null, args: [] };
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
    else if (a === '--browser') opts.browser = true;
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
  return { main, libs, searchDirs: [...new Set(searchDirs)] };
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
  const { main, libs, searchDirs } = resolveRun(opts);
  const fetcher = await fileFetcher({ baseDir: process.cwd() });
  return runCommandProgram({
    fetcher, main, libs, searchPaths: searchDirs, args: opts.args, stdout, stderr,
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
  const { main, libs, searchDirs } = resolveRun(opts);
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

export async function main(argv) {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === undefined) {
    process.stdout.write(USAGE);
    return command === undefined ? EXIT_USAGE : 0;
  }
  if (command !== 'run') {
    process.stderr.write(`lazylink: unknown command "${command}" (this entry knows "run")\n${USAGE}`);
    return EXIT_USAGE;
  }
  let opts;
  try {
    opts = parseRunArgs(rest);
    if (opts.help) {
      process.stdout.write(USAGE);
      return 0;
    }
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
