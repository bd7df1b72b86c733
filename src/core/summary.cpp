#include "lagesbild/core/summary.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "lagesbild/core/staleness.h"
#include "lagesbild/core/time_format.h"

namespace lagesbild {
namespace {

Json TimeOrNull(const std::optional<TimeMs>& at) { return at ? Json(FormatUtc(*at)) : Json(nullptr); }

struct BedSum {
  std::int64_t available = 0, baseline = 0, surge24h = 0, surge72h = 0;
  int hospitals = 0;  // that have the bed type
  int reported = 0;   // of those, that reported how many are free
};

struct RateSum {
  std::int64_t per_hour = 0;
  int hospitals = 0, reported = 0;
};

// The figures of one hospital, or summed over several.
struct Sums {
  std::array<BedSum, kSummaryBedTypes.size()> beds{};
  std::array<RateSum, kAllTriage.size()> reception{};
  std::vector<std::string> unreported;  // hospitals that never reported anything
  std::vector<std::string> stale;       // hospitals with a reported figure past its limit
  std::optional<TimeMs> last_reported_at;

  void Add(const HealthcareRegionConfig& config, const SpaceState& state, std::size_t h, TimeMs now) {
    const HospitalState& hospital = state.hospitals[h];
    for (std::size_t i = 0; i < kSummaryBedTypes.size(); ++i) {
      const BedFigure& bed = hospital.beds[Index(kSummaryBedTypes[i])];
      if (bed.baseline + bed.surge72h == 0 && !bed.available) continue;  // no such beds
      BedSum& sum = beds[i];
      ++sum.hospitals;
      sum.baseline += bed.baseline;
      sum.surge24h += bed.surge24h;
      sum.surge72h += bed.surge72h;
      if (bed.available) {
        ++sum.reported;
        sum.available += *bed.available;
      }
    }
    for (Triage priority : kAllTriage) {
      const Reported<std::int64_t>& rate = hospital.reception[Index(priority)];
      RateSum& sum = reception[Index(priority)];
      ++sum.hospitals;
      if (rate.value) {
        ++sum.reported;
        sum.per_hour += *rate.value;
      }
    }
    const std::optional<TimeMs> last = hospital.LastReportedAt();
    const std::string& id = config.hospitals[h].id;
    if (!last) unreported.push_back(id);
    if (EvaluateStaleness(config, state, h, now).stale) stale.push_back(id);
    if (last && (!last_reported_at || *last > *last_reported_at)) last_reported_at = last;
  }

  // Adds another's sums (a hospital's into its region's and the total): each hospital is judged once.
  void Merge(const Sums& o) {
    for (std::size_t i = 0; i < beds.size(); ++i) {
      beds[i].available += o.beds[i].available;
      beds[i].baseline += o.beds[i].baseline;
      beds[i].surge24h += o.beds[i].surge24h;
      beds[i].surge72h += o.beds[i].surge72h;
      beds[i].hospitals += o.beds[i].hospitals;
      beds[i].reported += o.beds[i].reported;
    }
    for (std::size_t i = 0; i < reception.size(); ++i) {
      reception[i].per_hour += o.reception[i].per_hour;
      reception[i].hospitals += o.reception[i].hospitals;
      reception[i].reported += o.reception[i].reported;
    }
    unreported.insert(unreported.end(), o.unreported.begin(), o.unreported.end());
    stale.insert(stale.end(), o.stale.begin(), o.stale.end());
    if (o.last_reported_at && (!last_reported_at || *o.last_reported_at > *last_reported_at)) {
      last_reported_at = o.last_reported_at;
    }
  }

