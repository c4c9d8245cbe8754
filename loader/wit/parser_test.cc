#include "loader/wit/parser.h"

#include <gtest/gtest.h>

namespace lazylink::wit {
namespace {

std::string ParseError(std::string_view text) {
  auto d = ParseDocument("plugin.wit", text);
  return d.ok() ? "" : d.error().Format();
}

TEST(WitParser, AcceptsAFullDocument) {
  auto d = ParseDocument("plugin.wit", R"(
    // A package with everything the value-typed subset has.
    package demo:img@1.2.0;

    use wasi:io/streams@0.2.0 as streams;

    /// Image filters.
    interface filter {
      use types.{size, pixel as px};
      type rows = list<list<u8>>;
      record image { size: size, data: list<u8>, }
      variant outcome { done, failed(string), partial(tuple<u32, u32>) }
      enum mode { fast, %best }
      flags channels { r, g, b, a }
      resource blob { constructor(init: list<u8>); read: func(n: u32) -> list<u8>; merge: static func(a: borrow<blob>) -> blob; }
      @since(version = 1.2.0)
      apply: func(img: image, m: mode) -> result<image, outcome>;
      stats: func() -> (count: u64, mean: f64);
      fixed: func(v: list<f32, 4>) -> option<result<_, string>>;
    }

    world plugin {
      import log: func(msg: string);
      import host: interface { now: func() -> u64; }
      import filter;
      export demo:img/filter@1.2.0;
      include other with { a as b };
    }
  )");
  ASSERT_TRUE(d.ok()) << d.error().Format();
  ASSERT_TRUE(d->package);
  EXPECT_EQ("demo:img@1.2.0", d->package->ToString());
  ASSERT_EQ(1u, d->interfaces.size());
  const InterfaceDecl& f = d->interfaces[0];
  EXPECT_EQ("Image filters.\n", f.docs);
  EXPECT_EQ(1u, f.uses.size());
  EXPECT_EQ("px", f.uses[0].names[1].alias);
  EXPECT_EQ(6u, f.types.size());
  EXPECT_EQ("best", f.types[3].fields[1].name);
  ASSERT_EQ(3u, f.types[5].resource_funcs.size());
  EXPECT_EQ("[constructor]blob", f.types[5].resource_funcs[0].name);
  EXPECT_EQ("[method]blob.read", f.types[5].resource_funcs[1].name);
  EXPECT_EQ("self", f.types[5].resource_funcs[1].params[0].name);
  EXPECT_EQ("[static]blob.merge", f.types[5].resource_funcs[2].name);
  ASSERT_EQ(3u, f.funcs.size());
  EXPECT_EQ(2u, f.funcs[1].results.size());
  EXPECT_EQ(4u, f.funcs[2].params[0].type->length);
  const WorldDecl& w = d->worlds[0];
  ASSERT_EQ(4u, w.externs.size());
  EXPECT_EQ(ExternDecl::Kind::kFunc, w.externs[0].kind);
  EXPECT_EQ(ExternDecl::Kind::kInlineInterface, w.externs[1].kind);
  EXPECT_EQ("filter", w.externs[2].path.ToString());
  EXPECT_FALSE(w.externs[3].is_import);
  EXPECT_EQ("demo:img/filter@1.2.0", w.externs[3].path.ToString());
  EXPECT_EQ("b", w.includes[0].with[0].alias);
}

TEST(WitParser, RejectsWithFileLineAndColumn) {
  EXPECT_EQ("plugin.wit:3:21: expected '>' to close list<...>, found ')'",
            ParseError("package a:b;\ninterface i {\n  f: func(x: list<u8);\n}"));
  EXPECT_EQ("plugin.wit:1:11: expected an interface name, found keyword 'type' (write %type to use "
            "it as a name)",
            ParseError("interface type {}"));
  EXPECT_EQ("plugin.wit:2:1: expected ';' after the function type, found '}'",
            ParseError("interface i { f: func()\n}"));
  EXPECT_EQ("plugin.wit:1:13: expected a semantic version (1.2.3) after '@', found '1.0'",
            ParseError("package a:b@1.0;"));
  EXPECT_EQ("plugin.wit:1:32: expected ',' after 'result<_' (write `result` for no types)",
            ParseError("interface i { type t = result<_>; }"));
  EXPECT_EQ("plugin.wit:1:1: expected 'package', 'use', 'interface' or 'world', found keyword 'record'",
            ParseError("record r { x: u8 }"));
  EXPECT_EQ("plugin.wit:2:1: the package declaration must come first, and only once",
            ParseError("interface i {}\npackage a:b;"));
  EXPECT_EQ("plugin.wit:1:15: expected '}' to close interface 'i'", ParseError("interface i { "));
  EXPECT_EQ("plugin.wit:1:26: 'stream' (async) types are not supported",
            ParseError("interface i { f: func(s: stream<u8>); }"));
  EXPECT_EQ("plugin.wit:1:33: fixed-length list length 0 is not in 1..4294967295",
            ParseError("interface i { type t = list<u8, 0>; }"));
  EXPECT_EQ("plugin.wit:1:18: async functions are not supported",
            ParseError("interface i { f: async func(); }"));
}

TEST(WitParser, NestingIsBounded) {
  std::string deep = "interface i { type t = ";
  for (int i = 0; i < 200; ++i) deep += "list<";
  deep += "u8";
  for (int i = 0; i < 200; ++i) deep += ">";
  deep += "; }";
  EXPECT_NE(std::string::npos, ParseError(deep).find("types nested deeper than 100"));
}

TEST(WitParser, ValueTypeSyntaxOfTheVectors) {
  for (const char* ok : {"record{x: u8, y: u16, z: u32}", "variant{x(u8), y(f32), z}",
                         "variant{a: u8, b}", "flags{0, 1, 2}", "enum{a, b}", "result<_, _>",
                         "result<u32, _>", "list<list<u8, 2>, 3>", "map<string, u32>"}) {
    auto t = ParseValueTypeExpr("<type>", ok);
    EXPECT_TRUE(t.ok()) << ok << ": " << t.error().Format();
  }
  EXPECT_EQ("<type>:1:12: expected end of type, found '>'",
            ParseValueTypeExpr("<type>", "list<u8, 2>>").error().Format());
  // The anonymous compound forms are not WIT.
  EXPECT_EQ("plugin.wit:1:24: expected a type, found keyword 'record'",
            ParseError("interface i { type t = record{x: u8}; }"));
}

}  // namespace
}  // namespace lazylink::wit
