// Turns simulation events into notes.
//
// - Rhythm: notes start only on the tempo grid, a beat (60/tempo s) divided into
//   1, 2, 3 or 4 slots as rhythm_complexity rises. Off-beat slots are played more
//   often as complexity rises, and at high complexity some downbeats rest
//   (syncopation). At most one melody note per slot, so the music does not get
//   denser just because the universe has more particles.
// - Pitch: the event's height in the world picks the scale degree; low is low.
//   melody_range spreads the world height over 1 to 4 octaves of the scale.
// - Loudness: the impact speed picks the velocity.
// - Harmony: with probability `harmony` the 3rd and 5th above (in the scale) join
//   the melody note; otherwise, with the remaining probability, a passing tone (the
//   next degree up) follows on the next slot.
// - At most kMaxVoices notes sound at the same time; extra notes are dropped. (The
//   rules above sound at most 6 at once; the cap is the guarantee, and a smaller one
//   can be asked for.)
// All choices use the composer's own seeded random stream: the same seed, settings
// and events give the same notes everywhere.
#pragma once

#include "music/note.hpp"
#include "music/settings.hpp"
#include "sim/event.hpp"
#include "sim/random.hpp"
#include "sim/world_geometry.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace harmonic::music {

class Composer {
 public:
  static constexpr int kMaxVoices = 8;

  // `max_voices` (1 to kMaxVoices) is the cap on notes sounding at once.
  Composer(uint64_t seed, const MusicSettings& settings, int max_voices = kMaxVoices);

  void set_settings(const MusicSettings& settings);
  const MusicSettings& settings() const { return settings_; }

  // Offers the events of one simulation step that happened at `now_seconds` on
  // the music clock. Appends the notes decided now (starting at `now_seconds` or
  // on the next grid slots) to `out`.
  void compose(std::span<const sim::Event> events, double now_seconds, sim::WorldSize world,
               std::vector<Note>& out);

  // The grid: seconds per beat and slots per beat for the current settings.
  double beat_seconds() const { return 60.0 / settings_.tempo; }
  int slots_per_beat() const;
  double slot_seconds() const { return beat_seconds() / slots_per_beat(); }

  // MIDI note for a height in the world (0 = floor, 1 = ceiling).
  int note_for_height(double height01) const;

 private:
  struct Candidate {
    float height01;
    float impact_speed;
  };

  bool slot_wants_note(int64_t slot);
  void emit(const Note& note, std::vector<Note>& out);
  int lowest_tonic() const;
  int degree_count() const;

  MusicSettings settings_;
  sim::Random random_;
  std::optional<Candidate> candidate_;  // reservoir sample of events since the last note
  uint32_t candidates_seen_ = 0;
  double last_slot_seconds_ = -1;        // grid changes keep time monotonic
  std::array<double, kMaxVoices> voice_end_{};  // end times of the sounding notes
  std::size_t max_voices_ = kMaxVoices;         // voices in use: the first max_voices_ of voice_end_
};

}  // namespace harmonic::music
