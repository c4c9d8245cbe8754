#include "loader/rewrite/own_slots.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "loader/rewrite/bind_local_tool.h"
#include "loader/wasm/test_builder.h"

namespace lazylink::rewrite {
namespace {

using namespace wasm::testing;  // NOLINT

const Bytes kMutI32 = {0x03, kI32, 0x01};
const Bytes kConstI32 = {0x03, kI32, 0x00};

struct Shape {
  bool table_base = true;     // import env.__table_base (else env.not_the_base)
  uint32_t table_size = 2;    // MEM_INFO's (the segment holds 2)
  uint8_t elem_flags = 0;     // 0, or 2 (explicit table index and elemkind)
  bool second_segment = false;
  bool extra_export = false;  // function 3, exported as h, its address not taken
};

// Imported globals: 0 env.__table_base, 1 GOT.func.f, 2 GOT.func.g,
// 3 GOT.func.ext, 4 GOT.func.k. Functions 0, 1, 2 (no imports), exported
// as f, g, k (function 1: the legalized form) and orig$k (function 2).
// The segment at global.get 0 holds function 0 twice.
Bytes SlotModule(const Shape& shape = {}) {
  const Bytes types = Section(kType, Cat(Leb(1), FuncSig({}, {})));
  const Bytes imports = Section(kImport, Cat(Leb(6),
      Str("env"), Str(shape.table_base ? "__table_base" : "not_the_base"), kConstI32,
      Str("GOT.func"), Str("f"), kMutI32,
      Str("GOT.func"), Str("g"), kMutI32,
      Str("GOT.func"), Str("ext"), kMutI32,
      Str("GOT.func"), Str("k"), kMutI32,
      Str("env"), Str("__indirect_function_table"), Bytes{0x01, kFuncRef, 0x00}, Leb(2)));
  const uint32_t n = shape.extra_export ? 4 : 3;
  Bytes func_types = Leb(n);
  for (uint32_t i = 0; i < n; i++) Append(func_types, Leb(0));
  const Bytes funcs = Section(kFunction, func_types);
  Bytes export_list = Cat(Str("f"), Bytes{0x00}, Leb(0), Str("g"), Bytes{0x00}, Leb(1),
      Str("k"), Bytes{0x00}, Leb(1), Str("orig$k"), Bytes{0x00}, Leb(2));
  if (shape.extra_export) Append(export_list, Cat(Str("h"), Bytes{0x00}, Leb(3)));
  const Bytes exports = Section(kExport, Cat(Leb(shape.extra_export ? 5 : 4), export_list));
  const Bytes at_base = Bytes{0x23, 0x00, kEnd};
  Bytes segment = shape.elem_flags == 2 ? Cat(Leb(2), Leb(0), at_base, Bytes{0x00}, Leb(2), Leb(0), Leb(0))
                                        : Cat(Leb(0), at_base, Leb(2), Leb(0), Leb(0));
  Bytes elems = shape.second_segment ? Cat(Leb(2), segment, Leb(0), Bytes{0x41, 0x07, kEnd}, Leb(1), Leb(1))
                                     : Cat(Leb(1), segment);
  const Bytes elem = Section(kElem, elems);
  const Bytes body = Cat(Leb(0), Bytes{kEnd});
  Bytes bodies = Leb(n);
  for (uint32_t i = 0; i < n; i++) Append(bodies, Cat(Leb(body.size()), body));
  const Bytes code = Section(kCode, bodies);
  const Bytes dylink = Custom("dylink.0", Subsection(kMemInfo, Cat(Leb(16), Leb(2), Leb(shape.table_size), Leb(0))));
  return ModuleBytes({dylink, types, imports, funcs, exports, elem, code});
}

Expected<OwnSlotsResult> Add(const Bytes& m) { return AddOwnSlots(m.data(), m.size(), {"slots.wasm"}); }

TEST(OwnSlots, AppendsExportedGotFuncTargetsAndGrowsTheTableRegion) {
  const Bytes in = SlotModule();
  auto r = Add(in);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  // g (function 1) and k's unlegalized form (function 2) are appended; f
  // was there; ext is not the module's.
  EXPECT_EQ(2u, r->added);
  EXPECT_EQ(1u, r->already);
  EXPECT_EQ(4u, r->table_size);
  auto m = Read(r->bytes);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  ASSERT_EQ(1u, m->elements.size());
  EXPECT_EQ((std::vector<uint32_t>{0, 0, 1, 2}), m->elements[0].func_indices);
  EXPECT_EQ(wasm::ConstExpr::Op::kGlobalGet, m->elements[0].offset_expr.op);
  EXPECT_EQ(0u, m->elements[0].offset_expr.index);
  EXPECT_EQ(4u, m->dylink.mem_info.table_size);
  EXPECT_EQ(16u, m->dylink.mem_info.memory_size);
  EXPECT_EQ(2u, m->dylink.mem_info.memory_align);
  // Everything else as it was.
  auto before = Read(in);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->imports.size(), m->imports.size());
  EXPECT_EQ(before->exports.size(), m->exports.size());
  EXPECT_EQ(before->code.size(), m->code.size());
  EXPECT_EQ(in.size() + 2, r->bytes.size());  // two one-byte indices; sizes stay one-byte LEBs
  // A second run finds nothing to add and leaves the bytes alone.
  auto again = AddOwnSlots(r->bytes.data(), r->bytes.size(), {"slots.wasm"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(0u, again->added);
  EXPECT_EQ(3u, again->already);
  EXPECT_EQ(r->bytes, again->bytes);
}

TEST(OwnSlots, AllExportedAppendsEveryExportedFunctionOnce) {
  Shape shape;
  shape.extra_export = true;  // h: exported, its address not taken
  const Bytes in = SlotModule(shape);
  auto only_got = Add(in);
  ASSERT_TRUE(only_got.ok()) << only_got.error().Format();
  EXPECT_EQ(2u, only_got->added);
  auto r = AddOwnSlots(in.data(), in.size(), {"slots.wasm", /*all_exported=*/true});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  // The GOT.func targets first (g, orig$k's function), then the other
  // exports in order: h; f, and k (g's function), only once.
  EXPECT_EQ(3u, r->added);
  EXPECT_EQ(5u, r->table_size);
  auto m = Read(r->bytes);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  EXPECT_EQ((std::vector<uint32_t>{0, 0, 1, 2, 3}), m->elements[0].func_indices);
  EXPECT_EQ(5u, m->dylink.mem_info.table_size);
}

TEST(OwnSlots, LeavesModulesItCannotExtendSafelyAlone) {
  Shape no_base;
  no_base.table_base = false;
  Shape gap;  // the region is larger than the segment: a slot of unknown use
  gap.table_size = 3;
  Shape flags2;
  flags2.elem_flags = 2;
  Shape two;
  two.second_segment = true;
  for (const Shape& s : {no_base, gap, flags2, two}) {
    const Bytes in = SlotModule(s);
    auto r = Add(in);
    ASSERT_TRUE(r.ok()) << r.error().Format();
    EXPECT_EQ(0u, r->added);
    EXPECT_EQ(in, r->bytes);
  }
}

TEST(OwnSlots, CorruptAndDebugModulesFailWithAnOffset) {
  Bytes in = SlotModule();
  in.resize(in.size() - 3);
  auto r = Add(in);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.error().Format().find("slots.wasm")) << r.error().Format();
  EXPECT_NE(kNoOffset, r.error().offset) << r.error().Format();
  Bytes debug = SlotModule();
  Append(debug, Custom(".debug_info", Bytes{0x00}));
  auto d = Add(debug);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(std::string::npos, d.error().message.find("debug")) << d.error().Format();
}

TEST(OwnSlots, BindLocalToolAppliesItWithTheFlagBeforeMovingTheGot) {
  const std::string dir = ::testing::TempDir();
  const std::string in_path = dir + "own_slots_tool_in.wasm";
  const std::string out_path = dir + "own_slots_tool_out.wasm";
  ASSERT_TRUE(WriteFileBytes(in_path, SlotModule()));
  BindLocalFileArgs args;
  args.input = in_path;
  args.output = out_path;
  args.own_slots = true;
  args.quiet = true;
  ASSERT_EQ(0, BindLocalFile(args));
  Bytes out;
  ASSERT_TRUE(ReadFileBytes(out_path, out));
  auto m = Read(out);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  ASSERT_EQ(1u, m->elements.size());
  EXPECT_EQ(4u, m->elements[0].func_indices.size());
  EXPECT_EQ(4u, m->dylink.mem_info.table_size);
  std::remove(in_path.c_str());
  std::remove(out_path.c_str());
}

}  // namespace
}  // namespace lazylink::rewrite
