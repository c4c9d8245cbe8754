// The page half of `lazylink run --browser`: starts the program in a module
// Worker (worker.mjs), where synchronous fetches, hence dlopen(), are
// allowed, and relays what it reports. Output is forwarded in order, and
// the result is published only after every piece of output was delivered.
const config = JSON.parse(new URLSearchParams(location.search).get('config') || '{}');
let delivered = Promise.resolve();
const relay = (fd, text) => {
  delivered = delivered.then(() => (window.__lazylinkOutput ? window.__lazylinkOutput(fd, text) : undefined));
};
const finish = (result) => {
  delivered.then(() => { window.__lazylinkResult = result; });
};

const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
worker.onmessage = ({ data }) => {
  if (data.kind === 'out') relay(data.fd, data.text);
  else if (data.kind === 'exit') finish({ exitCode: data.code });
};
worker.onerror = (e) => {
  relay(2, `lazylink: the worker failed: ${e.message || 'unknown error'}\n`);
  finish({ exitCode: 70, error: e.message || 'worker error' });
};
worker.postMessage(config);
