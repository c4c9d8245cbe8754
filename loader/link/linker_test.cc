#include "loader/link/linker.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loader/link/linker_test_support.h"
#include "loader/wasm/reader.h"

namespace lazylink::link {
namespace {

using ::testing::HasSubstr;
using wasm::FuncType;
using wasm::ValType;

const FuncType kII_I{{ValType::kI32, ValType::kI32}, {ValType::kI32}};
const FuncType kI_I{{ValType::kI32}, {ValType::kI32}};
const FuncType kV_V{{}, {}};

// Builds a wasm::Module by hand, as the reader would fill it.
class ModBuilder {
 public:
  // A side module: it has a dylink.0 section (the linker refuses others).
  ModBuilder() { m_.dylink.present = true; }
  ModBuilder& MemInfo(uint32_t size, uint32_t align_log2 = 0, uint32_t table_size = 0) {
    m_.dylink.present = true;
    m_.dylink.has_mem_info = true;
    m_.dylink.mem_info = {size, align_log2, table_size, 0};
    return *this;
  }
  ModBuilder& Needed(const std::string& name) {
    m_.dylink.needed.push_back(name);
    return *this;
  }
  ModBuilder& ImportFunc(const std::string& name, const FuncType& type, bool weak = false) {
    wasm::Import imp;
    imp.module = "env";
    imp.field = name;
    imp.kind = wasm::ExternalKind::kFunc;
    imp.type_index = Type(type);
    m_.func_import_positions.push_back(static_cast<uint32_t>(m_.imports.size()));
    m_.imports.push_back(imp);
    m_.num_imported_funcs++;
    if (weak) m_.dylink.import_info.push_back({"env", name, wasm::symflag::kBindingWeak});
    return *this;
  }
  ModBuilder& ImportGlobal(const std::string& module, const std::string& name, bool weak = false) {
    wasm::Import imp;
    imp.module = module;
    imp.field = name;
    imp.kind = wasm::ExternalKind::kGlobal;
    imp.global = {ValType::kI32, module != "env" || name == "__stack_pointer"};
    m_.global_import_positions.push_back(static_cast<uint32_t>(m_.imports.size()));
    m_.imports.push_back(imp);
    m_.num_imported_globals++;
    // As wasm-ld writes it: the symbol under env, whatever the GOT module.
    if (weak) m_.dylink.import_info.push_back({"env", name, wasm::symflag::kBindingWeak});
    return *this;
  }
  ModBuilder& ExportFunc(const std::string& name, const FuncType& type, bool weak = false) {
    m_.functions.push_back(Type(type));
    wasm::Export e;
    e.name = name;
    e.kind = wasm::ExternalKind::kFunc;
    e.index = m_.num_imported_funcs + static_cast<uint32_t>(m_.functions.size()) - 1;
    m_.exports.push_back(e);
    if (weak) m_.dylink.export_info.push_back({name, wasm::symflag::kBindingWeak});
    return *this;
  }
  ModBuilder& ExportData(const std::string& name, int32_t offset) {
    wasm::Global g;
    g.type = {ValType::kI32, false};
    g.init.op = wasm::ConstExpr::Op::kI32Const;
    g.init.value = offset;
    m_.globals.push_back(g);
    wasm::Export e;
    e.name = name;
    e.kind = wasm::ExternalKind::kGlobal;
    e.index = m_.num_imported_globals + static_cast<uint32_t>(m_.globals.size()) - 1;
    m_.exports.push_back(e);
    return *this;
  }
  // A GOT entry kept in the module's memory (a lazylink.got section).
  ModBuilder& MemoryGot(const std::string& module, const std::string& name, uint32_t offset) {
    wasm::Import imp;
    imp.module = module;
    imp.field = name;
    imp.kind = wasm::ExternalKind::kGlobal;
    imp.global = {ValType::kI32, false};
    m_.memory_got.present = true;
    m_.memory_got.offset = offset;
    m_.memory_got.entries.push_back(imp);
    return *this;
  }
  // An active element segment at global.get `global` (the index of an
  // imported global: env.__table_base in a side module) holding `funcs`.
  ModBuilder& Elem(uint32_t global, std::vector<uint32_t> funcs) {
    wasm::ElemSegment seg;
    seg.offset_expr.op = wasm::ConstExpr::Op::kGlobalGet;
    seg.offset_expr.index = global;
    seg.func_indices = std::move(funcs);
    m_.elements.push_back(std::move(seg));
    return *this;
  }
  wasm::Module Build() { return m_; }

