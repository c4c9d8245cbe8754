// Runs Lua 5.4.7's own test suite (tests/third_party/lua/testes, stock) with
// the lazylink build of Lua (lua.wasm + liblua.wasm) and with a plain emcc
// build of the same sources, and checks that both give the same results.
//
//   node tests/third_party/lua_suite.mjs --lazylink build/bin/lazylink \
//        --lua build/wasm/tests/third_party/lua/lua.wasm \
//        --plain build/wasm/tests/third_party/lua/plain/lua.js \
//        [--env node|chromium] [--mode dir|pack] [--only gc,db,...] [--no-all]
//        [--lazy|--eager] [--full] [--no-each] [--keep] [--json FILE] [--verbose]
//
// Each run starts from a fresh copy of testes/ (the suite writes files next
// to itself):
//   each  every file of all.lua's list run on its own,
//           lua -e"_port=true; _soft=true" FILE.lua
//         under both builds: the same files must pass, and a file that fails
//         must fail with the same message at the same line.
//   all   all.lua itself (the suite as its authors run it, ending with
//         "final OK !!!"), with the files that the plain emcc build fails on
//         their own left out (see SKIP below); both builds must print
//         "final OK !!!" and the same output once timings, memory figures and
//         random seeds are masked. Then all.lua under lazylink alone with
//         the files it passes beyond plain emcc put back (LAZYLINK_PASSES).
//   cmd   (--mode pack, Node) one file through `lazylink run APP/lazylink.json`.
//
// --mode dir      `lazylink run --dir . lua.wasm -- ...` from the test
//                 directory (mapped at its own path, the working directory)
// --mode pack     `lazylink pack lua.wasm liblua.wasm --files DIR::/testes`,
//                 then the packed app is loaded with load(manifest,
//                 { cwd: '/testes' }) (web/lazylink.mjs), as `lazylink run
//                 APP/lazylink.json` does but with the working directory the
//                 suite needs (the command has no way to set it)
// --lazy, --eager (with --mode pack) liblua.wasm's policy, checked at run
//                 time from the app's load events. Lazy (what pack chooses
//                 by itself: lua.wasm only calls its functions): main starts
//                 without it, and lua.c's first call into the library
//                 (luaL_newstate) loads it; eager: it loads before main
// --full          without _soft: the long versions of the tests
// --env node      Node (--mode dir: one `lazylink run` process per run;
//                 --mode pack: in this process)
// --env chromium  headless Chromium, one browser for every run: --mode pack
//                 loads the app on a window's main thread
//                 (browser/index.html); --mode dir is `lazylink run --dir .
//                 --browser`, which the command refuses so far (--dir is
//                 Node only)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const testesSrc = path.join(here, 'lua', 'testes');

// all.lua's files, in its order (big.lua is skipped by all.lua under _soft,
// but runs on its own).
export const SUITE = ['main', 'gc', 'db', 'calls', 'strings', 'literals', 'tpack', 'attrib',
  'gengc', 'locals', 'constructs', 'code', 'big', 'cstack', 'nextvar', 'pm', 'utf8', 'api',
  'events', 'vararg', 'closure', 'coroutine', 'goto', 'errors', 'math', 'sort', 'bitwise',
  'verybig', 'files'].map((n) => `${n}.lua`);

// Files the plain emcc build (Emscripten 3.1.6) fails on, with why. all.lua
// runs without them (for both builds); each is still run on its own, and
// the lazylink build must fail it the same way (or pass it, if it is in
// LAZYLINK_PASSES). The runner checks that the plain build really fails
// each of them, so the list cannot hide a file.
export const SKIP = {
  'literals.lua': 'musl accepts os.setlocale("pt_BR") but keeps "." as the decimal point',
  'files.lua': 'Emscripten 3.1.6\'s mktime does not write a normalized tm_year back (os.time{year=2005, month=1, day=1, sec=-3602} leaves year 2005)',
};

// Files the plain emcc build fails (SKIP) that lazylink passes, and why.
// The runner expects exactly this: lazylink passing them, and all.lua
// reaching "final OK" under lazylink with only SKIP minus these left out.
export const LAZYLINK_PASSES = {
  'files.lua': 'lazylink\'s mktime writes the whole normalized date back (tm_year too), as POSIX says',
};

