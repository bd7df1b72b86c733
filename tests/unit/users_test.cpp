#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include "lagesbild/auth/users.h"
#include "lagesbild/core/time_format.h"
#include "test_support.h"

using namespace lagesbild;

namespace {

// The token of a user that must be added, or a failed test.
std::string MustAdd(UserDirectory& users, const std::string& id, Role role, const std::string& region) {
  auto token = users.Add(id, role, region, testing::SmallConfig());
  if (!token.ok()) FAIL(token.error().message);
  return std::move(token).value();
}

// Why adding a user was refused ("" if it was not).
std::string Refusal(UserDirectory& users, const std::string& id, Role role, const std::string& region) {
  auto token = users.Add(id, role, region, testing::SmallConfig());
  return token.ok() ? "" : token.error().message;
}

}  // namespace

TEST_CASE("a created user signs in with its token, and only with it") {
  UserDirectory users;
  const std::string trainer_token = MustAdd(users, "ovningsledare", Role::kTrainer, "");
  const std::string reporter_token = MustAdd(users, "tib-nord", Role::kReporter, "north");
  CHECK(trainer_token.size() == 64);
  CHECK(trainer_token != reporter_token);
  auto reporter = users.Authenticate(reporter_token, 0).actor;
  REQUIRE(reporter);
  CHECK(*reporter == Actor{Actor::Kind::kUser, "tib-nord", Role::kReporter, "north"});
  CHECK(users.Authenticate(trainer_token, 0).actor->role == Role::kTrainer);
  CHECK(users.Authenticate("", 0).failure == "unknown token");
  CHECK_FALSE(users.Authenticate(reporter_token.substr(1), 0).actor);
  CHECK_FALSE(users.Authenticate(users.users()[0].token_hash, 0).actor);  // the hash is not a token
}

TEST_CASE("users are checked against the configuration") {
  UserDirectory users;
  CHECK(Refusal(users, "x", Role::kReporter, "west") == "a reporter needs a region of test (got 'west')");
  CHECK_FALSE(Refusal(users, "x", Role::kTrainer, "north").empty());
  CHECK_FALSE(Refusal(users, "Bad Name", Role::kViewer, "").empty());
  MustAdd(users, "x", Role::kViewer, "");
  CHECK(Refusal(users, "x", Role::kViewer, "") == "a user 'x' exists already");
  CHECK(users.Add("y", Role::kTrainer, "north", testing::SmallConfig()).error().code == "users");
}

TEST_CASE("the users file keeps hashes only, owner-readable, and loads back") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/users.json";
  UserDirectory users;
  const std::string token = MustAdd(users, "tib-syd", Role::kReporter, "south");
  REQUIRE(users.Save(path).ok());
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find(token) == std::string::npos);
  CHECK(text.find("blake2b:") != std::string::npos);
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 077) == 0);

  auto loaded = UserDirectory::Load(path, testing::SmallConfig());
  REQUIRE(loaded.ok());
  CHECK(loaded->Authenticate(token, 0).actor->id == "tib-syd");
  auto missing = UserDirectory::Load(dir.path() + "/none.json", testing::SmallConfig());
  REQUIRE(missing.ok());
  CHECK(missing->users().empty());

  std::ofstream(path) << R"({"users": [{"id": "a", "role": "boss", "token_hash": "x"}]})";
  auto broken = UserDirectory::Load(path, testing::SmallConfig());
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().message == path + ": $.users[0].role: must be admin, trainer, reporter or viewer");
}

TEST_CASE("the server's read of the users file refuses one that others may read or change") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/users.json";
  UserDirectory users;
  const std::string token = MustAdd(users, "tib-syd", Role::kReporter, "south");
  REQUIRE(users.Save(path).ok());
  auto loaded = UserDirectory::LoadPrivate(path, testing::SmallConfig());
  REQUIRE(loaded.ok());
  CHECK(loaded->Authenticate(token, 0).actor->id == "tib-syd");
  for (const mode_t mode : {0640, 0604, 0620}) {
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    auto refused = UserDirectory::LoadPrivate(path, testing::SmallConfig());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("is readable or writable by others") != std::string::npos);
    CHECK(refused.error().message.find("chmod 600 " + path) != std::string::npos);
  }
  auto missing = UserDirectory::LoadPrivate(dir.path() + "/none.json", testing::SmallConfig());
  REQUIRE(missing.ok());
  CHECK(missing->users().empty());
}

TEST_CASE("a token with an expiry works until then, and the expiry survives the file") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/users.json";
  UserDirectory users;
  const TimeMs expires = *ParseUtc("2027-06-30T23:59:59.000Z");
  auto added = users.Add("vikarie", Role::kViewer, "", testing::SmallConfig(), expires);
  REQUIRE(added.ok());
  CHECK(users.Authenticate(added.value(), expires - 1).actor->id == "vikarie");
  CHECK(users.Authenticate(added.value(), expires - 1).expires_ms == expires);
  const SignInResult late = users.Authenticate(added.value(), expires);
  CHECK_FALSE(late.actor);
  CHECK(late.failure == "the token of 'vikarie' expired at 2027-06-30T23:59:59.000Z");
  REQUIRE(users.Save(path).ok());
  auto loaded = UserDirectory::Load(path, testing::SmallConfig());
  REQUIRE(loaded.ok());
  CHECK(loaded->Find("vikarie")->expires_ms == expires);
  CHECK(*loaded->Find("vikarie") == *users.Find("vikarie"));
}

TEST_CASE("a users file that exists but cannot be read is an error, not an empty directory") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/users.json";
  std::filesystem::create_directory(path);  // exists, cannot be read as a file
  auto loaded = UserDirectory::Load(path, testing::SmallConfig());
  CHECK_FALSE(loaded.ok());
}
