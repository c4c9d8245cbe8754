int corrupt_fn(void) { return 1; }
static int table[256] = {1, 2, 3};
int corrupt_data(int i) { return table[i & 255]; }
