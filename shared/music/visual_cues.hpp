// What the visualization takes from the music: the beat, the key colour, loudness.
// (Loudness itself is Synth::last_block_rms() / UniverseMusic::loudness().)
#pragma once

#include "music/settings.hpp"

namespace harmonic::music {

// Position within the current beat at `seconds` on the music clock: 0 on the beat,
// rising to 1 just before the next (tempo/60 Hz).
double beat_phase(double seconds, int tempo);

// A pulse for drawing: 1 exactly on the beat, decaying quickly to 0 before the next.
float beat_pulse(double seconds, int tempo);

// Hue in degrees [0, 360) for a key: the circle of fifths laid around the colour
// wheel starting at C = 0 (red), G = 30, D = 60 ... F = 330, so related keys get
// neighbouring colours.
float key_hue_degrees(Key key);

}  // namespace harmonic::music
