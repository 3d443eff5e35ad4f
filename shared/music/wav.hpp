// WAV (RIFF) encoding of float PCM as 16-bit signed integers.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace music {

// `samples` are interleaved frames of `channels` floats in [-1, 1] (values outside
// are clamped). Returns a complete .wav file.
std::vector<uint8_t> encode_wav_pcm16(std::span<const float> samples, int sample_rate,
                                      int channels = 1);

} // namespace music
