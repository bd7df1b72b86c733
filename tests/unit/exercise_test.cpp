#include <catch2/catch.hpp>

#include "lagesbild/core/event_log.h"
#include "lagesbild/core/saved_state.h"
#include "lagesbild/core/core.h"
#include "lagesbild/core/distribution.h"
#include "lagesbild/core/exercise.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/patients.h"
#include "lagesbild/core/review.h"
#include "test_support.h"

using namespace lagesbild;
using testing::SmallConfig;

namespace {

constexpr TimeMs kStartWall = 1795429800000;  // 2026-11-23T10:30:00Z
using testing::kMinute;

Scenario TestScenario(bool suggest) {
  Json json = Json::parse(R"({
    "format": 1, "id": "test-crash", "name": "Testolycka", "description": "x",
    "modelled_on": {"incident": "Ingen", "source": "Test"},
    "healthcare_region": "test", "planned_duration_minutes": 60, "start_from": "scenario",
    "baseline": {"hospitals": {"big": {"beds": {"AdultICU": {"available": 3}, "MedicalSurgical": {"available": 50}},
                                       "reception": {"P1": 2, "P2": 4, "P3": 10}},
                               "small": {"beds": {"AdultICU": {"available": 1}}, "reception": {"P1": 1, "P2": 1, "P3": 2}}}},
    "injects": [
      {"id": "alarm", "at": "00:00", "kind": "message", "from": "north", "to": ["north", "south"],
       "message_kind": "alert", "level": "staff", "text": "Larm"},
      {"id": "wave", "at": "05:00", "kind": "casualty_wave", "location": "E4",
       "casualties": {"P1": 4, "P2": 2, "P3": 3},
       "distribution": [{"hospital": "big", "P1": 3, "P2": 2, "P3": 3}, {"hospital": "small", "P1": 1}],
       "transport_minutes": {"big": 20, "small": 10}},
      {"id": "staff", "at": "12:00", "kind": "capacity_change", "hospital": "big",
       "ed_status": "restricted", "reason": "Personalbrist"},
      {"id": "cp", "at": "00:00", "kind": "checkpoint", "within_minutes": 3, "description": "Kvittera",
       "expect": {"event": "message_acknowledged", "message": "alarm"}}
    ]})");
  if (suggest) json["injects"][1]["distribution"] = "suggest";
  auto result = ParseScenario(json.dump(), "test.json", SmallConfig());
  if (!result.ok()) FAIL(result.error().message);
  return std::move(result).value();
}

// Runs the exercise with timer ticks every `tick_ms` of wall time at `speed`, with a participant
// acknowledging the alarm and reporting at fixed exercise times. Returns the event log as JSON.
std::vector<std::string> Play(const Scenario& scenario, int speed, TimeMs tick_ms) {
  SpaceState state = InitialState(SmallConfig(), "ovning-1", true);
  std::vector<std::string> log;
  const Actor scenario_actor = testing::Scenario(scenario.id);
  auto submit = [&](const Actor& actor, TimeMs at, CommandBody body) {
    Decision decision = Decide(SmallConfig(), state, Command{actor, at, std::move(body)});
    REQUIRE(decision.ok());
    for (const Event& event : decision.events) {
      REQUIRE_FALSE(Apply(SmallConfig(), state, event));
      log.push_back(EventToJson(event).dump());
    }
  };
  ExerciseClock clock;
  clock.Start(kStartWall, false);
  clock.SetSpeed(kStartWall, speed);
  submit(testing::Trainer(), kStartWall, StartCommand(scenario, false));
  ScenarioPlayer player(scenario);
  // Participant inputs, at exercise times.
  std::vector<std::pair<ElapsedMs, std::pair<Actor, CommandBody>>> inputs = {
      {2 * kMinute, {testing::Reporter("tib-nord", "north"), Acknowledge{"ovning-1:2", ""}}},
      {40 * kMinute, {testing::Reporter("tib-syd", "south"), Acknowledge{"ovning-1:2", ""}}},
  };
  std::size_t next_input = 0;
  for (TimeMs wall = kStartWall; clock.Elapsed(wall) <= scenario.planned_ms; wall += tick_ms) {
    const ElapsedMs now = clock.Elapsed(wall);
    while (next_input < inputs.size() && inputs[next_input].first <= now) {
      // A participant's command arrives at its exercise time: first what the player owes.
      for (TimedCommand& due : player.Due(inputs[next_input].first)) {
        submit(scenario_actor, kStartWall + due.at, std::move(due.body));
      }
      auto& [actor, body] = inputs[next_input].second;
      submit(actor, kStartWall + inputs[next_input].first, body);
      ++next_input;
    }
    for (TimedCommand& due : player.Due(now)) submit(scenario_actor, kStartWall + due.at, std::move(due.body));
  }
  return log;
}

}  // namespace

