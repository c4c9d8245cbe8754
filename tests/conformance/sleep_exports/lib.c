// sleep_exports' library: a function the program finds by its JS name.
#include <emscripten.h>

EMSCRIPTEN_KEEPALIVE int lib_answer(void) { return 42; }
