#include "music/synth.hpp"
#include "sim/random.hpp"
#include "music/scale.hpp"
#include "spectrum.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using music_test::magnitude_spectrum;
using music_test::rms;

namespace {

constexpr double kRate = harmonic::music::Synth::kSampleRate;

// Settings that leave the oscillator and envelope alone: filter wide open, no
// effects, no LFO.
harmonic::music::AudioSettings plain(harmonic::music::Waveform waveform = harmonic::music::Waveform::sine) {
  harmonic::music::AudioSettings a;
  a.waveform = waveform;
  a.attack = 0.001;
  a.decay = 0.001;
  a.sustain = 1.0;
  a.release = 0.001;
  a.filter_cutoff = 20000;
  a.filter_resonance = 0;
  a.reverb_amount = 0;
  a.delay_time = 0;
  a.delay_feedback = 0;
  a.lfo_depth = 0;
  a.volume = 1.0;
  return a;
}

std::vector<float> play(const harmonic::music::AudioSettings& settings, std::vector<harmonic::music::Note> notes,
                        double seconds, size_t block = 512) {
  harmonic::music::Synth synth(settings);
  for (const auto& n : notes) synth.schedule(n);
  std::vector<float> out(static_cast<size_t>(seconds * kRate));
  for (size_t done = 0; done < out.size(); done += block) {
    synth.render(out.data() + done, std::min(block, out.size() - done));
  }
  return out;
}

double bin_hz(size_t bin, size_t n) { return static_cast<double>(bin) * kRate / static_cast<double>(n); }

size_t peak_bin(const std::vector<double>& magnitude) {
  return static_cast<size_t>(std::max_element(magnitude.begin() + 1, magnitude.end()) -
                             magnitude.begin());
}

// Energy in the spectrum between two frequencies.
double band_energy(const std::vector<double>& magnitude, size_t n, double lo_hz, double hi_hz) {
  double sum = 0;
  for (size_t k = 0; k < magnitude.size(); ++k) {
    const double f = bin_hz(k, n);
    if (f >= lo_hz && f < hi_hz) sum += magnitude[k] * magnitude[k];
  }
  return sum;
}

} // namespace

TEST_CASE("a rendered A4 sine has its spectral peak at 440 Hz", "[music][synth]") {
  const auto out = play(plain(), {harmonic::music::Note{0.0, 2.0, 69, 1.0f}}, 1.5);
  size_t n = 0;
  const auto magnitude = magnitude_spectrum(out, n);
  const double resolution = kRate / static_cast<double>(n);  // ~0.73 Hz for 65536
  CHECK(bin_hz(peak_bin(magnitude), n) == Approx(440.0).margin(resolution));
  // And it is a pure tone: almost nothing beyond 500 Hz.
  CHECK(band_energy(magnitude, n, 500, 24000) < 1e-6 * band_energy(magnitude, n, 400, 480));
}

TEST_CASE("silence in gives silence out", "[music][synth]") {
  harmonic::music::AudioSettings loud;  // defaults include reverb and echo
  loud.volume = 1;
  const auto out = play(loud, {}, 1.0);
  CHECK(std::all_of(out.begin(), out.end(), [](float s) { return s == 0.0f; }));
}

TEST_CASE("the attack envelope shapes the onset and release ends the note", "[music][synth]") {
  auto settings = plain();
  settings.attack = 0.5;
  settings.release = 0.2;
  const auto out = play(settings, {harmonic::music::Note{0.0, 1.0, 69, 1.0f}}, 1.5);
  const double first_50ms = rms(out, 0, 2400);
  const double at_sustain = rms(out, 28800, 43200);   // 0.6 .. 0.9 s
  CHECK(first_50ms < 0.1 * at_sustain);
  // Linear attack: at 0.25 s about half the final level (RMS over one 10 ms window).
  CHECK(rms(out, 11760, 12240) == Approx(0.5 * at_sustain).epsilon(0.1));
  // Released at 1.0 s over 0.2 s: silent after 1.25 s.
  CHECK(rms(out, 60000, 72000) < 1e-4);
}

TEST_CASE("decay falls to the sustain level", "[music][synth]") {
  auto settings = plain();
  settings.attack = 0.01;
  settings.decay = 0.1;
  const auto full = play(settings, {harmonic::music::Note{0.0, 1.0, 69, 1.0f}}, 1.0);  // sustain 1
  settings.sustain = 0.25;
  const auto out = play(settings, {harmonic::music::Note{0.0, 1.0, 69, 1.0f}}, 1.0);
  const double reference = rms(full, 24000, 36000);  // 0.5 .. 0.75 s at full level
  CHECK(rms(out, 24000, 36000) == Approx(0.25 * reference).epsilon(0.02));
  // Just after the attack the level is still near the top.
  CHECK(rms(out, 480, 960) > 3 * rms(out, 24000, 36000));
}

