#include "lagesbild/core/json_mapping.h"

#include <algorithm>
#include <limits>
#include <set>

#include "lagesbild/core/forecast.h"
#include "lagesbild/core/patients.h"
#include "lagesbild/core/staleness.h"
#include "lagesbild/core/time_format.h"
#include "lagesbild/core/wire.h"
#include "json_read.h"

namespace lagesbild {
namespace {

void PutStamp(Json& out, const Stamp& stamp) {
  out["reported_at"] = stamp.at ? Json(FormatUtc(*stamp.at)) : Json(nullptr);
  out["reported_by"] = stamp.at ? Json(stamp.by) : Json(nullptr);
}

template <typename T, typename ToJson>
Json ReportedToJson(const Reported<T>& reported, ToJson to_json) {
  Json out;
  out["value"] = reported.value ? to_json(*reported.value) : Json(nullptr);
  PutStamp(out, reported.stamp);
  return out;
}

Json NameOf(ReadinessLevel level) { return WireName(level); }
Json NameOf(EdStatus status) { return WireName(status); }

std::optional<Error> ReadBeds(const Json& beds, CapacityReport& report) {
  if (!beds.is_object()) return MakeError("bad_message", "beds", "beds must be an object");
  for (const auto& item : beds.items()) {
    const std::string field = "beds." + item.key();
    auto type = ParseBedType(item.key());
    if (!type) {
      return MakeError("invalid_value", field,
                       "'" + item.key() + "' is not a bed type (AdultICU, PediatricICU, Burn, "
                       "MedicalSurgical, Pediatrics, OperatingRooms, EmergencyDepartment)");
    }
    if (!item.value().is_object()) {
      return MakeError("bad_message", field, field + " must be an object");
    }
    BedReport bed;
    for (const auto& figure : item.value().items()) {
      std::optional<std::int64_t>* target = figure.key() == "available" ? &bed.available
                                            : figure.key() == "baseline"  ? &bed.baseline
                                            : figure.key() == "surge24h"  ? &bed.surge24h
                                            : figure.key() == "surge72h"  ? &bed.surge72h
                                                                          : nullptr;
      if (!target) {
        return MakeError("bad_message", field + "." + figure.key(),
                         "unknown field " + field + "." + figure.key() +
                             " (available, baseline, surge24h, surge72h)");
      }
      if (auto error = ReadFigure(figure.value(), field + "." + figure.key(), target)) {
        return error;
      }
    }
    report.beds[Index(*type)] = bed;
  }
  return std::nullopt;
}

std::optional<Error> ReadReception(const Json& reception, CapacityReport& report) {
  if (!reception.is_object()) {
    return MakeError("bad_message", "reception", "reception must be an object");
  }
  for (const auto& item : reception.items()) {
    const std::string field = "reception." + item.key();
    auto priority = ParseTriage(item.key());
    if (!priority) {
      return MakeError("invalid_value", field,
                       "'" + item.key() + "' is not a triage priority (P1, P2, P3)");
    }
    if (auto error = ReadFigure(item.value(), field, &report.reception[Index(*priority)])) {
      return error;
    }
  }
  return std::nullopt;
}


}  // namespace

Json OverCapacityToJson(const std::optional<OverCapacity>& over) {
  if (!over) return nullptr;
  if (over->kind == OverCapacity::Kind::kIcuShort) {
    return {{"kind", "icu_short"}, {"p1", over->patients}, {"free_icu", over->capacity}};
  }
  if (over->kind == OverCapacity::Kind::kBurnShort) {
    return {{"kind", "burn_short"}, {"burns", over->patients}, {"free_burn", over->capacity}};
  }
  return {{"kind", "reception_rate"},
          {"priority", WireName(over->priority)},
          {"last_hour", over->patients},
          {"per_hour", over->capacity}};
}

Json FreshnessToJson(const Freshness& freshness) {
  // Figures reported together fall due together: each distinct time is formatted once.
  std::optional<TimeMs> last_at;
  Json last_text;
  const auto time = [&](const std::optional<TimeMs>& at) {
    if (!at) return Json(nullptr);
    if (at != last_at) {
      last_at = at;
      last_text = FormatUtc(*at);
    }
    return last_text;
  };
  Json due = Json::object();
  for (const auto& [field, at] : freshness.due) due[std::string(field)] = time(at);
  return {{"level", NameOf(freshness.level)},
          {"limit_minutes", freshness.limit_minutes},
          {"due", std::move(due)},
          {"stale_at", time(freshness.stale_at)}};
}

Json HospitalToJson(const HealthcareRegionConfig& config, const SpaceState& state,
                    std::size_t index) {
  const HospitalConfig& info = config.hospitals[index];
  const HospitalState& hospital = state.hospitals[index];
  Json out;
  out["id"] = info.id;
  out["name"] = info.name;
  out["town"] = info.town;
  out["region"] = info.region_id;
  out["note"] = info.note;
  Json& beds = out["beds"] = Json::object();
  for (BedType type : kAllBedTypes) {
    const BedFigure& figure = hospital.beds[Index(type)];
    Json bed;
    bed["available"] = figure.available ? Json(*figure.available) : Json(nullptr);
    bed["baseline"] = figure.baseline;
    bed["surge24h"] = figure.surge24h;
    bed["surge72h"] = figure.surge72h;
    PutStamp(bed, figure.stamp);
    beds[std::string(WireName(type))] = std::move(bed);
  }
  out["ed_status"] = ReportedToJson(hospital.ed_status, [](EdStatus s) { return NameOf(s); });
  Json& reception = out["reception"] = Json::object();
  Json& reception_baseline = out["reception_baseline"] = Json::object();
  const Freshness freshness = EvaluateFreshness(config, state, index);
  const auto planned = info.ReceptionAt(freshness.level);  // at the effective level
  for (Triage priority : kAllTriage) {
    const std::string name(WireName(priority));
    reception[name] =
        ReportedToJson(hospital.reception[Index(priority)], [](std::int64_t v) { return Json(v); });
    reception_baseline[name] = planned[Index(priority)];
  }
  Json& by_level = out["reception_by_level"] = Json::object();
  for (ReadinessLevel level : {ReadinessLevel::kNormal, ReadinessLevel::kReinforced, ReadinessLevel::kDisaster}) {
    by_level[std::string(WireName(level))] = PatientsToJson(info.ReceptionAt(level));
  }
  out["ed_hours"] = info.ed_hours ? Json{{"open", FormatClock(info.ed_hours->first)},
                                         {"close", FormatClock(info.ed_hours->second)}}
                                  : Json(nullptr);
  out["readiness"] =
      ReportedToJson(hospital.readiness, [](ReadinessLevel l) { return NameOf(l); });
  out["major_incident"] = ReportedToJson(hospital.major_incident, [](bool v) { return Json(v); });
  const Casualties& casualties = hospital.casualties;
  out["casualties"] = {{"incoming", PatientsToJson(casualties.incoming)},
                       {"received", PatientsToJson(casualties.received)},
                       {"over_capacity", casualties.over_capacity.has_value()},
                       {"over_capacity_reason", OverCapacityToJson(casualties.over_capacity)}};
  const auto last = hospital.LastReportedAt();
  out["last_reported_at"] = last ? Json(FormatUtc(*last)) : Json(nullptr);
  out["freshness"] = FreshnessToJson(freshness);
  if (auto forecast = ForecastCapacity(config, state, index)) {
    Json f{{"basis_at", FormatUtc(forecast->basis_at)}};
    for (const ResourceForecast& resource : forecast->resources) {
      f[std::string(WireName(resource.type))] = {
          {"free", resource.free ? Json(*resource.free) : Json(nullptr)},
          {"runs_out_at", resource.runs_out_at ? Json(FormatUtc(*resource.runs_out_at)) : Json(nullptr)}};
    }
    out["forecast"] = std::move(f);
  } else {
    out["forecast"] = nullptr;
  }
  return out;
}

Json RegionToJson(const HealthcareRegionConfig& config, std::size_t index,
                  const RegionState& region) {
  const RegionConfig& info = config.regions[index];
  Json out;
  out["id"] = info.id;
  out["name"] = info.name;
  Json& hospitals = out["hospitals"] = Json::array();
  for (std::size_t h : info.hospital_indexes) hospitals.push_back(config.hospitals[h].id);
  out["readiness"] = ReportedToJson(region.readiness, [](ReadinessLevel l) { return NameOf(l); });
  out["major_incident"] = ReportedToJson(region.major_incident, [](bool v) { return Json(v); });
  // Each kind's two figures with the newer of their stamps.
  const auto pair = [](const Reported<std::int64_t>& available, const Reported<std::int64_t>& committed) {
    Json entry{{"available", available.value ? Json(*available.value) : Json(nullptr)},
               {"committed", committed.value ? Json(*committed.value) : Json(nullptr)}};
    const Stamp& newer = available.stamp.at.value_or(0) >= committed.stamp.at.value_or(0)
                             ? available.stamp : committed.stamp;
    PutStamp(entry, newer);
    return entry;
  };
  const TransportFigures& t = region.transport;
  out["transport"] = {{"ambulances", pair(t.ambulances_available, t.ambulances_committed)},
                      {"helicopters", pair(t.helicopters_available, t.helicopters_committed)}};
  return out;
}

Json StateToJson(const HealthcareRegionConfig& config, const SpaceState& state) {
  Json out;
  out["healthcare_region"] = {{"id", config.id}, {"name", config.name}};
  out["stale_after_minutes"] = config.stale_after_minutes;
  Json& regions = out["regions"] = Json::array();
  for (std::size_t r = 0; r < state.regions.size(); ++r) {
    regions.push_back(RegionToJson(config, r, state.regions[r]));
  }
  Json& staleness = out["staleness"] = Json::object();
  for (ReadinessLevel level : {ReadinessLevel::kNormal, ReadinessLevel::kStaff,
                               ReadinessLevel::kReinforced, ReadinessLevel::kDisaster}) {
    staleness[std::string(WireName(level))] =
        config.stale_minutes_by_level[static_cast<std::size_t>(level)];
  }
  Json& hospitals = out["hospitals"] = Json::array();
  for (std::size_t h = 0; h < state.hospitals.size(); ++h) {
    hospitals.push_back(HospitalToJson(config, state, h));
  }
  Json& decisions = out["decisions"] = Json::array();
  for (const DecisionRecord& record : state.decisions) {
    decisions.push_back(DecisionRecordToJson(record));
  }
  // Messages within kSnapshotMessageBytes: first the open ones, newest first, in at most half of
  // it; then the newest run of all messages. "older_before" is where GET /api/messages?before=
  // continues that run.
  const std::size_t count = state.messages.size();
  std::vector<Json> records(count);
  std::size_t used = 0, open = 0;
  const auto fits = [&](std::size_t i, std::size_t budget) {
    Json record = MessageToJson(state.space, state.messages[i]);
    const std::size_t size = record.dump(-1, ' ', false, Json::error_handler_t::replace).size();
    if (used + size > budget) return false;
    used += size;
    records[i] = std::move(record);
    return true;
  };
  bool open_full = false;
  for (std::size_t i = count; i-- > 0;) {
    if (state.messages[i].Pending().empty()) continue;
    ++open;
    open_full = open_full || !fits(i, kSnapshotMessageBytes / 2);
  }
  // The run is taken only from the kRecentMessagesKept newest, which the state holds without a
  // gap; older ones it holds are open ones with gaps between them.
  std::size_t run = 0;
  Seq run_oldest = state.seq + 1;
  const std::size_t newest = count > kRecentMessagesKept ? count - kRecentMessagesKept : 0;
  for (std::size_t i = count; i-- > newest;) {
    if (records[i].is_null() && !fits(i, kSnapshotMessageBytes)) break;
    ++run;
    run_oldest = state.messages[i].seq;
  }
  Json& messages = out["messages"] = Json::array();
  for (Json& record : records) {
    if (!record.is_null()) messages.push_back(std::move(record));
  }
  out["message_log"] = {
      {"total", state.messages_posted},
      {"open", open},
      {"shown", messages.size()},
      {"older_before", state.messages_posted > static_cast<std::int64_t>(run) ? Json(run_oldest)
                                                                              : Json(nullptr)}};
  return out;
}

Json PatientsToJson(const PatientCounts& patients) {
  return {{"P1", patients[0]}, {"P2", patients[1]}, {"P3", patients[2]}};
}

namespace {

Json PatientGroupsToJson(const ExerciseInfo& info) {
  Json out = Json::array();
  for (const PatientGroup& group : info.patients) {
    Json entry{{"wave", group.wave}, {"priority", WireName(group.priority)},
               {"count", group.count}, {"burns", group.burns}, {"since_ms", group.since_ms},
               {"hospital", group.hospital.empty() ? Json(nullptr) : Json(group.hospital)},
               {"arrives_ms", group.arrives_ms ? Json(*group.arrives_ms) : Json(nullptr)},
               {"location", group.location}, {"region", nullptr}};
    for (const WaitingWave& wave : info.waiting_waves) {
      if (wave.wave == group.wave) entry["region"] = wave.region;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

Json ExerciseScenarioToJson(const ExerciseInfo& info) {
  return {{"id", info.scenario_id}, {"name", info.scenario_name},
          {"origin", info.scenario_version == 0 ? "file" : "saved"},
          {"version", info.scenario_version}, {"digest", info.scenario_digest}};
}

Json ExerciseInfoToJson(const ExerciseInfo& info) {
  Json out{{"scenario", ExerciseScenarioToJson(info)},
          {"dry_run", info.dry_run},
          {"status", WireName(info.status)},
          {"speed", info.speed},
          {"elapsed_ms", info.elapsed_ms},
          {"planned_ms", info.planned_ms},
          {"start", FormatUtc(info.start)}};
  Json flow = PatientFlowToJson(info);
  for (auto& [key, value] : flow.items()) out[key] = std::move(value);
  return out;
}

Json PatientFlowToJson(const ExerciseInfo& info) {
  return {{"patients", PatientGroupsToJson(info)},
          {"at_scene", PatientsToJson(AtScene(info))},
          {"on_the_way", PatientsToJson(OnTheWay(info))},
          {"deceased_waiting", info.deceased_waiting}};
}

Json ActorToJson(const Actor& actor) {
  Json out{{"kind", WireName(actor.kind)}, {"id", actor.id}};
  if (actor.kind == Actor::Kind::kUser) {
    out["role"] = WireName(actor.role);
    if (!actor.region.empty()) out["region"] = actor.region;
  }
  return out;
}

Json CapacityReportToJson(const CapacityReport& report) {
  Json out = Json::object();
  for (BedType type : kAllBedTypes) {
    const auto& bed = report.beds[Index(type)];
    if (!bed) continue;
    Json figures = Json::object();
    if (bed->available) figures["available"] = *bed->available;
    if (bed->baseline) figures["baseline"] = *bed->baseline;
    if (bed->surge24h) figures["surge24h"] = *bed->surge24h;
    if (bed->surge72h) figures["surge72h"] = *bed->surge72h;
    out["beds"][std::string(WireName(type))] = std::move(figures);
  }
  if (report.ed_status) out["ed_status"] = WireName(*report.ed_status);
  for (Triage priority : kAllTriage) {
    if (const auto& rate = report.reception[Index(priority)]) {
      out["reception"][std::string(WireName(priority))] = *rate;
    }
  }
  if (report.readiness) out["readiness"] = WireName(*report.readiness);
  if (!report.reason.empty()) out["reason"] = report.reason;
  return out;
}

Result<CapacityReport> CapacityReportFromJson(const Json& object,
                                                           std::string hospital) {
  CapacityReport report;
  report.hospital = std::move(hospital);
  std::optional<Error> error;
  if (auto it = object.find("beds"); it != object.end()) error = ReadBeds(*it, report);
  if (auto it = object.find("reception"); !error && it != object.end()) {
    error = ReadReception(*it, report);
  }
  if (auto it = object.find("ed_status"); !error && it != object.end()) {
    error = ReadEnum(*it, "ed_status", ParseEdStatus, "open, restricted, diversion, closed",
                     &report.ed_status);
  }
  if (auto it = object.find("reason"); !error && it != object.end()) {
    if (!it->is_string()) {
      error = MakeError("bad_message", "reason", "reason must be a text");
    } else {
      report.reason = it->get<std::string>();
    }
  }
  if (auto it = object.find("readiness"); !error && it != object.end()) {
    error = ReadEnum(*it, "readiness", ParseReadinessLevel,
                     "normal, staff, reinforced, disaster", &report.readiness);
  }
  if (error) return *error;
  return report;
}

}  // namespace lagesbild