 private:
  uint32_t Type(const FuncType& t) {
    for (uint32_t i = 0; i < m_.types.size(); ++i) {
      if (m_.types[i] == t) return i;
    }
    m_.types.push_back(t);
    return static_cast<uint32_t>(m_.types.size() - 1);
  }
  wasm::Module m_;
};

// Stands in for the app's malloc once the domain runs.
class FakeHeap : public HeapAllocator {
 public:
  explicit FakeHeap(uint32_t start) { space_.AddRange(start, 1u << 24); }
  std::optional<uint32_t> Allocate(uint32_t size, uint32_t align) override {
    auto a = space_.Allocate(size, align);
    if (!a) return std::nullopt;
    return static_cast<uint32_t>(*a);
  }
  void Free(uint32_t address) override { space_.Free(address); }

 private:
  RegionAllocator space_;
};

LinkerOptions NoLibstd() {
  LinkerOptions o;
  o.implicit_needed.clear();
  return o;
}

// Loads `root` with the given modules supplying every request.
Expected<Plan> LoadAll(Linker& linker, const std::string& root,
                       std::vector<std::pair<std::string, wasm::Module>> mods,
                       uint32_t flags = kRtldNow | kRtldGlobal) {
  Status begin = linker.BeginLoad(root, flags, "");
  if (!begin.ok()) return begin.error();
  for (int round = 0; round < 10 && !linker.Pending().empty(); ++round) {
    for (const ModuleRequest& r : linker.Pending()) {
      auto it = std::find_if(mods.begin(), mods.end(), [&](auto& p) { return p.first == r.name; });
      if (it == mods.end()) {
        linker.ProvideError(r.name, "not found");
      } else {
        Status s = linker.ProvideParsed(r.name, r.name, it->second);
        if (!s.ok()) return s.error();
      }
    }
  }
  return linker.MakePlan();
}

using test_support::Find;

TEST(Linker, PlacesModulesAlignedAndResolvesDataAcrossModules) {
  Linker linker(NoLibstd());
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().MemInfo(8).Needed("liba.wasm")
                                         .ImportGlobal("env", "__memory_base")
                                         .ImportGlobal("GOT.mem", "counter")
                                         .ImportFunc("bump", kI_I)
                                         .ExportFunc("main", kII_I).Build()},
                       {"liba.wasm", ModBuilder().MemInfo(1000, 10)
                                         .ExportData("counter", 16)
                                         .ExportFunc("bump", kI_I).Build()}});
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  ASSERT_EQ(2u, plan->modules.size());
  // Dependencies are instantiated (and constructed) first.
  EXPECT_EQ("liba.wasm", linker.module(plan->modules[0].id)->name);
  const PlannedModule* liba = Find(*plan, linker, "liba.wasm");
  const PlannedModule* main = Find(*plan, linker, "main.wasm");
  EXPECT_EQ(0u, liba->memory_base % 1024);
  EXPECT_GE(main->memory_base, linker.stack_high());
  // GOT.mem.counter = liba's base + 16; bump binds to liba's export directly.
  EXPECT_EQ(Binding::kValue, main->imports[1].kind);
  EXPECT_EQ(liba->memory_base + 16, main->imports[1].a);
  EXPECT_EQ(Binding::kModuleFunc, main->imports[2].kind);
  EXPECT_EQ(liba->id, main->imports[2].a);
  EXPECT_TRUE(plan->first);
  EXPECT_GE(plan->heap_base, std::max(liba->memory_base + 1000, main->memory_base + 8));
  EXPECT_EQ(ModuleId{main->id}, linker.Commit());
}

TEST(Linker, GotEntriesInMemoryGetTheValuesImportsWould) {
  Linker linker(NoLibstd());
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().MemInfo(24, 2).Needed("liba.wasm")
                                         .ImportGlobal("env", "__memory_base")
                                         .ImportGlobal("GOT.mem", "counter")
                                         .MemoryGot("GOT.mem", "counter", 16)
                                         .MemoryGot("GOT.func", "bump", 16)
                                         .ExportFunc("main", kII_I).Build()},
                       {"liba.wasm", ModBuilder().MemInfo(1000, 10)
                                         .ExportData("counter", 16)
                                         .ExportFunc("bump", kI_I).Build()}});
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  const PlannedModule* liba = Find(*plan, linker, "liba.wasm");
  const PlannedModule* main = Find(*plan, linker, "main.wasm");
  // Only real imports have bindings; the memory entries have values.
  ASSERT_EQ(2u, main->imports.size());
  EXPECT_EQ(16u, main->got_offset);
  ASSERT_EQ(2u, main->got_values.size());
  EXPECT_EQ(liba->memory_base + 16, main->got_values[0]);
  EXPECT_EQ(main->imports[1].a, main->got_values[0]);  // the same as the import
  // GOT.func.bump: bump's canonical slot, filled once liba is instantiated.
  ASSERT_EQ(1u, liba->slot_fills.size());
  EXPECT_EQ(liba->slot_fills[0].slot, main->got_values[1]);
  EXPECT_TRUE(liba->got_values.empty());
}

