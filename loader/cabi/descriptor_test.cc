#include "loader/cabi/descriptor.h"

#include <gtest/gtest.h>

namespace lazylink::cabi {
namespace {

TEST(Descriptor, PrimitivesAreNamesAndCompoundsAreIndices) {
  TypeArena a;
  DescriptorBuilder d(a);
  TypeId bytes = *a.AddList(a.Primitive(TypeKind::kU8));
  TypeId point = *a.AddRecord({{"x", a.Primitive(TypeKind::kS32)}, {"data", bytes}}, "point");
  TypeId res = *a.AddResult(point, kNoType);
  EXPECT_EQ("\"u8\"", d.Ref(a.Primitive(TypeKind::kU8)));
  EXPECT_EQ("2", d.Ref(res));
  EXPECT_EQ("1", d.Ref(point));  // already in the table: same index
  EXPECT_EQ(
      "[{\"k\":\"list\",\"t\":\"u8\"},"
      "{\"k\":\"record\",\"name\":\"point\",\"fields\":[[\"x\",\"s32\"],[\"data\",0]]},"
      "{\"k\":\"result\",\"ok\":1,\"err\":null}]",
      d.Types());
}

TEST(Descriptor, EveryKind) {
  TypeArena a;
  DescriptorBuilder d(a);
  TypeId u8 = a.Primitive(TypeKind::kU8);
  std::vector<TypeId> ids = {
      *a.AddList(u8, 4), *a.AddTuple({u8, u8}), *a.AddVariant({{"a", u8}, {"b", kNoType}}),
      *a.AddEnum({"x"}), *a.AddFlags({"r", "w"}), *a.AddOption(u8), *a.AddMap(u8, u8),
      *a.AddHandle(TypeKind::kBorrow, "blob")};
  for (TypeId id : ids) d.Ref(id);
  EXPECT_EQ(
      "[{\"k\":\"list\",\"t\":\"u8\",\"n\":4},{\"k\":\"tuple\",\"ts\":[\"u8\",\"u8\"]},"
      "{\"k\":\"variant\",\"cases\":[[\"a\",\"u8\"],[\"b\",null]]},{\"k\":\"enum\",\"labels\":[\"x\"]},"
      "{\"k\":\"flags\",\"labels\":[\"r\",\"w\"]},{\"k\":\"option\",\"t\":\"u8\"},"
      "{\"k\":\"map\",\"key\":\"u8\",\"value\":\"u8\"},{\"k\":\"borrow\",\"resource\":\"blob\"}]",
      d.Types());
}

TEST(Descriptor, FunctionsAndEscaping) {
  TypeArena a;
  DescriptorBuilder d(a);
  FuncType f{{{"s", a.Primitive(TypeKind::kString)}}, {{"", a.Primitive(TypeKind::kBool)}}};
  EXPECT_EQ("{\"params\":[[\"s\",\"string\"]],\"results\":[[null,\"bool\"]]}", d.Func(f));
  EXPECT_EQ("\"a\\\"b\\\\c\\n\\u0001\"", JsonString("a\"b\\c\n\x01"));
}

}  // namespace
}  // namespace lazylink::cabi
