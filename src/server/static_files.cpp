#include "lagesbild/server/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace lagesbild {
namespace {

constexpr std::uintmax_t kMaxTotalBytes = 32u << 20;

std::string ContentTypeFor(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

}  // namespace

Status StaticFiles::Load(const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return MakeError("config", "web", root + ": not a directory");
  std::uintmax_t total = 0;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    total += it->file_size(ec);
    if (total > kMaxTotalBytes) return MakeError("config", "web", root + ": more than 32 MiB of files");
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in && !in.eof()) return MakeError("config", "web", it->path().string() + ": cannot be read");
    const std::string url = "/" + fs::relative(it->path(), root, ec).generic_string();
    files_[url] = StaticFile{content.str(), ContentTypeFor(it->path())};
  }
  if (ec) return MakeError("config", "web", root + ": " + ec.message());
  return Ok();
}

const StaticFile* StaticFiles::Find(const std::string& path) const {
  auto it = files_.find(path == "/" ? "/index.html" : path);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace lagesbild