TEST(Linker, GotEntriesInMemoryReportUndefinedSymbols) {
  Linker linker(NoLibstd());
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().MemInfo(8, 2)
                                         .ImportGlobal("env", "__memory_base")
                                         .MemoryGot("GOT.mem", "nodata", 0)
                                         .MemoryGot("GOT.func", "nofunc", 0).Build()}});
  ASSERT_FALSE(plan.ok());
  const std::string text = plan.error().Format();
  EXPECT_THAT(text, HasSubstr("2 undefined symbols"));
  EXPECT_THAT(text, HasSubstr("main.wasm: undefined symbol: nodata (data)"));
  EXPECT_THAT(text, HasSubstr("main.wasm: undefined symbol: nofunc (address of function)"));
}

TEST(Linker, ReportsEveryUndefinedSymbolWithItsModule) {
  Linker linker(NoLibstd());
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().MemInfo(4).Needed("liba.wasm")
                                         .ImportFunc("nope", kV_V)
                                         .ImportGlobal("GOT.mem", "nodata").Build()},
                       {"liba.wasm", ModBuilder().MemInfo(4).ImportFunc("gone", kI_I).Build()}});
  ASSERT_FALSE(plan.ok());
  const std::string text = plan.error().Format();
  EXPECT_THAT(text, HasSubstr("3 undefined symbols:"));
  EXPECT_THAT(text, HasSubstr("main.wasm: undefined symbol: nope (function () -> nil)"));
  EXPECT_THAT(text, HasSubstr("main.wasm: undefined symbol: nodata (data)"));
  EXPECT_THAT(text, HasSubstr("liba.wasm: undefined symbol: gone (function (i32) -> i32)"));
  // Nothing stays registered after a failed load.
  EXPECT_FALSE(linker.FindLoaded("main.wasm"));
  EXPECT_FALSE(linker.FindLoaded("liba.wasm"));
  EXPECT_FALSE(linker.InTransaction());
}

TEST(Linker, AnEmJsImportBindsToTheHostFactoryWithTheSourceAddress) {
  // EM_JS(int, add_js, ...): the module imports env.add_js and exports the
  // data symbol __em_js__add_js (its source string). Its own definition
  // wins over another module's add_js.
  Linker linker(NoLibstd());
  linker.SetHostFunctions({{"env", "puts", kI_I}, {"env", "__em_js__*", std::nullopt}});
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().MemInfo(64).Needed("libb.wasm")
                                         .ImportFunc("add_js", kII_I)
                                         .ImportFunc("other", kV_V)
                                         .ExportData("__em_js__add_js", 16).Build()},
                       {"libb.wasm", ModBuilder().MemInfo(8).ExportFunc("add_js", kII_I)
                                         .ExportFunc("other", kV_V).Build()}});
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  const PlannedModule* main = Find(*plan, linker, "main.wasm");
  ASSERT_NE(nullptr, main);
  EXPECT_EQ(Binding::kHostFunc, main->imports[0].kind);
  EXPECT_EQ(1u, main->imports[0].a);
  EXPECT_EQ(main->memory_base + 16, main->imports[0].b);
  EXPECT_EQ(Binding::kModuleFunc, main->imports[1].kind);
}

TEST(Linker, EmJsWithoutHostSupportOrItsAddressTakenIsAnError) {
  {
    Linker linker(NoLibstd());
    linker.SetHostFunctions({{"env", "puts", kI_I}});
    auto plan = LoadAll(linker, "main.wasm",
                        {{"main.wasm", ModBuilder().MemInfo(64).ImportFunc("add_js", kII_I)
                                           .ExportData("__em_js__add_js", 16).Build()}});
    ASSERT_FALSE(plan.ok());
    EXPECT_THAT(plan.error().Format(),
                HasSubstr("main.wasm: defines add_js with EM_JS, but the host has no EM_JS support"));
  }
  Linker linker(NoLibstd());
  linker.SetHostFunctions({{"env", "__em_js__*", std::nullopt}});
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().MemInfo(64).ImportGlobal("GOT.func", "add_js")
                                         .ExportData("__em_js__add_js", 16).Build()}});
  ASSERT_FALSE(plan.ok());
  EXPECT_THAT(plan.error().Format(), HasSubstr("takes the address of add_js, an EM_JS function"));
}

