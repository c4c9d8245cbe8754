// Lives in far/: dlopen()ed by name, found through --path.
int far_plugin(int x) { return x * 3; }
