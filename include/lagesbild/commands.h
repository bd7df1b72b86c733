// Commands: what a sender asks for. A command is judged by Decide() (core.h) and becomes events
// or an error. Every command carries who sends it and when, so the same rules judge a duty officer,
// a trainer and a scripted inject, and replays are deterministic.
#ifndef LAGESBILD_COMMANDS_H_
#define LAGESBILD_COMMANDS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "lagesbild/domain.h"

namespace lagesbild {

struct BedReport {
  std::optional<std::int64_t> available;
  std::optional<std::int64_t> baseline;
  std::optional<std::int64_t> surge24h;
  bool operator==(const BedReport& o) const {
    return available == o.available && baseline == o.baseline && surge24h == o.surge24h;
  }
};

// Any subset of one hospital's figures. Left-out fields keep their current values.
struct CapacityReport {
  std::string hospital;
  std::array<std::optional<BedReport>, kAllBedTypes.size()> beds{};
  std::optional<EdStatus> ed_status;
  std::array<std::optional<std::int64_t>, kAllTriage.size()> reception{};
  std::optional<ReadinessLevel> readiness;

  bool Empty() const;
  bool operator==(const CapacityReport& o) const {
    return hospital == o.hospital && beds == o.beds && ed_status == o.ed_status &&
           reception == o.reception && readiness == o.readiness;
  }
};

struct SetRegionReadiness {
  std::string region;
  ReadinessLevel level = ReadinessLevel::kNormal;
  bool operator==(const SetRegionReadiness& o) const {
    return region == o.region && level == o.level;
  }
};

// "No change": re-stamp every figure the hospital has reported, without retyping it.
struct ConfirmFigures {
  std::string hospital;
  bool operator==(const ConfirmFigures& o) const { return hospital == o.hospital; }
};

// The content of a status message, as sent.
struct MessageContent {
  MessageKind kind = MessageKind::kInformation;
  bool to_all = false;
  std::vector<std::string> to;  // region ids; empty when to_all
  std::string text;
  std::vector<std::pair<std::string, std::string>> fields;  // situation report, optional
  std::optional<std::array<std::string, kMethaneFields.size()>> methane;
  std::optional<ReadinessLevel> level;  // alerts: the level raised or asked for
  bool requires_ack = false;
  bool operator==(const MessageContent& o) const {
    return kind == o.kind && to_all == o.to_all && to == o.to && text == o.text &&
           fields == o.fields && methane == o.methane && level == o.level &&
           requires_ack == o.requires_ack;
  }
};

struct PostMessage {
  MessageContent content;
  bool operator==(const PostMessage& o) const { return content == o.content; }
};

struct Acknowledge {
  std::string message_id;  // "<space>:<seq>"
  std::string region;      // empty: the sender's own region
  bool operator==(const Acknowledge& o) const {
    return message_id == o.message_id && region == o.region;
  }
};

using CommandBody =
    std::variant<CapacityReport, SetRegionReadiness, ConfirmFigures, PostMessage, Acknowledge>;
std::string_view CommandName(const CommandBody& body);  // the wire type, e.g. "report_capacity"

struct Command {
  Actor actor;
  TimeMs at = 0;  // from the target space's clock
  CommandBody body;
};

}  // namespace lagesbild

#endif  // LAGESBILD_COMMANDS_H_
