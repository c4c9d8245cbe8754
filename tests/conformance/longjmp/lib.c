// The library half of `longjmp`: jumps to buffers set in main, and sets its
// own that main jumps to.
#include <setjmp.h>
#include <stdio.h>

void lib_jump(jmp_buf* env, int value) {
  printf("lib jumps with %d\n", value);
  longjmp(*env, value);
}

int lib_depth(jmp_buf* env, int n) {
  if (n == 0) {
    lib_jump(env, 99);
    return 0;
  }
  return lib_depth(env, n - 1) + 1;
}

int lib_catch(void (*fn)(jmp_buf*)) {
  jmp_buf env;
  int v = setjmp(env);
  if (v == 0) {
    fn(&env);
    return -1;
  }
  return v;
}
