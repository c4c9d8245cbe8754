// libFuzzer target: WIT text through the parser, the resolver, the world
// descriptor and the Canonical ABI flattening of every function. Any input
// must give a result or an Error, never a crash, leak or UB.
#include <cstddef>
#include <cstdint>
#include <string>

#include "loader/cabi/abi.h"
#include "loader/wit/resolve.h"
#include "loader/wit/world_descriptor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lazylink;
  std::string text(reinterpret_cast<const char*>(data), size);
  // The first line may be a single value type (the vectors' syntax).
  auto arena = cabi::TypeArena();
  size_t nl = text.find('\n');
  auto t = wit::ParseValueType(text.substr(0, nl), &arena);
  if (t.ok()) {
    (void)cabi::TypeToString(arena, *t);
    if (cabi::FlatCount(arena, *t) <= 64) (void)cabi::FlattenType(arena, *t, cabi::AddrType::kI64);
  }
  auto r = wit::ParseWit({{"fuzz.wit", text}});
  if (!r.ok()) {
    (void)r.error().Format();
    return 0;
  }
  for (const wit::World& w : r->worlds) (void)wit::DescribeWorld(*r, w);
  for (const wit::Interface& i : r->interfaces) {
    for (const wit::Function& f : i.functions) {
      (void)cabi::FlattenFuncType(*r->arena, f.type, cabi::AddrType::kI32,
                                  cabi::FlattenContext::kLower);
      (void)cabi::FuncTypeToString(*r->arena, f.type);
      (void)cabi::CompareFuncTypes(*r->arena, f.type, *r->arena, i.functions[0].type);
    }
  }
  return 0;
}
