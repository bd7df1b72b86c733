#include "lagesbild/interop/have_read.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "lagesbild/core/time_format.h"
#include "lagesbild/interop/have.h"
#include "lagesbild/interop/words.h"

namespace lagesbild {

namespace {

constexpr const char* kXnl = "urn:oasis:names:tc:ciq:xnl:3";
constexpr const char* kXpil = "urn:oasis:names:tc:ciq:xpil:3";
constexpr std::size_t kMaxProblems = 50;

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct ContextFree {
  void operator()(xmlParserCtxt* context) const { xmlFreeParserCtxt(context); }
};

bool Is(const xmlNode* node, const char* ns, const char* name) {
  return node && node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
         std::string_view(reinterpret_cast<const char*>(node->ns->href)) == ns &&
         std::string_view(reinterpret_cast<const char*>(node->name)) == name;
}

std::vector<const xmlNode*> Children(const xmlNode* parent, const char* ns, const char* name) {
  std::vector<const xmlNode*> found;
  if (!parent) return found;
  for (const xmlNode* child = parent->children; child; child = child->next) {
    if (Is(child, ns, name)) found.push_back(child);
  }
  return found;
}

const xmlNode* Child(const xmlNode* parent, const char* ns, const char* name) {
  auto found = Children(parent, ns, name);
  return found.empty() ? nullptr : found.front();
}

std::string Text(const xmlNode* node) {
  std::string text;
  if (!node) return text;
  for (const xmlNode* child = node->children; child; child = child->next) {
    if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) && child->content) {
      text += reinterpret_cast<const char*>(child->content);
    }
  }
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string Line(const xmlNode* node) { return "line " + std::to_string(xmlGetLineNo(node)) + ": "; }

// Collects problems, each with its line and place, up to kMaxProblems.
class Problems {
 public:
  void Add(const xmlNode* node, const std::string& where, const std::string& what) {
    if (list_.size() < kMaxProblems) list_.push_back(Line(node) + where + ": " + what);
    ++count_;
  }
  bool empty() const { return count_ == 0; }
  Error ToError() const {
    Error error = MakeError("invalid_have", "document",
                            std::to_string(count_) + (count_ == 1 ? " problem" : " problems") +
                                " in the EDXL-HAVE document; nothing was imported. First: " + list_.front());
    error.details = list_;
    if (count_ > list_.size()) error.details.push_back("… and " + std::to_string(count_ - list_.size()) + " more");
    return error;
  }

