// Modules built by the real toolchain (emcc -sSIDE_MODULE=1, tests/modules/)
// and the standard-library module (runtime/libstd/): they read cleanly, say
// what their sources say, and every truncation of them fails cleanly.
#include <dirent.h>

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loader/wasm/reader.h"
#include "loader/wasm/test_builder.h"

namespace lazylink::wasm {
namespace {

using testing::Bytes;

const std::string kModulesDir = LAZYLINK_MODULES_DIR;
const std::string kLibstdDir = kModulesDir + "/../../runtime/libstd";

std::vector<std::string> WasmFilesIn(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".wasm") == 0) out.push_back(name);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

struct Loaded {
  std::string name;
  Bytes bytes;
};

std::vector<Loaded> LoadAll(const std::string& dir) {
  std::vector<Loaded> out;
  for (const std::string& name : WasmFilesIn(dir)) {
    Loaded l{name, {}};
    if (testing::ReadFileBytes(dir + "/" + name, l.bytes)) out.push_back(std::move(l));
  }
  return out;
}

const std::vector<Loaded>& TestModules() {
  static const std::vector<Loaded> modules = LoadAll(kModulesDir);
  return modules;
}

Expected<Module> ReadNamed(const std::string& dir, const std::string& name) {
  Bytes bytes;
  if (!testing::ReadFileBytes(dir + "/" + name, bytes)) {
    return Error(name, "cannot read " + dir + "/" + name);
  }
  return ReadModule(bytes.data(), bytes.size(), {name});
}

#define REQUIRE_MODULES()                                                              \
  if (TestModules().empty())                                                           \
  GTEST_SKIP() << "no test modules in " << kModulesDir                                 \
               << " (the Emscripten configuration builds them; LAZYLINK_WASM=OFF?)"

TEST(BuiltModules, EveryBuiltModuleReadsCleanly) {
  REQUIRE_MODULES();
  for (const Loaded& l : TestModules()) {
    SCOPED_TRACE(l.name);
    auto r = ReadModule(l.bytes.data(), l.bytes.size(), {l.name});
    ASSERT_TRUE(r.ok()) << r.error().Format();
    EXPECT_TRUE(r->dylink.present);
    EXPECT_FALSE(r->dylink.legacy);
    EXPECT_TRUE(r->dylink.has_mem_info);
    EXPECT_EQ(r->functions.size(), r->code.size());
    EXPECT_TRUE(r->warnings.empty()) << r->warnings[0].Format();
    EXPECT_EQ(l.bytes.size(), r->size);
    // Side modules import their memory (if they use one); they never define one.
    EXPECT_LE(r->num_imported_memories, 1u);
    EXPECT_TRUE(r->memories.empty());
  }
}

TEST(BuiltModules, PtrsHasGotEntriesWeakImportsAndDataSymbols) {
  REQUIRE_MODULES();
  auto r = ReadNamed(kModulesDir, "libptrs.wasm");
  ASSERT_TRUE(r.ok()) << r.error().Format();
  std::vector<std::string> got_mem, got_func;
  for (const Import& imp : r->imports) {
    if (imp.IsGotMem()) got_mem.push_back(imp.field);
    if (imp.IsGotFunc()) got_func.push_back(imp.field);
  }
  EXPECT_EQ((std::vector<std::string>{"ptrs_ops", "ptrs_shared", "ptrs_tls"}), got_mem);
  EXPECT_EQ((std::vector<std::string>{"ptrs_missing_weak"}), got_func);
  // `__attribute__((weak)) extern int ptrs_missing_weak(void)`: IMPORT_INFO.
  EXPECT_EQ(symflag::kBindingWeak | symflag::kUndefined,
            r->ImportFlags("env", "ptrs_missing_weak"));
  // ptrs_ops (2 pointers) and ptrs_shared are data symbols.
  const Export* ops = r->FindExport("ptrs_ops");
  const Export* shared = r->FindExport("ptrs_shared");
  ASSERT_NE(nullptr, ops);
  ASSERT_NE(nullptr, shared);
  ASSERT_TRUE(r->DataSymbolOffset(*ops).has_value());
  ASSERT_TRUE(r->DataSymbolOffset(*shared).has_value());
  EXPECT_NE(*r->DataSymbolOffset(*ops), *r->DataSymbolOffset(*shared));
  EXPECT_LT(*r->DataSymbolOffset(*shared), r->dylink.mem_info.memory_size);
  // Two function pointers in ptrs_ops: an element segment at __table_base.
  EXPECT_EQ(2u, r->dylink.mem_info.table_size);
  ASSERT_EQ(1u, r->elements.size());
  EXPECT_EQ(ConstExpr::Op::kGlobalGet, r->elements[0].offset_expr.op);
  EXPECT_EQ("__table_base", r->ImportedGlobal(r->elements[0].offset_expr.index)->field);
  EXPECT_EQ(2u, r->elements[0].func_indices.size());
}

TEST(BuiltModules, ChainRecordsNeededAndNames) {
  REQUIRE_MODULES();
  auto main = ReadNamed(kModulesDir, "chain_main.wasm");
  ASSERT_TRUE(main.ok()) << main.error().Format();
  EXPECT_EQ((std::vector<std::string>{"libchain_mid.wasm"}), main->dylink.needed);
  auto mid = ReadNamed(kModulesDir, "libchain_mid.wasm");
  ASSERT_TRUE(mid.ok()) << mid.error().Format();
  EXPECT_EQ((std::vector<std::string>{"libchain_base.wasm"}), mid->dylink.needed);
  // Built with DEBUG_NAMES: a name section naming the functions.
  ASSERT_TRUE(mid->names.present);
  const Export* twice = mid->FindExport("mid_twice");
  ASSERT_NE(nullptr, twice);
  ASSERT_NE(nullptr, mid->FunctionName(twice->index));
  EXPECT_EQ("mid_twice", *mid->FunctionName(twice->index));
  EXPECT_EQ("(i32) -> i32", mid->FunctionType(twice->index)->ToString());
  // The data segment is placed at __memory_base.
  ASSERT_EQ(1u, mid->data.size());
  EXPECT_EQ(ConstExpr::Op::kGlobalGet, mid->data[0].offset_expr.op);
}

TEST(BuiltModules, StandardLibraryIsLibrarySized) {
  auto r = ReadNamed(kLibstdDir, "libstd.wasm");
  if (!r.ok() && r.error().message.rfind("cannot read", 0) == 0) GTEST_SKIP() << r.error().message;
  ASSERT_TRUE(r.ok()) << r.error().Format();
  // Bound locally at build time (runtime/libstd/preemptible.txt): about
  // 1,500 symbol references left (GOT entries, host functions, the
  // allocators), of the 4,300 imports wasm-ld gives it; the GOT entries
  // (about 1,390) are kept in its memory (--got-in-memory), so about 150
  // imports remain and no GOT import.
  EXPECT_LT(r->imports.size(), 300u);
  EXPECT_GT(r->imports.size(), 100u);
  ASSERT_TRUE(r->memory_got.present);
  EXPECT_GT(r->memory_got.entries.size(), 1000u);
  for (const Import& imp : r->imports) EXPECT_FALSE(imp.IsGotMem() || imp.IsGotFunc()) << imp.field;
  EXPECT_LE(r->memory_got.offset + 4 * r->memory_got.entries.size(), r->dylink.mem_info.memory_size);
  EXPECT_GT(r->exports.size(), 5000u);
  EXPECT_EQ(r->functions.size(), r->code.size());
  EXPECT_TRUE(r->dylink.has_mem_info);
  EXPECT_NE(nullptr, r->FindExport("malloc"));
}

// --- Truncation sweep ----------------------------------------------------------

// Ends of every section: a prefix ending there may be a valid module.
std::vector<size_t> SectionEnds(const Module& m) {
  std::vector<size_t> ends;
  for (const SectionInfo& s : m.sections) ends.push_back(s.offset + s.size);
  return ends;
}

// A prefix of a valid module either fails with an offset inside the prefix,
// or is itself valid, which can only happen where a section ends.
void CheckPrefix(const Loaded& l, size_t len, const std::vector<size_t>& section_ends) {
  auto r = ReadModule(l.bytes.data(), len, {l.name});
  if (r.ok()) {
    EXPECT_TRUE(len == 8 || std::count(section_ends.begin(), section_ends.end(), len) > 0)
        << l.name << ": prefix of " << len << " bytes read as a valid module";
    return;
  }
  const Error& e = r.error();
  EXPECT_NE(kNoOffset, e.offset) << e.Format();
  EXPECT_LE(e.offset, len) << e.Format();
  EXPECT_EQ(0u, e.context.rfind(l.name, 0)) << e.Format();
  EXPECT_FALSE(e.message.empty());
}

TEST(Truncation, EveryPrefixOfEveryTestModuleFailsCleanly) {
  REQUIRE_MODULES();
  size_t prefixes = 0;
  for (const Loaded& l : TestModules()) {
    auto full = ReadModule(l.bytes.data(), l.bytes.size(), {l.name});
    ASSERT_TRUE(full.ok());
    const std::vector<size_t> ends = SectionEnds(*full);
    for (size_t len = 0; len < l.bytes.size(); ++len) {
      CheckPrefix(l, len, ends);
      ++prefixes;
    }
  }
  EXPECT_GT(prefixes, 1000u);
}

TEST(Truncation, PrefixEndingBeforeTheCodeSectionIsInvalid) {
  REQUIRE_MODULES();
  for (const Loaded& l : TestModules()) {
    auto full = ReadModule(l.bytes.data(), l.bytes.size(), {l.name});
    ASSERT_TRUE(full.ok());
    for (const SectionInfo& s : full->sections) {
      if (s.id != 10) continue;
      const size_t code_id = s.header_offset;
      auto r = ReadModule(l.bytes.data(), code_id, {l.name});
      ASSERT_FALSE(r.ok()) << l.name;
      EXPECT_NE(std::string::npos, r.error().message.find("function and code section counts"))
          << r.error().Format();
      EXPECT_EQ(code_id, r.error().offset);
    }
  }
}

// Sweeping every prefix of the 1.8 MB standard library is too slow under
// ASan and under Node (each prefix is a full parse). Instead: every section
// start (its id byte) and end +- 2 bytes, and one prefix every 61 KiB (an odd stride, so
// that the cuts land at varied places inside entries).
TEST(Truncation, LargeModulesAtSectionBoundariesAndAStride) {
  std::vector<Loaded> large;
  for (const char* name : {"libstd.wasm", "libstd-eh.wasm"}) {
    Loaded l{name, {}};
    if (testing::ReadFileBytes(kLibstdDir + "/" + name, l.bytes)) large.push_back(std::move(l));
  }
  if (large.empty()) GTEST_SKIP() << "no libstd.wasm in " << kLibstdDir;
  for (const Loaded& l : large) {
    auto full = ReadModule(l.bytes.data(), l.bytes.size(), {l.name});
    ASSERT_TRUE(full.ok()) << full.error().Format();
    const std::vector<size_t> ends = SectionEnds(*full);
    std::vector<size_t> cuts;
    for (const SectionInfo& s : full->sections) {
      for (size_t edge : {size_t(s.header_offset), size_t(s.offset + s.size)}) {
        for (int d = -2; d <= 2; ++d) cuts.push_back(edge + d);
      }
    }
    for (size_t len = 0; len < l.bytes.size(); len += 61 * 1024 + 1) cuts.push_back(len);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (size_t len : cuts) {
      if (len < l.bytes.size()) CheckPrefix(l, len, ends);
    }
  }
}

}  // namespace
}  // namespace lazylink::wasm
