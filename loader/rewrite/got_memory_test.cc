#include "loader/rewrite/got_memory.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "loader/rewrite/bind_local_tool.h"
#include "loader/wasm/cursor.h"
#include "loader/wasm/test_builder.h"

namespace lazylink::rewrite {
namespace {

using namespace wasm::testing;  // NOLINT

const Bytes kMutI32 = {0x03, kI32, 0x01};
const Bytes kConstI32 = {0x03, kI32, 0x00};
const Bytes kMemoryImport = Cat(Str("env"), Str("memory"), Bytes{0x02, 0x00}, Leb(1));

// Imported globals: 0 GOT.mem.a, 1 env.__memory_base, 2 GOT.func.f,
// 3 GOT.mem.b; defined: 4 (i32, mutable). Function 0 returns
// a + f + b + g4, stores that in g4 and returns __memory_base. An export
// and the name section name g4; a data segment sits at __memory_base.
//   memory_base: import env.__memory_base (else env.not_the_base)
//   mem_info: give dylink.0 its MEM_INFO (data size 13)
Bytes GotModule(bool memory_base = true, bool mem_info = true) {
  const Bytes types = Section(kType, Cat(Leb(1), FuncSig({}, {kI32})));
  const Bytes imports = Section(kImport, Cat(Leb(5),
      Str("GOT.mem"), Str("a"), kMutI32,
      Str("env"), Str(memory_base ? "__memory_base" : "not_the_base"), kConstI32,
      Str("GOT.func"), Str("f"), kMutI32,
      kMemoryImport,
      Str("GOT.mem"), Str("b"), kMutI32));
  const Bytes funcs = Section(kFunction, Cat(Leb(1), Leb(0)));
  const Bytes globals = Section(kGlobal, Cat(Leb(1), Bytes{kI32, 0x01, 0x41, 0x05, kEnd}));
  const Bytes exports = Section(kExport, Cat(Leb(2), Str("fn"), Bytes{0x00}, Leb(0),
      Str("g"), Bytes{0x03}, Leb(4)));
  const Bytes body = Cat(Leb(0), Bytes{0x23, 0x00, 0x23, 0x02, 0x6a,  // a + f
      0x23, 0x03, 0x6a, 0x23, 0x04, 0x6a,                               // + b + g
      0x24, 0x04, 0x23, 0x01, kEnd});                                   // -> g; __memory_base
  const Bytes code = Section(kCode, Cat(Leb(1), Leb(body.size()), body));
  const Bytes data = Section(kData, Cat(Leb(1), Leb(0), Bytes{0x23, 0x01, kEnd}, Str("hi")));
  const Bytes names = Custom("name", Cat(
      Subsection(1, Cat(Leb(1), Leb(0), Str("fn"))),
      Subsection(7, Cat(Leb(3), Leb(0), Str("a"), Leb(1), Str("mb"), Leb(4), Str("g")))));
  Bytes dylink_body = mem_info ? Subsection(kMemInfo, Cat(Leb(13), Leb(0), Leb(1), Leb(0))) : Bytes{};
  Append(dylink_body, Subsection(kImportInfo, Cat(Leb(1), Str("GOT.mem"), Str("a"), Leb(1))));
  return ModuleBytes({Custom("dylink.0", dylink_body), types, imports, funcs, globals, exports, code, data,
                      names});
}

Expected<GotMemoryResult> Move(const Bytes& m) { return MoveGotToMemory(m.data(), m.size(), {"got.wasm"}); }

Bytes BodyOf(const Bytes& bytes, const wasm::FunctionBody& b) {
  return Bytes(bytes.begin() + b.offset, bytes.begin() + b.offset + b.size);
}

struct GotEntry {
  uint8_t kind;
  std::string name;
  bool operator==(const GotEntry& o) const { return kind == o.kind && name == o.name; }
};

// Decodes the lazylink.got section by hand: version, offset, entries.
void ReadGotSection(const Bytes& bytes, const wasm::Module& m, uint32_t* offset, std::vector<GotEntry>* entries) {
  const wasm::SectionInfo* s = m.FindCustomSection("lazylink.got");
  ASSERT_NE(nullptr, s);
  EXPECT_EQ(&m.sections.back(), s) << "the last section";
  wasm::Cursor c(bytes.data(), s->offset + s->size, "section");
  ASSERT_TRUE(c.Skip(s->offset, "got").ok());
  auto version = c.ReadU32Leb("version");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(1u, *version);
  auto off = c.ReadU32Leb("offset");
  auto count = c.ReadU32Leb("count");
  ASSERT_TRUE(off.ok() && count.ok());
  *offset = *off;
  for (uint32_t i = 0; i < *count; i++) {
    auto kind = c.ReadU8("kind");
    auto name = c.ReadName("name");
    ASSERT_TRUE(kind.ok() && name.ok());
    entries->push_back({*kind, std::string(*name)});
  }
  EXPECT_TRUE(c.at_end());
}

TEST(GotMemory, MovesGotImportsIntoMemoryAndRenumbersGlobals) {
  const Bytes in = GotModule();
  auto r = Move(in);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(3u, r->moved);
  EXPECT_EQ(0u, r->kept);
  EXPECT_EQ(16u, r->offset) << "13 rounded up to a multiple of 4";
  auto m = Read(r->bytes);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  // Only __memory_base (now global 0) and the memory are left.
  ASSERT_EQ(2u, m->imports.size());
  EXPECT_EQ("__memory_base", m->imports[0].field);
  EXPECT_EQ("memory", m->imports[1].field);
  EXPECT_EQ(1u, m->num_imported_globals);
  // a, f and b are loads at 16, 20 and 24; g went from 4 to 1.
  ASSERT_EQ(1u, m->code.size());
  const Bytes want = Cat(Leb(0), Bytes{0x23, 0x00, 0x28, 0x02, 0x10,  // a
      0x23, 0x00, 0x28, 0x02, 0x14, 0x6a,                               // + f
      0x23, 0x00, 0x28, 0x02, 0x18, 0x6a,                               // + b
      0x23, 0x01, 0x6a, 0x24, 0x01, 0x23, 0x00, kEnd});
  EXPECT_EQ(want, BodyOf(r->bytes, m->code[0]));
  EXPECT_EQ(1u, m->FindExport("g")->index);
  EXPECT_EQ(0u, m->FindExport("fn")->index);
  ASSERT_EQ(1u, m->data.size());
  EXPECT_EQ(wasm::ConstExpr::Op::kGlobalGet, m->data[0].offset_expr.op);
  EXPECT_EQ(0u, m->data[0].offset_expr.index);
  // MEM_INFO covers the GOT; the table fields and import info are as they were.
  EXPECT_EQ(28u, m->dylink.mem_info.memory_size);
  EXPECT_EQ(2u, m->dylink.mem_info.memory_align);
  EXPECT_EQ(1u, m->dylink.mem_info.table_size);
  EXPECT_EQ(wasm::symflag::kBindingWeak, m->ImportFlags("GOT.mem", "a"));
  // Global names: a is gone, mb and g renumbered.
  ASSERT_EQ(2u, m->names.global_names.size());
  EXPECT_EQ(std::make_pair(0u, std::string("mb")), m->names.global_names[0]);
  EXPECT_EQ(std::make_pair(1u, std::string("g")), m->names.global_names[1]);
  EXPECT_EQ("fn", *m->FunctionName(0));
  uint32_t offset = 0;
  std::vector<GotEntry> entries;
  ReadGotSection(r->bytes, *m, &offset, &entries);
  EXPECT_EQ(16u, offset);
  const std::vector<GotEntry> want_entries = {{0, "a"}, {1, "f"}, {0, "b"}};
  EXPECT_EQ(want_entries, entries);
}

// Imported globals: 0 GOT.mem.w (written), 1 GOT.mem.x (exported),
// 2 GOT.func.y (read by a global's initialiser), 3 GOT.mem.z (only read:
// moves), 4 env.__memory_base, 5 env.__table_base; defined: 6 (= y).
// An element segment sits at __table_base, a data segment at __memory_base.
Bytes PinnedModule() {
  const Bytes types = Section(kType, Cat(Leb(1), FuncSig({}, {})));
  const Bytes imports = Section(kImport, Cat(Leb(8),
      Str("GOT.mem"), Str("w"), kMutI32, Str("GOT.mem"), Str("x"), kMutI32,
      Str("GOT.func"), Str("y"), kConstI32, Str("GOT.mem"), Str("z"), kMutI32,
      Str("env"), Str("__memory_base"), kConstI32, Str("env"), Str("__table_base"), kConstI32,
      kMemoryImport,
      Str("env"), Str("__indirect_function_table"), Bytes{0x01, 0x70, 0x00}, Leb(1)));
  const Bytes funcs = Section(kFunction, Cat(Leb(1), Leb(0)));
  const Bytes globals = Section(kGlobal, Cat(Leb(1), Bytes{kI32, 0x00, 0x23, 0x02, kEnd}));
  const Bytes exports = Section(kExport, Cat(Leb(3), Str("fn"), Bytes{0x00}, Leb(0),
      Str("x"), Bytes{0x03}, Leb(1), Str("def"), Bytes{0x03}, Leb(6)));
  const Bytes elem = Section(kElem, Cat(Leb(1), Leb(0), Bytes{0x23, 0x05, kEnd}, Leb(1), Leb(0)));
  const Bytes body = Cat(Leb(0), Bytes{0x23, 0x03, 0x24, 0x00,  // w = z
      0x23, 0x06, 0x1a, kEnd});                                  // def; drop
  const Bytes code = Section(kCode, Cat(Leb(1), Leb(body.size()), body));
  const Bytes data = Section(kData, Cat(Leb(1), Leb(0), Bytes{0x23, 0x04, kEnd}, Str("hi")));
  const Bytes dylink = Custom("dylink.0", Subsection(kMemInfo, Cat(Leb(8), Leb(3), Leb(1), Leb(0))));
  return ModuleBytes({dylink, types, imports, funcs, globals, exports, elem, code, data});
}

TEST(GotMemory, WrittenExportedAndConstantExpressionGlobalsStayImported) {
  auto r = Move(PinnedModule());
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(1u, r->moved);
  EXPECT_EQ(3u, r->kept);
  EXPECT_EQ(8u, r->offset);
  auto m = Read(r->bytes);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  // w x y MB TB, the memory and the table.
  ASSERT_EQ(7u, m->imports.size());
  EXPECT_EQ(5u, m->num_imported_globals);
  for (const char* name : {"w", "x", "y"}) {
    EXPECT_NE(m->imports.end(), std::find_if(m->imports.begin(), m->imports.end(),
                                             [&](const wasm::Import& i) { return i.field == name; }))
        << name;
  }
  EXPECT_EQ(m->imports.end(), std::find_if(m->imports.begin(), m->imports.end(),
                                           [](const wasm::Import& i) { return i.field == "z"; }));
  // z is loaded from __memory_base (now 3) + 8; w stays 0; def went from 6 to 5.
  const Bytes want = Cat(Leb(0), Bytes{0x23, 0x03, 0x28, 0x02, 0x08, 0x24, 0x00, 0x23, 0x05, 0x1a, kEnd});
  EXPECT_EQ(want, BodyOf(r->bytes, m->code[0]));
  EXPECT_EQ(1u, m->FindExport("x")->index);
  EXPECT_EQ(5u, m->FindExport("def")->index);
  ASSERT_EQ(1u, m->globals.size());
  EXPECT_EQ(2u, m->globals[0].init.index);          // y
  EXPECT_EQ(4u, m->elements[0].offset_expr.index);  // __table_base
  EXPECT_EQ(3u, m->data[0].offset_expr.index);      // __memory_base
  EXPECT_EQ(12u, m->dylink.mem_info.memory_size);
  EXPECT_EQ(3u, m->dylink.mem_info.memory_align) << "already more than 4-byte aligned";
  uint32_t offset = 0;
  std::vector<GotEntry> entries;
  ReadGotSection(r->bytes, *m, &offset, &entries);
  EXPECT_EQ(8u, offset);
  EXPECT_EQ(std::vector<GotEntry>({{0, "z"}}), entries);
}

TEST(GotMemory, WithoutMemoryBaseOrMemInfoNothingMoves) {
  for (const Bytes& in : {GotModule(false, true), GotModule(true, false)}) {
    auto r = Move(in);
    ASSERT_TRUE(r.ok()) << r.error().Format();
    EXPECT_EQ(0u, r->moved);
    EXPECT_EQ(3u, r->kept);
    EXPECT_EQ(in, r->bytes);
  }
}

TEST(GotMemory, NoCandidatesLeavesTheBytesAlone) {
  // GOT.mem.v is written, GOT.mem.wide is not an i32: nothing can move.
  const Bytes types = Section(kType, Cat(Leb(1), FuncSig({}, {})));
  const Bytes imports = Section(kImport, Cat(Leb(4),
      Str("env"), Str("__memory_base"), kConstI32, Str("GOT.mem"), Str("v"), kMutI32,
      Str("GOT.mem"), Str("wide"), Bytes{0x03, kI64, 0x01}, kMemoryImport));
  const Bytes funcs = Section(kFunction, Cat(Leb(1), Leb(0)));
  const Bytes body = Cat(Leb(0), Bytes{0x23, 0x01, 0x24, 0x01, 0x23, 0x02, 0x1a, kEnd});
  const Bytes code = Section(kCode, Cat(Leb(1), Leb(body.size()), body));
  const Bytes dylink = Custom("dylink.0", Subsection(kMemInfo, Cat(Leb(4), Leb(2), Leb(0), Leb(0))));
  const Bytes in = ModuleBytes({dylink, types, imports, funcs, code});
  auto r = Move(in);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(0u, r->moved);
  EXPECT_EQ(2u, r->kept);
  EXPECT_EQ(in, r->bytes);
}

TEST(GotMemory, RunningTwiceFails) {
  auto once = Move(GotModule());
  ASSERT_TRUE(once.ok()) << once.error().Format();
  auto twice = Move(once->bytes);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(std::string::npos, twice.error().Format().find("lazylink.got")) << twice.error().Format();
  EXPECT_NE(std::string::npos, twice.error().Format().find("got.wasm")) << twice.error().Format();
}

TEST(GotMemory, LegacyDylinkFails) {
  // GotModule's dylink.0 replaced by a legacy section.
  Bytes in = GotModule();
  auto m = Read(in);
  ASSERT_TRUE(m.ok());
  const wasm::SectionInfo& first = m->sections[0];
  ASSERT_EQ("dylink.0", first.name);
  Bytes legacy = ModuleBytes({Custom("dylink", Cat(Leb(13), Leb(0), Leb(0), Leb(0), Leb(0)))});
  legacy.insert(legacy.end(), in.begin() + first.offset + first.size, in.end());
  auto r = Move(legacy);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.error().Format().find("got.wasm")) << r.error().Format();
  EXPECT_NE(std::string::npos, r.error().message.find("legacy")) << r.error().Format();
  EXPECT_EQ(kHeaderSize, r.error().offset);
}

TEST(GotMemory, RefusesObjectFilesDebugInfoAndUnknownInstructions) {
  for (const char* name : {"linking", "reloc.CODE", ".debug_info", "sourceMappingURL"}) {
    Bytes m = GotModule();
    Append(m, Custom(name, Bytes{0x02}));
    auto r = Move(m);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_NE(std::string::npos, r.error().message.find(name)) << r.error().Format();
    EXPECT_NE(kNoOffset, r.error().offset);
  }
  Bytes m = GotModule();
  const Bytes tail = {0x23, 0x01, kEnd};
  auto at = std::search(m.begin(), m.end(), tail.begin(), tail.end());
  ASSERT_NE(m.end(), at);
  at[0] = 0xff;  // an opcode nobody knows, then 0x01 (nop) and end
  auto r = Move(m);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.error().message.find("unknown instruction 0xff")) << r.error().Format();
  ASSERT_NE(kNoOffset, r.error().offset);
  EXPECT_EQ(0xff, m[r.error().offset]);
}

