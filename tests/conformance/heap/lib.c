// The library half of `heap`: memory allocated here is freed in main and
// the other way round.
#include <stdlib.h>
#include <string.h>

char* lib_strdup_upper(const char* s) {
  size_t n = strlen(s);
  char* out = malloc(n + 1);
  for (size_t i = 0; i <= n; i++) out[i] = (s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i];
  return out;
}

void lib_free(void* p) { free(p); }

int* lib_grow(int* p, int n) {
  p = realloc(p, sizeof(int) * n);
  for (int i = 0; i < n; i++) p[i] = i * i;
  return p;
}
