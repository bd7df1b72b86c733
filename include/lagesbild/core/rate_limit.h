// Rate limits as pure values: the caller passes the time in, so they are unit-tested without a
// clock and each has exactly one owner (the network thread, see server.h).
#ifndef LAGESBILD_CORE_RATE_LIMIT_H_
#define LAGESBILD_CORE_RATE_LIMIT_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lagesbild/core/domain.h"

namespace lagesbild {

// A token bucket: `rate` tokens a second, holding at most `burst`; full at the start. Small (one
// per connection): floats are precise enough for token counts.
class TokenBucket {
 public:
  TokenBucket(double rate_per_second, double burst);
  // Takes one token if there is one at `now`.
  bool Take(TimeMs now);

 private:
  float rate_per_ms_;
  float burst_;
  float tokens_;
  bool started_ = false;
  TimeMs last_ = 0;
};

// How many refusals of each user are stored one by one: the first `per_minute` in a minute (from
// the first refusal of that minute) are; the rest are only counted, and each minute that counted
// some yields one summary once it is over.
class RefusalBudget {
 public:
  explicit RefusalBudget(int per_minute) : per_minute_(per_minute) {}

  // Whether this refusal (of `command` by `user` in `space` at `now`) is stored; if not it is
  // counted.
  bool Admit(const std::string& user, const std::string& space, const std::string& command,
             TimeMs now);

  struct Counted {
    std::string user, space, commands;  // commands: the refused types, comma-separated
    std::int64_t count = 0;
    TimeMs from = 0, to = 0;  // first and last counted refusal
  };
  // The minutes that are over at `now` and counted refusals; they are forgotten.
  std::vector<Counted> TakeEnded(TimeMs now);

 private:
  struct Window {
    TimeMs start = 0;
    int stored = 0;
    Counted counted;
  };
  int per_minute_;
  std::map<std::pair<std::string, std::string>, Window> windows_;  // by (user, space)
  std::vector<Counted> ended_;
};

// Failed sign-ins slow an address down: after `max_failures` within `window_ms`, every sign-in
// from it (a right token too) is refused until the lockout is over; each lockout in a row lasts
// twice the one before (from `window_ms`, at most 16 times it). At most `max_addresses` are
// remembered: beyond that the oldest is forgotten, so memory stays bounded whatever the number
// of addresses a client has.
class SignInThrottle {
 public:
  SignInThrottle(int max_failures, TimeMs window_ms, std::size_t max_addresses)
      : max_failures_(max_failures), window_ms_(window_ms), max_addresses_(max_addresses) {}

  // When the address may try again, or nothing when it may try now.
  std::optional<TimeMs> LockedUntil(const std::string& address, TimeMs now) const;
  // Records a failure; true when it starts a lockout.
  bool Failed(const std::string& address, TimeMs now);
  std::size_t remembered() const { return addresses_.size(); }

 private:
  struct Record {
    TimeMs window_start = 0;
    int failures = 0;
    int lockouts = 0;  // in a row
    TimeMs locked_until = 0;
    TimeMs last = 0;
  };
  int max_failures_;
  TimeMs window_ms_;
  std::size_t max_addresses_;
  std::map<std::string, Record> addresses_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_RATE_LIMIT_H_
