int lib_missing_too(void);
int lib_ok(void) { return lib_missing_too(); }
