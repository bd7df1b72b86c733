// `lagesbild error-codes`: every error code and its meaning, as JSON or as protocol.md's rows.
#include <cstdio>
#include <memory>

#include "commands.h"

#include "lagesbild/core/error_codes.h"

namespace lagesbild::cli {

void AddErrorCodesCommand(CLI::App& app, int& exit_code) {
  auto markdown = std::make_shared<bool>(false);
  CLI::App* codes = app.add_subcommand("error-codes", "print every error code and its meaning (JSON)");
  codes->add_flag("--markdown", *markdown, "the rows of docs/protocol.md's table instead");
  codes->callback([markdown, &exit_code] {
    std::fputs((*markdown ? ErrorCodesMarkdown() : ErrorCodesJson() + "\n").c_str(), stdout);
    exit_code = 0;
  });
}

}  // namespace lagesbild::cli
