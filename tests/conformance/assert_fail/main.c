// assert_fail: a failing assert() prints Emscripten's message
// ("Assertion failed: EXPR, at: FILE,LINE,FUNC") and aborts (status 134);
// a passing one does nothing.
#include <assert.h>
#include <stdio.h>
int main(int argc, char** argv) {
  (void)argv;
  assert(argc == 1);
  printf("first assert passed\n");
  fflush(stdout);
  assert(argc == 2 && "two arguments");
  printf("not reached\n");
  return 0;
}
