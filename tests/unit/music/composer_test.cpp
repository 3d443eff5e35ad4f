#include "music/composer.hpp"
#include "music/scale.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

const harmonic::sim::WorldSize kWorld{200.0f, 125.0f};

// Feeds `seconds` of random events (a few per 1/60 s step, at random heights) and
// returns every note composed.
std::vector<harmonic::music::Note> compose_random(const harmonic::music::MusicSettings& settings, double seconds,
                                        uint64_t seed = 1, int max_voices = harmonic::music::Composer::kMaxVoices) {
  harmonic::music::Composer composer(seed, settings, max_voices);
  harmonic::sim::Random random(seed + 100);
  std::vector<harmonic::music::Note> notes;
  std::vector<harmonic::sim::Event> events;
  const int steps = static_cast<int>(seconds * 60);
  for (int s = 0; s < steps; ++s) {
    events.clear();
    const uint32_t count = random.next_below(4);
    for (uint32_t i = 0; i < count; ++i) {
      const float y = (random.next_unit_float() - 0.5f) * kWorld.height;
      events.push_back(harmonic::sim::Event{harmonic::sim::EventKind::wall_hit, i, 0.0f, y, 5.0f});
    }
    composer.compose(events, s / 60.0, kWorld, notes);
  }
  return notes;
}

} // namespace

TEST_CASE("every note belongs to the chosen key and scale", "[music][composer]") {
  for (int k = 0; k < 12; ++k) {
    for (int sc = 0; sc < 6; ++sc) {
      harmonic::music::MusicSettings settings;
      settings.key = static_cast<harmonic::music::Key>(k);
      settings.scale = static_cast<harmonic::music::Scale>(sc);
      settings.melody_range = 1.0;
      settings.harmony = 0.5;  // both chord tones and passing tones occur
      const auto notes = compose_random(settings, 10.0, static_cast<uint64_t>(k * 6 + sc));
      REQUIRE(notes.size() > 20);
      for (const auto& n : notes) {
        INFO("key " << k << " scale " << sc << " midi " << n.midi);
        REQUIRE(harmonic::music::in_scale(n.midi, settings.key, settings.scale));
      }
    }
  }
}

TEST_CASE("a note in a scale is recognised and one outside is not", "[music][composer]") {
  CHECK(harmonic::music::in_scale(60, harmonic::music::Key::C, harmonic::music::Scale::major));   // C
  CHECK_FALSE(harmonic::music::in_scale(61, harmonic::music::Key::C, harmonic::music::Scale::major));  // C#
  CHECK(harmonic::music::in_scale(63, harmonic::music::Key::C, harmonic::music::Scale::blues));   // Eb
  CHECK(harmonic::music::in_scale(71, harmonic::music::Key::C, harmonic::music::Scale::harmonic_minor));  // B natural
  CHECK_FALSE(harmonic::music::in_scale(70, harmonic::music::Key::C, harmonic::music::Scale::harmonic_minor));  // Bb
}

TEST_CASE("onsets fall on the tempo grid", "[music][composer]") {
  for (int tempo : {40, 97, 120, 200}) {
    for (double complexity : {0.0, 0.3, 0.6, 1.0}) {
      harmonic::music::MusicSettings settings;
      settings.tempo = tempo;
      settings.rhythm_complexity = complexity;
      harmonic::music::Composer probe(1, settings);
      const double slot = probe.slot_seconds();
      CHECK(slot == Approx(60.0 / tempo / probe.slots_per_beat()));
      const auto notes = compose_random(settings, 8.0);
      REQUIRE(!notes.empty());
      for (const auto& n : notes) {
        const double position = n.start_seconds / slot;
        INFO("tempo " << tempo << " complexity " << complexity << " onset " << n.start_seconds);
        REQUIRE(std::fabs(position - std::round(position)) < 1e-6);
      }
    }
  }
}

