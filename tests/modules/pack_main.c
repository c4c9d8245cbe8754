// `lazylink pack` without a standard library among its inputs (tests/tools):
// pack adds libstd.wasm. pack_lib is lazy (only called).
#include <stdio.h>

int pack_lib_work(int x);

int main(int argc, char** argv) {
  (void)argv;
  printf("pack_main: %d\n", pack_lib_work(argc + 1));
  return 0;
}