// _port: leave out what is not portable; _soft: the short versions of the
// long tests (--full: the long ones).
let PRELUDE = '_port=true; _soft=true';
// Where --mode pack puts the test directory (and the program's working
// directory).
const TESTES = '/testes';
// all.lua loads its files with loadfile() or dofile(); the skipped ones
// become empty chunks.
function allPrelude(skip) {
  const names = skip.map((n) => `["${n}"]=true`).join(', ');
  return `${PRELUDE}; local skip = {${names}}; ` +
    'local lf, df = loadfile, dofile; ' +
    'loadfile = function (n, ...) if skip[n] then print("(skipped " .. n .. ")"); return load("") end return lf(n, ...) end; ' +
    'dofile = function (n, ...) if skip[n] then print("(skipped " .. n .. ")"); return end return df(n, ...) end';
}

function parseArgs(argv) {
  const o = { env: 'node', mode: 'dir', lazylink: null, lua: null, plain: null, only: null,
              each: true, all: true, keep: false, policy: null, json: null, verbose: false, timeoutMs: 180_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--env') o.env = v();
    else if (a === '--mode') o.mode = v();
    else if (a === '--lazylink') o.lazylink = path.resolve(v());
    else if (a === '--lua') o.lua = path.resolve(v());
    else if (a === '--plain') o.plain = path.resolve(v());
    else if (a === '--only') o.only = v().split(',').map((n) => (n.endsWith('.lua') ? n : `${n}.lua`));
    else if (a === '--no-each') o.each = false;
    else if (a === '--no-all') o.all = false;
    else if (a === '--keep') o.keep = true;
    else if (a === '--full') PRELUDE = '_port=true';
    else if (a === '--lazy') o.policy = 'lazy';
    else if (a === '--eager') o.policy = 'eager';
    else if (a === '--json') o.json = v();
    else if (a === '--verbose') o.verbose = true;
    else throw new Error(`unknown argument ${a}`);
  }
  for (const k of ['lazylink', 'lua', 'plain']) {
    if (!o[k]) throw new Error(`--${k} is required`);
  }
  if (!['node', 'chromium'].includes(o.env)) throw new Error(`--env ${o.env}: node or chromium`);
  if (!['dir', 'pack'].includes(o.mode)) throw new Error(`--mode ${o.mode}: dir or pack`);
  return o;
}

function run(cmd, args, { cwd, timeoutMs }) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'],
                                     env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { stderr += `${cmd}: ${e.message}\n`; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? `signal ${signal}` : null), stdout, stderr,
                ms: performance.now() - t0 });
    });
  });
}

// What differs from run to run (or build to build) for reasons that are not
// results: timings, memory figures, random seeds and what depends on them,
// the date, the program's name in error messages; on stderr, the dots the
// suite's GC tracer prints at each collection.
export function normalizeStdout(text) {
  return text.split('\n').map((l) => l
    .replace(/^time: .*/, 'time: T')
    .replace(/total memory: .*/, 'total memory: M')
    .replace(/^random seeds: .*/, 'random seeds: R')
    .replace(/random range in .*/, 'random range in N')
    .replace(/in [0-9.]+ msec\./g, 'in T msec.')
    .replace(/with [0-9]+ comparisons/, 'with N comparisons')
    .replace(/^total time: .*/, 'total time: T')
    .replace(/short-circuit optimizations \(\d\)/, 'short-circuit optimizations (N)')
    .replace(/test done on .*/, 'test done on D')).join('\n');
}
export function normalizeStderr(text) {
  return text.replace(/^\.+/gm, '').replace(/\.+$/gm, '')
    .replace(/^[^\s:]*lua(\.js|\.wasm)?: /gm, 'lua: ');
}
// The first error line of a failed run ("lua: files.lua:933: assertion failed!").
function errorLine(r) {
  const lines = normalizeStderr(r.stderr).split('\n').filter((l) => l.trim());
  return lines.find((l) => /^lua: /.test(l)) ?? lines[0] ?? `(exit ${r.code}, no message)`;
}

class Runner {
  constructor(o) {
    this.o = o;
    this.work = fs.mkdtempSync(path.join(os.tmpdir(), 'lazylink-lua-'));
    this.libDir = path.dirname(o.lua);
    this.browser = null;
  }

