// setjmp/longjmp loops of the exceptions benchmark: under setjmp, calls go
// through invoke_ wrappers too.
#include <setjmp.h>

int bench_jmp_callee(int x);  // invoke_callee.cc: x + 1

// n calls made under setjmp (each through invoke_ii); returns their sum.
int bench_setjmp_loop(int n) {
  jmp_buf env;
  volatile int sum = 0;
  if (setjmp(env) == 0) {
    for (int i = 0; i < n; i++) sum += bench_jmp_callee(i);
  }
  return sum;
}

static void jump(jmp_buf env, int v) { longjmp(env, v); }
void (*volatile bench_jump_fn)(jmp_buf, int) = jump;

// n longjmps, each back to a setjmp in the loop.
int bench_longjmp_loop(int n) {
  volatile int sum = 0;
  for (volatile int i = 0; i < n; i++) {
    jmp_buf env;
    int v = setjmp(env);
    if (v == 0) bench_jump_fn(env, i + 1);
    else sum += v - 1;
  }
  return sum;
}