TEST_CASE("the exercise clock pauses, resumes, speeds up and jumps") {
  ExerciseClock clock;
  clock.Start(1000, false);
  CHECK(clock.Elapsed(2000) == 1000);
  clock.SetSpeed(2000, 10);
  CHECK(clock.Elapsed(3000) == 11000);
  CHECK(clock.WallTimeOf(21000, 3000) == 4000);
  clock.Pause(3000);
  CHECK(clock.Elapsed(9000) == 11000);
  CHECK_FALSE(clock.WallTimeOf(20000, 9000));
  clock.Resume(9000);
  CHECK(clock.Elapsed(9100) == 12000);
  clock.JumpTo(9100, 60000);
  CHECK(clock.Elapsed(9100) == 60000);
  clock.JumpTo(9100, 1000);  // never backwards
  CHECK(clock.Elapsed(9100) == 60000);
  clock.Stop(9200);
  CHECK(clock.Elapsed(99999) == 61000);
  CHECK(clock.AsCommand(99999) == SetExerciseClock{"stopped", 10, 61000});
}

TEST_CASE("a replay at 1x and at 60x yields the same event log") {
  const Scenario scenario = TestScenario(false);
  const auto at_1x = Play(scenario, 1, 1000);
  const auto at_60x = Play(scenario, 60, 50);  // a tick every 3 s of exercise time
  REQUIRE(at_1x.size() > 8);
  CHECK(at_1x == at_60x);
  CHECK(Play(TestScenario(true), 1, 1000) == Play(TestScenario(true), 60, 50));
}

TEST_CASE("injects become events at their exact exercise times, arrivals after transport") {
  SpaceState state = InitialState(SmallConfig(), "ovning-1", true);
  const Scenario scenario = TestScenario(false);
  std::vector<Event> log;
  auto submit = [&](TimeMs at, CommandBody body) {
    Decision decision = Decide(SmallConfig(), state, Command{testing::Scenario("x"), at, std::move(body)});
    REQUIRE(decision.ok());
    for (const Event& event : decision.events) {
      REQUIRE_FALSE(Apply(SmallConfig(), state, event));
      log.push_back(event);
    }
  };
  submit(kStartWall, StartCommand(scenario, false));
  CHECK(state.exercise_info->start == kStartWall);
  CHECK(state.hospitals[0].beds[Index(BedType::kAdultICU)].available == 3);
  ScenarioPlayer player(scenario);
  for (TimedCommand& due : player.Due(6 * kMinute)) submit(kStartWall + due.at, std::move(due.body));
  // Alarm at 00:00, two dispatches at 05:00.
  REQUIRE(log.size() == 4);
  CHECK(std::get<MessagePosted>(log[1].body).from_region == "north");
  const auto& to_big = std::get<CasualtiesDispatched>(log[2].body);
  CHECK(log[2].at == kStartWall + 5 * kMinute);
  CHECK(to_big.due_elapsed_ms == 25 * kMinute);
  CHECK(state.hospitals[0].casualties.incoming == PatientCounts{3, 2, 3});
  CHECK(OnTheWay(*state.exercise_info) == PatientCounts{4, 2, 3});
  CHECK(AtScene(*state.exercise_info) == PatientCounts{});
  // A checkpoint keeps the casualties on their way and the exercise clock.
  CHECK(SavedStateFromText(SmallConfig(), SavedStateToText(SmallConfig(), state)).value() == state);

  for (TimedCommand& due : player.Due(26 * kMinute)) submit(kStartWall + due.at, std::move(due.body));
  // small arrives at 15:00, before the capacity change at 12:00? No: 12:00 first, then 15:00, 25:00.
  std::vector<std::string> kinds;
  for (std::size_t i = 4; i < log.size(); ++i) kinds.push_back(std::string(EventKind(log[i].body)));
  CHECK(kinds == std::vector<std::string>{"capacity_reported", "casualties_arrived", "casualties_arrived"});
  CHECK(log[5].at == kStartWall + 15 * kMinute);
  const HospitalState& big = state.hospitals[0];
  CHECK(big.casualties.received == PatientCounts{3, 2, 3});
  CHECK(big.beds[Index(BedType::kAdultICU)].available == 0);
  CHECK(big.beds[Index(BedType::kMedicalSurgical)].available == 48);
  CHECK(big.casualties.over_capacity);  // 3 P1 in an hour, reception 2/h
  CHECK(big.casualties.over_capacity ==
        OverCapacity{OverCapacity::Kind::kReceptionRate, Triage::kP1, 3, 2});
  CHECK_FALSE(state.hospitals[1].casualties.over_capacity);
  CHECK(state.exercise_info->patients.empty());
  CHECK(SavedStateFromText(SmallConfig(), SavedStateToText(SmallConfig(), state)).value() == state);
}

