// The memory and stack an app is given (lazylink run --initial-memory,
// --maximum-memory, --stack-size, --memory-growth-linear-step; load()'s
// linker options), as Emscripten's settings of the same names would give a
// program: the initial size, the limit malloc stops at (NULL, no abort),
// growth in linear steps, and a stack that <emscripten/stack.h> describes
// (emscripten_stack_init takes the limits from libstd's __heap_base and
// __data_end).
#include <emscripten/heap.h>
#include <emscripten/stack.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void __attribute__((noinline)) touch(char* p, size_t n) { memset(p, 1, n); }

static int stack_consistent(void) {
  uintptr_t base = emscripten_stack_get_base();
  uintptr_t end = emscripten_stack_get_end();
  uintptr_t sp = emscripten_stack_get_current();
  return end < sp && sp <= base && emscripten_stack_get_free() == sp - end;
}

int main(void) {
  printf("initial memory: %zu\n", emscripten_get_heap_size());
  printf("maximum memory: %zu\n", emscripten_get_heap_max());

  emscripten_stack_init();
  uintptr_t free0 = emscripten_stack_get_free();
  printf("stack: consistent %d, more than 2MB free %d, at least 3MB %d\n", stack_consistent(),
         free0 > (2u << 20), emscripten_stack_get_base() - emscripten_stack_get_end() >= 3u << 20);
  // 1.5MB on the stack: more than the default stack, within this one.
  char* p = __builtin_alloca(3u << 19);
  touch(p, 3u << 19);
  printf("alloca 1.5MB: free went down by %lu, consistent %d\n",
         (unsigned long)(free0 - emscripten_stack_get_free()) >> 19 << 19, stack_consistent());

  // Growth: 1MB blocks until malloc fails; each growth is the linear step.
  size_t before = emscripten_get_heap_size();
  size_t first_growth = 0;
  int blocks = 0;
  for (;;) {
    void* volatile b = malloc(1 << 20);  // volatile: kept, and its NULL seen
    if (!b) break;
    blocks++;
    size_t now = emscripten_get_heap_size();
    if (!first_growth && now != before) first_growth = now - before;
  }
  printf("first growth: %zu\n", first_growth);
  printf("malloc failed after %s blocks, memory now %zu\n", blocks > 30 ? "more than 30" : "few",
         emscripten_get_heap_size());
  return 0;
}
