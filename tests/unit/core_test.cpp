#include <catch2/catch.hpp>

#include "lagesbild/core/core.h"
#include "test_support.h"

using namespace lagesbild;
using testing::Report;
using testing::SmallConfig;

namespace {

SpaceState Fresh() { return InitialState(SmallConfig(), kLiveSpace, false); }

// Decides and applies, as the engine does; fails the test on a rejection.
void Accept(SpaceState& state, const Command& command, std::vector<Event>* log = nullptr) {
  Decision decision = Decide(SmallConfig(), state, command);
  REQUIRE(decision.ok());
  for (const Event& event : decision.events) {
    REQUIRE_FALSE(Apply(SmallConfig(), state, event));
    if (log) log->push_back(event);
  }
}

Error Rejection(const SpaceState& state, const Command& command) {
  Decision decision = Decide(SmallConfig(), state, command);
  REQUIRE_FALSE(decision.ok());
  CHECK(decision.events.empty());
  return *decision.error;
}

const HospitalState& Hospital(const SpaceState& state, const std::string& id) {
  return state.hospitals[*SmallConfig().FindHospital(id)];
}

}  // namespace

TEST_CASE("a new space holds the configured baselines and nothing reported") {
  const SpaceState state = Fresh();
  CHECK(state.seq == 0);
  const auto& big = Hospital(state, "big");
  CHECK(big.beds[Index(BedType::kAdultICU)].baseline == 10);
  CHECK(big.beds[Index(BedType::kAdultICU)].surge24h == 4);
  CHECK_FALSE(big.beds[Index(BedType::kAdultICU)].available);
  CHECK_FALSE(big.LastReportedAt());
  CHECK(big.readiness.value == ReadinessLevel::kNormal);
  CHECK(state.regions[0].readiness.value == ReadinessLevel::kNormal);
}

TEST_CASE("a capacity report becomes one event and updates only what it names") {
  SpaceState state = Fresh();
  CapacityReport report;
  report.hospital = "big";
  report.beds[Index(BedType::kAdultICU)] = BedReport{7, std::nullopt, std::nullopt, std::nullopt};
  report.reception[Index(Triage::kP1)] = 2;
  report.ed_status = EdStatus::kRestricted;
  report.readiness = ReadinessLevel::kStaff;
  Command command{testing::Reporter("tib-nord", "north"), 5000, report};

  Decision decision = Decide(SmallConfig(), state, command);
  REQUIRE(decision.ok());
  REQUIRE(decision.events.size() == 1);
  CHECK(decision.events[0].seq == 1);
  CHECK(decision.events[0].space == "live");
  CHECK(decision.events[0].at == 5000);
  CHECK(state.seq == 0);  // Decide does not change the state

  REQUIRE_FALSE(Apply(SmallConfig(), state, decision.events[0]));
  const auto& big = Hospital(state, "big");
  CHECK(state.seq == 1);
  CHECK(big.beds[Index(BedType::kAdultICU)].available == 7);
  CHECK(big.beds[Index(BedType::kAdultICU)].stamp == Stamp{5000, "tib-nord"});
  CHECK_FALSE(big.beds[Index(BedType::kMedicalSurgical)].stamp.at);  // not in the report
  CHECK(big.reception[Index(Triage::kP1)].value == 2);
  CHECK_FALSE(big.reception[Index(Triage::kP2)].value);
  CHECK(big.ed_status.value == EdStatus::kRestricted);
  CHECK(big.readiness.value == ReadinessLevel::kStaff);
  CHECK(big.LastReportedAt() == 5000);
  CHECK_FALSE(Hospital(state, "small").LastReportedAt());
}