TEST(Linker, SignatureMismatchNamesBothModulesAndSignatures) {
  Linker linker(NoLibstd());
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().Needed("libsqlite.wasm")
                                         .ImportFunc("sqlite3_open", kII_I).Build()},
                       {"libsqlite.wasm", ModBuilder().ExportFunc("sqlite3_open", kI_I).Build()}});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(
      "main.wasm imports sqlite3_open: (i32, i32) -> i32, but libsqlite.wasm exports it as "
      "(i32) -> i32",
      plan.error().Format());
}

TEST(Linker, MissingLibraryNamesWhoNeedsIt) {
  Linker linker(NoLibstd());
  auto plan = LoadAll(linker, "main.wasm", {{"main.wasm", ModBuilder().Needed("libgone.wasm").Build()}});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ("libgone.wasm: not found (needed by main.wasm)", plan.error().Format());
}

// Deciding the implicit standard library re-reads the root's NEEDED list;
// a library that already failed must not be asked for (and reported) again.
TEST(Linker, AFailedLibraryIsReportedOnceWithTheStandardLibraryImplicit) {
  Linker linker;
  ASSERT_TRUE(linker.BeginLoad("main.wasm", kRtldNow | kRtldGlobal, "").ok());
  ASSERT_TRUE(
      linker.ProvideParsed("main.wasm", "main.wasm", ModBuilder().Needed("libgone.wasm").Build()).ok());
  linker.ProvideError("libgone.wasm", "not found");
  ASSERT_EQ(1u, linker.Pending().size());
  EXPECT_EQ("libstd.wasm", linker.Pending()[0].name);
  ASSERT_TRUE(linker.ProvideParsed("libstd.wasm", "libstd.wasm", ModBuilder().Build()).ok());
  EXPECT_TRUE(linker.Pending().empty());
  auto plan = linker.MakePlan();
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ("libgone.wasm: not found (needed by main.wasm)", plan.error().Format());
}

TEST(Linker, WeakDefinitionsYieldAndWeakUndefinedAreNull) {
  Linker linker(NoLibstd());
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().Needed("liba.wasm")
                                         .ImportFunc("hook", kV_V)
                                         .ImportGlobal("GOT.func", "maybe", /*weak=*/true)
                                         .ImportGlobal("GOT.mem", "maybe_data", /*weak=*/true)
                                         .ImportFunc("maybe_call", kV_V, /*weak=*/true).Build()},
                       {"liba.wasm", ModBuilder().Needed("libb.wasm")
                                         .ExportFunc("hook", kV_V, /*weak=*/true).Build()},
                       {"libb.wasm", ModBuilder().ExportFunc("hook", kV_V).Build()}});
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  const PlannedModule* main = Find(*plan, linker, "main.wasm");
  const PlannedModule* libb = Find(*plan, linker, "libb.wasm");
  // liba comes first in load order but its definition is weak: libb's wins.
  EXPECT_EQ(Binding::kModuleFunc, main->imports[0].kind);
  EXPECT_EQ(libb->id, main->imports[0].a);
  EXPECT_EQ(0u, main->imports[1].a);
  EXPECT_EQ(0u, main->imports[2].a);
  EXPECT_EQ(Binding::kMissingWeak, main->imports[3].kind);
}

TEST(Linker, FirstDefinitionWinsInLoadOrder) {
  Linker linker(NoLibstd());
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().Needed("liba.wasm").Needed("libb.wasm")
                                         .ImportFunc("dup", kV_V).Build()},
                       {"liba.wasm", ModBuilder().ExportFunc("dup", kV_V).Build()},
                       {"libb.wasm", ModBuilder().ExportFunc("dup", kV_V).Build()}});
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  EXPECT_EQ(Find(*plan, linker, "liba.wasm")->id, Find(*plan, linker, "main.wasm")->imports[0].a);
}

