// Called by pack_main (and, with another signature, by pack_sig_main).
#include <stdio.h>

int pack_lib_work(int x) {
  printf("pack_lib: working on %d\n", x);
  return x * 7;
}
