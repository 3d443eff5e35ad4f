#include "web/emscripten_input.hpp"

#include <cfloat>
#include <cstring>

#include <emscripten.h>
#include <emscripten/html5.h>

#include "imgui.h"

namespace harmonic::web {

// Browser APIs the handlers below use.
EM_JS(void, js_set_clipboard, (const char* text), {
  const s = UTF8ToString(text);
  const fallback = function() {
    const area = document.createElement('textarea');
    area.value = s;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } catch (e) {}
    document.body.removeChild(area);
  };
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(s).catch(fallback);
  else fallback();
});

EM_JS(void, js_install_page_hooks, (), {
  // Paste: browsers hand clipboard text only to a paste event.
  window.addEventListener('paste', function(e) {
    const text = (e.clipboardData || window.clipboardData).getData('text');
    const n = lengthBytesUTF8(text) + 1;
    const p = _malloc(n);
    stringToUTF8(text, p, n);
    _harmonic_paste(p);
    _free(p);
  });
  // Keep the browser from scrolling or zooming the page on wheel over the canvas.
  Module.canvas.addEventListener('wheel', function(e) { e.preventDefault(); }, {passive: false});
  Module.canvas.addEventListener('contextmenu', function(e) { e.preventDefault(); });
});

namespace {

EmscriptenInput* g_input = nullptr;

// ImGui 1.86 samples the button state once per frame, so a press and release between
// two frames (a quick click) would be lost: such a release waits for the next frame.
bool g_pressed_this_frame[3] = {false, false, false};
bool g_release_next_frame[3] = {false, false, false};
bool g_key_pressed_this_frame[512] = {};
bool g_key_release_next_frame[512] = {};

EM_BOOL on_mouse(int type, const EmscriptenMouseEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(float(e->targetX), float(e->targetY));
  if (e->button < 3 && type != EMSCRIPTEN_EVENT_MOUSEMOVE) {
    const int button = e->button == 1 ? 2 : e->button == 2 ? 1 : e->button;  // DOM: 0 left, 1 middle, 2 right
    if (type == EMSCRIPTEN_EVENT_MOUSEDOWN) {
      io.MouseDown[button] = true;
      g_pressed_this_frame[button] = true;
      g_release_next_frame[button] = false;
    }
    if (type == EMSCRIPTEN_EVENT_MOUSEUP) {
      if (g_pressed_this_frame[button]) g_release_next_frame[button] = true;
      else io.MouseDown[button] = false;
    }
  }
  io.KeyCtrl = e->ctrlKey;
  io.KeyShift = e->shiftKey;
  io.KeyAlt = e->altKey;
  io.KeySuper = e->metaKey;
  if (g_input) g_input->mark_activity();
  return type != EMSCRIPTEN_EVENT_MOUSEMOVE;
}

EM_BOOL on_mouse_leave(int, const EmscriptenMouseEvent*, void*) {
  ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  return EM_FALSE;
}

EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  double scale = 1.0 / 100.0;  // pixels
  if (e->deltaMode == DOM_DELTA_LINE) scale = 1.0 / 3.0;
  else if (e->deltaMode == DOM_DELTA_PAGE) scale = 1.0;
  io.MouseWheel += float(-e->deltaY * scale);
  io.MouseWheelH += float(-e->deltaX * scale);
  if (g_input) g_input->mark_activity();
  return EM_TRUE;
}

EM_BOOL on_key(int type, const EmscriptenKeyboardEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  const bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
  if (e->keyCode < 512) {
    // Like mouse buttons: a key pressed and released between two frames stays down
    // for one frame, or ImGui would never see a quick Enter.
    if (down) {
      io.KeysDown[e->keyCode] = true;
      g_key_pressed_this_frame[e->keyCode] = true;
      g_key_release_next_frame[e->keyCode] = false;
    } else if (g_key_pressed_this_frame[e->keyCode]) {
      g_key_release_next_frame[e->keyCode] = true;
    } else {
      io.KeysDown[e->keyCode] = false;
    }
  }
  io.KeyCtrl = e->ctrlKey;
  io.KeyShift = e->shiftKey;
  io.KeyAlt = e->altKey;
  io.KeySuper = e->metaKey;
  if (g_input) g_input->mark_activity();
  const bool command = e->ctrlKey || e->metaKey;
  if (down && !command) {
    // A printable key: its text is the `key` string (one character, any script).
    const std::size_t length = std::strlen(e->key);
    const unsigned char first = static_cast<unsigned char>(e->key[0]);
    const bool single = length == 1 || (length > 1 && length <= 4 && first >= 0xC0 &&
                                        (length == 2 ? first < 0xE0 : length == 3 ? first < 0xF0 : true));
    if (single && first >= 0x20) io.AddInputCharactersUTF8(e->key);
  }
  // Let the browser keep copy/paste (the paste event carries the text) and its own
  // shortcuts unless ImGui is typing; keep Tab and arrows from moving the page.
  if (command) return EM_FALSE;
  if (e->keyCode == 9 || e->keyCode == 8 || (e->keyCode >= 37 && e->keyCode <= 40) || e->keyCode == 32) {
    return io.WantCaptureKeyboard || e->keyCode == 9 || e->keyCode == 8;
  }
  return io.WantTextInput;
}