  // A fresh copy of the test directory for one build.
  fresh(name) {
    const dir = path.join(this.work, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(testesSrc, dir, { recursive: true });
    return dir;
  }

  plain(dir, luaArgs) {
    return run(process.execPath, ['--no-experimental-fetch', this.o.plain, ...luaArgs],
               { cwd: dir, timeoutMs: this.o.timeoutMs });
  }

  async pack(dir) {
    const out = `${dir}-app`;
    fs.rmSync(out, { recursive: true, force: true });
    const r = await run(this.o.lazylink, ['pack', this.o.lua, path.join(this.libDir, 'liblua.wasm'),
      '--files', `${dir}::${TESTES}`, '-o', out, '-q',
      ...(this.o.policy ? ['--policy', `liblua.wasm=${this.o.policy}`] : [])], { cwd: this.work, timeoutMs: this.o.timeoutMs });
    if (r.code !== 0) throw new Error(`lazylink pack failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
    return path.join(out, 'lazylink.json');
  }

  // argv of `lazylink run` for this mode. With --dir, run from the test
  // directory: `--dir .` maps it (at its own path) and makes it the
  // program's working directory.
  runArgs(luaArgs) {
    return ['run', '--dir', '.', ...(this.o.env === 'chromium' ? ['--browser'] : []),
            this.o.lua, '--', ...luaArgs];
  }

  // One run of Lua under lazylink: `target` is the test directory (--mode
  // dir) or the packed app's manifest (--mode pack).
  async lazylink(target, luaArgs) {
    if (this.o.mode === 'dir') {
      return run(this.o.lazylink, this.runArgs(luaArgs), { cwd: target, timeoutMs: this.o.timeoutMs });
    }
    return this.o.env === 'node' ? this.loadNode(target, luaArgs) : this.loadChromium(target, luaArgs);
  }

  // A packed app under Node: what `lazylink run APP/lazylink.json` does
  // (web/cli.mjs runManifest), with the working directory the suite needs,
  // which the command cannot set.
  async loadNode(manifest, luaArgs) {
    const { load } = await import(pathToFileURL(path.join(repoRoot, 'web/lazylink.mjs')).href);
    const { exitFor } = await import(pathToFileURL(path.join(repoRoot, 'web/cli-runner.mjs')).href);
    let stdout = '';
    let stderr = '';
    const out = (t) => { stdout += t; };
    const err = (t) => { stderr += t; };
    const t0 = performance.now();
    let app = null;
    let code;
    const events = [];
    try {
      app = await load(manifest, { args: luaArgs, cwd: TESTES, stdout: out, stderr: err, stdin: () => null,
                                   cache: false, prefetchWhenIdle: false,
                                   onProgress: (e) => { if (e.module && e.phase === 'done') events.push(e.module); } });
      events.push('main');
      code = ((await app.run()) ?? 0) & 0xff;
    } catch (e) {
      code = exitFor(e, app?.host.context ?? null, err);
    }
    return { code, stdout, stderr, events, ms: performance.now() - t0 };
  }

  // A packed app on Chromium's main thread (browser/index.html: load()),
  // one headless Chromium for every run.
  async loadChromium(manifest, luaArgs) {
    if (!this.browser) {
      const { startServer } = await import(pathToFileURL(path.join(repoRoot, 'web/server.mjs')).href);
      const { openBrowser } = await import(pathToFileURL(path.join(repoRoot, 'tests/browser/harness.mjs')).href);
      this.server = await startServer({ mounts: {
        '/web': path.join(repoRoot, 'web'), '/runtime': path.join(repoRoot, 'runtime'),
        '/tests': path.join(repoRoot, 'tests'), '/work': this.work } });
      this.browser = await openBrowser();
    }
    const app = `/work/${path.relative(this.work, manifest).split(path.sep).join('/')}`;
    const q = new URLSearchParams({ app, args: JSON.stringify(luaArgs), cwd: TESTES });
    const t0 = performance.now();
    try {
      const { page, result, consoleErrors } = await this.browser.runPage(
        `${this.server.url}/tests/third_party/browser/index.html?${q}`, { timeoutMs: this.o.timeoutMs });
      await page.close();
      let stderr = result.stderr;
      if (result.error) stderr += `lazylink: ${result.error}\n`;
      for (const e of consoleErrors) stderr += `lazylink: browser console: ${e}\n`;
      const code = result.error || consoleErrors.length ? `error${consoleErrors.length ? ' (console)' : ''}` : result.exitCode;
      return { code, stdout: result.stdout, stderr, events: result.events, ms: performance.now() - t0 };
    } catch (e) {
      return { code: 'error', stdout: '', stderr: `${e.message}\n`, ms: performance.now() - t0 };
    }
  }

  async close() {
    if (this.browser) await this.browser.close();
    if (this.server) await this.server.close();
    if (!this.o.keep) fs.rmSync(this.work, { recursive: true, force: true });
  }
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)}s`;

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const r = new Runner(o);
  const problems = [];
  const report = { env: o.env, mode: o.mode, each: [], all: null };
  const log = (t) => process.stdout.write(`${t}\n`);
  log(`lua suite: lazylink (${o.env}, --${o.mode === 'dir' ? 'dir' : 'files'}${o.policy ? `, liblua.wasm ${o.policy}` : ''}) against plain emcc; work dir ${r.work}`);
  try {
    const files = o.only ?? SUITE;
    if (o.each) {
      const plainDir = r.fresh('plain-each');
      const llDir = r.fresh('lazylink-each');
      const target = o.mode === 'pack' ? await r.pack(llDir) : llDir;
      log(`${'file'.padEnd(16)} ${'plain emcc'.padEnd(24)} lazylink`);
      for (const f of files) {
        const args = [`-e${PRELUDE}`, f];
        // The two builds side by side (separate copies of the directory).
        const [p, l] = await Promise.all([r.plain(plainDir, args), r.lazylink(target, args)]);
        const pOk = p.code === 0;
        const lOk = l.code === 0;
        const row = { file: f, plain: { ok: pOk, ms: Math.round(p.ms) }, lazylink: { ok: lOk, ms: Math.round(l.ms) } };
        if (!pOk) row.plain.error = errorLine(p);
        if (!lOk) row.lazylink.error = errorLine(l);
        report.each.push(row);
        const show = (x, ok, ms) => `${ok ? 'pass' : 'FAIL'} ${fmt(ms)}`.padEnd(x);
        log(`${f.padEnd(16)} ${show(24, pOk, p.ms)} ${show(0, lOk, l.ms)}${lOk ? '' : `  ${row.lazylink.error}`}`);
        if (!pOk && o.verbose) log(`  plain: ${row.plain.error}`);
        if (!pOk && lOk && LAZYLINK_PASSES[f]) {
          // Expected: see LAZYLINK_PASSES.
        } else if (LAZYLINK_PASSES[f]) {
          problems.push(`${f}: lazylink was expected to pass it (${LAZYLINK_PASSES[f]}), but ` +
                        `${lOk ? 'plain emcc passes it too: take it out of SKIP and LAZYLINK_PASSES' : `fails: ${row.lazylink.error}`}`);
        } else if (pOk !== lOk) {
          problems.push(`${f}: plain emcc ${pOk ? 'passes' : `fails (${row.plain.error})`}, lazylink ${lOk ? 'passes' : `fails (exit ${l.code}): ${row.lazylink.error}`}`);
        } else if (!pOk && row.plain.error !== row.lazylink.error) {
          problems.push(`${f}: both fail, differently:\n  plain:    ${row.plain.error}\n  lazylink: ${row.lazylink.error}`);
        } else if (normalizeStdout(p.stdout) !== normalizeStdout(l.stdout)) {
          problems.push(`${f}: stdout differs${diffHint(normalizeStdout(p.stdout), normalizeStdout(l.stdout))}`);
        } else if (pOk && normalizeStderr(p.stderr) !== normalizeStderr(l.stderr)) {
          problems.push(`${f}: stderr differs${diffHint(normalizeStderr(p.stderr), normalizeStderr(l.stderr))}`);
        }
        if (o.verbose && !lOk) log(l.stderr.slice(-2000));
        checkLoads(o, f, l, problems);
        if (SKIP[f] && pOk) problems.push(`${f} is in SKIP but the plain emcc build passes it: take it out of SKIP`);
      }
    }
    if (o.mode === 'pack' && o.env === 'node') {
      // The command itself (`lazylink run APP/lazylink.json`), which starts
      // the program in /: a file that opens no other, by its absolute path.
      const f = 'strings.lua';
      const p = await r.plain(r.fresh('plain-cmd'), [`-e${PRELUDE}`, f]);
      const manifest = await r.pack(r.fresh('lazylink-cmd'));
      const l = await run(o.lazylink, ['run', manifest, '--', `-e${PRELUDE}`, `${TESTES}/${f}`],
                          { cwd: r.work, timeoutMs: o.timeoutMs });
      log(`lazylink run APP/lazylink.json -- ... ${TESTES}/${f}: ${l.code === 0 ? 'pass' : `FAIL (exit ${l.code})`} ${fmt(l.ms)}`);
      if (l.code !== 0 || p.code !== 0) {
        problems.push(`${f} through \`lazylink run APP/lazylink.json\`: exit ${l.code} (plain emcc: ${p.code}): ${errorLine(l)}`);
      } else if (normalizeStdout(p.stdout) !== normalizeStdout(l.stdout)) {
        problems.push(`${f} through \`lazylink run APP/lazylink.json\`: stdout differs${diffHint(normalizeStdout(p.stdout), normalizeStdout(l.stdout))}`);
      }
    }
    if (o.all) {
      const skip = Object.keys(SKIP);
      const args = [`-e${allPrelude(skip)}`, 'all.lua'];
      const p = await r.plain(r.fresh('plain-all'), args);
      const llDir = r.fresh('lazylink-all');
      const target = o.mode === 'pack' ? await r.pack(llDir) : llDir;
      const l = await r.lazylink(target, args);
      const finalOk = (x) => x.code === 0 && /^final OK !!!$/m.test(x.stdout);
      checkLoads(o, 'all.lua', l, problems);
      report.all = { skipped: skip, plain: { ok: finalOk(p), ms: Math.round(p.ms) },
                     lazylink: { ok: finalOk(l), ms: Math.round(l.ms) } };
      log(`all.lua (without ${skip.join(', ')}): plain emcc ${finalOk(p) ? 'final OK' : 'FAIL'} ${fmt(p.ms)}, ` +
          `lazylink ${finalOk(l) ? 'final OK' : `FAIL (exit ${l.code})`} ${fmt(l.ms)}`);
      if (!finalOk(p)) problems.push(`all.lua: the plain emcc build does not reach "final OK" (exit ${p.code}): ${errorLine(p)}`);
      if (!finalOk(l)) {
        problems.push(`all.lua: lazylink does not reach "final OK" (exit ${l.code}): ${errorLine(l)}`);
        if (o.verbose) log(`${l.stdout.slice(-3000)}\n${l.stderr.slice(-3000)}`);
      } else if (normalizeStdout(p.stdout) !== normalizeStdout(l.stdout)) {
        problems.push(`all.lua: stdout differs${diffHint(normalizeStdout(p.stdout), normalizeStdout(l.stdout))}`);
      } else if (normalizeStderr(p.stderr) !== normalizeStderr(l.stderr)) {
        problems.push(`all.lua: stderr differs${diffHint(normalizeStderr(p.stderr), normalizeStderr(l.stderr))}`);
      }
      // lazylink alone, with the files it passes put back.
      const fewer = skip.filter((n) => !LAZYLINK_PASSES[n]);
      const target2 = o.mode === 'pack' ? await r.pack(r.fresh('lazylink-all2')) : r.fresh('lazylink-all2');
      const l2 = await r.lazylink(target2, [`-e${allPrelude(fewer)}`, 'all.lua']);
      report.allLazylink = { skipped: fewer, ok: finalOk(l2), ms: Math.round(l2.ms) };
      log(`all.lua (without ${fewer.join(', ') || 'nothing'}): lazylink ${finalOk(l2) ? 'final OK' : `FAIL (exit ${l2.code})`} ${fmt(l2.ms)}`);
      if (!finalOk(l2)) {
        problems.push(`all.lua without ${fewer.join(', ')}: lazylink does not reach "final OK" (exit ${l2.code}): ${errorLine(l2)}`);
      }
    }
  } finally {
    await r.close();
  }
  if (o.json) fs.writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
  if (problems.length) {
    log(`\n${problems.length} difference(s) between lazylink and plain emcc:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    const better = report.each.filter((r) => !r.plain.ok && r.lazylink.ok).map((r) => r.file);
    log(`same results as plain emcc${better.length ? ` (and lazylink passes ${better.join(', ')}; see LAZYLINK_PASSES)` : ''}`);
  }
}

// With --lazy or --eager, the loads the app reported ('main' where main
// started): liblua.wasm after main, or before it.
function checkLoads(o, what, l, problems) {
  if (o.mode !== 'pack' || !o.policy || !l.events) return;
  const lib = l.events.indexOf('liblua.wasm');
  const main = l.events.indexOf('main');
  if (lib < 0) {
    problems.push(`${what}: no load of liblua.wasm was reported (loads: ${l.events.join(', ')})`);
  } else if ((o.policy === 'lazy') !== lib > main) {
    problems.push(`${what}: liblua.wasm loaded ${lib > main ? 'after' : 'before'} main started, ` +
                  `expected ${o.policy === 'lazy' ? 'after (--lazy)' : 'before (--eager)'} (loads: ${l.events.join(', ')})`);
  }
}

// The first differing line of two texts.
function diffHint(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return ` at line ${i + 1}:\n  plain:    ${x[i] ?? '(end)'}\n  lazylink: ${y[i] ?? '(end)'}`;
  }
  return '';
}

main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exitCode = 2;
});
