// The text and JSON descriptions behind `lazylink inspect`, checked against
// golden files in testdata/. Regenerate them, after checking the diff, with
//   UPDATE_GOLDEN=1 build/loader/wasm/wasm_describe_test
#include "loader/wasm/describe.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "loader/wasm/json_writer.h"
#include "loader/wasm/test_builder.h"

namespace lazylink::wasm {
namespace {

using namespace testing;  // NOLINT: the byte builders

// A small side module with one of everything inspect reports: MEM_INFO,
// NEEDED, EXPORT_INFO (TLS, weak), IMPORT_INFO, RUNTIME_PATH, an unknown
// dylink subsection, env/WASI function imports, GOT.mem and GOT.func,
// memory, table and base globals, function and data exports, a start
// function, a name section and GOT entries kept in memory (lazylink.got).
Bytes SideModule() {
  return ModuleBytes({
      Custom("dylink.0",
             Cat(Subsection(kMemInfo, Cat(Leb(24), Leb(3), Leb(2), Leb(0))),
                 Subsection(kNeeded, Cat(Leb(1), Str("libdep.wasm"))),
                 Subsection(kExportInfo, Cat(Leb(2), Str("counter_tls"), Leb(symflag::kTls),
                                             Str("hook"), Leb(symflag::kBindingWeak))),
                 Subsection(kImportInfo, Cat(Leb(1), Str("env"), Str("optional_fn"),
                                             Leb(symflag::kBindingWeak | symflag::kUndefined))),
                 Subsection(kRuntimePath, Cat(Leb(1), Str("$ORIGIN"))),
                 Subsection(42, Bytes{1, 2}))),
      Section(kType, Cat(Leb(3), FuncSig({kI32}, {kI32}), FuncSig({}, {}),
                         FuncSig({kI32, kI64}, {}))),
      Section(kImport,
              Cat(Leb(9), Cat(Str("env"), Str("memory"), Bytes{0x02, 0x00}, Leb(1)),
                  Cat(Str("env"), Str("__indirect_function_table"), Bytes{0x01, kFuncRef, 0x00},
                      Leb(2)),
                  Cat(Str("env"), Str("__memory_base"), Bytes{0x03, kI32, 0x00}),
                  Cat(Str("env"), Str("__table_base"), Bytes{0x03, kI32, 0x00}),
                  Cat(Str("GOT.mem"), Str("shared_data"), Bytes{0x03, kI32, 0x01}),
                  Cat(Str("GOT.func"), Str("optional_fn"), Bytes{0x03, kI32, 0x01}),
                  Cat(Str("env"), Str("dep_fn"), Bytes{0x00}, Leb(0)),
                  Cat(Str("env"), Str("optional_fn"), Bytes{0x00}, Leb(2)),
                  Cat(Str("wasi_snapshot_preview1"), Str("proc_exit"), Bytes{0x00}, Leb(0)))),
      Section(kFunction, Cat(Leb(2), Leb(1), Leb(0))),
      Section(kGlobal, Cat(Leb(3), Bytes{kI32, 0x00, 0x41, 0x08, kEnd},
                           Bytes{kI32, 0x00, 0x41, 0x10, kEnd},
                           Bytes{kI32, 0x01, 0x23, 0x00, kEnd})),
      Section(kExport, Cat(Leb(5), Str("__wasm_call_ctors"), Bytes{0x00}, Leb(3),
                           Str("hook"), Bytes{0x00}, Leb(4), Str("counter"), Bytes{0x03}, Leb(4),
                           Str("counter_tls"), Bytes{0x03}, Leb(5), Str("state"), Bytes{0x03},
                           Leb(6))),
      Section(kStart, Leb(3)),
      Section(kElem, Cat(Leb(1), Leb(0), Bytes{0x23, 0x01, kEnd}, Leb(2), Leb(3), Leb(4))),
      Section(kCode, Cat(Leb(2), Leb(2), Bytes{0x00, kEnd}, Leb(4),
                         Bytes{0x00, 0x20, 0x00, kEnd})),
      Section(kData, Cat(Leb(1), Leb(0), Bytes{0x23, 0x00, kEnd}, Str("hello, world"))),
      Custom("name", Cat(Subsection(1, Cat(Leb(2), Leb(3), Str("__wasm_call_ctors"), Leb(4),
                                           Str("hook_impl"))),
                         Subsection(7, Cat(Leb(1), Leb(4), Str("counter"))))),
      // Two GOT entries kept in memory, at 16 and 20 of the 24 bytes.
      Custom("lazylink.got", Cat(Leb(1), Leb(16), Leb(2), Bytes{0}, Str("shared_data"), Bytes{1}, Str("callback"))),
  });
}

std::string GoldenPath(const char* name) {
  return std::string(LAZYLINK_SOURCE_DIR) + "/loader/wasm/testdata/" + name;
}

void CheckGolden(const char* name, const std::string& actual) {
  const std::string path = GoldenPath(name);
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (UPDATE_GOLDEN=1 writes it)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual) << "differs from " << path
                                    << "; if intended, rerun with UPDATE_GOLDEN=1";
}

TEST(Describe, SideModuleReadsCleanly) {
  auto r = Read(SideModule(), "libside.wasm");
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_TRUE(r->warnings.empty());
}

TEST(Describe, TextMatchesGolden) {
  auto r = Read(SideModule(), "libside.wasm");
  ASSERT_TRUE(r.ok()) << r.error().Format();
  CheckGolden("side_module.txt", DescribeText(*r, {"libside.wasm"}));
}

TEST(Describe, JsonMatchesGolden) {
  auto r = Read(SideModule(), "libside.wasm");
  ASSERT_TRUE(r.ok()) << r.error().Format();
  CheckGolden("side_module.json", DescribeJson(*r, {"libside.wasm"}));
}

TEST(Describe, ClassifiesImportsAndExports) {
  auto r = Read(SideModule(), "libside.wasm");
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ModuleSummary s = Summarize(*r);
  ASSERT_EQ(9u, s.imports.size());
  EXPECT_EQ(ImportRole::kMemory, s.imports[0].role);
  EXPECT_EQ(ImportRole::kGlobal, s.imports[2].role);
  EXPECT_EQ(ImportRole::kGotMem, s.imports[4].role);
  EXPECT_EQ(ImportRole::kGotFunc, s.imports[5].role);
  // The GOT.func entry takes the weak flag of the symbol it stands for.
  EXPECT_EQ(symflag::kBindingWeak | symflag::kUndefined, s.imports[5].flags);
  EXPECT_EQ(ImportRole::kEnvFunction, s.imports[6].role);
  EXPECT_EQ(0u, s.imports[6].index);
  EXPECT_EQ(ImportRole::kOtherFunction, s.imports[8].role);
  EXPECT_EQ(2u, s.imports[8].index);

  ASSERT_EQ(5u, s.exports.size());
  EXPECT_EQ(ExportRole::kFunction, s.exports[0].role);
  EXPECT_EQ(ExportRole::kFunction, s.exports[1].role);
  EXPECT_EQ(symflag::kBindingWeak, s.exports[1].flags);
  EXPECT_EQ("hook_impl", *s.exports[1].func_name);
  EXPECT_EQ(ExportRole::kData, s.exports[2].role);
  EXPECT_EQ(8u, *s.exports[2].data_offset);
  EXPECT_EQ(ExportRole::kData, s.exports[3].role);
  EXPECT_EQ(symflag::kTls, s.exports[3].flags);
  EXPECT_EQ(ExportRole::kGlobal, s.exports[4].role);  // mutable: not a data symbol
}

TEST(Describe, NamesSymbolFlags) {
  EXPECT_EQ((std::vector<std::string>{"weak", "undefined"}), SymbolFlagNames(0x11));
  EXPECT_EQ((std::vector<std::string>{"tls", "0x8000"}), SymbolFlagNames(0x8100));
  EXPECT_TRUE(SymbolFlagNames(0).empty());
}

TEST(Describe, PrintsConstantExpressions) {
  ConstExpr e;
  e.op = ConstExpr::Op::kI32Const;
  e.value = -4;
  EXPECT_EQ("i32.const -4", ConstExprToString(e));
  e.op = ConstExpr::Op::kGlobalGet;
  e.index = 2;
  EXPECT_EQ("global.get 2", ConstExprToString(e));
  e.op = ConstExpr::Op::kOther;
  e.size = 7;
  EXPECT_EQ("expression of 7 bytes", ConstExprToString(e));
}

TEST(JsonWriter, WritesNestedValuesAndEscapes) {
  JsonWriter w;
  w.BeginObject();
  w.Key("s");
  w.String("a\"b\\c\n\x01 caf\xc3\xa9 bad\xff");
  w.Key("n");
  w.BeginArray();
  w.Uint(1);
  w.Int(-2);
  w.Bool(true);
  w.Null();
  w.EndArray();
  w.Key("empty");
  w.BeginObject();
  w.EndObject();
  w.EndObject();
  EXPECT_EQ(
      "{\n"
      "  \"s\": \"a\\\"b\\\\c\\n\\u0001 caf\xc3\xa9 bad\xef\xbf\xbd\",\n"
      "  \"n\": [\n"
      "    1,\n"
      "    -2,\n"
      "    true,\n"
      "    null\n"
      "  ],\n"
      "  \"empty\": {}\n"
      "}\n",
      w.Take());
}

}  // namespace
}  // namespace lazylink::wasm
