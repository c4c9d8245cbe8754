#include "loader/component/wit_section.h"

#include <gtest/gtest.h>

#include "loader/wasm/test_builder.h"

namespace lazylink::component {
namespace {

using wasm::testing::Bytes;
using wasm::testing::Cat;
using wasm::testing::Custom;
using wasm::testing::Leb;
using wasm::testing::ModuleBytes;
using wasm::testing::Read;
using wasm::testing::Str;

const WitPackage kPlugin{"demo:plugins/plugin@0.1.0",
                         {{"plugin.wit", "package demo:plugins@0.1.0;\nworld plugin {}\n"}}};

TEST(WitSection, RoundTrips) {
  std::vector<uint8_t> payload = EncodeWitSection(kPlugin);
  auto back = DecodeWitSection(payload.data(), payload.size());
  ASSERT_TRUE(back.ok()) << back.error().Format();
  EXPECT_EQ(kPlugin, *back);
}

TEST(WitSection, AcceptsRepeatedIdenticalRecords) {
  // wasm-ld concatenates the sections of every object that embeds the world.
  std::vector<uint8_t> one = EncodeWitSection(kPlugin);
  Bytes two = Cat(one, one);
  auto back = DecodeWitSection(two.data(), two.size());
  ASSERT_TRUE(back.ok()) << back.error().Format();
  EXPECT_EQ(kPlugin, *back);
}

TEST(WitSection, RejectsTwoDifferentWorlds) {
  WitPackage other = kPlugin;
  other.world = "demo:plugins/host@0.1.0";
  Bytes two = Cat(EncodeWitSection(kPlugin), EncodeWitSection(other));
  auto back = DecodeWitSection(two.data(), two.size(), 100);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ("lazylink.wit: the module embeds two different worlds (demo:plugins/plugin@0.1.0 and "
            "demo:plugins/host@0.1.0); link only one component's bindings into it (at offset 0x"
            + [&] { char b[16]; snprintf(b, sizeof b, "%zx", 100 + EncodeWitSection(kPlugin).size()); return std::string(b); }()
            + ")",
            back.error().Format());
}

TEST(WitSection, RejectsUnknownVersionWithItsOffset) {
  Bytes bytes = Cat(Bytes{2}, Str("w"), Leb(0));
  auto back = DecodeWitSection(bytes.data(), bytes.size(), 0x40);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ("lazylink.wit: version 2 is not supported (expected 1) (at offset 0x40)",
            back.error().Format());
}

TEST(WitSection, RejectsTruncatedText) {
  Bytes bytes = Cat(Bytes{1}, Str("w"), Leb(1), Str("a.wit"), Leb(10), Bytes{'x'});
  auto back = DecodeWitSection(bytes.data(), bytes.size());
  ASSERT_FALSE(back.ok());
  EXPECT_NE(std::string::npos, back.error().Format().find("file text")) << back.error().Format();
}

TEST(WitSection, IsFoundInAModule) {
  Bytes module = ModuleBytes({Custom("lazylink.wit", EncodeWitSection(kPlugin))});
  auto m = Read(module);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  auto got = ReadWitSection(*m, module.data(), module.size());
  ASSERT_TRUE(got.ok()) << got.error().Format();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(kPlugin, **got);

  Bytes bare = ModuleBytes({});
  auto m2 = Read(bare);
  ASSERT_TRUE(m2.ok());
  auto none = ReadWitSection(*m2, bare.data(), bare.size());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

}  // namespace
}  // namespace lazylink::component
