#include "lagesbild/interop/words.h"

namespace lagesbild {

std::string ReadinessWords(ReadinessLevel level) {
  switch (level) {
    case ReadinessLevel::kNormal: return "Normalläge";
    case ReadinessLevel::kStaff: return "Stabsläge";
    case ReadinessLevel::kReinforced: return "Förstärkningsläge";
    case ReadinessLevel::kDisaster: return "Katastrofläge";
  }
  return std::string(WireName(level));
}

std::string EdStatusWords(EdStatus status) {
  switch (status) {
    case EdStatus::kOpen: return "Öppen";
    case EdStatus::kRestricted: return "Begränsad";
    case EdStatus::kDiversion: return "Stängd för ambulans (omdirigering)";
    case EdStatus::kClosed: return "Stängd";
  }
  return std::string(WireName(status));
}

std::string SenderWords(std::string_view sender) {
  if (sender == "sos_alarm") return "SOS Alarm";
  if (sender == "scene_command") return "Sjukvårdsledare på skadeplats";
  if (sender == "socialstyrelsen") return "Socialstyrelsens TiB";
  if (sender == "rssl") return "RSSL";
  return std::string(sender);
}

std::string ExerciseMark(const std::string& space) {
  return "ÖVNING – övningen " + space + ", inte verkliga uppgifter (exercise, not live data)";
}

}  // namespace lagesbild
