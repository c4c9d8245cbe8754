// event_loop_exit: exit() from a callback ends the program at once with its
// status (atexit handlers run); callbacks still scheduled never run.
#include <emscripten/eventloop.h>
#include <stdio.h>
#include <stdlib.h>
static void never(void* arg) { (void)arg; printf("a callback after exit ran\n"); }
static void quit(void* arg) { (void)arg; printf("exit(3) from a callback\n"); exit(3); }
static void bye(void) { printf("atexit handler\n"); }
int main(void) {
  atexit(bye);
  emscripten_set_timeout(never, 300, NULL);
  emscripten_set_interval(never, 250, NULL);
  emscripten_set_timeout(quit, 10, NULL);
  printf("main returns\n");
  return 0;
}
