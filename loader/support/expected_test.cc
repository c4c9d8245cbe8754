#include "loader/support/expected.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace lazylink {
namespace {

Expected<int> Half(int x) {
  if (x % 2 != 0) return Error("math/half", Msg("odd value ", x), 0x1a);
  return x / 2;
}

Expected<std::vector<int>> Quarters(int x) {
  LL_TRY(int h, Half(x));
  LL_TRY(int q, Half(h));
  return std::vector<int>{h, q};
}

Status Check(int x) {
  LL_TRY(auto v, Quarters(x));
  if (v.size() != 2) return Error("", "unexpected");
  return Ok{};
}

TEST(Expected, CarriesValueThroughTry) {
  auto r = Quarters(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((std::vector<int>{4, 2}), *r);
}

TEST(Expected, PropagatesFirstError) {
  auto r = Quarters(6);  // 6 -> 3 -> odd
  ASSERT_FALSE(r.ok());
  EXPECT_EQ("math/half: odd value 3 (at offset 0x1a)", r.error().Format());
  EXPECT_FALSE(Check(6).ok());
  EXPECT_TRUE(Check(4).ok());
}

TEST(Expected, FormatsWithoutOffsetOrContext) {
  EXPECT_EQ("plain", Error("", "plain").Format());
  Error e("dylink.0", "bad");
  e.Within("libfoo.wasm");
  EXPECT_EQ("libfoo.wasm: dylink.0: bad", e.Format());
}

TEST(Expected, HoldsMoveOnlyValues) {
  Expected<std::unique_ptr<int>> p(std::make_unique<int>(7));
  ASSERT_TRUE(p.ok());
  std::unique_ptr<int> taken = std::move(p).value();
  EXPECT_EQ(7, *taken);
}

}  // namespace
}  // namespace lazylink
