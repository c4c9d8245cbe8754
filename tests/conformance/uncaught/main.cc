// uncaught: an exception nobody catches ends the program like std::terminate
// (exit status 134, the type and what() on stderr); output before it stays.
#include <cstdio>
void lib_fail();
int main() {
  std::puts("before the throw");
  lib_fail();
  std::puts("not reached");
  return 0;
}