 private:
  std::vector<std::string> list_;
  std::size_t count_ = 0;
};

// A count: an xsd:integer from 0 to kMaxFigure.
std::optional<std::int64_t> ReadCount(const xmlNode* node, const std::string& where, Problems& problems) {
  if (!node) return std::nullopt;
  const std::string text = Text(node);
  std::int64_t value = 0;
  bool ok = !text.empty() && text.size() <= 7;
  for (std::size_t i = (ok && text[0] == '+') ? 1 : 0; ok && i < text.size(); ++i) {
    ok = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
    value = value * 10 + (text[i] - '0');
  }
  if (!ok || text == "+" || value > kMaxFigure) {
    problems.Add(node, where, "'" + text.substr(0, 40) + "' must be a whole number from 0 to " +
                                  std::to_string(kMaxFigure));
    return std::nullopt;
  }
  return value;
}

void ReadEmergencyDepartment(const xmlNode* ed, const std::string& where, HaveHospital& out,
                             Problems& problems) {
  if (!ed) return;
  if (const xmlNode* traffic = Child(ed, kHaveNamespace, "EMSTraffic")) {
    if (const xmlNode* status = Child(traffic, kHaveNamespace, "EMSTrafficStatus")) {
      const std::string value = Text(status);
      const std::string reason = Text(Child(traffic, kHaveNamespace, "EMSTrafficReason"));
      if (value == "Normal") out.figures.ed_status = EdStatus::kOpen;
      else if (value == "Advisory") out.figures.ed_status = EdStatus::kRestricted;
      else if (value == "Closed") {
        // Lägesbild's own export says which closure (diversion: walk-ins still taken).
        out.figures.ed_status = reason == EdStatusWords(EdStatus::kDiversion) ? EdStatus::kDiversion
                                                                              : EdStatus::kClosed;
      } else if (value != "NotApplicable") {
        problems.Add(status, where + " EMSTrafficStatus",
                     "'" + value.substr(0, 40) + "' is not Normal, Advisory, Closed or NotApplicable");
      }
    }
  }
  if (const xmlNode* capacity = Child(ed, kHaveNamespace, "EMSCapacity")) {
    for (const xmlNode* code : Children(capacity, kHaveNamespace, "TriageCode")) {
      const std::string colour = Text(Child(code, kHaveNamespace, "TriageCodeValue"));
      const auto count = ReadCount(Child(code, kHaveNamespace, "TriageCountQuantity"),
                                   where + " EMSCapacity " + colour, problems);
      std::optional<Triage> priority = colour == "Red"      ? std::optional(Triage::kP1)
                                       : colour == "Yellow" ? std::optional(Triage::kP2)
                                       : colour == "Green"  ? std::optional(Triage::kP3)
                                                            : std::nullopt;
      if (colour == "Black") continue;  // the dead: no reception capacity
      if (!priority) {
        problems.Add(code, where + " EMSCapacity TriageCodeValue",
                     "'" + colour.substr(0, 40) + "' is not Red, Yellow, Green or Black");
      } else if (count) {
        out.figures.reception[Index(*priority)] = count;
      }
    }
  }
}

void ReadBeds(const xmlNode* beds, const std::string& where, HaveHospital& out,
              std::vector<std::string>& ignored, Problems& problems) {
  int n = 0;
  for (const xmlNode* bed : Children(beds, kHaveNamespace, "BedCapacity")) {
    const std::string at = where + " BedCapacity[" + std::to_string(++n) + "]";
    const auto types = Children(bed, kHaveNamespace, "BedType");
    if (types.size() != 1) {
      problems.Add(bed, at, "needs exactly one BedType (has " + std::to_string(types.size()) + ")");
      continue;
    }
    const std::string name = Text(types[0]);
    const auto type = ParseBedType(name);
    if (!type) {
      static const std::vector<std::string> kHaveOnly = {
          "NeonatalICU", "NurseryBeds", "RehabLongTermCare", "AdultPsychiatric",
          "PediatricPsychiatric", "NegativeFlowIsolation", "OtherIsolation"};
      if (std::find(kHaveOnly.begin(), kHaveOnly.end(), name) != kHaveOnly.end()) {
        ignored.push_back(at + ": " + name + " is not a bed type Lägesbild keeps");
      } else {
        problems.Add(types[0], at + " BedType", "'" + name.substr(0, 40) + "' is not an EDXL-HAVE bed type");
      }
      continue;
    }
    const auto capacities = Children(bed, kHaveNamespace, "Capacity");
    if (capacities.size() > 1) {
      problems.Add(bed, at, "has " + std::to_string(capacities.size()) + " Capacity elements; one is read");
      continue;
    }
    if (capacities.empty()) continue;
    const xmlNode* capacity = capacities[0];
    BedReport report;
    report.available = ReadCount(Child(capacity, kHaveNamespace, "AvailableCount"), at + " AvailableCount", problems);
    report.baseline = ReadCount(Child(capacity, kHaveNamespace, "BaselineCount"), at + " BaselineCount", problems);
    report.surge24h = ReadCount(Child(capacity, kHaveNamespace, "AdditionalCapacityCount24Hr"),
                                at + " AdditionalCapacityCount24Hr", problems);
    report.surge72h = ReadCount(Child(capacity, kHaveNamespace, "AdditionalCapacityCount72Hr"),
                                at + " AdditionalCapacityCount72Hr", problems);
    const std::string status = Text(Child(capacity, kHaveNamespace, "CapacityStatus"));
    if (!status.empty() && status != "Vacant/Available" && status != "NotAvailable") {
      problems.Add(capacity, at + " CapacityStatus", "'" + status.substr(0, 40) + "' is not Vacant/Available or NotAvailable");
    } else if (status == "NotAvailable" && !report.available) {
      report.available = 0;  // none free, though no count was given
    }
    if (report.available || report.baseline || report.surge24h || report.surge72h) {
      out.figures.beds[Index(*type)] = report;
    }
  }
}

HaveHospital ReadHospital(const xmlNode* node, int n, std::vector<std::string>& ignored,
                          Problems& problems) {
  HaveHospital out;
  out.where = "Hospital[" + std::to_string(n) + "]";
  const xmlNode* organization = Child(node, kHaveNamespace, "Organization");
  const xmlNode* information = Child(organization, kHaveNamespace, "OrganizationInformation");
  out.name = Text(Child(Child(information, kXnl, "OrganisationName"), kXnl, "NameElement"));
  out.identifier = Text(Child(Child(Child(information, kXpil, "Identifiers"), kXpil, "Identifier"),
                              kXpil, "IdentifierElement"));
  if (!out.name.empty()) out.where += " (" + out.name.substr(0, 80) + ")";
  if (!information) problems.Add(node, out.where, "has no Organization/OrganizationInformation");
  ReadEmergencyDepartment(Child(node, kHaveNamespace, "EmergencyDepartmentStatus"), out.where, out, problems);
  ReadBeds(Child(node, kHaveNamespace, "HospitalBedCapacityStatus"), out.where, out, ignored, problems);
  const xmlNode* updated = Child(node, kHaveNamespace, "LastUpdateTime");
  out.last_update = updated ? ParseXsdDateTime(Text(updated)) : std::nullopt;
  if (!out.last_update) {
    problems.Add(updated ? updated : node, out.where + " LastUpdateTime",
                 updated ? "'" + Text(updated).substr(0, 40) + "' is not a date and time with a time zone"
                         : "is missing");
  }
  return out;
}

}  // namespace

