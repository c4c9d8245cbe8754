// preload: `lazylink run --lib libextra.wasm` provides symbols main does not
// name in its NEEDED list; the program's exit status is main's result.
#include <stdio.h>
int extra_fn(int x);
extern int extra_value;
int main(void) {
  printf("extra_fn(11)=%d extra_value=%d\n", extra_fn(11), extra_value);
  return 5;
}
