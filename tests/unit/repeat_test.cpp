// A command sent again by its id (a page's outbox after the link came back): a signed-in user's
// repeat of a command the space has committed is already done — the original's seq, nothing
// stored twice — within a window of the space's time and a count, through a saved state and a
// log replay; what was refused is judged again; the id never reaches other boards.
#include <catch2/catch.hpp>

#include "lagesbild/core/core.h"
#include "lagesbild/core/event_log.h"
#include "lagesbild/core/saved_state.h"
#include "lagesbild/core/wire.h"
#include "test_support.h"

using namespace lagesbild;
using testing::SmallConfig;
using testing::kNorth;
using testing::kSouth;

namespace {

struct RepeatSpace {
  SpaceState state = InitialState(SmallConfig(), kLiveSpace, false);
  TimeMs now = 1000;

  Decision Send(const Actor& actor, const std::string& id, std::int64_t icu, TimeMs step = 1000) {
    CapacityReport report;
    report.hospital = "big";
    report.beds[Index(BedType::kAdultICU)] = BedReport{icu, {}, {}, {}};
    Command command{actor, now += step, report};
    command.command_id = id;
    Decision decision = Decide(SmallConfig(), state, command);
    for (const Event& event : decision.events) REQUIRE_FALSE(Apply(SmallConfig(), state, event));
    return decision;
  }
  std::int64_t Icu() const { return *state.hospitals[0].beds[Index(BedType::kAdultICU)].available; }
};

}  // namespace

TEST_CASE("a repeat of a committed command is already done: its seq, nothing stored again") {
  RepeatSpace space;
  const Decision first = space.Send(kNorth, "r-1", 6);
  REQUIRE(first.ok());
  REQUIRE(first.events.size() == 1);
  CHECK(first.events[0].command_id == "r-1");
  const Seq seq = first.events[0].seq;

  space.Send(kNorth, "r-2", 5);
  const Decision again = space.Send(kNorth, "r-1", 6);
  CHECK(again.ok());
  CHECK(again.events.empty());
  CHECK(again.already_done_at == seq);
  CHECK(space.Icu() == 5);  // the later report stands: the repeat changed nothing

  // Ids are the sender's own: another user's "r-1" is a command of its own.
  Actor admin = testing::Admin("regionchef");
  const Decision other = space.Send(admin, "r-1", 4);
  CHECK(other.ok());
  CHECK(other.events.size() == 1);
  CHECK(other.already_done_at == 0);
}

TEST_CASE("a refused command is judged again when sent again with its id") {
  RepeatSpace space;
  const Decision refused = space.Send(kNorth, "r-1", 999);  // above baseline + surge
  CHECK_FALSE(refused.ok());
  const Decision denied = space.Send(kSouth, "r-2", 3);  // not Region Syd's hospital
  CHECK(denied.error->code == "forbidden");
  REQUIRE(denied.events.size() == 1);  // the audit record
  CHECK(denied.events[0].command_id.empty());
  const Decision fixed = space.Send(kNorth, "r-1", 6);
  REQUIRE(fixed.ok());
  CHECK(fixed.events.size() == 1);
  CHECK(space.state.committed.Find("tib-syd", "r-2") == nullptr);
}

TEST_CASE("committed ids are forgotten after a day of the space's time, or beyond the count") {
  RepeatSpace space;
  space.Send(kNorth, "old", 6);
  CHECK(space.state.committed.Find("tib-nord", "old"));
  space.Send(kNorth, "later", 5, kCommittedWindowMs);  // exactly a day later: still held
  CHECK(space.state.committed.Find("tib-nord", "old"));
  space.Send(kNorth, "latest", 4, 1001);
  CHECK_FALSE(space.state.committed.Find("tib-nord", "old"));
  CHECK(space.Send(kNorth, "old", 6).events.size() == 1);  // judged as new

  CommittedCommands many;
  for (std::size_t i = 0; i <= kCommittedKept; ++i) many.Record("u", std::to_string(i), i + 1, 1000);
  CHECK(many.size() == kCommittedKept);
  CHECK_FALSE(many.Find("u", "0"));
  CHECK(many.Find("u", "1"));
  many.Record("u", "1", 99999, 1000);  // a later event of the same command: its seq moves on
  CHECK(many.Find("u", "1")->seq == 99999);
  CHECK(many.size() == kCommittedKept);
}

TEST_CASE("committed ids survive a saved state and a replay of the log, and never go to boards") {
  RepeatSpace space;
  const Decision first = space.Send(kNorth, "r-1", 6);
  space.Send(kNorth, "r-2", 5);

  auto saved = SavedStateFromText(SmallConfig(), SavedStateToText(SmallConfig(), space.state));
  REQUIRE(saved.ok());
  CHECK(saved.value() == space.state);
  CHECK(saved.value().committed.Find("tib-nord", "r-1")->seq == first.events[0].seq);

  // The event log keeps the id: a replay rebuilds the same state.
  const std::string logged = EventToLog(first.events[0]);
  auto read = EventFromLog(logged);
  REQUIRE(read.ok());
  CHECK(read.value().command_id == "r-1");
  CHECK(read.value() == first.events[0]);

  const std::string delta = DeltaMessage(SmallConfig(), space.state, first.events[0]);
  CHECK(delta.find("r-1") == std::string::npos);
}
