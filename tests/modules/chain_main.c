#include <stdio.h>
int mid_twice(int x);
extern int* mid_counter_ptr;

int main(void) {
  printf("%d %d\n", mid_twice(1), *mid_counter_ptr);
  return 0;
}
