// Lazily loaded by sj_main: its first call longjmps.
#include <setjmp.h>

void sj_b_jump_first(jmp_buf env, int v) { longjmp(env, v); }
