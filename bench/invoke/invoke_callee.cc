// Callees of the exceptions benchmark (bench/invoke/invoke_main.cc).
int bench_callee(int x) { return x + 1; }
void bench_thrower(int x) { throw x; }
extern "C" int bench_jmp_callee(int x) { return x + 1; }
