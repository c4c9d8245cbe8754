#include "loader/manifest/pack.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loader/link/standard_library.h"
#include "loader/wasm/reader.h"

namespace lazylink::manifest {
namespace {

using ::testing::HasSubstr;

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::vector<PackInput> LazyApp() {
  std::vector<PackInput> in;
  for (const char* name : {"lazy_main.wasm", "lazy_lib.wasm", "lazy_table.wasm"}) {
    in.push_back({name, ReadFile(std::string(LAZYLINK_MODULES_DIR) + "/" + name)});
  }
  in.push_back({"libstd.wasm", ReadFile(std::string(LAZYLINK_MODULES_DIR) + "/../../runtime/libstd/libstd.wasm")});
  return in;
}

const PackedModule* Find(const PackResult& r, const std::string& name) {
  for (const auto& m : r.modules) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

class Packer : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = LazyApp();
    for (const auto& i : in_) {
      if (i.bytes.empty()) GTEST_SKIP() << "build the Emscripten configuration first";
    }
  }
  std::vector<PackInput> in_;
};

TEST_F(Packer, CalledOnlyModulesAreLazyAndDataProvidersEager) {
  auto r = Pack(in_, {});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ("lazy_main.wasm", r->main);
  EXPECT_EQ(Policy::kEager, Find(*r, "lazy_main.wasm")->policy);
  EXPECT_EQ(Policy::kEager, Find(*r, "libstd.wasm")->policy);
  const PackedModule* table = Find(*r, "lazy_table.wasm");
  EXPECT_EQ(Policy::kEager, table->policy);
  EXPECT_EQ("lazy_main.wasm reads its data lazy_table", table->reason);
  const PackedModule* lib = Find(*r, "lazy_lib.wasm");
  EXPECT_EQ(Policy::kLazy, lib->policy);
  EXPECT_EQ((std::vector<std::string>{"lazy_calls", "lazy_work"}), lib->exports);
  ASSERT_TRUE(r->symbols.count("lazy_work"));
  EXPECT_EQ("lazy_lib.wasm", r->symbols.at("lazy_work").module);
  EXPECT_EQ("ii", r->symbols.at("lazy_work").sig);
  EXPECT_FALSE(r->symbols.count("lazy_table"));  // eager modules are not indexed
  // Content-hashed names.
  EXPECT_EQ("lazy_lib." + lib->sha256.substr(0, 16) + ".wasm", lib->url);
  EXPECT_EQ(64u, lib->sha256.size());
}

TEST_F(Packer, IsDeterministic) {
  auto a = Pack(in_, {});
  std::vector<PackInput> reversed(in_.rbegin(), in_.rend());
  auto b = Pack(reversed, {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->ManifestJson(), b->ManifestJson());
  EXPECT_THAT(a->ManifestJson(), HasSubstr("\"schema\": \"lazylink-manifest/1\""));
}

bool ImportsFunction(const std::vector<uint8_t>& bytes, const std::string& field) {
  auto m = wasm::ReadModule(bytes.data(), bytes.size(), {"packed.wasm"});
  if (!m.ok()) return false;
  for (const wasm::Import& imp : m->imports) {
    if (imp.kind == wasm::ExternalKind::kFunc && imp.field == field) return true;
  }
  return false;
}

TEST_F(Packer, CallsIntoLazyModulesGoThroughTheirSlots) {
  auto r = Pack(in_, {});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const PackedModule* main = Find(*r, "lazy_main.wasm");
  // lazy_work (called from deep()) and lazy_calls: both in lazy_lib.
  EXPECT_EQ(2u, main->slot_functions);
  EXPECT_GE(main->slot_calls, 2u);
  EXPECT_NE(in_[0].bytes, main->bytes);
  EXPECT_EQ(main->size, main->bytes.size());
  EXPECT_EQ("lazy_main." + main->sha256.substr(0, 16) + ".wasm", main->url);
  // Eager providers keep plain imports; modules with no lazy callee are untouched.
  EXPECT_TRUE(ImportsFunction(main->bytes, "iprintf"));
  EXPECT_FALSE(ImportsFunction(main->bytes, "lazy_work"));
  EXPECT_EQ(0u, Find(*r, "libstd.wasm")->slot_calls);
  EXPECT_EQ(in_[3].bytes, Find(*r, "libstd.wasm")->bytes);

  PackOptions plain;
  plain.slot_calls = false;
  plain.got_in_memory = false;
  auto p = Pack(in_, plain);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(in_[0].bytes, Find(*p, "lazy_main.wasm")->bytes);
  EXPECT_EQ(0u, Find(*p, "lazy_main.wasm")->slot_calls);
}

TEST_F(Packer, MovesEachModulesGotIntoItsMemory) {
  auto r = Pack(in_, {});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  for (const PackedModule& m : r->modules) {
    auto mod = wasm::ReadModule(m.bytes.data(), m.bytes.size(), {m.name});
    ASSERT_TRUE(mod.ok()) << mod.error().Format();
    for (const wasm::Import& imp : mod->imports) EXPECT_FALSE(imp.IsGotMem() || imp.IsGotFunc()) << m.name << " " << imp.field;
    // Moved now, or (libstd) by its build: either way the section lists them.
    if (m.got_in_memory) EXPECT_EQ(m.got_in_memory, mod->memory_got.entries.size()) << m.name;
  }
  // lazy_main's slot calls added GOT.func imports; they moved too.
  EXPECT_GE(Find(*r, "lazy_main.wasm")->got_in_memory, 2u);
  EXPECT_EQ(0u, Find(*r, "libstd.wasm")->got_in_memory);  // built with its GOT in memory already

  PackOptions keep;
  keep.got_in_memory = false;
  auto k = Pack(in_, keep);
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(0u, Find(*k, "lazy_main.wasm")->got_in_memory);
}

TEST_F(Packer, OverridesArePolicedAndApplied) {
  PackOptions prefetch;
  prefetch.overrides["lazy_lib.wasm"] = Policy::kPrefetch;
  auto r = Pack(in_, prefetch);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Policy::kPrefetch, Find(*r, "lazy_lib.wasm")->policy);
  EXPECT_EQ("set by the user", Find(*r, "lazy_lib.wasm")->reason);

  PackOptions wrong;
  wrong.overrides["lazy_table.wasm"] = Policy::kLazy;
  auto bad = Pack(in_, wrong);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ("pack: lazy_table.wasm cannot be lazy: lazy_main.wasm reads its data lazy_table",
            bad.error().Format());
}

TEST_F(Packer, RejectsAmbiguousOrMissingMain) {
  std::vector<PackInput> libs(in_.begin() + 1, in_.end());
  auto r = Pack(libs, {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().Format(), HasSubstr("no module exports main"));
  EXPECT_THAT(r.error().Format(), HasSubstr("several modules are needed by none (lazy_lib.wasm, lazy_table.wasm)"));
}

// A program without main (constructors only, as Emscripten runs one): the
// one module no other input needs is the main module.
TEST_F(Packer, ProgramWithoutMainIsTheModuleNoneNeeds) {
  std::vector<PackInput> one = {in_[1], in_[3]};  // lazy_lib.wasm, libstd.wasm
  auto r = Pack(one, {});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ("lazy_lib.wasm", r->main);
  EXPECT_EQ(Policy::kEager, Find(*r, "lazy_lib.wasm")->policy);
}

TEST_F(Packer, EmmallocVariantIsAddedWhenAsked) {
  std::vector<PackInput> no_libstd(in_.begin(), in_.begin() + 3);
  PackOptions emmalloc;
  emmalloc.emmalloc = true;
  std::vector<std::string> asked;
  emmalloc.find_standard_library = [&](const std::string& name, const std::string&) -> Expected<std::vector<uint8_t>> {
    asked.push_back(name);
    return in_[3].bytes;
  };
  auto r = Pack(no_libstd, emmalloc);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(std::vector<std::string>{"libstd-emmalloc.wasm"}, asked);
  EXPECT_EQ("libstd-emmalloc.wasm", r->added_standard_library);
  EXPECT_EQ(Policy::kEager, Find(*r, "libstd-emmalloc.wasm")->policy);
}

TEST(PackerErrors, CorruptModuleCarriesItsOffset) {
  std::vector<PackInput> in = {{"broken.wasm", {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05}}};
  auto r = Pack(in, {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().Format(), HasSubstr("broken.wasm"));
  EXPECT_THAT(r.error().Format(), HasSubstr("(at offset 0x"));
}

// --- What pack refuses, and the standard library it adds -------------------

PackInput Input(const std::string& name) {
  std::string dir = std::string(LAZYLINK_MODULES_DIR);
  if (link::IsStandardLibrary(name)) dir += "/../../runtime/libstd";
  if (name == "not_side.wasm") dir += "/programs";  // not a side module: kept apart
  return {name, ReadFile(dir + "/" + name)};
}

class PackChecks : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"pack_main.wasm", "libpack_lib.wasm", "pack_undef.wasm", "pack_sig_main.wasm",
                             "pack_eh_main.wasm", "libpack_eh_lib.wasm", "not_side.wasm", "libstd.wasm",
                             "libstd-eh.wasm"}) {
      if (Input(name).bytes.empty()) GTEST_SKIP() << "build the Emscripten configuration first (" << name << ")";
    }
  }
  // A find_standard_library that hands out the built libstd variants and
  // remembers what it was asked for.
  PackOptions WithStandardLibrary() {
    PackOptions o;
    o.find_standard_library = [this](const std::string& lib, const std::string& main) -> Expected<std::vector<uint8_t>> {
      asked_.push_back(lib + " for " + main);
      return Input(lib).bytes;
    };
    return o;
  }
  std::vector<std::string> asked_;
};

