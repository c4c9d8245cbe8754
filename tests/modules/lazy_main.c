// Calls into a lazily loaded module from deep inside a wasm call stack,
// takes its function's address before and after it loads, and reads data
// of an eager library.
#include <stdio.h>

int lazy_work(int x);
int lazy_calls(void);
extern const int lazy_table[4];

typedef int (*work_fn)(int);

// Not a tail call: the result is used after the recursive call returns.
__attribute__((noinline)) static int deep(int depth, int x) {
  if (depth == 0) return lazy_work(x);
  return deep(depth - 1, x) + 1;
}

// Called by tests from JS (app.call): a lazy call that can be repeated,
// e.g. after a failed load.
int call_lazy(int x) { return deep(10, x); }
int lazy_call_count(void) { return lazy_calls(); }

int main(void) {
  // volatile: the addresses are really taken (GOT.func), not folded away.
  volatile work_fn before = lazy_work;  // &lazy_work while lazy_lib is not loaded
  printf("table %d\n", lazy_table[2]);
  int first = deep(40, 2);     // loads lazy_lib 40 frames down
  volatile work_fn after = lazy_work;
  int second = deep(40, 3);    // bound now: no loader on this path
  printf("first %d second %d same-pointer %d via-pointer %d calls %d\n", first, second,
         before == after, before(4), lazy_calls());
  return 0;
}
