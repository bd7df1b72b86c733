#include <catch2/catch.hpp>

#include "lagesbild/core/event_log.h"
#include "lagesbild/core/core.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/server/space_replica.h"
#include "test_support.h"

using namespace lagesbild;
using testing::SmallConfig;

namespace {

struct Space {
  SpaceState state = InitialState(SmallConfig(), kLiveSpace, false);
  TimeMs now = 1000;

  Decision Send(const Actor& actor, CommandBody body) {
    Decision decision = Decide(SmallConfig(), state, Command{actor, now += 1000, std::move(body)});
    for (const Event& event : decision.events) REQUIRE_FALSE(Apply(SmallConfig(), state, event));
    return decision;
  }
  std::string Post(const Actor& actor, MessageContent content) {
    Decision decision = Send(actor, PostMessage{std::move(content)});
    REQUIRE(decision.ok());
    return MessageId(state.space, decision.events.at(0).seq);
  }
};

// An information message to everyone.
MessageContent Information(std::string text) {
  MessageContent info;
  info.kind = MessageKind::kInformation;
  info.to_all = true;
  info.text = std::move(text);
  return info;
}

MessageContent Alert(std::vector<std::string> to) {
  MessageContent alert;
  alert.kind = MessageKind::kAlert;
  alert.to = std::move(to);
  alert.text = "Bussolycka E18, gå upp i stabsläge";
  alert.level = ReadinessLevel::kStaff;
  return alert;
}

using testing::kNorth;
using testing::kSouth;

}  // namespace

TEST_CASE("an alert stays pending until every addressed region has acknowledged") {
  Space space;
  const std::string id = space.Post(testing::Admin("ovningsledare"), Alert({"north", "south"}));
  const MessageState* alert = space.state.FindMessage(id);
  REQUIRE(alert);
  CHECK(alert->from_region.empty());
  CHECK(alert->RequiresAck());
  CHECK(alert->Pending() == std::vector<std::string>{"north", "south"});

  Decision first = space.Send(kNorth, Acknowledge{id, ""});
  REQUIRE(first.ok());
  CHECK(space.state.FindMessage(id)->Pending() == std::vector<std::string>{"south"});
  CHECK(space.state.FindMessage(id)->acks.at("north").stamp == Stamp{space.now, "tib-nord"});

  // Acknowledging twice is harmless: no new event, the first acknowledgement is reported.
  const Seq seq_before = space.state.seq;
  Decision again = space.Send(kNorth, Acknowledge{id, "north"});
  CHECK(again.ok());
  CHECK(again.events.empty());
  CHECK(again.already_done_at == first.events[0].seq);
  CHECK(space.state.seq == seq_before);

  REQUIRE(space.Send(kSouth, Acknowledge{id, ""}).ok());
  CHECK(space.state.FindMessage(id)->Pending().empty());
}

TEST_CASE("acknowledgement rules: unknown, not addressed, not required, no region") {
  Space space;
  const std::string alert = space.Post(kNorth, Alert({"north"}));
  MessageContent info;
  info.kind = MessageKind::kInformation;
  info.to_all = true;
  info.text = "Information utan kvittens";
  const std::string plain = space.Post(kNorth, info);

  CHECK(space.Send(kSouth, Acknowledge{alert, ""}).error->code == "not_addressed");
  CHECK(space.Send(kNorth, Acknowledge{plain, ""}).error->code == "not_addressed");
  CHECK(space.Send(kNorth, Acknowledge{"live:999", ""}).error->code == "unknown_message");
  CHECK(space.Send(kNorth, Acknowledge{"ovning:1", ""}).error->code == "unknown_message");
  CHECK(space.Send(kNorth, Acknowledge{"garbage", ""}).error->code == "unknown_message");
  CHECK(space.Send(testing::Admin(), Acknowledge{alert, ""}).error->code == "bad_message");
  CHECK(space.Send(testing::Admin(), Acknowledge{alert, "west"}).error->code == "unknown_region");
  // A trainer may acknowledge on a region's behalf.
  CHECK(space.Send(testing::Admin(), Acknowledge{alert, "north"}).ok());
  // A message marked as requiring acknowledgement works like an alert.
  info.requires_ack = true;
  const std::string marked = space.Post(kSouth, info);
  CHECK(space.state.FindMessage(marked)->from_region == "south");
  CHECK(space.state.FindMessage(marked)->Pending() == std::vector<std::string>{"north", "south"});
}

