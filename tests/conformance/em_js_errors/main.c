// A JS library function whose __sig does not match the import: a link
// error naming the function and both signatures (exit status 127).
#include <stdio.h>

int jslib_add(int a, int b);

int main(void) {
  printf("%d\n", jslib_add(1, 2));
  return 0;
}
