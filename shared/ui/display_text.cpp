#include "ui/display_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "client/client_errors.hpp"

namespace harmonic::ui {

std::uint32_t user_color(const std::string& user_id) {
  // FNV-1a over the id picks a hue; saturation and value stay pleasant on dark.
  std::uint32_t h = 2166136261u;
  for (unsigned char c : user_id) h = (h ^ c) * 16777619u;
  const float hue = float(h % 360) / 60.0f;
  const float s = 0.65f, v = 0.98f;
  const int i = int(hue);
  const float f = hue - float(i);
  const float p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  float r, g, b;
  switch (i % 6) {
    case 0: r = v, g = t, b = p; break;
    case 1: r = q, g = v, b = p; break;
    case 2: r = p, g = v, b = t; break;
    case 3: r = p, g = q, b = v; break;
    case 4: r = t, g = p, b = v; break;
    default: r = v, g = p, b = q; break;
  }
  auto byte = [](float x) { return std::uint32_t(std::lround(std::clamp(x, 0.0f, 1.0f) * 255)); };
  return (byte(r) << 16) | (byte(g) << 8) | byte(b);
}

std::string relative_time(double timestamp_ms, double now_ms) {
  const double seconds = std::max(0.0, (now_ms - timestamp_ms) / 1000.0);
  char buffer[32];
  if (seconds < 5) return "just now";
  if (seconds < 60) std::snprintf(buffer, sizeof buffer, "%d s ago", int(seconds));
  else if (seconds < 3600) std::snprintf(buffer, sizeof buffer, "%d min ago", int(seconds / 60));
  else if (seconds < 86400) std::snprintf(buffer, sizeof buffer, "%d h ago", int(seconds / 3600));
  else std::snprintf(buffer, sizeof buffer, "%d d ago", int(seconds / 86400));
  return buffer;
}

namespace {

const nlohmann::json& member(const nlohmann::json& object, const char* name) {
  static const nlohmann::json none;
  if (!object.is_object()) return none;
  const auto it = object.find(name);
  return it == object.end() ? none : *it;
}

std::string string_member(const nlohmann::json& object, const char* name) {
  const auto& value = member(object, name);
  return value.is_string() ? value.get<std::string>() : std::string();
}

// The errors the client notices itself carry a code and no message.
std::string client_error_message(const std::string& code, const nlohmann::json& details) {
  namespace errors = client::errors;
  if (code == errors::unreachable) return "Cannot reach the server.";
  if (code == errors::unexpected_answer) return "Unexpected answer from the server.";
  if (code == errors::session_expired) return "Your session has expired. Please sign in again.";
  if (code == errors::http_status) {
    const auto& status = member(details, "status");
    return status.is_number_integer() ? "The server answered " + std::to_string(status.get<long long>()) + "."
                                      : "The server answered with an error.";
  }
  return {};
}

}  // namespace

std::string describe_error(const nlohmann::json& error) {
  if (!error.is_object()) return error.is_string() ? error.get<std::string>() : "Something went wrong.";
  const nlohmann::json& inner = member(error, "error");
  const nlohmann::json& e = inner.is_object() ? inner : error;
  const std::string code = string_member(e, "code");
  const nlohmann::json& details = member(e, "details");
  std::string message = string_member(e, "message");
  if (message.empty()) message = client_error_message(code, details);
  if (message.empty()) message = code.empty() ? "Something went wrong." : code;
  const nlohmann::json& fields = member(details, "fields");
  if (fields.is_array() && !fields.empty()) {
    std::string list;
    for (const auto& f : fields) {
      const std::string m = string_member(f, "message");
      const std::string name = string_member(f, "field");
      if (!list.empty()) list += "; ";
      list += name.empty() ? m : name + " " + m;
    }
    if (!list.empty() && message.find(list) == std::string::npos) message += ": " + list;
  }
  return message;
}

std::string notice_text(const client::Notice& notice) {
  return notice.error.is_null() ? notice.text : describe_error(notice.error);
}

}  // namespace harmonic::ui
