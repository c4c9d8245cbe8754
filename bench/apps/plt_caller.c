// The caller of the PLT call-cost benchmark. The same binary is loaded in
// every configuration; only what its imports `plt_target` and `plt_work` are
// bound to changes: the callee's exports (eager), PLT entries (lazy, after
// the first call resolved them), or JS functions forwarding to the exports.
unsigned plt_target(unsigned x);
unsigned plt_work(unsigned x);

// The same loop around a call to a function of this module (which V8 may
// inline): what the loop itself costs.
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

unsigned bench_work_loop(unsigned n) {
  unsigned acc = 1;
  for (unsigned i = 0; i < n; ++i) acc = plt_work(acc + i);
  return acc;
}
