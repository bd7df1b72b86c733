// The patient flow of an exercise: waiting at the scene until the region decides, deteriorating
// by the scenario's rules at exact exercise times (the same at any tick rate), burned patients in
// burn beds, secondary transports, ambulance figures, and the capacity forecast.
#include <catch2/catch.hpp>

#include "lagesbild/core/core.h"
#include "lagesbild/core/event_log.h"
#include "lagesbild/core/exercise.h"
#include "lagesbild/core/forecast.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/patients.h"
#include "lagesbild/core/review.h"
#include "lagesbild/core/saved_state.h"
#include "lagesbild/core/wire.h"
#include "test_support.h"

using namespace lagesbild;
using testing::SmallConfig;

namespace {

constexpr TimeMs kStart = 1795429800000;  // 2026-11-23T10:30:00Z
using testing::kMinute;

struct Exercise {
  SpaceState state = InitialState(SmallConfig(), "ovning-1", true);
  std::vector<Event> log;
  explicit Exercise(std::vector<DeteriorationRule> rules = {}, bool burns_need_icu = false) {
    StartExercise start;
    start.scenario_id = "test";
    start.scenario_name = "Test";
    start.planned_ms = 600 * kMinute;
    start.deterioration = std::move(rules);
    start.burns_need_icu = burns_need_icu;
    CapacityReport beds;
    beds.hospital = "big";
    beds.beds[Index(BedType::kAdultICU)] = BedReport{4, std::nullopt, std::nullopt, std::nullopt};
    beds.beds[Index(BedType::kOperatingRooms)] = BedReport{3, 4, std::nullopt, std::nullopt};
    beds.beds[Index(BedType::kMedicalSurgical)] = BedReport{20, std::nullopt, std::nullopt, std::nullopt};
    CapacityReport burn_beds;
    burn_beds.hospital = "burns";
    burn_beds.beds[Index(BedType::kBurn)] = BedReport{2, std::nullopt, std::nullopt, std::nullopt};
    start.baseline_reports = {beds, burn_beds};
    Submit(testing::Trainer(), 0, start);
  }
  lagesbild::Decision Submit(const Actor& actor, std::int64_t elapsed, CommandBody body) {
    lagesbild::Decision decision =
        lagesbild::Decide(SmallConfig(), state, Command{actor, kStart + elapsed, std::move(body)});
    for (const Event& event : decision.events) {
      REQUIRE_FALSE(Apply(SmallConfig(), state, event));
      log.push_back(event);
    }
    return decision;
  }
  void Advance(std::int64_t elapsed) {
    REQUIRE(Submit(testing::Scenario("test"), elapsed, AdvanceArrivals{elapsed}).ok());
  }
  // A wave at the scene of Region Nord, waiting for its decision; big and burns reachable.
  void WaitingWave(std::int64_t elapsed, PatientCounts casualties, PatientCounts burns = {}) {
    PlayCasualtyWave wave;
    wave.wave = "vag-1";
    wave.location = "E4";
    wave.elapsed_ms = elapsed;
    wave.casualties = casualties;
    wave.burns = burns;
    wave.region = "north";
    wave.on_decision = true;
    wave.allocations = {{"big", {}, 15, {}}, {"burns", {}, 40, {}}};
    REQUIRE(Submit(testing::Scenario("test"), elapsed, wave).ok());
  }
  lagesbild::Decision Receiving(std::int64_t elapsed, std::vector<std::string> hospitals) {
    RecordDecision decision;
    decision.decision.kind = DecisionKind::kReceivingHospitals;
    decision.decision.region = "north";
    decision.decision.hospitals = std::move(hospitals);
    return Submit(testing::Reporter("tib-nord", "north"), elapsed, decision);
  }
  std::vector<std::string> Kinds(std::size_t from = 0) const {
    std::vector<std::string> kinds;
    for (std::size_t i = from; i < log.size(); ++i) kinds.emplace_back(EventKind(log[i].body));
    return kinds;
  }
};

const std::vector<DeteriorationRule> kRules = {
    {Triage::kP1, std::nullopt, 30, 50},      // half of the untreated P1 die after 30 min
    {Triage::kP2, Triage::kP1, 20, 100}};     // every P2 becomes P1 after 20 min

}  // namespace

