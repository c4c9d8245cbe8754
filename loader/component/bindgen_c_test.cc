// The C bindings generator: names, layouts, prototypes, glue. The generated
// code is compiled and run for real by tests/components (the host and plugin
// components); these tests pin the conventions.
#include "loader/component/bindgen_c.h"

#include <gtest/gtest.h>

namespace lazylink::component {
namespace {

constexpr const char* kWit = R"(
package demo:shapes@1.0.0;

interface types {
  record point { x: s32, y: s32 }
  variant shape { dot(point), line(tuple<point, point>), label(string), none }
  enum unit { px, em }
  flags edges { top, bottom, left, right }
}
interface draw {
  use types.{point, shape, unit, edges};
  paint: func(s: shape, u: unit) -> result<list<u8>, string>;
  measure: func(text: string) -> f32;
  wide: func(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64,
             i: u64, j: u64, k: u64, l: u64, m: u64, n: u64, o: u64, p: u64, q: u64) -> edges;
}
world painter {
  import log: func(msg: string);
  export draw;
}
)";

CBindings Generate() {
  auto b = GenerateCBindings({"painter", {{"shapes.wit", kWit}}});
  EXPECT_TRUE(b.ok()) << b.error().Format();
  return b.ok() ? *b : CBindings{};
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(BindgenC, NamesFilesAfterTheWorld) {
  CBindings b = Generate();
  EXPECT_EQ("painter", b.prefix);
  EXPECT_EQ("painter.h", b.header_name);
  EXPECT_EQ("painter.c", b.source_name);
}

TEST(BindgenC, DeclaresTypesWithTheirInterfacePrefix) {
  CBindings b = Generate();
  EXPECT_TRUE(Has(b.header, "typedef struct demo_shapes_types_point_t {\n  int32_t x;\n  int32_t y;\n}"))
      << b.header;
  EXPECT_TRUE(Has(b.header, "#define DEMO_SHAPES_TYPES_SHAPE_LABEL 2\n"));
  EXPECT_TRUE(Has(b.header, "typedef struct demo_shapes_types_shape_t {\n  uint8_t tag;\n  union {\n"
                            "    demo_shapes_types_point_t dot;\n    painter_tuple2_point_point_t line;\n"
                            "    painter_string_t label;\n  } val;\n}"));
  EXPECT_TRUE(Has(b.header, "typedef uint8_t demo_shapes_types_unit_t;\n#define DEMO_SHAPES_TYPES_UNIT_PX 0\n"));
  EXPECT_TRUE(Has(b.header, "#define DEMO_SHAPES_TYPES_EDGES_RIGHT (1u << 3)\n"));
  EXPECT_TRUE(Has(b.header, "typedef struct painter_result_list_u8_string_t {\n  bool is_err;\n"));
}

TEST(BindgenC, ChecksEveryLayoutAtCompileTime) {
  CBindings b = Generate();
  EXPECT_TRUE(Has(b.source, "_Static_assert(sizeof(demo_shapes_types_shape_t) == 20 && "
                            "_Alignof(demo_shapes_types_shape_t) == 4"))
      << b.source;
}

TEST(BindgenC, WritesPrototypesForImportsAndExports) {
  CBindings b = Generate();
  EXPECT_TRUE(Has(b.header, "void painter_log(const painter_string_t *msg);\n"));
  EXPECT_TRUE(Has(b.header, "void exports_demo_shapes_draw_paint(const demo_shapes_types_shape_t *s, "
                            "demo_shapes_types_unit_t u, painter_result_list_u8_string_t *ret);\n"));
  EXPECT_TRUE(Has(b.header, "float exports_demo_shapes_draw_measure(const painter_string_t *text);\n"));
  EXPECT_TRUE(Has(b.header, "void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size);"));
}

TEST(BindgenC, UsesTheComponentModelCoreNames) {
  CBindings b = Generate();
  EXPECT_TRUE(Has(b.source, "__attribute__((import_module(\"$root\"), import_name(\"log\")))"));
  EXPECT_TRUE(Has(b.source, "__attribute__((export_name(\"demo:shapes/draw@1.0.0#paint\")))"));
  EXPECT_TRUE(Has(b.source, "__attribute__((export_name(\"cabi_post_demo:shapes/draw@1.0.0#paint\")))"));
  // 17 u64 parameters spill into memory: one pointer.
  EXPECT_TRUE(Has(b.source, "int32_t __wasm_export_demo_shapes_draw_wide(int32_t a0) {"));
}

TEST(BindgenC, EmbedsTheWorldInACustomSection) {
  CBindings b = Generate();
  EXPECT_TRUE(Has(b.source, "__asm__(\".section .custom_section.lazylink.wit,\\\"\\\",@\\n\"\n"))
      << b.source.substr(0, 400);
  EXPECT_TRUE(Has(b.source, "demo:shapes/painter@1.0.0"));
}

TEST(BindgenC, RefusesResources) {
  auto b = GenerateCBindings(
      {"", {{"r.wit", "interface i { resource r; make: func() -> own<r>; } world w { export i; }"}}});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ("bindgen: i#make uses resource handle own<r>: resources are not supported by "
            "lazylink's bindings",
            b.error().Format());
}

TEST(BindgenC, AsksForTheWorldWhenThereAreSeveral) {
  auto b = GenerateCBindings({"", {{"w.wit", "world a {} world b {}"}}});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ("bindgen: the WIT defines 2 worlds: name one with --world", b.error().Format());
}

}  // namespace
}  // namespace lazylink::component
