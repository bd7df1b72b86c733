// `lagesbild users add|remove|list`: the users file. A running server rereads it on SIGHUP.
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "files.h"

#include "lagesbild/core/time_format.h"

namespace lagesbild::cli {
namespace {

struct UsersArguments {
  std::string users_path = "data/users.json";
  std::string config_path = LAGESBILD_DEFAULT_CONFIG;
  std::string user_id, role_name = "viewer", region, expires;
};

enum class Verb { kAdd, kRemove, kList };

int RunUsers(const UsersArguments& arguments, Verb verb) {
  auto config = LoadConfig(arguments.config_path);
  UserDirectory directory;
  if (!config || !LoadUsers(arguments.users_path, *config, &directory)) return 2;
  if (verb == Verb::kList) {
    for (const auto& user : directory.users()) {
      std::printf("%-24s %-9s %-12s %s\n", user.id.c_str(), std::string(WireName(user.role)).c_str(),
                  user.region.c_str(),
                  user.expires_ms ? ("expires " + FormatUtc(*user.expires_ms)).c_str() : "");
    }
    return 0;
  }
  std::string token;
  if (verb == Verb::kAdd) {
    std::optional<TimeMs> expires_ms;
    if (!arguments.expires.empty()) {
      // A date means through that day (UTC); a time is taken as it is.
      const bool date = arguments.expires.size() == 10;
      expires_ms = ParseUtc(date ? arguments.expires + "T00:00:00Z" : arguments.expires);
      if (!expires_ms) {
        std::fprintf(stderr, "lagesbild: --expires %s: give a date (2027-06-30) or a UTC time "
                             "(2027-06-30T18:00:00Z)\n", arguments.expires.c_str());
        return 2;
      }
      if (date) *expires_ms += 24 * 3600 * 1000;
    }
    auto added = directory.Add(arguments.user_id, *ParseRole(arguments.role_name), arguments.region,
                               *config, expires_ms);
    if (!added.ok()) {
      std::fprintf(stderr, "lagesbild: %s\n", added.error().message.c_str());
      return 2;
    }
    token = std::move(added).value();
  } else if (!directory.Remove(arguments.user_id)) {
    std::fprintf(stderr, "lagesbild: no user '%s' in %s\n", arguments.user_id.c_str(),
                 arguments.users_path.c_str());
    return 2;
  }
  MakePrivateDirectory(arguments.users_path);
  if (auto saved = directory.Save(arguments.users_path); !saved.ok()) {
    std::fprintf(stderr, "lagesbild: %s\n", saved.error().message.c_str());
    return 2;
  }
  // The token is printed once, to stdout only; it is stored as a hash.
  if (verb == Verb::kAdd) std::printf("%s\n", token.c_str());
  return 0;
}

}  // namespace

void AddUsersCommand(CLI::App& app, int& exit_code) {
  auto arguments = std::make_shared<UsersArguments>();
  CLI::App* users = app.add_subcommand("users", "manage users and their tokens");
  users->require_subcommand(1);
  users->add_option("--users", arguments->users_path, "users file")->capture_default_str();
  users->add_option("--config", arguments->config_path, "healthcare region (to check regions)")
      ->capture_default_str();
  CLI::App* add = users->add_subcommand("add", "create a user and print its token (shown once)");
  add->add_option("id", arguments->user_id, "user id, e.g. tib-uppsala")->required();
  add->add_option("--role", arguments->role_name, "admin (every write, live too), trainer (exercises only), reporter or viewer")
      ->check(CLI::IsMember({"admin", "trainer", "reporter", "viewer"}))
      ->capture_default_str();
  add->add_option("--region", arguments->region, "a reporter's region id");
  add->add_option("--expires", arguments->expires,
                  "the token stops working after this date (2027-06-30) or UTC time");
  CLI::App* remove = users->add_subcommand("remove", "delete a user (its token stops working)");
  remove->add_option("id", arguments->user_id, "user id")->required();
  CLI::App* list = users->add_subcommand("list", "list users (never their tokens)");
  const std::pair<CLI::App*, Verb> verbs[] = {{add, Verb::kAdd}, {remove, Verb::kRemove}, {list, Verb::kList}};
  for (const auto& [command, verb] : verbs) {
    command->fallthrough();  // --users after the verb
    command->callback([arguments, verb = verb, &exit_code] { exit_code = RunUsers(*arguments, verb); });
  }
}

}  // namespace lagesbild::cli
