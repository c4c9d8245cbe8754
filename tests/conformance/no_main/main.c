// no_main: a program without main runs its constructors and ends with
// status 0, as under Emscripten.
#include <stdio.h>
__attribute__((constructor)) static void hello(void) { printf("constructor ran\n"); }
