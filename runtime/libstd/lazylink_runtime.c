// Linked into libstd.wasm: the few functions lazylink's host runtime needs
// from libc internals that Emscripten's libc keeps hidden.
#include <stddef.h>

// musl internals (hidden in libc.a; visible within this module's link).
void __funcs_on_exit(void);
void __stdio_exit(void);
void __dl_seterr(const char*, ...);

#define LAZYLINK_EXPORT __attribute__((used, visibility("default")))

// What exit() does before the process ends: atexit handlers (in reverse
// order of registration), then flushing and closing stdio. The host calls it
// when main returns or the program calls exit().
LAZYLINK_EXPORT void lazylink_exit_runtime(void) {
  __funcs_on_exit();
  __stdio_exit();
}

// Sets the message the next dlerror() returns (for dlopen/dlsym failures
// the host reports).
LAZYLINK_EXPORT void lazylink_dl_seterr(const char* message) {
  __dl_seterr("%s", message);
}
