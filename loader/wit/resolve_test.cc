#include "loader/wit/resolve.h"

#include <gtest/gtest.h>

#include "loader/cabi/abi.h"

namespace lazylink::wit {
namespace {

using cabi::TypeKind;

std::string ResolveError(std::string_view text) {
  auto r = ParseWit({{"plugin.wit", std::string(text)}});
  return r.ok() ? "" : r.error().Format();
}

const Function* Find(const Interface& i, std::string_view name) {
  for (const Function& f : i.functions)
    if (f.name == name) return &f;
  return nullptr;
}

constexpr const char* kTypes = R"(
package demo:img@1.0.0;

interface types {
  record size { width: u32, height: u32 }
  type pixel = tuple<u8, u8, u8>;
}

interface filter {
  use types.{size, pixel as px};
  // Forward reference: image is defined below.
  apply: func(img: image, factor: f32) -> result<image, error>;
  record image { size: size, pixels: list<px> }
  variant error { too-big(size), unsupported }
  enum mode { fast, best }
  flags channels { r, g, b }
  type modes = list<mode>;
  resource blob { read: func(n: u32) -> list<u8>; }
  tune: func(m: modes, c: channels) -> (ok: bool, note: option<string>);
}

world plugin {
  import log: func(msg: string);
  import host: interface { now: func() -> u64; }
  import types;
  export filter;
}

world bigger {
  include plugin with { log as trace };
  export extra: func();
}
)";

TEST(WitResolve, ResolvesUsesAliasesAndForwardReferences) {
  auto r = ParseWit({{"plugin.wit", kTypes}});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const Interface* filter = r->FindInterface("demo:img/filter");
  ASSERT_NE(nullptr, filter);
  EXPECT_EQ("demo:img/filter@1.0.0", filter->QualifiedName());
  const cabi::TypeArena& a = *r->arena;
  const Function* apply = Find(*filter, "apply");
  ASSERT_NE(nullptr, apply);
  EXPECT_EQ("func(img: record image, factor: f32) -> result<record image, variant error>",
            cabi::FuncTypeToString(a, apply->type));
  const cabi::TypeNode& image = a.Get(apply->type.params[0].type);
  ASSERT_EQ(TypeKind::kRecord, image.kind);
  // `px` is the alias of types.pixel: the same tuple type.
  const cabi::TypeNode& pixels = a.Get(image.fields[1].type);
  EXPECT_EQ("tuple<u8, u8, u8>", cabi::TypeToString(a, pixels.element));
  EXPECT_EQ("plugin.wit:12:3", apply->where);
  const Function* tune = Find(*filter, "tune");
  ASSERT_NE(nullptr, tune);
  EXPECT_EQ("func(m: list<enum mode>, c: flags channels) -> (ok: bool, note: option<string>)",
            cabi::FuncTypeToString(a, tune->type));
  // Resource sugar is kept, with a borrow<blob> self, so the linker can reject it.
  const Function* read = Find(*filter, "[method]blob.read");
  ASSERT_NE(nullptr, read);
  EXPECT_EQ("borrow<blob>", cabi::FindHandle(a, read->type).value_or(""));
  EXPECT_EQ(std::vector<std::string>{"blob"}, filter->resources);
}

TEST(WitResolve, WorldsListImportsAndExports) {
  auto r = ParseWit({{"plugin.wit", kTypes}});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const World* w = r->FindWorld("plugin");
  ASSERT_NE(nullptr, w);
  ASSERT_EQ(3u, w->imports.size());
  EXPECT_EQ(WorldItem::Kind::kFunction, w->imports[0].kind);
  EXPECT_EQ("log", w->imports[0].name);
  EXPECT_EQ("host", w->imports[1].name);
  EXPECT_EQ("now", r->interfaces[w->imports[1].interface].functions[0].name);
  EXPECT_EQ("demo:img/types@1.0.0", w->imports[2].name);
  ASSERT_EQ(1u, w->exports.size());
  EXPECT_EQ("demo:img/filter@1.0.0", w->exports[0].name);
  const World* big = r->FindWorld("demo:img/bigger");
  ASSERT_NE(nullptr, big);
  EXPECT_EQ("trace", big->imports[0].name);
  EXPECT_EQ(2u, big->exports.size());
}

TEST(WitResolve, ImportAgainstExportMismatchNamesThePlace) {
  auto host = ParseWit({{"host.wit", "package a:b; interface i { record size { w: u32, height: u16 } "
                                     "f: func(s: size); }"}});
  auto guest = ParseWit({{"guest.wit", "package a:b; interface i { record size { w: u32, height: u32 } "
                                       "f: func(s: size); }"}});
  ASSERT_TRUE(host.ok() && guest.ok());
  auto m = cabi::CompareFuncTypes(*host->arena, host->interfaces[0].functions[0].type,
                                  *guest->arena, guest->interfaces[0].functions[0].type);
  ASSERT_TRUE(m);
  EXPECT_EQ("param 0 \"s\": field \"height\": u16 vs u32", m->Format());
}

TEST(WitResolve, PackagesReferToEachOther) {
  auto r = ParseWit({{"dep.wit", "package wasi:clocks@0.2.0; interface wall { record dt { s: u64 } }"},
                     {"main.wit", "package my:app; interface api { use wasi:clocks/wall@0.2.0.{dt}; "
                                  "now: func() -> dt; }"}});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const Interface* api = r->FindInterface("my:app/api");
  ASSERT_NE(nullptr, api);
  EXPECT_EQ("func() -> record dt", cabi::FuncTypeToString(*r->arena, api->functions[0].type));
}

TEST(WitResolve, RejectsWithPositions) {
  EXPECT_EQ("plugin.wit:1:33: unknown type 'bar' in interface 'i'",
            ResolveError("interface i { f: func() -> list<bar>; }"));
  EXPECT_EQ("plugin.wit:1:15: type 'foo' refers to itself",
            ResolveError("interface i { type foo = foo; }"));
  EXPECT_EQ("plugin.wit:1:15: type 'a' refers to itself",
            ResolveError("interface i { record a { b: b } record b { a: a } }"));
  EXPECT_EQ("plugin.wit:1:28: 't' is defined twice in interface 'i' (first at plugin.wit:1:15)",
            ResolveError("interface i { type t = u8; type t = u16; }"));
  EXPECT_EQ("plugin.wit:1:19: no interface 'missing' in this package",
            ResolveError("interface i { use missing.{t}; }"));
  EXPECT_EQ("plugin.wit:1:19: package wasi:io is not loaded (needed for 'wasi:io/streams')",
            ResolveError("interface i { use wasi:io/streams.{t}; }"));
  EXPECT_EQ("plugin.wit:1:45: 'r' is not a resource, so it cannot be borrowed",
            ResolveError("interface i { record r { x: u8 } f: func(x: borrow<r>); }"));
  EXPECT_EQ("plugin.wit:1:15: 'r': record needs at least one field",
            ResolveError("interface i { record r { } }"));
  EXPECT_EQ("plugin.wit:1:30: 'x' is used twice in function 'f'",
            ResolveError("interface i { f: func(x: u8, x: u8); }"));
  EXPECT_EQ("plugin.wit:1:29: world 'w' imports 'f' twice",
            ResolveError("world w { import f: func(); import f: func(); }"));
  EXPECT_EQ("plugin.wit:1:20: 'enum' is defined twice",
            ResolveError("interface %enum {} world %enum {}"));
}

TEST(WitResolve, ValueTypesOfTheVectors) {
  cabi::TypeArena arena;
  auto t = ParseValueType("record{x: u8, y: u16, z: u32}", &arena);
  ASSERT_TRUE(t.ok()) << t.error().Format();
  EXPECT_EQ(8u, cabi::ElemSize(arena, *t, cabi::AddrType::kI32));
  EXPECT_EQ("<type>:1:6: unknown type 'point'", ParseValueType("list<point>", &arena).error().Format());
  EXPECT_EQ("<type>:1:1: record field \"x\" is defined twice",
            ParseValueType("record{x: u8, x: u8}", &arena).error().Format());
}

}  // namespace
}  // namespace lazylink::wit
