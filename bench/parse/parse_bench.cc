// Native benchmark: full ReadModule() of real modules, from bytes in memory.
//
//   parse_bench [google-benchmark flags] FILE.wasm...
//
// One benchmark per file ("parse/libstd.wasm"); bytes_per_second is module
// bytes. bench/parse/run.mjs runs this, the Node driver and wasm-objdump
// and prints the comparison.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "loader/wasm/reader.h"

namespace {

void ParseModule(benchmark::State& state, const std::vector<uint8_t>* bytes, std::string name) {
  for (auto _ : state) {
    auto m = lazylink::wasm::ReadModule(bytes->data(), bytes->size(), {name});
    if (!m.ok()) {
      state.SkipWithError(m.error().Format().c_str());
      break;
    }
    benchmark::DoNotOptimize(m->exports.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(bytes->size()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: parse_bench [benchmark flags] FILE.wasm...\n");
    return 2;
  }
  static std::vector<std::vector<uint8_t>> files;
  files.reserve(argc - 1);
  for (int i = 1; i < argc; ++i) {
    std::ifstream f(argv[i], std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "parse_bench: cannot read %s\n", argv[i]);
      return 2;
    }
    files.emplace_back(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    std::string path = argv[i];
    const std::string name = path.substr(path.find_last_of('/') + 1);
    benchmark::RegisterBenchmark(("parse/" + name).c_str(), ParseModule, &files.back(), name)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
