#include "loader/link/plt.h"

#include <gtest/gtest.h>

#include "loader/wasm/reader.h"

namespace lazylink::link {
namespace {

using wasm::FuncType;
using wasm::ValType;

TEST(Plt, EmitsOneTrampolinePerSlotAndThunksForHostFunctions) {
  PltBuilder plt;
  const FuncType ii_i{{ValType::kI32, ValType::kI32}, {ValType::kI32}};
  const FuncType d_v{{ValType::kF64}, {}};
  EXPECT_EQ(0u, plt.AddTrampoline(ii_i, 7));
  EXPECT_EQ(1u, plt.AddTrampoline(d_v, 9));
  EXPECT_EQ(0u, plt.AddTrampoline(ii_i, 7));  // same slot, same entry
  EXPECT_EQ(2u, plt.AddHostThunk(d_v, 42));
  EXPECT_EQ(2u, plt.AddHostThunk(d_v, 42));
  EXPECT_EQ(std::vector<uint32_t>{42}, plt.host_imports());

  std::vector<uint8_t> bytes = plt.Finish(10);
  auto m = wasm::ReadModule(bytes.data(), bytes.size(), {"plt"});
  ASSERT_TRUE(m.ok()) << m.error().Format();
  ASSERT_EQ(2u, m->imports.size());
  EXPECT_EQ("h", m->imports[0].module);
  EXPECT_EQ("0", m->imports[0].field);
  EXPECT_EQ("__indirect_function_table", m->imports[1].field);
  EXPECT_EQ(10u, m->imports[1].table.limits.min);
  ASSERT_EQ(3u, m->exports.size());
  EXPECT_EQ("t0", m->exports[0].name);
  EXPECT_EQ(ii_i, *m->FunctionType(m->exports[0].index));
  EXPECT_EQ(d_v, *m->FunctionType(m->exports[2].index));
}

TEST(Plt, LazyEntriesExportATrampolineAndAResolver) {
  PltBuilder plt;
  const FuncType i_i{{ValType::kI32}, {ValType::kI32}};
  EXPECT_EQ(0u, plt.AddLazy(i_i, 5));
  EXPECT_EQ(1u, plt.AddTrampoline(i_i, 6));
  std::vector<uint8_t> bytes = plt.Finish(8);
  auto m = wasm::ReadModule(bytes.data(), bytes.size(), {"plt"});
  ASSERT_TRUE(m.ok()) << m.error().Format();
  ASSERT_EQ(2u, m->imports.size());
  EXPECT_EQ("lazylink", m->imports[0].module);
  EXPECT_EQ("resolve", m->imports[0].field);
  std::vector<std::string> names;
  for (const auto& e : m->exports) names.push_back(e.name);
  EXPECT_EQ((std::vector<std::string>{"t0", "t1", "r0"}), names);
}

TEST(Plt, TailCallsReplaceEveryCallIndirectWithReturnCallIndirect) {
  PltBuilder plt;
  const FuncType i_i{{ValType::kI32}, {ValType::kI32}};
  const FuncType d_v{{ValType::kF64}, {}};
  plt.AddLazy(i_i, 5);
  plt.AddTrampoline(i_i, 6);
  plt.AddHostThunk(d_v, 3);  // host thunks keep a plain call
  const std::vector<uint8_t> plain = plt.Finish(8);
  const std::vector<uint8_t> tail = plt.Finish(8, /*tail_calls=*/true);
  ASSERT_EQ(plain.size(), tail.size());
  int changed = 0;
  for (size_t i = 0; i < plain.size(); ++i) {
    if (plain[i] == tail[i]) continue;
    EXPECT_EQ(0x11, plain[i]) << "at " << i;  // call_indirect
    EXPECT_EQ(0x13, tail[i]) << "at " << i;   // return_call_indirect
    ++changed;
  }
  EXPECT_EQ(3, changed);  // t0, t1 and the resolver r0
  auto m = wasm::ReadModule(tail.data(), tail.size(), {"plt"});
  ASSERT_TRUE(m.ok()) << m.error().Format();
}

}  // namespace
}  // namespace lazylink::link
