// The callees of the PLT call-cost benchmark: loaded eagerly, lazily (bound
// on first call through a PLT entry), or reached through a JS function.
//   plt_target: as cheap as a function gets (the call is all there is)
//   plt_work:   a few nanoseconds of real work (two xorshift rounds)
unsigned plt_target(unsigned x) { return x + 1; }

unsigned plt_work(unsigned x) {
  for (int i = 0; i < 2; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
  }
  return x;
}
