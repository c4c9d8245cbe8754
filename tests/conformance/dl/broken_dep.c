// Needed by libbroken, whose load fails: must leave nothing behind.
#include <stdio.h>
int broken_dep_fn(void) { return 5; }
__attribute__((constructor)) static void broken_dep_init(void) { puts("BUG: libbroken_dep's constructor ran"); }
