// The worker half of `lazylink run --browser`: runs one program with the
// loader over HTTP (the page's server) and posts its output and exit code.
//   message in:  { main, libs, searchPaths, args }   (URL paths)
//   messages out: { kind: 'out', fd, text }, then { kind: 'exit', code }
import { EXIT_INTERNAL, runCommandProgram } from '../cli-runner.mjs';
import { urlFetcher } from '../fetchers.mjs';

self.onmessage = async ({ data: config }) => {
  const out = (fd) => (text) => self.postMessage({ kind: 'out', fd, text });
  let code;
  try {
    code = await runCommandProgram({
      fetcher: urlFetcher({ baseUrl: `${self.location.origin}/` }),
      main: config.main,
      libs: config.libs || [],
      searchPaths: config.searchPaths || [],
      args: config.args || [],
      jsLibrary: config.jsLibrary || [],
      linker: config.linker || {},
      stdout: out(1),
      stderr: out(2),
    });
  } catch (e) {
    out(2)(`lazylink: internal error: ${e && e.stack ? e.stack : e}\n`);
    code = EXIT_INTERNAL;
  }
  self.postMessage({ kind: 'exit', code });
};
