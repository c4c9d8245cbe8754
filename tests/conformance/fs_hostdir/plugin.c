// Loaded with dlopen() from the program's file system (not the search path).
int fs_plugin_answer(int x) { return x * 6 + 0; }
