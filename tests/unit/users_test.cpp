#include <catch2/catch.hpp>

#include <fstream>
#include <sys/stat.h>

#include "lagesbild/auth/users.h"
#include "test_support.h"

using namespace lagesbild;

TEST_CASE("a created user signs in with its token, and only with it") {
  UserDirectory users;
  std::string trainer_token, reporter_token;
  REQUIRE_FALSE(users.Add("ovningsledare", Role::kTrainer, "", testing::SmallConfig(), &trainer_token));
  REQUIRE_FALSE(users.Add("tib-nord", Role::kReporter, "north", testing::SmallConfig(), &reporter_token));
  CHECK(trainer_token.size() == 64);
  CHECK(trainer_token != reporter_token);
  auto reporter = users.Authenticate(reporter_token);
  REQUIRE(reporter);
  CHECK(*reporter == Actor{Actor::Kind::kUser, "tib-nord", Role::kReporter, "north"});
  CHECK(users.Authenticate(trainer_token)->role == Role::kTrainer);
  CHECK_FALSE(users.Authenticate(""));
  CHECK_FALSE(users.Authenticate(reporter_token.substr(1)));
  CHECK_FALSE(users.Authenticate(users.users()[0].token_hash));  // the hash is not a token
}

TEST_CASE("users are checked against the configuration") {
  UserDirectory users;
  std::string token;
  CHECK(users.Add("x", Role::kReporter, "west", testing::SmallConfig(), &token) ==
        std::optional<std::string>("a reporter needs a region of test (got 'west')"));
  CHECK(users.Add("x", Role::kTrainer, "north", testing::SmallConfig(), &token));
  CHECK(users.Add("Bad Name", Role::kViewer, "", testing::SmallConfig(), &token));
  REQUIRE_FALSE(users.Add("x", Role::kViewer, "", testing::SmallConfig(), &token));
  CHECK(users.Add("x", Role::kViewer, "", testing::SmallConfig(), &token));
}

TEST_CASE("the users file keeps hashes only, owner-readable, and loads back") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/users.json";
  UserDirectory users;
  std::string token;
  REQUIRE_FALSE(users.Add("tib-syd", Role::kReporter, "south", testing::SmallConfig(), &token));
  REQUIRE_FALSE(users.Save(path));
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find(token) == std::string::npos);
  CHECK(text.find("blake2b:") != std::string::npos);
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 077) == 0);

  UserDirectory loaded;
  REQUIRE_FALSE(UserDirectory::Load(path, testing::SmallConfig(), &loaded));
  CHECK(loaded.Authenticate(token)->id == "tib-syd");
  UserDirectory missing;
  CHECK_FALSE(UserDirectory::Load(dir.path() + "/none.json", testing::SmallConfig(), &missing));
  CHECK(missing.users().empty());

  std::ofstream(path) << R"({"users": [{"id": "a", "role": "boss", "token_hash": "x"}]})";
  CHECK(UserDirectory::Load(path, testing::SmallConfig(), &loaded) ==
        std::optional<std::string>(path + ": $.users[0].role: must be trainer, reporter or viewer"));
}
