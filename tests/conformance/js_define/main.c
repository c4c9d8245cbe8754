// A function from a JS library whose #if lines depend on --js-define
// settings and on lazylink's own (ASSERTIONS, MEMORY64: 0).
#include <stdio.h>

int js_style(void);

int main(void) {
  printf("js_style: %d\n", js_style());
  return 0;
}
