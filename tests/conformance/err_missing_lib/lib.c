int gone_fn(void) { return 1; }
