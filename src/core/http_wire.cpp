#include "lagesbild/core/http_wire.h"

#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/time_format.h"
#include "lagesbild/core/wire.h"

namespace lagesbild {

std::string HealthMessage(const HealthReport& report) {
  Json body{{"status", report.status}, {"tls", report.tls},
            {"insecure_plaintext", report.insecure_plaintext}};
  if (report.reason) body["reason"] = *report.reason;
  if (report.detailed) {
    Json& spaces = body["spaces"] = Json::object();
    for (const auto& [name, seq] : report.spaces) spaces[name] = seq;
    Json& connections = body["connections"] = Json::object();
    for (const auto& [name, value] : report.connections) connections[name] = value;
    Json& limits = body["limits"] = Json::object();
    for (const auto& [name, value] : report.limits) limits[name] = value;
  }
  return Envelope(std::move(body));
}

namespace {

Json ScenarioEntry(const HealthcareRegionConfig& config, const ScenarioFile& file) {
  Json entry{{"id", file.id}, {"name", file.name}, {"description", file.description},
             {"modelled_on", {{"incident", file.incident}, {"source", file.source}}},
             {"healthcare_region", file.healthcare_region},
             {"planned_duration_minutes", file.planned_minutes},
             {"valid", file.scenario != nullptr}, {"errors", file.errors},
             {"digest", file.digest}};
  Json injects = Json::array();
  if (file.scenario) {
    for (const Inject& inject : file.scenario->injects) {
      injects.push_back({{"id", inject.id}, {"at_ms", inject.at}, {"kind", InjectKind(inject.body)},
                         {"summary", InjectSummary(config, inject)}});
    }
  }
  entry["injects"] = std::move(injects);
  return entry;
}

}  // namespace

std::string ScenarioListMessage(const HealthcareRegionConfig& config,
                                const std::vector<ScenarioFile>& files,
                                const std::vector<SavedScenarioListing>& saved) {
  Json list = Json::array();
  for (const ScenarioFile& file : files) {
    Json entry = ScenarioEntry(config, file);
    entry["origin"] = "file";
    entry["version"] = 0;
    entry["versions"] = Json::array();
    list.push_back(std::move(entry));
  }
  for (const SavedScenarioListing& listing : saved) {
    Json entry = ScenarioEntry(config, listing.newest);
    entry["origin"] = "saved";
    Json& versions = entry["versions"] = Json::array();
    for (const ScenarioVersion& version : *listing.versions) {
      versions.push_back({{"version", version.version},
                          {"saved_at", FormatUtc(version.at)},
                          {"saved_by", ActorToJson(version.by)},
                          {"valid", version.valid},
                          {"problems", version.problems.size()},
                          {"restored_from", version.restored_from == 0 ? Json(nullptr)
                                                                       : Json(version.restored_from)},
                          {"digest", version.digest}});
    }
    entry["version"] = listing.versions->empty() ? 0 : listing.versions->back().version;
    list.push_back(std::move(entry));
  }
  return Envelope({{"scenarios", std::move(list)}});
}

std::string SpacesMessage(const std::vector<SpaceListing>& spaces, TimeMs now) {
  Json list = Json::array();
  for (const SpaceListing& space : spaces) {
    Json entry{{"space", space.space}, {"exercise", space.exercise}, {"seq", space.seq}};
    if (space.info) {
      Json described = ExerciseInfoToJson(*space.info);
      if (space.clock) {
        described["elapsed_ms"] = space.clock->elapsed_ms;
        described["status"] = space.clock->status;
        described["speed"] = space.clock->speed;
      }
      described["clock_wall_time"] = FormatUtc(now);
      entry["exercise_info"] = std::move(described);
    }
    list.push_back(std::move(entry));
  }
  return Envelope({{"spaces", std::move(list)}});
}

std::string HistoryMessage(const std::string& hospital, const std::string& space,
                           const std::vector<HistoryEntry>& entries, bool truncated) {
  Json body{{"hospital", hospital}, {"space", space}, {"truncated", truncated}};
  Json& list = body["entries"] = Json::array();
  for (const HistoryEntry& entry : entries) {
    Json item{{"seq", entry.seq}, {"at", FormatUtc(entry.at)}, {"by", entry.by}, {"kind", entry.kind}};
    if (!entry.report.is_null()) item["report"] = entry.report;
    list.push_back(std::move(item));
  }
  return Envelope(std::move(body));
}

std::string MessagePageMessage(const std::string& space, bool open,
                               const std::vector<MessageState>& messages,
                               std::optional<Seq> older_before, const std::vector<Seq>& unreadable) {
  Json page = Json::array();
  for (const MessageState& message : messages) page.push_back(MessageToJson(space, message));
  Json body{{"space", space}, {"messages", std::move(page)},
            {"older_before", older_before ? Json(*older_before) : Json(nullptr)}};
  if (open) body["open"] = true;
  if (!unreadable.empty()) body["unreadable"] = unreadable;
  return Envelope(std::move(body));
}

}  // namespace lagesbild
