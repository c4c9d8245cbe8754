#include "loader/manifest/pack.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
}

TEST(PackerErrors, CorruptModuleCarriesItsOffset) {
  std::vector<PackInput> in = {{"broken.wasm", {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05}}};
  auto r = Pack(in, {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().Format(), HasSubstr("broken.wasm"));
  EXPECT_THAT(r.error().Format(), HasSubstr("(at offset 0x"));
}

}  // namespace
}  // namespace lazylink::manifest
