// search_path: `lazylink run --path DIR` is searched for NEEDED libraries
// and dlopen() names that are not next to the main module.
#include <dlfcn.h>
#include <stdio.h>
int far_value(void);
int main(void) {
  printf("NEEDED from --path: %d\n", far_value());
  void* h = dlopen("libfarplugin.wasm", RTLD_NOW);
  int (*fn)(int) = h ? (int (*)(int))dlsym(h, "far_plugin") : NULL;
  printf("dlopen from --path: %d\n", fn ? fn(5) : -1);
  return 0;
}
