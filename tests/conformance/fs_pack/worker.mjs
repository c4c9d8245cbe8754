// fs_pack/index.html?worker=1: the same load() in a module Worker, where
// packed files are fetched inside open() (synchronous XHR, SHA-256 by the
// loader core).
import { load } from '/web/lazylink.mjs';

self.onmessage = async ({ data: { app, args, persist } }) => {
  const result = { stdout: '', stderr: '', files: [] };
  try {
    const a = await load(app, {
      args, persist,
      stdout: (t) => { result.stdout += t; },
      stderr: (t) => { result.stderr += t; },
      onProgress: (e) => { if (e.file) result.files.push(`${e.file} ${e.phase} ${e.loaded}/${e.total}`); },
      cache: false,
    });
    await a.ready;
    result.code = await a.run();
  } catch (e) {
    result.error = String(e && e.stack || e);
  }
  self.postMessage(result);
};
