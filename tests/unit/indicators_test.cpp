// The Swedish timed indicators: triggered by the larm that reached the region, met by a
// participant's decision up to the target (before the larm too), per region and per hospital;
// the review and its CSV; and scenario files of today's format loading unchanged.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "lagesbild/core/core.h"
#include "lagesbild/core/indicators.h"
#include "lagesbild/core/review.h"
#include "lagesbild/core/scenario.h"
#include "lagesbild/server/review_csv.h"
#include "test_support.h"

using namespace lagesbild;
using testing::SmallConfig;

namespace {

using testing::kMinute;
constexpr TimeMs kLarm = 1795429800000;  // 2026-11-23T10:30:00Z

struct Log {
  SpaceState state = InitialState(SmallConfig(), kLiveSpace, false);
  std::vector<Event> events;
  void Submit(const Actor& actor, TimeMs at, CommandBody body) {
    lagesbild::Decision decision = lagesbild::Decide(SmallConfig(), state, Command{actor, at, std::move(body)});
    REQUIRE(decision.ok());
    for (const Event& event : decision.events) {
      REQUIRE_FALSE(Apply(SmallConfig(), state, event));
      events.push_back(event);
    }
  }
  void Larm(TimeMs at, std::vector<std::string> to) {
    MessageContent content;
    content.kind = MessageKind::kAlert;
    content.to = std::move(to);
    content.text = "Larm: trafikolycka";
    content.level = ReadinessLevel::kStaff;
    Submit(testing::Scenario("test"), at, PostMessage{content});
  }
  void Decides(const Actor& actor, TimeMs at, DecisionKind kind, std::string region,
              std::string hospital = "") {
    RecordDecision decision;
    decision.decision.kind = kind;
    decision.decision.region = std::move(region);
    decision.decision.hospital = std::move(hospital);
    decision.decision.hospitals = {"big"};
    decision.decision.judgement = CapacityJudgement::kStrained;
    decision.decision.icu_beds = 3;
    decision.decision.resource = "AdultICU";
    decision.decision.amount = 2;
    if (kind != DecisionKind::kReceivingHospitals) decision.decision.hospitals.clear();
    if (kind != DecisionKind::kCapacityJudgement) decision.decision.judgement.reset();
    if (kind != DecisionKind::kIcuNeed) decision.decision.icu_beds.reset();
    if (kind != DecisionKind::kCapacityShortage) {
      decision.decision.resource.clear();
      decision.decision.amount.reset();
    }
    Submit(actor, at, decision);
  }
};

const IndicatorResult& Find(const std::vector<IndicatorResult>& results, std::string_view id,
                            const std::string& subject) {
  for (const IndicatorResult& r : results) {
    if (r.definition->id == id && (r.hospital.empty() ? r.region : r.hospital) == subject) return r;
  }
  FAIL("no indicator " << id << " for " << subject);
  throw;
}

const Actor kTibNorth = testing::Reporter("tib-nord", "north");
const Actor kTibSouth = testing::Reporter("tib-syd", "south");

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("a regional indicator: met before the larm and inside the window, not met after") {
  Log log;
  log.Decides(kTibNorth, kLarm - 5 * kMinute, DecisionKind::kMajorIncidentDeclared, "north");  // early
  log.Larm(kLarm, {"north", "south"});
  log.Submit(kTibNorth, kLarm + 2 * kMinute, SetRegionReadiness{"north", ReadinessLevel::kStaff});  // ≤ 3
  log.Submit(kTibSouth, kLarm + 4 * kMinute, SetRegionReadiness{"south", ReadinessLevel::kStaff});  // > 3
  log.Decides(kTibSouth, kLarm + 30 * kMinute, DecisionKind::kCapacityJudgement, "south");  // exactly 30

  const auto results = ComputeIndicators(SmallConfig(), log.events, {}, kLarm + 40 * kMinute);
  const auto& early = Find(results, "region_major_incident", "north");
  CHECK(early.outcome == Outcome::kMet);
  CHECK(*early.done_at == kLarm - 5 * kMinute);
  CHECK(early.trigger_at == kLarm);
  CHECK(early.by == "tib-nord");
  CHECK(Find(results, "region_readiness", "north").outcome == Outcome::kMet);
  const auto& late = Find(results, "region_readiness", "south");
  CHECK(late.outcome == Outcome::kNotMet);
  CHECK(*late.done_at == kLarm + 4 * kMinute);
  CHECK(Find(results, "region_capacity_judgement", "south").outcome == Outcome::kMet);  // on the due
  CHECK(Find(results, "region_capacity_judgement", "north").outcome == Outcome::kNotMet);  // never, 40 > 30
  // Judged 4 minutes in, the 5-minute target is still open.
  const auto at_four = ComputeIndicators(SmallConfig(), log.events, {}, kLarm + 4 * kMinute);
  CHECK(Find(at_four, "region_receiving_hospitals", "north").outcome == Outcome::kPending);
  CHECK(Find(at_four, "region_major_incident", "south").outcome == Outcome::kNotMet);
}

TEST_CASE("a hospital indicator starts with its region's larm and counts that hospital only") {
  Log log;
  log.Larm(kLarm, {"north"});
  CapacityReport level;
  level.hospital = "big";
  level.readiness = ReadinessLevel::kReinforced;
  log.Submit(kTibNorth, kLarm + 1 * kMinute, level);  // a level, no beds
  log.Submit(kTibNorth, kLarm + 20 * kMinute, testing::Report("small", BedType::kAdultICU, 1).body);
  log.Decides(kTibNorth, kLarm + 50 * kMinute, DecisionKind::kIcuNeed, "north", "big");       // > 45
  log.Decides(kTibNorth, kLarm + 30 * kMinute, DecisionKind::kIcuNeed, "north");              // regional
  log.Decides(kTibNorth, kLarm + 60 * kMinute, DecisionKind::kCapacityShortage, "north", "small");

  const auto results = ComputeIndicators(SmallConfig(), log.events, {}, kLarm + 70 * kMinute);
  CHECK(results.size() == 4 + 2 * 4);  // north only (south got no larm): 4 regional, 4 per hospital
  CHECK(Find(results, "hospital_readiness", "big").outcome == Outcome::kMet);
  CHECK(Find(results, "hospital_readiness", "small").outcome == Outcome::kNotMet);
  CHECK(Find(results, "hospital_resources_reported", "big").outcome == Outcome::kNotMet);  // a level is no resources
  CHECK(Find(results, "hospital_resources_reported", "small").outcome == Outcome::kMet);
  const auto& icu = Find(results, "hospital_icu_need", "big");
  CHECK(icu.outcome == Outcome::kNotMet);
  CHECK(*icu.done_at == kLarm + 50 * kMinute);  // the regional estimate is not the hospital's
  CHECK(Find(results, "hospital_icu_need", "small").outcome == Outcome::kNotMet);
  CHECK(Find(results, "hospital_capacity_shortage", "small").outcome == Outcome::kMet);
  CHECK(Find(results, "hospital_capacity_shortage", "big").outcome == Outcome::kPending);  // 120 min
  for (const IndicatorResult& r : results) CHECK(r.region == "north");
}

TEST_CASE("only participants meet indicators; a scenario may change the targets; the first larm counts") {
  Log log;
  log.Decides(testing::Scenario("test"), kLarm - kMinute, DecisionKind::kMajorIncidentDeclared, "south");
  log.Larm(kLarm, {"south"});
  log.Larm(kLarm + 10 * kMinute, {"south", "north"});
  log.Decides(kTibSouth, kLarm + 90000, DecisionKind::kMajorIncidentDeclared, "south");
  IndicatorTargets targets{{"region_major_incident", 2}};
  const auto results = ComputeIndicators(SmallConfig(), log.events, targets, kLarm + 20 * kMinute);
  const auto& south = Find(results, "region_major_incident", "south");
  CHECK(south.target_minutes == 2);
  CHECK(south.outcome == Outcome::kMet);  // 1.5 min against 2; the script's declaration did not count
  CHECK(south.by == "tib-syd");
  CHECK(Find(results, "region_major_incident", "north").trigger_at == kLarm + 10 * kMinute);
  CHECK(Find(results, "region_readiness", "south").target_minutes == 3);
  CHECK(ComputeIndicators(SmallConfig(), {}, {}, kLarm).empty());
}

TEST_CASE("the review shows every indicator and counts an early decision for its checkpoint") {
  // Like disco-fire: Region Syd raises its level at the first report, before the checkpoint at
  // 20:00 that asks for it; that early decision meets the checkpoint.
  auto parsed = ParseScenario(R"({
    "format": 2, "id": "early", "name": "Tidigt beslut", "description": "x",
    "modelled_on": {"incident": "Ingen", "source": "Test"},
    "healthcare_region": "test", "planned_duration_minutes": 60, "start_from": "scenario",
    "participating_regions": ["north", "south"],
    "indicator_targets": {"hospital_capacity_shortage": 50},
    "injects": [
      {"id": "larm", "at": "00:00", "kind": "message", "to": ["north", "south"], "sender": "sos_alarm",
       "message_kind": "alert", "level": "staff", "text": "Larm"},
      {"id": "cp-syd", "at": "20:00", "kind": "checkpoint", "within_minutes": 5,
       "description": "Syd i förstärkningsläge",
       "expect": {"event": "region_readiness_set", "region": "south", "min_level": "reinforced"}},
      {"id": "cp-mottagande", "at": "00:00", "kind": "checkpoint", "within_minutes": 5,
       "description": "Nord beslutar mottagande sjukhus",
       "expect": {"event": "decision_recorded", "decision": "receiving_hospitals", "region": "north"}}
    ]})", "early.json", SmallConfig());
  REQUIRE(parsed.ok());
  const Scenario& scenario = parsed.value();
  CHECK(scenario.format == 2);
  SpaceState state = InitialState(SmallConfig(), "ovning-1", true);
  std::vector<Event> log;
  const auto submit = [&](const Actor& actor, TimeMs elapsed, CommandBody body, std::string inject = "") {
    Decision decision = lagesbild::Decide(SmallConfig(), state,
                                          Command{actor, kLarm + elapsed, std::move(body), inject});
    REQUIRE(decision.ok());
    for (const Event& event : decision.events) {
      REQUIRE_FALSE(Apply(SmallConfig(), state, event));
      log.push_back(event);
    }
  };
  StartExercise start;
  start.scenario_id = scenario.id;
  start.scenario_name = scenario.name;
  start.planned_ms = scenario.planned_ms;
  submit(testing::Trainer(), 0, start);
  MessageContent larm = std::get<MessageInject>(scenario.injects[0].body).content;
  submit(testing::Scenario(scenario.id), 0, PostMessage{larm}, "larm");
  submit(kTibSouth, 2 * kMinute, SetRegionReadiness{"south", ReadinessLevel::kReinforced, "Brand"});
  RecordDecision receiving;
  receiving.decision.kind = DecisionKind::kReceivingHospitals;
  receiving.decision.region = "north";
  receiving.decision.hospitals = {"big", "small"};
  submit(kTibNorth, 4 * kMinute, receiving);

