// Runs lazylink's conformance suite: every program in tests/conformance/
// (built by its CMakeLists.txt into <programs>/<name>/<name>.wasm) through
// `lazylink run`, compared with its <name>.expected.
//
//   node tests/conformance/run.mjs --env node     --lazylink build/bin/lazylink --programs DIR
//   node tests/conformance/run.mjs --env chromium --programs DIR [--lazylink BIN]
//   ... [--only name,name] [--verbose]
//
// --env node spawns `lazylink run` per program (two at a time).
// --env chromium runs them all in one headless Chromium (two pages at a
// time) through the code `lazylink run --browser` uses (web/cli.mjs
// runBrowser); with --lazylink it also spawns `lazylink run --browser` once,
// for `basics`, to cover the command itself.
//
// <name>.expected: directive lines first, then the exact expected stdout.
//   # args: a "b c"     arguments after MAIN.wasm
//   # lib: libx.wasm    --lib, relative to the program's directory
//   # path: dir         --path, relative to the program's directory
//   # exit: N           expected exit status (default 0)
//   # js-library: f.js  --js-library, relative to the program's source
//                       directory (tests/conformance/<name>/)
//   # stderr: text      stderr must contain text (repeatable); without any,
//                       stderr must be empty
//   # run: --opt v ...  other lazylink run options (e.g. --initial-memory 32MB)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const o = { env: 'node', lazylink: null, programs: null, only: null, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--env') o.env = argv[++i];
    else if (a === '--lazylink') o.lazylink = argv[++i];
    else if (a === '--programs') o.programs = argv[++i];
    else if (a === '--only') o.only = argv[++i].split(',');
    else if (a === '--verbose') o.verbose = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.programs) throw new Error('--programs DIR is required');
  if (o.env === 'node' && !o.lazylink) throw new Error('--env node needs --lazylink BIN');
  return o;
}

// Splits "a \"b c\" d" like a shell would (double quotes only).
function splitArgs(text) {
  const out = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m;
  while ((m = re.exec(text))) out.push(m[1] ?? m[2]);
  return out;
}

export function parseExpected(text) {
  const spec = { args: [], libs: [], paths: [], jsLibraries: [], options: [], exit: 0, stderr: [], stdout: '' };
  const lines = text.split('\n');
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^# ([\w-]+): ?(.*)$/.exec(lines[i]);
    if (!m) break;
    const [, key, value] = m;
    if (key === 'args') spec.args = splitArgs(value);
    else if (key === 'lib') spec.libs.push(value.trim());
    else if (key === 'path') spec.paths.push(value.trim());
    else if (key === 'exit') spec.exit = Number(value);
    else if (key === 'js-library') spec.jsLibraries.push(value.trim());
    else if (key === 'stderr') spec.stderr.push(value);
    else if (key === 'run') spec.options.push(...splitArgs(value));
    else throw new Error(`unknown directive "${key}"`);
  }
  spec.stdout = lines.slice(i).join('\n');
  return spec;
}

function programs(opts) {
  const names = fs.readdirSync(here, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(here, d.name, `${d.name}.expected`)))
    .map((d) => d.name)
    .sort();
  return opts.only ? names.filter((n) => opts.only.includes(n)) : names;
}

function commandLine(opts, name, spec) {
  const dir = path.join(opts.programs, name);
  const libs = spec.libs.map((l) => path.join(dir, l));
  const paths = spec.paths.map((p) => path.join(dir, p));
  const jsLibraries = spec.jsLibraries.map((f) => path.join(here, name, f));
  const flags = [...libs.flatMap((l) => ['--lib', l]), ...paths.flatMap((p) => ['--path', p]),
    ...jsLibraries.flatMap((f) => ['--js-library', f]), ...spec.options];
  return { dir, main: path.join(dir, `${name}.wasm`), libs, paths, jsLibraries, flags };
}

function check(name, spec, r) {
  const problems = [];
  if (r.code !== spec.exit) problems.push(`exit status ${r.code}, expected ${spec.exit}`);
  if (r.stdout !== spec.stdout) {
    problems.push(`stdout differs:\n--- expected\n${spec.stdout}--- got\n${r.stdout}---`);
  }
  if (spec.stderr.length) {
    for (const s of spec.stderr) if (!r.stderr.includes(s)) problems.push(`stderr lacks "${s}"`);
  } else if (r.stderr) {
    problems.push('unexpected stderr');
  }
  if (problems.length && r.stderr) problems.push(`stderr:\n${r.stderr}`);
  return problems;
}

function spawnRun(bin, args) {
  return new Promise((resolve) => {
    const child = spawn(bin, ['run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code, signal) => resolve({ code: code ?? `signal ${signal}`, stdout, stderr }));
  });
}

async function runAll(opts) {
  const names = programs(opts);
  const results = [];
  const report = (name, spec, r, ms) => {
    const problems = check(name, spec, r);
    results.push({ name, ok: !problems.length });
    console.log(`${problems.length ? 'FAIL' : 'PASS'} ${name} (${ms} ms)`);
    for (const p of problems) console.log(p.replace(/^/gm, '    '));
    if (opts.verbose && !problems.length && r.stderr) console.log(r.stderr.replace(/^/gm, '    '));
  };
  const specOf = (name) => parseExpected(fs.readFileSync(path.join(here, name, `${name}.expected`), 'utf8'));

  if (opts.env === 'node') {
    const queue = [...names];
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const spec = specOf(name);
        const { main, flags } = commandLine(opts, name, spec);
        const t0 = Date.now();
        const r = await spawnRun(opts.lazylink, [...flags, main, '--', ...spec.args]);
        report(name, spec, r, Date.now() - t0);
      }
    };
    await Promise.all([worker(), worker()]);
  } else if (opts.env === 'chromium') {
    const { runBrowser, parseRunArgs } = await import('../../web/cli.mjs');
    const { openBrowser } = await import('../browser/harness.mjs');
    const browser = await openBrowser();
    const queue = [...names];
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const spec = specOf(name);
        const { main, libs, paths, jsLibraries } = commandLine(opts, name, spec);
        let stdout = '';
        let stderr = '';
        const t0 = Date.now();
        let code;
        try {
          code = await runBrowser(
            { ...parseRunArgs([...spec.options, main]), main, libs, paths, jsLibraries, args: spec.args },
            { browser, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, timeoutMs: 60_000 });
        } catch (e) {
          code = `harness error: ${e.message}`;
        }
        report(name, spec, { code, stdout, stderr }, Date.now() - t0);
      }
    };
    try {
      await Promise.all([worker(), worker()]);
    } finally {
      await browser.close();
    }
    if (opts.lazylink && names.includes('basics')) {
      // The command itself, once: `lazylink run --browser`.
      const spec = specOf('basics');
      const { main } = commandLine(opts, 'basics', spec);
      const t0 = Date.now();
      const r = await spawnRun(opts.lazylink, ['--browser', main, '--', ...spec.args]);
      report('basics (lazylink run --browser)', spec, r, Date.now() - t0);
    }
  } else {
    throw new Error(`unknown --env ${opts.env}`);
  }
  const passed = results.filter((r) => r.ok).length;
  console.log(`conformance (${opts.env}): ${passed} passed, ${results.length - passed} failed`);
  return results.length > 0 && passed === results.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ok = await runAll(parseArgs(process.argv.slice(2)));
  process.exit(ok ? 0 : 1);
}