std::optional<TimeMs> ParseXsdDateTime(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM)
  if (text.size() < 20 || text[4] != '-' || text[10] != 'T') return std::nullopt;
  std::size_t end = 19;
  std::string millis = "000";
  if (end < text.size() && text[end] == '.') {
    std::size_t digits = end + 1;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits == end + 1) return std::nullopt;
    const std::string_view fraction = text.substr(end + 1, digits - end - 1);
    for (std::size_t i = 0; i < 3; ++i) millis[i] = i < fraction.size() ? fraction[i] : '0';
    end = digits;
  }
  const std::string_view zone = text.substr(end);
  std::int64_t offset_minutes = 0;
  if (zone == "Z") {
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
             std::isdigit(static_cast<unsigned char>(zone[1])) && std::isdigit(static_cast<unsigned char>(zone[2])) &&
             std::isdigit(static_cast<unsigned char>(zone[4])) && std::isdigit(static_cast<unsigned char>(zone[5]))) {
    const int hours = (zone[1] - '0') * 10 + (zone[2] - '0');
    const int minutes = (zone[4] - '0') * 10 + (zone[5] - '0');
    if (hours > 14 || minutes > 59) return std::nullopt;
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
  } else {
    return std::nullopt;
  }
  auto utc = ParseUtc(std::string(text.substr(0, 19)) + "." + millis + "Z");
  if (!utc) return std::nullopt;
  return *utc - offset_minutes * 60000;
}

