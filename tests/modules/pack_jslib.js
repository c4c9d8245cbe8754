// The JS library pack_jslib.wasm imports (emcc --js-library format).
mergeInto(LibraryManager.library, {
  jslib_scale__sig: 'ii',
  jslib_scale: function(x) {
    return x * 6;
  },
  jslib_half__sig: 'dd',
  jslib_half: function(x) {
    return x / 2;
  },
});
