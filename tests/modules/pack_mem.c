// Memory settings carried by a packed app (`lazylink pack --malloc emmalloc
// --initial-memory 32MB --stack-size 256KB`): emmalloc's own API links only
// against libstd-emmalloc.wasm, and the sizes are the ones packed.
#include <emscripten/emmalloc.h>
#include <emscripten/heap.h>
#include <emscripten/stack.h>
#include <stdio.h>

int main(void) {
  printf("pack_mem: heap %zu, stack %zu, emmalloc valid %d\n", emscripten_get_heap_size(),
         (size_t)(emscripten_stack_get_base() - emscripten_stack_get_end()),
         emmalloc_validate_memory_regions() == 0);
  return 0;
}
