// The exceptions benchmark's program (bench/invoke): loops whose calls go
// through invoke_ wrappers, as every call of -fexceptions code that has
// something to clean up does. The callees are in another translation unit
// (invoke_callee.cc), so the compiler cannot prove they do not throw.
#include <cstdint>

int bench_callee(int x);        // x + 1
void bench_thrower(int x);      // throw x

extern "C" int bench_setjmp_loop(int n);

namespace {
// Destroyed objects, seen from outside the loop: an exception out of
// bench_callee would have to run ~Counted on its way.
int destroyed = 0;
struct Counted {
  ~Counted() { ++destroyed; }
};
}  // namespace

// n calls that do not throw, each through invoke_ii (a destructor must run
// if it threw).
extern "C" int bench_calls(int n) {
  destroyed = 0;
  int sum = 0;
  for (int i = 0; i < n; i++) {
    Counted c;
    sum += bench_callee(i);
  }
  return sum + destroyed;
}

// n throws, each caught by the loop's own catch.
extern "C" int bench_throws(int n) {
  int sum = 0;
  for (int i = 0; i < n; i++) {
    try {
      bench_thrower(i);
    } catch (int v) {
      sum += v;
    }
  }
  return sum;
}

int main() { return bench_calls(10) == 65 && bench_throws(10) == 45 && bench_setjmp_loop(10) == 55 ? 0 : 1; }
