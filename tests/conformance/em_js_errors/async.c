// EM_ASYNC_JS needs Asyncify, which lazylink does not provide: refused at
// load time, named (tests/em_js/em_js.test.mjs).
#include <emscripten.h>
#include <stdio.h>
EM_ASYNC_JS(int, slow_js, (void), { await null; return 5; });
int main(void) { printf("%d\n", slow_js()); return 0; }
