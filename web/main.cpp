// The browser entry point: one backend, one App, and the functions JavaScript calls
// (fetch results, audio blocks, paste, window.harmonic.status()).
#include <emscripten.h>

#include <string>
#include <vector>

#include "app/app.hpp"
#include "web/backend_emscripten.hpp"

namespace {
harmonic::web::BackendEmscripten* g_backend = nullptr;
harmonic::app::App* g_app = nullptr;
std::string g_status;
std::vector<float> g_audio;
}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void harmonic_http_done(int id, int status, const char* body) {
  if (g_backend) g_backend->fetch_client().complete(id, status, body);
}

EMSCRIPTEN_KEEPALIVE float* harmonic_audio_render(int frames) {
  g_audio.resize(std::size_t(frames) * 2);
  if (g_backend) g_backend->fill_audio(g_audio.data(), frames);
  return g_audio.data();
}

EMSCRIPTEN_KEEPALIVE void harmonic_paste(const char* text) {
  if (g_backend) g_backend->set_paste_text(text);
}

EMSCRIPTEN_KEEPALIVE const char* harmonic_status_json() {
  g_status = g_app ? g_app->status_json() : std::string("{\"connection\":\"disconnected\",\"frames\":0}");
  return g_status.c_str();
}

}  // extern "C"

int main() {
  g_backend = new harmonic::web::BackendEmscripten();
  if (!g_backend->create_context()) {
    EM_ASM({
      if (typeof window.harmonicFatal === 'function') window.harmonicFatal('This browser cannot run WebGL 2.');
    });
    return 1;
  }
  g_app = new harmonic::app::App(*g_backend);
  g_backend->run([] { g_app->frame(); });
  return 0;
}
