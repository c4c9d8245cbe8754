// The base of `diamond`'s NEEDED diamond: must be loaded once.
int base_init_count;
int base_shared = 5;
__attribute__((constructor)) static void base_init(void) { base_init_count++; }
int* base_address(void) { return &base_shared; }
