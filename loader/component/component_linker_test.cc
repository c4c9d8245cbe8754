#include "loader/component/component_linker.h"

#include <gtest/gtest.h>

namespace lazylink::component {
namespace {

constexpr const char* kTypes = R"(
package demo:plugins@0.1.0;

interface types {
  record row { label: string, value: f64 }
}
interface chart {
  use types.{row};
  render: func(title: string, rows: list<row>) -> result<string, string>;
}
interface host {
  log: func(msg: string);
}
world plugin {
  import host;
  export chart;
}
world app {
  import chart;
  export host;
}
)";

WitPackage World(const std::string& world, const std::string& text = kTypes) {
  return WitPackage{world, {{"demo.wit", text}}};
}

TEST(ComponentLinker, MatchesImportsToExportsBothWays) {
  ComponentLinker l;
  ASSERT_TRUE(l.AddWorld("app", "app.wasm", World("demo:plugins/app")).ok());
  ASSERT_TRUE(l.AddWorld("plugin", "plugin.wasm", World("demo:plugins/plugin")).ok());
  auto r = l.Link();
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(2u, r->functions.size());
  const LinkedFunction& render = r->functions[0];
  EXPECT_EQ("app -> plugin demo:plugins/chart@0.1.0#render", render.Boundary(l.components()));
  EXPECT_EQ("demo:plugins/chart@0.1.0", render.import_module);
  EXPECT_EQ("render", render.import_field);
  EXPECT_EQ("demo:plugins/chart@0.1.0#render", render.export_name);
  EXPECT_EQ("plugin -> app demo:plugins/host@0.1.0#log", r->functions[1].Boundary(l.components()));
  EXPECT_TRUE(r->unresolved.empty());
  EXPECT_EQ(2u, r->exports.size());
}

TEST(ComponentLinker, NamesBothComponentsAndTheFirstDifference) {
  std::string changed = kTypes;
  changed.replace(changed.find("value: f64"), 10, "value: f32");
  ComponentLinker l;
  ASSERT_TRUE(l.AddWorld("app", "app.wasm", World("demo:plugins/app")).ok());
  ASSERT_TRUE(l.AddWorld("plugin", "plugin.wasm", World("demo:plugins/plugin", changed)).ok());
  auto r = l.Link();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      "link: component \"app\" (app.wasm) imports demo:plugins/chart@0.1.0#render from component "
      "\"plugin\" (plugin.wasm), but the types differ at param 1 \"rows\": list element: field "
      "\"value\": f64 vs f32 (app vs plugin)",
      r.error().Format());
}

TEST(ComponentLinker, NamesOfParametersCount) {
  std::string changed = kTypes;
  changed.replace(changed.find("log: func(msg"), 13, "log: func(text");
  ComponentLinker l;
  ASSERT_TRUE(l.AddWorld("app", "", World("demo:plugins/app", changed)).ok());
  ASSERT_TRUE(l.AddWorld("plugin", "", World("demo:plugins/plugin")).ok());
  auto r = l.Link();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.error().Format().find("param 0: \"msg\" vs \"text\" (plugin vs app)"))
      << r.error().Format();
}

TEST(ComponentLinker, RefusesResources) {
  const char* wit = R"(
    package demo:res;
    interface blobs { resource blob; get: func(b: borrow<blob>) -> u8; }
    world user { import blobs; }
    world maker { export blobs; }
  )";
  ComponentLinker l;
  ASSERT_TRUE(l.AddWorld("user", "", World("demo:res/user", wit)).ok());
  ASSERT_TRUE(l.AddWorld("maker", "", World("demo:res/maker", wit)).ok());
  auto r = l.Link();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("link: component \"user\" imports demo:res/blobs#get, which uses resource handle "
            "borrow<blob>: resources cannot cross component boundaries yet",
            r.error().Format());
}

TEST(ComponentLinker, LeavesImportsNobodyExportsToTheHost) {
  ComponentLinker l;
  ASSERT_TRUE(l.AddWorld("plugin", "", World("demo:plugins/plugin")).ok());
  auto r = l.Link();
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(1u, r->unresolved.size());
  EXPECT_EQ("log", r->unresolved[0].func);
}

TEST(ComponentLinker, AsksToWireAmbiguousImports) {
  ComponentLinker l;
  ASSERT_TRUE(l.AddWorld("app", "", World("demo:plugins/app")).ok());
  ASSERT_TRUE(l.AddWorld("p1", "", World("demo:plugins/plugin")).ok());
  ASSERT_TRUE(l.AddWorld("p2", "", World("demo:plugins/plugin")).ok());
  auto r = l.Link();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.error().Format().find("several components export (p1, p2)"))
      << r.error().Format();
  l.Wire("app", "demo:plugins/chart@0.1.0", "p2");
  l.Wire("p1", "demo:plugins/host@0.1.0", "app");
  l.Wire("p2", "demo:plugins/host@0.1.0", "app");
  auto ok = l.Link();
  ASSERT_TRUE(ok.ok()) << ok.error().Format();
  EXPECT_EQ("app -> p2 demo:plugins/chart@0.1.0#render",
            ok->functions[0].Boundary(l.components()));
}

TEST(ComponentLinker, ReportsAnUnknownWorld) {
  ComponentLinker l;
  Status s = l.AddWorld("x", "x.wasm", World("demo:plugins/nope"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ("component \"x\" (x.wasm): its WIT does not define world demo:plugins/nope (or "
            "defines it more than once)",
            s.error().Format());
}

TEST(ComponentLinker, DescribesThePlanAsJson) {
  ComponentLinker l;
  ASSERT_TRUE(l.AddWorld("app", "app.wasm", World("demo:plugins/app")).ok());
  ASSERT_TRUE(l.AddWorld("plugin", "plugin.wasm", World("demo:plugins/plugin")).ok());
  auto r = l.Link();
  ASSERT_TRUE(r.ok());
  std::string json = LinkResultToJson(l.components(), *r);
  EXPECT_NE(std::string::npos,
            json.find("{\"caller\":0,\"callee\":1,\"module\":\"demo:plugins/chart@0.1.0\","
                      "\"field\":\"render\",\"iface\":\"demo:plugins/chart@0.1.0\","
                      "\"func\":\"render\",\"export\":\"demo:plugins/chart@0.1.0#render\","
                      "\"postReturn\":\"cabi_post_demo:plugins/chart@0.1.0#render\","
                      "\"identity\":false,"
                      "\"boundary\":\"app -> plugin demo:plugins/chart@0.1.0#render\"}"))
      << json;
}

}  // namespace
}  // namespace lazylink::component
