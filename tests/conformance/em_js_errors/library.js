mergeInto(LibraryManager.library, {
  // Declared with one parameter; main.c calls it with two.
  jslib_add__sig: 'ii',
  jslib_add: function(a) {
    return a;
  },
});