  const Json review = BuildReview(SmallConfig(), &scenario, state, log, 30 * kMinute);
  const Json& checkpoints = review["checkpoints"];
  REQUIRE(checkpoints.size() == 2);
  for (const Json& checkpoint : checkpoints) CHECK(checkpoint["status"] == "met");
  const Json& indicators = review["indicators"];
  // Both regions got the larm: 4 regional indicators each, 4 per hospital (3 hospitals).
  CHECK(indicators.size() == 2 * 4 + 3 * 4);
  std::set<std::string> names;
  for (const Json& i : indicators) names.insert(i["indicator"].get<std::string>());
  CHECK(names.size() == kIndicators.size());
  const auto row = [&](const std::string& id, const std::string& subject) {
    for (const Json& i : indicators) {
      const Json& who = i["hospital"].is_null() ? i["region"] : i["hospital"];
      if (i["indicator"] == id && who == subject) return i;
    }
    FAIL("no row " << id << " " << subject);
    return Json();
  };
  CHECK(row("region_readiness", "south")["status"] == "met");
  CHECK(row("region_readiness", "south")["actual_ms"] == 2 * kMinute);
  CHECK(row("region_receiving_hospitals", "north")["by"] == "tib-nord");
  CHECK(row("region_major_incident", "north")["status"] == "not_met");
  CHECK(row("hospital_capacity_shortage", "burns")["target_minutes"] == 50);
  CHECK(row("hospital_capacity_shortage", "burns")["due_ms"] == 50 * kMinute);
  CHECK(row("hospital_icu_need", "big")["status"] == "pending");
  CHECK(row("hospital_icu_need", "big")["trigger_message"] == "ovning-1:2");

