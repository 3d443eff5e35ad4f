// WAV (RIFF) encoding of float PCM as 16-bit signed integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace harmonic::music {

// `samples` are interleaved frames of `channels` floats in [-1, 1] (values outside
// are clamped). Returns a complete .wav file.
// The size in bytes of what encode_wav_pcm16 returns for `samples` floats (all channels
// together), known without encoding anything.
size_t wav_pcm16_size(size_t samples);

std::vector<uint8_t> encode_wav_pcm16(std::span<const float> samples, int sample_rate,
                                      int channels = 1);

}  // namespace harmonic::music
