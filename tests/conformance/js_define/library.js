// A JS library with Emscripten's #if lines (lazylink run --js-define, as
// emcc -jsD): js_style() tells which branches were kept.
mergeInto(LibraryManager.library, {
  js_style__sig: 'i',
  js_style: function() {
#if STYLE == 2 && LOUD
    var style = 20;
#elif STYLE == 2
    var style = 2;
#else
    var style = 1;
#endif
#ifdef LOUD
    style += 100;
#endif
#if ASSERTIONS || MEMORY64
    style = -1;
#endif
    return style;
  },
});