TEST_CASE("message validation") {
  Space space;
  auto error_of = [&](MessageContent content) {
    Decision decision = space.Send(kNorth, PostMessage{std::move(content)});
    REQUIRE(decision.error);
    CHECK(decision.events.empty());
    return decision.error->field + ":" + decision.error->code;
  };
  MessageContent alert = Alert({"north"});
  alert.level.reset();
  CHECK(error_of(alert) == "level:bad_message");
  CHECK(error_of(Alert({})) == "to:bad_message");
  CHECK(error_of(Alert({"west"})) == "to:unknown_region");
  MessageContent text = Alert({"north"});
  text.text = std::string(4001, 'a');
  CHECK(error_of(text) == "text:invalid_value");
  text.text = "";
  CHECK(error_of(text) == "text:bad_message");
  MessageContent methane;
  methane.kind = MessageKind::kMethane;
  methane.to_all = true;
  CHECK(error_of(methane) == "methane:bad_message");
  methane.methane.emplace();
  CHECK(error_of(methane) == "methane:bad_message");  // all seven empty
  (*methane.methane)[1] = "E18/E20 vid Arboga";
  CHECK(space.Send(kNorth, PostMessage{methane}).ok());
  MessageContent sitrep;
  sitrep.kind = MessageKind::kSituationReport;
  sitrep.to_all = true;
  sitrep.text = "Läget";
  sitrep.fields = {{"skadade", std::string(501, 'x')}};
  CHECK(error_of(sitrep) == "fields.skadade:invalid_value");
  // 4000 characters of å are 8000 bytes, and allowed.
  std::string swedish;
  for (int i = 0; i < 4000; ++i) swedish += "å";
  sitrep.fields.clear();
  sitrep.text = swedish;
  CHECK(space.Send(kNorth, PostMessage{sitrep}).ok());
}

TEST_CASE("a message record carries addressees, pending regions and acknowledgements") {
  Space space;
  MessageContent all = Alert({});
  all.to_all = true;
  const std::string id = space.Post(kNorth, all);
  REQUIRE(space.Send(kSouth, Acknowledge{id, ""}).ok());
  Json record = MessageToJson(space.state.space, *space.state.FindMessage(id));
  CHECK(record["id"] == id);
  CHECK(record["from"] == "north");
  CHECK(record["sent_by"] == "tib-nord");
  CHECK(record["to"] == Json{"north", "south"});
  CHECK(record["to_all"] == true);
  CHECK(record["level"] == "staff");
  CHECK(record["requires_ack"] == true);
  CHECK(record["pending"] == Json{"north"});
  CHECK(record["acks"]["south"]["by"] == "tib-syd");
}

TEST_CASE("confirming figures re-stamps only what was reported") {
  Space space;
  REQUIRE(space.Send(kNorth, ConfirmFigures{"big"}).error->code == "empty_report");
  CapacityReport report;
  report.hospital = "big";
  report.beds[Index(BedType::kAdultICU)] = BedReport{4, std::nullopt, std::nullopt, std::nullopt};
  report.reception[Index(Triage::kP1)] = 2;
  REQUIRE(space.Send(kNorth, report).ok());
  const HospitalState reported = space.state.hospitals[0];
  REQUIRE(space.Send(testing::Reporter("tib-nord-2", "north"), ConfirmFigures{"big"}).ok());
  const HospitalState& confirmed = space.state.hospitals[0];
  CHECK(confirmed.beds[Index(BedType::kAdultICU)].available == 4);
  CHECK(confirmed.beds[Index(BedType::kAdultICU)].stamp == Stamp{space.now, "tib-nord-2"});
  CHECK(confirmed.reception[Index(Triage::kP1)].stamp == Stamp{space.now, "tib-nord-2"});
  CHECK_FALSE(confirmed.reception[Index(Triage::kP2)].stamp.at);
  CHECK_FALSE(confirmed.ed_status.stamp.at);
  CHECK(confirmed.LastReportedAt() > reported.LastReportedAt());
}

TEST_CASE("new kinds of event survive their stored JSON, and rebuild the same state") {
  MessageContent methane;
  methane.kind = MessageKind::kMethane;
  methane.to = {"south", "north"};
  methane.methane = std::array<std::string, 7>{"Ja", "E18", "Buss", "Halka", "Norrifrån", "51", "3 amb"};
  methane.requires_ack = true;
  CapacityReport report;
  report.hospital = "big";
  report.ed_status = EdStatus::kClosed;
  const std::vector<std::pair<Actor, CommandBody>> commands = {
      {kNorth, PostMessage{methane}},
      {kSouth, Acknowledge{"live:1", ""}},
      {kNorth, report},
      {kNorth, ConfirmFigures{"big"}},
      {AnonymousViewer(), ConfirmFigures{"big"}},  // refused: recorded as access_denied
  };
  Space original;
  std::vector<Event> log;
  for (const auto& [actor, body] : commands) {
    Decision decision = original.Send(actor, body);
    for (const Event& event : decision.events) {
      auto round_trip = EventFromJson(Json::parse(EventToJson(event).dump()));
      REQUIRE(round_trip.ok());
      CHECK(round_trip.value() == event);
      log.push_back(round_trip.value());
    }
  }
  REQUIRE(log.size() == 5);
  CHECK(std::holds_alternative<AccessDenied>(log.back().body));
  SpaceState rebuilt = InitialState(SmallConfig(), kLiveSpace, false);
  for (const Event& event : log) REQUIRE_FALSE(Apply(SmallConfig(), rebuilt, event));
  CHECK(rebuilt == original.state);
}

