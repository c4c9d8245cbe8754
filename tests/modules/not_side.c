// Built as a program (plain emcc, no -sSIDE_MODULE): no dylink.0 section and
// a memory of its own. lazylink run, pack and load() refuse it at once.
#include <stdio.h>

int main(void) {
  puts("not_side: this module should never run under lazylink");
  return 0;
}
