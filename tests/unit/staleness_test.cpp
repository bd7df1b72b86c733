#include <catch2/catch.hpp>

#include "lagesbild/core/core.h"
#include "lagesbild/core/staleness.h"
#include "test_support.h"

using namespace lagesbild;
using testing::SmallConfig;

namespace {

using testing::kMinute;

void Accept(SpaceState& state, Command command) {
  Decision decision = Decide(SmallConfig(), state, command);
  REQUIRE(decision.ok());
  for (const Event& event : decision.events) REQUIRE_FALSE(Apply(SmallConfig(), state, event));
}

}  // namespace

TEST_CASE("the small configuration's limits: 30 min in normalläge, stricter when higher") {
  CHECK(SmallConfig().stale_minutes_by_level == std::array<int, 4>{30, 30, 30, 15});
}

TEST_CASE("never-reported figures are overdue, and reported ones once past the limit") {
  SpaceState state = InitialState(SmallConfig(), kLiveSpace, false);
  Staleness fresh = EvaluateStaleness(SmallConfig(), state, 0, 0);
  // "big" has AdultICU and MedicalSurgical beds; types without capacity are not expected.
  CHECK(fresh.overdue == std::vector<std::string>{"beds.AdultICU", "beds.MedicalSurgical",
                                                  "reception.P1", "reception.P2", "reception.P3",
                                                  "ed_status"});
  CHECK_FALSE(fresh.stale);  // nothing reported, so nothing has gone stale

  Accept(state, testing::Report("big", BedType::kAdultICU, 3, 100 * kMinute));
  const auto at = [&](TimeMs now) { return EvaluateStaleness(SmallConfig(), state, 0, now); };
  CHECK(at(130 * kMinute).overdue.front() == "beds.MedicalSurgical");
  CHECK_FALSE(at(130 * kMinute).stale);
  CHECK(at(130 * kMinute + 1).overdue.front() == "beds.AdultICU");
  CHECK(at(130 * kMinute + 1).stale);
}

TEST_CASE("the limit follows the higher of the hospital's and the region's readiness level") {
  SpaceState state = InitialState(SmallConfig(), kLiveSpace, false);
  Accept(state, testing::Report("big", BedType::kAdultICU, 3, 0));
  CHECK(EffectiveLevel(SmallConfig(), state, 0) == ReadinessLevel::kNormal);
  CHECK_FALSE(EvaluateStaleness(SmallConfig(), state, 0, 20 * kMinute).stale);
  Accept(state, Command{testing::Admin(), 1, SetRegionReadiness{"north", ReadinessLevel::kDisaster}});
  CHECK(EffectiveLevel(SmallConfig(), state, 0) == ReadinessLevel::kDisaster);
  CHECK(EvaluateStaleness(SmallConfig(), state, 0, 20 * kMinute).stale);  // 15 min in katastrofläge
  CHECK(EffectiveLevel(SmallConfig(), state, 2) == ReadinessLevel::kNormal);  // other region
}

TEST_CASE("freshness gives each expected figure's due time, so a client needs no rule") {
  SpaceState state = InitialState(SmallConfig(), kLiveSpace, false);
  Accept(state, testing::Report("big", BedType::kAdultICU, 3, 100 * kMinute));
  Freshness f = EvaluateFreshness(SmallConfig(), state, 0);
  CHECK(f.level == ReadinessLevel::kNormal);
  CHECK(f.limit_minutes == 30);
  REQUIRE(f.due.size() == 6);
  CHECK(f.due[0] == std::pair<std::string_view, std::optional<TimeMs>>{"beds.AdultICU", 130 * kMinute});
  CHECK(f.due[1].first == "beds.MedicalSurgical");
  CHECK_FALSE(f.due[1].second);  // never reported
  CHECK(f.stale_at == 130 * kMinute);
  // A higher regional level shortens the limit and brings the due times forward.
  Accept(state, Command{testing::Admin(), 101 * kMinute,
                        SetRegionReadiness{"north", ReadinessLevel::kDisaster}});
  f = EvaluateFreshness(SmallConfig(), state, 0);
  CHECK(f.level == ReadinessLevel::kDisaster);
  CHECK(f.limit_minutes == 15);
  CHECK(f.stale_at == 115 * kMinute);
  CHECK_FALSE(EvaluateFreshness(SmallConfig(), InitialState(SmallConfig(), kLiveSpace, false), 0).stale_at);
}

TEST_CASE("stale limits by level are configurable and never laxer than normal") {
  auto config = ParseConfig(R"({"healthcare_region": {"id": "x", "name": "X"},
      "stale_after_minutes": 40, "stale_after_minutes_by_level": {"staff": 20},
      "regions": [{"id": "r", "name": "R", "hospitals": [{"id": "h", "name": "H"}]}]})", "c.json");
  REQUIRE(config.ok());
  CHECK(config->stale_minutes_by_level == std::array<int, 4>{40, 20, 30, 15});
  auto lax = ParseConfig(R"({"healthcare_region": {"id": "x", "name": "X"},
      "stale_after_minutes": 40, "stale_after_minutes_by_level": {"disaster": 90},
      "regions": [{"id": "r", "name": "R", "hospitals": [{"id": "h", "name": "H"}]}]})", "c.json");
  CHECK(lax.error().message == "c.json: $.stale_after_minutes_by_level.disaster: must be an integer from 1 to 40");
}
