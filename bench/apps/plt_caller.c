// The caller of the PLT call-cost benchmark. The same binary is loaded in
// every configuration; only what its import `plt_target` is bound to changes:
// the callee's export (eager), a PLT entry (lazy, after the first call
// resolved it), or a JS function forwarding to the callee's export.
unsigned plt_target(unsigned x);

// The same loop around a call to a function of this module: what the loop
// costs with the cheapest possible call.
__attribute__((noinline)) static unsigned local_target(unsigned x) { return x + 1; }

unsigned bench_import_loop(unsigned n) {
  unsigned acc = 0;
  for (unsigned i = 0; i < n; ++i) acc = plt_target(acc ^ i);
  return acc;
}

unsigned bench_local_loop(unsigned n) {
  unsigned acc = 0;
  for (unsigned i = 0; i < n; ++i) acc = local_target(acc ^ i);
  return acc;
}
