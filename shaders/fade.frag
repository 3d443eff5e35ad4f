// Trails: the previous frame, faded towards the background. Each frame keeps `u_keep`
// of the old light and always removes a little more, so 8-bit buffers fade to the
// background completely instead of leaving ghost pixels.
in vec2 v_uv;

uniform sampler2D u_previous;
uniform vec3 u_background;
uniform float u_keep;

out vec4 frag_color;

void main() {
  vec3 previous = texture(u_previous, v_uv).rgb;
  vec3 faded = mix(u_background, previous, u_keep);
  vec3 toward = faded - u_background;
  faded = u_background + sign(toward) * max(abs(toward) - vec3(1.5 / 255.0), vec3(0.0));
  frag_color = vec4(faded, 1.0);
}
