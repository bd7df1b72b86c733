#include "lagesbild/server/review_csv.h"

#include <map>

#include "csv.h"

#include "lagesbild/core/scenario.h"

namespace lagesbild {
namespace {

const std::map<std::string, std::string> kIndicatorNames = {
    {"region_major_incident", "Allvarlig händelse utlöst"},
    {"region_readiness", "Beredskapsläge satt"},
    {"region_receiving_hospitals", "Mottagande sjukhus beslutade"},
    {"region_capacity_judgement", "Egen kapacitet bedömd"},
    {"hospital_readiness", "Beredskapsläge satt (sjukhus)"},
    {"hospital_resources_reported", "Resurser rapporterade till strategisk nivå"},
    {"hospital_icu_need", "IVA-behov uppskattat"},
    {"hospital_capacity_shortage", "Kapacitetsbrist rapporterad"},
};

const std::map<std::string, std::string> kOutcomes = {
    {"met", "uppfylld"}, {"not_met", "ej uppfylld"}, {"pending", "väntar"}};

std::string Text(const Json& value) { return value.is_string() ? value.get<std::string>() : ""; }

std::string ClockText(const Json& ms) {
  if (!ms.is_number()) return "";
  const std::int64_t value = ms.get<std::int64_t>();
  return value < 0 ? "-" + FormatElapsed(-value) : FormatElapsed(value);
}

std::string Lookup(const std::map<std::string, std::string>& names, const Json& key) {
  auto found = names.find(Text(key));
  return found != names.end() ? found->second : Text(key);
}

}  // namespace

std::string ReviewCsv(const HealthcareRegionConfig& config, const Json& review) {
  const auto region_name = [&](const Json& id) {
    auto index = config.FindRegion(Text(id));
    return index ? config.regions[*index].name : Text(id);
  };
  const auto hospital_name = [&](const Json& id) {
    auto index = config.FindHospital(Text(id));
    return index ? config.hospitals[*index].name : Text(id);
  };
  const bool exercise = Text(review["label"]) == "ÖVNING";
  std::string csv = "# " + std::string(exercise ? "ÖVNING – " : "LIVE – ") +
                    (exercise ? review.value("/scenario/name"_json_pointer, std::string())
                              : config.name) +
                    " (" + review.value("space", "") + ")\n";
  csv += CsvRow({"typ", "id", "avser", "beskrivning", "mål", "utfall", "status", "av"});
  for (const Json& c : review["checkpoints"]) {
    csv += CsvRow({"kontrollpunkt", Text(c["id"]), "", Text(c["description"]), ClockText(c["due_ms"]),
                ClockText(c["met_ms"]), Lookup(kOutcomes, c["status"]), Text(c["by"])});
  }
  for (const Json& i : review["indicators"]) {
    const std::string subject = i["hospital"].is_string() ? hospital_name(i["hospital"])
                                                          : region_name(i["region"]);
    std::string actual = ClockText(i["actual_ms"]);
    if (i["actual_ms"].is_number() && i["actual_ms"].get<std::int64_t>() < i["trigger_ms"].get<std::int64_t>()) {
      actual += " (före larmet)";
    }
    csv += CsvRow({"prestationsindikator", Lookup(kIndicatorNames, i["indicator"]), subject,
                "inom " + std::to_string(i["target_minutes"].get<std::int64_t>()) +
                    " min efter larmet " + ClockText(i["trigger_ms"]),
                ClockText(i["due_ms"]), actual, Lookup(kOutcomes, i["status"]), Text(i["by"])});
  }
  for (const Json& a : review["acknowledgements"]) {
    csv += CsvRow({"kvittens", Text(a["message"]), region_name(a["region"]), Text(a["inject"]),
                ClockText(a["sent_ms"]), ClockText(a["acknowledged_ms"]),
                a["acknowledged_ms"].is_null() ? "ej kvitterad" : "kvitterad", Text(a["by"])});
  }
  for (const Json& f : review["first_reports"]) {
    csv += CsvRow({"första rapport", Text(f["hospital"]), hospital_name(f["hospital"]), "", "",
                ClockText(f["first_report_ms"]),
                f["first_report_ms"].is_null() ? "ingen rapport" : "rapporterad", Text(f["by"])});
  }
  return csv;
}

}  // namespace lagesbild
