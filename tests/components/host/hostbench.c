// The direct-call baseline of the scalar benchmark: an ordinary core call to
// another module of the host's own domain.
#include <stdint.h>

uint32_t bench_add(uint32_t a, uint32_t b) { return a + b; }

// The same work as the plugin's `scale`.
uint32_t bench_scale(uint32_t x, uint8_t factor, _Bool clamp) {
  uint32_t r = x * factor;
  return clamp && r > 1000000 ? 1000000 : r;
}
