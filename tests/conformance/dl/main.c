// dl: dlopen with RTLD_LOCAL and RTLD_GLOBAL, dlsym of data and functions,
// the same handle for a second dlopen, failing dlopens (missing, unlinkable,
// corrupt) that leave nothing registered while the program goes on, and
// lazylink.h: prefetch, load, sym, error, close (a real unload) and reload.
#include <dlfcn.h>
#include <lazylink.h>
#include <stdio.h>
#include <string.h>

int host_api(void) { return 10; }

static int has(const char* text, const char* part) { return text && strstr(text, part) != NULL; }

int main(void) {
  // RTLD_LOCAL: through the handle only; its NEEDED library in its scope.
  void* local = dlopen("libplugin_local.wasm", RTLD_NOW | RTLD_LOCAL);
  printf("local plugin opened: %d\n", local != NULL);
  int* value = (int*)dlsym(local, "plugin_value");
  int (*fn)(int) = (int (*)(int))dlsym(local, "plugin_fn");
  printf("dlsym data: %d, function: %d\n", value ? *value : -1, fn ? fn(1) : -1);
  printf("local symbol hidden from RTLD_DEFAULT: %d\n", dlsym(RTLD_DEFAULT, "plugin_fn") == NULL);
  printf("dlopen again gives the same handle: %d\n",
         dlopen("libplugin_local.wasm", RTLD_NOW | RTLD_LOCAL) == local);

  // RTLD_GLOBAL: visible to dlsym(RTLD_DEFAULT) and to later libraries.
  void* global = dlopen("libplugin_global.wasm", RTLD_NOW | RTLD_GLOBAL);
  int (*gfn)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "global_fn");
  printf("global plugin: %d, RTLD_DEFAULT finds global_fn: %d\n", global != NULL, gfn ? gfn() : -1);
  void* user = dlopen("libuses_global.wasm", RTLD_NOW);
  int (*ug)(void) = (int (*)(void))dlsym(user, "uses_global");
  printf("a later library binds to it: %d\n", ug ? ug() : -1);
  printf("dlsym of main's own function: %d\n", dlsym(RTLD_DEFAULT, "host_api") == (void*)host_api);

  // Failures: the program continues.
  void* missing = dlopen("libnothere.wasm", RTLD_NOW);
  const char* err = dlerror();
  printf("missing library: handle %s, message names it %d, says not found %d\n",
         missing ? "set" : "NULL", has(err, "libnothere.wasm"), has(err, "not found"));
  printf("dlerror is cleared after reading: %d\n", dlerror() == NULL);

  for (int attempt = 1; attempt <= 2; attempt++) {
    void* broken = dlopen("libbroken.wasm", RTLD_NOW | RTLD_GLOBAL);
    err = dlerror();
    printf("unlinkable library (attempt %d): handle %s, names the symbol %d, names the module %d\n",
           attempt, broken ? "set" : "NULL", has(err, "broken_missing_symbol"),
           has(err, "libbroken.wasm"));
  }
  printf("nothing registered: broken_fn %d, broken_dep_fn %d\n",
         dlsym(RTLD_DEFAULT, "broken_fn") == NULL, dlsym(RTLD_DEFAULT, "broken_dep_fn") == NULL);
  int not_found = lazylink_sym(NULL, "broken_dep_fn") == NULL;
  printf("lazylink_sym agrees: %d, error names the symbol %d\n", not_found,
         has(lazylink_error(), "broken_dep_fn"));

  void* corrupt = dlopen("libtruncated.wasm", RTLD_NOW);
  err = dlerror();
  printf("corrupt library: handle %s, names it %d, gives the offset %d\n", corrupt ? "set" : "NULL",
         has(err, "libtruncated.wasm"), has(err, "offset 0x"));

  // lazylink.h
  int rc = lazylink_prefetch("libreload.wasm");
  printf("prefetch: %d, error after success is NULL: %d\n", rc, lazylink_error() == NULL);
  rc = lazylink_prefetch("libabsent.wasm");
  printf("prefetch of a missing module: %d, names it %d\n", rc,
         has(lazylink_error(), "libabsent.wasm"));
  lazylink_module* m = lazylink_load("libreload.wasm", LAZYLINK_LOCAL);
  int (*bump)(void) = (int (*)(void))lazylink_sym(m, "reload_bump");
  int* counter = (int*)lazylink_sym(m, "reload_counter");
  int before = counter ? *counter : -1;
  printf("loaded: counter %d, bump %d\n", before, bump ? bump() : -1);
  printf("lazylink_load of a loaded module gives its handle: %d\n",
         lazylink_load("libreload.wasm", LAZYLINK_LOCAL) == m);
  printf("close: %d\n", lazylink_close(m));
  not_found = lazylink_sym(m, "reload_bump") == NULL;
  printf("handle invalid after close: %d, says so %d\n", not_found,
         has(lazylink_error(), "invalid handle"));
  printf("close again fails: %d\n", lazylink_close(m));
  m = lazylink_load("libreload.wasm", LAZYLINK_LOCAL);
  bump = (int (*)(void))lazylink_sym(m, "reload_bump");
  counter = (int*)lazylink_sym(m, "reload_counter");
  before = counter ? *counter : -1;
  printf("reloaded fresh: counter %d, bump %d\n", before, bump ? bump() : -1);
  lazylink_module* absent = lazylink_load("libabsent.wasm", LAZYLINK_GLOBAL);
  printf("lazylink_load of a missing module: %s, error names it %d\n", absent ? "set" : "NULL",
         has(lazylink_error(), "libabsent.wasm"));
  return 0;
}
