// The linker on real modules built by emcc -sSIDE_MODULE=1 (tests/modules)
// and the real libstd.wasm, with the host functions libstd imports.
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loader/link/linker.h"
#include "loader/link/linker_test_support.h"
#include "loader/wasm/reader.h"

namespace lazylink::link {
namespace {

using ::testing::HasSubstr;
using test_support::Find;
using wasm::FuncType;
using wasm::ValType;

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::string ModulePath(const std::string& name) {
  if (name.rfind("libstd", 0) == 0) {
    return std::string(LAZYLINK_MODULES_DIR) + "/../../runtime/libstd/" + name;
  }
  return std::string(LAZYLINK_MODULES_DIR) + "/" + name;
}

// Every env/wasi import of libstd that libstd does not define itself is
// what the host must provide, with the signature the import declares; plus
// host functions libstd only takes the address of.
std::vector<HostFunction> HostFromLibstd(const wasm::Module& libstd) {
  std::set<std::string> exported;
  for (const auto& e : libstd.exports) exported.insert(e.name);
  std::vector<HostFunction> host;
  for (const auto& imp : libstd.imports) {
    if (imp.kind == wasm::ExternalKind::kFunc && !exported.count(imp.field)) {
      host.push_back({imp.module, imp.field, libstd.types[imp.type_index]});
    }
  }
  const FuncType i_v{{ValType::kI32}, {}};
  const FuncType ii_v{{ValType::kI32, ValType::kI32}, {}};
  for (const char* name : {"emscripten_console_log", "emscripten_console_error",
                           "emscripten_console_warn", "_emscripten_out", "_emscripten_err"}) {
    host.push_back({"env", name, i_v});
  }
  (void)ii_v;
  return host;
}

Expected<Plan> LoadFiles(Linker& linker, const std::string& root) {
  Status begin = linker.BeginLoad(root, kRtldNow | kRtldGlobal, "");
  if (!begin.ok()) return begin.error();
  while (!linker.Pending().empty()) {
    for (const ModuleRequest& r : linker.Pending()) {
      std::vector<uint8_t> bytes = ReadFile(ModulePath(r.name));
      if (bytes.empty()) {
        linker.ProvideError(r.name, "not found");
        continue;
      }
      Status s = linker.Provide(r.name, ModulePath(r.name), bytes.data(), bytes.size());
      if (!s.ok()) return s.error();
    }
  }
  return linker.MakePlan();
}

class RealModules : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<uint8_t> bytes = ReadFile(ModulePath("libstd.wasm"));
    if (bytes.empty()) GTEST_SKIP() << "build the Emscripten configuration first";
    auto libstd = wasm::ReadModule(bytes.data(), bytes.size(), {"libstd.wasm"});
    ASSERT_TRUE(libstd.ok()) << libstd.error().Format();
    host_ = HostFromLibstd(*libstd);
  }
  std::vector<HostFunction> host_;
};

