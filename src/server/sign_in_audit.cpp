#include "sign_in_audit.h"

#include <algorithm>

#include "lagesbild/core/state.h"
#include "lagesbild/core/time_format.h"

namespace lagesbild {
namespace {

constexpr TimeMs kMinuteMs = 60 * 1000;

Actor System() { return Actor{Actor::Kind::kSystem, "system", Role::kViewer, ""}; }

}  // namespace

void SignInAudit::Succeeded(const Actor& user, const std::string& address, const char* via,
                            TimeMs now) {
  if (!successes_.Admit(user.id, kAuditSpace, via, now)) return;  // counted into a summary
  Record(RecordSignIn{user.id, address, true, "", via, 1}, now);
}

void SignInAudit::Failed(const std::string& address, const std::string& reason, const char* via,
                         TimeMs now) {
  if (failures_.Take(now)) {
    Record(RecordSignIn{"", address, false, reason, via, 1}, now);
    return;
  }
  if (failures_counted_ == 0) failures_from_ = now;
  ++failures_counted_;
  failures_to_ = now;
}

void SignInAudit::RecordCounted(TimeMs now) {
  for (const RefusalBudget::Counted& counted : successes_.TakeEnded(now)) {
    Record(RecordSignIn{counted.user, "", true,
                        std::to_string(counted.count) + " further sign-ins from " +
                            FormatUtc(counted.from) + " to " + FormatUtc(counted.to) +
                            ", counted and not recorded one by one",
                        counted.commands, counted.count},
           counted.to);
  }
  // `now` is the largest time at shutdown: whatever was counted is recorded then.
  if (failures_counted_ > 0 && now - failures_from_ >= kMinuteMs) {
    Record(RecordSignIn{"", "", false,
                        std::to_string(failures_counted_) + " further failed sign-ins from " +
                            FormatUtc(failures_from_) + " to " + FormatUtc(failures_to_) +
                            ", counted and not recorded one by one",
                        "", failures_counted_},
           failures_to_);
    failures_counted_ = 0;
  }
}

void SignInAudit::Record(RecordSignIn sign_in, TimeMs now) {
  engine_.Submit(kAuditSpace, Command{System(), now, std::move(sign_in)},
                 [](const CommandOutcome&) {});
}

}  // namespace lagesbild
