// Which module is the standard library (the JS side of
// loader/link/standard_library.h: the same two names), and which one a
// packed app's loads use.
//
//   isStandardLibrary('libstd-eh.wasm')            // true
//   new Domain({ ..., linker: { searchPaths: [], ...standardLibraryArgs(manifest) } })

// libstd.wasm: without C++ exceptions; libstd-eh.wasm: with Emscripten's
// JS-based ones (runtime/libstd); libstd-emmalloc.wasm: libstd.wasm with
// emmalloc instead of dlmalloc (lazylink run --malloc emmalloc; lazylink pack
// --malloc emmalloc adds it to the app, loader/manifest/pack.cc).
export const STANDARD_LIBRARIES = Object.freeze(['libstd.wasm', 'libstd-eh.wasm', 'libstd-emmalloc.wasm']);
export const EMMALLOC_LIBSTD = 'libstd-emmalloc.wasm';

export function isStandardLibrary(name) {
  return STANDARD_LIBRARIES.includes(name);
}

// Linker options for a domain loading a packed app: the standard library is
// the one in its manifest (`lazylink pack` adds the variant the app's
// modules need, lazy ones included, which a load that sees only the eager
// modules could not tell). `modules` is the manifest's module names.
export function standardLibraryArgs(modules) {
  const names = [...modules];
  const lib = STANDARD_LIBRARIES.find((n) => names.includes(n));
  return lib ? { implicitNeeded: [lib] } : {};
}
