#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/scenario.h"
#include "test_support.h"

using namespace lagesbild;

namespace {

// A valid scenario for the small test configuration; tests break one thing at a time.
Json ValidScenario() {
  return Json::parse(R"({
    "format": 1, "id": "test-crash", "name": "Testolycka", "description": "En buss i diket.",
    "modelled_on": {"incident": "Ingen", "source": "Påhittad för test"},
    "healthcare_region": "test", "planned_duration_minutes": 60, "start_from": "scenario",
    "baseline": {"hospitals": {"big": {"beds": {"AdultICU": {"available": 6}}, "reception": {"P1": 2}}},
                 "regions": {"north": "staff"}},
    "injects": [
      {"id": "wave", "at": "10:00", "kind": "casualty_wave", "location": "E4",
       "casualties": {"P1": 3, "P2": 1, "P3": 0, "deceased": 2},
       "distribution": [{"hospital": "big", "P1": 2, "P2": 1}, {"hospital": "small", "P1": 1}],
       "transport_minutes": {"big": 20, "small": 5}},
      {"id": "alarm", "at": "00:00", "kind": "message", "from": "north", "to": ["north", "south"],
       "message_kind": "alert", "level": "staff", "text": "Larm"},
      {"id": "cp", "at": "00:00", "kind": "checkpoint", "within_minutes": 3,
       "description": "Kvittera larmet", "expect": {"event": "message_acknowledged", "message": "alarm"}},
      {"id": "staff", "at": "20:00", "kind": "capacity_change", "hospital": "big",
       "beds": {"AdultICU": {"available": 1}}, "reason": "Personalbrist"},
      {"id": "level", "at": "01:00:00", "kind": "readiness", "hospital": "burns", "level": "disaster"}
    ]})");
}

Result<Scenario> Load(const Json& json) {
  return ParseScenario(json.dump(), "scenarios/test.json", testing::SmallConfig());
}

std::string OnlyError(const Json& json) {
  auto result = Load(json);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == "invalid_scenario");
  REQUIRE(result.error().details.size() == 1);
  CHECK(result.error().message == result.error().details[0]);
  return result.error().details[0];
}

}  // namespace

TEST_CASE("a valid scenario loads with injects sorted by time") {
  auto result = Load(ValidScenario());
  INFO((result.ok() ? "" : result.error().message));
  REQUIRE(result.ok());
  const Scenario& s = result.value();
  CHECK(s.planned_ms == 3600000);
  CHECK_FALSE(s.start_from_live);
  REQUIRE(s.baseline_reports.size() == 1);
  CHECK(s.baseline_reports[0].beds[Index(BedType::kAdultICU)]->available == 6);
  CHECK(s.baseline_regions[0].second == ReadinessLevel::kStaff);
  REQUIRE(s.injects.size() == 5);
  CHECK(s.injects[0].id == "alarm");  // 00:00, file order among equals
  CHECK(s.injects[1].id == "cp");
  CHECK(s.injects[2].id == "wave");
  CHECK(s.injects[4].at == 3600000);
  const auto& wave = std::get<CasualtyWave>(s.injects[2].body);
  CHECK(wave.deceased == 2);
  REQUIRE(wave.scripted.size() == 2);
  CHECK(wave.scripted[1] == Allocation{"small", {1, 0, 0}, 5});
  CHECK(InjectKind(s.injects[2].body) == "casualty_wave");
}

TEST_CASE("scenario errors name the file and the JSON path") {
  // One change to a valid scenario each (a value set, or a field removed), and the one error.
  struct Case { const char* pointer; std::optional<Json> value; std::string error; };
  const std::vector<Case> cases = {
      {"/injects/0/distribution/0/P1", Json(1),
       "scenarios/test.json: $.injects[0].distribution: P1 adds up to 2, casualties say 3"},
      {"/injects/3/at", Json("5 min"),
       "scenarios/test.json: $.injects[3].at: must be \"MM:SS\" or \"HH:MM:SS\""},
      {"/injects/3/hospital", Json("karolinska"),
       "scenarios/test.json: $.injects[3].hospital: no hospital 'karolinska' in test"},
      {"/injects/3/beds/AdultICU/available", Json("one"),
       "scenarios/test.json: $.injects[3].beds.AdultICU.available: beds.AdultICU.available must be a whole number"},
      {"/injects/2/expect/message", Json("nope"),
       "scenarios/test.json: $.injects[id=cp].expect.message: no message inject 'nope'"},
      {"/healthcare_region", Json("sydost"),
       "scenarios/test.json: $.healthcare_region: the scenario is for 'sydost', the server runs 'test'"},
      {"/injects/4/at", Json("01:00:01"),
       "scenarios/test.json: $.injects[4].at: is after the planned duration"},
      {"/injects/1/kind", Json("earthquake"),
       "scenarios/test.json: $.injects[1].kind: must be message, casualty_wave, capacity_change, readiness, checkpoint, decision, transfer or transport"},
      {"/injects/1/level", std::nullopt,
       "scenarios/test.json: $.injects[1].level: an alert needs a level"},
      {"/injects/0/distribution/1/hospital", Json("burns"),
       "scenarios/test.json: $.injects[0].distribution[1].hospital: 'burns' has no transport_minutes"},
  };
  for (const Case& c : cases) {
    Json broken = ValidScenario();
    const Json::json_pointer at(c.pointer);
    if (c.value) {
      broken[at] = *c.value;
    } else {
      broken[at.parent_pointer()].erase(at.back());
    }
    INFO(c.pointer);
    CHECK(OnlyError(broken) == c.error);
  }

  CHECK(Load(Json::array()).error().details.at(0) == "scenarios/test.json: $: must be an object");
}

TEST_CASE("several problems in one file are all reported") {
  Json broken = ValidScenario();
  broken["injects"][3]["at"] = "x";
  broken["injects"][0]["location"] = 5;
  broken["injects"][4]["id"] = "alarm";
  auto result = Load(broken);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().details.size() == 3);
  CHECK(ParseScenario("{", "scenarios/test.json", testing::SmallConfig()).error().message.rfind("scenarios/test.json: not valid JSON", 0) == 0);
}

TEST_CASE("elapsed times") {
  CHECK(ParseElapsed("00:00") == 0);
  CHECK(ParseElapsed("95:30") == 5730000);
  CHECK(ParseElapsed("1:02:03") == 3723000);
  CHECK_FALSE(ParseElapsed("00:60"));
  CHECK_FALSE(ParseElapsed("-1:00"));
  CHECK(FormatElapsed(3723000) == "01:02:03");
}

TEST_CASE("every scenario shipped in scenarios/ loads against its configuration") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(LAGESBILD_SOURCE_DIR) / "scenarios";
  int loaded = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string region = Json::parse(text).value("healthcare_region", "");
    const auto config = testing::LoadRepoConfig(region == "sydost" ? "sydost.json" : "mellansverige.json");
    auto result = ParseScenario(text, entry.path().string(), config);
    INFO(entry.path().string() << (result.ok() ? "" : ": " + result.error().message));
    CHECK(result.ok());
    if (result.ok()) CHECK(entry.path().stem() == result->id);
    ++loaded;
  }
  CHECK(loaded >= 6);
}
