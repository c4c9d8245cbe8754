// Opened with RTLD_GLOBAL: its symbols join the global scope.
int global_fn(void) { return 77; }
