// Spectrum measurement for the synthesiser tests: a plain radix-2 FFT.
#pragma once

#include <cmath>
#include <complex>
#include <vector>

namespace music_test {

// Magnitudes of the first n/2 bins of a Hann-windowed FFT of `samples` (n = the
// largest power of two that fits). Bin k is k * sample_rate / n Hz.
inline std::vector<double> magnitude_spectrum(const std::vector<float>& samples, size_t& n_out) {
  size_t n = 1;
  while (n * 2 <= samples.size()) n *= 2;
  n_out = n;
  const double pi = 3.14159265358979323846;
  std::vector<std::complex<double>> a(n);
  for (size_t i = 0; i < n; ++i) {
    const double window = 0.5 - 0.5 * std::cos(2 * pi * static_cast<double>(i) / static_cast<double>(n));
    a[i] = samples[i] * window;
  }
  for (size_t i = 1, j = 0; i < n; ++i) {  // bit reversal
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    const double angle = -2 * pi / static_cast<double>(len);
    const std::complex<double> step(std::cos(angle), std::sin(angle));
    for (size_t i = 0; i < n; i += len) {
      std::complex<double> w(1);
      for (size_t k = 0; k < len / 2; ++k) {
        const auto u = a[i + k], v = a[i + k + len / 2] * w;
        a[i + k] = u + v;
        a[i + k + len / 2] = u - v;
        w *= step;
      }
    }
  }
  std::vector<double> magnitude(n / 2);
  for (size_t k = 0; k < n / 2; ++k) magnitude[k] = std::abs(a[k]);
  return magnitude;
}

inline double rms(const std::vector<float>& x, size_t begin, size_t end) {
  double sum = 0;
  for (size_t i = begin; i < end; ++i) sum += static_cast<double>(x[i]) * x[i];
  return end > begin ? std::sqrt(sum / static_cast<double>(end - begin)) : 0.0;
}

} // namespace music_test
