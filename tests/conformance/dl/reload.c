// Loaded, unloaded and loaded again through lazylink.h.
int reload_counter;
__attribute__((constructor)) static void reload_init(void) { reload_counter += 10; }
int reload_bump(void) { return ++reload_counter; }
