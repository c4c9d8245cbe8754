// lazylink run --malloc emmalloc: the app gets libstd-emmalloc.wasm, whose
// allocator is emmalloc (emcc -sMALLOC=emmalloc), with emmalloc's own API;
// allocations the loader makes for modules come from it too.
#include <emscripten/emmalloc.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  void* volatile small = malloc(1);
  // dlmalloc would say 12 (its chunk overhead); emmalloc rounds to 8.
  printf("usable size of malloc(1): %zu\n", malloc_usable_size(small));
  void* volatile aligned = memalign(256, 100);
  printf("memalign(256): aligned %d\n", (int)((uintptr_t)aligned % 256 == 0));
  char* volatile big = malloc(1 << 20);
  memset(big, 7, 1 << 20);
  printf("regions valid: %d\n", emmalloc_validate_memory_regions() == 0);
  free(big);
  free(aligned);
  free(small);
  printf("after frees, regions valid: %d, free memory > 1MB: %d\n", emmalloc_validate_memory_regions() == 0,
         emmalloc_free_dynamic_memory() > (1u << 20));
  return 0;
}
