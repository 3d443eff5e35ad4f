#include "music/wav.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::music {
namespace {

void put_u16(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v & 0xFF));
  out.push_back(static_cast<uint8_t>((v >> 8) & 0xFF));
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  put_u16(out, v & 0xFFFF);
  put_u16(out, v >> 16);
}

void put_tag(std::vector<uint8_t>& out, const char (&tag)[5]) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(tag[i]));
}

} // namespace

namespace {
constexpr size_t kHeaderBytes = 44;  // RIFF, fmt and data chunk headers of a PCM file
}  // namespace

size_t wav_pcm16_size(size_t samples) { return kHeaderBytes + samples * 2; }

std::vector<uint8_t> encode_wav_pcm16(std::span<const float> samples, int sample_rate,
                                      int channels) {
  const uint32_t data_bytes = static_cast<uint32_t>(samples.size() * 2);
  const uint32_t block_align = static_cast<uint32_t>(channels * 2);
  std::vector<uint8_t> out;
  out.reserve(wav_pcm16_size(samples.size()));

  put_tag(out, "RIFF");
  put_u32(out, 36 + data_bytes);
  put_tag(out, "WAVE");
  put_tag(out, "fmt ");
  put_u32(out, 16);  // fmt chunk size for PCM
  put_u16(out, 1);   // PCM
  put_u16(out, static_cast<uint32_t>(channels));
  put_u32(out, static_cast<uint32_t>(sample_rate));
  put_u32(out, static_cast<uint32_t>(sample_rate) * block_align);  // byte rate
  put_u16(out, block_align);
  put_u16(out, 16);  // bits per sample
  put_tag(out, "data");
  put_u32(out, data_bytes);

  for (float s : samples) {
    const float clamped = std::isfinite(s) ? std::clamp(s, -1.0f, 1.0f) : 0.0f;
    const auto value = static_cast<int16_t>(std::lrint(clamped * 32767.0f));
    put_u16(out, static_cast<uint16_t>(value));
  }
  return out;
}

}  // namespace harmonic::music