TEST_CASE("validation rejects bad reports with a code, a field and a clear message") {
  SpaceState state = Fresh();

  Error unknown = Rejection(state, Report("nowhere", BedType::kAdultICU, 1));
  CHECK(unknown.code == "unknown_hospital");
  CHECK(unknown.field == "hospital");
  CHECK(unknown.message == "no hospital 'nowhere' in Testregionen");

  Error negative = Rejection(state, Report("big", BedType::kAdultICU, -1));
  CHECK(negative.code == "invalid_value");
  CHECK(negative.field == "beds.AdultICU.available");
  CHECK(negative.message == "beds.AdultICU.available: -1 is outside 0-100000");

  Error absurd = Rejection(state, Report("big", BedType::kMedicalSurgical, 100001));
  CHECK(absurd.code == "invalid_value");

  Error over = Rejection(state, Report("big", BedType::kAdultICU, 15));
  CHECK(over.code == "over_capacity");
  CHECK(over.field == "beds.AdultICU.available");
  CHECK(over.message == "AdultICU: 15 available is more than baseline 10 + surge 4");

  CapacityReport empty;
  empty.hospital = "big";
  CHECK(Rejection(state, Command{testing::Admin(), 1, empty}).code == "empty_report");

  CapacityReport bad_rate;
  bad_rate.hospital = "big";
  bad_rate.reception[Index(Triage::kP3)] = -5;
  CHECK(Rejection(state, Command{testing::Admin(), 1, bad_rate}).field == "reception.P3");

  Error region = Rejection(state, Command{testing::Admin(), 1, SetRegionReadiness{"west", ReadinessLevel::kStaff}});
  CHECK(region.code == "unknown_region");
  CHECK(state == Fresh());
}

TEST_CASE("available is checked against the baseline and surge after the report") {
  SpaceState state = Fresh();
  // Exactly baseline + surge is allowed.
  Accept(state, Report("big", BedType::kAdultICU, 14));
  // Raising the baseline in the same report makes room.
  CapacityReport raise;
  raise.hospital = "big";
  raise.beds[Index(BedType::kAdultICU)] = BedReport{20, 16, std::nullopt, std::nullopt};
  Accept(state, Command{testing::Admin(), 2000, raise});
  CHECK(Hospital(state, "big").beds[Index(BedType::kAdultICU)].baseline == 16);
  // Lowering the baseline below what is reported available is refused.
  CapacityReport lower;
  lower.hospital = "big";
  lower.beds[Index(BedType::kAdultICU)] = BedReport{std::nullopt, 5, 0, std::nullopt};
  CHECK(Rejection(state, Command{testing::Admin(), 3000, lower}).code == "over_capacity");
}

TEST_CASE("events must be applied in sequence") {
  SpaceState state = Fresh();
  Decision decision = Decide(SmallConfig(), state, Report("big", BedType::kAdultICU, 3));
  Event event = decision.events.at(0);
  event.seq = 2;
  auto error = Apply(SmallConfig(), state, event);
  REQUIRE(error);
  CHECK(error->code == "out_of_sequence");
  CHECK(state == Fresh());
  event.seq = 1;
  event.space = "exercise-1";
  CHECK(Apply(SmallConfig(), state, event));
}

TEST_CASE("rebuilding from the events equals the live state") {
  SpaceState live = Fresh();
  std::vector<Event> log;
  Accept(live, Report("big", BedType::kAdultICU, 5, 1000, "a"), &log);
  Accept(live, Report("small", BedType::kAdultICU, 1, 2000, "b"), &log);
  Accept(live, Command{testing::Scenario("demo"), 3000,
                       SetRegionReadiness{"south", ReadinessLevel::kReinforced}}, &log);
  Accept(live, Report("big", BedType::kAdultICU, 2, 4000, "c"), &log);
  Accept(live, Report("burns", BedType::kBurn, 8, 5000, "d"), &log);

  SpaceState rebuilt = Fresh();
  for (const Event& event : log) REQUIRE_FALSE(Apply(SmallConfig(), rebuilt, event));
  CHECK(rebuilt == live);
  CHECK(rebuilt.seq == 5);
  CHECK(Hospital(rebuilt, "big").beds[Index(BedType::kAdultICU)].available == 2);
  CHECK(rebuilt.regions[1].readiness.value == ReadinessLevel::kReinforced);
  CHECK(rebuilt.regions[1].readiness.stamp == Stamp{3000, "demo"});
}
