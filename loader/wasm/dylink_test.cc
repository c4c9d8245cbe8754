// dylink.0 (tool-conventions DynamicLinking.md) and the legacy dylink
// section, from hand-built bytes.
//
// Layout of ModuleBytes({Custom("dylink.0", payload)}) when the payload is short:
//   0x08 section id, 0x09 section size, 0x0a name length, 0x0b..0x12 name,
//   0x13 first subsection id, 0x14 its size, 0x15 its payload.
#include "loader/wasm/dylink.h"

#include <gtest/gtest.h>

#include "loader/wasm/test_builder.h"

namespace lazylink::wasm {
namespace {

using namespace testing;  // NOLINT: the byte builders

Bytes DylinkModule(const Bytes& payload) { return ModuleBytes({Custom("dylink.0", payload)}); }

Bytes MemInfoSub(uint32_t mem_size, uint32_t mem_align, uint32_t table_size, uint32_t table_align) {
  return Subsection(kMemInfo, Cat(Leb(mem_size), Leb(mem_align), Leb(table_size), Leb(table_align)));
}

void ExpectError(const Bytes& bytes, const std::string& formatted, uint64_t offset) {
  auto r = Read(bytes, "libfoo.wasm");
  ASSERT_FALSE(r.ok()) << "expected: " << formatted;
  EXPECT_EQ(formatted, r.error().Format());
  EXPECT_EQ(offset, r.error().offset);
}

TEST(Reader, ReadsAllFiveSubsections) {
  Bytes payload = Cat(
      MemInfoSub(1040, 4, 3, 0),
      Subsection(kNeeded, Cat(Leb(2), Str("libbar.wasm"), Str("libstd.wasm"))),
      Subsection(kExportInfo, Cat(Leb(2), Str("tls_var"), Leb(symflag::kTls),
                                  Str("weak_fn"), Leb(symflag::kBindingWeak))),
      Subsection(kImportInfo, Cat(Leb(1), Str("env"), Str("maybe"),
                                  Leb(symflag::kBindingWeak | symflag::kUndefined))),
      Subsection(kRuntimePath, Cat(Leb(1), Str("$ORIGIN/lib"))));
  auto r = Read(DylinkModule(payload));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const wasm::Dylink& d = r->dylink;
  EXPECT_TRUE(d.present);
  EXPECT_FALSE(d.legacy);
  ASSERT_TRUE(d.has_mem_info);
  EXPECT_EQ(1040u, d.mem_info.memory_size);
  EXPECT_EQ(4u, d.mem_info.memory_align);
  EXPECT_EQ(3u, d.mem_info.table_size);
  EXPECT_EQ(0u, d.mem_info.table_align);
  EXPECT_EQ((std::vector<std::string>{"libbar.wasm", "libstd.wasm"}), d.needed);
  ASSERT_EQ(2u, d.export_info.size());
  EXPECT_EQ("tls_var", d.export_info[0].name);
  EXPECT_EQ(symflag::kTls, d.export_info[0].flags);
  EXPECT_EQ(symflag::kBindingWeak, d.export_info[1].flags);
  ASSERT_EQ(1u, d.import_info.size());
  EXPECT_EQ("env", d.import_info[0].module);
  EXPECT_EQ("maybe", d.import_info[0].field);
  EXPECT_EQ(0x11u, d.import_info[0].flags);
  EXPECT_EQ((std::vector<std::string>{"$ORIGIN/lib"}), d.runtime_path);
  EXPECT_TRUE(d.unknown.empty());
  EXPECT_EQ(symflag::kTls, r->ExportFlags("tls_var"));
  EXPECT_EQ(0x11u, r->ImportFlags("env", "maybe"));
  EXPECT_EQ(0u, r->ImportFlags("env", "other"));
  EXPECT_TRUE(r->warnings.empty());
}

TEST(Reader, RejectsTruncatedDylinkSection) {
  // MEM_INFO of 1 byte: mem_size's LEB128 continues past the subsection.
  ExpectError(DylinkModule(Subsection(kMemInfo, Bytes{0x80})),
              "libfoo.wasm: dylink.0/mem-info: mem_size: LEB128 runs past the end of the "
              "subsection (at offset 0x15)",
              0x15);
  // A subsection id with no size after it.
  ExpectError(DylinkModule(Bytes{kMemInfo}),
              "libfoo.wasm: dylink.0/mem-info: subsection size: LEB128 runs past the end of the "
              "section (at offset 0x14)",
              0x14);
  // MEM_INFO ends after three of its four fields.
  ExpectError(DylinkModule(Subsection(kMemInfo, Cat(Leb(16), Leb(2), Leb(0)))),
              "libfoo.wasm: dylink.0/mem-info: table_align: LEB128 runs past the end of the "
              "subsection (at offset 0x18)",
              0x18);
}

TEST(Reader, RejectsOverlongLeb) {
  ExpectError(DylinkModule(Subsection(kMemInfo, Cat(Bytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, Leb(0),
                                               Leb(0), Leb(0)))),
              "libfoo.wasm: dylink.0/mem-info: mem_size: LEB128 is longer than 5 bytes "
              "(at offset 0x15)",
              0x15);
  ExpectError(DylinkModule(Subsection(kMemInfo, Cat(Leb(1), Bytes{0xff, 0xff, 0xff, 0xff, 0x7f},
                                               Leb(0), Leb(0)))),
              "libfoo.wasm: dylink.0/mem-info: mem_align: LEB128 value does not fit in 32 bits "
              "(at offset 0x16)",
              0x16);
}

TEST(Reader, RejectsSubsectionLargerThanSection) {
  // Claims 10 bytes; 1 is left in the section after the size byte.
  ExpectError(DylinkModule(Bytes{kNeeded, 10, 0}),
              "libfoo.wasm: dylink.0/needed: subsection of 10 bytes runs past the end of the "
              "section (1 bytes left) (at offset 0x14)",
              0x14);
}

TEST(Reader, RejectsTrailingBytesInSubsection) {
  // Five LEB128s in MEM_INFO: the fifth (at 0x19) is left over.
  ExpectError(DylinkModule(Subsection(kMemInfo, Cat(Leb(1), Leb(2), Leb(3), Leb(4), Leb(5)))),
              "libfoo.wasm: dylink.0/mem-info: 1 unread bytes at the end of the subsection "
              "(at offset 0x19)",
              0x19);
}

TEST(Reader, RejectsCountsOverLimit) {
  ExpectError(DylinkModule(Subsection(kNeeded, Leb(10001))),
              "libfoo.wasm: dylink.0/needed: needed count of 10001 exceeds internal limit of "
              "10000 (at offset 0x15)",
              0x15);
  ExpectError(DylinkModule(Subsection(kExportInfo, Leb(4000000))),
              "libfoo.wasm: dylink.0/export-info: export info count of 4000000 exceeds internal "
              "limit of 1000000 (at offset 0x15)",
              0x15);
  // Under the limit but more entries than bytes to hold them.
  ExpectError(DylinkModule(Subsection(kImportInfo, Cat(Leb(5), Bytes{0, 0, 0}))),
              "libfoo.wasm: dylink.0/import-info: import info count of 5 cannot fit in the 3 "
              "bytes left in the subsection (at offset 0x15)",
              0x15);
}

TEST(Reader, NamesTheFailingEntry) {
  // EXPORT_INFO: entry 0 complete (0x16..0x18), entry 1's name runs out.
  ExpectError(DylinkModule(Subsection(kExportInfo, Cat(Leb(2), Str("a"), Leb(0), Leb(4), Bytes{'b'}))),
              "libfoo.wasm: dylink.0/export-info[1]: name: string of 4 bytes runs past the end "
              "of the subsection (1 bytes left) (at offset 0x19)",
              0x19);
  ExpectError(DylinkModule(Subsection(kRuntimePath, Cat(Leb(1), Leb(2), Bytes{0xff, 0xfe}))),
              "libfoo.wasm: dylink.0/runtime-path[0]: runtime path: invalid UTF-8 encoding "
              "(at offset 0x16)",
              0x16);
  ExpectError(DylinkModule(Subsection(kImportInfo, Cat(Leb(1), Str("env"), Str("f"), Bytes{0x80}))),
              "libfoo.wasm: dylink.0/import-info[0]: flags: LEB128 runs past the end of the "
              "subsection (at offset 0x1c)",
              0x1c);
}

TEST(Reader, KeepsUnknownSubsections) {
  Bytes payload = Cat(Subsection(9, Bytes{0xaa, 0xbb, 0xcc}), MemInfoSub(8, 3, 0, 0),
                      Subsection(200, Bytes{}));
  auto r = Read(DylinkModule(payload));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const wasm::Dylink& d = r->dylink;
  ASSERT_EQ(2u, d.unknown.size());
  EXPECT_EQ(9, d.unknown[0].id);
  EXPECT_EQ(0x15u, d.unknown[0].offset);
  EXPECT_EQ(3u, d.unknown[0].size);
  EXPECT_EQ(200, d.unknown[1].id);
  EXPECT_EQ(0u, d.unknown[1].size);
  EXPECT_TRUE(d.has_mem_info);
  EXPECT_EQ(8u, d.mem_info.memory_size);
}

TEST(Reader, RejectsDuplicateSubsections) {
  ExpectError(DylinkModule(Cat(MemInfoSub(1, 0, 0, 0), MemInfoSub(2, 0, 0, 0))),
              "libfoo.wasm: dylink.0/mem-info: duplicate mem-info subsection (at offset 0x19)",
              0x19);
}

TEST(Reader, RejectsImpossibleAlignment) {
  ExpectError(DylinkModule(MemInfoSub(16, 40, 0, 0)),
              "libfoo.wasm: dylink.0/mem-info: mem_align: alignment of 2^40 is too large "
              "(at offset 0x16)",
              0x16);
}

TEST(Reader, RejectsDuplicateDylinkSections) {
  Bytes one = Custom("dylink.0", MemInfoSub(1, 0, 0, 0));
  auto r = Read(ModuleBytes({one, one}), "libfoo.wasm");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("duplicate dylink section (\"dylink.0\" after \"dylink.0\")", r.error().message);
  auto mixed = Read(ModuleBytes({one, Custom("dylink", Cat(Leb(0), Leb(0), Leb(0), Leb(0), Leb(0)))}));
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ("duplicate dylink section (\"dylink\" after \"dylink.0\")", mixed.error().message);
}

TEST(Reader, WarnsWhenNotTheFirstSection) {
  auto r = Read(ModuleBytes({Section(kType, Leb(0)), Custom("dylink.0", MemInfoSub(1, 0, 0, 0))}),
                "libfoo.wasm");
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(1u, r->warnings.size());
  EXPECT_EQ("libfoo.wasm: dylink.0: not the first section; DynamicLinking.md requires it first "
            "(at offset 0xb)",
            r->warnings[0].Format());
}

TEST(Reader, ReadsLegacyDylinkSection) {
  // The pre-2021 layout: four LEB128s and the NEEDED list, no subsections.
  Bytes m = ModuleBytes({Custom("dylink", Cat(Leb(64), Leb(3), Leb(2), Leb(0), Leb(1), Str("liba.so")))});
  auto r = Read(m);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_TRUE(r->dylink.present);
  EXPECT_TRUE(r->dylink.legacy);
  EXPECT_EQ(64u, r->dylink.mem_info.memory_size);
  EXPECT_EQ(2u, r->dylink.mem_info.table_size);
  EXPECT_EQ((std::vector<std::string>{"liba.so"}), r->dylink.needed);
  // Layout: 0x8 id, 0x9 size, 0xa name length, 0xb..0x10 "dylink", 0x11 mem_size.
  ExpectError(ModuleBytes({Custom("dylink", Cat(Leb(64), Leb(3)))}),
              "libfoo.wasm: dylink: table_size: LEB128 runs past the end of the section "
              "(at offset 0x13)",
              0x13);
  ExpectError(ModuleBytes({Custom("dylink", Cat(Leb(64), Leb(3), Leb(2), Leb(0), Leb(0), Leb(7)))}),
              "libfoo.wasm: dylink: 1 unread bytes at the end of the section (at offset 0x16)",
              0x16);
}

// A module with MEM_INFO (memory size `mem_size`, alignment 2^2) and a
// lazylink.got section. Layout: dylink.0 at 0x08..0x18, lazylink.got's id at
// 0x19, its payload from 0x28: version, offset, count, then the entries.
Bytes GotModule(uint32_t mem_size, const Bytes& got_payload) {
  return ModuleBytes({Custom("dylink.0", MemInfoSub(mem_size, 2, 0, 0)), Custom("lazylink.got", got_payload)});
}

TEST(Reader, ReadsGotEntriesKeptInMemory) {
  auto r = Read(GotModule(24, Cat(Leb(1), Leb(16), Leb(2), Bytes{0}, Str("errno"), Bytes{1}, Str("qsort"))));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const MemoryGot& got = r->memory_got;
  ASSERT_TRUE(got.present);
  EXPECT_EQ(16u, got.offset);
  ASSERT_EQ(2u, got.entries.size());
  EXPECT_TRUE(got.entries[0].IsGotMem());
  EXPECT_EQ("errno", got.entries[0].field);
  EXPECT_TRUE(got.entries[1].IsGotFunc());
  EXPECT_EQ("qsort", got.entries[1].field);
  EXPECT_EQ(0x2bu, got.entries[0].offset);
  EXPECT_FALSE(got.entries[1].global.is_mutable);
}

TEST(Reader, RejectsMalformedGotSections) {
  ExpectError(GotModule(24, Cat(Leb(1), Leb(16), Leb(1), Bytes{7}, Str("x"))),
              "libfoo.wasm: lazylink.got[0]: unknown kind 7 (0 GOT.mem, 1 GOT.func) (at offset 0x2b)", 0x2b);
  ExpectError(GotModule(24, Cat(Leb(2), Leb(16), Leb(0))),
              "libfoo.wasm: lazylink.got: version 2 (this loader reads version 1) (at offset 0x28)", 0x28);
  ExpectError(GotModule(24, Cat(Leb(1), Leb(6), Leb(0))),
              "libfoo.wasm: lazylink.got: offset 6 is not a multiple of 4 (at offset 0x29)", 0x29);
  // Two entries from 16 end at 24 > 20: past the data the module reserves.
  ExpectError(GotModule(20, Cat(Leb(1), Leb(16), Leb(2), Bytes{0}, Str("a"), Bytes{0}, Str("b"))),
              "libfoo.wasm: lazylink.got: its 2 GOT entries at offset 16 end at 24, past the module's data "
              "(dylink.0 memory size 20) (at offset 0x19)",
              0x19);
  Bytes twice = GotModule(24, Cat(Leb(1), Leb(16), Leb(0)));
  Append(twice, Custom("lazylink.got", Cat(Leb(1), Leb(16), Leb(0))));
  auto r = Read(twice, "libfoo.wasm");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.error().Format().find("duplicate lazylink.got section"));
}

TEST(Reader, NamesSubsections) {
  EXPECT_STREQ("mem-info", DylinkSubsectionName(1));
  EXPECT_STREQ("runtime-path", DylinkSubsectionName(5));
  EXPECT_EQ(nullptr, DylinkSubsectionName(6));
}

}  // namespace
}  // namespace lazylink::wasm
