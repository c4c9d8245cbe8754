// err_signature: the import's type differs from the export's: a link error
// naming both modules, the symbol and both signatures.
int sig_fn(int a);  // the library defines sig_fn(int, int)
int main(void) { return sig_fn(1); }
