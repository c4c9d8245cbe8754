#include <stdio.h>
typedef int (*binop)(int, int);
binop ptrs_pick(int which);
int* ptrs_data(void);
int ptrs_tls_bump(void);
int ptrs_has_missing(void);
extern binop ptrs_ops[2];
extern int ptrs_shared;

// Main's strong definition overrides the library's weak one.
int ptrs_weak_value(void) { return 2; }

int main(void) {
  binop f = ptrs_pick(1);
  printf("%d %d %d %d %d %d\n", f(6, 7), f == ptrs_ops[1], *ptrs_data() == ptrs_shared,
         ptrs_tls_bump(), ptrs_weak_value(), ptrs_has_missing());
  return 0;
}
