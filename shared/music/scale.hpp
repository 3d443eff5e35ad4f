// Pitch sets and the mapping from scale degrees to MIDI notes.
#pragma once

#include "music/settings.hpp"

#include <span>

namespace harmonic::music {

// Semitone offsets from the tonic within one octave, ascending, starting at 0.
std::span<const int> scale_intervals(Scale scale);

// MIDI note of `degree` (0 = tonic at `lowest_tonic`, may exceed one octave).
int degree_to_midi(int degree, int lowest_tonic, Scale scale);

// True if the MIDI note's pitch class is in the key and scale.
bool in_scale(int midi, Key key, Scale scale);

// Frequency in Hz of a MIDI note (A4 = 69 = 440 Hz, equal temperament).
double midi_to_hz(double midi);

}  // namespace harmonic::music
