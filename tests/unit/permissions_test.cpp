#include <catch2/catch.hpp>

#include "lagesbild/core/core.h"
#include "lagesbild/core/permissions.h"
#include "test_support.h"

using namespace lagesbild;
using testing::SmallConfig;

namespace {

// One command of each kind, aimed at region "north" (hospital "big").
std::vector<std::pair<std::string, CommandBody>> CommandsForNorth() {
  CapacityReport report;
  report.hospital = "big";
  report.beds[Index(BedType::kAdultICU)] = BedReport{1, std::nullopt, std::nullopt, std::nullopt};
  MessageContent alert;
  alert.kind = MessageKind::kAlert;
  alert.to = {"north"};
  alert.text = "larm";
  alert.level = ReadinessLevel::kStaff;
  return {{"report_capacity", report},
          {"confirm_figures", ConfirmFigures{"big"}},
          {"set_region_readiness", SetRegionReadiness{"north", ReadinessLevel::kStaff}},
          {"post_message", PostMessage{alert}},
          {"acknowledge", Acknowledge{"live:1", "north"}}};
}

}  // namespace

TEST_CASE("the permission matrix: every role against every command") {
  const auto& config = SmallConfig();
  struct Row {
    Actor actor;
    bool may_write_north;
    bool may_post;
  };
  const std::vector<Row> rows = {
      {testing::Admin(), true, true},
      {testing::Reporter("tib-nord", "north"), true, true},
      {testing::Reporter("tib-syd", "south"), false, true},  // may post, from its own region
      {Actor{Actor::Kind::kUser, "ola", Role::kViewer, ""}, false, false},
      {AnonymousViewer(), false, false},
      {Actor{Actor::Kind::kUser, "lost", Role::kReporter, ""}, false, false},
      {testing::Scenario("arboga"), true, true},
      {Actor{Actor::Kind::kSystem, "system", Role::kViewer, ""}, true, true},
  };
  for (const Row& row : rows) {
    for (const auto& [name, command] : CommandsForNorth()) {
      INFO(row.actor.id << " " << WireName(row.actor.role) << " " << name);
      const bool expected = name == "post_message" ? row.may_post : row.may_write_north;
      CHECK(DenialReason(config, row.actor, command, false).has_value() == !expected);
      CHECK(DenialReason(config, row.actor, command, true).has_value() == !expected);
    }
  }
}

TEST_CASE("a trainer writes in exercises only, and runs them from anywhere") {
  const auto& config = SmallConfig();
  const Actor trainer = testing::Trainer();
  for (const auto& [name, command] : CommandsForNorth()) {
    INFO(name);
    CHECK(DenialReason(config, trainer, command, true) == std::nullopt);
    CHECK(DenialReason(config, trainer, command, false) ==
          "trainer 'trainer' writes only in exercises; live needs an admin");
  }
  CHECK_FALSE(DenialReason(config, trainer, StartExercise{}, false));
  CHECK_FALSE(DenialReason(config, trainer, SaveScenario{}, false));
  CHECK(DenialReason(config, testing::Reporter("tib-nord", "north"), StartExercise{}, true) ==
        "only a trainer or an admin runs exercises");
  CHECK_FALSE(DenialReason(config, testing::Admin(), StartExercise{}, false));
}

TEST_CASE("a reporter may acknowledge only for its own region") {
  const auto& config = SmallConfig();
  const Actor nord = testing::Reporter("tib-nord", "north");
  CHECK_FALSE(DenialReason(config, nord, Acknowledge{"live:1", ""}, false));  // defaults to own region
  CHECK_FALSE(DenialReason(config, nord, Acknowledge{"live:1", "north"}, false));
  CHECK(DenialReason(config, nord, Acknowledge{"live:1", "south"}, false) ==
        std::optional<std::string>("reporter 'tib-nord' reports for north, not for south"));
}

TEST_CASE("a refused write is an error and an access_denied event for the audit trail") {
  const auto& config = SmallConfig();
  SpaceState state = InitialState(config, kLiveSpace, false);
  Command command = testing::Report("big", BedType::kAdultICU, 3);
  command.actor = testing::Reporter("tib-syd", "south");
  Decision decision = Decide(config, state, command);
  REQUIRE(decision.error);
  CHECK(decision.error->code == "forbidden");
  REQUIRE(decision.events.size() == 1);
  const auto& denied = std::get<AccessDenied>(decision.events[0].body);
  CHECK(denied.command == "report_capacity");
  CHECK(denied.target == "big");
  CHECK(denied.reason == "reporter 'tib-syd' reports for south, not for north");
  CHECK(decision.events[0].actor == command.actor);
  // Applying the audit event changes no figure, only the sequence.
  SpaceState before = state;
  REQUIRE_FALSE(Apply(config, state, decision.events[0]));
  CHECK(state.seq == 1);
  CHECK(state.hospitals == before.hospitals);

  command.actor = AnonymousViewer();
  CHECK(Decide(config, state, command).error->message ==
        "sign in first: a connection without a user token may only read");
}