  // The CSV: Swedish columns and values, no wire names.
  const std::string csv = ReviewCsv(SmallConfig(), review);
  CHECK(csv.rfind("# ÖVNING – Tidigt beslut (ovning-1)\n\"typ\";\"id\";\"avser\"", 0) == 0);
  CHECK(csv.find("\"prestationsindikator\";\"Beredskapsläge satt\";\"Region Syd\";\"inom 3 min efter larmet 00:00:00\";\"00:03:00\";\"00:02:00\";\"uppfylld\";\"tib-syd\"") != std::string::npos);
  CHECK(csv.find("\"IVA-behov uppskattat\";\"Stora sjukhuset\"") != std::string::npos);
  CHECK(csv.find("\"kontrollpunkt\";\"cp-syd\";\"\";\"Syd i förstärkningsläge\"") != std::string::npos);
  CHECK(csv.find("\"ej uppfylld\"") != std::string::npos);
  CHECK(csv.find("\"väntar\"") != std::string::npos);
  const std::regex wire_word(
      R"(\b(met|not_met|pending|missed|not_done|checkpoint|indicator|acknowledge\w*|first_report|region_\w+|hospital_\w+|reported|none|user|scenario)\b)");
  std::smatch match;
  CHECK_FALSE(std::regex_search(csv, match, wire_word));
  INFO(match.str());
}

