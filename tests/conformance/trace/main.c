// trace: the emscripten_trace_* API of a program built with --tracing
// (here -D__EMSCRIPTEN_TRACING__=1, what --tracing defines): in test mode
// every event is printed as Emscripten prints it; before that, and after
// emscripten_trace_close(), nothing is.
#include <emscripten/trace.h>
#include <stdio.h>
int main(void) {
  emscripten_trace_mark("not configured: not printed");
  emscripten_trace_configure_for_test();
  emscripten_trace_enter_context("Application Startup");
  emscripten_trace_log_message("Application", "starting up");
  emscripten_trace_exit_context();
  emscripten_trace_record_frame_start();
  emscripten_trace_record_frame_end();
  emscripten_trace_task_start(7, "load");
  emscripten_trace_task_associate_data("file", "a.txt");
  emscripten_trace_task_suspend("waiting");
  emscripten_trace_task_resume(7, "ready");
  emscripten_trace_task_end();
  emscripten_trace_record_allocation((void*)4096, 32);
  emscripten_trace_annotate_address_type((void*)4096, "Node");
  emscripten_trace_record_free((void*)4096);
  emscripten_trace_set_enabled(0);
  emscripten_trace_mark("disabled: not printed");
  emscripten_trace_set_enabled(1);
  emscripten_trace_mark("enabled again");
  emscripten_trace_close();
  emscripten_trace_mark("closed: not printed");
  printf("done\n");
  return 0;
}
