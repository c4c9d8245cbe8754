// EM_ASM and EM_JS without a JS library: packed, its first load runs from
// the pack-time start plan, whose bindings include the EM_JS functions'
// (tests/em_js/em_js.test.mjs).
#include <emscripten.h>
#include <stdio.h>

int lib_strlen(const char* s);
double lib_hypot(double a, double b);
int lib_count(void);

EM_JS(int, twice_js, (int x), { return 2 * x; });

int main(void) {
  lib_count();
  printf("nolib: %d %d %g %d %d\n", twice_js(21), lib_strlen("abc"), lib_hypot(6, 8), lib_count(),
         EM_ASM_INT({ return $0 + 1; }, 99));
  return 0;
}
