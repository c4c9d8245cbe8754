#include "loader/cabi/types.h"

#include <gtest/gtest.h>

namespace lazylink::cabi {
namespace {

class Types : public ::testing::Test {
 protected:
  TypeId P(TypeKind k) { return arena.Primitive(k); }
  TypeId Must(Expected<TypeId> id) {
    EXPECT_TRUE(id.ok()) << id.error().Format();
    return id.ok() ? *id : kNoType;
  }
  TypeArena arena;
};

TEST_F(Types, PrimitivesArePreallocated) {
  EXPECT_EQ(0u, P(TypeKind::kBool));
  EXPECT_EQ(TypeKind::kString, arena.Get(P(TypeKind::kString)).kind);
  EXPECT_EQ("string", TypeToString(arena, P(TypeKind::kString)));
}

TEST_F(Types, RejectsInvalidNodes) {
  EXPECT_EQ("record needs at least one field", arena.AddRecord({}).error().message);
  EXPECT_EQ("record field \"x\" is defined twice",
            arena.AddRecord({{"x", P(TypeKind::kU8)}, {"x", P(TypeKind::kU8)}}).error().message);
  std::vector<std::string> labels;
  for (int i = 0; i < 33; ++i) labels.push_back("f" + std::to_string(i));
  EXPECT_EQ("flags with 33 labels: the Canonical ABI allows at most 32",
            arena.AddFlags(labels).error().message);
  EXPECT_EQ("list refers to an unknown type", arena.AddList(12345).error().message);
  TypeId big = Must(arena.AddList(P(TypeKind::kU64), 65536));
  EXPECT_EQ("list is larger than 4294967295 bytes", arena.AddList(big, 65536).error().message);
  EXPECT_EQ("own needs a resource name", arena.AddHandle(TypeKind::kOwn, "").error().message);
}

TEST_F(Types, PrintsWitLikeText) {
  TypeId point = Must(arena.AddRecord({{"x", P(TypeKind::kU32)}, {"y", P(TypeKind::kU32)}}, "point"));
  TypeId anon = Must(arena.AddRecord({{"x", P(TypeKind::kU8)}}));
  TypeId v = Must(arena.AddVariant({{"a", P(TypeKind::kU8)}, {"b", kNoType}}));
  EXPECT_EQ("record point", TypeToString(arena, point));
  EXPECT_EQ("record{x: u8}", TypeToString(arena, anon));
  EXPECT_EQ("variant{a(u8), b}", TypeToString(arena, v));
  EXPECT_EQ("result<_, list<u8, 4>>",
            TypeToString(arena, Must(arena.AddResult(kNoType, Must(arena.AddList(P(TypeKind::kU8), 4))))));
  EXPECT_EQ("result", TypeToString(arena, Must(arena.AddResult(kNoType, kNoType))));
  FuncType f{{{"p", point}}, {{"", Must(arena.AddOption(P(TypeKind::kString)))}}};
  EXPECT_EQ("func(p: record point) -> option<string>", FuncTypeToString(arena, f));
}

TEST_F(Types, StructuralEqualityIgnoresTypeNamesAcrossArenas) {
  TypeArena other;
  TypeId a = Must(arena.AddRecord({{"x", P(TypeKind::kU8)}}, "a"));
  auto b = other.AddRecord({{"x", other.Primitive(TypeKind::kU8)}}, "b");
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(CompareTypes(arena, a, other, *b));
}

TEST_F(Types, MismatchNamesTheFirstDifferingPlace) {
  TypeArena other;
  auto size = [](TypeArena& ar, TypeKind h) {
    return *ar.AddRecord({{"width", ar.Primitive(TypeKind::kU32)}, {"height", ar.Primitive(h)}}, "size");
  };
  TypeId here = Must(arena.AddList(size(arena, TypeKind::kU16)));
  TypeId there = *other.AddList(size(other, TypeKind::kU32));
  auto m = CompareTypes(arena, here, other, there);
  ASSERT_TRUE(m);
  EXPECT_EQ("list element: field \"height\": u16 vs u32", m->Format());

  TypeId r2 = Must(arena.AddResult(P(TypeKind::kU8), kNoType));
  TypeId r3 = *other.AddResult(other.Primitive(TypeKind::kU8), other.Primitive(TypeKind::kString));
  EXPECT_EQ("err: none vs string", CompareTypes(arena, r2, other, r3)->Format());

  TypeId v3 = Must(arena.AddVariant({{"ok", kNoType}, {"err", kNoType}, {"retry", kNoType}}));
  TypeId v2 = *other.AddVariant({{"ok", kNoType}, {"retry", kNoType}});
  EXPECT_EQ("cases: 3 vs 2 (case \"err\" missing)", CompareTypes(arena, v3, other, v2)->Format());
  TypeId e = Must(arena.AddEnum({"a", "b"}));
  TypeId e2 = *other.AddEnum({"a", "c"});
  EXPECT_EQ("case 1: \"b\" vs \"c\"", CompareTypes(arena, e, other, e2)->Format());
  TypeId fixed = Must(arena.AddList(P(TypeKind::kU8), 4));
  EXPECT_EQ("list<u8, 4> vs list<u8>",
            CompareTypes(arena, fixed, other, *other.AddList(other.Primitive(TypeKind::kU8)))->Format());
}

TEST_F(Types, FunctionMismatchNamesTheParameter) {
  TypeArena other;
  TypeId rows = Must(arena.AddList(P(TypeKind::kU16)));
  FuncType f{{{"image", P(TypeKind::kString)}, {"rows", rows}}, {}};
  FuncType g{{{"image", other.Primitive(TypeKind::kString)},
              {"rows", *other.AddList(other.Primitive(TypeKind::kU32))}},
             {}};
  EXPECT_EQ("param 1 \"rows\": list element: u16 vs u32", CompareFuncTypes(arena, f, other, g)->Format());
  FuncType h{{{"img", P(TypeKind::kString)}, {"rows", rows}}, {}};
  EXPECT_EQ("param 0: \"image\" vs \"img\"", CompareFuncTypes(arena, f, arena, h)->Format());
  FuncType r{{{"image", P(TypeKind::kString)}, {"rows", rows}}, {{"", P(TypeKind::kBool)}}};
  EXPECT_EQ("results: 0 vs 1", CompareFuncTypes(arena, f, arena, r)->Format());
  EXPECT_FALSE(CompareFuncTypes(arena, f, arena, f));
}

TEST_F(Types, FindsResourceHandles) {
  TypeId h = Must(arena.AddHandle(TypeKind::kBorrow, "blob"));
  TypeId opt = Must(arena.AddOption(Must(arena.AddTuple({P(TypeKind::kU8), h}))));
  EXPECT_EQ("borrow<blob>", FindHandle(arena, opt).value_or(""));
  EXPECT_FALSE(FindHandle(arena, Must(arena.AddList(P(TypeKind::kU8)))));
}

}  // namespace
}  // namespace lazylink::cabi
