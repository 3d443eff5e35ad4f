#include "command_line.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string_view>

namespace harmonic::tools {
namespace {


bool parse_u64(std::string_view text, uint64_t& out) {
  if (text.empty() || text[0] == '-') return false;
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(copy.c_str(), &end, 0);
  if (errno != 0 || end != copy.c_str() + copy.size()) return false;
  out = value;
  return true;
}

bool parse_double(std::string_view text, double& out) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(value)) return false;
  out = value;
  return true;
}

// "category.name=value" onto the matching settings struct.
bool apply_param(Options& options, std::string_view assignment, std::string& error) {
  const size_t dot = assignment.find('.');
  const size_t equals = assignment.find('=');
  if (dot == std::string_view::npos || equals == std::string_view::npos || equals < dot) {
    error = "--param expects category.name=value, got '" + std::string(assignment) + "'";
    return false;
  }
  const std::string_view category = assignment.substr(0, dot);
  const std::string_view name = assignment.substr(dot + 1, equals - dot - 1);
  const std::string_view value = assignment.substr(equals + 1);
  bool ok = false;
  if (category == params::table::physics_name) {
    double number = 0;
    ok = parse_double(value, number) && harmonic::sim::set_physics_field(options.physics, name, number);
  } else if (category == params::table::music_name) {
    ok = harmonic::music::set_music_field(options.music, name, value);
  } else if (category == params::table::audio_name) {
    ok = harmonic::music::set_audio_field(options.audio, name, value);
  } else if (category == params::table::visualization_name) {
    ok = true;  // accepted for symmetry with the schema; the tool draws nothing
  }
  if (!ok) error = "unknown parameter or bad value in '" + std::string(assignment) + "'";
  return ok;
}

} // namespace

const char* usage_text() {
  return "usage: harmonic-sim [--seed S] [--steps N] [--particles P]\n"
         "                    [--param category.name=value ...]\n"
         "                    [--hash] [--wav out.wav [--seconds T]] [--bench [--warmup N]]\n"
         "  --hash     run N steps and print the state hash (16 hex digits)\n"
         "  --wav      render T seconds of the universe's music to a 16-bit WAV\n"
         "  --bench    print steps per second for P particles and the synthesiser's\n"
         "             real-time factor\n"
         "  --param    e.g. physics.gravity=0, music.key=C#, audio.waveform=sawtooth\n";
}

std::optional<Options> parse_command_line(int argc, char** argv, std::string& error) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= argc) {
        error = std::string(arg) + " needs a value";
        return std::nullopt;
      }
      return std::string_view(argv[++i]);
    };
    auto bad = [&](std::string_view v) {
      error = "bad value '" + std::string(v) + "' for " + std::string(arg);
      return std::nullopt;
    };

    if (arg == "--help" || arg == "-h") {
      options.help = true;
    } else if (arg == "--hash") {
      options.print_hash = true;
    } else if (arg == "--bench") {
      options.bench = true;
    } else if (arg == "--seed" || arg == "--steps" || arg == "--warmup") {
      const auto v = value();
      if (!v) return std::nullopt;
      uint64_t n = 0;
      if (!parse_u64(*v, n)) return bad(*v);
      (arg == "--seed" ? options.seed : arg == "--steps" ? options.steps : options.warmup_steps) = n;
    } else if (arg == "--particles") {
      const auto v = value();
      if (!v) return std::nullopt;
      uint64_t n = 0;
      if (!parse_u64(*v, n) || n < 1 || n > 100000) return bad(*v);
      options.physics.particle_count = static_cast<int>(n);
    } else if (arg == "--seconds") {
      const auto v = value();
      if (!v) return std::nullopt;
      if (!parse_double(*v, options.seconds) || options.seconds < 0) return bad(*v);
    } else if (arg == "--wav") {
      const auto v = value();
      if (!v) return std::nullopt;
      options.wav_path = std::string(*v);
    } else if (arg == "--param") {
      const auto v = value();
      if (!v || !apply_param(options, *v, error)) return std::nullopt;
    } else {
      error = "unknown option '" + std::string(arg) + "'";
      return std::nullopt;
    }
  }
  return options;
}

}  // namespace harmonic::tools
