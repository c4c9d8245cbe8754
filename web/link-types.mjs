// What dlopen's flags and a link failure are, shared by the domain, its
// import objects and its lazy resolver (and re-exported by web/domain.mjs).
//
//   throw new LinkError('libfoo.wasm: undefined symbol: bar', { module: 'libfoo.wasm', symbol: 'bar' });
export const RTLD_LAZY = 1;
export const RTLD_NOW = 2;
export const RTLD_NOLOAD = 4;
export const RTLD_GLOBAL = 256;
export const RTLD_LOCAL = 0;
export const RTLD_NODELETE = 4096;

// A link, fetch or instantiation failure. `message` names the module (and
// symbol or byte offset) as the core reported it.
export class LinkError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'LinkError';
    Object.assign(this, details);
  }
}
