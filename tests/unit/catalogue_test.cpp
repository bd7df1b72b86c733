// The scenario catalogue in the core: saves judged by the files' loader, versions, conflicts, the
// shipped ids, the bounds, restores, and the log and permissions around them.
#include <catch2/catch.hpp>

#include "lagesbild/core/catalogue.h"
#include "lagesbild/core/core.h"
#include "lagesbild/core/event_log.h"
#include "lagesbild/core/json_mapping.h"
#include "test_support.h"

using namespace lagesbild;
using testing::SmallConfig;

namespace {

Json SmallScenario(const std::string& id) {
  Json scenario = Json::parse(R"({
    "format": 2, "id": "x", "name": "Provolycka", "description": "En liten övning",
    "modelled_on": {"incident": "Ingen", "source": "Test"},
    "healthcare_region": "test", "planned_duration_minutes": 30, "start_from": "live",
    "injects": [
      {"id": "alarm", "at": "00:00", "kind": "message", "from": "north", "to": ["north"],
       "message_kind": "alert", "level": "staff", "text": "Larm"},
      {"id": "cp", "at": "00:00", "kind": "checkpoint", "within_minutes": 3, "description": "Kvittera",
       "expect": {"event": "message_acknowledged", "message": "alarm"}}]})");
  scenario["id"] = id;
  return scenario;
}

struct Catalogue {
  SpaceState state = InitialState(SmallConfig(), kCatalogueSpace, false);
  Decision Save(const Actor& actor, const Json& scenario, std::int64_t base, std::int64_t restored = 0,
                std::vector<std::string> taken = {}) {
    SaveScenario save{scenario.value("id", ""), scenario.dump(2), base, restored, std::move(taken)};
    Decision decision = Decide(SmallConfig(), state, Command{actor, 1000 + state.seq, save});
    for (const Event& event : decision.events) REQUIRE_FALSE(Apply(SmallConfig(), state, event));
    return decision;
  }
};

}  // namespace

TEST_CASE("a saved scenario becomes a version, and a draft is saved with its problems") {
  Catalogue catalogue;
  Decision first = catalogue.Save(testing::Trainer(), SmallScenario("prov"), 0);
  REQUIRE(first.ok());
  const ScenarioVersion* v1 = catalogue.state.catalogue->Find("prov");
  REQUIRE(v1);
  CHECK(v1->version == 1);
  CHECK(v1->valid);
  CHECK(v1->by.id == "trainer");
  CHECK(v1->name == "Provolycka");
  CHECK(v1->digest == TextDigest(v1->text));

  Json broken = SmallScenario("prov");
  broken["injects"][0]["at"] = "snart";
  broken["planned_duration_minutes"] = 0;
  v1 = nullptr;  // the next version may move it
  REQUIRE(catalogue.Save(testing::Trainer(), broken, 1).ok());
  const ScenarioVersion* v2 = catalogue.state.catalogue->Find("prov");
  CHECK(v2->version == 2);
  CHECK_FALSE(v2->valid);
  REQUIRE(v2->problems.size() >= 2);
  CHECK(v2->problems[0].rfind("$.planned_duration_minutes: ", 0) == 0);
  bool at_named = false;
  for (const std::string& problem : v2->problems) at_named |= problem.rfind("$.injects[0].at: ", 0) == 0;
  CHECK(at_named);
  CHECK(catalogue.state.catalogue->Find("prov", 1)->valid);
  CHECK(catalogue.state.catalogue->Find("prov", 3) == nullptr);
  CHECK(catalogue.state.catalogue->bytes ==
        catalogue.state.catalogue->Find("prov", 1)->text.size() + v2->text.size());

  // The same events replayed give the same catalogue (it is rebuilt from the log at start).
  Catalogue again;
  again.Save(testing::Trainer(), SmallScenario("prov"), 0);
  again.Save(testing::Trainer(), broken, 1);
  CHECK(again.state.catalogue == catalogue.state.catalogue);
}

