// The libsig.wasm shipped with err_signature, rebuilt with another signature.
int sig_fn(int a, int b) { return a + b; }
