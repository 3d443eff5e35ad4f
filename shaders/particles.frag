// A soft bright core inside a glow halo, written additively into the trail buffer.
in vec2 v_uv;
in vec3 v_color;
in float v_energy;

uniform float u_halo;        // quad half-size / core radius
uniform vec3 u_glow_color;
uniform float u_glow;        // glow intensity 0..1 (plus loudness)
uniform float u_density;     // < 1 dims each particle when many overlap

out vec4 frag_color;

void main() {
  float d = length(v_uv) * u_halo;  // distance in core radii
  if (d > u_halo) discard;
  float core = 1.0 - smoothstep(0.55, 1.0, d);
  float falloff = max(0.0, 1.0 - d / u_halo);
  float glow = falloff * falloff * u_glow;
  vec3 glow_rgb = mix(u_glow_color, v_color, 0.35) * glow * (0.6 + 0.4 * min(v_energy, 1.0));
  vec3 rgb = (v_color * core + glow_rgb * 0.9) * u_density;
  frag_color = vec4(rgb, 1.0);
}
