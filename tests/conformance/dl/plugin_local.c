// Opened with RTLD_LOCAL: its symbols are reachable through its handle only.
int host_api(void);  // main's
int dep_fn(void);    // libplugin_dep's (NEEDED)
int plugin_value = 123;
int plugin_fn(int x) { return x + plugin_value + host_api() + dep_fn(); }
