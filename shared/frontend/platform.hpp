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
};

}  // namespace harmonic::frontend
