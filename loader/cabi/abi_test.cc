#include "loader/cabi/abi.h"

#include <gtest/gtest.h>

namespace lazylink::cabi {
namespace {

std::string Flat(const TypeArena& arena, TypeId id, AddrType addr = AddrType::kI32) {
  std::string out;
  for (CoreType t : FlattenType(arena, id, addr)) out += std::string(out.empty() ? "" : " ") + CoreTypeName(t);
  return out;
}

TEST(Abi, DiscriminantSizes) {
  EXPECT_EQ(1u, DiscriminantSize(1));
  EXPECT_EQ(1u, DiscriminantSize(256));
  EXPECT_EQ(2u, DiscriminantSize(257));
  EXPECT_EQ(2u, DiscriminantSize(65536));
  EXPECT_EQ(4u, DiscriminantSize(65537));
}

TEST(Abi, VariantPayloadsJoin) {
  TypeArena a;
  TypeId v = *a.AddVariant({{"a", a.Primitive(TypeKind::kF32)}, {"b", a.Primitive(TypeKind::kU32)}});
  EXPECT_EQ("i32 i32", Flat(a, v));
  TypeId w = *a.AddVariant({{"a", a.Primitive(TypeKind::kF64)}, {"b", a.Primitive(TypeKind::kF32)}});
  EXPECT_EQ("i32 i64", Flat(a, w));
  EXPECT_EQ(16u, ElemSize(a, w, AddrType::kI32));
  EXPECT_EQ(8u, Alignment(a, w, AddrType::kI32));
}

TEST(Abi, StringsAndListsFollowTheAddressType) {
  TypeArena a;
  TypeId s = a.Primitive(TypeKind::kString);
  EXPECT_EQ(8u, ElemSize(a, s, AddrType::kI32));
  EXPECT_EQ(16u, ElemSize(a, s, AddrType::kI64));
  EXPECT_EQ("i64 i64", Flat(a, s, AddrType::kI64));
  TypeId m = *a.AddMap(s, a.Primitive(TypeKind::kU8));
  EXPECT_EQ(8u, Alignment(a, m, AddrType::kI64));
}

TEST(Abi, FlagsSizes) {
  TypeArena a;
  auto flags = [&](int n) {
    std::vector<std::string> l;
    for (int i = 0; i < n; ++i) l.push_back("f" + std::to_string(i));
    return *a.AddFlags(l);
  };
  EXPECT_EQ(1u, ElemSize(a, flags(8), AddrType::kI32));
  EXPECT_EQ(2u, ElemSize(a, flags(9), AddrType::kI32));
  EXPECT_EQ(4u, ElemSize(a, flags(17), AddrType::kI32));
  EXPECT_EQ("i32", Flat(a, flags(32)));
}

TEST(Abi, FuncTypeSpillsWithoutMaterializingHugeLists) {
  TypeArena a;
  TypeId huge = *a.AddList(a.Primitive(TypeKind::kU8), 100000000);
  EXPECT_EQ(100000000u, FlatCount(a, huge));
  FuncType f{{{"data", huge}}, {{"", huge}}};
  CoreFuncType lift = FlattenFuncType(a, f, AddrType::kI32, FlattenContext::kLift);
  EXPECT_EQ("(i32) -> (i32)", CoreFuncTypeToString(lift));
  CoreFuncType lower = FlattenFuncType(a, f, AddrType::kI64, FlattenContext::kLower);
  EXPECT_EQ("(i64, i64) -> ()", CoreFuncTypeToString(lower));
}

TEST(Abi, SixteenFlatParamsStayFlat) {
  TypeArena a;
  FuncType f;
  for (int i = 0; i < 16; ++i) f.params.push_back({"p" + std::to_string(i), a.Primitive(TypeKind::kU8)});
  EXPECT_EQ(16u, FlattenFuncType(a, f, AddrType::kI32, FlattenContext::kLift).params.size());
  f.params.push_back({"p16", a.Primitive(TypeKind::kU8)});
  EXPECT_EQ("(i32) -> ()", CoreFuncTypeToString(FlattenFuncType(a, f, AddrType::kI32, FlattenContext::kLift)));
}

}  // namespace
}  // namespace lazylink::cabi
