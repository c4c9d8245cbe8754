// Linked into libstd.wasm: the few functions lazylink's host runtime needs
// from libc internals that Emscripten's libc keeps hidden, and the C half of
// the public API (runtime/include/lazylink.h; the host half is
// runtime/host/lazylink_api.mjs).
#include <dlfcn.h>
#include <emscripten/console.h>
#include <stddef.h>
#include <string.h>

#include "lazylink.h"

// musl internals (hidden in libc.a; visible within this module's link).
void __funcs_on_exit(void);
void __stdio_exit(void);
void __dl_seterr(const char*, ...);

// Host functions (runtime/host/lazylink_api.mjs, runtime/host/emscripten.mjs).
int _lazylink_close_js(void* handle);
int _lazylink_prefetch_js(const char* name);
void _lazylink_console_js(int kind, const char* text);

#define LAZYLINK_EXPORT __attribute__((used, visibility("default")))

// Emscripten's console functions (emscripten/console.h), defined here on
// one host function rather than imported one by one: libc takes their
// addresses (emscripten_console_logf & co.), and a function libstd defines
// has its table slot in libstd's own element segment (`bind-local
// --own-slots-all`), where a host import would need a PLT thunk.
enum { kConsoleLog, kConsoleWarn, kConsoleError, kStdout, kStderr };
LAZYLINK_EXPORT void emscripten_console_log(const char* text) { _lazylink_console_js(kConsoleLog, text); }
LAZYLINK_EXPORT void emscripten_console_warn(const char* text) { _lazylink_console_js(kConsoleWarn, text); }
LAZYLINK_EXPORT void emscripten_console_error(const char* text) { _lazylink_console_js(kConsoleError, text); }
LAZYLINK_EXPORT void _emscripten_out(const char* text) { _lazylink_console_js(kStdout, text); }
LAZYLINK_EXPORT void _emscripten_err(const char* text) { _lazylink_console_js(kStderr, text); }

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

// --- lazylink.h --------------------------------------------------------------

static char last_error[1024];
static int has_error;

static void clear_error(void) { has_error = 0; }

// Takes the failure's text from dlerror(), where dlopen/dlsym and the host
// functions put it.
static void keep_dlerror(const char* fallback) {
  const char* text = dlerror();
  if (!text) text = fallback;
  strncpy(last_error, text, sizeof last_error - 1);
  last_error[sizeof last_error - 1] = '\0';
  has_error = 1;
}

LAZYLINK_EXPORT lazylink_module* lazylink_load(const char* name, int flags) {
  if (!name || !*name) {
    strcpy(last_error, "lazylink_load: empty module name");
    has_error = 1;
    return NULL;
  }
  if (!(flags & (RTLD_NOW | RTLD_LAZY))) flags |= RTLD_NOW;
  dlerror();
  void* handle = dlopen(name, flags);
  if (!handle) {
    keep_dlerror("lazylink_load: failed");
    return NULL;
  }
  clear_error();
  return (lazylink_module*)handle;
}

LAZYLINK_EXPORT int lazylink_prefetch(const char* name) {
  dlerror();
  if (_lazylink_prefetch_js(name ? name : "") != 0) {
    keep_dlerror("lazylink_prefetch: failed");
    return -1;
  }
  clear_error();
  return 0;
}

LAZYLINK_EXPORT void* lazylink_sym(lazylink_module* module, const char* name) {
  dlerror();
  void* p = dlsym(module ? (void*)module : RTLD_DEFAULT, name);
  if (!p) {
    keep_dlerror("lazylink_sym: not found");
    return NULL;
  }
  clear_error();
  return p;
}

LAZYLINK_EXPORT const char* lazylink_error(void) { return has_error ? last_error : NULL; }

LAZYLINK_EXPORT int lazylink_close(lazylink_module* module) {
  dlerror();
  if (!module || _lazylink_close_js(module) != 0) {
    if (!module) __dl_seterr("%s", "lazylink_close: null handle");
    keep_dlerror("lazylink_close: failed");
    return -1;
  }
  clear_error();
  return 0;
}