TEST(Linker, ProvidersNotNamedAsNeededAreInstantiatedFirst) {
  Linker linker(NoLibstd());
  // liba calls f from libc without naming it NEEDED (as side modules built
  // by emcc do with libc); main lists liba first.
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().Needed("liba.wasm").Needed("libc.wasm").Build()},
                       {"liba.wasm", ModBuilder().ImportFunc("f", kV_V).Build()},
                       {"libc.wasm", ModBuilder().ExportFunc("f", kV_V).Build()}});
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  ASSERT_EQ(3u, plan->modules.size());
  EXPECT_EQ(Find(*plan, linker, "libc.wasm")->id, plan->modules[0].id);
  EXPECT_EQ(Find(*plan, linker, "liba.wasm")->id, plan->modules[1].id);
  EXPECT_EQ(Find(*plan, linker, "main.wasm")->id, plan->modules[2].id);
  const PlannedModule* liba = Find(*plan, linker, "liba.wasm");
  EXPECT_EQ(Binding::kModuleFunc, liba->imports[0].kind);  // direct, no trampoline
  EXPECT_EQ(0u, plan->plt_entries);
}

TEST(Linker, CyclesAndSelfImportsGoThroughCanonicalSlots) {
  Linker linker(NoLibstd());
  // liba and libb call each other; libb also imports its own export.
  auto plan = LoadAll(linker, "liba.wasm",
                      {{"liba.wasm", ModBuilder().Needed("libb.wasm").ImportFunc("g", kV_V)
                                         .ImportGlobal("GOT.func", "f")
                                         .ExportFunc("f", kV_V).Build()},
                       {"libb.wasm", ModBuilder().Needed("liba.wasm").ImportFunc("f", kV_V)
                                         .ImportFunc("g", kV_V)
                                         .ImportGlobal("GOT.func", "f")
                                         .ExportFunc("g", kV_V).Build()}});
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  ASSERT_EQ(2u, plan->modules.size());
  const PlannedModule* liba = Find(*plan, linker, "liba.wasm");
  const PlannedModule* libb = Find(*plan, linker, "libb.wasm");
  // libb is instantiated first (liba needs it), so its imports of f (from
  // liba, later) and g (itself) go through the PLT; liba's import of g is direct.
  EXPECT_EQ(libb->id, plan->modules[0].id);
  EXPECT_EQ(Binding::kPltFunc, libb->imports[0].kind);
  EXPECT_EQ(Binding::kPltFunc, libb->imports[1].kind);
  EXPECT_EQ(Binding::kModuleFunc, liba->imports[0].kind);
  EXPECT_EQ(2u, plan->plt_entries);
  EXPECT_FALSE(plan->plt.empty());
  // &f is the same slot from both modules, and liba fills it.
  EXPECT_EQ(liba->imports[1].a, libb->imports[2].a);
  ASSERT_EQ(1u, liba->slot_fills.size());
  EXPECT_EQ(liba->imports[1].a, liba->slot_fills[0].slot);
  EXPECT_NE(0u, liba->imports[1].a);
  EXPECT_GE(plan->table_size, liba->imports[1].a + 1);
  linker.Commit();
  // dlsym(f) later returns the same canonical slot.
  auto f = linker.Lookup(kNoModule, "f");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(liba->imports[1].a, f->value);
  EXPECT_FALSE(f->fill.has_value());
}

