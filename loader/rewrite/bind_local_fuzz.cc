// libFuzzer target: BindLocal must never crash, hang or leak on any input;
// every error says where; and whatever it writes reads back as a module
// with the same exports (names and kinds).
#include <cstddef>
#include <cstdint>

#include "loader/rewrite/bind_local.h"
#include "loader/wasm/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lazylink;
  Expected<rewrite::BindLocalResult> r = rewrite::BindLocal(data, size, {"fuzz.wasm", {"keep*"}});
  if (!r.ok()) {
    if (r.error().offset != kNoOffset && r.error().offset > size) __builtin_trap();
    return 0;
  }
  Expected<wasm::Module> in = wasm::ReadModule(data, size, {"in.wasm"});
  Expected<wasm::Module> out = wasm::ReadModule(r->bytes.data(), r->bytes.size(), {"out.wasm"});
  if (!in.ok() || !out.ok()) __builtin_trap();
  if (in->exports.size() != out->exports.size()) __builtin_trap();
  for (size_t i = 0; i < in->exports.size(); i++) {
    if (in->exports[i].name != out->exports[i].name || in->exports[i].kind != out->exports[i].kind) __builtin_trap();
  }
  if (out->imports.size() + r->imports_removed != in->imports.size()) __builtin_trap();
  return 0;
}
