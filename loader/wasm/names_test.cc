// The name section: decoded for diagnostics; a malformed one is a warning,
// never a reason to reject the module.
#include "loader/wasm/names.h"

#include <gtest/gtest.h>

#include "loader/wasm/test_builder.h"

namespace lazylink::wasm {
namespace {

using namespace testing;  // NOLINT: the byte builders

// One imported function (index 0), two defined ones (1, 2), one global, one
// data segment; then a name section with `payload`.
Bytes WithNames(const Bytes& payload) {
  return ModuleBytes({
      Section(kType, Cat(Leb(1), FuncSig({}, {}))),
      Section(kImport, Cat(Leb(2), Str("env"), Str("ext"), Bytes{0x00}, Leb(0), Str("env"),
                           Str("memory"), Bytes{0x02, 0x00}, Leb(1))),
      Section(kFunction, Cat(Leb(2), Leb(0), Leb(0))),
      Section(kGlobal, Cat(Leb(1), Bytes{kI32, 0x00, 0x41, 0x00, kEnd})),
      Section(kCode, Cat(Leb(2), Leb(2), Bytes{0x00, kEnd}, Leb(2), Bytes{0x00, kEnd})),
      Section(kData, Cat(Leb(1), Leb(1), Str("x"))),
      Custom("name", payload),
  });
}

Bytes NameMap(std::initializer_list<std::pair<uint32_t, const char*>> entries) {
  Bytes out = Leb(entries.size());
  for (const auto& [index, name] : entries) out = Cat(out, Leb(index), Str(name));
  return out;
}

TEST(NameSection, ReadsModuleFunctionGlobalAndDataNames) {
  Bytes payload = Cat(Subsection(0, Str("mod")),
                      Subsection(1, NameMap({{0, "ext"}, {2, "second"}})),
                      Subsection(2, Bytes{0x00}),  // local names: skipped
                      Subsection(7, NameMap({{0, "g"}})),
                      Subsection(9, NameMap({{0, ".data"}})));
  auto r = Read(WithNames(payload));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_TRUE(r->warnings.empty());
  ASSERT_TRUE(r->names.present);
  EXPECT_EQ("mod", r->names.module_name);
  ASSERT_EQ(2u, r->names.function_names.size());
  EXPECT_EQ("ext", *r->FunctionName(0));
  EXPECT_EQ(nullptr, r->FunctionName(1));
  EXPECT_EQ("second", *r->FunctionName(2));
  EXPECT_EQ("g", *r->GlobalName(0));
  ASSERT_EQ(1u, r->names.data_segment_names.size());
  EXPECT_EQ(".data", r->names.data_segment_names[0].second);
}

TEST(NameSection, MalformedNameSectionIsOnlyAWarning) {
  // Function names out of order.
  auto r = Read(WithNames(Subsection(1, NameMap({{2, "b"}, {1, "a"}}))), "libfoo.wasm");
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_FALSE(r->names.present);
  EXPECT_TRUE(r->names.function_names.empty());
  ASSERT_EQ(1u, r->warnings.size());
  const Error& w = r->warnings[0];
  EXPECT_EQ("libfoo.wasm: name/function-names[1]", w.context);
  EXPECT_EQ("index 1 is not greater than the previous index 2; name section ignored", w.message);
  // The name section is the last one: its payload starts 4 + 1 bytes
  // ("name" and its length) after its size; entry 1 is 6 bytes into it.
  const SectionInfo* s = r->FindCustomSection("name");
  ASSERT_NE(nullptr, s);
  EXPECT_EQ(s->offset + 2 + 1 + 3, w.offset);
}

TEST(NameSection, WarnsAboutEveryKindOfDamage) {
  auto warning = [](const Bytes& payload) {
    auto r = Read(WithNames(payload));
    if (!r.ok()) return "error: " + r.error().Format();
    if (r->warnings.empty()) return std::string("no warning");
    return r->warnings[0].context.substr(11) + ": " + r->warnings[0].message;
  };
  EXPECT_EQ("name/function-names[0]: index 3 out of range (3 in the module); name section ignored",
            warning(Subsection(1, NameMap({{3, "nope"}}))));
  EXPECT_EQ("name/function-names: subsection of 40 bytes runs past the end of the section "
            "(1 bytes left); name section ignored",
            warning(Bytes{1, 40, 0}));
  EXPECT_EQ("name/module: subsection 0 follows subsection 1; they must be in increasing order; "
            "name section ignored",
            warning(Cat(Subsection(1, NameMap({})), Subsection(0, Str("m")))));
  EXPECT_EQ("name/global-names: 1 unread bytes at the end of the subsection; name section ignored",
            warning(Subsection(7, Cat(NameMap({{0, "g"}}), Bytes{0}))));
  EXPECT_EQ("name/data-names[0]: name: invalid UTF-8 encoding; name section ignored",
            warning(Subsection(9, Cat(Leb(1), Leb(0), Leb(1), Bytes{0xff}))));
}

TEST(NameSection, KeepsTheFirstOfTwoNameSections) {
  Bytes m = WithNames(Subsection(1, NameMap({{1, "first"}})));
  m = Cat(m, Custom("name", Subsection(1, NameMap({{1, "second"}}))));
  auto r = Read(m);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ("first", *r->FunctionName(1));
  ASSERT_EQ(1u, r->warnings.size());
  EXPECT_EQ("duplicate name section ignored", r->warnings[0].message);
}

TEST(NameSection, CanBeSkipped) {
  Bytes m = WithNames(Subsection(1, NameMap({{1, "f"}})));
  ReadOptions opts;
  opts.name = "x.wasm";
  opts.read_names = false;
  auto r = ReadModule(m.data(), m.size(), opts);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->names.present);
  EXPECT_NE(nullptr, r->FindCustomSection("name"));
}

}  // namespace
}  // namespace lazylink::wasm