TEST(Linker, AFunctionInItsModulesElementSegmentKeepsThatSlot) {
  Linker linker(NoLibstd());
  // liba's element segment holds f (function 0) at position 2 of its
  // 4-slot region; g is not in it.
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().MemInfo(8).Needed("liba.wasm")
                                         .ImportGlobal("GOT.func", "f")
                                         .ImportGlobal("GOT.func", "g")
                                         .ExportFunc("main", kV_V).Build()},
                       {"liba.wasm", ModBuilder().MemInfo(16, 0, 4)
                                         .ImportGlobal("env", "__table_base")
                                         .ImportGlobal("GOT.func", "f")
                                         .ExportFunc("f", kV_V).ExportFunc("g", kV_V)
                                         .ExportFunc("h", kV_V)
                                         .Elem(0, {2, wasm::kNullElement, 0, 2}).Build()}});
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  const PlannedModule* main = Find(*plan, linker, "main.wasm");
  const PlannedModule* liba = Find(*plan, linker, "liba.wasm");
  ASSERT_EQ(4u, liba->table_size);
  // &f is the segment's slot, from both modules, with no fill: the engine
  // writes it when liba is instantiated.
  EXPECT_EQ(liba->table_base + 2, main->imports[0].a);
  EXPECT_EQ(liba->table_base + 2, liba->imports[1].a);
  // g gets a slot of its own outside the region, filled after instantiation.
  ASSERT_EQ(1u, liba->slot_fills.size());
  EXPECT_EQ(main->imports[1].a, liba->slot_fills[0].slot);
  EXPECT_FALSE(linker.module(liba->id)->InTableRegion(main->imports[1].a));
  EXPECT_EQ(1u, liba->slot_fills[0].export_index);  // "g"
  const uint32_t f_slot = main->imports[0].a;
  linker.Commit();
  // dlsym agrees, h (function 2, first at position 0) takes its segment
  // slot too, and neither needs a fill.
  auto f = linker.Lookup(kNoModule, "f");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f_slot, f->value);
  EXPECT_FALSE(f->fill.has_value());
  auto h = linker.Lookup(kNoModule, "h");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(liba->table_base, h->value);
  EXPECT_FALSE(h->fill.has_value());
  // The module's region is freed once, as a region: g's own slot is freed
  // with it, the segment's slots are not freed one by one.
  std::vector<uint32_t> freed;
  const ModuleId main_id = main->id;
  const ModuleId liba_id = liba->id;
  const uint32_t table_base = liba->table_base;
  const uint32_t g_slot = main->imports[1].a;
  ASSERT_TRUE(linker.Unload(main_id, &freed).ok());
  if (linker.module(liba_id) && linker.module(liba_id)->live) ASSERT_TRUE(linker.Unload(liba_id, &freed).ok());
  EXPECT_FALSE(linker.module(liba_id) && linker.module(liba_id)->live);
  std::sort(freed.begin(), freed.end());
  EXPECT_EQ(std::adjacent_find(freed.begin(), freed.end()), freed.end()) << "a slot freed twice";
  EXPECT_TRUE(std::count(freed.begin(), freed.end(), g_slot));
  for (uint32_t i = 0; i < 4; ++i) EXPECT_TRUE(std::count(freed.begin(), freed.end(), table_base + i));
}

TEST(Linker, LocalScopeIsInvisibleToTheGlobalScope) {
  Linker linker(NoLibstd());
  ASSERT_TRUE(LoadAll(linker, "main.wasm", {{"main.wasm", ModBuilder().MemInfo(16).Build()}}).ok());
  linker.Commit();
  FakeHeap heap(linker.heap_base());
  linker.SetHeapAllocator(&heap);
  auto plan = LoadAll(linker, "plugin.wasm",
                      {{"plugin.wasm", ModBuilder().MemInfo(32).Needed("libdep.wasm")
                                           .ImportFunc("helper", kV_V)
                                           .ExportData("plugin_data", 4).Build()},
                       {"libdep.wasm", ModBuilder().ExportFunc("helper", kV_V).Build()}},
                      kRtldNow | kRtldLocal);
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  const uint32_t base = Find(*plan, linker, "plugin.wasm")->memory_base;
  const ModuleId handle = linker.Commit();
  // The local library's NEEDED resolved inside its group.
  EXPECT_FALSE(linker.Lookup(kNoModule, "plugin_data").ok());
  EXPECT_FALSE(linker.Lookup(kNoModule, "helper").ok());
  auto data = linker.Lookup(handle, "plugin_data");
  ASSERT_TRUE(data.ok()) << data.error().Format();
  EXPECT_EQ(base + 4, data->value);
  auto helper = linker.Lookup(handle, "helper");
  ASSERT_TRUE(helper.ok());
  ASSERT_TRUE(helper->fill.has_value());  // first time its address is taken
  EXPECT_EQ(helper->value, helper->fill->slot);
  // A second dlopen of the same library returns the same handle.
  ASSERT_TRUE(linker.BeginLoad("plugin.wasm", kRtldNow, "").ok());
  EXPECT_TRUE(linker.Pending().empty());
  ASSERT_TRUE(linker.MakePlan().ok());
  EXPECT_EQ(handle, linker.Commit());
}

