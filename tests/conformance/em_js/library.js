// A JS library for emcc --js-library / lazylink run --js-library.
mergeInto(LibraryManager.library, {
  jslib_mul__sig: 'iii',
  jslib_mul: function(a, b) {
    return a * b;
  },
  $meanOf: function(values) {
    return values.reduce((s, v) => s + v, 0) / values.length;
  },
  jslib_mean3__deps: ['$meanOf'],
  jslib_mean3__sig: 'dddd',
  jslib_mean3: function(a, b, c) {
    return meanOf([a, b, c]);
  },
  $counterState: { calls: 0 },
  jslib_counter__deps: ['$counterState'],
  jslib_counter: function() {
    counterState.calls += 1;
    // Another library function, by its JS name, and a C function.
    return _jslib_mul(counterState.calls, 1) + _c_callback(0);
  },
});
