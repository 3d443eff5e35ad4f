#include "music/composer.hpp"

#include "music/scale.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::music {
namespace {

// Guards against floating-point noise when a time lies exactly on a grid line.
constexpr double kGridEpsilon = 1e-9;

float velocity_for_impact(float speed) {
  // Saturating: gentle taps are quiet, hard hits approach full velocity.
  const float v = speed / (speed + 8.0f);
  return std::min(1.0f, std::max(0.2f, v));
}

} // namespace

Composer::Composer(uint64_t seed, const MusicSettings& settings, int max_voices)
    : settings_(clamped(settings)),
      random_(sim::splitmix64(seed ^ 0x6d75736963ull)),
      max_voices_(static_cast<std::size_t>(std::clamp(max_voices, 1, kMaxVoices))) {}

void Composer::set_settings(const MusicSettings& settings) { settings_ = clamped(settings); }

int Composer::slots_per_beat() const {
  const int level = static_cast<int>(settings_.rhythm_complexity * 4.0);
  return std::clamp(level + 1, 1, 4);
}

int Composer::degree_count() const {
  const double octaves = 1.0 + 3.0 * settings_.melody_range;
  const auto n = static_cast<double>(scale_intervals(settings_.scale).size());
  return static_cast<int>(std::lround(octaves * n)) + 1;  // +1: the top tonic
}

int Composer::lowest_tonic() const {
  const double octaves = 1.0 + 3.0 * settings_.melody_range;
  // Centre the range on middle C's octave: wider ranges reach further down.
  return 60 + static_cast<int>(settings_.key) - 12 * static_cast<int>(octaves / 2.0);
}

int Composer::note_for_height(double height01) const {
  const int count = degree_count();
  const double h = std::clamp(height01, 0.0, 1.0);
  const int degree = std::min(count - 1, static_cast<int>(h * count));
  return degree_to_midi(degree, lowest_tonic(), settings_.scale);
}

bool Composer::slot_wants_note(int64_t slot) {
  const double rc = settings_.rhythm_complexity;
  const bool downbeat = slot % slots_per_beat() == 0;
  const double chance = downbeat ? 1.0 - 0.6 * std::max(0.0, rc - 0.5)  // syncopation
                                 : 0.3 + 0.7 * rc;
  return random_.next_unit_double() < chance;
}

void Composer::emit(const Note& note, std::vector<Note>& out) {
  const double end = note.start_seconds + note.duration_seconds;
  for (std::size_t voice = 0; voice < max_voices_; ++voice) {
    double& voice_end = voice_end_[voice];
    if (voice_end <= note.start_seconds + kGridEpsilon) {
      voice_end = end;
      out.push_back(note);
      return;
    }
  }
  // Every voice busy: the note is dropped (the voice cap).
}

void Composer::compose(std::span<const sim::Event> events, double now_seconds,
                       sim::WorldSize world, std::vector<Note>& out) {
  // Reservoir sampling: every event since the last note is equally likely to be
  // the one that sounds, so crowded regions do not drown out the rest.
  for (const sim::Event& e : events) {
    ++candidates_seen_;
    if (random_.next_below(candidates_seen_) == 0) {
      const float height = world.height > 0 ? (e.y / world.height) + 0.5f : 0.5f;
      candidate_ = Candidate{height, e.impact_speed};
    }
  }
  if (!candidate_) return;

  const double slot_len = slot_seconds();
  auto slot = static_cast<int64_t>(std::ceil(now_seconds / slot_len - kGridEpsilon));
  if (static_cast<double>(slot) * slot_len <= last_slot_seconds_ + kGridEpsilon) {
    slot = static_cast<int64_t>(std::floor(last_slot_seconds_ / slot_len + kGridEpsilon)) + 1;
  }
  const double start = static_cast<double>(slot) * slot_len;
  // Decide only the upcoming slot; if it is already decided, the candidate waits.
  if (start >= now_seconds + slot_len - kGridEpsilon) return;
  last_slot_seconds_ = start;  // this slot is decided, whatever the outcome
  if (!slot_wants_note(slot)) return;  // the candidate waits for a later slot

  const Candidate chosen = *candidate_;
  candidate_.reset();
  candidates_seen_ = 0;

  const int count = degree_count();
  const int degree = std::min(count - 1, static_cast<int>(std::clamp(chosen.height01, 0.0f, 1.0f) * static_cast<float>(count)));
  const int tonic = lowest_tonic();
  const double duration = std::min(beat_seconds(), 2.0 * slot_len);
  const float velocity = velocity_for_impact(chosen.impact_speed);

  emit(Note{start, duration, degree_to_midi(degree, tonic, settings_.scale), velocity}, out);

  const double roll = random_.next_unit_double();
  if (roll < settings_.harmony) {
    // Chord tones: the 3rd and 5th above within the scale.
    for (int offset : {2, 4}) {
      emit(Note{start, duration, degree_to_midi(degree + offset, tonic, settings_.scale),
                0.7f * velocity},
           out);
    }
  } else if (roll < settings_.harmony + 0.5 * (1.0 - settings_.harmony)) {
    // A passing tone on the next slot; that slot is then taken.
    const double next = start + slot_len;
    emit(Note{next, slot_len, degree_to_midi(degree + 1, tonic, settings_.scale), 0.6f * velocity},
         out);
    last_slot_seconds_ = next;
  }
}

}  // namespace harmonic::music
