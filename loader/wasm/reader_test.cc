// The module header, section framing and order, and the sections before the
// element section, from hand-built bytes. Offsets in comments count from the
// start of the module; the header is 8 bytes, so the first section's id is
// at 0x8 and its size at 0x9.
#include "loader/wasm/reader.h"

#include <gtest/gtest.h>

#include "loader/wasm/test_builder.h"

namespace lazylink::wasm {
namespace {

using namespace testing;  // NOLINT: the byte builders

// Asserts that reading `bytes` fails with exactly `formatted`, and that the
// error's offset is `offset`.
void ExpectError(const Bytes& bytes, const std::string& formatted, uint64_t offset) {
  auto r = Read(bytes);
  ASSERT_FALSE(r.ok()) << "expected: " << formatted;
  EXPECT_EQ(formatted, r.error().Format());
  EXPECT_EQ(offset, r.error().offset);
}

// --- header ------------------------------------------------------------------

TEST(Reader, RejectsEmptyInput) {
  ExpectError({}, "test.wasm: header: magic: 4 bytes run past the end of the module "
                  "(0 bytes left) (at offset 0x0)", 0);
  auto r = ReadModule(nullptr, 0, {"null.wasm"});
  EXPECT_FALSE(r.ok());
}

TEST(Reader, RejectsBadMagic) {
  ExpectError(Bytes{0x7f, 'E', 'L', 'F', 1, 0, 0, 0},
              "test.wasm: header: bad magic number (not a WebAssembly module) (at offset 0x0)",
              0);
}

TEST(Reader, RejectsTruncatedVersion) {
  ExpectError(Bytes{0, 'a', 's', 'm', 1, 0},
              "test.wasm: header: version: 4-byte value runs past the end of the module "
              "(at offset 0x4)",
              4);
}

TEST(Reader, RejectsOtherVersionsAndComponents) {
  ExpectError(Bytes{0, 'a', 's', 'm', 2, 0, 0, 0},
              "test.wasm: header: unsupported version 2 (expected 1) (at offset 0x4)", 4);
  // Component binaries: version 0x0d, layer 1.
  ExpectError(Bytes{0, 'a', 's', 'm', 0x0d, 0, 1, 0},
              "test.wasm: header: this is a component, not a core module (at offset 0x4)", 4);
}

TEST(Reader, ReadsEmptyModule) {
  auto r = Read(ModuleBytes({}));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(8u, r->size);
  EXPECT_TRUE(r->sections.empty());
  EXPECT_FALSE(r->dylink.present);
}

TEST(Reader, UsesTheNameAsOutermostContext) {
  Bytes m = ModuleBytes({Bytes{14, 0}});
  auto r = ReadModule(m.data(), m.size(), {"libfoo.wasm"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("libfoo.wasm: module: unknown section id 14 (at offset 0x8)", r.error().Format());
}

// --- section framing -----------------------------------------------------------

TEST(Reader, RejectsSectionLargerThanModule) {
  // Type section claiming 5 bytes with 1 left after its size.
  ExpectError(ModuleBytes({Bytes{kType, 5, 0}}),
              "test.wasm: type: section of 5 bytes runs past the end of the module "
              "(1 bytes left) (at offset 0x9)",
              9);
}

TEST(Reader, RejectsSectionSizePastEnd) {
  ExpectError(ModuleBytes({Bytes{kType, 0x80}}),
              "test.wasm: type: section size: LEB128 runs past the end of the module "
              "(at offset 0x9)",
              9);
}

TEST(Reader, RejectsOverlongSectionSize) {
  ExpectError(ModuleBytes({Bytes{kType, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}}),
              "test.wasm: type: section size: LEB128 is longer than 5 bytes (at offset 0x9)", 9);
}

TEST(Reader, RejectsTrailingBytesInSection) {
  // Type section: count 0 (at 0xa), then a stray byte at 0xb.
  ExpectError(ModuleBytes({Section(kType, Bytes{0x00, 0x42})}),
              "test.wasm: type: 1 unread bytes at the end of the section (at offset 0xb)", 0xb);
}

TEST(Reader, RejectsOutOfOrderSections) {
  // A function section (empty) then a type section.
  Bytes function = Section(kFunction, Leb(0));  // 0x8..0xa
  ExpectError(ModuleBytes({function, Section(kType, Leb(0))}),
              "test.wasm: type: the type section must come before the function section "
              "(at offset 0xb)",
              0xb);
}

TEST(Reader, RejectsDuplicateSections) {
  Bytes type = Section(kType, Leb(0));
  ExpectError(ModuleBytes({type, type}), "test.wasm: type: duplicate type section (at offset 0xb)",
              0xb);
}

TEST(Reader, PlacesTheTagSectionBetweenMemoryAndGlobal) {
  Bytes types = Section(kType, Cat(Leb(1), FuncSig({kI32}, {})));
  Bytes tags = Section(kTag, Cat(Leb(1), Bytes{0x00}, Leb(0)));
  Bytes memory = Section(kMemory, Cat(Leb(1), Bytes{0x00}, Leb(1)));
  Bytes globals = Section(kGlobal, Cat(Leb(0)));
  auto ok = Read(ModuleBytes({types, memory, tags, globals}));
  ASSERT_TRUE(ok.ok()) << ok.error().Format();
  ASSERT_EQ(1u, ok->tags.size());
  EXPECT_EQ(0u, ok->tags[0]);
  auto bad = Read(ModuleBytes({types, globals, tags}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ("the tag section must come before the global section", bad.error().message);
}

TEST(Reader, KeepsUnknownCustomSectionsAnywhere) {
  Bytes m = ModuleBytes({Custom("producers", Bytes{1, 2, 3}), Section(kType, Leb(0)),
                    Custom("my.thing", Bytes{})});
  auto r = Read(m);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(3u, r->sections.size());
  // "producers": id 0x8, size 0x9, name length 0xa, name 0xb..0x13, payload 0x14.
  EXPECT_EQ(0, r->sections[0].id);
  EXPECT_EQ("producers", r->sections[0].name);
  EXPECT_EQ(0x14u, r->sections[0].offset);
  EXPECT_EQ(3u, r->sections[0].size);
  EXPECT_EQ(1, r->sections[1].id);
  EXPECT_EQ("my.thing", r->sections[2].name);
  EXPECT_EQ(0u, r->sections[2].size);
  ASSERT_NE(nullptr, r->FindCustomSection("producers"));
  EXPECT_EQ(nullptr, r->FindCustomSection("missing"));
}

TEST(Reader, RejectsCustomSectionNameLongerThanSection) {
  // Section of 2 bytes: name length 5, one byte of name.
  ExpectError(ModuleBytes({Bytes{kCustom, 2, 5, 'a'}}),
              "test.wasm: custom: custom section name: string of 5 bytes runs past the end of "
              "the section (1 bytes left) (at offset 0xa)",
              0xa);
}

// --- type section --------------------------------------------------------------

TEST(Reader, ReadsTypes) {
  auto r = Read(ModuleBytes({Section(
      kType, Cat(Leb(3), FuncSig({}, {}), FuncSig({kI32, kI64}, {kF32}),
                 FuncSig({kF64}, {kI32, kI32})))}));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(3u, r->types.size());
  EXPECT_EQ("() -> nil", r->types[0].ToString());
  EXPECT_EQ("(i32, i64) -> f32", r->types[1].ToString());
  EXPECT_EQ("(f64) -> (i32, i32)", r->types[2].ToString());
}

TEST(Reader, RejectsUnknownTypeForm) {
  // count at 0xa, form at 0xb.
  ExpectError(ModuleBytes({Section(kType, Cat(Leb(1), Bytes{0x4e, 0x00, 0x00}))}),
              "test.wasm: type[0]: unsupported type form 0x4e (expected 0x60, func) "
              "(at offset 0xb)",
              0xb);
}

TEST(Reader, RejectsUnknownValueType) {
  // 0xb: 0x60, 0xc: param count, 0xd: the bad type.
  ExpectError(ModuleBytes({Section(kType, Cat(Leb(1), Bytes{0x60, 0x01, 0x40, 0x00}))}),
              "test.wasm: type[0]: param type: unknown value type 0x40 (at offset 0xd)", 0xd);
}

TEST(Reader, RejectsTypeCountOverLimit) {
  ExpectError(ModuleBytes({Section(kType, Leb(2000000))}),
              "test.wasm: type: type count of 2000000 exceeds internal limit of 1000000 "
              "(at offset 0xa)",
              0xa);
}

TEST(Reader, RejectsParamCountOverLimit) {
  ExpectError(ModuleBytes({Section(kType, Cat(Leb(1), Bytes{0x60}, Leb(1001)))}),
              "test.wasm: type[0]: param count of 1001 exceeds internal limit of 1000 "
              "(at offset 0xc)",
              0xc);
}

// --- import section --------------------------------------------------------------

Bytes TypeSection() {
  // type 0: (i32) -> i32, type 1: () -> nil
  return Section(kType, Cat(Leb(2), FuncSig({kI32}, {kI32}), FuncSig({}, {})));
}

TEST(Reader, ReadsImportsOfEveryKind) {
  Bytes imports = Section(
      kImport,
      Cat(Leb(8),
          Cat(Str("env"), Str("memory"), Bytes{0x02, 0x00}, Leb(1)),
          Cat(Str("env"), Str("__indirect_function_table"), Bytes{0x01, kFuncRef, 0x01},
              Leb(2), Leb(10)),
          Cat(Str("env"), Str("__memory_base"), Bytes{0x03, kI32, 0x00}),
          Cat(Str("GOT.mem"), Str("data_sym"), Bytes{0x03, kI32, 0x01}),
          Cat(Str("GOT.func"), Str("func_sym"), Bytes{0x03, kI32, 0x01}),
          Cat(Str("env"), Str("puts"), Bytes{0x00}, Leb(0)),
          Cat(Str("wasi_snapshot_preview1"), Str("proc_exit"), Bytes{0x00}, Leb(1)),
          Cat(Str("env"), Str("__cpp_exception"), Bytes{0x04, 0x00}, Leb(1))));
  auto r = Read(ModuleBytes({TypeSection(), imports}));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const wasm::Module& m = *r;
  ASSERT_EQ(8u, m.imports.size());
  EXPECT_EQ(ExternalKind::kMemory, m.imports[0].kind);
  EXPECT_EQ(1u, m.imports[0].memory.limits.min);
  EXPECT_FALSE(m.imports[0].memory.limits.max.has_value());
  EXPECT_EQ(ExternalKind::kTable, m.imports[1].kind);
  EXPECT_EQ(2u, m.imports[1].table.limits.min);
  EXPECT_EQ(10u, *m.imports[1].table.limits.max);
  EXPECT_FALSE(m.imports[2].IsGotMem());
  EXPECT_TRUE(m.imports[3].IsGotMem());
  EXPECT_TRUE(m.imports[3].global.is_mutable);
  EXPECT_TRUE(m.imports[4].IsGotFunc());
  EXPECT_EQ(2u, m.num_imported_funcs);
  EXPECT_EQ(3u, m.num_imported_globals);
  EXPECT_EQ(1u, m.num_imported_memories);
  EXPECT_EQ(1u, m.num_imported_tables);
  EXPECT_EQ(1u, m.num_imported_tags);
  EXPECT_EQ("puts", m.ImportedFunction(0)->field);
  EXPECT_EQ("proc_exit", m.ImportedFunction(1)->field);
  EXPECT_EQ("(i32) -> i32", m.FunctionType(0)->ToString());
  EXPECT_EQ("data_sym", m.ImportedGlobal(1)->field);
  EXPECT_EQ(nullptr, m.ImportedGlobal(3));
  EXPECT_EQ(nullptr, m.FunctionType(2));
  // The first entry starts after the type section, the import section's id
  // and 2-byte size, and the import count.
  EXPECT_EQ(kHeaderSize + TypeSection().size() + 3 + 1, m.imports[0].offset);
}

TEST(Reader, RejectsImportTypeIndexOutOfRange) {
  Bytes types = TypeSection();  // 0x8 .. 0x8 + 10
  const uint64_t at = kHeaderSize + types.size() + 2 + 1 + 4 + 2 + 1;  // past "env", "f", kind
  auto r = Read(ModuleBytes({types, Section(kImport, Cat(Leb(1), Str("env"), Str("f"), Bytes{0x00},
                                                    Leb(7)))}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("test.wasm: import[0]: type index 7 out of range (2 types)", r.error().context + ": " +
                                                                   r.error().message);
  EXPECT_EQ(at, r.error().offset);
}

TEST(Reader, RejectsUnknownImportKind) {
  auto r = Read(ModuleBytes({Section(kImport, Cat(Leb(1), Str("env"), Str("f"), Bytes{0x07, 0x00}))}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("test.wasm: import[0]: unknown import kind 0x07 (at offset 0x11)",
            r.error().Format());
}

TEST(Reader, RejectsImportCountOverLimit) {
  ExpectError(ModuleBytes({Section(kImport, Leb(100001))}),
              "test.wasm: import: import count of 100001 exceeds internal limit of 100000 "
              "(at offset 0xa)",
              0xa);
}

TEST(Reader, RejectsImportFieldNamePastSection) {
  // Section payload: count, "env", then a field name claiming 9 bytes.
  ExpectError(ModuleBytes({Section(kImport, Cat(Leb(1), Str("env"), Leb(9), Bytes{'x', 'y', 'z', 0}))}),
              "test.wasm: import[0]: field name: string of 9 bytes runs past the end of the "
              "section (4 bytes left) (at offset 0xf)",
              0xf);
}

// --- function, table, memory, global sections -------------------------------

TEST(Reader, RejectsFunctionTypeIndexOutOfRange) {
  auto r = Read(ModuleBytes({TypeSection(), Section(kFunction, Cat(Leb(2), Leb(1), Leb(2)))}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("function[1]", r.error().context.substr(r.error().context.find(": ") + 2));
  EXPECT_EQ("type index 2 out of range (2 types)", r.error().message);
}

TEST(Reader, RejectsFunctionsWithoutCode) {
  Bytes m = ModuleBytes({TypeSection(), Section(kFunction, Cat(Leb(1), Leb(1)))});
  ExpectError(m,
              "test.wasm: module: function and code section counts disagree: 1 functions "
              "declared, no code section (at offset 0x17)",
              m.size());
}

TEST(Reader, ReadsTablesAndMemories) {
  auto r = Read(ModuleBytes({Section(kTable, Cat(Leb(2), Bytes{kFuncRef, 0x00}, Leb(3),
                                            Bytes{kExternRef, 0x01}, Leb(1), Leb(4))),
                        Section(kMemory, Cat(Leb(2), Bytes{0x01}, Leb(1), Leb(65536),
                                             Bytes{0x03}, Leb(2), Leb(16)))}));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(2u, r->tables.size());
  EXPECT_EQ(ValType::kExternRef, r->tables[1].elem_type);
  EXPECT_EQ(4u, *r->tables[1].limits.max);
  ASSERT_EQ(2u, r->memories.size());
  EXPECT_EQ(65536u, *r->memories[0].limits.max);
  EXPECT_TRUE(r->memories[1].limits.shared);
}

TEST(Reader, RejectsBadLimits) {
  // min 5 > max 3; the minimum is at 0xc.
  ExpectError(ModuleBytes({Section(kMemory, Cat(Leb(1), Bytes{0x01}, Leb(5), Leb(3)))}),
              "test.wasm: memory[0]: minimum 5 exceeds maximum 3 (at offset 0xc)", 0xc);
  ExpectError(ModuleBytes({Section(kMemory, Cat(Leb(1), Bytes{0x08}, Leb(5)))}),
              "test.wasm: memory[0]: invalid limits flags 0x08 (at offset 0xb)", 0xb);
  ExpectError(ModuleBytes({Section(kMemory, Cat(Leb(1), Bytes{0x00}, Leb(65537)))}),
              "test.wasm: memory[0]: minimum of 65537 pages exceeds the limit of 65536 "
              "(at offset 0xc)",
              0xc);
  ExpectError(ModuleBytes({Section(kMemory, Cat(Leb(1), Bytes{0x02}, Leb(1)))}),
              "test.wasm: memory[0]: shared memory must have a maximum (at offset 0xb)", 0xb);
  // Tables have no shared flag.
  ExpectError(ModuleBytes({Section(kTable, Cat(Leb(1), Bytes{kFuncRef, 0x03}, Leb(1), Leb(1)))}),
              "test.wasm: table[0]: invalid limits flags 0x03 (at offset 0xc)", 0xc);
}

TEST(Reader, ReadsGlobalsAndTheirInitialisers) {
  Bytes imports = Section(kImport, Cat(Leb(1), Str("env"), Str("__memory_base"),
                                       Bytes{0x03, kI32, 0x00}));
  Bytes globals = Section(
      kGlobal, Cat(Leb(4),
                   Cat(Bytes{kI32, 0x00, 0x41}, SLeb(-5), Bytes{kEnd}),           // i32.const -5
                   Cat(Bytes{kI64, 0x01, 0x42}, SLeb(1ll << 40), Bytes{kEnd}),    // i64.const
                   Cat(Bytes{kI32, 0x00, 0x23}, Leb(0), Bytes{kEnd}),             // global.get 0
                   // extended const: global.get 0, i32.const 8, i32.add
                   Cat(Bytes{kI32, 0x00, 0x23, 0x00, 0x41, 0x08, 0x6a, kEnd})));
  auto r = Read(ModuleBytes({imports, globals}));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(4u, r->globals.size());
  EXPECT_EQ(ConstExpr::Op::kI32Const, r->globals[0].init.op);
  EXPECT_EQ(-5, r->globals[0].init.value);
  EXPECT_EQ(ConstExpr::Op::kI64Const, r->globals[1].init.op);
  EXPECT_EQ(1ll << 40, r->globals[1].init.value);
  EXPECT_TRUE(r->globals[1].type.is_mutable);
  EXPECT_EQ(ConstExpr::Op::kGlobalGet, r->globals[2].init.op);
  EXPECT_EQ(0u, r->globals[2].init.index);
  EXPECT_EQ(ConstExpr::Op::kOther, r->globals[3].init.op);
  EXPECT_EQ(6u, r->globals[3].init.size);
  EXPECT_EQ(5u, r->NumGlobals());
  EXPECT_EQ(ValType::kI64, r->GetGlobalType(2)->type);
  EXPECT_EQ(&r->globals[0], r->DefinedGlobal(1));
  EXPECT_EQ(nullptr, r->DefinedGlobal(0));
}

TEST(Reader, RejectsBadGlobalInitialisers) {
  // Type mismatch: an i64 global initialised by i32.const; the expression at 0xd.
  ExpectError(ModuleBytes({Section(kGlobal, Cat(Leb(1), Bytes{kI64, 0x00, 0x41, 0x01, kEnd}))}),
              "test.wasm: global[0]: init: constant expression has type i32, expected i64 "
              "(at offset 0xd)",
              0xd);
  ExpectError(ModuleBytes({Section(kGlobal, Cat(Leb(1), Bytes{kI32, 0x00, 0x23, 0x03, kEnd}))}),
              "test.wasm: global[0]: init: global.get index 3 out of range (0 globals) "
              "(at offset 0xd)",
              0xd);
  // An opcode that is not constant (i32.load).
  ExpectError(ModuleBytes({Section(kGlobal, Cat(Leb(1), Bytes{kI32, 0x00, 0x28, 0x02, 0x00, kEnd}))}),
              "test.wasm: global[0]: init: opcode 0x28 is not allowed in a constant expression "
              "(at offset 0xd)",
              0xd);
  // No `end` before the section ends.
  ExpectError(ModuleBytes({Section(kGlobal, Cat(Leb(1), Bytes{kI32, 0x00, 0x41, 0x01}))}),
              "test.wasm: global[0]: init: byte runs past the end of the section (at offset 0xf)",
              0xf);
  ExpectError(ModuleBytes({Section(kGlobal, Cat(Leb(1), Bytes{kI32, 0x00, kEnd, 0x00}))}),
              "test.wasm: global[0]: init: empty constant expression (at offset 0xd)", 0xd);
  ExpectError(ModuleBytes({Section(kGlobal, Cat(Leb(1), Bytes{kI32, 0x02, kEnd, 0x00}))}),
              "test.wasm: global[0]: invalid mutability 0x02 (at offset 0xc)", 0xc);
}

// --- export and start sections ---------------------------------------------------

Bytes OneFunction() {
  return Cat(Section(kType, Cat(Leb(1), FuncSig({}, {}))), Section(kFunction, Cat(Leb(1), Leb(0))));
}
Bytes OneBody() { return Section(kCode, Cat(Leb(1), Leb(2), Bytes{0x00, kEnd})); }

TEST(Reader, ReadsExportsAndStart) {
  Bytes globals = Section(kGlobal, Cat(Leb(1), Bytes{kI32, 0x00, 0x41, 0x10, kEnd}));
  Bytes exports = Section(kExport, Cat(Leb(2), Str("run"), Bytes{0x00}, Leb(0), Str("data"),
                                       Bytes{0x03}, Leb(0)));
  auto r = Read(Cat(ModuleBytes({OneFunction(), globals, exports, Section(kStart, Leb(0))}),
                    OneBody()));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(2u, r->exports.size());
  EXPECT_EQ("run", r->exports[0].name);
  EXPECT_EQ(ExternalKind::kFunc, r->exports[0].kind);
  EXPECT_EQ(ExternalKind::kGlobal, r->exports[1].kind);
  EXPECT_EQ(&r->exports[1], r->FindExport("data"));
  EXPECT_EQ(16u, *r->DataSymbolOffset(r->exports[1]));
  EXPECT_FALSE(r->DataSymbolOffset(r->exports[0]).has_value());
  EXPECT_EQ(0u, *r->start);
  ASSERT_EQ(1u, r->code.size());
  EXPECT_EQ(2u, r->code[0].size);
}

TEST(Reader, RejectsDuplicateExportNames) {
  Bytes exports = Section(kExport, Cat(Leb(2), Str("f"), Bytes{0x00}, Leb(0), Str("f"),
                                       Bytes{0x00}, Leb(0)));
  auto r = Read(Cat(ModuleBytes({OneFunction(), exports}), OneBody()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("export[1]: duplicate export name \"f\"",
            r.error().context.substr(11) + ": " + r.error().message);
}

TEST(Reader, RejectsExportIndexOutOfRange) {
  Bytes exports = Section(kExport, Cat(Leb(1), Str("g"), Bytes{0x03}, Leb(4)));
  auto r = Read(ModuleBytes({exports}));
  ASSERT_FALSE(r.ok());
  // id 0x8, size 0x9, count 0xa, name 0xb..0xc, kind 0xd, index 0xe.
  EXPECT_EQ("test.wasm: export[0]: global index 4 out of range (0 in the module) (at offset 0xe)",
            r.error().Format());
}

TEST(Reader, RejectsBadStartFunctions) {
  Bytes types = Section(kType, Cat(Leb(1), FuncSig({kI32}, {})));
  Bytes funcs = Section(kFunction, Cat(Leb(1), Leb(0)));
  Bytes start = Section(kStart, Leb(0));
  auto r = Read(Cat(ModuleBytes({types, funcs, start}), OneBody()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("start function 0 has type (i32) -> nil; expected () -> nil", r.error().message);
  auto r2 = Read(ModuleBytes({Section(kStart, Leb(3))}));
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ("test.wasm: start: start function index 3 out of range (0 functions) (at offset 0xa)",
            r2.error().Format());
  auto r3 = Read(Cat(ModuleBytes({OneFunction(), Section(kStart, Cat(Leb(0), Leb(0)))}), OneBody()));
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ("1 unread bytes at the end of the section", r3.error().message);
}

TEST(Reader, RejectsTagsWithResults) {
  Bytes types = Section(kType, Cat(Leb(1), FuncSig({}, {kI32})));
  auto r = Read(ModuleBytes({types, Section(kTag, Cat(Leb(1), Bytes{0x00}, Leb(0)))}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("tag type 0 has results; tags take params only", r.error().message);
}

}  // namespace
}  // namespace lazylink::wasm
