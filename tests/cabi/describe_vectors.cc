// cabi_describe_vectors VECTORS_JSON OUT_JSON
//
// Writes the type descriptors (docs/type-descriptors.md) of every type string
// in the Canonical ABI vectors, so the JS Canonical ABI can run the vectors
// with types parsed by the C++ core rather than by a second parser in JS:
//   {"types": [...table...], "refs": {"<type string>": ref, ...}}
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "loader/cabi/descriptor.h"
#include "loader/wit/resolve.h"
#include "tests/cabi/vector_types.h"

int main(int argc, char** argv) {
  using nlohmann::json;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s VECTORS_JSON OUT_JSON\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  json vectors = json::parse(text.str(), nullptr, false);
  if (!vectors.is_object()) {
    std::fprintf(stderr, "%s: not a JSON object\n", argv[1]);
    return 1;
  }
  std::map<std::string, bool> types;
  for (auto& [category, list] : vectors.items()) {
    if (!list.is_array()) continue;
    for (const json& v : list) {
      if (v.contains("type")) types[v["type"].get<std::string>()] = true;
      for (const char* key : {"params", "results"})
        if (v.contains(key))
          for (const json& t : v[key]) types[t.get<std::string>()] = true;
    }
  }
  lazylink::cabi::TypeArena arena;
  lazylink::cabi::DescriptorBuilder d(arena);
  std::string refs;
  for (const auto& [type, unused] : types) {
    (void)unused;
    auto id = lazylink::wit::ParseValueType(lazylink::testing::ExpandVectorType(type), &arena);
    if (!id.ok()) {
      std::fprintf(stderr, "%s: %s\n", type.c_str(), id.error().Format().c_str());
      return 1;
    }
    refs += (refs.empty() ? "" : ",\n  ") + lazylink::cabi::JsonString(type) + ": " + d.Ref(*id);
  }
  std::ofstream out(argv[2]);
  out << "{\"types\": " << d.Types() << ",\n\"refs\": {\n  " << refs << "\n}}\n";
  return out.good() ? 0 : 1;
}
