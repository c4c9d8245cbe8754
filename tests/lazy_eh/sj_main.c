// C with setjmp/longjmp whose first calls into lazily loaded modules happen
// under setjmp: the calls of a function that calls setjmp go through
// invoke_ wrappers, and on a browser's main thread the load suspends the
// whole stack (JSPI) with the wrapper on it.
#include <setjmp.h>
#include <stdio.h>

int sj_a_value(int x);               // libsj_a (lazy)
void sj_a_jump(jmp_buf env, int v);  // libsj_a: longjmp(env, v)
void sj_b_jump_first(jmp_buf env, int v);  // libsj_b (lazy): longjmps on its first call

static jmp_buf env;

__attribute__((noinline)) static int deep(int depth, int x) {
  if (depth == 0) return sj_a_value(x);
  return deep(depth - 1, x) + 1;
}

int main(void) {
  volatile int stage = 0;
  int r = setjmp(env);
  if (r == 0) {
    int v = sj_a_value(6);  // loads libsj_a under setjmp
    printf("first call under setjmp: %d, deep %d\n", v, deep(8, 1));
    stage = 1;
    sj_a_jump(env, 42);
    printf("not reached\n");
  } else if (stage == 1) {
    printf("longjmp from libsj_a: %d\n", r);
    stage = 2;
    sj_b_jump_first(env, 7);  // loads libsj_b, whose first call longjmps
    printf("not reached\n");
  } else {
    printf("longjmp from libsj_b's first call: %d\n", r);
  }
  return 0;
}
