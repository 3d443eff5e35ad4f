#include "web/emscripten_input.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>

#include "imgui.h"
#include "web/backend_emscripten.hpp"
#include "web/emscripten_viewport.hpp"

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

// The on-screen keyboard (docs/client.md, "Touch and the on-screen keyboard"): phones
// show it only for a focused HTML text field, so an invisible one is focused while an
// ImGui text field is active. What is typed into it goes to ImGui and never stays in
// it: its value is kept at one space, so a Backspace on an "empty" field still comes
// as an input event. Keys a physical keyboard sends are handled by on_key (their
// keydown is taken, so no input event follows); this is for virtual keyboards and IMEs.
EM_JS(void, js_install_text_input, (), {
  const input = document.createElement('input');
  input.id = 'harmonic-text-input';
  input.type = 'text';
  input.setAttribute('aria-label', 'Text input');
  input.setAttribute('autocomplete', 'off');
  input.setAttribute('autocorrect', 'off');
  input.setAttribute('autocapitalize', 'off');
  input.setAttribute('spellcheck', 'false');
  // Invisible but focusable; 16px so phones do not zoom the page on focus.
  input.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;border:0;padding:0;' +
                        'margin:0;font-size:16px;pointer-events:none;background:transparent;color:transparent;';
  const rest = ' ';
  const reset = function() {
    input.value = rest;
    input.setSelectionRange(rest.length, rest.length);
  };
  const send = function(kind, text) {
    const n = lengthBytesUTF8(text) + 1;
    const p = _malloc(n);
    stringToUTF8(text, p, n);
    _harmonic_text_input(kind, p);
    _free(p);
  };
  input.addEventListener('input', function(e) {
    if (e.isComposing || e.inputType === 'insertCompositionText') return;  // compositionend brings it
    const type = e.inputType || 'insertText';
    // Pasted or dropped text reaches ImGui through its clipboard (Ctrl+V and the paste
    // event), not as typing.
    if (type.startsWith('insertFrom')) { reset(); return; }
    if (type === 'deleteContentBackward' || type === 'deleteWordBackward') send(1, "");
    else if (type === 'deleteContentForward') send(3, "");
    else if (type === 'insertLineBreak' || type === 'insertParagraph') send(2, "");
    else if (e.data) send(0, e.data);
    else if (input.value.length > rest.length) send(0, input.value.slice(rest.length));
    reset();
  });
  input.addEventListener('compositionend', function(e) {
    if (e.data) send(0, e.data);
    reset();
  });
  input.addEventListener('focus', reset);
  document.body.appendChild(input);
  reset();
});

EM_JS(void, js_focus_text_input, (int focus), {
  const input = document.getElementById('harmonic-text-input');
  if (!input) return;
  if (focus) input.focus({preventScroll: true});
  else if (document.activeElement === input) input.blur();
});

// The field's caret: the invisible input sits there, so an IME's candidate window and
// the browser's scrolling for the keyboard aim at the right place.
EM_JS(void, js_place_text_input, (int x, int y), {
  const input = document.getElementById('harmonic-text-input');
  if (!input) return;
  input.style.left = x + 'px';
  input.style.top = y + 'px';
});

