// A note as the composer writes it and the synthesiser plays it.
#pragma once

namespace harmonic::music {

struct Note {
  double start_seconds = 0;     // on the music clock (seconds since the music started)
  double duration_seconds = 0;  // gate length; the release follows it
  int midi = 60;                // MIDI note number (60 = C4, 69 = A4 = 440 Hz)
  float velocity = 1;           // 0..1, loudness
};

}  // namespace harmonic::music
