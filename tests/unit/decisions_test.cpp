// Decisions as commands: the rules of each kind, who may decide, the decisions log and its
// records on the wire, in the event log and in a saved state.
#include <catch2/catch.hpp>

#include "lagesbild/core/core.h"
#include "lagesbild/core/event_log.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/saved_state.h"
#include "lagesbild/core/wire.h"
#include "test_support.h"

using namespace lagesbild;
using testing::SmallConfig;

namespace {

// Parses a record_decision message as a client sends it.
Result<CommandBody> Parse(const std::string& fields) {
  auto parsed = ParseClientMessage(
      R"({"v": 1, "type": "record_decision", "id": "d", "space": "live", )" + fields + "}");
  if (const auto* error = std::get_if<WireError>(&parsed)) return error->error;
  return std::get<CommandRequest>(std::get<ClientMessage>(parsed)).body;
}

struct Space {
  SpaceState state = InitialState(SmallConfig(), kLiveSpace, false);
  lagesbild::Decision Submit(const Actor& actor, CommandBody body, TimeMs at = 1000) {
    lagesbild::Decision decision = Decide(SmallConfig(), state, Command{actor, at, std::move(body)});
    for (const Event& event : decision.events) {
      REQUIRE_FALSE(Apply(SmallConfig(), state, event));
      log.push_back(event);
    }
    return decision;
  }
  std::vector<Event> log;
};

RecordDecision Decided(DecisionKind kind, std::string region, std::string hospital = "") {
  RecordDecision decision;
  decision.decision.kind = kind;
  decision.decision.region = std::move(region);
  decision.decision.hospital = std::move(hospital);
  return decision;
}

}  // namespace

TEST_CASE("a declared major incident flags the region or hospital until it is stood down") {
  Space space;
  const Actor tib = testing::Reporter("tib-nord", "north");
  REQUIRE(space.Submit(tib, Decided(DecisionKind::kMajorIncidentDeclared, "north")).ok());
  CHECK(space.state.regions[0].major_incident.value == true);
  CHECK(space.state.regions[0].major_incident.stamp.by == "tib-nord");
  CHECK_FALSE(space.state.hospitals[0].major_incident.value);
  // The hospital's own declaration is its own flag.
  REQUIRE(space.Submit(tib, Decided(DecisionKind::kMajorIncidentDeclared, "north", "big")).ok());
  CHECK(space.state.hospitals[0].major_incident.value == true);
  REQUIRE(space.Submit(tib, Decided(DecisionKind::kMajorIncidentStoodDown, "north")).ok());
  CHECK(space.state.regions[0].major_incident.value == false);
  CHECK(space.state.hospitals[0].major_incident.value == true);
  // Nothing to stand down: refused, nothing stored.
  const auto refused = space.Submit(tib, Decided(DecisionKind::kMajorIncidentStoodDown, "north"));
  CHECK(refused.error->code == "invalid_value");
  CHECK(refused.events.empty());
  CHECK(space.state.decisions.size() == 3);
}

