// Interposition of the allocator: main brings its own malloc family, and
// every allocation goes to it — libstd's internal ones too (strdup,
// asprintf), although libstd is bound locally for its other weak functions
// (runtime/libstd/preemptible.txt keeps the allocators replaceable).
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Alignas(16) unsigned char arena[1 << 20];
static size_t used;
static volatile int mallocs, frees;  // volatile: the compiler assumes strdup leaves globals alone

static int in_arena(const void* p) {
  return (const unsigned char*)p >= arena && (const unsigned char*)p < arena + sizeof arena;
}

// Each block: a 16-byte header holding its size, then the payload.
static void* take(size_t n, size_t align) {
  if (align < 16) align = 16;
  size_t start = (used + 16 + align - 1) & ~(align - 1);
  n = (n + 15) & ~(size_t)15;
  if (start + n > sizeof arena) return NULL;
  *(size_t*)(arena + start - 16) = n;
  used = start + n;
  mallocs++;
  return arena + start;
}

void* malloc(size_t n) { return take(n, 16); }
void free(void* p) {
  if (p) frees++;
}
void* calloc(size_t a, size_t b) {
  void* p = take(a * b, 16);
  if (p) memset(p, 0, a * b);
  return p;
}
void* realloc(void* p, size_t n) {
  void* q = take(n, 16);
  if (p && q) {
    size_t old = *(size_t*)((unsigned char*)p - 16);
    memcpy(q, p, old < n ? old : n);
    free(p);
  }
  return q;
}
void* memalign(size_t align, size_t n) { return take(n, align); }
void* aligned_alloc(size_t align, size_t n) { return take(n, align); }
int posix_memalign(void** out, size_t align, size_t n) {
  *out = take(n, align);
  return *out ? 0 : 12;
}

int main(void) {
  int before = mallocs;
  char* s = strdup("interposed");
  printf("strdup: %s, in main's arena: %s, main's malloc called: %s\n", s, in_arena(s) ? "yes" : "no",
         mallocs > before ? "yes" : "no");
  free(s);
  char* t = NULL;
  before = mallocs;
  if (asprintf(&t, "%d-%s", 42, "x") < 0) return 1;
  printf("asprintf: %s, in main's arena: %s, main's malloc called: %s\n", t, in_arena(t) ? "yes" : "no",
         mallocs > before ? "yes" : "no");
  free(t);
  printf("frees seen by main: %d\n", frees);
  return 0;
}
