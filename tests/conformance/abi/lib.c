// The library half of `abi` and `abi_bigint`: i64, float and double results
// and arguments, a 13-argument function, varargs both ways.
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#define name name

int main_vformat(char* out, int size, const char* fmt, ...);  // main's varargs

int64_t mul64(int64_t a, int64_t b) { return a * b; }
uint64_t shift64(uint32_t x) { return (uint64_t)x << 40; }
float halve(float x) { return x / 2.0f; }
double hypot2(double a, double b) { return a * a + b * b; }

int64_t sum13(int a, int64_t b, float c, double d, int e, int f, int64_t g, float h, double i,
                 int j, int k, int l, int m) {
  return a + b + (int64_t)c + (int64_t)d + e + f + g + (int64_t)h + (int64_t)i + j + k + l + m;
}

int sum_varargs(int n, ...) {
  va_list ap;
  va_start(ap, n);
  int total = 0;
  for (int i = 0; i < n; i++) total += va_arg(ap, int);
  va_end(ap);
  return total;
}

double mixed_varargs(const char* kinds, ...) {
  va_list ap;
  va_start(ap, kinds);
  double total = 0;
  for (const char* k = kinds; *k; k++) {
    if (*k == 'i') total += va_arg(ap, int);
    else if (*k == 'l') total += (double)va_arg(ap, long long);
    else if (*k == 'd') total += va_arg(ap, double);
  }
  va_end(ap);
  return total;
}

// Calls main's varargs function.
int format_via_main(char* out, int size) {
  return main_vformat(out, size, "%s-%d-%lld-%.2f", "lib", 7, (long long)1 << 40, 2.5);
}
