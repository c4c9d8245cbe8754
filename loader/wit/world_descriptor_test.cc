#include "loader/wit/world_descriptor.h"

#include <gtest/gtest.h>

namespace lazylink::wit {
namespace {

TEST(WorldDescriptor, CoreNamesFollowTheComponentModel) {
  auto r = ParseWit({{"w.wit", R"(
    package demo:img@1.0.0;
    interface filter {
      record size { w: u32, h: u32 }
      apply: func(s: size) -> list<u8>;
    }
    world plugin {
      import log: func(msg: string);
      import filter;
      export filter;
      export run: func() -> bool;
    }
  )"}});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(
      "{\"world\":\"demo:img/plugin@1.0.0\",\"realloc\":\"cabi_realloc\","
      "\"types\":[{\"k\":\"record\",\"name\":\"size\",\"fields\":[[\"w\",\"u32\"],[\"h\",\"u32\"]]},"
      "{\"k\":\"list\",\"t\":\"u8\"}],"
      "\"imports\":["
      "{\"kind\":\"function\",\"name\":\"log\",\"module\":\"$root\",\"field\":\"log\","
      "\"func\":{\"params\":[[\"msg\",\"string\"]],\"results\":[]}},"
      "{\"kind\":\"interface\",\"name\":\"demo:img/filter@1.0.0\",\"module\":\"demo:img/filter@1.0.0\","
      "\"funcs\":[{\"name\":\"apply\",\"module\":\"demo:img/filter@1.0.0\",\"field\":\"apply\","
      "\"func\":{\"params\":[[\"s\",0]],\"results\":[[null,1]]}}]}],"
      "\"exports\":["
      "{\"kind\":\"interface\",\"name\":\"demo:img/filter@1.0.0\",\"funcs\":[{\"name\":\"apply\","
      "\"export\":\"demo:img/filter@1.0.0#apply\",\"post_return\":\"cabi_post_demo:img/filter@1.0.0#apply\","
      "\"func\":{\"params\":[[\"s\",0]],\"results\":[[null,1]]}}]},"
      "{\"kind\":\"function\",\"name\":\"run\",\"export\":\"run\",\"post_return\":\"cabi_post_run\","
      "\"func\":{\"params\":[],\"results\":[[null,\"bool\"]]}}]}",
      DescribeWorld(*r, *r->FindWorld("plugin")));
}

TEST(WorldDescriptor, MarksResourceFunctionsUnsupported) {
  auto r = ParseWit({{"w.wit", "interface i { resource r { get: func() -> u8; } }"
                               "world w { export i; }"}});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  std::string json = DescribeWorld(*r, r->worlds[0]);
  EXPECT_NE(std::string::npos, json.find("\"unsupported\":\"resource handle borrow<r>\"")) << json;
}

}  // namespace
}  // namespace lazylink::wit
