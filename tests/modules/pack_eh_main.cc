// C++ built with -fexceptions whose own code neither throws nor catches:
// only its lazily loaded library (pack_eh_lib) does, so `lazylink pack` must
// look at every module, lazy ones included, to add libstd-eh.wasm.
#include <cstdio>

int pack_eh_parse(const char* text, int fallback);

int main() {
  int a = pack_eh_parse("42", -1);
  int b = pack_eh_parse("forty-two", -1);
  std::printf("pack_eh_main: %d %d\n", a, b);
  return a == 42 && b == -1 ? 0 : 1;
}
