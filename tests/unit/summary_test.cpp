// "Lägesbild nu" (core/summary.h) and its CSV (server/summary_csv.h), and Swedish local time.
#include <catch2/catch.hpp>

#include "lagesbild/core/core.h"
#include "lagesbild/core/summary.h"
#include "lagesbild/core/time_format.h"
#include "summary_csv.h"
#include "test_support.h"

using namespace lagesbild;
using testing::SmallConfig;
using testing::kMinute;
using testing::kNorth;
using testing::kSouth;

namespace {

constexpr TimeMs kStart = 1796288400000;  // 2026-12-03T09:00:00Z, 10:00 in Sweden

struct Space {
  explicit Space(std::string name = kLiveSpace, bool exercise = false)
      : state(InitialState(SmallConfig(), std::move(name), exercise)) {}
  SpaceState state;
  TimeMs now = kStart;

  std::vector<Event> Send(const Actor& actor, CommandBody body) {
    Decision decision = Decide(SmallConfig(), state, Command{actor, now += 1000, std::move(body)});
    if (!decision.ok()) FAIL(decision.error->message);
    for (const Event& event : decision.events) REQUIRE_FALSE(Apply(SmallConfig(), state, event));
    return decision.events;
  }
  void Beds(const Actor& actor, const std::string& hospital, BedType type, std::int64_t available) {
    CapacityReport report;
    report.hospital = hospital;
    report.beds[Index(type)] = BedReport{available, {}, {}, {}};
    Send(actor, report);
  }
  std::string Alert(std::vector<std::string> to, std::string text) {
    MessageContent alert;
    alert.kind = MessageKind::kAlert;
    alert.to = std::move(to);
    alert.text = std::move(text);
    alert.level = ReadinessLevel::kStaff;
    return MessageId(state.space, Send(testing::Admin("regionchef"), PostMessage{alert}).at(0).seq);
  }
  Json Summary(TimeMs at) const { return BuildSummary(SmallConfig(), state, at); }
};

const Json& Region(const Json& summary, const std::string& id) {
  for (const Json& region : summary["regions"]) {
    if (region["id"] == id) return region;
  }
  FAIL("no region " << id);
  static const Json none;
  return none;
}

}  // namespace

TEST_CASE("an empty space's summary knows nothing and says so: null, never zero") {
  Space space;
  const Json summary = space.Summary(kStart);
  CHECK(summary["label"] == "LIVE");
  CHECK(summary["exercise"] == false);
  CHECK(summary["at"] == "2026-12-03T09:00:00.000Z");
  CHECK(summary["healthcare_region"]["name"] == "Testregionen");
  CHECK_FALSE(summary.contains("scenario"));
  CHECK(summary["open_messages"].empty());
  const Json& north = Region(summary, "north");
  CHECK(north["name"] == "Region Nord");
  CHECK(north["beds"]["AdultICU"]["available"].is_null());
  CHECK(north["beds"]["AdultICU"]["baseline"] == 12);
  CHECK(north["beds"]["AdultICU"]["hospitals"] == 2);
  CHECK(north["beds"]["AdultICU"]["missing"] == 2);
  CHECK(north["beds"]["MedicalSurgical"]["hospitals"] == 1);  // the small one has none
  CHECK(north["beds"]["OperatingRooms"]["hospitals"] == 0);
  CHECK(north["reception"]["P1"]["per_hour"].is_null());
  CHECK(north["unreported"] == Json::array({"big", "small"}));
  CHECK(north["stale"].empty());
  CHECK(north["readiness"]["level"] == "normal");
  CHECK(north["readiness"]["set_by"].is_null());
  CHECK(north["hospitals"].size() == 2);
  CHECK(summary["total"]["beds"]["AdultICU"]["hospitals"] == 2);  // the burn centre has no IVA
  CHECK(summary["total"]["unreported"].size() == 3);
}

TEST_CASE("a busy space's summary: sums over those that reported, who set each level and why") {
  Space space;
  space.Beds(kNorth, "big", BedType::kAdultICU, 6);
  space.Beds(kNorth, "big", BedType::kMedicalSurgical, 120);
  CapacityReport rates;
  rates.hospital = "big";
  rates.reception = {2, 4, 9};
  space.Send(kNorth, rates);
  space.Send(kNorth, SetRegionReadiness{"north", ReadinessLevel::kStaff, "Bussolycka E18"});
  const std::string alert = space.Alert({"north", "south"}, "Gå upp i stabsläge");
  space.Send(kSouth, Acknowledge{alert, ""});

  Json summary = space.Summary(space.now);
  const Json& north = Region(summary, "north");
  CHECK(north["beds"]["AdultICU"]["available"] == 6);
  CHECK(north["beds"]["AdultICU"]["reported"] == 1);
  CHECK(north["beds"]["AdultICU"]["missing"] == 1);  // Lilla lasarettet has not
  CHECK(north["beds"]["MedicalSurgical"]["available"] == 120);
  CHECK(north["beds"]["MedicalSurgical"]["missing"] == 0);
  CHECK(north["reception"]["P2"]["per_hour"] == 4);
  CHECK(north["unreported"] == Json::array({"small"}));
  CHECK(north["readiness"]["level"] == "staff");
  CHECK(north["readiness"]["set_by"] == "tib-nord");
  CHECK(north["readiness"]["reason"] == "Bussolycka E18");
  CHECK(north["unacknowledged"] == Json::array({alert}));
  CHECK(Region(summary, "south")["unacknowledged"].empty());
  REQUIRE(summary["open_messages"].size() == 1);
  const Json& open = summary["open_messages"][0];
  CHECK(open["id"] == alert);
  CHECK(open["kind"] == "alert");
  CHECK(open["level"] == "staff");
  CHECK(open["pending"] == Json::array({"north"}));
  REQUIRE(open["acknowledged"].size() == 1);
  CHECK(open["acknowledged"][0]["region"] == "south");
  CHECK(open["acknowledged"][0]["by"] == "tib-syd");
  CHECK(summary["total"]["unacknowledged"] == Json::array({alert}));
  const Json& big = north["hospitals"][0];
  CHECK(big["id"] == "big");
  CHECK(big["region"] == "north");
  CHECK(big["beds"]["AdultICU"]["available"] == 6);
  CHECK(big["beds"]["AdultICU"]["baseline"] == 10);
  CHECK(big["beds"]["AdultICU"]["surge24h"] == 4);

  // A new level without a reason does not keep the old one's; a kvittens closes the larm.
  space.Send(kNorth, SetRegionReadiness{"north", ReadinessLevel::kReinforced, ""});
  space.Send(kNorth, Acknowledge{alert, ""});
  summary = space.Summary(space.now);
  CHECK(Region(summary, "north")["readiness"]["level"] == "reinforced");
  CHECK(Region(summary, "north")["readiness"]["reason"].is_null());
  CHECK(summary["open_messages"].empty());
  CHECK(Region(summary, "north")["unacknowledged"].empty());
}

