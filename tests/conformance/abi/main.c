// abi: i64 and float returns, a 13-argument function and varargs across
// module boundaries, and libstd's i64 functions. Built twice: here without
// WASM_BIGINT (i64 legalized at module boundaries, as Emscripten 3.1.6 does
// by default), and as abi_bigint with it (main and library both; libstd
// stays legalized).
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int64_t mul64(int64_t a, int64_t b);
uint64_t shift64(uint32_t x);
float halve(float x);
double hypot2(double a, double b);
int64_t sum13(int a, int64_t b, float c, double d, int e, int f, int64_t g, float h, double i,
              int j, int k, int l, int m);
int sum_varargs(int n, ...);
double mixed_varargs(const char* kinds, ...);
int format_via_main(char* out, int size);

int main_vformat(char* out, int size, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(out, size, fmt, ap);
  va_end(ap);
  return n;
}

static void run(const char* label) {
  char buf[64];
  printf("%s mul64=%" PRId64 "\n", label, mul64(-3000000000LL, 5));
  printf("%s shift64=%" PRIu64 "\n", label, shift64(0xabcdu));
  printf("%s halve=%.3f\n", label, halve(5.0f));
  printf("%s hypot2=%.1f\n", label, hypot2(3.0, 4.0));
  printf("%s sum13=%" PRId64 "\n", label,
         sum13(1, 10000000000LL, 3.5f, 4.5, 5, 6, -7, 8.0f, 9.0, 10, 11, 12, 13));
  printf("%s sum_varargs=%d\n", label, sum_varargs(5, 1, 2, 3, 4, 5));
  printf("%s mixed_varargs=%.2f\n", label, mixed_varargs("ildi", 1, 1LL << 33, 0.25, 2));
  format_via_main(buf, sizeof buf);
  printf("%s format_via_main=%s\n", label, buf);
}

#ifdef ABI_BIGINT
#define LABEL "bigint"
#else
#define LABEL "legalized"
#endif

int main(void) {
  run(LABEL);
  // libstd's i64 functions (libstd is legalized).
  char* end;
  long long big = strtoll("-1234567890123", &end, 10);
  lldiv_t d = lldiv(big, 1000000);
  printf("%s strtoll=%lld lldiv=%lld,%lld llabs=%lld\n", LABEL, big, d.quot, d.rem, llabs(big));
  return 0;
}
