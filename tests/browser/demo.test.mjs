// The demo in headless Chromium: the scripted session with assertions on
// results and on the server's request log, a reload served from the Cache
// API, and modules removed from the server giving a visible, recoverable
// error. Any console error fails a case (the one exception is Chromium's own
// "Failed to load resource" line for the 404 the last case provokes on
// purpose, and only for that URL).
//   node tests/browser/demo.test.mjs <repo root> <build dir>
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDemo } from '../../demo/serve.mjs';
import { openBrowser } from './harness.mjs';

const root = path.resolve(process.argv[2] || '.');
const buildDir = path.resolve(process.argv[3] || path.join(root, 'build'));
const site = path.join(buildDir, 'demo-site');
const appManifest = JSON.parse(fs.readFileSync(path.join(site, 'app/lazylink.json'), 'utf8'));
const chartManifest = JSON.parse(fs.readFileSync(path.join(site, 'chart/lazylink.json'), 'utf8'));
const url = (manifest, name) => manifest.modules[name].url;
const FILES = {
  notebook: `/app/${url(appManifest, 'notebook.wasm')}`,
  libstd: `/app/${url(appManifest, 'libstd.wasm')}`,
  sqlite: `/app/${url(appManifest, 'libsqlite.wasm')}`,
  chart: `/demo-chart/${url(chartManifest, 'chart.wasm')}`,
  chartLibstd: `/demo-chart/${url(chartManifest, 'libstd.wasm')}`,
};

const browser = await openBrowser({ context: { viewport: { width: 1280, height: 900 } } });
let passed = 0;
let failed = 0;

// Counts the server's requests for each of FILES.
function counts(server) {
  const out = {};
  for (const [k, p] of Object.entries(FILES)) out[k] = server.requests.filter((r) => r.path === p).length;
  return out;
}

// Opens the notebook in `context` and watches the console.
async function openNotebook(context, server, allowedErrors = () => false) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !allowedErrors(m)) problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  await page.goto(`${server.url}/`);
  const ready = await (await page.waitForFunction(() => window.__lazylinkResult, null, { timeout: 120_000 })).jsonValue();
  assert.equal(ready.ready, true, `the app did not start: ${ready.error}`);
  return { page, problems };
}

const resultText = (page, i) => page.evaluate((k) => document.querySelectorAll('.cell .result')[k].innerText, i);
const chartSvg = (page, i) => page.evaluate((k) => {
  const svg = document.querySelectorAll('.cell .chart-view')[k].querySelector('svg');
  return svg && { title: svg.querySelector('title')?.textContent, bars: svg.querySelectorAll('rect.bar').length };
}, i);
const visibleError = (page) => page.evaluate(() => {
  const box = document.querySelector('#error');
  return box.hidden ? null : box.textContent;
});