namespace {

EmscriptenInput* g_input = nullptr;

// ImGui 1.86 samples the button state once per frame, so a press and release between
// two frames (a quick click) would be lost: such a release waits for the next frame.
bool g_pressed_this_frame[3] = {false, false, false};
bool g_release_next_frame[3] = {false, false, false};
bool g_key_pressed_this_frame[512] = {};
bool g_key_release_next_frame[512] = {};

// Modifiers like keys: Ctrl pressed and released between two frames around an A must
// still be down in the frame that sees the A (Ctrl+A), so a modifier that was down at
// any point since the last frame is down for the next one (new_frame).
struct Modifiers {
  bool ctrl = false, shift = false, alt = false, super = false;
};
Modifiers g_mods_now;   // as the last event had them
Modifiers g_mods_seen;  // down at some point since the last frame

void set_modifiers(ImGuiIO& io, bool ctrl, bool shift, bool alt, bool super) {
  g_mods_now = {ctrl, shift, alt, super};
  g_mods_seen.ctrl |= ctrl;
  g_mods_seen.shift |= shift;
  g_mods_seen.alt |= alt;
  g_mods_seen.super |= super;
  io.KeyCtrl = g_mods_seen.ctrl;
  io.KeyShift = g_mods_seen.shift;
  io.KeyAlt = g_mods_seen.alt;
  io.KeySuper = g_mods_seen.super;
}

void press_button(ImGuiIO& io, int button) {
  io.MouseDown[button] = true;
  g_pressed_this_frame[button] = true;
  g_release_next_frame[button] = false;
}
void release_button(ImGuiIO& io, int button) {
  if (g_pressed_this_frame[button]) g_release_next_frame[button] = true;
  else io.MouseDown[button] = false;
}
// A key that is down for one frame: what the on-screen keyboard's Backspace and Enter
// become (it sends them as input events, not key events).
void tap_key(ImGuiIO& io, int code) {
  io.KeysDown[code] = true;
  g_key_pressed_this_frame[code] = true;
  g_key_release_next_frame[code] = true;
}

EM_BOOL on_mouse(int type, const EmscriptenMouseEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(float(e->targetX), float(e->targetY));
  if (e->button < 3 && type != EMSCRIPTEN_EVENT_MOUSEMOVE) {
    const int button = e->button == 1 ? 2 : e->button == 2 ? 1 : e->button;  // DOM: 0 left, 1 middle, 2 right
    if (type == EMSCRIPTEN_EVENT_MOUSEDOWN) {
      // A mouse in use: no longer a touch screen (finger-sized targets, ui/layout.hpp).
      io.ConfigFlags &= ~ImGuiConfigFlags_IsTouchScreen;
      press_button(io, button);
    }
    if (type == EMSCRIPTEN_EVENT_MOUSEUP) release_button(io, button);
  }
  set_modifiers(io, e->ctrlKey, e->shiftKey, e->altKey, e->metaKey);
  if (g_input) g_input->mark_activity();
  wake_frames();
  // A press, a release or a drag acts at once, not one software-GL frame later
  // (docs/latency.md, "A: edit sent"); a plain move (hover) waits for the frame.
  const bool dragging = io.MouseDown[0] || io.MouseDown[1] || io.MouseDown[2];
  const bool act_now = type != EMSCRIPTEN_EVENT_MOUSEMOVE || (dragging && g_input && g_input->drag_input_due(emscripten_get_now()));
  if (act_now && g_input && g_input->on_input) g_input->on_input();
  return type != EMSCRIPTEN_EVENT_MOUSEMOVE;
}

// Touch: the fingers go to the gesture recognizer (shared/frontend/touch_gestures.hpp)
// and what it makes of them is applied like mouse input. Taken (preventDefault), so
// the browser neither scrolls, zooms nor sends its emulated mouse events as well.
EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*) {
  if (!g_input) return EM_FALSE;
  // Fingers in use: the layout gives every target a finger's size (ui/layout.hpp).
  ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_IsTouchScreen;
  const double now = emscripten_get_now();
  for (int i = 0; i < e->numTouches; ++i) {
    const EmscriptenTouchPoint& t = e->touches[i];
    if (!t.isChanged) continue;
    const int id = int(t.identifier);
    const float x = float(t.targetX), y = float(t.targetY);
    if (type == EMSCRIPTEN_EVENT_TOUCHSTART) g_input->gestures().touch_start(id, x, y, now);
    else if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) g_input->gestures().touch_move(id, x, y, now);
    else g_input->gestures().touch_end(id, now);
  }
  g_input->apply_gestures(now);
  g_input->mark_activity();
  wake_frames();
  return EM_TRUE;
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
  wake_frames();
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
  set_modifiers(io, e->ctrlKey, e->shiftKey, e->altKey, e->metaKey);
  if (g_input) g_input->mark_activity();
  wake_frames();
  // A virtual keyboard's or an IME's key (229, "Process"): its text comes as an input
  // event on the invisible text field, which must not be stopped here.
  if (e->keyCode == 229) return EM_FALSE;
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

EM_BOOL on_blur(int, const EmscriptenFocusEvent* e, void*) {
  // The listener is on the window in the capture phase, so it also hears the invisible
  // text field lose focus: that is not the page losing the keyboard.
  if (std::strcmp(e->id, "harmonic-text-input") == 0) return EM_FALSE;
  ImGuiIO& io = ImGui::GetIO();
  std::memset(io.KeysDown, 0, sizeof io.KeysDown);
  io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
  g_mods_now = g_mods_seen = Modifiers{};
  for (bool& b : io.MouseDown) b = false;
  return EM_FALSE;
}