TEST_CASE("scenario files written in format 1 load unchanged") {
  // tests/scenarios/format1 keeps the six shipped files as they were before format 2.
  const HealthcareRegionConfig mellansverige = testing::LoadRepoConfig("mellansverige.json");
  const HealthcareRegionConfig sydost = testing::LoadRepoConfig("sydost.json");
  std::size_t loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(LAGESBILD_SOURCE_DIR) +
                                                               "/tests/scenarios/format1")) {
    const std::string text = ReadFile(entry.path());
    const bool for_sydost = text.find("\"healthcare_region\": \"sydost\"") != std::string::npos;
    auto scenario = ParseScenario(text, entry.path().filename().string(),
                                  for_sydost ? sydost : mellansverige);
    INFO(entry.path().string());
    REQUIRE(scenario.ok());
    CHECK(scenario.value().format == 1);
    CHECK(scenario.value().indicator_targets.empty());  // the documented defaults
    CHECK(scenario.value().participating_regions.empty());
    ++loaded;
  }
  CHECK(loaded == 6);
}

TEST_CASE("with participating regions, the regions the script plays are not judged") {
  Log log;
  log.Larm(kLarm, {"north", "south"});
  const auto all = ComputeIndicators(SmallConfig(), log.events, {}, kLarm);
  const auto played = ComputeIndicators(SmallConfig(), log.events, {}, kLarm, {"south"});
  CHECK(all.size() == 8 + 3 * 4);
  REQUIRE(played.size() == 4 + 4);
  for (const IndicatorResult& r : played) CHECK(r.region == "south");
}