TEST_F(RealModules, LinksANeededChainWithTheStandardLibrary) {
  Linker linker;
  linker.SetHostFunctions(host_);
  auto plan = LoadFiles(linker, "chain_main.wasm");
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  std::vector<std::string> order;
  for (const PlannedModule& pm : plan->modules) order.push_back(linker.module(pm.id)->name);
  // Dependencies first: base before mid before main; libstd before main.
  EXPECT_EQ((std::vector<std::string>{"libchain_base.wasm", "libchain_mid.wasm", "libstd.wasm",
                                      "chain_main.wasm"}),
            order);
  // libstd binds its own weak functions locally at build time, and calls
  // those it keeps replaceable (malloc, operator new, ...:
  // runtime/libstd/preemptible.txt) through their GOT.func slots: no PLT
  // trampoline for either. What is left are thunks for host functions whose
  // address libstd takes.
  EXPECT_LT(plan->plt_entries, 10u);
  const wasm::Module& std_mod = *linker.module(Find(*plan, linker, "libstd.wasm")->id)->module;
  bool imports_malloc = false;
  for (const wasm::Import& imp : std_mod.imports) imports_malloc |= imp.field == "malloc";
  EXPECT_FALSE(imports_malloc);
  // malloc's GOT.func entry sits in libstd's memory (--got-in-memory) and
  // holds malloc's canonical slot.
  const PlannedModule* std_pm = Find(*plan, linker, "libstd.wasm");
  size_t got_malloc = std_mod.memory_got.entries.size();
  for (size_t k = 0; k < std_mod.memory_got.entries.size(); ++k) {
    const wasm::Import& e = std_mod.memory_got.entries[k];
    if (e.field == "malloc" && e.IsGotFunc()) got_malloc = k;
  }
  ASSERT_LT(got_malloc, std_mod.memory_got.entries.size());
  ASSERT_EQ(std_mod.memory_got.entries.size(), std_pm->got_values.size());
  EXPECT_EQ(std_mod.memory_got.offset, std_pm->got_offset);
  const uint32_t malloc_slot = std_pm->got_values[got_malloc];
  EXPECT_NE(0u, malloc_slot);
  // libstd's element segment holds malloc (`bind-local --own-slots`): its
  // canonical slot is that place in libstd's table region, written by the
  // engine, so no fill. The same holds for (nearly) every function whose
  // address libstd takes: at most a handful of fills are left.
  const LoadedModule& std_loaded = *linker.module(std_pm->id);
  const ModuleSymbol* malloc_sym = std_loaded.symbols.Find("malloc");
  ASSERT_NE(nullptr, malloc_sym);
  EXPECT_EQ(std_loaded.ElemSlot(malloc_sym->index), std::optional<uint32_t>(malloc_slot));
  EXPECT_TRUE(std_loaded.InTableRegion(malloc_slot));
  for (const SlotFill& f : std_pm->slot_fills) EXPECT_NE(malloc_slot, f.slot);
  EXPECT_LT(std_pm->slot_fills.size(), 10u);
  const PlannedModule* mid = Find(*plan, linker, "libchain_mid.wasm");
  const PlannedModule* base = Find(*plan, linker, "libchain_base.wasm");
  const wasm::Module& mid_mod = *linker.module(mid->id)->module;
  for (size_t i = 0; i < mid_mod.imports.size(); ++i) {
    if (mid_mod.imports[i].IsGotMem() && mid_mod.imports[i].field == "base_counter") {
      const ModuleSymbol* sym = linker.module(base->id)->symbols.Find("base_counter");
      ASSERT_NE(nullptr, sym);
      EXPECT_EQ(base->memory_base + sym->offset, mid->imports[i].a);
    }
  }
  linker.Commit();
}

TEST_F(RealModules, LinksCxxModulesAndLegalizedI64) {
  Linker linker;
  linker.SetHostFunctions(host_);
  auto plan = LoadFiles(linker, "shapes_main.wasm");
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  const PlannedModule* main = Find(*plan, linker, "shapes_main.wasm");
  const wasm::Module& mod = *linker.module(main->id)->module;
  bool saw_wide = false;
  for (size_t i = 0; i < mod.imports.size(); ++i) {
    if (mod.imports[i].field == "_Z4Widexx") {
      saw_wide = true;
      EXPECT_EQ(Binding::kModuleFunc, main->imports[i].kind);
    }
  }
  EXPECT_TRUE(saw_wide);
}

TEST_F(RealModules, MissingHostFunctionsAreAllReported) {
  Linker linker;  // no host functions at all
  auto plan = LoadFiles(linker, "ptrs_main.wasm");
  ASSERT_FALSE(plan.ok());
  EXPECT_THAT(plan.error().Format(), HasSubstr("libstd.wasm: undefined symbol: fd_write"));
  EXPECT_THAT(plan.error().Format(), HasSubstr("libstd.wasm: undefined symbol: emscripten_memcpy_big"));
}

}  // namespace
}  // namespace lazylink::link
