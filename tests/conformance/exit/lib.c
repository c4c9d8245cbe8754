// The library half of `exit`: an atexit handler, and exit() from here.
#include <stdio.h>
#include <stdlib.h>
static void lib_at_exit(void) { printf("lib's atexit handler\n"); }
void lib_register(void) { atexit(lib_at_exit); }
void lib_quit(int code) {
  printf("buffered, no newline");  // flushed by exit()
  exit(code);
}
