// Particles: one quad (two indexed triangles) per particle, four vertices that differ only
// in the corner. Not instanced: SwiftShader (software GL) sets up every instance as a draw
// of its own, which made 10,000 instanced quads cost several times their pixels
// (docs/client.md, "Adaptive quality"). The quad is the glow halo; the fragment shader
// draws the core inside it.
layout(location = 0) in vec4 a_particle;  // world x, world y, speed (m/s), index * 4 + corner

uniform vec2 u_viewport;     // framebuffer pixels
uniform vec2 u_center;       // world point at the middle of the screen
uniform float u_scale;       // framebuffer pixels per metre
uniform vec2 u_rotation;     // cos, sin of the camera rotation
uniform float u_radius_px;   // core radius in framebuffer pixels
uniform float u_halo;        // quad half-size / core radius
uniform int u_scheme;        // 0 rainbow 1 monochrome 2 complementary 3 analogous 4 triadic 5 custom
uniform vec3 u_particle_color;
uniform float u_key_hue;     // 0..1, from the music key
uniform float u_saturation;
uniform float u_brightness;
uniform float u_time;
uniform float u_pulse;       // 0..1, the beat
uniform float u_speed_ref;   // speed that counts as "fast"

out vec2 v_uv;
out vec3 v_color;
out float v_energy;

vec3 hsv2rgb(vec3 c) {
  vec3 p = abs(fract(c.xxx + vec3(0.0, 2.0 / 3.0, 1.0 / 3.0)) * 6.0 - 3.0);
  return c.z * mix(vec3(1.0), clamp(p - 1.0, 0.0, 1.0), c.y);
}

void main() {
  int id = int(a_particle.w);
  int corner = id & 3;
  vec2 uv = vec2((corner & 1) == 0 ? -1.0 : 1.0, (corner & 2) == 0 ? -1.0 : 1.0);
  float index = float(id >> 2);
  float speed = a_particle.z;
  float energy = clamp(speed / max(u_speed_ref, 0.001), 0.0, 1.5);

  // Colour: a hue per scheme, lifted by speed so the busy parts of the universe shine.
  float golden = fract(index * 0.61803398875);
  float hue;
  if (u_scheme == 0) {
    hue = fract(golden + u_time * 0.02);
  } else if (u_scheme == 2) {
    hue = u_key_hue + (mod(index, 2.0) < 1.0 ? 0.0 : 0.5);
  } else if (u_scheme == 3) {
    hue = u_key_hue + (golden - 0.5) * 0.18;
  } else if (u_scheme == 4) {
    hue = u_key_hue + floor(mod(index, 3.0)) / 3.0;
  } else {
    hue = u_key_hue;
  }
  vec3 color;
  if (u_scheme == 1 || u_scheme == 5) {
    float lift = 0.55 + 0.45 * min(energy, 1.0);
    vec3 base = u_scheme == 1 ? hsv2rgb(vec3(u_key_hue, 0.25 * u_saturation, 1.0)) : u_particle_color;
    vec3 grey = vec3(dot(base, vec3(0.299, 0.587, 0.114)));
    color = mix(grey, base, u_saturation) * lift;
  } else {
    color = hsv2rgb(vec3(fract(hue + energy * 0.06), u_saturation * (0.75 + 0.25 * (1.0 - min(energy, 1.0))),
                         0.55 + 0.45 * min(energy + 0.3, 1.0)));
  }
  v_color = color * (0.35 + 0.9 * u_brightness) * (1.0 + 0.35 * u_pulse);
  v_energy = energy;
  v_uv = uv;

  vec2 rel = a_particle.xy - u_center;
  rel = vec2(rel.x * u_rotation.x - rel.y * u_rotation.y, rel.x * u_rotation.y + rel.y * u_rotation.x);
  vec2 pixel = rel * u_scale;
  float radius = u_radius_px * (1.0 + 0.25 * u_pulse) * u_halo;
  pixel += uv * radius;
  gl_Position = vec4(pixel / (0.5 * u_viewport), 0.0, 1.0);
}
