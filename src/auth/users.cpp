#include "lagesbild/auth/users.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "lagesbild/core/time_format.h"

namespace lagesbild {
namespace {

using Json = nlohmann::json;
constexpr std::string_view kHashPrefix = "blake2b:";

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::string Hex(const unsigned char* bytes, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

std::optional<std::string> CheckUser(const UserRecord& user, const HealthcareRegionConfig& config) {
  static const std::regex kIdPattern("[a-z0-9][a-z0-9._-]{0,63}");
  if (!std::regex_match(user.id, kIdPattern)) {
    return "id '" + user.id + "' must be 1-64 characters of a-z, 0-9, '.', '_' and '-'";
  }
  if (user.role == Role::kReporter && !config.FindRegion(user.region)) {
    return "a reporter needs a region of " + config.id + " (got '" + user.region + "')";
  }
  if (user.role != Role::kReporter && !user.region.empty()) {
    return "only a reporter is bound to a region";
  }
  return std::nullopt;
}

}  // namespace

Error UsersError(std::string message) { return MakeError("users", "", std::move(message)); }

std::string HashToken(std::string_view token) {
  SodiumReady();
  unsigned char hash[crypto_generichash_BYTES];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return std::string(kHashPrefix) + Hex(hash, sizeof hash);
}

std::string NewToken() {
  SodiumReady();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return Hex(bytes, sizeof bytes);
}

Result<UserDirectory> UserDirectory::Load(const std::string& path,
                                          const HealthcareRegionConfig& config) {
  UserDirectory directory;
  std::error_code missing;
  if (!std::filesystem::exists(path, missing) && !missing) return directory;  // no users yet
  std::ifstream in(path);
  if (!in) return UsersError(path + ": cannot be read (is it the server user's?)");
  std::ostringstream text;
  text << in.rdbuf();
  Json root;
  try {
    root = Json::parse(text.str());
  } catch (const Json::exception& e) {
    return UsersError(path + ": not valid JSON: " + e.what());
  }
  if (!root.is_object() || !root.contains("users") || !root["users"].is_array()) {
    return UsersError(path + ": $.users: must be an array");
  }
  for (std::size_t i = 0; i < root["users"].size(); ++i) {
    const std::string where = path + ": $.users[" + std::to_string(i) + "]";
    const Json& entry = root["users"][i];
    UserRecord user;
    try {
      user.id = entry.at("id").get<std::string>();
      auto role = ParseRole(entry.at("role").get<std::string>());
      if (!role) return UsersError(where + ".role: must be admin, trainer, reporter or viewer");
      user.role = *role;
      user.region = entry.value("region", "");
      user.token_hash = entry.at("token_hash").get<std::string>();
      if (entry.contains("expires")) {
        user.expires_ms = ParseUtc(entry.at("expires").get<std::string>());
        if (!user.expires_ms) {
          return UsersError(where + ".expires: must be a UTC time like 2027-06-30T23:59:59Z");
        }
      }
    } catch (const Json::exception& e) {
      return UsersError(where + ": " + e.what());
    }
    if (auto problem = CheckUser(user, config)) return UsersError(where + ": " + *problem);
    if (user.token_hash.rfind(kHashPrefix, 0) != 0 ||
        user.token_hash.size() != kHashPrefix.size() + 2 * crypto_generichash_BYTES) {
      return UsersError(where + ".token_hash: not a token hash made by 'lagesbild users add'");
    }
    for (const UserRecord& other : directory.users_) {
      if (other.id == user.id) return UsersError(where + ".id: '" + user.id + "' is used twice");
    }
    directory.users_.push_back(std::move(user));
  }
  return directory;
}

Result<UserDirectory> UserDirectory::LoadPrivate(const std::string& path,
                                                 const HealthcareRegionConfig& config) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(info.st_mode & 0777));
    return UsersError(path + " is readable or writable by others (mode " + mode +
                      "); make it the owner's only: chmod 600 " + path);
  }
  return Load(path, config);  // none yet: `users add` creates it owner-only
}

Status UserDirectory::Save(const std::string& path) const {
  Json users = Json::array();
  for (const UserRecord& user : users_) {
    Json entry{{"id", user.id}, {"role", WireName(user.role)}, {"token_hash", user.token_hash}};
    if (!user.region.empty()) entry["region"] = user.region;
    if (user.expires_ms) entry["expires"] = FormatUtc(*user.expires_ms);
    users.push_back(std::move(entry));
  }
  const std::string temporary = path + ".tmp";
  {
    const mode_t old_mask = ::umask(077);
    std::ofstream out(temporary, std::ios::trunc);
    ::umask(old_mask);
    if (!out) return UsersError(temporary + ": cannot be written");
    out << Json{{"users", users}}.dump(2) << "\n";
    out.flush();
    if (!out) return UsersError(temporary + ": cannot be written");
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) return UsersError(path + ": " + ec.message());
  return Ok();
}

SignInResult UserDirectory::Authenticate(std::string_view token, TimeMs now) const {
  const std::string presented = HashToken(token);
  const UserRecord* match = nullptr;
  for (const UserRecord& user : users_) {
    // Hashes have a fixed length, so every comparison takes the same time.
    if (user.token_hash.size() == presented.size() &&
        sodium_memcmp(user.token_hash.data(), presented.data(), presented.size()) == 0) {
      match = &user;
    }
  }
  SignInResult result;
  if (!match) {
    result.failure = "unknown token";
  } else if (match->expires_ms && *match->expires_ms <= now) {
    result.failure = "the token of '" + match->id + "' expired at " + FormatUtc(*match->expires_ms);
  } else {
    result.actor = Actor{Actor::Kind::kUser, match->id, match->role, match->region};
    result.expires_ms = match->expires_ms;
  }
  return result;
}

const UserRecord* UserDirectory::Find(const std::string& id) const {
  for (const UserRecord& user : users_) {
    if (user.id == id) return &user;
  }
  return nullptr;
}

Result<std::string> UserDirectory::Add(const std::string& id, Role role, const std::string& region,
                                       const HealthcareRegionConfig& config,
                                       std::optional<TimeMs> expires_ms) {
  UserRecord user{id, role, region, "", expires_ms};
  if (auto problem = CheckUser(user, config)) return UsersError(*problem);
  for (const UserRecord& other : users_) {
    if (other.id == id) return UsersError("a user '" + id + "' exists already");
  }
  std::string token = NewToken();
  user.token_hash = HashToken(token);
  users_.push_back(std::move(user));
  return token;
}

bool UserDirectory::Remove(const std::string& id) {
  const auto before = users_.size();
  users_.erase(std::remove_if(users_.begin(), users_.end(),
                              [&](const UserRecord& user) { return user.id == id; }),
               users_.end());
  return users_.size() != before;
}

}  // namespace lagesbild
