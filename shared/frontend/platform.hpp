// Everything a platform hands the App, one small interface per capability: the
// window (backend.hpp), input, the network (client/transport.hpp), audio, settings,
// the address bar and the font files. web/main.cpp and native/main.cpp build one.
#pragma once

#include <string>

#include "client/transport.hpp"
#include "frontend/audio_output.hpp"
#include "frontend/backend.hpp"
#include "frontend/input.hpp"
#include "frontend/location.hpp"
#include "frontend/settings_storage.hpp"

namespace harmonic::frontend {

// The UI's TrueType fonts as bytes (shared/ does no file I/O); empty for ImGui's
// built-in font.
struct FontFiles {
  std::string regular;
  std::string bold;
};

// The font for the characters DejaVu lacks (CJK: kana, Hangul, ideographs), wanted only
// once such text is shown (ui/glyph_needs.hpp; docs/client.md, "Text in every script"):
// the desktop reads the file, the browser fetches it from the server and wakes the
// frame loop when it has arrived or failed.
class FallbackFont {
 public:
  enum class State { not_requested, loading, ready, unavailable };
  virtual ~FallbackFont() = default;
  // Starts loading; later calls do nothing.
  virtual void request() = 0;
  virtual State state() const = 0;
  // The TrueType bytes (or a collection's) when ready; valid for the program's life.
  virtual const std::string& bytes() const = 0;
};

struct Platform {
  Backend& window;
  Input& input;
  client::HttpClient& http;
  client::TransportFactory websockets;
  AudioOutput& audio;
  SettingsStorage& settings;
  Location& location;
  StartupOptions startup;
  FontFiles fonts;
  FallbackFont& fallback_font;
};

}  // namespace harmonic::frontend
