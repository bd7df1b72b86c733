// Users and their tokens. The users file holds, per user, an id, a role, a region (reporters) and
// the BLAKE2b hash of the token — never the token itself, which is shown once when the user is
// created. Tokens are compared in constant time (libsodium) and never logged.
//
// A token may carry an expiry ("expires" in the file, `users add --expires`). The server rereads
// the file on SIGHUP (a new directory replaces the old one).
//
// Immutable after Load(); safe to read from any thread.
#ifndef LAGESBILD_AUTH_USERS_H_
#define LAGESBILD_AUTH_USERS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lagesbild/core/config.h"
#include "lagesbild/core/domain.h"
#include "lagesbild/core/result.h"

namespace lagesbild {

struct UserRecord {
  std::string id;
  Role role = Role::kViewer;
  std::string region;      // reporters only
  std::string token_hash;  // "blake2b:<hex>"
  std::optional<TimeMs> expires_ms;  // the token stops working at this time

  bool operator==(const UserRecord& o) const {
    return id == o.id && role == o.role && region == o.region && token_hash == o.token_hash &&
           expires_ms == o.expires_ms;
  }
};

// What a presented token is worth now.
struct SignInResult {
  std::optional<Actor> actor;        // the user, when the token is valid now
  std::optional<TimeMs> expires_ms;  // and until when
  std::string failure;               // otherwise: "unknown token" or "token expired at …"
};

class UserDirectory {
 public:
  // Reads `path`; a missing file is an empty directory (everyone is a read-only viewer). Errors
  // name the file and the field, like the configuration's.
  static Result<UserDirectory> Load(const std::string& path, const HealthcareRegionConfig& config);
  // The same as the server reads it, at start and on SIGHUP: refused when others may read or
  // change the file (a hash can be attacked offline; a writable file lets anyone add an admin).
  static Result<UserDirectory> LoadPrivate(const std::string& path,
                                           const HealthcareRegionConfig& config);
  // Writes atomically (temporary file + rename), readable by the owner only.
  Status Save(const std::string& path) const;

  // The user holding `token` at `now`. Every record is compared whatever matches, so the time
  // taken says nothing about which user (if any) matched.
  SignInResult Authenticate(std::string_view token, TimeMs now) const;
  const UserRecord* Find(const std::string& id) const;

  // Adds a user and returns its new token; an error when the id is taken or invalid. Errors
  // of this class have the code "users".
  Result<std::string> Add(const std::string& id, Role role, const std::string& region,
                          const HealthcareRegionConfig& config,
                          std::optional<TimeMs> expires_ms = std::nullopt);
  bool Remove(const std::string& id);
  const std::vector<UserRecord>& users() const { return users_; }

 private:
  std::vector<UserRecord> users_;
};

std::string HashToken(std::string_view token);
std::string NewToken();  // 32 random bytes, hex

}  // namespace lagesbild

#endif  // LAGESBILD_AUTH_USERS_H_
