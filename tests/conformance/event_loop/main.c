// event_loop: callbacks scheduled from C run after main returns
// (emscripten_set_timeout, _set_interval, _set_immediate, _async_call, a
// main loop), in time order, and the program ends when none is left, with
// stdio flushed and atexit handlers run.
#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <stdio.h>
#include <stdlib.h>

static int ticks;
static long interval;

static void bye(void) { printf("atexit after the last callback\n"); }
static void later(void* arg) { printf("timeout %s\n", (const char*)arg); }
static void never(void* arg) { (void)arg; printf("cleared timeout ran\n"); }
static void tick(void* arg) {
  (void)arg;
  printf("interval %d\n", ++ticks);
  if (ticks == 3) emscripten_clear_interval(interval);
}
// The interval starts from the immediate, so that the order does not
// depend on how long main took.
static void now(void* arg) {
  printf("immediate %d\n", *(int*)arg);
  interval = emscripten_set_interval(tick, 10, NULL);
}
static void async_call(void* arg) { printf("async_call %s\n", (const char*)arg); }
static int frames;
static void frame(void) {
  printf("main loop frame %d\n", ++frames);
  if (frames == 2) emscripten_cancel_main_loop();
}
static void start_loop(void* arg) {
  (void)arg;
  emscripten_set_main_loop(frame, 100, 0);
}

int main(void) {
  static int seven = 7;
  atexit(bye);
  emscripten_set_timeout(later, 600, "600ms");
  emscripten_set_timeout(later, 300, "300ms");
  long id = emscripten_set_timeout(never, 10, NULL);
  emscripten_clear_timeout(id);
  emscripten_set_immediate(now, &seven);
  emscripten_async_call(async_call, "900ms", 900);
  emscripten_async_call(start_loop, NULL, 1200);
  printf("main returns\n");
  return 0;
}
