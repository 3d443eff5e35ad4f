// The data directory and the database files are private to the server's user (0700 and
// 0600), whatever the umask, and more open ones left by an older server are tightened.
#include <catch2/catch.hpp>

#include <fstream>

#include <sys/stat.h>

#include "storage/file_permissions.hpp"
#include "storage/sqlite_store.hpp"
#include "temp_dir.hpp"

using namespace harmonic::storage;
using harmonic::test::TempDir;
namespace fs = std::filesystem;

namespace {

fs::perms mode_of(const fs::path& path) { return fs::status(path).permissions() & fs::perms::mask; }

// Runs with the usual umask 022, under which files are created 0644 unless made private.
class UsualUmask {
 public:
  UsualUmask() : previous_(::umask(022)) {}
  ~UsualUmask() { ::umask(previous_); }
  UsualUmask(const UsualUmask&) = delete;
  UsualUmask& operator=(const UsualUmask&) = delete;

 private:
  mode_t previous_;
};

}  // namespace

TEST_CASE("a new database, its -wal and its -shm are 0600 under umask 022") {
  UsualUmask umask;
  TempDir dir;
  const auto path = database_file_in(dir.path());
  SqliteStore store(path.string());
  store.put_setting("jwt_secret", "s3cret");  // a write, so the WAL holds something
  for (const auto& file : {path, fs::path(path.string() + "-wal"), fs::path(path.string() + "-shm")}) {
    INFO(file);
    REQUIRE(fs::exists(file));
    CHECK(mode_of(file) == kPrivateFileMode);
  }
  CHECK(store.permission_changes().empty() == false);  // the new file started at 0644
}

TEST_CASE("an existing database left world-readable is tightened and the change reported") {
  UsualUmask umask;
  TempDir dir;
  const auto path = database_file_in(dir.path());
  { SqliteStore first(path.string()); }
  fs::permissions(path, fs::perms(0644), fs::perm_options::replace);
  SqliteStore store(path.string());
  CHECK(mode_of(path) == kPrivateFileMode);
  REQUIRE(store.permission_changes().size() >= 1);
  CHECK(store.permission_changes().front() == path.string() + ": 0644 -> 0600");
}

TEST_CASE("the data directory is created 0700, and an existing open one is tightened") {
  UsualUmask umask;
  TempDir dir;
  const auto fresh = dir.path() / "new" / "data";
  CHECK_FALSE(make_private_directory(fresh));  // created private: nothing to report
  CHECK(mode_of(fresh) == kPrivateDirectoryMode);

  const auto old = dir.path() / "old";
  fs::create_directories(old);
  fs::permissions(old, fs::perms(0755), fs::perm_options::replace);
  const auto change = make_private_directory(old);
  REQUIRE(change);
  CHECK(*change == old.string() + ": 0755 -> 0700");
  CHECK(mode_of(old) == kPrivateDirectoryMode);
  CHECK_FALSE(make_private_directory(old));  // already private
}

TEST_CASE("make_private_file ignores a missing file and tightens an open one") {
  UsualUmask umask;
  TempDir dir;
  CHECK_FALSE(make_private_file(dir.path() / "missing"));
  const auto file = dir.path() / "f";
  std::ofstream(file) << "x";
  CHECK(mode_of(file) == fs::perms(0644));
  CHECK(make_private_file(file));
  CHECK(mode_of(file) == kPrivateFileMode);
}
