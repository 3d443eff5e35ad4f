// How harmonic-server writes its log (docs/operations.md, "Logs"): `text` for a terminal,
// or `json`, one JSON object per line for journald, Loki and other collectors:
//   {"time":"2026-01-02T03:04:05.678+00:00","level":"info","msg":"..."}
// Access lines (net/access_log.hpp) carry "msg":"access" and their fields at the top level.
#pragma once

#include <string>

namespace harmonic::app {

inline constexpr const char* kLogFormatText = "text";
inline constexpr const char* kLogFormatJson = "json";

// Sets the pattern of every logger (the default one and the access log) and the level.
// `format` is kLogFormatText or kLogFormatJson (options.cpp checks it).
void configure_logging(const std::string& format, const std::string& level);

}  // namespace harmonic::app