TEST_CASE("each decision kind has its rules") {
  Space space;
  const Actor trainer = testing::Admin();  // may decide for any region, live
  const auto code = [&](RecordDecision decision) {
    auto result = space.Submit(trainer, decision);
    return result.ok() ? std::string("ok") : result.error->code + ":" + result.error->field;
  };
  auto receiving = Decided(DecisionKind::kReceivingHospitals, "north");
  CHECK(code(receiving) == "invalid_value:hospitals");  // none listed
  receiving.decision.hospitals = {"big", "burns"};      // any region's hospitals
  CHECK(code(receiving) == "ok");
  receiving.decision.hospitals = {"big", "big"};
  CHECK(code(receiving) == "invalid_value:hospitals");
  receiving.decision.hospitals = {"karolinska"};
  CHECK(code(receiving) == "unknown_hospital:hospitals");

  auto judged = Decided(DecisionKind::kCapacityJudgement, "south");
  CHECK(code(judged) == "bad_message:judgement");
  judged.decision.judgement = CapacityJudgement::kStrained;
  CHECK(code(judged) == "ok");

  auto icu = Decided(DecisionKind::kIcuNeed, "north", "big");
  CHECK(code(icu) == "bad_message:icu_beds");
  icu.decision.icu_beds = kMaxFigure + 1;
  CHECK(code(icu) == "invalid_value:icu_beds");
  icu.decision.icu_beds = 4;
  CHECK(code(icu) == "ok");
  icu.decision.hospital = "burns";  // not a hospital of north
  CHECK(code(icu) == "invalid_value:hospital");

  auto shortage = Decided(DecisionKind::kCapacityShortage, "north", "small");
  shortage.decision.resource = "unicorns";
  shortage.decision.amount = 1;
  CHECK(code(shortage) == "invalid_value:resource");
  shortage.decision.resource = "AdultICU";
  shortage.decision.amount = 0;  // "no shortage", said explicitly
  CHECK(code(shortage) == "ok");

  auto request = Decided(DecisionKind::kSupportRequest, "north");
  request.decision.resource = "ambulances";
  request.decision.amount = 2;
  CHECK(code(request) == "unknown_region:to_region");
  request.decision.to_region = "north";
  CHECK(code(request) == "invalid_value:to_region");
  request.decision.to_region = "south";
  CHECK(code(request) == "ok");
  request.decision.amount = 0;  // a request asks for something
  CHECK(code(request) == "invalid_value:amount");

  auto reasoned = Decided(DecisionKind::kMajorIncidentDeclared, "south");
  reasoned.decision.reason = std::string(kMaxReasonLength + 1, 'x');
  CHECK(code(reasoned) == "invalid_value:reason");
  CHECK(code(Decided(DecisionKind::kReadinessSet, "south")) == "invalid_value:decision");
  CHECK(code(Decided(DecisionKind::kMajorIncidentDeclared, "east")) == "unknown_region:region");
}

TEST_CASE("a reporter decides for its own region only; the refusal is logged") {
  Space space;
  auto request = Decided(DecisionKind::kSupportRequest, "north");
  request.decision.resource = "staff";
  request.decision.amount = 5;
  request.decision.to_region = "south";
  CHECK(space.Submit(testing::Reporter("tib-nord", "north"), request).ok());  // asks another region
  const auto refused = space.Submit(testing::Reporter("tib-syd", "south"),
                                    Decided(DecisionKind::kMajorIncidentDeclared, "north"));
  CHECK(refused.error->code == "forbidden");
  REQUIRE(space.log.size() == 2);
  CHECK(std::get<AccessDenied>(space.log.back().body).command == "record_decision");
  CHECK(space.Submit(AnonymousViewer(), Decided(DecisionKind::kMajorIncidentDeclared, "north"))
            .error->code == "forbidden");
}

TEST_CASE("the decisions log holds decisions and readiness levels, newest kept, everywhere alike") {
  Space space;
  const Actor tib = testing::Reporter("tib-nord", "north");
  SetRegionReadiness level{"north", ReadinessLevel::kReinforced, "Bussolycka E4"};
  REQUIRE(space.Submit(tib, level, 1000).ok());
  CapacityReport hospital_level;
  hospital_level.hospital = "small";
  hospital_level.readiness = ReadinessLevel::kStaff;
  hospital_level.reason = "Larm från SOS";
  REQUIRE(space.Submit(tib, hospital_level, 2000).ok());
  REQUIRE(space.Submit(tib, testing::Report("big", BedType::kAdultICU, 3).body, 3000).ok());  // no level
  auto receiving = Decided(DecisionKind::kReceivingHospitals, "north");
  receiving.decision.hospitals = {"big"};
  receiving.decision.incident = "live:1";
  REQUIRE(space.Submit(tib, receiving, 4000).ok());

  REQUIRE(space.state.decisions.size() == 3);
  CHECK(space.state.decisions[0].content.kind == DecisionKind::kReadinessSet);
  CHECK(space.state.decisions[0].content.reason == "Bussolycka E4");
  CHECK(space.state.decisions[1].content.hospital == "small");
  CHECK(space.state.decisions[1].content.region == "north");  // the hospital's region
  CHECK(space.state.decisions[2].seq == 4);

  // On the wire: the snapshot's log and the delta's record.
  const Json snapshot = Json::parse(SnapshotMessage(SmallConfig(), space.state, 5000, std::nullopt));
  const Json& records = snapshot["state"]["decisions"];
  REQUIRE(records.size() == 3);
  CHECK(records[0]["decision"] == "readiness_set");
  CHECK(records[0]["level"] == "reinforced");
  CHECK(records[2]["hospitals"] == Json::array({"big"}));
  CHECK(records[2]["incident"] == "live:1");
  CHECK(records[2]["by"] == "tib-nord");
  CHECK(records[2]["actor_kind"] == "user");
  CHECK(records[2]["reason"].is_null());
  CHECK(snapshot["state"]["regions"][0]["major_incident"]["value"].is_null());
  const Json delta = Json::parse(DeltaMessage(SmallConfig(), space.state, space.log.back(), 5000, nullptr));
  CHECK(delta["decision"] == records[2]);
  CHECK(delta["region"]["id"] == "north");
  CHECK(delta["event"]["kind"] == "decision_recorded");
  const Json report_delta = Json::parse(DeltaMessage(SmallConfig(), space.state, space.log[2], 5000, nullptr));
  CHECK_FALSE(report_delta.contains("decision"));

  // In the event log and a saved state: the same values come back.
  for (const Event& event : space.log) {
    CHECK(EventFromLog(EventToLog(event)).value() == event);
  }
  CHECK(SavedStateFromText(SmallConfig(), SavedStateToText(SmallConfig(), space.state)).value() ==
        space.state);

  // Only the newest kDecisionsKept stay in the state.
  for (std::size_t i = 0; i < kDecisionsKept + 5; ++i) {
    auto judged = Decided(DecisionKind::kCapacityJudgement, "north");
    judged.decision.judgement = CapacityJudgement::kSufficient;
    REQUIRE(space.Submit(tib, judged, 10000 + static_cast<TimeMs>(i)).ok());
  }
  CHECK(space.state.decisions.size() == kDecisionsKept);
  CHECK(space.state.decisions.back().seq == space.state.seq);
}

