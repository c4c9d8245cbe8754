// heap: malloc in one module and free in another; aligned(1024) data in ten
// copies of a library loaded with dlopen after the heap was dirtied (each
// aligned, BSS zeroed, data initialised, and each copy its own).
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char* lib_strdup_upper(const char* s);
void lib_free(void* p);
int* lib_grow(int* p, int n);

int main(void) {
  char* up = lib_strdup_upper("shared heap");
  printf("%s\n", up);
  free(up);  // allocated in the library, freed here
  char* mine = strdup("main's block");
  lib_free(mine);  // allocated here, freed in the library
  int* v = malloc(sizeof(int) * 2);
  v = lib_grow(v, 1000);
  printf("realloc across modules: v[999]=%d\n", v[999]);
  free(v);

  // Dirty as much heap as the libraries will take, and give it back.
  enum { kBlocks = 64, kSize = 64 * 1024 };
  void* blocks[kBlocks];
  for (int i = 0; i < kBlocks; i++) {
    blocks[i] = malloc(kSize);
    memset(blocks[i], 0xA5, kSize);
  }
  for (int i = 0; i < kBlocks; i++) free(blocks[i]);

  uintptr_t previous = 0;
  int distinct = 1;
  for (int i = 0; i < 10; i++) {
    char name[32];
    snprintf(name, sizeof name, "libalign%d.wasm", i);
    void* h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      printf("%s: %s\n", name, dlerror());
      return 1;
    }
    int (*check)(void) = (int (*)(void))dlsym(h, "align_check");
    void (*dirty)(void) = (void (*)(void))dlsym(h, "align_dirty");
    char* block = (char*)dlsym(h, "align_block");
    int result = check();
    dirty();
    if ((uintptr_t)block == previous) distinct = 0;
    previous = (uintptr_t)block;
    printf("%s: aligned %d, bss zero %d, data initialised %d, fresh %d\n", name, result & 1,
           (result >> 1) & 1, (result >> 2) & 1, (result >> 3) & 1);
  }
  printf("ten distinct copies: %d\n", distinct);
  return 0;
}
