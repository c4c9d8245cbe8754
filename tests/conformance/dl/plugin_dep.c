// Needed by libplugin_local: resolves inside the plugin's local scope.
int dep_fn(void) { return 1000; }
