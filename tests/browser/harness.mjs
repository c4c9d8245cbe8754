// Headless Chromium for lazylink's browser tests, driven by playwright-core
// against Debian's /usr/bin/chromium (never a downloaded browser).
//
//   const b = await openBrowser();
//   const r = await b.runPage(`${server.url}/tests/browser/smoke/index.html`);
//   // r.result: the JSON the page published as window.__lazylinkResult
//   // r.consoleErrors: any console error fails the test (callers assert it empty)
//   await b.close();
import pw from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--no-first-run',
  '--disable-quic', '--disable-sync',
];

export async function openBrowser(options = {}) {
  const browser = await pw.chromium.launch({
    executablePath: process.env.LAZYLINK_CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
    headless: true,
  });
  const context = await browser.newContext(options.context || {});

  // Opens `url`, waits until the page sets window.__lazylinkResult (or
  // throws), and returns it with every console message and page error.
  async function runPage(url, { timeoutMs = 60_000, page: existing, setup } = {}) {
    const page = existing || (await context.newPage());
    const consoleLines = [];
    const consoleErrors = [];
    const onConsole = (msg) => {
      const line = `[${msg.type()}] ${msg.text()}`;
      consoleLines.push(line);
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    };
    const onPageError = (err) => consoleErrors.push(`uncaught: ${err.message}`);
    // Console 404 messages do not name the URL; record it for the report.
    const onResponse = (resp) => {
      if (resp.status() >= 400) consoleLines.push(`[http ${resp.status()}] ${resp.url()}`);
    };
    page.on('console', onConsole);
    page.on('pageerror', onPageError);
    page.on('response', onResponse);
    try {
      if (setup) await setup(page);
      await page.goto(url);
      const handle = await page.waitForFunction(() => window.__lazylinkResult, null, { timeout: timeoutMs });
      const result = await handle.jsonValue();
      return { page, result, consoleLines, consoleErrors };
    } catch (e) {
      e.message += `\nconsole:\n${consoleLines.join('\n')}\nerrors:\n${consoleErrors.join('\n')}`;
      throw e;
    } finally {
      page.off('console', onConsole);
      page.off('pageerror', onPageError);
      page.off('response', onResponse);
    }
  }

  return {
    browser,
    context,
    runPage,
    newPage: () => context.newPage(),
    close: () => browser.close(),
  };
}
