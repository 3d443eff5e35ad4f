#include "music/wav.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <string>

namespace {
uint32_t u32_at(const std::vector<uint8_t>& b, size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (static_cast<uint32_t>(b[at + 3]) << 24);
}
uint16_t u16_at(const std::vector<uint8_t>& b, size_t at) {
  return static_cast<uint16_t>(b[at] | (b[at + 1] << 8));
}
std::string tag_at(const std::vector<uint8_t>& b, size_t at) {
  return std::string(reinterpret_cast<const char*>(b.data() + at), 4);
}
} // namespace

TEST_CASE("WAV files have a correct RIFF header and 16-bit samples", "[music][wav]") {
  const std::vector<float> samples{0.0f, 1.0f, -1.0f, 0.5f, 2.0f, std::nanf("")};
  const auto wav = harmonic::music::encode_wav_pcm16(samples, 48000, 1);
  REQUIRE(wav.size() == 44 + 2 * samples.size());
  CHECK(tag_at(wav, 0) == "RIFF");
  CHECK(u32_at(wav, 4) == wav.size() - 8);
  CHECK(tag_at(wav, 8) == "WAVE");
  CHECK(tag_at(wav, 12) == "fmt ");
  CHECK(u16_at(wav, 20) == 1);       // PCM
  CHECK(u16_at(wav, 22) == 1);       // mono
  CHECK(u32_at(wav, 24) == 48000);
  CHECK(u32_at(wav, 28) == 96000);   // byte rate
  CHECK(u16_at(wav, 34) == 16);
  CHECK(tag_at(wav, 36) == "data");
  CHECK(u32_at(wav, 40) == 12);
  auto sample = [&](size_t i) { return static_cast<int16_t>(u16_at(wav, 44 + 2 * i)); };
  CHECK(sample(0) == 0);
  CHECK(sample(1) == 32767);
  CHECK(sample(2) == -32767);
  CHECK(sample(3) == 16384);  // 0.5 * 32767 rounded
  CHECK(sample(4) == 32767);  // clamped
  CHECK(sample(5) == 0);      // NaN written as silence
}