TEST_CASE("the wire takes each decision's own fields and refuses the others") {
  auto ok = Parse(R"("decision": "capacity_shortage", "region": "north", "hospital": "big",
                     "resource": "Burn", "amount": 3, "reason": "Brännskadade")");
  REQUIRE(ok.ok());
  const auto& decision = std::get<RecordDecision>(ok.value()).decision;
  CHECK(decision.kind == DecisionKind::kCapacityShortage);
  CHECK(decision.resource == "Burn");
  CHECK(decision.amount == 3);
  CHECK(decision.reason == "Brännskadade");
  CHECK(Parse(R"("decision": "major_incident_declared", "region": "north", "amount": 3)").error().field == "amount");
  CHECK(Parse(R"("decision": "icu_need", "region": "north", "icu_beds": "many")").error().code == "bad_message");
  CHECK(Parse(R"("decision": "capacity_judgement", "region": "north", "judgement": "fine")").error().code == "invalid_value");
  CHECK(Parse(R"("decision": "readiness_set", "region": "north")").error().field == "decision");
  CHECK(Parse(R"("decision": "readiness_set", "region": "north", "level": "staff")").error().field == "level");
  CHECK(Parse(R"("decision": "dance", "region": "north")").error().code == "invalid_value");
  CHECK(Parse(R"("region": "north")").error().field == "decision");
  CHECK(Parse(R"("decision": "major_incident_declared")").error().field == "region");
  CHECK(Parse(R"("decision": "receiving_hospitals", "region": "north", "hospitals": "big")").error().field == "hospitals");
  CHECK(Parse(R"("decision": "major_incident_declared", "region": "north", "colour": "red")").error().field == "colour");
}

TEST_CASE("a message's sender: for the exercise command only, from a known list") {
  Space space;
  MessageContent content;
  content.kind = MessageKind::kInformation;
  content.to = {"north"};
  content.text = "Vi har 40 skadade på platsen";
  content.sender = "scene_command";
  CHECK(space.Submit(testing::Reporter("tib-syd", "south"), PostMessage{content}).error->code == "forbidden");
  REQUIRE(space.Submit(testing::Admin(), PostMessage{content}).ok());
  CHECK(space.state.messages.back().content.sender == "scene_command");
  CHECK_FALSE(space.state.messages.back().scripted);
  content.sender = "the_pope";
  CHECK(space.Submit(testing::Admin(), PostMessage{content}).error->field == "sender");
  content.sender = "sos_alarm";
  REQUIRE(space.Submit(testing::Scenario("demo"), PostMessage{content, "north"}).ok());
  const Json record = MessageToJson(kLiveSpace, space.state.messages.back());
  CHECK(record["scripted"] == true);  // in north's name: motspel
  CHECK(record["from"] == "north");
  CHECK(record["sender"] == "sos_alarm");
}
