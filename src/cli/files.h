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
// `private_only`: as the server reads it (UserDirectory::LoadPrivate).
bool LoadUsers(const std::string& path, const HealthcareRegionConfig& config, UserDirectory* users,
               bool private_only = false);

}  // namespace lagesbild::cli

#endif  // LAGESBILD_CLI_FILES_H_
