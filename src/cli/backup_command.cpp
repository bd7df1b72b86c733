// `lagesbild backup` and `lagesbild verify`: filled in with issue 14's backup work.
#include "commands.h"

namespace lagesbild::cli {

void AddBackupCommands(CLI::App&, int&) {}

}  // namespace lagesbild::cli
