// exit_in_ctor: exit() in the constructor of a dlopen()ed library ends the
// program with its status (it is not a failed dlopen).
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
static void main_at_exit(void) { printf("main's atexit handler\n"); }
int main(void) {
  atexit(main_at_exit);
  printf("before dlopen\n");
  void* h = dlopen("libquit.wasm", RTLD_NOW);
  printf("not reached: %p %s\n", h, h ? "" : dlerror());
  return 0;
}
