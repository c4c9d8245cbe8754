// The Canonical ABI conformance vectors that the C++ core computes: `layout`
// (size, alignment and flattening for wasm32 and memory64) and
// `flatten_functype` (core signatures for lift and lower). Type strings are
// parsed with the WIT value-type parser. The JS side runs every category
// (tests/cabi/vectors.test.mjs).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loader/cabi/abi.h"
#include "loader/wit/resolve.h"
#include "tests/cabi/vector_types.h"

namespace lazylink {
namespace {

using cabi::AddrType;
using cabi::CoreType;
using nlohmann::json;

const json& Vectors() {
  static const json* vectors = [] {
    std::ifstream in(std::string(LAZYLINK_SOURCE_DIR) + "/tests/data/canonical-abi/vectors.json");
    std::stringstream text;
    text << in.rdbuf();
    // No exceptions under Emscripten: parse without throwing, check below.
    return new json(json::parse(text.str(), nullptr, /*allow_exceptions=*/false));
  }();
  return *vectors;
}

std::vector<int> Indices(const char* category) {
  std::vector<int> out;
  const json& v = Vectors();
  if (v.is_object() && v.contains(category))
    for (size_t i = 0; i < v[category].size(); ++i) out.push_back(static_cast<int>(i));
  return out;
}

std::vector<std::string> Names(const std::vector<CoreType>& types) {
  std::vector<std::string> out;
  for (CoreType t : types) out.push_back(cabi::CoreTypeName(t));
  return out;
}

std::vector<std::string> Strings(const json& list) {
  std::vector<std::string> out;
  for (const json& s : list) out.push_back(s.get<std::string>());
  return out;
}

// Checks one `layout` vector; returns "" or what differed.
std::string CheckLayout(const json& v) {
  cabi::TypeArena arena;
  std::string text = testing::ExpandVectorType(v["type"].get<std::string>());
  auto id = wit::ParseValueType(text, &arena);
  if (!id.ok()) return "parse: " + id.error().Format();
  std::string diff;
  for (AddrType addr : {AddrType::kI32, AddrType::kI64}) {
    const json& want = v[cabi::AddrTypeName(addr)];
    uint64_t size = cabi::ElemSize(arena, *id, addr);
    uint32_t align = cabi::Alignment(arena, *id, addr);
    std::vector<std::string> flat = Names(cabi::FlattenType(arena, *id, addr));
    if (size != want["size"].get<uint64_t>())
      diff += Msg(cabi::AddrTypeName(addr), " size ", size, " want ", want["size"].dump(), "; ");
    if (align != want["align"].get<uint32_t>())
      diff += Msg(cabi::AddrTypeName(addr), " align ", align, " want ", want["align"].dump(), "; ");
    if (flat != Strings(want["flat"]))
      diff += Msg(cabi::AddrTypeName(addr), " flat want ", want["flat"].dump(), "; ");
    if (cabi::FlatCount(arena, *id) != flat.size()) diff += "FlatCount disagrees; ";
  }
  return diff;
}

std::string CheckFlattenFunctype(const json& v) {
  cabi::TypeArena arena;
  cabi::FuncType func;
  for (const char* list : {"params", "results"}) {
    int i = 0;
    for (const json& t : v[list]) {
      auto id = wit::ParseValueType(testing::ExpandVectorType(t.get<std::string>()), &arena);
      if (!id.ok()) return "parse: " + id.error().Format();
      // Vectors list results as types; one result is the unnamed `-> T`.
      std::string label = std::string(list) == "params" ? Msg("p", i++) : "";
      if (std::string(list) == "results" && v[list].size() > 1) label = Msg("r", i++);
      (std::string(list) == "params" ? func.params : func.results).push_back({label, *id});
    }
  }
  AddrType addr = v["addr"] == "i64" ? AddrType::kI64 : AddrType::kI32;
  std::string diff;
  for (auto [name, context] : {std::pair{"lift", cabi::FlattenContext::kLift},
                               std::pair{"lower", cabi::FlattenContext::kLower}}) {
    cabi::CoreFuncType core = cabi::FlattenFuncType(arena, func, addr, context);
    if (Names(core.params) != Strings(v[name]["params"]) ||
        Names(core.results) != Strings(v[name]["results"]))
      diff += Msg(name, ": got ", cabi::CoreFuncTypeToString(core), " want ", v[name].dump(), "; ");
  }
  return diff;
}

class LayoutVector : public ::testing::TestWithParam<int> {};
class FlattenFunctypeVector : public ::testing::TestWithParam<int> {};

TEST(CanonicalAbiVectors, FileLoads) {
  ASSERT_TRUE(Vectors().is_object()) << "tests/data/canonical-abi/vectors.json did not parse";
  EXPECT_EQ(37u, Vectors()["layout"].size());
  EXPECT_EQ(18u, Vectors()["flatten_functype"].size());
}

TEST_P(LayoutVector, MatchesReference) {
  const json& v = Vectors()["layout"][GetParam()];
  EXPECT_EQ("", CheckLayout(v)) << v.dump();
}

TEST_P(FlattenFunctypeVector, MatchesReference) {
  const json& v = Vectors()["flatten_functype"][GetParam()];
  EXPECT_EQ("", CheckFlattenFunctype(v)) << v.dump();
}

INSTANTIATE_TEST_SUITE_P(All, LayoutVector, ::testing::ValuesIn(Indices("layout")));
INSTANTIATE_TEST_SUITE_P(All, FlattenFunctypeVector,
                         ::testing::ValuesIn(Indices("flatten_functype")));

// One line per category, as the JS suite prints: the count shows that every
// vector ran.
TEST(CanonicalAbiVectors, Summary) {
  int failed_total = 0;
  std::string line = "canonical-abi vectors (c++):";
  for (auto [name, check] : {std::pair{"layout", &CheckLayout},
                             std::pair{"flatten_functype", &CheckFlattenFunctype}}) {
    int passed = 0, failed = 0;
    for (const json& v : Vectors()[name]) (check(v).empty() ? passed : failed)++;
    line += Msg(" ", name, " ", passed, " passed, ", failed, " failed;");
    failed_total += failed;
  }
  std::printf("%s\n", line.c_str());
  EXPECT_EQ(0, failed_total);
}

}  // namespace
}  // namespace lazylink
