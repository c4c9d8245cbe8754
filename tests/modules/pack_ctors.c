// A program of constructors (Emscripten's test_ctors_no_main): no main, so
// `lazylink pack` takes the one module no other input needs as the main
// module; running it runs the constructors and ends with status 0.
#include <stdio.h>

__attribute__((constructor)) static void pack_ctors_first(void) { printf("pack_ctors: constructor ran\n"); }