TEST_F(PackChecks, RefusesAModuleBuiltWithoutSideModule) {
  // Plain emcc output: no dylink.0, a memory of its own.
  auto parsed = wasm::ReadModule(Input("not_side.wasm").bytes.data(), Input("not_side.wasm").bytes.size(), {"x"});
  ASSERT_TRUE(parsed.ok());
  ASSERT_FALSE(parsed->dylink.present);
  auto r = Pack({Input("not_side.wasm"), Input("libstd.wasm")}, WithStandardLibrary());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("not_side.wasm: not a side module (it has no dylink.0 section): lazylink links only modules built "
            "with emcc -sSIDE_MODULE=1, the main module too (e.g. emcc -sSIDE_MODULE=1 -O2 main.c -o main.wasm)",
            r.error().Format());
  // Also as a library of an otherwise good app.
  auto lib = Pack({Input("pack_main.wasm"), Input("libpack_lib.wasm"), Input("not_side.wasm")}, {});
  ASSERT_FALSE(lib.ok());
  EXPECT_THAT(lib.error().Format(), HasSubstr("not_side.wasm: not a side module"));
  EXPECT_TRUE(asked_.empty());
}

TEST_F(PackChecks, AddsPlainLibstdForC) {
  auto r = Pack({Input("pack_main.wasm"), Input("libpack_lib.wasm")}, WithStandardLibrary());
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(std::vector<std::string>{"libstd.wasm for pack_main.wasm"}, asked_);
  EXPECT_EQ("libstd.wasm", r->added_standard_library);
  const PackedModule* std_lib = Find(*r, "libstd.wasm");
  ASSERT_NE(nullptr, std_lib);
  EXPECT_EQ(Policy::kEager, std_lib->policy);
  EXPECT_EQ("the standard library (added: none was given)", std_lib->reason);
  EXPECT_EQ(Policy::kLazy, Find(*r, "libpack_lib.wasm")->policy);
  EXPECT_EQ(nullptr, Find(*r, "libstd-eh.wasm"));
  EXPECT_THAT(r->ManifestJson(), HasSubstr("\"libstd.wasm\""));
}

