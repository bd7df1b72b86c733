// Sign-ins for the audit trail: each one, successful or not, becomes a sign_in event in the
// space kAuditSpace, with the client's address — within bounds, so no client can fill the disk
// with them: at most 10 successes a minute per user and 10 failures a second in all (bursts of
// 600) are recorded one by one; the rest are counted, and each minute that counted some yields
// one summary event. (Failures from one address are also throttled: Network::sign_ins.)
//
// Thread model: network thread only; the events go through the engine like every write.
#ifndef LAGESBILD_SERVER_SIGN_IN_AUDIT_H_
#define LAGESBILD_SERVER_SIGN_IN_AUDIT_H_

#include <string>

#include "lagesbild/core/domain.h"
#include "lagesbild/core/rate_limit.h"
#include "lagesbild/engine/engine.h"

namespace lagesbild {

class SignInAudit {
 public:
  explicit SignInAudit(Engine& engine) : engine_(engine) {}

  void Succeeded(const Actor& user, const std::string& address, const char* via, TimeMs now);
  void Failed(const std::string& address, const std::string& reason, const char* via, TimeMs now);
  // The summaries of the minutes that are over by `now` (all of them at shutdown).
  void RecordCounted(TimeMs now);

 private:
  void Record(RecordSignIn sign_in, TimeMs now);

  Engine& engine_;
  RefusalBudget successes_{10};            // per user and minute
  TokenBucket failures_{10, 600};          // all addresses together
  std::int64_t failures_counted_ = 0;      // since failures_from_
  TimeMs failures_from_ = 0, failures_to_ = 0;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_SIGN_IN_AUDIT_H_
