#include "ui/display_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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

}  // namespace harmonic::ui