EM_BOOL on_blur(int, const EmscriptenFocusEvent*, void*) {
  ImGuiIO& io = ImGui::GetIO();
  std::memset(io.KeysDown, 0, sizeof io.KeysDown);
  io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
  for (bool& b : io.MouseDown) b = false;
  return EM_FALSE;
}

const char* get_clipboard(void*) {
  return g_input ? g_input->paste_text().c_str() : "";
}
void set_clipboard_text(void*, const char* text) {
  if (g_input) g_input->set_clipboard(text ? text : "");
}

}  // namespace

EmscriptenInput::EmscriptenInput() { g_input = this; }
EmscriptenInput::~EmscriptenInput() { g_input = nullptr; }

void EmscriptenInput::install() {
  emscripten_set_mousedown_callback("#canvas", nullptr, EM_TRUE, on_mouse);
  emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_TRUE, on_mouse);
  emscripten_set_mousemove_callback("#canvas", nullptr, EM_TRUE, on_mouse);
  emscripten_set_mouseleave_callback("#canvas", nullptr, EM_TRUE, on_mouse_leave);
  emscripten_set_wheel_callback("#canvas", nullptr, EM_TRUE, on_wheel);
  emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_key);
  emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_key);
  emscripten_set_blur_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_blur);
  js_install_page_hooks();

  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "harmonic_emscripten";
  io.KeyMap[ImGuiKey_Tab] = 9;
  io.KeyMap[ImGuiKey_LeftArrow] = 37;
  io.KeyMap[ImGuiKey_RightArrow] = 39;
  io.KeyMap[ImGuiKey_UpArrow] = 38;
  io.KeyMap[ImGuiKey_DownArrow] = 40;
  io.KeyMap[ImGuiKey_PageUp] = 33;
  io.KeyMap[ImGuiKey_PageDown] = 34;
  io.KeyMap[ImGuiKey_Home] = 36;
  io.KeyMap[ImGuiKey_End] = 35;
  io.KeyMap[ImGuiKey_Insert] = 45;
  io.KeyMap[ImGuiKey_Delete] = 46;
  io.KeyMap[ImGuiKey_Backspace] = 8;
  io.KeyMap[ImGuiKey_Space] = 32;
  io.KeyMap[ImGuiKey_Enter] = 13;
  io.KeyMap[ImGuiKey_Escape] = 27;
  io.KeyMap[ImGuiKey_KeyPadEnter] = 13;
  io.KeyMap[ImGuiKey_A] = 65;
  io.KeyMap[ImGuiKey_C] = 67;
  io.KeyMap[ImGuiKey_V] = 86;
  io.KeyMap[ImGuiKey_X] = 88;
  io.KeyMap[ImGuiKey_Y] = 89;
  io.KeyMap[ImGuiKey_Z] = 90;
  io.GetClipboardTextFn = get_clipboard;
  io.SetClipboardTextFn = set_clipboard_text;
}

void EmscriptenInput::new_frame() {
  if (!installed_) {
    install();
    installed_ = true;
  }
  ImGuiIO& io = ImGui::GetIO();
  // Releases held back from the last frame (see on_mouse); presses start a new frame.
  for (int b = 0; b < 3; ++b) {
    if (release_now_[b]) io.MouseDown[b] = false;
    release_now_[b] = g_release_next_frame[b];
    g_release_next_frame[b] = false;
    g_pressed_this_frame[b] = false;
  }
  for (int k = 0; k < 512; ++k) {
    if (key_release_now_[k]) io.KeysDown[k] = false;
    key_release_now_[k] = g_key_release_next_frame[k];
    g_key_release_next_frame[k] = false;
    g_key_pressed_this_frame[k] = false;
  }
}

bool EmscriptenInput::take_activity() {
  const bool was = activity_;
  activity_ = false;
  return was;
}

void EmscriptenInput::set_clipboard(const std::string& text) {
  paste_text_ = text;
  js_set_clipboard(text.c_str());
}

}  // namespace harmonic::web