TEST_CASE("a long-lived space keeps only recent and open messages in its state") {
  Space space;
  const MessageContent info = Information(std::string(4000, 'x'));
  const std::string open_alert = space.Post(testing::Admin(), Alert({"north", "south"}));
  for (int i = 0; i < 1200; ++i) space.Post(kNorth, info);
  CHECK(space.state.messages_posted == 1201);
  // The 50 newest, plus the old alert still waiting for its acknowledgements.
  REQUIRE(space.state.messages.size() == kRecentMessagesKept + 1);
  CHECK(space.state.FindMessage(open_alert));

  // Once acknowledged by all, the old alert is closed and archived.
  REQUIRE(space.Send(kNorth, Acknowledge{open_alert, ""}).ok());
  CHECK(space.state.FindMessage(open_alert));  // still open for south
  REQUIRE(space.Send(kSouth, Acknowledge{open_alert, ""}).ok());
  CHECK_FALSE(space.state.FindMessage(open_alert));
  CHECK(space.state.messages.size() == kRecentMessagesKept);

  // Acknowledging it again is a clear error, not a crash or a silent success.
  Decision late = space.Send(kSouth, Acknowledge{open_alert, ""});
  REQUIRE(late.error);
  CHECK(late.error->code == "unknown_message");
  CHECK_THAT(late.error->message, Catch::Contains("archived"));
}

TEST_CASE("open messages beyond the kept number are archived, the newest ones stay") {
  Space space;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < kOpenMessagesKept + 10; ++i) {
    ids.push_back(space.Post(testing::Admin(), Alert({"north"})));
  }
  CHECK(space.state.messages.size() == kOpenMessagesKept);
  CHECK_FALSE(space.state.FindMessage(ids.front()));
  CHECK(space.state.FindMessage(ids.back()));
}

TEST_CASE("the snapshot carries messages within its byte budget and says where the log goes on") {
  Space space;
  MessageContent info = Information(std::string(4000, 'y'));
  for (int i = 0; i < 300; ++i) space.Post(kNorth, info);
  const std::string open_alert = space.Post(testing::Admin(), Alert({"south"}));
  const Json json = StateToJson(SmallConfig(), space.state);
  const Json& log = json.at("message_log");
  CHECK(log.at("total") == 301);
  CHECK(log.at("open") == 1);
  CHECK(log.at("shown") == json.at("messages").size());
  CHECK(json.at("messages").size() == kRecentMessagesKept);
  CHECK(json.dump().size() < 1024 * 1024);
  // The run of newest messages starts at older_before: the client pages on from there.
  const Seq oldest_shown = json.at("messages").at(0).at("seq").get<Seq>();
  CHECK(log.at("older_before") == oldest_shown);

  // With huge messages, the byte budget (not the count) bounds the snapshot.
  Space big;
  info.text = std::string(4000, '\x01');  // six bytes each as JSON
  for (int i = 0; i < 60; ++i) big.Post(kNorth, info);
  const Json capped = StateToJson(SmallConfig(), big.state);
  CHECK(capped.at("messages").size() < kRecentMessagesKept);
  CHECK(capped.at("messages").dump().size() <= kSnapshotMessageBytes + 4096);
  CHECK(capped.at("message_log").at("older_before") == capped.at("messages").at(0).at("seq"));
}

TEST_CASE("older_before continues the newest run, not an old open message kept beside it") {
  Space space;
  space.Post(testing::Admin(), Alert({"south"}));  // stays open, oldest
  MessageContent info;
  info.kind = MessageKind::kInformation;
  info.to_all = true;
  info.text = "x";
  for (int i = 0; i < 120; ++i) space.Post(kNorth, info);
  const Json log = StateToJson(SmallConfig(), space.state).at("message_log");
  // The 50 newest are seq 72..121: the next page starts below 72, so 2..71 stay reachable.
  CHECK(log.at("older_before") == 72);
}

TEST_CASE("the delta of an acknowledgement that archives its message still carries the record") {
  Space space;
  const std::string alert = space.Post(testing::Admin(), Alert({"north"}));
  MessageContent info;
  info.kind = MessageKind::kInformation;
  info.to_all = true;
  info.text = "x";
  for (int i = 0; i < 60; ++i) space.Post(kSouth, info);
  SpaceReplica replica(testing::SharedSmallConfig(), space.state, 16);
  Decision ack = Decide(SmallConfig(), space.state, Command{kNorth, 999999, Acknowledge{alert, ""}});
  REQUIRE(ack.ok());
  auto delta = replica.Publish(ack.events.at(0));
  REQUIRE(delta.ok());
  CHECK_FALSE(replica.state().FindMessage(alert));  // archived at once
  const Json json = Json::parse(*delta.value());
  CHECK(json.at("message").at("id") == alert);
  CHECK(json.at("message").at("pending").empty());
  CHECK(json.at("message").at("acks").at("north").at("by") == "tib-nord");
}