TEST(GotMemory, TruncatedModuleFailsCleanly) {
  const Bytes m = GotModule();
  for (size_t len = 9; len < m.size(); len++) {
    auto r = MoveGotToMemory(m.data(), len, {"got.wasm"});
    if (r.ok()) continue;  // a prefix ending at a section boundary
    EXPECT_LE(r.error().offset, len) << r.error().Format();
  }
}

TEST(GotMemory, GotThatWouldPassFourGiBFails) {
  // GotModule with a data size of 2^32 - 8 in MEM_INFO: no room for three entries.
  const Bytes in = GotModule();
  auto m = Read(in);
  ASSERT_TRUE(m.ok());
  const wasm::SectionInfo& first = m->sections[0];
  ASSERT_EQ("dylink.0", first.name);
  Bytes big = ModuleBytes({Custom("dylink.0", Subsection(kMemInfo, Cat(Leb(0xfffffff8u), Leb(0), Leb(1), Leb(0))))});
  big.insert(big.end(), in.begin() + first.offset + first.size, in.end());
  auto r = Move(big);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.error().message.find("32-bit")) << r.error().Format();
}

TEST(GotMemory, BindLocalToolAppliesItWithTheFlag) {
  const std::string dir = ::testing::TempDir();
  const std::string in_path = dir + "got_memory_tool_in.wasm";
  const std::string out_path = dir + "got_memory_tool_out.wasm";
  ASSERT_TRUE(WriteFileBytes(in_path, GotModule()));
  BindLocalFileArgs args;
  args.input = in_path;
  args.output = out_path;
  args.got_in_memory = true;
  args.quiet = true;
  ASSERT_EQ(0, BindLocalFile(args));
  Bytes out;
  ASSERT_TRUE(ReadFileBytes(out_path, out));
  auto m = Read(out);
  ASSERT_TRUE(m.ok()) << m.error().Format();
  EXPECT_NE(nullptr, m->FindCustomSection("lazylink.got"));
  EXPECT_EQ(2u, m->imports.size());
  std::remove(in_path.c_str());
  std::remove(out_path.c_str());
}

}  // namespace
}  // namespace lazylink::rewrite