TEST_CASE("waiting patients worsen by the rules, at exact exercise times") {
  Exercise x(kRules);
  x.WaitingWave(0, {3, 4, 5});
  CHECK(AtScene(*x.state.exercise_info) == PatientCounts{3, 4, 5});
  CHECK(x.state.hospitals[0].casualties.incoming == PatientCounts{});  // nobody sent yet
  x.Advance(19 * kMinute);
  CHECK(x.Kinds(1) == std::vector<std::string>{"casualties_at_scene"});
  x.Advance(55 * kMinute);
  // 20:00 the four P2 become P1; 30:00 two of the three first P1 die (50 %, rounded up);
  // 50:00 two of the four new P1 die.
  REQUIRE(x.log.size() == 5);
  const auto& p2 = std::get<PatientsDeteriorated>(x.log[2].body);
  CHECK(x.log[2].at == kStart + 20 * kMinute);
  CHECK(p2.from == Triage::kP2);
  CHECK(p2.to == Triage::kP1);
  CHECK(p2.count == 4);
  CHECK(x.log[3].at == kStart + 30 * kMinute);
  CHECK(std::get<PatientsDeteriorated>(x.log[3].body).count == 2);
  CHECK_FALSE(std::get<PatientsDeteriorated>(x.log[3].body).to);
  CHECK(x.log[4].at == kStart + 50 * kMinute);
  CHECK(std::get<PatientsDeteriorated>(x.log[4].body).count == 2);
  CHECK(AtScene(*x.state.exercise_info) == PatientCounts{1 + 2, 0, 5});
  CHECK(x.state.exercise_info->deceased_waiting == 4);
  // Each group is judged once per priority: nothing more happens later.
  x.Advance(300 * kMinute);
  CHECK(x.log.size() == 5);
  // The log and a saved state carry it all.
  for (const Event& event : x.log) CHECK(EventFromLog(EventToLog(event)).value() == event);
  CHECK(SavedStateFromText(SmallConfig(), SavedStateToText(SmallConfig(), x.state)).value() == x.state);
}

TEST_CASE("a wave waits for its region's decision; arriving in time stops the worsening") {
  Exercise x(kRules);
  x.WaitingWave(0, {2, 3, 0});
  x.Advance(9 * kMinute);
  // Another region's decision, or one naming no reachable hospital, sends nobody.
  CHECK(x.Receiving(5 * kMinute, {"small"}).events.size() == 1);
  CHECK(AtScene(*x.state.exercise_info) == PatientCounts{2, 3, 0});
  const auto decided = x.Receiving(10 * kMinute, {"big", "small"});
  REQUIRE(decided.ok());
  REQUIRE(decided.events.size() == 2);  // the decision, then the dispatch to big
  const auto& dispatched = std::get<CasualtiesDispatched>(decided.events[1].body);
  CHECK(dispatched.to.hospital == "big");
  CHECK(dispatched.to.patients == PatientCounts{2, 3, 0});
  CHECK(dispatched.due_elapsed_ms == 25 * kMinute);
  CHECK(AtScene(*x.state.exercise_info) == PatientCounts{});
  CHECK(x.state.hospitals[0].casualties.incoming == PatientCounts{2, 3, 0});
  CHECK(x.state.exercise_info->waiting_waves.empty());
  x.Advance(40 * kMinute);
  // The P2 worsen on the way at 20:00 (they left at 10:00 but got P2 at 00:00); all arrive at
  // 25:00, before the P1 rule at 30:00: nobody dies.
  CHECK(x.Kinds(x.log.size() - 2) == std::vector<std::string>{"patients_deteriorated", "casualties_arrived"});
  const auto& arrived = std::get<CasualtiesArrived>(x.log.back().body);
  CHECK(arrived.patients == PatientCounts{5, 0, 0});
  CHECK(x.state.hospitals[0].casualties.received == PatientCounts{5, 0, 0});
  CHECK(x.state.exercise_info->deceased_waiting == 0);
  CHECK(x.state.exercise_info->patients.empty());
  // The review scores the wave against the decision's delay.
  const Json outcomes = BuildReview(SmallConfig(), nullptr, x.state, x.log, 40 * kMinute)["outcomes"];
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0]["wave"] == "vag-1");
  CHECK(outcomes[0]["region"] == "north");
  CHECK(outcomes[0]["receiving_decision_ms"] == 5 * kMinute);  // the first one, however useless
  CHECK(outcomes[0]["dispatched_ms"] == 10 * kMinute);
  CHECK(outcomes[0]["dispatch_delay_ms"] == 10 * kMinute);
  CHECK(outcomes[0]["last_arrival_ms"] == 25 * kMinute);
  CHECK(outcomes[0]["deteriorated"].size() == 1);
  CHECK(outcomes[0]["deceased_waiting"] == 0);
}

