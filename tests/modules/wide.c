// Built with -sWASM_BIGINT: i64 crosses module boundaries unsplit.
#include <stdint.h>
int64_t wide_mul(int64_t a, int64_t b) { return a * b; }
double wide_ratio(int64_t a, int32_t b) { return (double)a / b; }
