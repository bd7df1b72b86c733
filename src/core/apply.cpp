#include "lagesbild/core.h"

namespace lagesbild {
namespace {

void ApplyReport(const CapacityReport& report, const Stamp& stamp, HospitalState& hospital) {
  for (BedType type : kAllBedTypes) {
    const auto& bed = report.beds[Index(type)];
    if (!bed) continue;
    BedFigure& figure = hospital.beds[Index(type)];
    if (bed->available) figure.available = bed->available;
    if (bed->baseline) figure.baseline = *bed->baseline;
    if (bed->surge24h) figure.surge24h = *bed->surge24h;
    figure.stamp = stamp;
  }
  if (report.ed_status) hospital.ed_status = {report.ed_status, stamp};
  for (Triage priority : kAllTriage) {
    if (const auto& rate = report.reception[Index(priority)]) {
      hospital.reception[Index(priority)] = {rate, stamp};
    }
  }
  if (report.readiness) hospital.readiness = {report.readiness, stamp};
}

void ConfirmReported(const Stamp& stamp, HospitalState& hospital) {
  for (BedFigure& bed : hospital.beds) {
    if (bed.stamp.at) bed.stamp = stamp;
  }
  if (hospital.ed_status.stamp.at) hospital.ed_status.stamp = stamp;
  for (auto& rate : hospital.reception) {
    if (rate.stamp.at) rate.stamp = stamp;
  }
  if (hospital.readiness.stamp.at) hospital.readiness.stamp = stamp;
}

}  // namespace

std::optional<Error> Apply(const HealthcareRegionConfig& config, SpaceState& state,
                           const Event& event) {
  if (event.space != state.space || event.seq != state.seq + 1) {
    return MakeError("out_of_sequence", "seq",
                     "event " + event.space + "#" + std::to_string(event.seq) +
                         " does not follow " + state.space + "#" + std::to_string(state.seq));
  }
  const Stamp stamp{event.at, event.actor.id};
  if (const auto* reported = std::get_if<CapacityReported>(&event.body)) {
    auto index = config.FindHospital(reported->report.hospital);
    if (!index) {
      return MakeError("unknown_hospital", "hospital",
                       "event names hospital '" + reported->report.hospital +
                           "', which the configuration does not have");
    }
    ApplyReport(reported->report, stamp, state.hospitals[*index]);
  } else if (const auto* readiness = std::get_if<RegionReadinessSet>(&event.body)) {
    auto index = config.FindRegion(readiness->region);
    if (!index) {
      return MakeError("unknown_region", "region",
                       "event names region '" + readiness->region +
                           "', which the configuration does not have");
    }
    state.regions[*index].readiness = {readiness->level, stamp};
  } else if (const auto* confirmed = std::get_if<FiguresConfirmed>(&event.body)) {
    auto index = config.FindHospital(confirmed->hospital);
    if (!index) {
      return MakeError("unknown_hospital", "hospital",
                       "event names hospital '" + confirmed->hospital +
                           "', which the configuration does not have");
    }
    ConfirmReported(stamp, state.hospitals[*index]);
  } else if (const auto* posted = std::get_if<MessagePosted>(&event.body)) {
    MessageState message;
    message.seq = event.seq;
    message.at = event.at;
    message.from_region = posted->from_region;
    message.sent_by = event.actor.id;
    message.content = posted->content;
    message.addressees = Addressees(config, posted->content);
    state.messages.push_back(std::move(message));
  } else if (const auto* acknowledged = std::get_if<MessageAcknowledged>(&event.body)) {
    MessageState* message = state.FindMessage(acknowledged->message_id);
    if (!message) {
      return MakeError("unknown_message", "message",
                       "event acknowledges unknown message '" + acknowledged->message_id + "'");
    }
    message->acks[acknowledged->region] = Acknowledgement{stamp, event.seq};
  }
  state.seq = event.seq;
  return std::nullopt;
}

}  // namespace lagesbild