TEST_CASE("the same outcome whether the clock ticks every second or jumps") {
  const auto play = [](std::int64_t tick) {
    Exercise x(kRules);
    x.WaitingWave(0, {7, 9, 11});
    for (std::int64_t t = tick; t <= 120 * kMinute; t += tick) {
      if (t == 33 * kMinute) x.Receiving(t, {"big"});
      x.Advance(t);
    }
    std::vector<std::string> out;
    for (const Event& event : x.log) {
      Json json = EventToJson(event);
      json.erase("seq");
      if (json["kind"] != "exercise_started") out.push_back(json.dump());
    }
    return out;
  };
  const auto seconds = play(1000);
  CHECK(seconds == play(kMinute));
  CHECK(seconds == play(3 * kMinute));
  CHECK(seconds.size() > 4);
}

TEST_CASE("burned patients take burn beds; with burns_need_icu an IVA bed too; too few is over capacity") {
  for (bool need_icu : {false, true}) {
    Exercise x({}, need_icu);
    PlayCasualtyWave wave;
    wave.wave = "brand";
    wave.location = "Klubben";
    wave.casualties = {3, 1, 0};
    wave.burns = {3, 0, 0};
    wave.allocations = {{"burns", {3, 1, 0}, 10, {}}};
    REQUIRE(x.Submit(testing::Scenario("test"), 0, wave).ok());
    CHECK(std::get<CasualtiesDispatched>(x.log.back().body).to.burns == PatientCounts{3, 0, 0});
    x.Advance(10 * kMinute);
    const HospitalState& burns = x.state.hospitals[2];
    CHECK(burns.beds[Index(BedType::kBurn)].available == 0);
    REQUIRE(burns.casualties.over_capacity);
    // Both short when burns need IVA too (it has none): IVA is named first.
    const Json expected = need_icu ? Json{{"kind", "icu_short"}, {"p1", 3}, {"free_icu", 0}}
                                   : Json{{"kind", "burn_short"}, {"burns", 3}, {"free_burn", 2}};
    CHECK(*burns.casualties.over_capacity ==
          (need_icu ? OverCapacity{OverCapacity::Kind::kIcuShort, Triage::kP1, 3, 0}
                    : OverCapacity{OverCapacity::Kind::kBurnShort, Triage::kP1, 3, 2}));
    CHECK(Json::parse(DeltaMessage(SmallConfig(), x.state, x.log.back(), kStart, nullptr))["hospital"]["casualties"]["over_capacity_reason"] == expected);
    CHECK(burns.beds[Index(BedType::kAdultICU)].available.value_or(0) == 0);  // it has no IVA
  }
  // At a hospital with IVA: only the unburned P1 take IVA, unless burns need IVA too.
  for (bool need_icu : {false, true}) {
    Exercise x({}, need_icu);
    PlayCasualtyWave wave;
    wave.wave = "brand";
    wave.location = "Klubben";
    wave.casualties = {3, 0, 0};
    wave.burns = {1, 0, 0};
    wave.allocations = {{"big", {3, 0, 0}, 10, {}}};
    REQUIRE(x.Submit(testing::Scenario("test"), 0, wave).ok());
    x.Advance(10 * kMinute);
    const HospitalState& big = x.state.hospitals[0];
    CHECK(big.beds[Index(BedType::kAdultICU)].available == (need_icu ? 1 : 2));
    CHECK(big.beds[Index(BedType::kOperatingRooms)].available == 0);  // every P1 takes a theatre
    CHECK(big.casualties.over_capacity->kind == OverCapacity::Kind::kBurnShort);  // no burn beds
  }
}

