// Headless Chromium for the benchmarks: Debian's /usr/bin/chromium through
// playwright-core (the same flags as the browser tests, plus --expose-gc so
// runs can collect garbage between measurements), and web/server.mjs
// serving the repository root, so pages import /web/*.mjs, /runtime/*.mjs,
// /bench/*.mjs and fetch built modules from /build*/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pw from 'playwright-core';
import { CHROMIUM_FLAGS } from '../../tests/browser/harness.mjs';
import { startServer } from '../../web/server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function openBench({ mounts = {}, jsFlags = ['--expose-gc'], compress = false } = {}) {
  const server = await startServer({ mounts: { '/': ROOT, ...mounts }, compress });
  const args = [...CHROMIUM_FLAGS];
  if (jsFlags.length) args.push(`--js-flags=${jsFlags.join(' ')}`);
  const browser = await pw.chromium.launch({
    executablePath: process.env.LAZYLINK_CHROMIUM || '/usr/bin/chromium', args, headless: true,
  });
  const version = browser.version();
  // A fresh context (own HTTP cache, Cache API, renderer) per page.
  async function page(url, { throttle, onConsole } = {}) {
    const context = await browser.newContext();
    const p = await context.newPage();
    const errors = [];
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
      onConsole?.(m);
    });
    p.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    let cdp = null;
    if (throttle) {
      cdp = await context.newCDPSession(p);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', throttle);
    }
    if (url) await p.goto(url.startsWith('http') ? url : `${server.url}${url}`);
    return { page: p, context, cdp, errors, close: () => context.close() };
  }
  return {
    server, browser, version, page,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

// Calls window[fn](arg) in a page and returns its JSON result; a result
// with {error} becomes an exception.
export async function callPage(p, fn, arg, timeoutMs = 20 * 60_000) {
  p.setDefaultTimeout(timeoutMs);
  const r = await p.evaluate(async ([f, a]) => {
    try {
      return await window[f](a);
    } catch (e) {
      return { error: String(e && e.stack || e) };
    }
  }, [fn, arg]);
  if (r && r.error) throw new Error(`page ${fn}: ${r.error}`);
  return r;
}
