// A text's fingerprint: 64-bit FNV-1a as 16 hex digits, stable across builds and machines. Names
// the exact text an exercise ran (catalogue.h) and the configuration a saved state was written
// under (saved_state.cpp). Not a cryptographic hash: it detects change, not tampering.
#ifndef LAGESBILD_CORE_DIGEST_H_
#define LAGESBILD_CORE_DIGEST_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace lagesbild {

inline std::string TextDigest(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
  return out;
}

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_DIGEST_H_
