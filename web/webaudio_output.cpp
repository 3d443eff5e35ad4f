#include "web/webaudio_output.hpp"

#include <cstddef>
#include <cstring>

#include <emscripten.h>

namespace harmonic::web {

// Browser APIs, each used by one method below.
EM_JS(int, js_audio_start, (int sample_rate, int channels), {
  try {
    if (!Module.harmonicAudio) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      const ctx = new Ctx({sampleRate: sample_rate});
      const node = ctx.createScriptProcessor(2048, 0, channels);
      node.onaudioprocess = function(e) {
        const out = e.outputBuffer;
        const frames = out.length;
        const ptr = _harmonic_audio_render(frames);
        const data = HEAPF32.subarray(ptr >> 2, (ptr >> 2) + frames * channels);
        for (let c = 0; c < out.numberOfChannels; ++c) {
          const dest = out.getChannelData(c);
          for (let i = 0; i < frames; ++i) dest[i] = data[i * channels + Math.min(c, channels - 1)];
        }
      };
      node.connect(ctx.destination);
      Module.harmonicAudio = {ctx: ctx, node: node};
    }
    Module.harmonicAudio.ctx.resume();
    return 1;
  } catch (e) {
    console.warn('audio:', e);
    return 0;
  }
});
EM_JS(void, js_audio_stop, (), {
  if (Module.harmonicAudio) Module.harmonicAudio.ctx.suspend();
});
EM_JS(int, js_audio_running, (), {
  return (Module.harmonicAudio && Module.harmonicAudio.ctx.state === 'running') ? 1 : 0;
});

bool WebAudioOutput::start(int sample_rate, int channels, frontend::AudioPull pull) {
  pull_ = std::move(pull);
  channels_ = channels;
  return js_audio_start(sample_rate, channels) != 0;
}
void WebAudioOutput::stop() { js_audio_stop(); }
bool WebAudioOutput::running() const { return js_audio_running() != 0; }

void WebAudioOutput::fill(float* out, int frames) {
  if (pull_) pull_(out, frames, channels_);
  else std::memset(out, 0, sizeof(float) * std::size_t(frames * channels_));
}

}  // namespace harmonic::web
