// Users and their tokens. The users file holds, per user, an id, a role, a region (reporters) and
// the BLAKE2b hash of the token — never the token itself, which is shown once when the user is
// created. Tokens are compared in constant time (libsodium) and never logged.
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
};

class UserDirectory {
 public:
  // Reads `path`; a missing file is an empty directory (everyone is a read-only viewer). Errors
  // name the file and the field, like the configuration's.
  static Result<UserDirectory> Load(const std::string& path, const HealthcareRegionConfig& config);
  // Writes atomically (temporary file + rename), readable by the owner only.
  Status Save(const std::string& path) const;

  // The user holding `token`, as an actor; nothing for an unknown token. Every record is compared
  // whatever matches, so the time taken says nothing about which user (if any) matched.
  std::optional<Actor> Authenticate(std::string_view token) const;

  // Adds a user and returns its new token; an error when the id is taken or invalid. Errors
  // of this class have the code "users".
  Result<std::string> Add(const std::string& id, Role role, const std::string& region,
                          const HealthcareRegionConfig& config);
  bool Remove(const std::string& id);
  const std::vector<UserRecord>& users() const { return users_; }

 private:
  std::vector<UserRecord> users_;
};

std::string HashToken(std::string_view token);
std::string NewToken();  // 32 random bytes, hex

}  // namespace lagesbild

#endif  // LAGESBILD_AUTH_USERS_H_
