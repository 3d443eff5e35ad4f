#include "music/synth.hpp"

#include "music/scale.hpp"
#include "music/wavetable.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::music {
namespace {
constexpr double kTwoPi = 6.28318530717958647692;
}

Synth::Synth(const AudioSettings& settings)
    : requested_(clamped(settings)), echo_(kSampleRate), reverb_(kSampleRate), limiter_(kSampleRate) {
  WavetableBank::instance();  // build the tables now, not in the first audio callback
  apply_settings();
}

void Synth::set_settings(const AudioSettings& settings) {
  requested_ = clamped(settings);
  settings_changed_ = true;
}

void Synth::apply_settings() {
  active_ = requested_;
  settings_changed_ = false;
  echo_.configure(active_.delay_time, active_.delay_feedback);
  reverb_.configure(active_.reverb_amount);
  const WavetableBank& bank = WavetableBank::instance();
  for (Voice& v : voices_) {
    // Sounding voices follow the new settings too (waveform, envelope times).
    v.envelope.configure(active_.attack, active_.decay, active_.sustain, active_.release,
                         kSampleRate);
    if (v.phase_increment > 0) v.table = bank.table(active_.waveform, v.phase_increment * kSampleRate);
  }
}

void Synth::schedule(const Note& note) {
  if (!(note.duration_seconds >= 0) || !std::isfinite(note.start_seconds)) return;
  // A caller that schedules but never renders must not grow the queue forever.
  if (pending_.size() >= kMaxPendingNotes) pending_.erase(pending_.begin());
  // Keep the queue sorted; notes mostly arrive in order, so search from the back.
  auto it = pending_.end();
  while (it != pending_.begin() && (it - 1)->start_seconds > note.start_seconds) --it;
  pending_.insert(it, note);
}

Synth::Voice& Synth::free_or_quietest_voice() {
  Voice* best = &voices_[0];
  for (Voice& v : voices_) {
    if (!v.envelope.active()) return v;
    // Prefer stealing a releasing voice, then the quietest.
    const bool v_releasing = v.envelope.stage() == Envelope::Stage::release;
    const bool best_releasing = best->envelope.stage() == Envelope::Stage::release;
    if (v_releasing != best_releasing ? v_releasing : v.envelope.level() < best->envelope.level()) {
      best = &v;
    }
  }
  return *best;
}

void Synth::start_note(const Note& note) {
  const double frequency = midi_to_hz(note.midi);
  if (!(frequency > 0) || frequency >= 0.5 * kSampleRate) return;
  Voice& v = free_or_quietest_voice();
  v.phase = 0;
  v.phase_increment = frequency / kSampleRate;
  v.table = WavetableBank::instance().table(active_.waveform, frequency);
  v.velocity = std::clamp(note.velocity, 0.0f, 1.0f);
  v.started_at_frame = frames_rendered_;
  v.release_at_frame =
      frames_rendered_ + static_cast<uint64_t>(std::llround(note.duration_seconds * kSampleRate));
  v.envelope.reset();
  v.envelope.configure(active_.attack, active_.decay, active_.sustain, active_.release, kSampleRate);
  v.envelope.note_on();
  v.filter.reset();
}

void Synth::start_due_notes() {
  size_t started = 0;
  while (started < pending_.size() &&
         std::llround(pending_[started].start_seconds * kSampleRate) <=
             static_cast<long long>(frames_rendered_)) {
    start_note(pending_[started]);
    ++started;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(started));
}

int Synth::sounding_voices() const {
  return static_cast<int>(std::count_if(voices_.begin(), voices_.end(),
                                        [](const Voice& v) { return v.envelope.active(); }));
}

void Synth::render(float* out, size_t frames) {
  if (settings_changed_) apply_settings();
  size_t done = 0;
  while (done < frames) {
    start_due_notes();
    size_t chunk = std::min<size_t>(frames - done, kControlBlock);
    if (!pending_.empty()) {
      // End the chunk where the next note starts, so it starts sample-accurately.
      const long long next = std::llround(pending_.front().start_seconds * kSampleRate);
      const long long until = next - static_cast<long long>(frames_rendered_);
      if (until > 0) chunk = std::min<size_t>(chunk, static_cast<size_t>(until));
    }
    render_chunk(out + done, chunk);
    done += chunk;
    frames_rendered_ += chunk;
  }

  double sum_sq = 0;
  bool finite = true;
  for (size_t i = 0; i < frames; ++i) {
    finite = finite && std::isfinite(out[i]);
    sum_sq += static_cast<double>(out[i]) * out[i];
  }
  if (!finite) {
    // Should never happen; if it does, silence beats a burst of noise or a stuck NaN.
    const uint64_t clock = frames_rendered_;
    reset();
    frames_rendered_ = clock;
    std::fill(out, out + frames, 0.0f);
    sum_sq = 0;
  }
  last_block_rms_ = frames > 0 ? static_cast<float>(std::sqrt(sum_sq / static_cast<double>(frames))) : 0.0f;
}

void Synth::render_chunk(float* out, size_t frames) {
  // Control rate: LFO, filter coefficients and tremolo once per chunk.
  const double lfo = std::sin(kTwoPi * lfo_phase_);
  lfo_phase_ += active_.lfo_rate * static_cast<double>(frames) / kSampleRate;
  lfo_phase_ -= std::floor(lfo_phase_);
  LowPassFilter coefficients;
  coefficients.configure(active_.filter_cutoff * std::exp2(2.0 * active_.lfo_depth * lfo),
                         active_.filter_resonance, kSampleRate);
  const auto tremolo = static_cast<float>(1.0 - 0.25 * active_.lfo_depth * (0.5 + 0.5 * lfo));

  std::fill(out, out + frames, 0.0f);
  for (Voice& v : voices_) {
    if (!v.envelope.active()) continue;
    if (frames_rendered_ >= v.release_at_frame && v.envelope.stage() != Envelope::Stage::release) {
      v.envelope.note_off();
    }
    v.filter.copy_coefficients(coefficients);
    const float gain = v.velocity * kVoiceGain;
    double phase = v.phase;
    for (size_t i = 0; i < frames; ++i) {
      const float raw = read_table(v.table, phase);
      phase += v.phase_increment;
      if (phase >= 1.0) phase -= 1.0;
      out[i] += v.filter.process(raw * v.envelope.next() * gain);
    }
    v.phase = phase;
  }

  const auto volume = static_cast<float>(active_.volume);
  for (size_t i = 0; i < frames; ++i) {
    float x = out[i] * tremolo;
    x = echo_.process(x);
    x = reverb_.process(x);
    out[i] = limiter_.process(x * volume);
  }
}

void Synth::reset() {
  for (Voice& v : voices_) {
    v.envelope.reset();
    v.filter.reset();
    v.phase_increment = 0;
  }
  pending_.clear();
  echo_.reset();
  reverb_.reset();
  limiter_.reset();
  frames_rendered_ = 0;
  last_block_rms_ = 0;
}

}  // namespace harmonic::music
