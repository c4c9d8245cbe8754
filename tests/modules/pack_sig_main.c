// Declares pack_lib_work with two parameters; pack_lib defines it with one:
// pack refuses the pair (signature mismatch).
int pack_lib_work(int x, int y);

int main(void) { return pack_lib_work(1, 2) == 7 ? 0 : 1; }
