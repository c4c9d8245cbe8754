// The parse benchmark under Node: this file is built with em++ (Emscripten
// configuration only) and run as `node parse_driver.js [--runs N] FILE.wasm...`.
// For each file it times ReadModule() N times after a warm-up and prints one
// JSON line: {"file", "bytes", "runs", "min_ms", "median_ms", "mb_per_s"}.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "loader/wasm/reader.h"

int main(int argc, char** argv) {
  int runs = 50;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = std::atoi(argv[++i]);
    else paths.push_back(argv[i]);
  }
  if (paths.empty() || runs < 1) {
    std::fprintf(stderr, "usage: node parse_driver.js [--runs N] FILE.wasm...\n");
    return 2;
  }
  for (const std::string& path : paths) {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "parse_driver: cannot read %s\n", path.c_str());
      return 2;
    }
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(f),
                                     std::istreambuf_iterator<char>()};
    const std::string name = path.substr(path.find_last_of('/') + 1);
    std::vector<double> ms;
    for (int i = -3; i < runs; ++i) {  // three warm-up runs
      const auto t0 = std::chrono::steady_clock::now();
      auto m = lazylink::wasm::ReadModule(bytes.data(), bytes.size(), {name});
      const auto t1 = std::chrono::steady_clock::now();
      if (!m.ok()) {
        std::fprintf(stderr, "%s\n", m.error().Format().c_str());
        return 1;
      }
      if (i >= 0) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    const double median = ms[ms.size() / 2];
    std::printf("{\"file\": \"%s\", \"bytes\": %zu, \"runs\": %d, \"min_ms\": %.4f, "
                "\"median_ms\": %.4f, \"mb_per_s\": %.1f}\n",
                name.c_str(), bytes.size(), runs, ms.front(), median,
                bytes.size() / 1e6 / (median / 1e3));
  }
  return 0;
}
