// Reading an EDXL-HAVE 1.0 document that someone else wrote: a hospital system's import
// (import-have, the import_have command) or a neighbour's feed. Hostile input: at most
// kMaxHaveBytes, no DTD (so no entities, no external anything), no network; every problem is
// reported with the element it is in, and a document with any problem yields nothing.
//
// Read: per Hospital, its identifier (xpil:IdentifierElement) and name (xnl:NameElement), each
// BedCapacity's figures (bed types Lägesbild does not keep are listed as ignored), EMSTraffic,
// EMSCapacity (Red/Yellow/Green as P1/P2/P3 per hour) and LastUpdateTime. An EDXL-DE envelope
// around it is opened and its distributionStatus kept. Pure apart from libxml2's parser.
#ifndef LAGESBILD_INTEROP_HAVE_READ_H_
#define LAGESBILD_INTEROP_HAVE_READ_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lagesbild/core/commands.h"
#include "lagesbild/core/config.h"
#include "lagesbild/core/neighbours.h"
#include "lagesbild/core/result.h"

namespace lagesbild {

inline constexpr std::size_t kMaxHaveBytes = 512 * 1024;

struct HaveHospital {
  std::string where;       // "Hospital[2]" (1-based), for messages
  std::string identifier;  // xpil:IdentifierElement, if any
  std::string name;        // xnl:NameElement, if any
  CapacityReport figures;  // hospital left empty: matched against a configuration later
  std::optional<TimeMs> last_update;
};

struct HaveReading {
  std::vector<HaveHospital> hospitals;
  // EDXL-DE distributionStatus when the document came in an envelope ("Actual", "Exercise", …).
  std::string distribution_status;
  std::vector<std::string> ignored;  // "Hospital[1] BedCapacity[3]: NeonatalICU is not kept"
};

// An error with code invalid_have and every problem in `details`.
Result<HaveReading> ReadHave(std::string_view document);

// The hospital of `config` a document's hospital is: its identifier is the id, or its name is
// the name (case as written).
std::optional<std::size_t> MatchHospital(const HealthcareRegionConfig& config,
                                         const HaveHospital& hospital);

// The document's hospitals as capacity reports for `config`, to be judged as one import
// (core ImportReports). An error invalid_have naming every hospital this configuration does not
// have; an exercise's document (EDXL-DE distributionStatus other than Actual) is refused for live.
Result<ImportReports> ImportFromHave(const HealthcareRegionConfig& config, const HaveReading& reading,
                                     bool into_exercise);

// A neighbour's feed answer as the hospitals to show (core/neighbours.h): those `feed` names, in
// its order, matched by identifier or else by name (one not in the document is kept as missing),
// or every hospital of the document when it names none (at most kMaxNeighbourHospitals). An
// exercise's document is refused (invalid_have, field distributionStatus): a neighbour's exercise
// never shows as live.
Result<std::vector<NeighbourHospital>> NeighbourHospitalsFromHave(const NeighbourFeedConfig& feed,
                                                                  const HaveReading& reading);

// An xsd:dateTime with an offset or Z (fractions allowed) as UTC milliseconds; none without a
// time zone.
std::optional<TimeMs> ParseXsdDateTime(std::string_view text);

}  // namespace lagesbild

#endif  // LAGESBILD_INTEROP_HAVE_READ_H_
