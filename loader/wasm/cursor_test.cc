#include "loader/wasm/cursor.h"

#include <gtest/gtest.h>

#include "loader/wasm/test_builder.h"

namespace lazylink::wasm {
namespace {

using testing::Bytes;
using testing::Leb;
using testing::SLeb;

Cursor Over(const Bytes& b, const char* region = "section") {
  Cursor c(b.data(), b.size(), region);
  c.set_context("test");
  return c;
}

TEST(Cursor, ReadsU32Leb) {
  for (uint32_t v : {0u, 1u, 127u, 128u, 300u, 0x0fffffffu, 0xffffffffu}) {
    Bytes b = Leb(v);
    Cursor c = Over(b);
    auto r = c.ReadU32Leb("x");
    ASSERT_TRUE(r.ok()) << r.error().Format();
    EXPECT_EQ(v, *r);
    EXPECT_TRUE(c.at_end());
  }
}

TEST(Cursor, AcceptsPaddedLebUpToFiveBytes) {
  Bytes b = Leb(5, 5);  // 0x85 0x80 0x80 0x80 0x00
  Cursor c = Over(b);
  auto r = c.ReadU32Leb("x");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(5u, *r);
}

TEST(Cursor, RejectsLebPastEnd) {
  Bytes b = {0x00, 0x80, 0x80};  // a zero, then a LEB128 that never ends
  Cursor c = Over(b);
  ASSERT_TRUE(c.ReadU32Leb("first").ok());
  auto r = c.ReadU32Leb("mem_size");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("test: mem_size: LEB128 runs past the end of the section (at offset 0x1)",
            r.error().Format());
  EXPECT_EQ(1u, r.error().offset);
  EXPECT_EQ(1u, c.offset()) << "a failed read does not move the cursor";
}

TEST(Cursor, RejectsOverlongLeb) {
  Bytes b = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};  // six bytes
  Cursor c = Over(b);
  auto r = c.ReadU32Leb("count");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("test: count: LEB128 is longer than 5 bytes (at offset 0x0)", r.error().Format());
}

TEST(Cursor, RejectsLebTooLargeForU32) {
  Bytes b = {0xff, 0xff, 0xff, 0xff, 0x1f};  // 2^35 - 1
  Cursor c = Over(b);
  auto r = c.ReadU32Leb("size");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("test: size: LEB128 value does not fit in 32 bits (at offset 0x0)",
            r.error().Format());
}

TEST(Cursor, ReadsU64Leb) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1} << 40, ~uint64_t{0}}) {
    Bytes b = Leb(v);
    Cursor c = Over(b);
    auto r = c.ReadU64Leb("x");
    ASSERT_TRUE(r.ok()) << r.error().Format();
    EXPECT_EQ(v, *r);
  }
  Bytes too_large = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x03};
  Cursor c = Over(too_large);
  auto r = c.ReadU64Leb("x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("x: LEB128 value does not fit in 64 bits", r.error().message);
}

TEST(Cursor, ReadsSignedLeb) {
  for (int32_t v : {0, 1, -1, 63, 64, -64, -65, INT32_MAX, INT32_MIN}) {
    Bytes b = SLeb(v);
    Cursor c = Over(b);
    auto r = c.ReadS32Leb("x");
    ASSERT_TRUE(r.ok()) << r.error().Format();
    EXPECT_EQ(v, *r);
  }
  for (int64_t v : {int64_t{0}, int64_t{-1}, INT64_MAX, INT64_MIN, int64_t{1} << 40}) {
    Bytes b = SLeb(v);
    Cursor c = Over(b);
    auto r = c.ReadS64Leb("x");
    ASSERT_TRUE(r.ok()) << r.error().Format();
    EXPECT_EQ(v, *r);
  }
}

TEST(Cursor, RejectsSignedLebWithInconsistentSignBits) {
  // Fifth byte 0x0f: bit 3 (the sign) is set but bits 4..6 are not.
  Bytes b = {0xff, 0xff, 0xff, 0xff, 0x0f};
  Cursor c = Over(b);
  auto r = c.ReadS32Leb("i32.const value");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("i32.const value: LEB128 value does not fit in 32 bits", r.error().message);
  // 0x7f: all sign bits set: -1.
  Bytes ok = {0xff, 0xff, 0xff, 0xff, 0x7f};
  Cursor c2 = Over(ok);
  auto r2 = c2.ReadS32Leb("x");
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(-1, *r2);
}

