// EDXL-HAVE 1.0 (OASIS, 2008): the capacity picture of a space as a HospitalStatus document,
// and the reading of one back (have_read.cpp) for the import and the neighbours' feeds.
//
// The mapping (docs/interop.md): bed types one to one; `available` → AvailableCount (with
// CapacityStatus), baseline → BaselineCount, surge24h/surge72h → AdditionalCapacityCount24Hr/72Hr;
// ED status → EMSTrafficStatus (open Normal, restricted Advisory, diversion and closed Closed);
// reception P1/P2/P3 per hour → EMSCapacity Red/Yellow/Green; the readiness level →
// HospitalEOCStatus (Active from stabsläge) and HospitalEOCPlan (Active from förstärkningsläge);
// the newest report → LastUpdateTime. HAVE has no status field, so an exercise's document is sent
// inside an EDXL-DE 1.0 envelope with distributionStatus Exercise, and every hospital's
// Organization carries the comment "ÖVNING". Pure: no I/O, no clock (the time is passed in).
#ifndef LAGESBILD_INTEROP_HAVE_H_
#define LAGESBILD_INTEROP_HAVE_H_

#include <optional>
#include <string>

#include "lagesbild/core/config.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

inline constexpr const char* kHaveNamespace = "urn:oasis:names:tc:emergency:EDXL:HAVE:1.0";
inline constexpr const char* kDeNamespace = "urn:oasis:names:tc:emergency:EDXL:DE:1.0";

struct HaveRequest {
  std::optional<std::size_t> hospital;  // one hospital; empty: every hospital of the space
  TimeMs now = 0;                       // the document's time (the space's clock)
  // Wrap in EDXL-DE even for live (distributionStatus Actual). An exercise is always wrapped.
  bool envelope = false;
};

// The space's HospitalStatus document (for an exercise: the EDXL-DE envelope around it).
std::string HaveDocument(const HealthcareRegionConfig& config, const SpaceState& state,
                         const HaveRequest& request);

}  // namespace lagesbild

#endif  // LAGESBILD_INTEROP_HAVE_H_