const char* get_clipboard(void*) {
  return g_input ? g_input->paste_text().c_str() : "";
}
void set_clipboard_text(void*, const char* text) {
  if (g_input) g_input->set_clipboard(text ? text : "");
}

void place_text_input(int x, int y) { js_place_text_input(x, y); }

void on_gesture_due(void*) {
  wake_frames();  // new_frame runs the recognizer's timers
}

}  // namespace

void EmscriptenInput::apply_gestures(double now_ms) {
  gestures_.tick(now_ms);
  ImGuiIO& io = ImGui::GetIO();
  using Kind = frontend::PointerAction::Kind;
  for (const auto& a : gestures_.take_actions()) {
    switch (a.kind) {
      case Kind::move: io.MousePos = ImVec2(a.x, a.y); break;
      case Kind::press: io.MousePos = ImVec2(a.x, a.y); press_button(io, a.button); break;
      case Kind::release: io.MousePos = ImVec2(a.x, a.y); release_button(io, a.button); break;
      case Kind::zoom:
        // As wheel steps at the pinch's midpoint: the canvas zooms by 1.15 per step
        // (shared/ui, canvas input), so factor f is log(f) / log(1.15) steps.
        io.MousePos = ImVec2(a.x, a.y);
        io.MouseWheel += std::log(a.factor) / std::log(1.15f);
        break;
      case Kind::leave: io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX); break;
    }
  }
  // The long press and the pointer leaving need a frame when they are due, even on an
  // idle screen.
  const double due = gestures_.due_ms();
  if (due >= 0 && due != gesture_timer_due_) {
    gesture_timer_due_ = due;
    emscripten_set_timeout(on_gesture_due, std::max(0.0, due - now_ms) + 1, nullptr);
  }
}

void EmscriptenInput::text_input(int kind, const char* text) {
  ImGuiIO& io = ImGui::GetIO();
  switch (kind) {
    case 0: io.AddInputCharactersUTF8(text ? text : ""); break;
    case 1: tap_key(io, 8); break;    // Backspace
    case 2: tap_key(io, 13); break;   // Enter
    case 3: tap_key(io, 46); break;   // Delete
    default: return;                  // unknown: nothing
  }
  mark_activity();
  wake_frames();
}

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
  emscripten_set_touchstart_callback("#canvas", nullptr, EM_TRUE, on_touch);
  emscripten_set_touchmove_callback("#canvas", nullptr, EM_TRUE, on_touch);
  emscripten_set_touchend_callback("#canvas", nullptr, EM_TRUE, on_touch);
  emscripten_set_touchcancel_callback("#canvas", nullptr, EM_TRUE, on_touch);
  js_install_page_hooks();
  js_install_text_input();
  track_visual_viewport();

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
  io.ImeSetInputScreenPosFn = place_text_input;
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
  // This frame sees every modifier that was down since the last; the next, only those
  // still down.
  io.KeyCtrl = g_mods_seen.ctrl;
  io.KeyShift = g_mods_seen.shift;
  io.KeyAlt = g_mods_seen.alt;
  io.KeySuper = g_mods_seen.super;
  g_mods_seen = g_mods_now;
  for (int k = 0; k < 512; ++k) {
    if (key_release_now_[k]) io.KeysDown[k] = false;
    key_release_now_[k] = g_key_release_next_frame[k];
    g_key_release_next_frame[k] = false;
    g_key_pressed_this_frame[k] = false;
  }
  apply_gestures(emscripten_get_now());
  // The on-screen keyboard follows ImGui's text focus (as of the last frame).
  if (io.WantTextInput != text_input_focused_) {
    text_input_focused_ = io.WantTextInput;
    js_focus_text_input(text_input_focused_ ? 1 : 0);
  }
}

bool EmscriptenInput::drag_input_due(double now_ms) {
  constexpr double kDragInputMs = 16;  // about one display frame
  if (now_ms - last_drag_input_ms_ < kDragInputMs) return false;
  last_drag_input_ms_ = now_ms;
  return true;
}

float EmscriptenInput::keyboard_inset() const { return web::keyboard_inset(); }

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
