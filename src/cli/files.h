// What the commands share: reading the configuration and the users file, and making the
// owner-only directory a file goes into. Errors are printed ("lagesbild: …") and reported as
// false or null.
#ifndef LAGESBILD_CLI_FILES_H_
#define LAGESBILD_CLI_FILES_H_

#include <memory>
#include <optional>
#include <string>

#include "lagesbild/auth/users.h"
#include "lagesbild/core/config.h"

namespace lagesbild::cli {

// Creates the directory a file goes into (data/ by default) owner-only, if it is missing.
void MakePrivateDirectory(const std::string& file);
std::optional<std::string> ReadFile(const std::string& path);
std::shared_ptr<const HealthcareRegionConfig> LoadConfig(const std::string& path);
// The users file holds token hashes: the server will not run with one that others can read or
// change (a hash can be attacked offline; a writable file lets anyone add an admin).
bool UsersFilePrivate(const std::string& path);
bool LoadUsers(const std::string& path, const HealthcareRegionConfig& config, UserDirectory* users);

}  // namespace lagesbild::cli

#endif  // LAGESBILD_CLI_FILES_H_