TEST(Linker, AbortGivesBackMemoryAndSlots) {
  Linker linker(NoLibstd());
  ASSERT_TRUE(LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().MemInfo(16).ExportFunc("f", kV_V).Build()}}).ok());
  linker.Commit();
  FakeHeap heap(linker.heap_base());
  linker.SetHeapAllocator(&heap);
  const uint32_t table_before = linker.table_high_water();
  auto plan = LoadAll(linker, "libx.wasm",
                      {{"libx.wasm", ModBuilder().MemInfo(64, 0, 5).ImportGlobal("GOT.func", "f")
                                         .ExportFunc("x", kV_V).Build()}});
  ASSERT_TRUE(plan.ok());
  const uint32_t first_base = plan->modules[0].memory_base;
  linker.Abort();  // e.g. instantiation failed in the edge
  EXPECT_FALSE(linker.FindLoaded("libx.wasm"));
  // The same load again gets the same places: nothing leaked.
  auto again = LoadAll(linker, "libx.wasm",
                       {{"libx.wasm", ModBuilder().MemInfo(64, 0, 5).ImportGlobal("GOT.func", "f")
                                          .ExportFunc("x", kV_V).Build()}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first_base, again->modules[0].memory_base);
  EXPECT_GE(linker.table_high_water(), table_before);
}

TEST(Linker, UnloadFreesAGroupNobodyUses) {
  Linker linker(NoLibstd());
  ASSERT_TRUE(LoadAll(linker, "main.wasm", {{"main.wasm", ModBuilder().MemInfo(16).Build()}}).ok());
  linker.Commit();
  FakeHeap heap(linker.heap_base());
  linker.SetHeapAllocator(&heap);
  auto plan = LoadAll(linker, "plugin.wasm",
                      {{"plugin.wasm", ModBuilder().MemInfo(128, 0, 3).ExportFunc("run", kV_V).Build()}},
                      kRtldNow | kRtldLocal);
  ASSERT_TRUE(plan.ok());
  const uint32_t base = plan->modules[0].memory_base;
  const ModuleId handle = linker.Commit();
  auto run = linker.Lookup(handle, "run");
  ASSERT_TRUE(run.ok());
  std::vector<uint32_t> freed;
  ASSERT_TRUE(linker.Unload(handle, &freed).ok());
  EXPECT_FALSE(linker.FindLoaded("plugin.wasm"));
  EXPECT_NE(freed.end(), std::find(freed.begin(), freed.end(), run->value));
  EXPECT_EQ(4u, freed.size());  // 3 element slots + the canonical slot of run
  // Its region is reused by the next module.
  auto next = LoadAll(linker, "other.wasm", {{"other.wasm", ModBuilder().MemInfo(100).Build()}},
                      kRtldNow | kRtldLocal);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(base, next->modules[0].memory_base);
}

TEST(Linker, BindsLazilyThroughOneSlotBeforeAndAfterTheModuleLoads) {
  Linker linker(NoLibstd());
  linker.SetLazyIndex({{"work", "liblazy.wasm", kI_I}, {"other", "liblazy.wasm", kV_V}});
  auto plan = LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().MemInfo(8).Needed("liblazy.wasm")
                                         .ImportFunc("work", kI_I)
                                         .ImportGlobal("GOT.func", "work").Build()}});
  // liblazy is NEEDED but deferred: LoadAll would fail the load had it been requested.
  ASSERT_TRUE(plan.ok()) << plan.error().Format();
  const PlannedModule& main = plan->modules[0];
  EXPECT_EQ(Binding::kPltFunc, main.imports[0].kind);
  const uint32_t slot = main.imports[1].a;  // &work, before liblazy is loaded
  EXPECT_NE(0u, slot);
  EXPECT_EQ(1u, plan->lazy_entries);
  ASSERT_EQ(1u, plan->plt_fills.size());
  EXPECT_TRUE(plan->plt_fills[0].resolver);  // the slot starts on the resolver
  EXPECT_EQ(slot, plan->plt_fills[0].slot);
  linker.Commit();
  FakeHeap heap(linker.heap_base());
  linker.SetHeapAllocator(&heap);
  ASSERT_NE(nullptr, linker.LazyTarget(slot));
  EXPECT_EQ("liblazy.wasm", linker.LazyTarget(slot)->module);

  // The first call loads liblazy: its function fills the same slot.
  auto load = LoadAll(linker, "liblazy.wasm",
                      {{"liblazy.wasm", ModBuilder().MemInfo(4).ExportFunc("other", kV_V)
                                            .ExportFunc("work", kI_I).Build()}});
  ASSERT_TRUE(load.ok()) << load.error().Format();
  ASSERT_EQ(1u, load->modules.size());
  ASSERT_EQ(1u, load->modules[0].slot_fills.size());
  EXPECT_EQ(slot, load->modules[0].slot_fills[0].slot);
  EXPECT_EQ(1u, load->modules[0].slot_fills[0].export_index);  // "work"
  linker.Commit();
  EXPECT_EQ(nullptr, linker.LazyTarget(slot));
  auto again = linker.Lookup(kNoModule, "work");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(slot, again->value);  // function pointers are equal before and after
}