Result<HaveReading> ReadHave(std::string_view document) {
  Problems problems;
  const auto fail = [](const std::string& what) {
    Error error = MakeError("invalid_have", "document", what + "; nothing was imported");
    error.details = {what};
    return error;
  };
  if (document.size() > kMaxHaveBytes) {
    return fail("the document is " + std::to_string(document.size()) + " bytes; at most " +
                std::to_string(kMaxHaveBytes) + " are read");
  }
  // No DTD at all: no entities to expand, nothing to fetch. The text is read as UTF-8 whatever
  // it declares, so this finds every DOCTYPE there is.
  if (document.find("<!DOCTYPE") != std::string_view::npos) {
    return fail("the document has a DOCTYPE; EDXL-HAVE needs none and none is accepted");
  }
  static const bool initialised = (xmlInitParser(), true);
  (void)initialised;
  std::unique_ptr<xmlParserCtxt, ContextFree> context(xmlNewParserCtxt());
  if (!context) return fail("the XML parser could not be started");
  std::unique_ptr<xmlDoc, DocFree> doc(xmlCtxtReadMemory(
      context.get(), document.data(), static_cast<int>(document.size()), "have.xml", "UTF-8",
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA));
  if (!doc) {
    const xmlError* error = xmlCtxtGetLastError(context.get());
    std::string what = error && error->message ? error->message : "not well-formed";
    while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
    return fail("not well-formed XML" +
                (error ? " (line " + std::to_string(error->line) + "): " + what : std::string()));
  }
  HaveReading reading;
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (Is(root, kDeNamespace, "EDXLDistribution")) {
    reading.distribution_status = Text(Child(root, kDeNamespace, "distributionStatus"));
    const xmlNode* found = nullptr;
    for (const xmlNode* content : Children(root, kDeNamespace, "contentObject")) {
      const xmlNode* embedded = Child(Child(content, kDeNamespace, "xmlContent"), kDeNamespace, "embeddedXMLContent");
      if (embedded) found = Child(embedded, kHaveNamespace, "HospitalStatus");
      if (found) break;
    }
    if (!found) return fail("the EDXL-DE envelope holds no EDXL-HAVE 1.0 HospitalStatus");
    root = found;
  }
  if (!Is(root, kHaveNamespace, "HospitalStatus")) {
    const std::string ns = root && root->ns && root->ns->href ? reinterpret_cast<const char*>(root->ns->href) : "";
    return fail("the root element is {" + ns.substr(0, 80) + "}" +
                (root ? std::string(reinterpret_cast<const char*>(root->name)).substr(0, 40) : "") +
                ", not an EDXL-HAVE 1.0 HospitalStatus (" + kHaveNamespace + ")");
  }
  int n = 0;
  for (const xmlNode* hospital : Children(root, kHaveNamespace, "Hospital")) {
    reading.hospitals.push_back(ReadHospital(hospital, ++n, reading.ignored, problems));
  }
  if (reading.hospitals.empty()) problems.Add(root, "HospitalStatus", "has no Hospital");
  if (!problems.empty()) return problems.ToError();
  return reading;
}

Result<ImportReports> ImportFromHave(const HealthcareRegionConfig& config, const HaveReading& reading,
                                     bool into_exercise) {
  std::vector<std::string> problems;
  if (!into_exercise && !reading.distribution_status.empty() && reading.distribution_status != "Actual") {
    problems.push_back("the document's EDXL-DE distributionStatus is " +
                       reading.distribution_status.substr(0, 40) +
                       ": only an Actual document feeds live (import it into an exercise)");
  }
  ImportReports import;
  for (const HaveHospital& hospital : reading.hospitals) {
    const auto index = MatchHospital(config, hospital);
    if (!index) {
      problems.push_back(hospital.where + ": no hospital " +
                         (hospital.identifier.empty() ? "named '" + hospital.name.substr(0, 80) + "'"
                                                      : "'" + hospital.identifier.substr(0, 80) + "'") +
                         " in " + config.name);
      continue;
    }
    CapacityReport report = hospital.figures;
    report.hospital = config.hospitals[*index].id;
    if (report.Empty()) continue;  // names a hospital and nothing else: nothing to report
    import.reports.push_back(std::move(report));
  }
  if (problems.empty() && import.reports.empty()) {
    problems.push_back("no hospital in the document has figures to import");
  }
  if (!problems.empty()) {
    Error error = MakeError("invalid_have", "document",
                            std::to_string(problems.size()) +
                                (problems.size() == 1 ? " problem" : " problems") +
                                " in the EDXL-HAVE document; nothing was imported. First: " + problems.front());
    error.details = std::move(problems);
    return error;
  }
  return import;
}

std::optional<std::size_t> MatchHospital(const HealthcareRegionConfig& config,
                                         const HaveHospital& hospital) {
  if (!hospital.identifier.empty()) {
    if (auto index = config.FindHospital(hospital.identifier)) return index;
  }
  for (std::size_t h = 0; h < config.hospitals.size(); ++h) {
    if (!hospital.name.empty() && config.hospitals[h].name == hospital.name) return h;
  }
  return std::nullopt;
}

}  // namespace lagesbild