TEST_CASE("the low-pass filter removes highs and resonance emphasises the cutoff", "[music][synth]") {
  const std::vector<harmonic::music::Note> saw220{harmonic::music::Note{0.0, 2.0, 57, 1.0f}};  // A3
  auto open = plain(harmonic::music::Waveform::sawtooth);
  auto closed = open;
  closed.filter_cutoff = 300;
  size_t n = 0;
  const auto open_spectrum = magnitude_spectrum(play(open, saw220, 1.5), n);
  const auto closed_spectrum = magnitude_spectrum(play(closed, saw220, 1.5), n);
  const double open_highs = band_energy(open_spectrum, n, 2000, 24000);
  const double closed_highs = band_energy(closed_spectrum, n, 2000, 24000);
  CHECK(closed_highs < 0.001 * open_highs);  // 12 dB/octave: > 30 dB down at 3 octaves

  auto flat = open;
  flat.filter_cutoff = 1320;  // the 6th harmonic of 220 Hz
  auto resonant = flat;
  resonant.filter_resonance = 1.0;
  const auto flat_spectrum = magnitude_spectrum(play(flat, saw220, 1.5), n);
  const auto resonant_spectrum = magnitude_spectrum(play(resonant, saw220, 1.5), n);
  const double flat_ratio = band_energy(flat_spectrum, n, 1300, 1340) /
                            band_energy(flat_spectrum, n, 200, 240);
  const double resonant_ratio = band_energy(resonant_spectrum, n, 1300, 1340) /
                                band_energy(resonant_spectrum, n, 200, 240);
  CHECK(resonant_ratio > 10 * flat_ratio);
}

TEST_CASE("a high sawtooth is band-limited: no aliases between its harmonics", "[music][synth]") {
  const int midi = 105;  // 3520 Hz: a naive sawtooth would fold many harmonics back
  const double f0 = harmonic::music::midi_to_hz(midi);
  const auto out = play(plain(harmonic::music::Waveform::sawtooth), {harmonic::music::Note{0.0, 2.0, midi, 1.0f}}, 1.5);
  size_t n = 0;
  const auto magnitude = magnitude_spectrum(out, n);
  double harmonic = 0, other = 0;
  for (size_t k = 1; k < magnitude.size(); ++k) {
    const double f = bin_hz(k, n);
    const double nearest = std::round(f / f0) * f0;
    const double e = magnitude[k] * magnitude[k];
    (std::fabs(f - nearest) < 15.0 ? harmonic : other) += e;
  }
  CHECK(other < 1e-5 * harmonic);  // aliases below -50 dB
}

TEST_CASE("output never clips or turns into NaN, whatever the settings", "[music][synth]") {
  harmonic::sim::Random random(5);
  for (int round = 0; round < 12; ++round) {
    harmonic::music::AudioSettings a;
    a.waveform = static_cast<harmonic::music::Waveform>(round % 4);
    a.volume = 1.0;
    a.attack = random.next_below(2) ? 0.001 : 5;
    a.decay = random.next_below(2) ? 0.001 : 5;
    a.sustain = random.next_below(2);
    a.release = random.next_below(2) ? 0.001 : 10;
    a.filter_cutoff = random.next_below(2) ? 20 : 20000;
    a.filter_resonance = random.next_below(2);
    a.reverb_amount = random.next_below(2);
    a.delay_time = random.next_below(2) ? 0.0 : 0.01;
    a.delay_feedback = random.next_below(2) ? 0.0 : 0.95;
    a.lfo_rate = random.next_below(2) ? 0.0 : 20.0;
    a.lfo_depth = random.next_below(2);
    // A wall of loud low and high notes, many at once.
    std::vector<harmonic::music::Note> notes;
    for (int i = 0; i < 200; ++i) {
      notes.push_back(harmonic::music::Note{0.01 * i, 0.5, 24 + static_cast<int>(random.next_below(84)), 1.0f});
    }
    const auto out = play(a, notes, 3.0, 333);
    float peak = 0;
    for (float s : out) {
      REQUIRE(std::isfinite(s));
      peak = std::max(peak, std::fabs(s));
    }
    INFO("round " << round);
    CHECK(peak <= harmonic::music::Limiter::kCeiling + 1e-6f);
    CHECK(peak > 0.01f);
  }
}

TEST_CASE("volume scales the output and loudness reports it", "[music][synth]") {
  auto settings = plain();
  harmonic::music::Synth quiet_synth([&] { auto s = settings; s.volume = 0.2; return s; }());
  harmonic::music::Synth loud_synth([&] { auto s = settings; s.volume = 0.8; return s; }());
  const harmonic::music::Note a4{0.0, 1.0, 69, 1.0f};
  quiet_synth.schedule(a4);
  loud_synth.schedule(a4);
  std::vector<float> quiet(4800), loud(4800);
  quiet_synth.render(quiet.data(), quiet.size());
  loud_synth.render(loud.data(), loud.size());
  CHECK(rms(loud, 0, loud.size()) == Approx(4 * rms(quiet, 0, quiet.size())).epsilon(0.01));
  CHECK(loud_synth.last_block_rms() == Approx(4 * quiet_synth.last_block_rms()).epsilon(0.01));
  CHECK(loud_synth.last_block_rms() > 0.05f);
}

TEST_CASE("notes start sample-accurately whatever the block size", "[music][synth]") {
  const std::vector<harmonic::music::Note> notes{harmonic::music::Note{0.25, 0.1, 69, 1.0f}};
  const auto a = play(plain(), notes, 0.5, 512);
  const auto b = play(plain(), notes, 0.5, 37);
  const size_t onset = 12000;  // 0.25 s
  CHECK(a[onset - 1] == 0.0f);
  CHECK(a[onset + 1] != 0.0f);
  CHECK(b[onset - 1] == 0.0f);
  CHECK(b[onset + 1] != 0.0f);
}
