// The state of one space (live operation, or one exercise): every hospital's reported figures and
// every region's readiness level, at sequence number `seq`.
//
// A SpaceState changes only through Apply() (core.h) with the next event in sequence. It has no
// locks: each copy has exactly one owning thread (see engine.h and space_replica.h).
#ifndef LAGESBILD_STATE_H_
#define LAGESBILD_STATE_H_

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lagesbild/commands.h"
#include "lagesbild/config.h"
#include "lagesbild/domain.h"

namespace lagesbild {

// When a figure was last reported, and by whom. Empty `at` = never reported.
struct Stamp {
  std::optional<TimeMs> at;
  std::string by;
  bool operator==(const Stamp& o) const { return at == o.at && by == o.by; }
};

template <typename T>
struct Reported {
  std::optional<T> value;
  Stamp stamp;
  bool operator==(const Reported& o) const { return value == o.value && stamp == o.stamp; }
};

struct BedFigure {
  std::optional<std::int64_t> available;  // vacant, staffed, equipped, usable now (EDXL-HAVE)
  std::int64_t baseline = 0;
  std::int64_t surge24h = 0;
  Stamp stamp;
  bool operator==(const BedFigure& o) const {
    return available == o.available && baseline == o.baseline && surge24h == o.surge24h &&
           stamp == o.stamp;
  }
};

struct HospitalState {
  std::array<BedFigure, kAllBedTypes.size()> beds{};
  Reported<EdStatus> ed_status;
  std::array<Reported<std::int64_t>, kAllTriage.size()> reception{};  // patients per hour
  Reported<ReadinessLevel> readiness;

  std::optional<TimeMs> LastReportedAt() const;
  bool operator==(const HospitalState& o) const {
    return beds == o.beds && ed_status == o.ed_status && reception == o.reception &&
           readiness == o.readiness;
  }
};

struct RegionState {
  Reported<ReadinessLevel> readiness;
  bool operator==(const RegionState& o) const { return readiness == o.readiness; }
};

struct Acknowledgement {
  Stamp stamp;
  Seq seq = 0;  // of the acknowledging event
  bool operator==(const Acknowledgement& o) const { return stamp == o.stamp && seq == o.seq; }
};

struct MessageState {
  Seq seq = 0;  // of the posting event; the id is "<space>:<seq>"
  TimeMs at = 0;
  std::string from_region;
  std::string sent_by;
  MessageContent content;
  std::vector<std::string> addressees;  // region ids, config order ("all" expanded)
  std::map<std::string, Acknowledgement> acks;  // by region

  bool RequiresAck() const {
    return content.requires_ack || content.kind == MessageKind::kAlert;
  }
  std::vector<std::string> Pending() const;  // addressees yet to acknowledge (if required)
  bool operator==(const MessageState& o) const {
    return seq == o.seq && at == o.at && from_region == o.from_region && sent_by == o.sent_by &&
           content == o.content && addressees == o.addressees && acks == o.acks;
  }
};

std::string MessageId(const std::string& space, Seq seq);
// The regions a message goes to: "all" expanded, repeats removed, in configuration order.
std::vector<std::string> Addressees(const HealthcareRegionConfig& config,
                                    const MessageContent& content);

struct SpaceState {
  std::string space;      // "live" or an exercise id
  bool exercise = false;  // true: must be shown as ÖVNING and never mixed with live data
  Seq seq = 0;            // sequence number of the last applied event
  std::vector<HospitalState> hospitals;  // parallel to HealthcareRegionConfig::hospitals
  std::vector<RegionState> regions;      // parallel to HealthcareRegionConfig::regions
  std::vector<MessageState> messages;    // in sequence order

  const MessageState* FindMessage(const std::string& id) const;
  MessageState* FindMessage(const std::string& id);

  bool operator==(const SpaceState& o) const {
    return space == o.space && exercise == o.exercise && seq == o.seq &&
           hospitals == o.hospitals && regions == o.regions && messages == o.messages;
  }
};

inline constexpr const char* kLiveSpace = "live";

// The state of a space before any event: baselines from the configuration, nothing reported,
// every readiness level normalläge.
SpaceState InitialState(const HealthcareRegionConfig& config, std::string space, bool exercise);

}  // namespace lagesbild

#endif  // LAGESBILD_STATE_H_
