// The element, data count, code and data sections, from hand-built bytes.
#include <cstring>

#include <gtest/gtest.h>

#include "loader/wasm/reader.h"
#include "loader/wasm/test_builder.h"

namespace lazylink::wasm {
namespace {

using namespace testing;  // NOLINT: the byte builders

// Two functions of type () -> nil, an imported immutable i32 global
// (__table_base) and an imported funcref table, so that every element
// encoding has something to refer to.
Bytes Prelude() {
  return Cat(Section(kType, Cat(Leb(1), FuncSig({}, {}))),
             Section(kImport, Cat(Leb(2), Str("env"), Str("__table_base"), Bytes{0x03, kI32, 0x00},
                                  Str("env"), Str("table"), Bytes{0x01, kFuncRef, 0x00}, Leb(4))),
             Section(kFunction, Cat(Leb(2), Leb(0), Leb(0))));
}
Bytes Bodies() {
  return Section(kCode, Cat(Leb(2), Leb(2), Bytes{0x00, kEnd}, Leb(2), Bytes{0x00, kEnd}));
}
Bytes WithElems(const Bytes& elem_payload) {
  return Cat(ModuleBytes({Prelude()}), Section(kElem, elem_payload), Bodies());
}

TEST(Reader, ReadsAllEightElementSegmentEncodings) {
  const Bytes offset = {0x23, 0x00, kEnd};  // global.get 0 (__table_base)
  const Bytes func1 = {0xd2, 0x01, kEnd};   // ref.func 1
  const Bytes null = {0xd0, kFuncRef, kEnd};
  Bytes payload = Cat(
      Leb(8),
      Cat(Leb(0), offset, Leb(2), Leb(0), Leb(1)),                       // 0: active, table 0
      Cat(Leb(1), Bytes{0x00}, Leb(1), Leb(1)),                          // 1: passive
      Cat(Leb(2), Leb(0), offset, Bytes{0x00}, Leb(1), Leb(0)),          // 2: active, table idx
      Cat(Leb(3), Bytes{0x00}, Leb(1), Leb(0)),                          // 3: declarative
      Cat(Leb(4), offset, Leb(2), func1, null),                          // 4: active, exprs
      Cat(Leb(5), Bytes{kFuncRef}, Leb(1), func1),                       // 5: passive, exprs
      Cat(Leb(6), Leb(0), offset, Bytes{kFuncRef}, Leb(1), null),        // 6: active, exprs
      Cat(Leb(7), Bytes{kFuncRef}, Leb(1), func1));                      // 7: declarative, exprs
  auto r = Read(WithElems(payload));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(8u, r->elements.size());
  const auto& e = r->elements;
  for (uint8_t i = 0; i < 8; ++i) EXPECT_EQ(i, e[i].flags);
  EXPECT_EQ(SegmentMode::kActive, e[0].mode);
  EXPECT_EQ(ConstExpr::Op::kGlobalGet, e[0].offset_expr.op);
  EXPECT_EQ((std::vector<uint32_t>{0, 1}), e[0].func_indices);
  EXPECT_EQ(SegmentMode::kPassive, e[1].mode);
  EXPECT_EQ(SegmentMode::kActive, e[2].mode);
  EXPECT_EQ(SegmentMode::kDeclarative, e[3].mode);
  EXPECT_EQ((std::vector<uint32_t>{1, kNullElement}), e[4].func_indices);
  EXPECT_EQ(SegmentMode::kPassive, e[5].mode);
  EXPECT_EQ((std::vector<uint32_t>{kNullElement}), e[6].func_indices);
  EXPECT_EQ(SegmentMode::kDeclarative, e[7].mode);
  EXPECT_EQ((std::vector<uint32_t>{1}), e[7].func_indices);
}

TEST(Reader, RejectsBadElementSegments) {
  auto err = [](const Bytes& payload) {
    auto r = Read(WithElems(payload));
    return r.ok() ? std::string("ok") : r.error().context.substr(11) + ": " + r.error().message;
  };
  EXPECT_EQ("elem[0]: unknown element segment flags 8", err(Cat(Leb(1), Leb(8), Bytes{0x00})));
  EXPECT_EQ("elem[0]: function index 2 out of range (2 functions)",
            err(Cat(Leb(1), Leb(0), Bytes{0x41, 0x00, kEnd}, Leb(1), Leb(2))));
  EXPECT_EQ("elem[0]: table index 1 out of range (1 tables)",
            err(Cat(Leb(1), Leb(2), Leb(1), Bytes{0x41, 0x00, kEnd}, Bytes{0x00}, Leb(0))));
  EXPECT_EQ("elem[0]: offset: constant expression has type i64, expected i32",
            err(Cat(Leb(1), Leb(0), Bytes{0x42, 0x00, kEnd}, Leb(0))));
  EXPECT_EQ("elem[0]: unknown element kind 1", err(Cat(Leb(1), Leb(1), Bytes{0x01}, Leb(0))));
  EXPECT_EQ("elem[0]: segment of externref for table 0 of funcref",
            err(Cat(Leb(1), Leb(6), Leb(0), Bytes{0x41, 0x00, kEnd}, Bytes{kExternRef}, Leb(0))));
  EXPECT_EQ("elem[0]: element expression: ref.func index 9 out of range (2 functions)",
            err(Cat(Leb(1), Leb(5), Bytes{kFuncRef}, Leb(1), Bytes{0xd2, 0x09, kEnd})));
  EXPECT_EQ("elem[0]: element count of 20000000 exceeds internal limit of 10000000",
            err(Cat(Leb(1), Leb(1), Bytes{0x00}, Leb(20000000))));
}

TEST(Reader, RejectsActiveSegmentsWithoutTableOrMemory) {
  Bytes types = Section(kType, Cat(Leb(1), FuncSig({}, {})));
  auto r = Read(ModuleBytes({Section(kElem, Cat(Leb(1), Leb(0), Bytes{0x41, 0x00, kEnd}, Leb(0)))}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("table index 0 out of range (0 tables)", r.error().message);
  // Data segment 0 at 0xb: flags, then (implicit) memory 0 at 0xc.
  auto d = Read(ModuleBytes({Section(kData, Cat(Leb(1), Leb(0), Bytes{0x41, 0x00, kEnd}, Leb(0)))}));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ("test.wasm: data[0]: memory index 0 out of range (0 memories) (at offset 0xc)",
            d.error().Format());
}

Bytes Memory() { return Section(kMemory, Cat(Leb(1), Bytes{0x00}, Leb(1))); }

TEST(Reader, ReadsDataSegmentsAndWhereTheirBytesAre) {
  Bytes data = Section(kData, Cat(Leb(3),
                                  Cat(Leb(0), Bytes{0x41, 0x10, kEnd}, Str("abc")),   // active
                                  Cat(Leb(1), Str("xy")),                             // passive
                                  Cat(Leb(2), Leb(0), Bytes{0x41, 0x00, kEnd}, Str(""))));
  Bytes m = ModuleBytes({Memory(), Section(kDataCount, Leb(3)), data});
  auto r = Read(m);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(3u, r->data.size());
  EXPECT_EQ(3u, *r->data_count);
  EXPECT_EQ(SegmentMode::kActive, r->data[0].mode);
  EXPECT_EQ(16, r->data[0].offset_expr.value);
  EXPECT_EQ(3u, r->data[0].size);
  EXPECT_EQ(0, std::memcmp(m.data() + r->data[0].data_offset, "abc", 3));
  EXPECT_EQ(SegmentMode::kPassive, r->data[1].mode);
  EXPECT_EQ(0, std::memcmp(m.data() + r->data[1].data_offset, "xy", 2));
  EXPECT_EQ(2, r->data[2].flags);
  EXPECT_EQ(0u, r->data[2].size);
}

TEST(Reader, RejectsBadDataSegments) {
  auto err = [](const Bytes& payload) {
    auto r = Read(ModuleBytes({Memory(), Section(kData, payload)}));
    return r.ok() ? std::string("ok") : r.error().context.substr(11) + ": " + r.error().message;
  };
  EXPECT_EQ("data[0]: unknown data segment flags 3", err(Cat(Leb(1), Leb(3), Bytes{0x00})));
  EXPECT_EQ("data[0]: data of 9 bytes runs past the end of the section (2 bytes left)",
            err(Cat(Leb(1), Leb(1), Leb(9), Bytes{1, 2})));
  EXPECT_EQ("data[0]: offset: constant expression has type f32, expected i32",
            err(Cat(Leb(1), Leb(0), Bytes{0x43, 0, 0, 0, 0, kEnd}, Leb(0))));
  EXPECT_EQ("data: segment count of 100001 exceeds internal limit of 100000",
            err(Leb(100001)));
}

TEST(Reader, ChecksTheDataCount) {
  Bytes data = Section(kData, Cat(Leb(1), Leb(1), Str("a")));
  auto r = Read(ModuleBytes({Memory(), Section(kDataCount, Leb(2)), data}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("data section has 1 segments but the datacount section says 2", r.error().message);
  auto missing = Read(ModuleBytes({Section(kDataCount, Leb(2))}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ("the datacount section says 2 segments, but there is no data section",
            missing.error().message);
  auto trailing = Read(ModuleBytes({Section(kDataCount, Cat(Leb(0), Leb(0)))}));
  ASSERT_FALSE(trailing.ok());
  EXPECT_EQ("1 unread bytes at the end of the section", trailing.error().message);
}

TEST(Reader, ReadsFunctionBodySizesWithoutDecodingThem) {
  Bytes m = Cat(ModuleBytes({Prelude()}),
                Section(kCode, Cat(Leb(2), Leb(3), Bytes{0x00, 0x01, kEnd},  // garbage inside
                                   Leb(2), Bytes{0x00, kEnd})));
  auto r = Read(m);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(2u, r->code.size());
  EXPECT_EQ(3u, r->code[0].size);
  EXPECT_EQ(0x00, m[r->code[0].offset]);
  EXPECT_EQ(2u, r->code[1].size);
  EXPECT_EQ(r->code[0].offset + 4, r->code[1].offset);
}

TEST(Reader, RejectsCodeCountMismatch) {
  Bytes prelude = ModuleBytes({Prelude()});
  Bytes m = Cat(prelude, Section(kCode, Cat(Leb(1), Leb(2), Bytes{0x00, kEnd})));
  auto r = Read(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("function and code section counts disagree: 2 functions declared, 1 bodies",
            r.error().message);
  EXPECT_EQ(prelude.size() + 2, r.error().offset);  // the count, after id and size
}

TEST(Reader, RejectsFunctionBodyLargerThanSection) {
  Bytes prelude = ModuleBytes({Prelude()});
  Bytes m = Cat(prelude, Section(kCode, Cat(Leb(2), Leb(2), Bytes{0x00, kEnd}, Leb(50),
                                            Bytes{0x00, kEnd})));
  auto r = Read(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("function body of 50 bytes runs past the end of the section (2 bytes left)",
            r.error().message);
  EXPECT_EQ("test.wasm: code[1]", r.error().context);
  EXPECT_EQ(prelude.size() + 2 + 1 + 3, r.error().offset);
}

TEST(Reader, RejectsEmptyFunctionBody) {
  Bytes m = Cat(ModuleBytes({Prelude()}), Section(kCode, Cat(Leb(2), Leb(0), Leb(0), Bytes{0, 0})));
  auto r = Read(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("empty function body (locals and end are required)", r.error().message);
}

}  // namespace
}  // namespace lazylink::wasm
