// libFuzzer target: ReadModule must never crash, hang or leak on any input,
// and what it accepts must be describable (the inspect renderings index the
// Module by the indices the reader validated).
#include <cstddef>
#include <cstdint>

#include "loader/wasm/describe.h"
#include "loader/wasm/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lazylink;
  Expected<wasm::Module> m = wasm::ReadModule(data, size, {"fuzz.wasm"});
  if (!m.ok()) {
    // Every error must say where.
    if (m.error().offset == kNoOffset || m.error().offset > size) __builtin_trap();
    return 0;
  }
  wasm::DescribeOptions opts;
  opts.file_name = "fuzz.wasm";
  (void)wasm::DescribeText(*m, opts);
  (void)wasm::DescribeJson(*m, opts);
  return 0;
}
