// The defaults of docs/parameters.md, written out independently of the server's table
// so the end-to-end tests check the server against the document, not against itself.

export const DEFAULTS = Object.freeze({
  physics: {
    gravity: 9.81, particle_speed: 10, particle_size: 1.0, particle_count: 1000, friction: 0.3,
    elasticity: 0.7, air_resistance: 0.1, density: 1.0, time_scale: 1.0, field_strength: 0,
  },
  music: { tempo: 120, key: 'C', scale: 'major', harmony: 0.5, rhythm_complexity: 0.5, melody_range: 0.5 },
  audio: {
    volume: 0.8, waveform: 'sine', attack: 0.1, decay: 0.2, sustain: 0.7, release: 0.3, filter_cutoff: 2000,
    filter_resonance: 0.3, reverb_amount: 0.3, delay_time: 0.3, delay_feedback: 0.3, lfo_rate: 1.0, lfo_depth: 0.2,
  },
  visualization: {
    color_scheme: 'rainbow', background_color: '#05060A', particle_color: '#FFFFFF', glow_color: '#00FF88',
    particle_size: 3.0, glow_intensity: 0.5, trail_length: 0.5, brightness: 0.8, saturation: 0.8,
    camera_zoom: 1.0, camera_rotation: 0,
  },
});

export const INTEGER_PARAMS = { physics: ['particle_count'], music: ['tempo'], audio: [], visualization: [] };

export const CATEGORIES = ['physics', 'music', 'audio', 'visualization'];

// parameter:synced's shape for a given {physics, music, audio, visualization}.
export function syncedShape(universeId, p) {
  return {
    universe_id: universeId,
    physics_parameters: p.physics,
    music_parameters: p.music,
    audio_parameters: p.audio,
    visualization_parameters: p.visualization,
  };
}
