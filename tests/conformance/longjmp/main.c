// longjmp: setjmp in one module, longjmp from another, both ways, through
// nested frames.
#include <setjmp.h>
#include <stdio.h>

void lib_jump(jmp_buf* env, int value);
int lib_depth(jmp_buf* env, int n);
int lib_catch(void (*fn)(jmp_buf*));

static void main_jumps(jmp_buf* env) { longjmp(*env, 7); }

int main(void) {
  jmp_buf env;
  volatile int round = 0;
  int v = setjmp(env);
  round++;
  if (v == 0) lib_jump(&env, 3);
  printf("main's setjmp returned %d (round %d)\n", v, round);
  if (round == 2) {
    v = setjmp(env);
    if (v == 0) lib_depth(&env, 5);
    printf("through five library frames: %d\n", v);
  }
  printf("lib's setjmp, main's longjmp: %d\n", lib_catch(main_jumps));
  return 0;
}
