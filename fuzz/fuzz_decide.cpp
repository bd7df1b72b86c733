// Any command a client can send, judged and applied: an accepted command's events must always
// apply, and the state must keep its invariants (nothing available above baseline + surge,
// nothing negative, bounded messages, snapshots and checkpoints that read back), whatever came
// before. Nothing here catches: any exception escaping is a crash the fuzzer reports.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "lagesbild/core/saved_state.h"
#include "lagesbild/core/core.h"
#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/wire.h"

namespace {

const char* const kConfig = R"json({
  "healthcare_region": {"id": "test", "name": "Test"},
  "regions": [
    {"id": "north", "name": "Nord", "hospitals": [
      {"id": "big", "name": "Stora", "beds": {"AdultICU": {"baseline": 10, "surge24h": 4},
       "MedicalSurgical": {"baseline": 300, "surge24h": 30}}, "reception_baseline": {"P1": 3}},
      {"id": "small", "name": "Lilla", "beds": {"AdultICU": {"baseline": 2}}}]},
    {"id": "south", "name": "Syd", "hospitals": [{"id": "burns", "name": "Bränn",
       "beds": {"Burn": {"baseline": 6, "surge24h": 2}}}]}]})json";

const lagesbild::HealthcareRegionConfig& Config() {
  static const auto config = lagesbild::ParseConfig(kConfig, "fuzz").value();
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lagesbild;
  SpaceState state = InitialState(Config(), kLiveSpace, false);
  // Inputs may hold several commands separated by newlines: sequences matter.
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    const auto end = input.find('\n');
    const auto line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    auto parsed = ParseClientMessage(line);
    auto* message = std::get_if<ClientMessage>(&parsed);
    if (!message) continue;
    auto* request = std::get_if<CommandRequest>(message);
    if (!request) continue;
    const Actor actors[] = {Actor{Actor::Kind::kUser, "t", Role::kTrainer, ""},
                            Actor{Actor::Kind::kUser, "r", Role::kReporter, "north"},
                            AnonymousViewer()};
    Command command{actors[size % 3], static_cast<TimeMs>(state.seq) * 1000, request->body};
    Decision decision = Decide(Config(), state, command);
    for (const Event& event : decision.events) {
      if (Apply(Config(), state, event)) std::abort();  // an accepted event that does not apply
    }
    // The state stays bounded, and every way it leaves the core reads back: a snapshot is one
    // JSON object within its message budget, a checkpoint restores exactly this state.
    if (state.messages.size() > kRecentMessagesKept + kOpenMessagesKept) std::abort();
    const Json snapshot = Json::parse(SnapshotMessage(Config(), state, 0));
    if (snapshot.at("state").at("messages").dump().size() > kSnapshotMessageBytes + 4096) std::abort();
    auto restored = SavedStateFromText(Config(), SavedStateToText(Config(), state));
    if (!restored.ok() || !(restored.value() == state)) {
      std::abort();
    }
    for (const HospitalState& hospital : state.hospitals) {
      for (const BedFigure& bed : hospital.beds) {
        if (bed.available && (*bed.available < 0 || *bed.available > bed.baseline + bed.surge24h)) {
          std::abort();
        }
      }
    }
  }
  return 0;
}