TEST(Cursor, ReadsNames) {
  Bytes b = testing::Cat(testing::Str("h\xc3\xa9llo"), testing::Str(""));
  Cursor c = Over(b);
  auto r = c.ReadName("name");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ("h\xc3\xa9llo", *r);
  auto empty = c.ReadName("name");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ("", *empty);
  EXPECT_TRUE(c.at_end());
}

TEST(Cursor, RejectsNamePastEnd) {
  Bytes b = {0x05, 'a', 'b'};
  Cursor c = Over(b, "subsection");
  auto r = c.ReadName("field name");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      "test: field name: string of 5 bytes runs past the end of the subsection (2 bytes left) "
      "(at offset 0x0)",
      r.error().Format());
}

TEST(Cursor, RejectsInvalidUtf8Names) {
  for (Bytes bad : {Bytes{0xff}, Bytes{0xc0, 0x80} /* overlong */,
                    Bytes{0xed, 0xa0, 0x80} /* surrogate */, Bytes{0xe2, 0x82} /* cut */,
                    Bytes{0xf4, 0x90, 0x80, 0x80} /* > U+10FFFF */}) {
    Bytes b = Leb(bad.size());
    b.insert(b.end(), bad.begin(), bad.end());
    Cursor c = Over(b);
    auto r = c.ReadName("name");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ("name: invalid UTF-8 encoding", r.error().message);
  }
}

TEST(Cursor, ChecksCountsAgainstLimitBeforeAllocating) {
  Bytes b = Leb(0xffffffffu);
  Cursor c = Over(b);
  auto r = c.ReadCount("function", 1000000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("function count of 4294967295 exceeds internal limit of 1000000", r.error().message);
}

TEST(Cursor, ChecksCountsAgainstBytesLeft) {
  Bytes b = testing::Cat(Leb(10), Bytes{1, 2, 3});
  Cursor c = Over(b);
  auto r = c.ReadCount("import", 100000, 4);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("import count of 10 cannot fit in the 3 bytes left in the section",
            r.error().message);
  EXPECT_EQ(0u, r.error().offset);
}

TEST(Cursor, NarrowsOnlyWhenTheWindowFits) {
  Bytes b = {0x02, 0xaa, 0xbb, 0xcc};
  Cursor c = Over(b);
  auto sub = c.ReadSized("size", "subsection");
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(1u, sub->offset());
  EXPECT_EQ(2u, sub->remaining());
  EXPECT_EQ(3u, c.offset());
  // The sub-cursor cannot read past its own end.
  ASSERT_TRUE(sub->Skip(2, "payload").ok());
  EXPECT_FALSE(sub->ReadU8("more").ok());

  Bytes big = {0x09, 0xaa};
  Cursor c2 = Over(big);
  auto r = c2.ReadSized("size", "subsection");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("test: subsection of 9 bytes runs past the end of the section (1 bytes left) "
            "(at offset 0x0)",
            r.error().Format());
}

TEST(Cursor, ExpectEndReportsTrailingBytes) {
  Bytes b = {0x01, 0x02, 0x03};
  Cursor c = Over(b, "subsection");
  c.set_context("dylink.0/mem-info", 2);
  ASSERT_TRUE(c.ReadU8("x").ok());
  Status s = c.ExpectEnd();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ("dylink.0/mem-info[2]: 2 unread bytes at the end of the subsection (at offset 0x1)",
            s.error().Format());
}

TEST(Cursor, FixedWidthReads) {
  Bytes b = {0x78, 0x56, 0x34, 0x12, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  Cursor c = Over(b);
  auto u32 = c.ReadU32Fixed("x");
  ASSERT_TRUE(u32.ok());
  EXPECT_EQ(0x12345678u, *u32);
  auto u64 = c.ReadU64Fixed("y");
  ASSERT_TRUE(u64.ok());
  EXPECT_EQ(0x0807060504030201ull, *u64);
  EXPECT_FALSE(c.ReadU32Fixed("z").ok());
}

TEST(Utf8, AcceptsWellFormedText) {
  const std::string s = "plain ascii, caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x98\x80 and more ascii";
  EXPECT_TRUE(IsValidUtf8(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  EXPECT_TRUE(IsValidUtf8(nullptr, 0));
}

}  // namespace
}  // namespace lazylink::wasm
