#include "lagesbild/core/permissions.h"

namespace lagesbild {
namespace {

bool RunsExercise(const CommandBody& command) {
  return std::holds_alternative<StartExercise>(command) ||
         std::holds_alternative<SetExerciseClock>(command) ||
         std::holds_alternative<PlayCasualtyWave>(command) ||
         std::holds_alternative<AdvanceArrivals>(command);
}

std::optional<std::string> ReporterDenial(const HealthcareRegionConfig& config,
                                          const Actor& actor, const CommandBody& command) {
  if (actor.region.empty()) return "reporter '" + actor.id + "' has no region";
  if (RunsExercise(command)) return "only a trainer or an admin runs exercises";
  if (std::holds_alternative<SaveScenario>(command)) return "only a trainer or an admin writes scenarios";
  const auto outside = [&](const std::string& region) -> std::optional<std::string> {
    if (region == actor.region) return std::nullopt;
    return "reporter '" + actor.id + "' reports for " + actor.region + ", not for " + region;
  };
  if (const auto* report = std::get_if<CapacityReport>(&command)) {
    if (auto index = config.FindHospital(report->hospital)) {
      return outside(config.hospitals[*index].region_id);
    }
  } else if (const auto* import = std::get_if<ImportReports>(&command)) {
    for (const CapacityReport& report : import->reports) {
      if (auto index = config.FindHospital(report.hospital)) {
        if (auto denied = outside(config.hospitals[*index].region_id)) return denied;
      }
    }
  } else if (const auto* confirm = std::get_if<ConfirmFigures>(&command)) {
    if (auto index = config.FindHospital(confirm->hospital)) {
      return outside(config.hospitals[*index].region_id);
    }
  } else if (const auto* readiness = std::get_if<SetRegionReadiness>(&command)) {
    return outside(readiness->region);
  } else if (const auto* decided = std::get_if<RecordDecision>(&command)) {
    return outside(decided->decision.region);
  } else if (const auto* transport = std::get_if<TransportReport>(&command)) {
    return outside(transport->region);
  } else if (const auto* transfer = std::get_if<TransferPatients>(&command)) {
    if (auto index = config.FindHospital(transfer->from)) {
      return outside(config.hospitals[*index].region_id);
    }
  } else if (const auto* post = std::get_if<PostMessage>(&command)) {
    if (!post->content.sender.empty()) {
      return std::string("only the exercise command speaks as another sender");
    }
  } else if (const auto* ack = std::get_if<Acknowledge>(&command)) {
    if (!ack->region.empty()) return outside(ack->region);
  }
  return std::nullopt;  // post_message: always from the reporter's own region
}

}  // namespace

std::optional<std::string> DenialReason(const HealthcareRegionConfig& config, const Actor& actor,
                                        const CommandBody& command, bool exercise_space) {
  if (std::holds_alternative<RecordRefusals>(command)) {
    if (actor.kind == Actor::Kind::kSystem) return std::nullopt;
    return std::string("only the server records refusals");
  }
  if (std::holds_alternative<RecordSignIn>(command)) {
    if (actor.kind == Actor::Kind::kSystem) return std::nullopt;
    return std::string("only the server records sign-ins");
  }
  if (actor.kind != Actor::Kind::kUser) return std::nullopt;
  switch (actor.role) {
    case Role::kAdmin:
      return std::nullopt;
    case Role::kTrainer:
      if (exercise_space || RunsExercise(command) || std::holds_alternative<SaveScenario>(command)) {
        return std::nullopt;
      }
      return "trainer '" + actor.id + "' writes only in exercises; live needs an admin";
    case Role::kReporter:
      return ReporterDenial(config, actor, command);
    case Role::kViewer:
      break;
  }
  return actor.id == AnonymousViewer().id
             ? std::string("sign in first: a connection without a user token may only read")
             : "'" + actor.id + "' is a viewer and may only read";
}

std::string_view CommandName(const CommandBody& body) {
  struct Visitor {
    std::string_view operator()(const CapacityReport&) const { return "report_capacity"; }
    std::string_view operator()(const SetRegionReadiness&) const {
      return "set_region_readiness";
    }
    std::string_view operator()(const ConfirmFigures&) const { return "confirm_figures"; }
    std::string_view operator()(const PostMessage&) const { return "post_message"; }
    std::string_view operator()(const Acknowledge&) const { return "acknowledge"; }
    std::string_view operator()(const StartExercise&) const { return "start_exercise"; }
    std::string_view operator()(const SetExerciseClock&) const { return "control_exercise"; }
    std::string_view operator()(const PlayCasualtyWave&) const { return "casualty_wave"; }
    std::string_view operator()(const AdvanceArrivals&) const { return "advance_arrivals"; }
    std::string_view operator()(const RecordRefusals&) const { return "record_refusals"; }
    std::string_view operator()(const RecordSignIn&) const { return "record_sign_in"; }
    std::string_view operator()(const RecordDecision&) const { return "record_decision"; }
    std::string_view operator()(const TransferPatients&) const { return "transfer_patients"; }
    std::string_view operator()(const TransportReport&) const { return "report_transport"; }
    std::string_view operator()(const SaveScenario& c) const {
      return c.restored_from != 0 ? "restore_scenario" : "save_scenario";
    }
    std::string_view operator()(const ImportReports&) const { return "import_have"; }
  };
  return std::visit(Visitor{}, body);
}

std::string CommandTarget(const CommandBody& command) {
  struct Visitor {
    std::string operator()(const CapacityReport& c) const { return c.hospital; }
    std::string operator()(const SetRegionReadiness& c) const { return c.region; }
    std::string operator()(const ConfirmFigures& c) const { return c.hospital; }
    std::string operator()(const PostMessage& c) const {
      std::string to = c.content.to_all ? "all" : "";
      for (const auto& region : c.content.to) to += (to.empty() ? "" : ",") + region;
      return to;
    }
    std::string operator()(const Acknowledge& c) const { return c.message_id; }
    std::string operator()(const StartExercise& c) const { return c.scenario_id; }
    std::string operator()(const SetExerciseClock&) const { return ""; }
    std::string operator()(const PlayCasualtyWave& c) const { return c.wave; }
    std::string operator()(const AdvanceArrivals&) const { return ""; }
    std::string operator()(const RecordRefusals& c) const { return c.user; }
    std::string operator()(const RecordSignIn& c) const { return c.address; }
    std::string operator()(const RecordDecision& c) const {
      return c.decision.hospital.empty() ? c.decision.region : c.decision.hospital;
    }
    std::string operator()(const TransferPatients& c) const { return c.from + "->" + c.to; }
    std::string operator()(const TransportReport& c) const { return c.region; }
    std::string operator()(const SaveScenario& c) const { return c.scenario_id; }
    std::string operator()(const ImportReports& c) const {
      std::string hospitals;
      for (const CapacityReport& report : c.reports) hospitals += (hospitals.empty() ? "" : ",") + report.hospital;
      return hospitals;
    }
  };
  return std::visit(Visitor{}, command);
}

}  // namespace lagesbild
