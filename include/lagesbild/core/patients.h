// The patient flow of an exercise: casualties waiting at the scene or on the way (PatientGroup),
// how they worsen by the scenario's rules, and how they take beds on arrival. Pure, and driven
// only through Decide()/Apply() (core.h): these are their helpers, so the same events at the same
// exercise times give the same outcome at any speed.
#ifndef LAGESBILD_CORE_PATIENTS_H_
#define LAGESBILD_CORE_PATIENTS_H_

#include <optional>
#include <vector>

#include "lagesbild/core/config.h"
#include "lagesbild/core/events.h"
#include "lagesbild/core/state.h"

namespace lagesbild {

// The next patient event due (an arrival, or a deterioration), at exercise time `at_ms`. At the
// same time an arrival comes first: a patient who reaches the hospital is treated.
struct DuePatientEvent {
  std::int64_t at_ms = 0;
  EventBody body;
};
std::optional<DuePatientEvent> NextPatientEvent(const ExerciseInfo& info);

// Apply's part: the exercise's groups and waiting waves change; `elapsed` is the event's
// exercise time. Errors only for a log that does not fit (another configuration).
void AddWaitingWave(ExerciseInfo& info, const CasualtiesAtScene& scene, std::int64_t elapsed);
void AddDispatch(ExerciseInfo& info, const CasualtiesDispatched& dispatched);
// Removes the groups that arrive (wave and hospital, the earliest arrival time).
void RemoveArrival(ExerciseInfo& info, const CasualtiesArrived& arrived);
// The oldest unjudged group of that wave, place and priority worsens (Apply adjusts `incoming`).
void ApplyDeterioration(ExerciseInfo& info, const PatientsDeteriorated& change,
                        std::int64_t elapsed);
void AddTransfer(ExerciseInfo& info, const PatientsTransferred& transferred, Seq seq,
                 std::int64_t elapsed);
std::string TransferWave(Seq seq);  // "transfer-<seq>"

// Patients take beds on arrival: a P1 an IVA bed and an operating room, a burned patient a burn
// bed instead of IVA (and IVA too with `burns_need_icu`), a P2 a vårdplats, while any are free.
// Sets over capacity (IVA short, burn beds short, or the last hour's load above reception).
void ReceivePatients(const PatientCounts& patients, const PatientCounts& burns, bool burns_need_icu,
                     const Stamp& stamp, HospitalState& hospital);
// A transfer frees the beds its patients held at the hospital they leave.
void ReleasePatients(const TransferPatients& transfer, bool burns_need_icu, const Stamp& stamp,
                     HospitalState& hospital);

// Patients at the scene (and on the way) per priority, for the wire.
PatientCounts AtScene(const ExerciseInfo& info);
PatientCounts OnTheWay(const ExerciseInfo& info);

// Burned patients among a distribution: per priority, first to the hospitals with the most free
// burn beds (then configuration order), as many as each receives of that priority.
void AssignBurns(const SpaceState& state, const HealthcareRegionConfig& config,
                 const PatientCounts& burns, std::vector<DispatchedPatients>& allocations);

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_PATIENTS_H_
