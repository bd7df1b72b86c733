// lagesbild: the command-line entry point. `lagesbild serve` runs the server; the other
// subcommands manage its users, back up and verify its event log, and list its error codes.
#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include "commands.h"

int main(int argc, char** argv) {
  // Everything this process creates (the event log, its WAL, data/, the users file, backups) is
  // the owner's only.
  ::umask(077);
  CLI::App app{"Lägesbild – shared hospital capacity picture for mass-casualty events"};
  app.set_version_flag("--version", "lagesbild " LAGESBILD_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  lagesbild::cli::AddServeCommand(app, exit_code);
  lagesbild::cli::AddUsersCommand(app, exit_code);
  lagesbild::cli::AddBackupCommands(app, exit_code);
  lagesbild::cli::AddImportCommand(app, exit_code);
  lagesbild::cli::AddErrorCodesCommand(app, exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