TEST_F(PackChecks, AddsPlainLibstdForCxxWithoutExceptions) {
  // std::string and std::vector::at built without -fexceptions: libc++'s
  // throwing helpers are instantiated in the module itself (imported and
  // exported), nothing of Emscripten's JS exceptions is imported, so the
  // plain variant is the one, and giving it is not refused.
  PackInput app = Input("pack_strvec.wasm");
  auto parsed = wasm::ReadModule(app.bytes.data(), app.bytes.size(), {app.name});
  ASSERT_TRUE(parsed.ok());
  ASSERT_FALSE(link::UsesJsExceptions(*parsed));

  auto r = Pack({app}, WithStandardLibrary());
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ("libstd.wasm", r->added_standard_library);
  EXPECT_EQ(nullptr, Find(*r, "libstd-eh.wasm"));
  auto given = Pack({Input("pack_strvec.wasm"), Input("libstd.wasm")}, WithStandardLibrary());
  EXPECT_TRUE(given.ok()) << given.error().Format();
}

TEST_F(PackChecks, AddsTheExceptionsVariantWhenALazyModuleCatches) {
  // The main module imports nothing of C++ exceptions; its lazy library does.
  PackInput main = Input("pack_eh_main.wasm");
  PackInput lib = Input("libpack_eh_lib.wasm");
  auto main_mod = wasm::ReadModule(main.bytes.data(), main.bytes.size(), {main.name});
  auto lib_mod = wasm::ReadModule(lib.bytes.data(), lib.bytes.size(), {lib.name});
  ASSERT_TRUE(main_mod.ok() && lib_mod.ok());
  ASSERT_FALSE(link::UsesJsExceptions(*main_mod));
  ASSERT_TRUE(link::UsesJsExceptions(*lib_mod));
  const std::string eh_import = link::JsExceptionImport(*lib_mod)->field;

  auto r = Pack({main, lib}, WithStandardLibrary());
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(std::vector<std::string>{"libstd-eh.wasm for pack_eh_main.wasm"}, asked_);
  EXPECT_EQ("libstd-eh.wasm", r->added_standard_library);
  EXPECT_EQ(Policy::kLazy, Find(*r, "libpack_eh_lib.wasm")->policy);
  ASSERT_NE(nullptr, Find(*r, "libstd-eh.wasm"));
  EXPECT_EQ(Policy::kEager, Find(*r, "libstd-eh.wasm")->policy);
  EXPECT_EQ("the standard library with C++ exceptions (added: none was given, and libpack_eh_lib.wasm imports " +
                eh_import + ")",
            Find(*r, "libstd-eh.wasm")->reason);
  EXPECT_EQ(nullptr, Find(*r, "libstd.wasm"));
}

