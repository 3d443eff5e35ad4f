// Who is using a data directory, told by an advisory lock on `<data_dir>/harmonic.lock`
// (flock(2)): a running server, `admin` and `backup` hold it shared, `restore` exclusive.
// So a restore never replaces the database under a running server, and a server does not
// start on a database half restored (docs/operations.md, "Backup and restore").
//
// The kernel drops the lock when the process ends, however it ends (even SIGKILL), so a
// crashed server never leaves a stale lock behind, unlike a PID file.
#pragma once

#include <filesystem>
#include <optional>

namespace harmonic::app {

inline constexpr const char* kDataDirLockFileName = "harmonic.lock";

class DataDirLock {
 public:
  enum class Mode { shared, exclusive };

  // Takes the lock without waiting; nullopt when another process holds it in a mode that
  // conflicts. The directory must exist. Throws std::system_error when the lock file
  // cannot be opened.
  static std::optional<DataDirLock> try_acquire(const std::filesystem::path& data_dir, Mode mode);

  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace harmonic::app
