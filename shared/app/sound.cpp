#include "app/sound.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::app {

using nlohmann::json;

namespace {
constexpr float kPi = 3.14159265358979f;
const char* kKeys[] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};

std::vector<int> scale_steps(const std::string& name) {
  if (name == "minor") return {0, 2, 3, 5, 7, 8, 10};
  if (name == "harmonic_minor") return {0, 2, 3, 5, 7, 8, 11};
  if (name == "melodic_minor") return {0, 2, 3, 5, 7, 9, 11};
  if (name == "pentatonic") return {0, 2, 4, 7, 9};
  if (name == "blues") return {0, 3, 5, 6, 7, 10};
  return {0, 2, 4, 5, 7, 9, 11};
}

float num(const json& j, const char* name, float fallback) {
  auto it = j.find(name);
  return (it != j.end() && it->is_number()) ? it->get<float>() : fallback;
}
std::string str(const json& j, const char* name, const char* fallback) {
  auto it = j.find(name);
  return (it != j.end() && it->is_string()) ? it->get<std::string>() : fallback;
}
}  // namespace

float key_hue(const std::string& key) {
  for (int i = 0; i < 12; ++i) {
    if (key == kKeys[i]) {
      const int fifths = (i * 7) % 12;  // position on the circle of fifths
      return float(fifths) / 12.0f;
    }
  }
  return 0;
}

SoundEngine::SoundEngine(int sample_rate) : sample_rate_(sample_rate) {
  delay_line_.assign(std::size_t(sample_rate * 2.1), 0.0f);
  const int comb_ms[4] = {29, 37, 41, 43};
  for (int i = 0; i < 4; ++i) combs_[i].assign(std::size_t(sample_rate * comb_ms[i] / 1000), 0.0f);
  allpass_[0].assign(std::size_t(sample_rate * 5 / 1000), 0.0f);
  allpass_[1].assign(std::size_t(sample_rate * 17 / 10000), 0.0f);
  history_.assign(1024, 0.0f);
}

void SoundEngine::set_parameters(const json& music, const json& audio) {
  Settings s;
  const json m = music.is_object() ? music : json::object();
  const json a = audio.is_object() ? audio : json::object();
  s.tempo = std::clamp(int(num(m, "tempo", 120)), 40, 200);
  s.key_name = str(m, "key", "C");
  for (int i = 0; i < 12; ++i) {
    if (s.key_name == kKeys[i]) s.key = i;
  }
  s.scale_name = str(m, "scale", "major");
  s.scale = scale_steps(s.scale_name);
  s.harmony = num(m, "harmony", 0.5f);
  s.rhythm = num(m, "rhythm_complexity", 0.5f);
  s.range = num(m, "melody_range", 0.5f);
  const std::string wave = str(a, "waveform", "sine");
  s.waveform = wave == "square" ? 1 : wave == "sawtooth" ? 2 : wave == "triangle" ? 3 : 0;
  s.volume = num(a, "volume", 0.8f);
  s.attack = std::max(0.001f, num(a, "attack", 0.1f));
  s.decay = std::max(0.001f, num(a, "decay", 0.2f));
  s.sustain = num(a, "sustain", 0.7f);
  s.release = std::max(0.001f, num(a, "release", 0.3f));
  s.cutoff = num(a, "filter_cutoff", 2000);
  s.resonance = num(a, "filter_resonance", 0.3f);
  s.reverb = num(a, "reverb_amount", 0.3f);
  s.delay_time = num(a, "delay_time", 0.3f);
  s.delay_feedback = num(a, "delay_feedback", 0.3f);
  s.lfo_rate = num(a, "lfo_rate", 1);
  s.lfo_depth = num(a, "lfo_depth", 0.2f);
  std::lock_guard lock(mutex_);
  settings_ = std::move(s);
}

void SoundEngine::on_events(std::span<const sim::Event> events, float world_height) {
  std::lock_guard lock(mutex_);
  for (const auto& e : events) {
    if (candidates_.size() >= 64) break;
    const float height = std::clamp(e.y / std::max(world_height, 1.0f) + 0.5f, 0.0f, 1.0f);
    const float velocity = std::clamp(e.impact_speed / 25.0f, 0.05f, 1.0f);
    candidates_.push_back({height, velocity});
  }
}

