#include "lagesbild/interop/have.h"

#include <algorithm>
#include <cstdio>

#include "lagesbild/core/staleness.h"
#include "lagesbild/interop/words.h"
#include "lagesbild/interop/xml_writer.h"

namespace lagesbild {

namespace {

const char* EmsTraffic(EdStatus status) {
  switch (status) {
    case EdStatus::kOpen: return "Normal";
    case EdStatus::kRestricted: return "Advisory";
    case EdStatus::kDiversion:
    case EdStatus::kClosed: return "Closed";
  }
  return "NotApplicable";
}

const char* TriageColour(Triage priority) {
  switch (priority) {
    case Triage::kP1: return "Red";
    case Triage::kP2: return "Yellow";
    case Triage::kP3: return "Green";
  }
  return "Black";
}

std::string Degrees(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

void WriteOrganization(xml::Writer& out, const HospitalConfig& info, const std::string& region_name,
                       const SpaceState& state) {
  out.Open("Organization");
  out.Open("OrganizationInformation");
  out.Open("xnl:OrganisationName");
  out.Leaf("xnl:NameElement", info.name);
  out.Close();
  // The hospital's id in this configuration: what a neighbour's feed names it by.
  out.Open("xpil:Identifiers");
  out.Open("xpil:Identifier");
  out.Leaf("xpil:IdentifierElement", info.id);
  out.Close();
  out.Close();
  out.Close();
  if (info.position) {
    out.Open("OrganizationGeoLocation");
    out.Open("gml:Point");
    out.Leaf("gml:pos", Degrees(info.position->lat) + " " + Degrees(info.position->lon));
    out.Close();
    out.Close();
  }
  if (state.exercise) out.Leaf("CommentText", ExerciseMark(state.space));
  out.Leaf("CommentText", region_name + (info.town.empty() ? "" : ", " + info.town));
  out.Close();
}

void WriteEmergencyDepartment(xml::Writer& out, const HospitalState& hospital) {
  const bool any_reception = [&] {
    for (const auto& rate : hospital.reception) {
      if (rate.value) return true;
    }
    return false;
  }();
  if (!hospital.ed_status.value && !any_reception) return;
  out.Open("EmergencyDepartmentStatus");
  if (const auto& status = hospital.ed_status.value) {
    out.Open("EMSTraffic");
    out.Leaf("EMSTrafficStatus", EmsTraffic(*status));
    out.Leaf("EMSTrafficReason", EdStatusWords(*status));
    out.Close();
  }
  if (any_reception) {
    out.Open("EMSCapacity");
    for (Triage priority : kAllTriage) {
      const auto& rate = hospital.reception[Index(priority)].value;
      if (!rate) continue;
      out.Open("TriageCode");
      out.Leaf("TriageCodeValue", TriageColour(priority));
      out.Leaf("TriageCountQuantity", *rate);
      out.Close();
    }
    out.Close();
    out.Leaf("CommentText", "EMSCapacity: mottagningskapacitet, patienter per timme (P1 röd, P2 gul, P3 grön)");
  }
  out.Close();
}

void WriteBeds(xml::Writer& out, const HospitalState& hospital) {
  bool opened = false;
  for (BedType type : kAllBedTypes) {
    const BedFigure& bed = hospital.beds[Index(type)];
    if (!bed.available && bed.baseline == 0 && bed.surge24h == 0 && bed.surge72h == 0) continue;
    if (!opened) out.Open("HospitalBedCapacityStatus");
    opened = true;
    out.Open("BedCapacity");
    out.Leaf("BedType", WireName(type));
    out.Open("Capacity");
    if (bed.available) out.Leaf("CapacityStatus", *bed.available > 0 ? "Vacant/Available" : "NotAvailable");
    if (bed.available) out.Leaf("AvailableCount", *bed.available);
    out.Leaf("BaselineCount", bed.baseline);
    out.Leaf("AdditionalCapacityCount24Hr", bed.surge24h);
    out.Leaf("AdditionalCapacityCount72Hr", std::max(bed.surge72h, bed.surge24h));
    out.Close();
    out.Close();
  }
  if (opened) out.Close();
}

void WriteFacility(xml::Writer& out, const HospitalState& hospital, ReadinessLevel level) {
  out.Open("HospitalFacilityStatus");
  out.Leaf("HospitalEOCStatus", level >= ReadinessLevel::kStaff ? "Active" : "Inactive");
  out.Leaf("HospitalEOCPlan", level >= ReadinessLevel::kReinforced ? "Active" : "Inactive");
  if (hospital.casualties.over_capacity) out.Leaf("ClinicalStatus", "Full");
  out.Leaf("CommentText", "Beredskapsläge: " + ReadinessWords(level) + " (" +
                              std::string(WireName(level)) + ")");
  out.Close();
}

void WriteHospital(xml::Writer& out, const HealthcareRegionConfig& config, const SpaceState& state,
                   std::size_t index, TimeMs now) {
  const HospitalConfig& info = config.hospitals[index];
  const HospitalState& hospital = state.hospitals[index];
  const auto region = config.FindRegion(info.region_id);
  out.Open("Hospital");
  WriteOrganization(out, info, region ? config.regions[*region].name : info.region_id, state);
  WriteEmergencyDepartment(out, hospital);
  WriteBeds(out, hospital);
  WriteFacility(out, hospital, EvaluateFreshness(config, state, index).level);
  // Never reported: the planning baselines only, as of the document's time.
  out.Leaf("LastUpdateTime", xml::DateTime(hospital.LastReportedAt().value_or(now)));
  out.Close();
}

std::string HospitalStatus(const HealthcareRegionConfig& config, const SpaceState& state,
                           const HaveRequest& request, bool declaration) {
  xml::Writer out(declaration);
  out.Open("HospitalStatus", {{"xmlns", kHaveNamespace},
                              {"xmlns:xpil", "urn:oasis:names:tc:ciq:xpil:3"},
                              {"xmlns:xnl", "urn:oasis:names:tc:ciq:xnl:3"},
                              {"xmlns:gml", "http://www.opengis.net/gml"}});
  if (state.exercise) out.Comment(ExerciseMark(state.space));
  for (std::size_t h = 0; h < config.hospitals.size(); ++h) {
    if (request.hospital && *request.hospital != h) continue;
    WriteHospital(out, config, state, h, request.now);
  }
  out.Close();
  return out.Finish();
}

}  // namespace

std::string HaveDocument(const HealthcareRegionConfig& config, const SpaceState& state,
                         const HaveRequest& request) {
  if (!state.exercise && !request.envelope) return HospitalStatus(config, state, request, true);
  // EDXL-DE 1.0: the envelope HAVE is specified to travel in, and the one with a status field.
  xml::Writer out;
  out.Open("EDXLDistribution", {{"xmlns", kDeNamespace}});
  out.Leaf("distributionID", "lagesbild." + config.id + "." + state.space + "." +
                                 std::to_string(state.seq) +
                                 (request.hospital ? "." + config.hospitals[*request.hospital].id : ""));
  out.Leaf("senderID", "lagesbild@" + config.id);
  out.Leaf("dateTimeSent", xml::DateTime(request.now));
  out.Leaf("distributionStatus", state.exercise ? "Exercise" : "Actual");
  out.Leaf("distributionType", "Report");
  out.Leaf("combinedConfidentiality", "Unclassified");
  out.Leaf("language", "sv-SE");
  out.Open("contentObject");
  out.Leaf("contentDescription", state.exercise ? ExerciseMark(state.space)
                                                : "Lägesbild " + config.name);
  out.Open("xmlContent");
  out.Open("embeddedXMLContent");
  out.Raw(HospitalStatus(config, state, request, false));
  out.Close();
  out.Close();
  out.Close();
  out.Close();
  return out.Finish();
}

}  // namespace lagesbild
