// The decisions' JSON: as record_decision and decision_recorded carry it, and the decisions-log
// record (json_mapping.h).
#include <algorithm>
#include <set>

#include "json_read.h"

#include "lagesbild/core/json_mapping.h"
#include "lagesbild/core/time_format.h"
#include "lagesbild/core/wire.h"

namespace lagesbild {

Json DecisionContentToJson(const DecisionContent& d) {
  Json out{{"decision", WireName(d.kind)}, {"region", d.region}};
  out["hospital"] = d.hospital.empty() ? Json(nullptr) : Json(d.hospital);
  switch (d.kind) {
    case DecisionKind::kReceivingHospitals:
      out["hospitals"] = d.hospitals;
      out["incident"] = d.incident.empty() ? Json(nullptr) : Json(d.incident);
      break;
    case DecisionKind::kCapacityJudgement:
      if (d.judgement) out["judgement"] = WireName(*d.judgement);
      break;
    case DecisionKind::kIcuNeed:
      if (d.icu_beds) out["icu_beds"] = *d.icu_beds;
      break;
    case DecisionKind::kSupportRequest:
    case DecisionKind::kSupportOffer:
      out["to_region"] = d.to_region;
      [[fallthrough]];
    case DecisionKind::kCapacityShortage:
      out["resource"] = d.resource;
      if (d.amount) out["amount"] = *d.amount;
      break;
    case DecisionKind::kReadinessSet:
      if (d.level) out["level"] = WireName(*d.level);
      break;
    case DecisionKind::kMajorIncidentDeclared:
    case DecisionKind::kMajorIncidentStoodDown:
      break;
  }
  out["reason"] = d.reason.empty() ? Json(nullptr) : Json(d.reason);
  return out;
}

Result<DecisionContent> DecisionContentFromJson(const Json& object, InputLimits limits) {
  const bool client = limits == InputLimits::kClient;
  DecisionContent d;
  std::optional<DecisionKind> kind;
  auto it = object.find("decision");
  if (it == object.end()) return MakeError("bad_message", "decision", "decision is missing");
  if (auto error = ReadEnum(*it, "decision", ParseDecisionKind,
                            "major_incident_declared, major_incident_stood_down, "
                            "receiving_hospitals, capacity_judgement, icu_need, "
                            "capacity_shortage, support_request, support_offer",
                            &kind)) {
    return *error;
  }
  d.kind = *kind;
  if (client && d.kind == DecisionKind::kReadinessSet) {
    return MakeError("invalid_value", "decision",
                     "a readiness level is set with set_region_readiness or report_capacity");
  }
  // The fields each kind takes (besides decision, region, hospital, reason).
  std::vector<const char*> own;
  switch (d.kind) {
    case DecisionKind::kReceivingHospitals: own = {"hospitals", "incident"}; break;
    case DecisionKind::kCapacityJudgement: own = {"judgement"}; break;
    case DecisionKind::kIcuNeed: own = {"icu_beds"}; break;
    case DecisionKind::kCapacityShortage: own = {"resource", "amount"}; break;
    case DecisionKind::kSupportRequest:
    case DecisionKind::kSupportOffer: own = {"resource", "amount", "to_region"}; break;
    case DecisionKind::kReadinessSet: own = {"level"}; break;
    case DecisionKind::kMajorIncidentDeclared:
    case DecisionKind::kMajorIncidentStoodDown: break;
  }
  static const std::set<std::string> kDecisionFields = {
      "hospitals", "incident", "judgement", "icu_beds", "resource", "amount", "to_region", "level"};
  for (const auto& item : object.items()) {
    if (!kDecisionFields.count(item.key())) continue;
    const bool belongs = std::any_of(own.begin(), own.end(),
                                     [&](const char* f) { return item.key() == f; });
    // Stored records write null for an absent optional; only a client is told off.
    if (!belongs && client) {
      return MakeError("bad_message", item.key(),
                       item.key() + " does not belong to a " + std::string(WireName(d.kind)) +
                           " decision");
    }
  }
  const auto text = [&](const char* field, std::size_t max, std::string* out) -> std::optional<Error> {
    auto found = object.find(field);
    if (found == object.end() || found->is_null()) return std::nullopt;
    if (!found->is_string() || (client && found->get_ref<const std::string&>().size() > max)) {
      return MakeError("bad_message", field,
                       std::string(field) + " must be a text of at most " + std::to_string(max) +
                           " bytes");
    }
    *out = found->get<std::string>();
    return std::nullopt;
  };
  const auto count = [&](const char* field, std::optional<std::int64_t>* out) -> std::optional<Error> {
    auto found = object.find(field);
    if (found == object.end() || found->is_null()) return std::nullopt;
    return ReadFigure(*found, field, out);
  };
  std::optional<Error> error;
  if (!error) error = text("region", kMaxIdLength, &d.region);
  if (!error && d.region.empty()) error = MakeError("bad_message", "region", "region is missing");
  if (!error) error = text("hospital", kMaxIdLength, &d.hospital);
  if (!error) error = text("reason", 4 * kMaxReasonLength, &d.reason);
  if (!error) error = text("incident", 4 * 200, &d.incident);
  if (!error) error = text("resource", kMaxIdLength, &d.resource);
  if (!error) error = text("to_region", kMaxIdLength, &d.to_region);
  if (!error) error = count("icu_beds", &d.icu_beds);
  if (!error) error = count("amount", &d.amount);
  if (auto found = object.find("judgement"); !error && found != object.end() && !found->is_null()) {
    error = ReadEnum(*found, "judgement", ParseCapacityJudgement,
                     "sufficient, strained, insufficient", &d.judgement);
  }
  if (auto found = object.find("level"); !error && found != object.end() && !found->is_null()) {
    error = ReadEnum(*found, "level", ParseReadinessLevel, "normal, staff, reinforced, disaster",
                     &d.level);
  }
  if (auto found = object.find("hospitals"); !error && found != object.end() && !found->is_null()) {
    if (!found->is_array() || (client && found->size() > 20)) {
      error = MakeError("bad_message", "hospitals", "hospitals must be a list of 1-20 hospital ids");
    } else {
      for (const Json& id : *found) {
        if (!id.is_string() || id.get_ref<const std::string&>().size() > kMaxIdLength) {
          error = MakeError("bad_message", "hospitals", "hospitals must be a list of hospital ids");
          break;
        }
        d.hospitals.push_back(id.get<std::string>());
      }
    }
  }
  if (error) return *error;
  return d;
}

Json DecisionRecordToJson(const DecisionRecord& record) {
  Json out = DecisionContentToJson(record.content);
  out["seq"] = record.seq;
  out["at"] = FormatUtc(record.at);
  out["by"] = record.by;
  out["actor_kind"] = WireName(record.actor_kind);
  return out;
}

}  // namespace lagesbild
