#include <catch2/catch.hpp>

#include "lagesbild/core/rate_limit.h"

using namespace lagesbild;

TEST_CASE("a token bucket allows its burst, then its rate") {
  TokenBucket bucket(10, 5);  // 10 a second, 5 at once
  int taken = 0;
  for (int i = 0; i < 20; ++i) taken += bucket.Take(1000);
  CHECK(taken == 5);
  CHECK_FALSE(bucket.Take(1050));  // half a token
  CHECK(bucket.Take(1100));        // one token after 100 ms
  CHECK_FALSE(bucket.Take(1100));
  // A long pause refills it only up to the burst.
  taken = 0;
  for (int i = 0; i < 20; ++i) taken += bucket.Take(100000);
  CHECK(taken == 5);
  // Time going backwards gives nothing for free.
  CHECK_FALSE(bucket.Take(50000));
}

TEST_CASE("refusals beyond the budget are counted into one summary per user and minute") {
  RefusalBudget budget(3);
  int stored = 0;
  for (int i = 0; i < 100; ++i) stored += budget.Admit("viewer-1", "live", i % 2 ? "post_message" : "report_capacity", 1000 + i);
  CHECK(stored == 3);
  CHECK(budget.Admit("viewer-2", "live", "post_message", 1200));  // another user has its own
  CHECK(budget.TakeEnded(30000).empty());                          // the minute is not over
  auto ended = budget.TakeEnded(61000);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].user == "viewer-1");
  CHECK(ended[0].count == 97);
  CHECK(ended[0].from == 1003);
  CHECK(ended[0].to == 1099);
  CHECK(ended[0].commands == "post_message,report_capacity");
  CHECK(budget.TakeEnded(200000).empty());  // taken once

  // A new minute starts a new budget; the old minute's count is kept until taken.
  for (int i = 0; i < 5; ++i) budget.Admit("viewer-1", "live", "acknowledge", 300000);
  for (int i = 0; i < 5; ++i) stored += budget.Admit("viewer-1", "live", "acknowledge", 360000);
  ended = budget.TakeEnded(360001);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].count == 2);
  CHECK(ended[0].to == 300000);
}

TEST_CASE("failed sign-ins lock an address out, longer each time, within bounded memory") {
  SignInThrottle throttle(3, 60000, 2);
  CHECK_FALSE(throttle.Failed("10.0.0.1", 0));
  CHECK_FALSE(throttle.Failed("10.0.0.1", 1000));
  CHECK_FALSE(throttle.LockedUntil("10.0.0.1", 1000));
  CHECK(throttle.Failed("10.0.0.1", 2000));  // the third within the minute
  CHECK(throttle.LockedUntil("10.0.0.1", 2000) == 62000);
  CHECK_FALSE(throttle.LockedUntil("10.0.0.2", 2000));  // others are not affected
  CHECK_FALSE(throttle.LockedUntil("10.0.0.1", 62000));
  // Going on right after: the next lockout is twice as long.
  throttle.Failed("10.0.0.1", 62000);
  throttle.Failed("10.0.0.1", 62001);
  CHECK(throttle.Failed("10.0.0.1", 62002));
  CHECK(throttle.LockedUntil("10.0.0.1", 62002) == 62002 + 120000);
  // Failures spread out (fewer than three a minute) never lock.
  for (TimeMs t = 0; t < 10 * 60000; t += 31000) CHECK_FALSE(throttle.Failed("10.0.0.3", 10000000 + t));
  // Many addresses: only two remembered, the oldest forgotten.
  throttle.Failed("10.0.0.4", 20000000);
  throttle.Failed("10.0.0.5", 20000001);
  CHECK(throttle.remembered() == 2);
}