TEST_CASE("saves that would lose work or take a shipped id are refused") {
  Catalogue catalogue;
  REQUIRE(catalogue.Save(testing::Trainer(), SmallScenario("prov"), 0).ok());
  CHECK(catalogue.Save(testing::Trainer(), SmallScenario("prov"), 0).error->code == "version_conflict");
  CHECK(catalogue.Save(testing::Trainer(), SmallScenario("prov"), 2).error->code == "version_conflict");
  CHECK(catalogue.Save(testing::Trainer(), SmallScenario("demo"), 0, 0, {"demo"}).error->code ==
        "scenario_id_taken");
  CHECK(catalogue.Save(testing::Trainer(), SmallScenario("Stora Bokstäver"), 0).error->code == "invalid_value");
  // The id inside the text must be the scenario's own.
  SaveScenario mismatch{"annan", SmallScenario("prov").dump(), 0, 0};
  Decision decided = Decide(SmallConfig(), catalogue.state, Command{testing::Trainer(), 5, mismatch});
  REQUIRE(decided.ok());
  CHECK_FALSE(std::get<ScenarioSaved>(decided.events[0].body).valid);
  // Only trainers write scenarios; the refusal is an audit record, not a version.
  Decision refused = catalogue.Save(testing::Reporter("tib-nord", "north"), SmallScenario("prov"), 1);
  CHECK(refused.error->code == "forbidden");
  CHECK(std::holds_alternative<AccessDenied>(refused.events.at(0).body));
  CHECK(catalogue.state.catalogue->Newest("prov") == 1);
  // Nowhere but the catalogue's space.
  SpaceState live = InitialState(SmallConfig(), kLiveSpace, false);
  SaveScenario elsewhere{"prov", SmallScenario("prov").dump(), 0, 0};
  CHECK(Decide(SmallConfig(), live, Command{testing::Trainer(), 5, elsewhere}).error->code == "invalid_value");
}

TEST_CASE("the catalogue is bounded: one text and all versions together") {
  Catalogue catalogue;
  Json big = SmallScenario("stor");
  big["description"] = std::string(kMaxScenarioBytes, 'x');
  CHECK(catalogue.Save(testing::Trainer(), big, 0).error->code == "message_too_large");
  Json large = SmallScenario("stor");
  large["note"] = std::string(kMaxScenarioBytes - 2000, 'x');
  std::int64_t saved = 0;
  std::optional<Error> error;
  while (!error) {
    Decision decision = catalogue.Save(testing::Trainer(), large, saved);
    error = decision.error;
    if (!error) ++saved;
  }
  CHECK(error->code == "catalogue_full");
  CHECK(catalogue.state.catalogue->bytes <= kMaxCatalogueBytes);
  CHECK(saved == static_cast<std::int64_t>(kMaxCatalogueBytes / catalogue.state.catalogue->Find("stor")->text.size()));
}

TEST_CASE("a restore saves an earlier version's text again, as the newest") {
  Catalogue catalogue;
  REQUIRE(catalogue.Save(testing::Trainer(), SmallScenario("prov"), 0).ok());
  Json second = SmallScenario("prov");
  second["name"] = "Andra";
  REQUIRE(catalogue.Save(testing::Trainer(), second, 1).ok());
  const std::string first_text = catalogue.state.catalogue->Find("prov", 1)->text;
  SaveScenario restore{"prov", first_text, 2, 1};
  Decision decision = Decide(SmallConfig(), catalogue.state, Command{testing::Trainer(), 9, restore});
  REQUIRE(decision.ok());
  REQUIRE_FALSE(Apply(SmallConfig(), catalogue.state, decision.events[0]));
  const ScenarioVersion* v3 = catalogue.state.catalogue->Find("prov");
  CHECK(v3->version == 3);
  CHECK(v3->restored_from == 1);
  CHECK(v3->text == first_text);
  CHECK(v3->name == "Provolycka");
  CHECK(CommandName(restore) == "restore_scenario");
}

TEST_CASE("scenario_saved is stored and read back whole") {
  Catalogue catalogue;
  Json broken = SmallScenario("prov");
  broken["injects"][0]["at"] = "snart";
  Decision decision = catalogue.Save(testing::Trainer(), broken, 0);
  REQUIRE(decision.ok());
  const Event& event = decision.events.at(0);
  auto read = EventFromLog(EventToLog(event));
  REQUIRE(read.ok());
  CHECK(read.value() == event);
  CHECK(EventKind(event.body) == "scenario_saved");
}

TEST_CASE("loader problems split into their JSON path and text; spaces shown by role") {
  CHECK(SplitProblem("scenarios/a.json: $.injects[2].at: must be MM:SS") ==
        std::pair<std::string, std::string>{"$.injects[2].at", "must be MM:SS"});
  CHECK(SplitProblem("scenario: not valid JSON: x").first == "$");
  CHECK(SplitProblem("scenario: not valid JSON: x").second == "not valid JSON: x");
  CHECK(SpaceRefusal(kCatalogueSpace, testing::Trainer())->code == "unknown_space");
  CHECK(SpaceRefusal("provkorning-a-1", testing::Reporter("tib-nord", "north"))->code == "forbidden");
  CHECK(SpaceRefusal("provkorning-a-1", AnonymousViewer())->code == "forbidden");
  CHECK_FALSE(SpaceRefusal("provkorning-a-1", testing::Trainer()));
  CHECK_FALSE(SpaceRefusal("ovning-a-1", AnonymousViewer()));
  CHECK(TextDigest("a") != TextDigest("b"));
  CHECK(TextDigest("").size() == 16);
}