TEST_CASE("a secondary transport frees beds where it leaves and takes them where it arrives") {
  Exercise x;
  PlayCasualtyWave wave;
  wave.wave = "vag";
  wave.location = "E4";
  wave.casualties = {3, 2, 0};
  wave.burns = {2, 0, 0};
  wave.allocations = {{"big", {3, 2, 0}, 10, {}}};
  REQUIRE(x.Submit(testing::Scenario("test"), 0, wave).ok());
  x.Advance(10 * kMinute);
  REQUIRE(x.state.hospitals[0].beds[Index(BedType::kAdultICU)].available == 3);  // 1 unburned P1
  TransferPatients transfer{"big", "burns", {2, 0, 0}, 2, 30, true, "Till brännskadecentrum"};
  const Actor tib = testing::Reporter("tib-nord", "north");
  // Refused: more than were received, none at all, burned beyond the P1, the same hospital,
  // and from another region's hospital.
  TransferPatients too_many = transfer;
  too_many.patients = {4, 0, 0};
  CHECK(x.Submit(tib, 20 * kMinute, too_many).error->field == "patients.P1");
  TransferPatients none = transfer;
  none.patients = {};
  none.burns = 0;
  CHECK(x.Submit(tib, 20 * kMinute, none).error->field == "patients");
  TransferPatients burned = transfer;
  burned.burns = 3;
  CHECK(x.Submit(tib, 20 * kMinute, burned).error->field == "burns");
  TransferPatients same = transfer;
  same.to = "big";
  CHECK(x.Submit(tib, 20 * kMinute, same).error->field == "to");
  CHECK(x.Submit(testing::Reporter("tib-syd", "south"), 20 * kMinute, transfer).error->code == "forbidden");

  REQUIRE(x.Submit(tib, 20 * kMinute, transfer).ok());
  const HospitalState& big = x.state.hospitals[0];
  CHECK(big.casualties.received == PatientCounts{1, 2, 0});
  CHECK(big.casualties.over_capacity);  // as it was; the next arrival judges again
  CHECK(x.state.hospitals[2].casualties.incoming == PatientCounts{2, 0, 0});
  const Json delta = Json::parse(DeltaMessage(SmallConfig(), x.state, x.log.back(), kStart, nullptr));
  CHECK(delta["hospital"]["id"] == "big");
  CHECK(delta["hospital_to"]["id"] == "burns");
  CHECK(delta["patients"]["on_the_way"] == Json{{"P1", 2}, {"P2", 0}, {"P3", 0}});
  x.Advance(50 * kMinute);
  const auto& arrived = std::get<CasualtiesArrived>(x.log.back().body);
  CHECK(arrived.wave == TransferWave(x.log.size() - 1));
  CHECK(x.log.back().at == kStart + 50 * kMinute);
  CHECK(x.state.hospitals[2].beds[Index(BedType::kBurn)].available == 0);
  CHECK(x.state.hospitals[2].casualties.received == PatientCounts{2, 0, 0});
  // Transfers are for exercises.
  SpaceState live = InitialState(SmallConfig(), kLiveSpace, false);
  CHECK(lagesbild::Decide(SmallConfig(), live, Command{tib, 0, transfer}).error->code == "not_an_exercise");
}

TEST_CASE("ambulances and helicopters are reported figures of a region") {
  SpaceState live = InitialState(SmallConfig(), kLiveSpace, false);
  TransportReport report{"north", 6, 9, std::nullopt, std::nullopt};
  const Actor tib = testing::Reporter("tib-nord", "north");
  auto decision = lagesbild::Decide(SmallConfig(), live, Command{tib, kStart, report});
  REQUIRE(decision.ok());
  REQUIRE_FALSE(Apply(SmallConfig(), live, decision.events[0]));
  CHECK(live.regions[0].transport.ambulances_available.value == 6);
  CHECK_FALSE(live.regions[0].transport.helicopters_available.value);
  const Json region = RegionToJson(SmallConfig(), 0, live.regions[0]);
  CHECK(region["transport"]["ambulances"]["available"] == 6);
  CHECK(region["transport"]["ambulances"]["committed"] == 9);
  CHECK(region["transport"]["ambulances"]["reported_by"] == "tib-nord");
  CHECK(region["transport"]["helicopters"]["available"].is_null());
  CHECK(EventFromLog(EventToLog(decision.events[0])).value() == decision.events[0]);
  CHECK(lagesbild::Decide(SmallConfig(), live, Command{tib, kStart, TransportReport{"north"}}).error->code == "empty_report");
  CHECK(lagesbild::Decide(SmallConfig(), live, Command{tib, kStart, TransportReport{"south", 1}}).error->code == "forbidden");
  CHECK(lagesbild::Decide(SmallConfig(), live, Command{tib, kStart, TransportReport{"north", -1}}).error->code == "invalid_value");
}

