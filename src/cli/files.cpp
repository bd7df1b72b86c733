#include "files.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>


namespace lagesbild::cli {

void MakePrivateDirectory(const std::string& file) {
  std::error_code ec;
  const auto directory = std::filesystem::path(file).parent_path();
  if (directory.empty() || std::filesystem::exists(directory, ec)) return;
  std::filesystem::create_directories(directory, ec);
  std::filesystem::permissions(directory, std::filesystem::perms::owner_all, ec);
}


std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::shared_ptr<const HealthcareRegionConfig> LoadConfig(const std::string& path) {
  const auto text = ReadFile(path);
  if (!text) {
    std::fprintf(stderr, "lagesbild: %s: cannot be read\n", path.c_str());
    return nullptr;
  }
  auto loaded = ParseConfig(*text, path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "lagesbild: %s\n", loaded.error().message.c_str());
    return nullptr;
  }
  return std::make_shared<const HealthcareRegionConfig>(std::move(loaded).value());
}

bool LoadUsers(const std::string& path, const HealthcareRegionConfig& config,
               UserDirectory* users, bool private_only) {
  auto loaded = private_only ? UserDirectory::LoadPrivate(path, config) : UserDirectory::Load(path, config);
  if (!loaded.ok()) {
    std::fprintf(stderr, "lagesbild: %s\n", loaded.error().message.c_str());
    return false;
  }
  *users = std::move(loaded).value();
  return true;
}

}  // namespace lagesbild::cli
