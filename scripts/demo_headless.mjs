// make demo-headless: opens the demo in headless Chromium, runs a scripted
// session (a query that loads SQLite lazily, a chart that loads the chart
// plugin), prints the load timeline as a table, saves a screenshot, and
// exits non-zero on any error (console errors included).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDemo } from '../demo/serve.mjs';
import { openBrowser } from '../tests/browser/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const screenshot = path.join(root, 'build', 'demo-screenshot.png');
const server = await serveDemo({ port: 0 });
const browser = await openBrowser({ context: { viewport: { width: 1280, height: 900 } } });
const problems = [];
const step = (text) => console.log(`[demo] ${text}`);

function table(rows, cols) {
  const width = Object.fromEntries(cols.map(([k, h]) => [k, Math.max(h.length, ...rows.map((r) => String(r[k] ?? '').length))]));
  const line = (r) => cols.map(([k]) => String(r[k] ?? '').padStart(width[k])).join('  ');
  console.log(line(Object.fromEntries(cols.map(([k, h]) => [k, h]))));
  for (const r of rows) console.log(line(r));
}

try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  step(`opening ${server.url}/`);
  await page.goto(`${server.url}/`);
  const ready = await (await page.waitForFunction(() => window.__lazylinkResult, null, { timeout: 120_000 })).jsonValue();
  if (!ready.ready) throw new Error(`the app did not start: ${ready.error}`);
  const wasm = () => server.requests.filter((r) => r.path.endsWith('.wasm')).map((r) => r.path.split('/').pop());
  step(`started; modules fetched: ${wasm().join(', ')}`);

  step('running the first cell (SQLite loads now)');
  await page.evaluate(() => window.notebook.run(0));
  const result = await page.evaluate(() => document.querySelector('.cell .result').innerText);
  if (!/east\s+293\.2/.test(result)) problems.push(`unexpected query result:\n${result}`);
  step(`query result:\n${result.trim().split('\n').map((l) => '    ' + l).join('\n')}`);
  step(`modules fetched: ${wasm().join(', ')}`);

  step('charting the result (the chart plugin loads now)');
  await page.evaluate(() => window.notebook.chart(0));
  const svg = await page.evaluate(() => document.querySelector('.cell .chart-view svg') !== null);
  if (!svg) problems.push('no chart was drawn');
  const errors = await page.evaluate(() => window.notebook.errors());
  problems.push(...errors.map((e) => `notebook: ${e}`));

  await page.evaluate(() => document.querySelector('.cell').scrollIntoView());
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log('\nload timeline (ms since the page started)');
  const timeline = await page.evaluate(() => window.notebook.timeline());
  table(timeline.map((t) => ({ ...t, kb: (t.bytes / 1024).toFixed(1) })),
        [['module', 'module'], ['kb', 'KB'], ['fetch', 'fetch'], ['compile', 'compile'], ['link', 'link'], ['init', 'init'], ['done', 'done']]);
  const stats = await page.evaluate(() => window.notebook.stats());
  console.log(`\nmodules ${stats.modules.length}, symbols bound ${stats.symbolsBound}, PLT entries ${stats.pltEntries}, ` +
              `lazy resolutions ${stats.lazyResolves}, bytes fetched ${stats.fetch.bytesFromNetwork}`);
  console.log(`screenshot: ${screenshot}`);
} catch (e) {
  problems.push(String(e && e.stack || e));
} finally {
  await browser.close();
  await server.close();
}
if (problems.length) {
  console.error(`\n[demo] FAILED:\n${problems.map((p) => '  ' + p).join('\n')}`);
  process.exit(1);
}
console.log('[demo] session completed without errors');
