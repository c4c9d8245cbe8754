// Resolves global_fn from the global scope (libplugin_global, opened earlier).
int global_fn(void);
int uses_global(void) { return global_fn() + 1; }