TEST_CASE("a summary names the hospitals whose figures are past their limit") {
  Space space;
  space.Beds(kNorth, "big", BedType::kAdultICU, 6);
  CHECK(space.Summary(space.now + 29 * kMinute)["total"]["stale"].empty());
  const Json late = space.Summary(space.now + 31 * kMinute);  // 30 min in normalläge here
  CHECK(late["total"]["stale"] == Json::array({"big"}));
  CHECK(Region(late, "north")["stale"] == Json::array({"big"}));
  CHECK(Region(late, "south")["stale"].empty());
}

TEST_CASE("an exercise's summary is labelled ÖVNING, in its CSV too") {
  Space space("ovning-1", true);
  space.Beds(testing::Trainer(), "big", BedType::kAdultICU, 3);
  const Json summary = space.Summary(space.now);
  CHECK(summary["label"] == "ÖVNING");
  CHECK(summary["exercise"] == true);
  const std::string csv = SummaryCsv(SmallConfig(), summary);
  CHECK(csv.rfind("\xEF\xBB\xBF# ÖVNING – ", 0) == 0);
  CHECK(SummaryCsv(SmallConfig(), Space().Summary(kStart)).rfind("\xEF\xBB\xBF# LIVE – ", 0) == 0);
}

TEST_CASE("the summary's CSV: Swedish columns, empty for unknown, formulas disarmed, quotes doubled") {
  Space space;
  space.Beds(kNorth, "big", BedType::kAdultICU, 6);
  space.Send(kNorth, SetRegionReadiness{"north", ReadinessLevel::kDisaster, "\"Ras\" i =tunneln"});
  space.Alert({"north"}, "=HYPERLINK(\"http://x\")");
  const std::string csv = SummaryCsv(SmallConfig(), space.Summary(space.now));
  CHECK(csv.find("\"nivå\";\"region\";\"sjukhus\";\"beredskapsläge\";\"beslutat av\"") != std::string::npos);
  CHECK(csv.find("\"lediga IVA\"") != std::string::npos);
  CHECK(csv.find("\"mottagning P1 per timme\"") != std::string::npos);
  // Region Nord: katastrofläge set by tib-nord at 10:00 Swedish time, 6 free IVA beds of 12,
  // one hospital not reported, no vårdplatser reported (empty, not 0), one larm unacknowledged.
  CHECK(csv.find("\"region\";\"Region Nord\";\"\";\"katastrofläge\";\"tib-nord\";\"2026-12-03 10:00\";"
                 "\"\"\"Ras\"\" i =tunneln\";\"\";\"6\";\"12\";\"1\";\"\";\"300\";\"1\";") != std::string::npos);
  CHECK(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\"") != std::string::npos);
  CHECK(csv.find("\"larm\";\"live:") != std::string::npos);
  // The larm's row ends: not acknowledged by Region Nord, by nobody yet.
  CHECK(csv.find("\"stabsläge\";\"'=HYPERLINK(\"\"http://x\"\")\";\"Region Nord\";\"\"\n") != std::string::npos);
  CHECK(csv.find("\"sjukvårdsregion\";\"Testregionen\"") != std::string::npos);
}

TEST_CASE("Swedish local time: CET in winter, CEST from the last Sunday of March to that of October") {
  const auto at = [](const char* text) { return *ParseUtc(text); };
  CHECK(SwedishOffsetMinutes(at("2026-03-29T00:59:59Z")) == 60);
  CHECK(SwedishOffsetMinutes(at("2026-03-29T01:00:00Z")) == 120);
  CHECK(SwedishOffsetMinutes(at("2026-10-25T00:59:59Z")) == 120);
  CHECK(SwedishOffsetMinutes(at("2026-10-25T01:00:00Z")) == 60);
  CHECK(SwedishOffsetMinutes(at("2027-03-28T01:00:00Z")) == 120);
  CHECK(SwedishOffsetMinutes(at("2027-03-27T12:00:00Z")) == 60);
  CHECK(FormatSwedishTime(at("2026-12-03T09:15:00Z")) == "2026-12-03 10:15");
  CHECK(FormatSwedishTime(at("2026-07-01T22:30:00Z")) == "2026-07-02 00:30");
  CHECK(FormatSwedishTime(at("2026-12-31T23:30:00Z")) == "2027-01-01 00:30");
}