async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${String(e && e.stack || e).replace(/^/gm, '     ')}`);
  }
}

// One server and one browser context for the session and the reload: the
// reload is the same visitor coming back.
const server = await serveDemo({ port: 0, buildDir });
const context = browser.context;

await check('session: SQLite only at the first query, the plugin only at the first chart, each once', async () => {
  const { page, problems } = await openNotebook(context, server);
  let c = counts(server);
  assert.deepEqual(c, { notebook: 1, libstd: 1, sqlite: 0, chart: 0, chartLibstd: 0 }, 'at start-up');

  await page.evaluate(() => window.notebook.run(0));
  assert.match(await resultText(page, 0), /east\s+293\.2\s+north\s+253\.6\s+south\s+208\.4\s+west\s+169\.2/);
  c = counts(server);
  assert.deepEqual(c, { notebook: 1, libstd: 1, sqlite: 1, chart: 0, chartLibstd: 0 }, 'after the first query');

  await page.evaluate(() => window.notebook.chart(0));
  assert.deepEqual(await chartSvg(page, 0), { title: 'total by region', bars: 4 });
  c = counts(server);
  assert.deepEqual(c, { notebook: 1, libstd: 1, sqlite: 1, chart: 1, chartLibstd: 1 }, 'after the first chart');

  // More queries and charts: nothing more is fetched.
  await page.evaluate(() => window.notebook.run(1));
  assert.match(await resultText(page, 1), /quarter\s+average\s+n\s+1\s+109\.9\s+4\s+2\s+121\.2\s+4/);
  await page.evaluate(() => window.notebook.chart(1));
  assert.deepEqual(await chartSvg(page, 1), { title: 'average by quarter', bars: 2 });
  assert.deepEqual(counts(server), c, 'after more queries and charts');

  // Errors at the typed boundary reach the user and the page goes on.
  const err = await page.evaluate(async () => {
    const { chartRows } = await import('/chart.mjs');
    return chartRows('empty', [], null).then(() => 'no error', (e) => `${e.name}: ${e.message}`);
  });
  assert.match(err, /nothing to chart/);
  const stats = await page.evaluate(() => window.notebook.stats());
  assert.deepEqual(stats.modules.sort(), ['libsqlite.wasm', 'libstd.wasm', 'notebook.wasm']);
  assert.ok(stats.lazyResolves >= 1, 'SQLite was bound through the PLT');
  assert.deepEqual(await page.evaluate(() => window.notebook.errors()), []);
  assert.deepEqual(problems, []);
  await page.close();
});

await check('reload: modules come from the Cache API, not the server', async () => {
  server.clearLog();
  const { page, problems } = await openNotebook(context, server);
  await page.evaluate(() => window.notebook.run(0));
  assert.match(await resultText(page, 0), /east\s+293\.2/);
  await page.evaluate(() => window.notebook.chart(0));
  assert.deepEqual(await chartSvg(page, 0), { title: 'total by region', bars: 4 });
  assert.deepEqual(counts(server), { notebook: 0, libstd: 0, sqlite: 0, chart: 0, chartLibstd: 0 },
    `requests on reload: ${server.requests.map((r) => r.path).join(', ')}`);
  const stats = await page.evaluate(() => window.notebook.stats());
  assert.equal(stats.fetch.cacheHits, 3, 'notebook, libstd and libsqlite from the cache');
  assert.equal(stats.fetch.bytesFromNetwork, 0);
  assert.deepEqual(problems, []);
  await page.close();
});
await server.close();

await check('removed modules: a visible error, and the page recovers when they are back', async () => {
  // A copy of the site the test can take files away from.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lazylink-demo-'));
  fs.cpSync(site, path.join(tmp, 'demo-site'), { recursive: true });
  const moved = (file) => path.join(tmp, 'demo-site', file.replace(/^\/demo-chart\//, 'chart/').replace(/^\//, ''));
  const hide = (file) => fs.renameSync(moved(file), `${moved(file)}.away`);
  const restore = (file) => fs.renameSync(`${moved(file)}.away`, moved(file));
  const removed = new Set([FILES.sqlite, FILES.chart]);
  const expected404 = (m) => /Failed to load resource: .* 404/.test(m.text()) &&
    removed.has(new URL(m.location().url).pathname);
  const srv = await serveDemo({ port: 0, buildDir: tmp });
  const fresh = await browser.browser.newContext();
  try {
    hide(FILES.sqlite);
    hide(FILES.chart);
    const { page, problems } = await openNotebook(fresh, srv, expected404);

    await page.evaluate(() => window.notebook.run(0));
    const error = await visibleError(page);
    assert.ok(error, 'an error is shown');
    console.log(`     shown: ${error}`);
    assert.match(error, /libsqlite\.wasm/);
    assert.match(error, /404/);
    assert.equal(await page.evaluate(() => document.querySelector('.cell .timing').textContent), 'failed');
    // The shell still works without SQLite: nothing half-loaded.
    const stats = await page.evaluate(() => window.notebook.stats());
    assert.deepEqual(stats.modules.sort(), ['libstd.wasm', 'notebook.wasm']);

    restore(FILES.sqlite);
    await page.evaluate(() => window.notebook.run(0));
    assert.equal(await visibleError(page), null, 'the error is cleared');
    assert.match(await resultText(page, 0), /east\s+293\.2/);

    await page.evaluate(() => window.notebook.chart(0));
    const chartError = await visibleError(page);
    assert.ok(chartError, 'a chart error is shown');
    console.log(`     shown: ${chartError}`);
    assert.match(chartError, /chart\.wasm/);
    assert.match(chartError, /404/);
    restore(FILES.chart);
    await page.evaluate(() => window.notebook.chart(0));
    assert.equal(await visibleError(page), null);
    assert.deepEqual(await chartSvg(page, 0), { title: 'total by region', bars: 4 });

    const errors = await page.evaluate(() => window.notebook.errors());
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.deepEqual(problems, []);
    const c = { sqlite: 0, chart: 0 };
    for (const r of srv.requests) {
      if (r.path === FILES.sqlite) c.sqlite++;
      if (r.path === FILES.chart) c.chart++;
    }
    assert.deepEqual(c, { sqlite: 2, chart: 2 }, '404 once (not retried), then fetched once');
    await page.close();
  } finally {
    await fresh.close();
    await srv.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

await browser.close();
console.log(`demo browser tests: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
