#include "summary_csv.h"

#include <algorithm>
#include <map>

#include "csv.h"

#include "lagesbild/core/summary.h"
#include "lagesbild/core/time_format.h"

namespace lagesbild {
namespace {

const std::map<std::string, std::string> kReadiness = {
    {"normal", "normalläge"}, {"staff", "stabsläge"}, {"reinforced", "förstärkningsläge"},
    {"disaster", "katastrofläge"}};

const std::map<std::string, std::string> kKinds = {
    {"alert", "larm"}, {"methane", "METHANE-rapport"}, {"situation_report", "lägesrapport"},
    {"information", "information"}};

std::string Text(const Json& value) { return value.is_string() ? value.get<std::string>() : ""; }

std::string Word(const std::map<std::string, std::string>& words, const Json& key) {
  auto found = words.find(Text(key));
  return found != words.end() ? found->second : Text(key);
}

std::string Count(const Json& value) {
  return value.is_number_integer() ? std::to_string(value.get<std::int64_t>()) : "";
}

std::string LocalTime(const Json& utc) {
  if (!utc.is_string()) return "";
  auto at = ParseUtc(utc.get<std::string>());
  return at ? FormatSwedishTime(*at) : "";
}

std::string YesNo(const Json& value) {
  return value.is_boolean() ? (value.get<bool>() ? "ja" : "nej") : "";
}

class Names {
 public:
  explicit Names(const HealthcareRegionConfig& config) : config_(config) {}
  std::string Region(const Json& id) const {
    auto index = config_.FindRegion(Text(id));
    return index ? config_.regions[*index].name : Text(id);
  }
  std::string Regions(const Json& ids) const {
    std::string out;
    for (const Json& id : ids) out += (out.empty() ? "" : ", ") + Region(id);
    return out;
  }

 private:
  const HealthcareRegionConfig& config_;
};

// The columns of a region's, a hospital's and the whole healthcare region's row.
std::string FigureRow(const std::string& level, const std::string& region, const std::string& hospital,
                      const Json& row, const std::string& unacknowledged) {
  const Json& readiness = row.contains("readiness") ? row["readiness"] : Json::object();
  std::vector<std::string> beds;
  for (BedType type : kSummaryBedTypes) {
    const Json& bed = row["beds"][std::string(WireName(type))];
    beds.push_back(Count(bed["available"]));
    beds.push_back(Count(bed["baseline"]));
    beds.push_back(Count(bed["missing"]));
  }
  const Json& reception = row["reception"];
  std::int64_t reception_missing = 0;
  for (Triage priority : kAllTriage) {
    reception_missing = std::max<std::int64_t>(
        reception_missing, reception[std::string(WireName(priority))].value("missing", 0));
  }
  const auto ids = [](const Json& list) { return std::to_string(list.size()); };
  return CsvRow({level, CsvText(region), CsvText(hospital), Word(kReadiness, readiness.value("level", Json())),
                 CsvText(Text(readiness.value("set_by", Json()))),
                 LocalTime(readiness.value("set_at", Json())),
                 CsvText(Text(readiness.value("reason", Json()))),
                 YesNo(row.value("major_incident", Json())), beds[0], beds[1], beds[2], beds[3],
                 beds[4], beds[5], beds[6], beds[7], beds[8], Count(reception["P1"]["per_hour"]),
                 Count(reception["P2"]["per_hour"]), Count(reception["P3"]["per_hour"]),
                 std::to_string(reception_missing), ids(row["unreported"]), ids(row["stale"]),
                 LocalTime(row["last_reported_at"]), unacknowledged});
}

}  // namespace

std::string SummaryCsv(const HealthcareRegionConfig& config, const Json& summary) {
  const Names names(config);
  const bool exercise = summary.value("exercise", false);
  std::string title = exercise ? "ÖVNING – " + summary.value("/scenario/name"_json_pointer, std::string()) + " – "
                               : "LIVE – ";
  // The byte order mark tells a spreadsheet program the file is UTF-8 (å, ä, ö).
  std::string csv = "\xEF\xBB\xBF# " + title + config.name + " – Lägesbild nu " + LocalTime(summary["at"]) +
                    " (svensk tid), händelse nr " + Count(summary["seq"]) + " (" +
                    summary.value("space", "") + ")\n";
  csv += CsvRow({"nivå", "region", "sjukhus", "beredskapsläge", "beslutat av",
                 "beslutat (svensk tid)", "motivering", "allvarlig händelse", "lediga IVA",
                 "IVA ordinarie", "IVA ej rapporterat (sjukhus)", "lediga vårdplatser",
                 "vårdplatser ordinarie", "vårdplatser ej rapporterat (sjukhus)",
                 "lediga operationssalar", "operationssalar ordinarie",
                 "operationssalar ej rapporterat (sjukhus)", "mottagning P1 per timme",
                 "mottagning P2 per timme", "mottagning P3 per timme",
                 "mottagning ej rapporterat (sjukhus)", "aldrig rapporterat (sjukhus)",
                 "inaktuellt (sjukhus)", "senast rapporterat (svensk tid)",
                 "ej kvitterade larm"});
  for (const Json& region : summary["regions"]) {
    csv += FigureRow("region", Text(region["name"]), "", region,
                     std::to_string(region["unacknowledged"].size()));
    for (const Json& hospital : region["hospitals"]) {
      csv += FigureRow("sjukhus", Text(region["name"]), Text(hospital["name"]), hospital, "");
    }
  }
  const Json& total = summary["total"];
  csv += FigureRow("sjukvårdsregion", Text(total["name"]), "", total,
                   std::to_string(total["unacknowledged"].size()));

  csv += "\n# Öppna larm och meddelanden som väntar på kvittens\n";
  csv += CsvRow({"typ", "id", "skickat (svensk tid)", "från", "skickat av", "beredskapsläge",
                 "text", "ej kvitterat av", "kvitterat av"});
  for (const Json& message : summary["open_messages"]) {
    std::string acknowledged;
    for (const Json& ack : message["acknowledged"]) {
      acknowledged += (acknowledged.empty() ? "" : ", ") + names.Region(ack["region"]) + " " +
                      LocalTime(ack["at"]) + " (" + Text(ack["by"]) + ")";
    }
    csv += CsvRow({Word(kKinds, message["kind"]), Text(message["id"]), LocalTime(message["at"]),
                   CsvText(names.Region(message["from_region"])), CsvText(Text(message["sent_by"])),
                   Word(kReadiness, message["level"]), CsvText(Text(message["text"])),
                   CsvText(names.Regions(message["pending"])), CsvText(acknowledged)});
  }
  return csv;
}

}  // namespace lagesbild
