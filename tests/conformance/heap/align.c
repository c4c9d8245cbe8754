// Built ten times under ten names (libalign0 ... libalign9): a 1024-aligned
// object and zero-initialised data (BSS) that must read as zero however
// dirty the heap memory the loader placed the module in was.
#include <stdint.h>

__attribute__((aligned(1024))) char align_block[3000] = {1};
int align_bss[4096];
static int align_counter;

int align_check(void) {
  int dirty = 0;
  for (int i = 0; i < 4096; i++) dirty |= align_bss[i];
  align_counter++;
  return ((uintptr_t)align_block % 1024 == 0 ? 1 : 0) | (dirty == 0 ? 2 : 0) |
         (align_block[0] == 1 ? 4 : 0) | (align_counter == 1 ? 8 : 0);
}

// Dirties this copy's memory (the next copy must not see it).
void align_dirty(void) {
  for (int i = 0; i < 4096; i++) align_bss[i] = -1;
}