float SoundEngine::beat_phase(double time_s) const {
  const double beats = time_s * settings_.tempo / 60.0;
  return float(beats - std::floor(beats));
}

void SoundEngine::start_notes() {
  // Called with the lock held, at a grid slot: the strongest impacts become notes.
  if (candidates_.empty()) return;
  std::sort(candidates_.begin(), candidates_.end(),
            [](const Candidate& a, const Candidate& b) { return a.velocity > b.velocity; });
  const auto& s = settings_;
  const int octaves = 1 + int(std::lround(s.range * 3));
  const int steps = int(s.scale.size()) * octaves;
  const int notes = 1 + int(s.rhythm > 0.6f);
  auto rand01 = [this] {
    random_ = random_ * 1664525u + 1013904223u;
    return float(random_ >> 8) / 16777216.0f;
  };
  auto start = [&](int degree, float velocity) {
    const int octave = degree / int(s.scale.size());
    const int midi = 48 + s.key + octave * 12 + s.scale[std::size_t(degree % int(s.scale.size()))];
    for (auto& v : voices_) {
      if (v.active) continue;
      v = Voice{};
      v.active = true;
      v.frequency = 440.0f * std::pow(2.0f, float(midi - 69) / 12.0f);
      v.velocity = velocity;
      v.gate = 60.0 / s.tempo * 0.6;
      return;
    }
  };
  for (int i = 0; i < notes && i < int(candidates_.size()); ++i) {
    const auto& c = candidates_[std::size_t(i)];
    const int degree = std::clamp(int(c.height * float(steps)), 0, steps - 1);
    start(degree, c.velocity);
    if (rand01() < s.harmony * 0.6f) start(std::min(degree + 2, steps + 4), c.velocity * 0.6f);  // third
    if (rand01() < s.harmony * 0.4f) start(std::min(degree + 4, steps + 6), c.velocity * 0.5f);  // fifth
  }
  candidates_.clear();
}

float SoundEngine::oscillator(Voice& v, float lfo) const {
  const float p = float(v.phase);
  switch (settings_.waveform) {
    case 1: return p < 0.5f ? 0.6f : -0.6f;
    case 2: return (2.0f * p - 1.0f) * 0.6f;
    case 3: return (p < 0.5f ? 4.0f * p - 1.0f : 3.0f - 4.0f * p);
    default: return std::sin(2.0f * kPi * p) * (1.0f + 0.0f * lfo);
  }
}

