// C++ with -fexceptions whose first calls into lazily loaded modules happen
// inside try blocks, several frames deep with objects to destroy: every such
// call goes through an invoke_ wrapper, and on a browser's main thread the
// load suspends the whole stack (JSPI) with the wrapper on it.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

int eh_a_value(int x);                 // libeh_a (lazy)
void eh_a_throw(const char* what);     // libeh_a: throws std::runtime_error
int eh_b_throw_first(int x);           // libeh_b (lazy): throws on its first call

namespace {

struct Counted {
  int* count;
  ~Counted() { ++*count; }
};

// Each frame holds objects with destructors, so its calls go through
// invoke_ (an exception must run them on the way out).
__attribute__((noinline)) int deep_a(int depth, int x, int* dtors) {
  Counted c{dtors};
  std::vector<int> v(static_cast<size_t>(depth) + 1, x);
  if (depth == 0) return eh_a_value(x);
  return deep_a(depth - 1, x, dtors) + v.back() - x;
}

__attribute__((noinline)) int deep_b(int depth, int x, int* dtors) {
  Counted c{dtors};
  std::string s(static_cast<size_t>(depth) + 8, 'b');
  if (depth == 0) return eh_b_throw_first(x);
  return deep_b(depth - 1, x, dtors) + static_cast<int>(s.size());
}

}  // namespace

int main() {
  int dtors = 0;
  try {
    int v = deep_a(5, 6, &dtors);  // loads libeh_a, six frames down, under try
    std::printf("first call under try: %d (destructors %d)\n", v, dtors);
  } catch (...) {
    std::printf("unexpected exception\n");
  }
  try {
    eh_a_throw("thrown by libeh_a");
    std::printf("not reached\n");
  } catch (const std::runtime_error& e) {
    std::printf("caught std::runtime_error: %s\n", e.what());
  }
  dtors = 0;
  try {
    deep_b(4, 9, &dtors);  // loads libeh_b, whose first call throws
    std::printf("not reached\n");
  } catch (const std::out_of_range& e) {
    std::printf("caught std::out_of_range from a first call: %s (destructors %d)\n", e.what(), dtors);
  }
  try {
    throw 17;  // still a plain throw/catch in main
  } catch (int n) {
    std::printf("caught int %d\n", n);
  }
  std::printf("again: %d\n", eh_a_value(2));
  return 0;
}