TEST_CASE("a suggested distribution follows reception capacity, then transport time") {
  SpaceState state = InitialState(SmallConfig(), "ovning-1", true);
  Decision start = Decide(SmallConfig(), state, Command{testing::Trainer(), 0, StartCommand(TestScenario(true), false)});
  REQUIRE(start.ok());
  REQUIRE_FALSE(Apply(SmallConfig(), state, start.events[0]));
  const std::vector<DispatchedPatients> candidates = {{"small", {}, 10}, {"big", {}, 20}};
  auto plan = SuggestDistribution(SmallConfig(), state, PatientCounts{4, 2, 3}, candidates);
  REQUIRE(plan.size() == 2);
  CHECK(plan[0].hospital == "big");  // configuration order
  CHECK(plan[0].patients == PatientCounts{2, 2, 3});
  CHECK(plan[1].patients == PatientCounts{2, 0, 0});  // small: 1 within capacity, 1 overflow (nearest)
  // The same state and wave give the same answer.
  CHECK(SuggestDistribution(SmallConfig(), state, PatientCounts{4, 2, 3}, candidates) == plan);
}

TEST_CASE("exercise commands: only in exercises, never after the end, only by trainers") {
  SpaceState live = InitialState(SmallConfig(), kLiveSpace, false);
  CHECK(Decide(SmallConfig(), live, Command{testing::Trainer(), 0, AdvanceArrivals{0}}).error->code == "not_an_exercise");
  CHECK(Decide(SmallConfig(), live, Command{testing::Trainer(), 0, StartCommand(TestScenario(false), false)}).error->code == "space_exists");
  SpaceState exercise = InitialState(SmallConfig(), "ovning-1", true);
  CHECK(Decide(SmallConfig(), exercise, Command{testing::Reporter("tib-nord", "north"), 0, StartCommand(TestScenario(false), false)}).error->code == "forbidden");
  Decision start = Decide(SmallConfig(), exercise, Command{testing::Trainer(), 0, StartCommand(TestScenario(false), false)});
  REQUIRE_FALSE(Apply(SmallConfig(), exercise, start.events.at(0)));
  CHECK(Decide(SmallConfig(), exercise, Command{testing::Trainer(), 0, SetExerciseClock{"running", 61, 0}}).error->field == "speed");
  Decision stop = Decide(SmallConfig(), exercise, Command{testing::Trainer(), 0, SetExerciseClock{"stopped", 1, 1000}});
  REQUIRE_FALSE(Apply(SmallConfig(), exercise, stop.events.at(0)));
  CHECK(Decide(SmallConfig(), exercise, testing::Report("big", BedType::kAdultICU, 1)).error->code == "exercise_stopped");
}

