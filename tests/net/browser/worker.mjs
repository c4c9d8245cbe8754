// A module worker for tests/net/browser/page.mjs: synchronous fetches (sync
// XHR), verified with the core's SHA-256, compiled synchronously.
import { createModuleFetcher } from '/web/net/index.mjs';

self.onmessage = async ({ data }) => {
  const out = { ok: false, modules: {} };
  try {
    const options = data.requestTimeoutMs ? { requestTimeoutMs: Number(data.requestTimeoutMs), retry: { retries: 0 } } : {};
    const fetcher = await createModuleFetcher({ manifest: data.manifest, cache: false, ...options });
    for (const name of fetcher.manifest.modules.keys()) {
      if (data.only && name !== data.only) continue;
      const t0 = performance.now();
      const progress = [];
      const r = fetcher.fetchSync({ name, requestedBy: '', candidates: [name] }, (p) => progress.push(p.phase));
      if (data.only) out.ms = performance.now() - t0;
      out.modules[name] = r.error
        ? { error: r.error, kind: r.fetchError.kind }
        : { source: r.source, size: r.bytes.length, verified: r.verified,
            compiledIsModule: r.compiled instanceof WebAssembly.Module, progress };
    }
    out.sha256Hex = typeof (await import('/web/core.mjs')).loadCore === 'function' &&
      (await (await import('/web/core.mjs')).loadCore()).sha256Hex(new TextEncoder().encode('abc'));
    out.ok = true;
  } catch (e) {
    out.error = String(e && e.stack || e);
  }
  self.postMessage(out);
};
