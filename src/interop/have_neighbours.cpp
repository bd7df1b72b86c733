// A neighbour's EDXL-HAVE answer as the hospitals its board section shows (have_read.h).
#include "lagesbild/interop/have_read.h"

namespace lagesbild {
namespace {

NeighbourHospital FromHave(const HaveHospital& hospital, const std::string& id) {
  NeighbourHospital out;
  out.id = id;
  out.name = hospital.name.empty() ? id : hospital.name;
  out.figures = hospital.figures;
  out.figures.hospital.clear();
  out.last_update = hospital.last_update;
  return out;
}

}  // namespace

Result<std::vector<NeighbourHospital>> NeighbourHospitalsFromHave(const NeighbourFeedConfig& feed,
                                                                  const HaveReading& reading) {
  if (!reading.distribution_status.empty() && reading.distribution_status != "Actual") {
    return MakeError("invalid_have", "distributionStatus",
                     "the feed is an EDXL-DE document with distributionStatus " +
                         reading.distribution_status.substr(0, 40) +
                         ", not Actual: an exercise is never shown as live");
  }
  std::vector<NeighbourHospital> out;
  if (feed.hospitals.empty()) {
    for (const HaveHospital& hospital : reading.hospitals) {
      if (out.size() == kMaxNeighbourHospitals) break;
      const std::string& id = hospital.identifier.empty() ? hospital.name : hospital.identifier;
      if (id.empty()) continue;  // nothing to tell it by
      out.push_back(FromHave(hospital, id));
    }
    return out;
  }
  for (const std::string& id : feed.hospitals) {
    const HaveHospital* found = nullptr;
    for (const HaveHospital& hospital : reading.hospitals) {
      if (hospital.identifier == id) { found = &hospital; break; }
    }
    for (const HaveHospital& hospital : reading.hospitals) {
      if (found) break;
      if (hospital.name == id) found = &hospital;
    }
    if (found) {
      out.push_back(FromHave(*found, id));
    } else {
      NeighbourHospital missing;
      missing.id = id;
      missing.name = id;
      missing.missing = true;
      out.push_back(std::move(missing));
    }
  }
  return out;
}

}  // namespace lagesbild