void SoundEngine::render(float* out, int frames, int channels) {
  std::lock_guard lock(mutex_);
  const auto& s = settings_;
  const double dt = 1.0 / sample_rate_;
  // Subdivisions per beat grow with rhythm complexity (1, 2, 3 or 4).
  const int subdivision = 1 + int(std::clamp(s.rhythm, 0.0f, 1.0f) * 3.0f + 0.5f);
  const std::uint64_t slot = std::uint64_t(double(sample_rate_) * 60.0 / s.tempo / subdivision);
  const std::size_t delay_samples =
      std::clamp<std::size_t>(std::size_t(s.delay_time * sample_rate_), 1, delay_line_.size() - 1);
  const float f = std::clamp(2.0f * std::sin(kPi * std::min(s.cutoff, 16000.0f) / float(sample_rate_)), 0.0f, 1.2f);
  const float q = 1.0f - 0.85f * s.resonance;
  float energy = 0;
  for (int i = 0; i < frames; ++i) {
    if (sample_pos_ >= next_slot_) {
      start_notes();
      next_slot_ = sample_pos_ + std::max<std::uint64_t>(slot, 1);
    }
    const float lfo = std::sin(2.0f * kPi * float(double(sample_pos_) * dt * s.lfo_rate));
    float mix = 0;
    for (auto& v : voices_) {
      if (!v.active) continue;
      // ADSR
      float env;
      const float t = float(v.age);
      if (v.age < v.gate) {
        if (t < s.attack) env = t / s.attack;
        else env = std::max(s.sustain, 1.0f - (1.0f - s.sustain) * (t - s.attack) / s.decay);
        v.level = env;
      } else {
        env = v.level * std::exp(-float(v.age - v.gate) * 5.0f / s.release);
        if (env < 0.0005f) {
          v.active = false;
          continue;
        }
      }
      const float vibrato = std::pow(2.0f, lfo * s.lfo_depth * 0.5f / 12.0f);
      v.phase += v.frequency * vibrato * dt;
      v.phase -= std::floor(v.phase);
      const float raw = oscillator(v, lfo);
      // Chamberlin state-variable low-pass.
      const float high = raw - v.low - q * v.band;
      v.band += f * high;
      v.low += f * v.band;
      if (!std::isfinite(v.low)) v.low = v.band = 0;
      mix += v.low * env * v.velocity * 0.25f;
      v.age += dt;
    }
    // Delay
    float& delayed = delay_line_[(delay_pos_ + delay_line_.size() - delay_samples) % delay_line_.size()];
    const float echo = delayed;
    delay_line_[delay_pos_] = mix + echo * s.delay_feedback;
    delay_pos_ = (delay_pos_ + 1) % delay_line_.size();
    float dry = mix + echo * 0.35f;
    // Reverb: parallel combs into series all-passes.
    float wet = 0;
    for (int c = 0; c < 4; ++c) {
      auto& line = combs_[std::size_t(c)];
      auto& pos = comb_pos_[std::size_t(c)];
      const float y = line[pos];
      line[pos] = dry + y * 0.78f;
      pos = (pos + 1) % line.size();
      wet += y * 0.25f;
    }
    for (int a = 0; a < 2; ++a) {
      auto& line = allpass_[std::size_t(a)];
      auto& pos = allpass_pos_[std::size_t(a)];
      const float buffered = line[pos];
      const float y = -wet + buffered;
      line[pos] = wet + buffered * 0.5f;
      pos = (pos + 1) % line.size();
      wet = y;
    }
    float sample = (dry * (1.0f - s.reverb * 0.5f) + wet * s.reverb) * s.volume;
    sample = std::tanh(sample * 1.5f) / 1.2f;
    energy += sample * sample;
    history_[history_pos_] = sample;
    history_pos_ = (history_pos_ + 1) % history_.size();
    for (int ch = 0; ch < channels; ++ch) out[i * channels + ch] = sample;
    ++sample_pos_;
  }
  const float rms = frames > 0 ? std::sqrt(energy / float(frames)) : 0.0f;
  loudness_ = loudness_ * 0.7f + std::min(1.0f, rms * 4.0f) * 0.3f;
}

void SoundEngine::waveform(std::vector<float>& out) const {
  std::lock_guard lock(mutex_);
  out.resize(256);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = history_[(history_pos_ + history_.size() - out.size() + i) % history_.size()];
  }
}

void SoundEngine::spectrum(std::vector<float>& out) const {
  std::vector<float> samples;
  {
    std::lock_guard lock(mutex_);
    samples.resize(512);
    for (std::size_t i = 0; i < samples.size(); ++i) {
      samples[i] = history_[(history_pos_ + history_.size() - samples.size() + i) % history_.size()];
    }
  }
  // 24 log-spaced bands from 60 Hz to 12 kHz, one Goertzel-style DFT bin each.
  out.assign(24, 0.0f);
  const float n = float(samples.size());
  for (std::size_t b = 0; b < out.size(); ++b) {
    const float freq = 60.0f * std::pow(200.0f, float(b) / float(out.size() - 1));
    const float w = 2.0f * kPi * freq / float(sample_rate_);
    float re = 0, im = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const float window = 0.5f - 0.5f * std::cos(2.0f * kPi * float(i) / n);
      re += samples[i] * window * std::cos(w * float(i));
      im -= samples[i] * window * std::sin(w * float(i));
    }
    const float magnitude = std::sqrt(re * re + im * im) / n * 4.0f;
    out[b] = std::clamp(std::log10(1.0f + magnitude * 60.0f), 0.0f, 1.0f);
  }
}

std::string SoundEngine::description() const {
  std::lock_guard lock(mutex_);
  std::string scale = settings_.scale_name;
  std::replace(scale.begin(), scale.end(), '_', ' ');
  return settings_.key_name + " " + scale + " · " + std::to_string(settings_.tempo) + " BPM";
}

}  // namespace harmonic::app
