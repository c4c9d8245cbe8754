// Prepended to the Emscripten glue of lazylink_core.mjs. Emscripten 3.1.6's
// ES-module output still reaches for CommonJS `require` and `__dirname` when
// it runs under Node; give it both there, and nothing in browsers.
const lazylinkIsNode_ = typeof process === 'object' && !!(process.versions && process.versions.node);
const require = lazylinkIsNode_ ? (await import('node:module')).createRequire(import.meta.url) : undefined;
const __dirname = lazylinkIsNode_
  ? (await import('node:path')).dirname((await import('node:url')).fileURLToPath(import.meta.url))
  : '';
