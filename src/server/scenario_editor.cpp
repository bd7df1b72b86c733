#include "scenario_editor.h"

#include "lagesbild/core/catalogue.h"
#include "lagesbild/core/http_wire.h"
#include "lagesbild/core/permissions.h"

namespace lagesbild {
namespace {

std::optional<Error> TrainerOnly(const Actor& actor) {
  if (RunsExercises(actor.role)) return std::nullopt;
  return MakeError("forbidden", "", "only a trainer writes and checks scenarios");
}

}  // namespace

const ScenarioCatalogue* ScenarioEditor::Catalogue() const {
  const SpaceReplica* replica = shared_.Find(kCatalogueSpace);
  return replica && replica->state().catalogue ? &*replica->state().catalogue : nullptr;
}

void ScenarioEditor::Check(ConnectionHandle handle, const Actor& actor,
                           CheckScenarioRequest request) {
  if (auto refused = TrainerOnly(actor)) {
    shared_.SendError(handle, request.id, *refused);
    return;
  }
  // The loader's walk runs on the reader thread, never on the network thread.
  auto scenario = std::make_shared<const nlohmann::json>(std::move(request.scenario));
  const bool queued = net_.reader.TrySubmit([this, handle, id = request.id, scenario](EventStore&) {
    auto problems = ScenarioProblems(*net_.config, *scenario);
    asio::post(net_.io, [this, handle, id, problems = std::move(problems)] {
      shared_.Send(handle, ScenarioCheckMessage(id, problems));
    });
  });
  if (!queued) {
    shared_.SendError(handle, request.id,
                      MakeError("busy", "", "the server is busy reading; check again in a moment"));
  }
}

void ScenarioEditor::Save(ConnectionHandle handle, const Actor& actor, SaveScenarioRequest request) {
  if (auto refused = TrainerOnly(actor)) {
    shared_.SendError(handle, request.id, *refused);
    return;
  }
  SaveScenario save{request.scenario_id, std::move(request.text), request.base_version, 0};
  Submit(handle, actor, request.id, std::move(save));
}

void ScenarioEditor::Restore(ConnectionHandle handle, const Actor& actor,
                             const RestoreScenarioRequest& request) {
  if (auto refused = TrainerOnly(actor)) {
    shared_.SendError(handle, request.id, *refused);
    return;
  }
  const ScenarioCatalogue* catalogue = Catalogue();
  const ScenarioVersion* old = catalogue ? catalogue->Find(request.scenario_id, request.version) : nullptr;
  if (!old) {
    shared_.SendError(handle, request.id,
                      MakeError("unknown_scenario", "version",
                                "no version " + std::to_string(request.version) + " of '" +
                                    request.scenario_id + "'"));
    return;
  }
  SaveScenario save{request.scenario_id, old->text, catalogue->Newest(request.scenario_id),
                    request.version};
  Submit(handle, actor, request.id, std::move(save));
}

void ScenarioEditor::Submit(ConnectionHandle handle, const Actor& actor, const std::string& id,
                            SaveScenario save) {
  if (net_.shutting_down) {
    shared_.SendError(handle, id, MakeError("shutting_down", "", "the server is stopping; nothing was stored"));
    return;
  }
  for (const ScenarioFile& file : *runner_.catalogue()) save.taken_ids.push_back(file.id);
  const std::string scenario_id = save.scenario_id;
  net_.engine.Submit(
      kCatalogueSpace, Command{actor, net_.clock->Now(), std::move(save)},
      [this, handle, id, scenario_id](const CommandOutcome& outcome) {
        // Engine thread: only hand off. The replica has applied the event by the time this runs
        // (commits are published before their completions, in order).
        asio::post(net_.io, [this, handle, id, scenario_id, outcome] {
          if (outcome.error) {
            shared_.SendError(handle, id, *outcome.error);
            return;
          }
          const ScenarioCatalogue* catalogue = Catalogue();
          const std::int64_t newest = catalogue ? catalogue->Newest(scenario_id) : 0;
          for (std::int64_t v = newest; v >= 1; --v) {
            const ScenarioVersion& version = *catalogue->Find(scenario_id, v);
            if (version.seq != outcome.seq) continue;
            shared_.Send(handle, ScenarioSavedMessage(id, outcome.seq, scenario_id, version.version,
                                                      version.valid, version.problems,
                                                      version.restored_from));
            return;
          }
          // Cannot happen: the replica applies every commit before its completion arrives.
          shared_.SendError(handle, id, MakeError("store_failed", "", "saved, but not visible"));
        });
      });
}

std::string ScenarioEditor::ListJson() {
  std::vector<SavedScenarioListing> saved;
  if (const ScenarioCatalogue* catalogue = Catalogue()) {
    for (const auto& [id, versions] : catalogue->scenarios) {
      if (versions.empty()) continue;
      std::shared_ptr<const Scenario> parsed;
      if (versions.back().valid) {
        if (auto found = runner_.FindScenario(id); found.ok()) parsed = found.value();
      }
      saved.push_back({SavedScenarioFile(id, versions.back(), parsed), &versions});
    }
  }
  return ScenarioListMessage(*net_.config, *runner_.catalogue(), saved);
}

Result<std::string> ScenarioEditor::Text(const std::string& id, std::int64_t version) const {
  for (const ScenarioFile& file : *runner_.catalogue()) {
    if (file.id == id && version == 0) return file.text;
  }
  const ScenarioCatalogue* catalogue = Catalogue();
  if (const ScenarioVersion* found = catalogue ? catalogue->Find(id, version) : nullptr) {
    return found->text;
  }
  return MakeError("unknown_scenario", "id", "no scenario '" + TruncateUtf8(id, kMaxIdLength) + "'" +
                                                 (version ? " of that version" : ""));
}

}  // namespace lagesbild
