// Every error code the server uses, with its meaning: the one table. docs/protocol.md's table of
// codes is checked against it (tests/unit/error_codes_test.cpp), every code the sources make is
// checked to be in it, and the pages must have a Swedish text for each code a client can get
// (tests/browser/error_texts.test.mjs, through `lagesbild error-codes`).
#ifndef LAGESBILD_CORE_ERROR_CODES_H_
#define LAGESBILD_CORE_ERROR_CODES_H_

#include <string>
#include <string_view>
#include <vector>

namespace lagesbild {

struct ErrorCode {
  std::string_view code;
  std::string_view meaning;  // as in docs/protocol.md (Markdown)
  bool to_clients = true;    // false: only in the server's log or at start
};

const std::vector<ErrorCode>& ErrorCodes();
const ErrorCode* FindErrorCode(std::string_view code);

// The rows of docs/protocol.md's table: "| `code` | meaning |", one line per client code.
std::string ErrorCodesMarkdown();
// [{"code", "meaning", "to_clients"}] as JSON text.
std::string ErrorCodesJson();

}  // namespace lagesbild

#endif  // LAGESBILD_CORE_ERROR_CODES_H_
