#include "lagesbild/core/patients.h"

#include <algorithm>

namespace lagesbild {
namespace {

const DeteriorationRule* RuleFor(const ExerciseInfo& info, Triage priority) {
  for (const DeteriorationRule& rule : info.deterioration) {
    if (rule.from == priority) return &rule;
  }
  return nullptr;
}

void Take(BedFigure& bed, std::int64_t count) {
  bed.available = std::max<std::int64_t>(0, bed.available.value_or(0) - count);
}

void Free(BedFigure& bed, std::int64_t count, const Stamp& stamp) {
  if (count == 0) return;
  const std::int64_t limit = bed.baseline + bed.surge24h;
  bed.available = std::min(limit, bed.available.value_or(0) + count);
  bed.stamp = stamp;
}

}  // namespace

std::string TransferWave(Seq seq) { return "transfer-" + std::to_string(seq); }

std::optional<DuePatientEvent> NextPatientEvent(const ExerciseInfo& info) {
  std::optional<DuePatientEvent> next;
  const PatientGroup* arriving = nullptr;
  for (const PatientGroup& group : info.patients) {
    if (group.arrives_ms && (!arriving || *group.arrives_ms < *arriving->arrives_ms)) {
      arriving = &group;
    }
  }
  if (arriving) {
    CasualtiesArrived arrived{arriving->wave, arriving->hospital, {}, {}};
    for (const PatientGroup& group : info.patients) {
      if (group.wave == arriving->wave && group.hospital == arriving->hospital &&
          group.arrives_ms == arriving->arrives_ms) {
        arrived.patients[Index(group.priority)] += group.count;
        arrived.burns[Index(group.priority)] += group.burns;
      }
    }
    next = DuePatientEvent{*arriving->arrives_ms, arrived};
  }
  for (const PatientGroup& group : info.patients) {
    const DeteriorationRule* rule = group.judged ? nullptr : RuleFor(info, group.priority);
    if (!rule) continue;
    const std::int64_t due = group.since_ms + rule->after_minutes * 60000;
    if (group.arrives_ms && *group.arrives_ms <= due) continue;  // treated first
    if (next && next->at_ms <= due) continue;
    const std::int64_t count = std::min(
        group.count, (group.count * rule->share_percent + 99) / 100);
    next = DuePatientEvent{due, PatientsDeteriorated{group.wave, group.hospital, group.priority,
                                                     rule->to, count}};
  }
  return next;
}

void AddWaitingWave(ExerciseInfo& info, const CasualtiesAtScene& scene, std::int64_t elapsed) {
  info.waiting_waves.push_back(
      WaitingWave{scene.wave, scene.location, scene.region, scene.transport_minutes});
  for (Triage priority : kAllTriage) {
    const std::int64_t count = scene.patients[Index(priority)];
    if (count == 0) continue;
    info.patients.push_back(PatientGroup{scene.wave, scene.location, "", std::nullopt, priority, count,
                                         std::min(count, scene.burns[Index(priority)]), elapsed,
                                         false});
  }
}

void AddDispatch(ExerciseInfo& info, const CasualtiesDispatched& dispatched) {
  const DispatchedPatients& to = dispatched.to;
  const std::int64_t left = dispatched.due_elapsed_ms - to.transport_minutes * 60000;
  const auto waiting = std::find_if(info.waiting_waves.begin(), info.waiting_waves.end(),
                                    [&](const WaitingWave& w) { return w.wave == dispatched.wave; });
  for (Triage priority : kAllTriage) {
    std::int64_t count = to.patients[Index(priority)];
    std::int64_t burns = std::min(count, to.burns[Index(priority)]);
    if (count == 0) continue;
    if (waiting == info.waiting_waves.end()) {  // dispatched at once from the wave
      info.patients.push_back(PatientGroup{dispatched.wave, dispatched.location, to.hospital,
                                           dispatched.due_elapsed_ms,
                                           priority, count, burns, left, false});
      continue;
    }
    // From the scene, the longest waiting first; each part keeps its time and judgement.
    std::vector<PatientGroup> moved;
    for (PatientGroup& group : info.patients) {
      if (count == 0) break;
      if (group.wave != dispatched.wave || !group.hospital.empty() || group.priority != priority) {
        continue;
      }
      const std::int64_t take = std::min(count, group.count);
      const std::int64_t take_burns = std::min({burns, group.burns, take});
      PatientGroup part = group;
      part.hospital = to.hospital;
      part.arrives_ms = dispatched.due_elapsed_ms;
      part.count = take;
      part.burns = take_burns;
      group.count -= take;
      group.burns -= take_burns;
      count -= take;
      burns -= take_burns;
      moved.push_back(std::move(part));
    }
    info.patients.insert(info.patients.end(), moved.begin(), moved.end());
  }
  info.patients.erase(std::remove_if(info.patients.begin(), info.patients.end(),
                                     [](const PatientGroup& g) { return g.count == 0; }),
                      info.patients.end());
  if (waiting != info.waiting_waves.end() &&
      std::none_of(info.patients.begin(), info.patients.end(), [&](const PatientGroup& g) {
        return g.wave == dispatched.wave && g.hospital.empty();
      })) {
    info.waiting_waves.erase(waiting);
  }
}

void RemoveArrival(ExerciseInfo& info, const CasualtiesArrived& arrived) {
  std::optional<std::int64_t> first;
  for (const PatientGroup& group : info.patients) {
    if (group.wave == arrived.wave && group.hospital == arrived.hospital && group.arrives_ms &&
        (!first || *group.arrives_ms < *first)) {
      first = group.arrives_ms;
    }
  }
  info.patients.erase(std::remove_if(info.patients.begin(), info.patients.end(),
                                     [&](const PatientGroup& g) {
                                       return g.wave == arrived.wave &&
                                              g.hospital == arrived.hospital &&
                                              g.arrives_ms == first;
                                     }),
                      info.patients.end());
}

void ApplyDeterioration(ExerciseInfo& info, const PatientsDeteriorated& change,
                        std::int64_t elapsed) {
  // The group the rule judged: the oldest unjudged one of that wave, place and priority.
  PatientGroup* group = nullptr;
  for (PatientGroup& candidate : info.patients) {
    if (candidate.wave == change.wave && candidate.hospital == change.hospital &&
        candidate.priority == change.from && !candidate.judged &&
        (!group || candidate.since_ms < group->since_ms)) {
      group = &candidate;
    }
  }
  if (!group) return;  // nothing left to worsen (a log written under other rules)
  const std::int64_t count = std::min(change.count, group->count);
  const std::int64_t burns = std::min(group->burns, count);
  PatientGroup worse = *group;
  group->count -= count;
  group->burns -= burns;
  group->judged = true;
  if (change.to) {
    worse.priority = *change.to;
    worse.count = count;
    worse.burns = burns;
    worse.since_ms = elapsed;
    worse.judged = false;
    info.patients.push_back(std::move(worse));
  } else {
    info.deceased_waiting += count;
  }
  info.patients.erase(std::remove_if(info.patients.begin(), info.patients.end(),
                                     [](const PatientGroup& g) { return g.count == 0; }),
                      info.patients.end());
}

void AddTransfer(ExerciseInfo& info, const PatientsTransferred& transferred, Seq seq,
                 std::int64_t elapsed) {
  const TransferPatients& t = transferred.transfer;
  for (Triage priority : kAllTriage) {
    const std::int64_t count = t.patients[Index(priority)];
    if (count == 0) continue;
    const std::int64_t burns = priority == Triage::kP1 ? std::min(count, t.burns) : 0;
    info.patients.push_back(PatientGroup{TransferWave(seq), t.from, t.to,
                                         elapsed + t.transport_minutes * 60000, priority, count,
                                         burns, elapsed, false});
  }
}

void ReceivePatients(const PatientCounts& patients, const PatientCounts& burns, bool burns_need_icu,
                     const Stamp& stamp, HospitalState& hospital) {
  Casualties& casualties = hospital.casualties;
  std::optional<OverCapacity> reason;
  BedFigure& icu = hospital.beds[Index(BedType::kAdultICU)];
  BedFigure& burn = hospital.beds[Index(BedType::kBurn)];
  BedFigure& ward = hospital.beds[Index(BedType::kMedicalSurgical)];
  BedFigure& theatre = hospital.beds[Index(BedType::kOperatingRooms)];
  const std::int64_t p1 = patients[Index(Triage::kP1)];
  const std::int64_t burned_p1 = std::min(p1, burns[Index(Triage::kP1)]);
  std::int64_t burned = 0;
  for (Triage priority : kAllTriage) burned += std::min(patients[Index(priority)], burns[Index(priority)]);
  const std::int64_t icu_need = p1 - burned_p1 + (burns_need_icu ? burned_p1 : 0);
  const std::int64_t ward_need = patients[Index(Triage::kP2)] - std::min(patients[Index(Triage::kP2)], burns[Index(Triage::kP2)]);
  if (icu_need > 0) {
    const std::int64_t free = icu.available.value_or(0);
    if (icu_need > free) reason = OverCapacity{OverCapacity::Kind::kIcuShort, Triage::kP1, icu_need, free};
    Take(icu, icu_need);
    icu.stamp = stamp;
  }
  if (burned > 0) {
    const std::int64_t free = burn.available.value_or(0);
    if (!reason && burned > free) {
      reason = OverCapacity{OverCapacity::Kind::kBurnShort, Triage::kP1, burned, free};
    }
    Take(burn, burned);
    burn.stamp = stamp;
  }
  if (ward_need > 0) {
    Take(ward, ward_need);
    ward.stamp = stamp;
  }
  if (p1 > 0 && theatre.available) {
    Take(theatre, p1);
    theatre.stamp = stamp;
  }
  const TimeMs now = stamp.at.value_or(0);
  casualties.arrivals.emplace_back(now, patients);
  // Only the last hour counts below; older arrivals would only grow the state.
  while (!casualties.arrivals.empty() && now - casualties.arrivals.front().first >= kArrivalWindowMs) {
    casualties.arrivals.erase(casualties.arrivals.begin());
  }
  for (Triage priority : kAllTriage) {
    const std::size_t p = Index(priority);
    casualties.incoming[p] = std::max<std::int64_t>(0, casualties.incoming[p] - patients[p]);
    casualties.received[p] += patients[p];
    std::int64_t last_hour = 0;
    for (const auto& [at, counts] : casualties.arrivals) {
      if (now - at < kArrivalWindowMs) last_hour += counts[p];
    }
    const auto& rate = hospital.reception[p].value;
    if (!reason && rate && last_hour > *rate) {
      reason = OverCapacity{OverCapacity::Kind::kReceptionRate, priority, last_hour, *rate};
    }
  }
  casualties.over_capacity = reason;
}

void ReleasePatients(const TransferPatients& transfer, bool burns_need_icu, const Stamp& stamp,
                     HospitalState& hospital) {
  const std::int64_t p1 = transfer.patients[Index(Triage::kP1)];
  const std::int64_t burned = std::min(p1, transfer.burns);
  Free(hospital.beds[Index(BedType::kAdultICU)], p1 - burned + (burns_need_icu ? burned : 0), stamp);
  Free(hospital.beds[Index(BedType::kBurn)], burned, stamp);
  Free(hospital.beds[Index(BedType::kMedicalSurgical)], transfer.patients[Index(Triage::kP2)], stamp);
  for (Triage priority : kAllTriage) {
    auto& received = hospital.casualties.received[Index(priority)];
    received = std::max<std::int64_t>(0, received - transfer.patients[Index(priority)]);
  }
}

PatientCounts AtScene(const ExerciseInfo& info) {
  PatientCounts counts{};
  for (const PatientGroup& group : info.patients) {
    if (group.hospital.empty()) counts[Index(group.priority)] += group.count;
  }
  return counts;
}

PatientCounts OnTheWay(const ExerciseInfo& info) {
  PatientCounts counts{};
  for (const PatientGroup& group : info.patients) {
    if (!group.hospital.empty()) counts[Index(group.priority)] += group.count;
  }
  return counts;
}

void AssignBurns(const SpaceState& state, const HealthcareRegionConfig& config,
                 const PatientCounts& burns, std::vector<DispatchedPatients>& allocations) {
  std::vector<std::size_t> order(allocations.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto free_burn = [&](std::size_t i) -> std::int64_t {
    auto index = config.FindHospital(allocations[i].hospital);
    return index ? state.hospitals[*index].beds[Index(BedType::kBurn)].available.value_or(0) : 0;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return free_burn(a) > free_burn(b); });
  for (Triage priority : kAllTriage) {
    std::int64_t left = burns[Index(priority)];
    for (std::size_t i : order) {
      DispatchedPatients& allocation = allocations[i];
      const std::int64_t take = std::min(left, allocation.patients[Index(priority)]);
      allocation.burns[Index(priority)] = take;
      left -= take;
    }
  }
}

}  // namespace lagesbild
