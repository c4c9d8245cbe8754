// The direct-call baseline of the scalar benchmark: an ordinary core call to
// another module of the host's own domain.
#include <stdint.h>

uint32_t bench_add(uint32_t a, uint32_t b) { return a + b; }
