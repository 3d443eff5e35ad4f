// The browser entry point: the platform's pieces (one file each, named like their
// native/ counterparts; docs/client.md), one App, and the functions JavaScript calls
// (fetch results, audio blocks, paste, the fallback font, window.harmonic.status()).
#include <emscripten.h>

#include <string>
#include <vector>

#include "frontend/app.hpp"
#include "web/backend_emscripten.hpp"
#include "web/emscripten_input.hpp"
#include "web/emscripten_websocket_transport.hpp"
#include "web/fetch_http_client.hpp"
#include "web/font_files.hpp"
#include "web/local_storage_settings.hpp"
#include "web/page_location.hpp"
#include "web/webaudio_output.hpp"

namespace {
// The page lives as long as the program: these are never destroyed.
harmonic::web::EmscriptenInput* g_input = nullptr;
harmonic::web::FetchHttpClient* g_http = nullptr;
harmonic::web::WebAudioOutput* g_audio = nullptr;
harmonic::web::FetchedFallbackFont* g_fallback_font = nullptr;
harmonic::frontend::App* g_app = nullptr;
std::string g_status;
std::vector<float> g_audio_block;
}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void harmonic_http_done(int id, int status, const char* body) {
  if (g_http) g_http->complete(id, status, body);
  harmonic::web::wake_frames();  // the answer is shown in the next frame
}

// The page's own events that the next frame must show (visibility, resize).
EMSCRIPTEN_KEEPALIVE void harmonic_wake() { harmonic::web::wake_frames(); }

EMSCRIPTEN_KEEPALIVE float* harmonic_audio_render(int frames) {
  g_audio_block.resize(std::size_t(frames) * std::size_t(g_audio ? g_audio->channels() : 2));
  if (g_audio) g_audio->fill(g_audio_block.data(), frames);
  return g_audio_block.data();
}

EMSCRIPTEN_KEEPALIVE void harmonic_paste(const char* text) {
  if (g_input) g_input->set_paste_text(text);
}

EMSCRIPTEN_KEEPALIVE void harmonic_text_input(int kind, const char* text) {
  if (g_input) g_input->text_input(kind, text);
}

EMSCRIPTEN_KEEPALIVE void harmonic_fallback_font(const char* data, int size) {
  if (g_fallback_font) g_fallback_font->arrived(data, size);
  harmonic::web::wake_frames();  // the atlas is rebuilt with it in the next frame
}

EMSCRIPTEN_KEEPALIVE const char* harmonic_status_json() {
  g_status = g_app ? g_app->status_json() : std::string("{\"connection\":\"disconnected\",\"frames\":0}");
  return g_status.c_str();
}

}  // extern "C"

int main() {
  using namespace harmonic;
  g_input = new web::EmscriptenInput();
  auto* backend = new web::BackendEmscripten(*g_input);
  if (!backend->create_context()) {
    EM_ASM({
      if (typeof window.harmonicFatal === 'function') window.harmonicFatal('This browser cannot run WebGL 2.');
    });
    return 1;
  }
  g_http = new web::FetchHttpClient();
  g_audio = new web::WebAudioOutput();
  auto* settings = new web::LocalStorageSettings();
  auto* location = new web::PageLocation();
  g_fallback_font = new web::FetchedFallbackFont();
  g_app = new frontend::App(frontend::Platform{*backend, *g_input, *g_http, web::emscripten_websocket_factory(),
                                               *g_audio, *settings, *location, web::startup_options_from_page(),
                                               web::read_font_files(), *g_fallback_font});
  backend->on_wake = [] { g_app->wake(); };
  g_input->on_input = [] { g_app->input_frame(); };
  backend->run([] { return g_app->frame(); });
  return 0;
}