TEST_CASE("the review judges checkpoints against their targets and times acknowledgements") {
  Scenario scenario = TestScenario(false);
  // A second checkpoint that is met: Region Syd sets a readiness level within 10 min.
  Inject readiness_checkpoint;
  readiness_checkpoint.id = "cp-syd";
  readiness_checkpoint.at = 0;
  Checkpoint checkpoint;
  checkpoint.description = "Syd sätter beredskapsläge inom 10 min";
  checkpoint.within_ms = 10 * kMinute;
  checkpoint.expect.event = CheckpointExpectation::Event::kRegionReadinessSet;
  checkpoint.expect.region = "south";
  readiness_checkpoint.body = checkpoint;
  scenario.injects.insert(scenario.injects.begin() + 1, readiness_checkpoint);

  SpaceState state = InitialState(SmallConfig(), "ovning-1", true);
  std::vector<Event> log;
  auto submit = [&](const Actor& actor, ElapsedMs at, CommandBody body, std::string inject = "") {
    Decision decision = Decide(SmallConfig(), state, Command{actor, kStartWall + at, std::move(body), inject});
    REQUIRE(decision.ok());
    for (const Event& event : decision.events) {
      REQUIRE_FALSE(Apply(SmallConfig(), state, event));
      log.push_back(event);
    }
  };
  submit(testing::Trainer(), 0, StartCommand(scenario, false));
  ScenarioPlayer player(scenario);
  for (TimedCommand& due : player.Due(0)) submit(testing::Scenario("test-crash"), due.at, due.body, due.inject_id);
  submit(testing::Reporter("tib-syd", "south"), 4 * kMinute, SetRegionReadiness{"south", ReadinessLevel::kStaff});
  submit(testing::Reporter("tib-nord", "north"), 2 * kMinute, Acknowledge{"ovning-1:2", ""});
  submit(testing::Reporter("tib-syd", "south"), 7 * kMinute, Acknowledge{"ovning-1:2", ""});
  submit(testing::Reporter("tib-nord", "north"), 8 * kMinute, testing::Report("big", BedType::kAdultICU, 2).body);

  const Json review = BuildReview(SmallConfig(), &scenario, state, log, 20 * kMinute);
  CHECK(review["label"] == "ÖVNING");
  const Json& checkpoints = review["checkpoints"];
  REQUIRE(checkpoints.size() == 2);
  CHECK(checkpoints[0]["id"] == "cp-syd");
  CHECK(checkpoints[0]["status"] == "met");
  CHECK(checkpoints[0]["met_ms"] == 4 * kMinute);
  CHECK(checkpoints[0]["by"] == "tib-syd");
  CHECK(checkpoints[1]["id"] == "cp");  // both regions within 3 min: south took 7
  CHECK(checkpoints[1]["status"] == "not_met");
  // Judged at 2 min, the acknowledgement checkpoint is still open.
  CHECK(BuildReview(SmallConfig(), &scenario, state, log, 2 * kMinute)["checkpoints"][1]["status"] == "pending");

  const Json& acks = review["acknowledgements"];
  REQUIRE(acks.size() == 2);
  CHECK(acks[0]["inject"] == "alarm");
  CHECK(acks[0]["region"] == "north");
  CHECK(acks[0]["acknowledged_ms"] == 2 * kMinute);
  CHECK(acks[1]["acknowledged_ms"] == 7 * kMinute);
  CHECK(review["first_reports"][0]["first_report_ms"] == 8 * kMinute);
  CHECK(review["first_reports"][1]["first_report_ms"].is_null());
  CHECK(review["injects"][0]["status"] == "played");
  CHECK(review["injects"][1]["status"] == "pending");  // the wave at 05:00 was not played here
}
