// The board's files from web/, read once at start-up into memory.
//
// Serving only what was loaded makes path traversal impossible by construction (a request path is
// a map key, never joined onto a directory), and keeps disk reads out of the network thread.
// Immutable after Load(); safe to read from any thread.
#ifndef LAGESBILD_SERVER_STATIC_FILES_H_
#define LAGESBILD_SERVER_STATIC_FILES_H_

#include <map>
#include <optional>
#include <string>

#include "lagesbild/core/result.h"

namespace lagesbild {

struct StaticFile {
  std::string content;
  std::string content_type;
};

class StaticFiles {
 public:
  // Loads every regular file below `root` (at most 32 MiB in all).
  Status Load(const std::string& root);
  // `path` is the URL path without query ("/" means "/index.html").
  const StaticFile* Find(const std::string& path) const;
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, StaticFile> files_;
};

}  // namespace lagesbild

#endif  // LAGESBILD_SERVER_STATIC_FILES_H_