TEST(Linker, AFailedLazyLoadLeavesTheResolverInPlace) {
  Linker linker(NoLibstd());
  linker.SetLazyIndex({{"work", "liblazy.wasm", kI_I}});
  ASSERT_TRUE(LoadAll(linker, "main.wasm",
                      {{"main.wasm", ModBuilder().ImportFunc("work", kI_I)
                                         .ImportGlobal("GOT.func", "work").Build()}}).ok());
  linker.Commit();
  FakeHeap heap(linker.heap_base());
  linker.SetHeapAllocator(&heap);
  const uint32_t slot = linker.Lookup(kNoModule, "work").ok() ? 0u : 1u;
  EXPECT_EQ(1u, slot);  // not defined anywhere yet
  auto failed = LoadAll(linker, "liblazy.wasm", {});  // e.g. a 404
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ("liblazy.wasm: not found", failed.error().Format());
  // Still lazily bound, so a later call retries.
  bool found = false;
  for (uint32_t s = 1; s < 8; ++s) found = found || linker.LazyTarget(s) != nullptr;
  EXPECT_TRUE(found);
}

TEST(Linker, LazyIndexSignaturesAreChecked) {
  Linker linker(NoLibstd());
  linker.SetLazyIndex({{"work", "liblazy.wasm", kV_V}});
  auto plan = LoadAll(linker, "main.wasm", {{"main.wasm", ModBuilder().ImportFunc("work", kI_I).Build()}});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ("main.wasm imports work: (i32) -> i32, but liblazy.wasm exports it as () -> nil (from the lazy index)",
            plan.error().Format());
}

TEST(Linker, PicksTheExceptionsStandardLibraryWhenAModuleThrows) {
  for (bool throws : {false, true}) {
    Linker linker;
    ASSERT_TRUE(linker.BeginLoad("main.wasm", kRtldNow | kRtldGlobal, "").ok());
    ModBuilder lib;
    if (throws) lib.ImportFunc("__cxa_throw", {{ValType::kI32, ValType::kI32, ValType::kI32}, {}});
    ASSERT_TRUE(linker.ProvideParsed("main.wasm", "main.wasm", ModBuilder().Needed("liba.wasm").Build()).ok());
    // Not decided while an explicit NEEDED library is still pending.
    ASSERT_EQ(1u, linker.Pending().size());
    ASSERT_TRUE(linker.ProvideParsed("liba.wasm", "liba.wasm", lib.Build()).ok());
    ASSERT_EQ(1u, linker.Pending().size());
    EXPECT_EQ(throws ? "libstd-eh.wasm" : "libstd.wasm", linker.Pending()[0].name);
    EXPECT_EQ("main.wasm", linker.Pending()[0].requested_by);
    linker.Abort();
  }
}

TEST(Linker, RefusesAModuleThatIsNotASideModule) {
  wasm::Module program = ModBuilder().ExportFunc("main", kII_I).Build();
  program.dylink.present = false;  // plain emcc output: no dylink.0
  Linker linker(NoLibstd());
  ASSERT_TRUE(linker.BeginLoad("main.wasm", kRtldNow | kRtldGlobal, "").ok());
  Status s = linker.ProvideParsed("main.wasm", "main.wasm", program);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ("main.wasm: not a side module (it has no dylink.0 section): lazylink links only modules built with "
            "emcc -sSIDE_MODULE=1, the main module too (e.g. emcc -sSIDE_MODULE=1 -O2 main.c -o main.wasm)",
            s.error().Format());
  EXPECT_TRUE(linker.Pending().empty());  // nothing more is fetched
  auto plan = linker.MakePlan();
  ASSERT_FALSE(plan.ok());
  EXPECT_THAT(plan.error().Format(), HasSubstr("main.wasm: not a side module"));
  linker.Abort();

  // With a dylink.0 section but a memory of its own: refused too.
  wasm::Module own = ModBuilder().ExportFunc("main", kII_I).Build();
  own.memories.push_back({});
  Linker again(NoLibstd());
  ASSERT_TRUE(again.BeginLoad("main.wasm", kRtldNow | kRtldGlobal, "").ok());
  Status m = again.ProvideParsed("main.wasm", "main.wasm", own);
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.error().Format(), HasSubstr("main.wasm: defines its own memory"));
  again.Abort();
}

}  // namespace
}  // namespace lazylink::link