TEST_F(PackChecks, RefusesPlainLibstdForAModuleThatCatches) {
  auto r = Pack({Input("pack_eh_main.wasm"), Input("libpack_eh_lib.wasm"), Input("libstd.wasm")},
                WithStandardLibrary());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().Format(), HasSubstr("pack: libpack_eh_lib.wasm imports __"));
  EXPECT_THAT(r.error().Format(), HasSubstr("(it was compiled with -fexceptions), so the app needs libstd-eh.wasm, "
                                            "but libstd.wasm was given"));
  EXPECT_TRUE(asked_.empty());
  // The exceptions variant given: taken as it is.
  auto ok = Pack({Input("pack_eh_main.wasm"), Input("libpack_eh_lib.wasm"), Input("libstd-eh.wasm")},
                 WithStandardLibrary());
  ASSERT_TRUE(ok.ok()) << ok.error().Format();
  EXPECT_TRUE(ok->added_standard_library.empty());
}

TEST_F(PackChecks, ReportsAStandardLibraryThatCannotBeFound) {
  PackOptions o;
  o.find_standard_library = [](const std::string& lib, const std::string&) -> Expected<std::vector<uint8_t>> {
    return Error(lib, "not found in /nowhere");
  };
  auto r = Pack({Input("pack_main.wasm"), Input("libpack_lib.wasm")}, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("libstd.wasm: not found in /nowhere", r.error().Format());
}

TEST_F(PackChecks, RefusesAMissingNeededLibrary) {
  auto r = Pack({Input("pack_main.wasm")}, WithStandardLibrary());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("pack: pack_main.wasm: needs libpack_lib.wasm (a NEEDED entry of its dylink.0 section), which is not "
            "among the modules being packed: add it to the command line",
            r.error().Format());
}

TEST_F(PackChecks, RefusesASignatureMismatch) {
  auto r = Pack({Input("pack_sig_main.wasm"), Input("libpack_lib.wasm")}, WithStandardLibrary());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("pack: pack_sig_main.wasm: imports pack_lib_work as (i32, i32) -> i32, but libpack_lib.wasm exports "
            "it as (i32) -> i32 (a signature mismatch: rebuild both against the same declaration)",
            r.error().Format());
}

TEST_F(PackChecks, RefusesAnUndefinedSymbolUnlessAllowed) {
  // The host as the loader sees it, reduced to what libstd imports (the
  // tool tests in tests/tools use the real list from web/cli.mjs).
  std::vector<HostFunctionSpec> host;
  const PackInput std_lib = Input("libstd.wasm");
  auto std_mod = wasm::ReadModule(std_lib.bytes.data(), std_lib.bytes.size(), {std_lib.name});
  ASSERT_TRUE(std_mod.ok());
  for (const wasm::Import& imp : std_mod->imports) {
    if (imp.kind == wasm::ExternalKind::kFunc) host.push_back({imp.module, imp.field, ""});
  }
  PackOptions o = WithStandardLibrary();
  o.host_functions = host;
  auto r = Pack({Input("pack_undef.wasm")}, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("pack: 1 undefined symbol (no module being packed, the standard library or the host defines it; add "
            "the module that does, or pack with --allow-undefined NAME if the app provides it at run time):\n"
            "  pack_undef.wasm: undefined symbol pack_nowhere (function (i32) -> i32)",
            r.error().Format());

  o.allow_undefined = {"pack_nowhere"};
  auto allowed = Pack({Input("pack_undef.wasm")}, o);
  EXPECT_TRUE(allowed.ok()) << allowed.error().Format();

  // A host without what libstd imports: every one is reported, each with
  // the module that needs it.
  PackOptions bare = WithStandardLibrary();
  bare.host_functions = std::vector<HostFunctionSpec>{};
  bare.allow_undefined = {"pack_nowhere"};
  auto none = Pack({Input("pack_undef.wasm")}, bare);
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.error().Format(), HasSubstr("\n  libstd.wasm: undefined symbol "));
  EXPECT_THAT(none.error().Format(), ::testing::Not(HasSubstr("pack_nowhere")));
}

TEST_F(PackChecks, ReportsEveryProblemAtOnce) {
  PackOptions o = WithStandardLibrary();
  o.main = "pack_sig_main.wasm";
  auto r = Pack({Input("pack_sig_main.wasm"), Input("libpack_lib.wasm"), Input("pack_eh_main.wasm")}, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("pack: 2 problems:\n"
            "  pack_eh_main.wasm: needs libpack_eh_lib.wasm (a NEEDED entry of its dylink.0 section), which is not "
            "among the modules being packed: add it to the command line\n"
            "  pack_sig_main.wasm: imports pack_lib_work as (i32, i32) -> i32, but libpack_lib.wasm exports it as "
            "(i32) -> i32 (a signature mismatch: rebuild both against the same declaration)",
            r.error().Format());
}

}  // namespace
}  // namespace lazylink::manifest
