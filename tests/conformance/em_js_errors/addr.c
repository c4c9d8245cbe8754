// Taking an EM_JS function's address: a link error naming it
// (tests/em_js/em_js.test.mjs).
#include <emscripten.h>
#include <stdio.h>
EM_JS(int, takes_addr, (void), { return 1; });
int (*volatile fp)(void) = takes_addr;
int main(void) { printf("%d\n", fp()); return 0; }
