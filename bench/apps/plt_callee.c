// The callee of the PLT call-cost benchmark: loaded eagerly, lazily (bound
// on first call through a PLT entry), or reached through a JS function.
unsigned plt_target(unsigned x) { return x + 1; }
