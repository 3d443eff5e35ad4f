// The Sound panel: start button, beat, waveform and spectrum.
#pragma once

#include "ui/layout.hpp"
#include "ui/view.hpp"

namespace harmonic::ui {

void draw_audio_panel(Frame& f, const UniverseLayout& l);

}  // namespace harmonic::ui
