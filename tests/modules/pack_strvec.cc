// C++ built without -fexceptions (Emscripten's default) that uses
// std::string and std::vector: vector::at's inline throw makes it import
// __cxa_throw, yet it links against plain libstd.wasm (nothing catches).
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char**) {
  std::vector<std::string> words{"lazy", "link"};
  std::string joined = words.at(0) + words.at(static_cast<size_t>(argc));
  std::printf("pack_strvec: %s %zu\n", joined.c_str(), joined.size());
  return joined == "lazylink" ? 0 : 1;
}
