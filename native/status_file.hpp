// --status-json FILE: the App's status object (the one the web page exposes as
// window.harmonic.status()) kept in a file, rewritten atomically at most every
// `interval_ms` and once more at exit, so a test or a support tool can read it at
// any moment without seeing half a file.
#pragma once

#include <string>

namespace harmonic::native {

class StatusFile {
 public:
  StatusFile(std::string path, double interval_ms = 200) : path_(std::move(path)), interval_ms_(interval_ms) {}

  bool enabled() const { return !path_.empty(); }
  bool due(double now_ms) const { return enabled() && now_ms - last_ms_ >= interval_ms_; }
  void write(const std::string& json_text, double now_ms);

 private:
  std::string path_;
  double interval_ms_;
  double last_ms_ = -1e300;
};

}  // namespace harmonic::native
