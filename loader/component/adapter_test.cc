// Generated adapters: every shape of value, both address types and every pair
// of string encodings produce modules that validate (natively, with wabt's
// wasm-validate when it is installed). What the adapters *do* is tested by
// running them: tests/components (Chromium, which has multi-memory).
#include "loader/component/adapter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "loader/component/trampoline.h"
#include "loader/wasm/reader.h"
#include "loader/wit/resolve.h"

namespace lazylink::component {
namespace {

struct Case {
  std::vector<std::string> params;
  std::vector<std::string> results;
};

const std::vector<Case> kCases = {
    {{}, {}},
    {{"u8", "s8", "u16", "s16", "bool", "char", "f32", "f64", "u64"}, {"u32"}},
    {{"string"}, {"string"}},
    {{"list<u8>"}, {"list<u8>"}},
    {{"list<string>"}, {"list<list<u16>>"}},
    {{"record{label: string, value: f64}"}, {"result<string, string>"}},
    {{"variant{a(u8), b(f64), c(string), d}"}, {"option<f32>"}},
    {{"enum{a, b, c}", "flags{x, y, z}"}, {"tuple<char, bool, s16>"}},
    {{"list<u8, 3>", "list<record{x: u8, y: u16}, 2>"}, {"list<tuple<u8, u32>>"}},
    {{"map<string, u32>"}, {"option<option<string>>"}},
    // More than 16 flat params and more than one flat result: both spill.
    // Identity results and no post-return (odd index): a tail call.
    {{"u32", "u8", "bool"}, {"u64"}},
    {{"u64", "u64", "u64", "u64", "u64", "u64", "u64", "u64", "u64", "u64", "u64", "u64",
      "u64", "u64", "u64", "u64", "u64"},
     {"record{a: string, b: list<char>}"}},
};

std::vector<AdapterFunction> Functions(cabi::TypeArena* arena) {
  std::vector<AdapterFunction> fns;
  for (const Case& c : kCases) {
    AdapterFunction fn;
    for (size_t i = 0; i < c.params.size(); ++i) {
      auto t = wit::ParseValueType(c.params[i], arena);
      EXPECT_TRUE(t.ok()) << c.params[i];
      fn.type.params.push_back({"p" + std::to_string(i), *t});
    }
    for (const std::string& r : c.results) {
      auto t = wit::ParseValueType(r, arena);
      EXPECT_TRUE(t.ok()) << r;
      fn.type.results.push_back({"", *t});
    }
    fn.post_return = fns.size() % 2 == 0;
    fn.name = "f" + std::to_string(fns.size());
    fns.push_back(fn);
  }
  return fns;
}

// 0: valid, 1: invalid, -1: no validator here.
int Validate(const std::vector<uint8_t>& bytes, const std::string& name) {
#ifdef __EMSCRIPTEN__
  (void)bytes;
  (void)name;
  return -1;
#else
  if (std::system("command -v wasm-validate >/dev/null 2>&1") != 0) return -1;
  std::string path = ::testing::TempDir() + "/" + name + ".wasm";
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  std::string cmd = "wasm-validate --enable-multi-memory --enable-memory64 --enable-tail-call " + path;
  return std::system(cmd.c_str()) == 0 ? 0 : 1;
#endif
}

TEST(Adapter, EveryShapeValidatesForEveryEncodingPair) {
  cabi::TypeArena arena;
  std::vector<AdapterFunction> fns = Functions(&arena);
  const StringEncoding encodings[] = {StringEncoding::kUtf8, StringEncoding::kUtf16,
                                      StringEncoding::kLatin1Utf16};
  for (cabi::AddrType addr : {cabi::AddrType::kI32, cabi::AddrType::kI64}) {
    for (StringEncoding from : encodings) {
      for (StringEncoding to : encodings) {
        for (bool simd : {true, false}) {
          AdapterOptions o;
          o.caller = {addr, from};
          o.callee = {addr, to};
          o.simd = simd;
          auto bytes = EmitAdapterModule(arena, fns, o);
          ASSERT_TRUE(bytes.ok()) << bytes.error().Format();
          // Our own reader accepts it too (it checks section structure).
          auto m = wasm::ReadModule(bytes->data(), bytes->size(), {"adapter.wasm"});
          ASSERT_TRUE(m.ok()) << m.error().Format();
          EXPECT_EQ(fns.size(), m->exports.size());
          std::string name = std::string("adapter_") + cabi::AddrTypeName(addr) + "_" +
                             StringEncodingName(from) + "_" + StringEncodingName(to) +
                             (simd ? "_simd" : "");
          for (char& c : name)
            if (c == '+') c = '_';
          EXPECT_NE(1, Validate(*bytes, name)) << name;
        }
      }
    }
  }
}

TEST(Adapter, RefusesResourceHandles) {
  cabi::TypeArena arena;
  auto h = arena.AddHandle(cabi::TypeKind::kOwn, "blob");
  ASSERT_TRUE(h.ok());
  AdapterFunction fn;
  fn.type.params.push_back({"b", *h});
  fn.name = "take";
  auto bytes = EmitAdapterModule(arena, {fn}, AdapterOptions{});
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ("adapter: take: resource handle own<blob> cannot cross a component boundary",
            bytes.error().Format());
}

TEST(Trampoline, ModulesValidate) {
  std::vector<wasm::FuncType> sigs(2);
  ASSERT_TRUE(ParseSignature("iii", &sigs[0]));
  ASSERT_TRUE(ParseSignature("vjd", &sigs[1]));
  EXPECT_EQ("vjd", SignatureString(sigs[1]));
  EXPECT_NE(1, Validate(EmitTrampolines(sigs), "trampolines"));
  EXPECT_NE(1, Validate(EmitReexports(sigs), "reexports"));
}

}  // namespace
}  // namespace lazylink::component
