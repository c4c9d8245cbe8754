// What main was linked against: sig_fn(int). The libsig.wasm shipped
// next to main (lib.c) has sig_fn(int, int).
int sig_fn(int a) { return a; }
