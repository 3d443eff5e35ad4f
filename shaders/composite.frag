// The trail buffer to the screen, with a soft vignette so the edges recede.
in vec2 v_uv;

uniform sampler2D u_image;
uniform vec3 u_background;
uniform float u_vignette;

out vec4 frag_color;

void main() {
  vec3 rgb = texture(u_image, v_uv).rgb;
  vec2 c = v_uv - 0.5;
  float v = 1.0 - u_vignette * dot(c, c) * 1.6;
  rgb = u_background + (rgb - u_background) * v;
  frag_color = vec4(rgb * mix(1.0, v, 0.5), 1.0);
}