TEST_CASE("rhythm complexity subdivides the beat", "[music][composer]") {
  harmonic::music::MusicSettings settings;
  settings.rhythm_complexity = 0.0;
  CHECK(harmonic::music::Composer(1, settings).slots_per_beat() == 1);
  settings.rhythm_complexity = 1.0;
  CHECK(harmonic::music::Composer(1, settings).slots_per_beat() == 4);
  // And more notes are played at higher complexity.
  settings.rhythm_complexity = 0.0;
  const auto sparse = compose_random(settings, 10.0);
  settings.rhythm_complexity = 1.0;
  const auto dense = compose_random(settings, 10.0);
  CHECK(dense.size() > 2 * sparse.size());
}

TEST_CASE("higher events give higher notes, within the melody range", "[music][composer]") {
  harmonic::music::MusicSettings settings;
  for (double range : {0.0, 0.5, 1.0}) {
    settings.melody_range = range;
    harmonic::music::Composer composer(1, settings);
    int previous = composer.note_for_height(0.0);
    for (int i = 1; i <= 100; ++i) {
      const int note = composer.note_for_height(i / 100.0);
      REQUIRE(note >= previous);
      previous = note;
    }
    const int span = composer.note_for_height(1.0) - composer.note_for_height(0.0);
    // 1 + 3 * range octaves, rounded to a whole scale degree (at most 3 semitones).
    CHECK(std::abs(span - 12.0 * (1 + 3 * range)) <= 3.0);
    if (range == 0.0) CHECK(span == 12);
    if (range == 1.0) CHECK(span == 48);
  }
}

TEST_CASE("harmony decides between chord tones and passing tones", "[music][composer]") {
  auto simultaneous_triads = [](const std::vector<harmonic::music::Note>& notes) {
    int triads = 0;
    for (size_t i = 0; i + 2 < notes.size(); ++i) {
      if (notes[i].start_seconds == notes[i + 1].start_seconds &&
          notes[i].start_seconds == notes[i + 2].start_seconds) {
        ++triads;
      }
    }
    return triads;
  };
  harmonic::music::MusicSettings settings;
  settings.harmony = 1.0;
  const auto consonant = compose_random(settings, 10.0);
  settings.harmony = 0.0;
  const auto passing = compose_random(settings, 10.0);
  CHECK(simultaneous_triads(consonant) > 10);
  CHECK(simultaneous_triads(passing) == 0);
}

namespace {
// The most notes sounding at once in `notes`.
long most_sounding(const std::vector<harmonic::music::Note>& notes) {
  long most = 0;
  for (const auto& probe : notes) {
    const double t = probe.start_seconds + 1e-6;
    most = std::max<long>(most, std::count_if(notes.begin(), notes.end(), [&](const harmonic::music::Note& n) {
                            return n.start_seconds <= t && t < n.start_seconds + n.duration_seconds;
                          }));
  }
  return most;
}
}  // namespace

TEST_CASE("no more than the voice cap sounds at once", "[music][composer]") {
  harmonic::music::MusicSettings settings;
  settings.harmony = 1.0;
  settings.rhythm_complexity = 1.0;
  settings.tempo = 200;
  const auto free = compose_random(settings, 10.0);
  CHECK(most_sounding(free) <= harmonic::music::Composer::kMaxVoices);
  // This piece wants more than two voices at once; capped at two, it gets two and
  // loses the notes that would have needed a third.
  REQUIRE(most_sounding(free) > 2);
  const auto capped = compose_random(settings, 10.0, 1, 2);
  CHECK(most_sounding(capped) == 2);
  CHECK(capped.size() < free.size());
}

TEST_CASE("no events, no notes, same seed, same notes", "[music][composer]") {
  harmonic::music::Composer composer(1, harmonic::music::MusicSettings{});
  std::vector<harmonic::music::Note> notes;
  for (int s = 0; s < 600; ++s) composer.compose({}, s / 60.0, kWorld, notes);
  CHECK(notes.empty());

  const auto a = compose_random(harmonic::music::MusicSettings{}, 5.0, 9);
  const auto b = compose_random(harmonic::music::MusicSettings{}, 5.0, 9);
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].midi == b[i].midi);
    CHECK(a[i].start_seconds == b[i].start_seconds);
  }
}
