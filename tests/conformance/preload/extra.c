// Given with --lib: loaded before main as if main were linked against it.
int extra_value = 31;
int extra_fn(int x) { return x + extra_value; }
