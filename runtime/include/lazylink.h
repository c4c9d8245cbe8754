/* lazylink.h: what a C or C++ program running under lazylink can ask of its
 * dynamic linker beyond POSIX <dlfcn.h>: load a module by name, start
 * fetching one before it is needed, look up symbols, read the last error,
 * and really unload (POSIX dlclose() keeps the library loaded).
 *
 *   #include <lazylink.h>
 *
 *   lazylink_prefetch("libfilters.wasm");      // early, e.g. at start-up
 *   ...
 *   lazylink_module* m = lazylink_load("libfilters.wasm", LAZYLINK_LOCAL);
 *   if (!m) { fprintf(stderr, "%s\n", lazylink_error()); return 1; }
 *   int (*blur)(int) = (int (*)(int))lazylink_sym(m, "blur");
 *   blur(3);
 *   lazylink_close(m);                         // memory and table slots go back
 *
 * The functions live in libstd.wasm, which every lazylink program links
 * against; there is nothing to add to the link, only the include path
 * (-I<lazylink>/runtime/include). Handles are the same as
 * dlopen()'s: a handle from one API works with the other. Names are looked
 * up like NEEDED entries and dlopen() names: the directories given to the
 * loader (`lazylink run --path`), then the directory of the main module.
 * Not thread-safe (lazylink runs programs on one thread).
 */
#ifndef LAZYLINK_H_
#define LAZYLINK_H_

#ifdef __cplusplus
extern "C" {
#endif

/* A loaded module (the same handle dlopen() returns). */
typedef struct lazylink_module lazylink_module;

/* Flags for lazylink_load; the values are <dlfcn.h>'s. */
#define LAZYLINK_LOCAL 0x000  /* RTLD_LOCAL: symbols only for lazylink_sym on the handle */
#define LAZYLINK_GLOBAL 0x100 /* RTLD_GLOBAL: symbols join the global scope */
#define LAZYLINK_NOW 0x002    /* RTLD_NOW; implied when neither NOW nor LAZY is given */
#define LAZYLINK_LAZY 0x001   /* RTLD_LAZY */

/* Loads `name` and the modules it needs (NEEDED), runs their constructors
 * (dependencies first) and returns its handle; the handle of the already
 * loaded module if it is loaded. NULL on failure: lazylink_error() says
 * why (missing module, undefined symbol, signature mismatch, corrupt module
 * with the byte offset). A failed load leaves nothing loaded. */
lazylink_module* lazylink_load(const char* name, int flags);

/* Starts fetching `name` and its NEEDED closure so that a later
 * lazylink_load()/dlopen() of it, or a lazily bound call into it, does not
 * wait for the network. Nothing is instantiated or run. Where the loader
 * may block (Node, Web Workers), the bytes are in hand when it returns;
 * on a browser's main thread the fetch continues in the background.
 * Returns 0 (started, done, or already loaded), or -1 if the module cannot
 * be found or read (lazylink_error() says why). */
int lazylink_prefetch(const char* name);

/* The address of symbol `name`: a data address, or a function pointer
 * (its canonical table index: the same value &f has in any module).
 * `module` NULL searches the global scope (RTLD_DEFAULT). NULL if not
 * found (lazylink_error() says why). */
void* lazylink_sym(lazylink_module* module, const char* name);

/* The reason the last lazylink_* call that failed failed, or NULL if the
 * most recent call succeeded. The text stays valid until the next call. */
const char* lazylink_error(void);

/* Drops the handle's reference. When nothing else uses the module (no
 * other handle, no module bound to it), it is unloaded: its symbols leave
 * their scope, its memory and table slots are given back, and a later load
 * of the same name loads it afresh. Pointers into it become invalid.
 * Static destructors of the module are not run. Returns 0, or -1 for an
 * invalid handle (lazylink_error()). */
int lazylink_close(lazylink_module* module);

#ifdef __cplusplus
}
#endif

#endif /* LAZYLINK_H_ */
