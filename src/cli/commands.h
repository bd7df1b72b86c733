// The command line's subcommands, one file each: serve, users, backup and verify, import-have,
// error-codes.
// Each Add…() registers its subcommand with CLI11 and a callback that runs it and sets the
// process's exit code (0 ok, 1 a check failed, 2 cannot run).
#ifndef LAGESBILD_CLI_COMMANDS_H_
#define LAGESBILD_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

namespace lagesbild::cli {

void AddServeCommand(CLI::App& app, int& exit_code);
void AddUsersCommand(CLI::App& app, int& exit_code);
void AddBackupCommands(CLI::App& app, int& exit_code);
void AddErrorCodesCommand(CLI::App& app, int& exit_code);
void AddImportCommand(CLI::App& app, int& exit_code);

}  // namespace lagesbild::cli

#endif  // LAGESBILD_CLI_COMMANDS_H_