  void Into(Json& row) const {
    Json& out_beds = row["beds"] = Json::object();
    for (std::size_t i = 0; i < kSummaryBedTypes.size(); ++i) {
      const BedSum& sum = beds[i];
      out_beds[std::string(WireName(kSummaryBedTypes[i]))] = {
          {"available", sum.reported ? Json(sum.available) : Json(nullptr)},
          {"baseline", sum.baseline},
          {"surge24h", sum.surge24h},
          {"surge72h", sum.surge72h},
          {"hospitals", sum.hospitals},
          {"reported", sum.reported},
          {"missing", sum.hospitals - sum.reported}};
    }
    Json& out_reception = row["reception"] = Json::object();
    for (Triage priority : kAllTriage) {
      const RateSum& sum = reception[Index(priority)];
      out_reception[std::string(WireName(priority))] = {
          {"per_hour", sum.reported ? Json(sum.per_hour) : Json(nullptr)},
          {"hospitals", sum.hospitals},
          {"reported", sum.reported},
          {"missing", sum.hospitals - sum.reported}};
    }
    row["unreported"] = unreported;
    row["stale"] = stale;
    row["last_reported_at"] = TimeOrNull(last_reported_at);
  }
};

// A readiness level, when it was set and by whom, and why when the decisions log still holds it
// (the newest kDecisionsKept decisions).
Json ReadinessJson(const SpaceState& state, const Reported<ReadinessLevel>& readiness,
                   const std::string& region, const std::string& hospital) {
  Json out{{"level", readiness.value ? Json(WireName(*readiness.value)) : Json(nullptr)},
           {"set_at", TimeOrNull(readiness.stamp.at)},
           {"set_by", readiness.stamp.by.empty() ? Json(nullptr) : Json(readiness.stamp.by)},
           {"reason", nullptr}};
  if (!readiness.stamp.at) return out;
  for (auto it = state.decisions.rbegin(); it != state.decisions.rend(); ++it) {
    const DecisionContent& decision = it->content;
    if (decision.kind != DecisionKind::kReadinessSet || decision.region != region ||
        decision.hospital != hospital) {
      continue;
    }
    // Only the decision that set the level now in force.
    if (it->at == *readiness.stamp.at && decision.level == readiness.value && !decision.reason.empty()) {
      out["reason"] = decision.reason;
    }
    break;
  }
  return out;
}

Json MajorIncident(const Reported<bool>& declared) {
  return declared.value ? Json(*declared.value) : Json(nullptr);
}

Json OpenMessage(const std::string& space, const MessageState& message,
                 const std::vector<std::string>& pending) {
  Json acknowledged = Json::array();
  for (const std::string& region : message.addressees) {
    auto ack = message.acks.find(region);
    if (ack == message.acks.end()) continue;
    acknowledged.push_back({{"region", region},
                            {"at", TimeOrNull(ack->second.stamp.at)},
                            {"by", ack->second.stamp.by}});
  }
  Json out{{"id", MessageId(space, message.seq)},
           {"kind", WireName(message.content.kind)},
           {"at", FormatUtc(message.at)},
           {"from_region", message.from_region},
           {"sent_by", message.sent_by},
           {"level", message.content.level ? Json(WireName(*message.content.level)) : Json(nullptr)},
           {"text", message.content.text},
           {"addressees", message.addressees},
           {"pending", pending},
           {"acknowledged", std::move(acknowledged)}};
  if (!message.content.sender.empty()) out["sender"] = message.content.sender;
  return out;
}

}  // namespace

Json BuildSummary(const HealthcareRegionConfig& config, const SpaceState& state, TimeMs now) {
  Json body{{"type", "summary"},
            {"space", state.space},
            {"exercise", state.exercise},
            {"label", state.exercise ? "ÖVNING" : "LIVE"},
            {"healthcare_region", {{"id", config.id}, {"name", config.name}}},
            {"at", FormatUtc(now)},
            {"seq", state.seq}};
  if (state.exercise_info) {
    body["scenario"] = {{"id", state.exercise_info->scenario_id},
                        {"name", state.exercise_info->scenario_name},
                        {"elapsed_ms", std::max<std::int64_t>(0, now - state.exercise_info->start)}};
  }

  // Open messages: those awaiting a kvittens, oldest first; and per region those it owes.
  Json open = Json::array();
  std::vector<std::vector<std::string>> owed(config.regions.size());
  std::vector<std::string> every_open;
  for (const MessageState& message : state.messages) {
    std::vector<std::string> pending = message.Pending();
    if (pending.empty()) continue;
    const std::string id = MessageId(state.space, message.seq);
    for (const std::string& region : pending) {
      if (auto index = config.FindRegion(region)) owed[*index].push_back(id);
    }
    every_open.push_back(id);
    open.push_back(OpenMessage(state.space, message, pending));
  }

  Sums total;
  Json regions = Json::array();
  for (std::size_t r = 0; r < config.regions.size(); ++r) {
    const RegionConfig& region = config.regions[r];
    const RegionState& region_state = state.regions[r];
    Sums sums;
    Json hospitals = Json::array();
    for (std::size_t h : region.hospital_indexes) {
      const HospitalConfig& hospital = config.hospitals[h];
      Sums one;
      one.Add(config, state, h, now);
      sums.Merge(one);
      total.Merge(one);
      Json row{{"id", hospital.id},
               {"name", hospital.name},
               {"region", region.id},
               {"readiness", ReadinessJson(state, state.hospitals[h].readiness, region.id, hospital.id)},
               {"major_incident", MajorIncident(state.hospitals[h].major_incident)}};
      one.Into(row);
      hospitals.push_back(std::move(row));
    }
    Json row{{"id", region.id},
             {"name", region.name},
             {"readiness", ReadinessJson(state, region_state.readiness, region.id, "")},
             {"major_incident", MajorIncident(region_state.major_incident)}};
    sums.Into(row);
    row["unacknowledged"] = owed[r];
    row["hospitals"] = std::move(hospitals);
    regions.push_back(std::move(row));
  }
  Json total_row{{"id", config.id}, {"name", config.name}};
  total.Into(total_row);
  total_row["unacknowledged"] = every_open;
  body["regions"] = std::move(regions);
  body["total"] = std::move(total_row);
  body["open_messages"] = std::move(open);
  return body;
}

}  // namespace lagesbild