TEST_CASE("the forecast: patients on the way first, then the last hour's rate") {
  Exercise x;
  CHECK_FALSE(ForecastCapacity(SmallConfig(), x.state, 0));  // nothing flows yet
  PlayCasualtyWave wave;
  wave.wave = "vag";
  wave.location = "E4";
  wave.casualties = {2, 0, 0};
  wave.allocations = {{"big", {2, 0, 0}, 10, {}}};
  REQUIRE(x.Submit(testing::Scenario("test"), 0, wave).ok());
  PlayCasualtyWave second = wave;
  second.wave = "vag-2";
  second.casualties = {3, 4, 0};
  second.allocations = {{"big", {3, 4, 0}, 20, {}}};
  REQUIRE(x.Submit(testing::Scenario("test"), 0, second).ok());
  // 4 IVA free: 2 P1 at 10:00 and 3 at 20:00 -> the fifth P1 does not fit at 20:00.
  auto forecast = ForecastCapacity(SmallConfig(), x.state, 0);
  REQUIRE(forecast);
  CHECK(forecast->basis_at == kStart);
  CHECK(forecast->resources[0].type == BedType::kAdultICU);
  CHECK(forecast->resources[0].free == 4);
  CHECK(forecast->resources[0].runs_out_at == kStart + 20 * kMinute);
  CHECK(forecast->resources[1].runs_out_at == kStart + 20 * kMinute);  // 3 theatres, 5 P1
  CHECK(forecast->resources[2].free == 20);
  CHECK_FALSE(forecast->resources[2].runs_out_at);  // 4 P2 for 20 vårdplatser, no rate yet
  CHECK(Json::parse(StateApiMessage(SmallConfig(), x.state, kStart, kStart, std::nullopt))["state"]["hospitals"][0]["forecast"]["AdultICU"]["runs_out_at"] ==
        "2026-11-23T10:50:00.000Z");
  // After both arrive: 5 P1 in the last hour, IVA 0 free -> the next P1 at the rate of 5 an
  // hour is 12 minutes after the last arrival.
  x.Advance(20 * kMinute);
  forecast = ForecastCapacity(SmallConfig(), x.state, 0);
  REQUIRE(forecast);
  CHECK(forecast->resources[0].free == 0);
  CHECK(forecast->resources[0].runs_out_at == kStart + 20 * kMinute + 12 * kMinute);
  CHECK(forecast->resources[2].free == 16);
  CHECK(forecast->resources[2].runs_out_at == kStart + 20 * kMinute + 255 * kMinute);  // 17th P2 at 4 an hour
  // Small: IVA never reported, nothing flows there: no forecast.
  CHECK_FALSE(ForecastCapacity(SmallConfig(), x.state, 1));
  // Live has no patient flow.
  CHECK_FALSE(ForecastCapacity(SmallConfig(), InitialState(SmallConfig(), kLiveSpace, false), 0));
}

TEST_CASE("a wave played after its region decided goes at once to the decided hospitals") {
  Exercise x(kRules);
  REQUIRE(x.Receiving(0, {"big"}).ok());
  x.WaitingWave(10 * kMinute, {1, 2, 0});
  // The wave's arrival at the scene and its dispatch, at the wave's own time.
  CHECK(x.Kinds(x.log.size() - 2) == std::vector<std::string>{"casualties_at_scene", "casualties_dispatched"});
  CHECK(x.log.back().at == kStart + 10 * kMinute);
  CHECK(x.log.back().seq == x.state.seq);
  CHECK(AtScene(*x.state.exercise_info) == PatientCounts{});
  CHECK(OnTheWay(*x.state.exercise_info) == PatientCounts{1, 2, 0});
  CHECK(x.state.exercise_info->waiting_waves.empty());
  CHECK(SavedStateFromText(SmallConfig(), SavedStateToText(SmallConfig(), x.state)).value() == x.state);
  const Json outcomes = BuildReview(SmallConfig(), nullptr, x.state, x.log, 30 * kMinute)["outcomes"];
  CHECK(outcomes[0]["dispatch_delay_ms"] == 0);
}
