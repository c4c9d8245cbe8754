#include "loader/link/region_allocator.h"

#include <gtest/gtest.h>

namespace lazylink::link {
namespace {

TEST(RegionAllocator, AlignsAndFillsFirstFit) {
  RegionAllocator a;
  a.AddRange(100, 1000);
  EXPECT_EQ(112u, *a.Allocate(10, 16));   // 100 rounded up to 16
  EXPECT_EQ(100u, *a.Allocate(12, 1));    // fills the gap the alignment left
  EXPECT_EQ(122u, *a.Allocate(4, 1));     // then right after the first region
  EXPECT_EQ(1024u, *a.Allocate(64, 1024));
  EXPECT_EQ(1088u, a.HighWater());
  EXPECT_FALSE(a.Allocate(2000, 1).has_value());
}

TEST(RegionAllocator, FreeMergesNeighboursAndReuses) {
  RegionAllocator a;
  a.AddRange(0, 100);
  uint64_t x = *a.Allocate(30, 1);
  uint64_t y = *a.Allocate(30, 1);
  uint64_t z = *a.Allocate(30, 1);
  EXPECT_TRUE(a.Free(y));
  EXPECT_FALSE(a.Free(y));  // twice
  EXPECT_TRUE(a.Free(x));
  EXPECT_EQ(0u, *a.Allocate(60, 1));  // x and y merged back together
  EXPECT_TRUE(a.Free(z));
  EXPECT_EQ(40u, a.FreeTotal());
}

TEST(RegionAllocator, ZeroSizedRegionsHaveIdentity) {
  RegionAllocator a;
  a.AddRange(8, 8);
  uint64_t p = *a.Allocate(0, 1);
  uint64_t q = *a.Allocate(0, 1);
  EXPECT_NE(p, q);
  EXPECT_EQ(1u, a.SizeOf(p));
}

TEST(RegionAllocator, TruncateStopsHandingOutSpaceAbove) {
  RegionAllocator a;
  a.AddRange(0, 1000);
  uint64_t p = *a.Allocate(100, 1);
  a.TruncateAt(200);
  EXPECT_FALSE(a.Allocate(150, 1).has_value());
  EXPECT_EQ(100u, *a.Allocate(100, 1));
  EXPECT_TRUE(a.Free(p));
  EXPECT_EQ(100u, a.FreeTotal());
}

TEST(RegionAllocator, RejectsNonPowerOfTwoAlignment) {
  RegionAllocator a;
  a.AddRange(0, 100);
  EXPECT_FALSE(a.Allocate(1, 3).has_value());
}

}  // namespace
}  // namespace lazylink::link
