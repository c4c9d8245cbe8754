// sleep_exports: emscripten_sleep blocks for at least the time asked and
// the program goes on where it was (no Asyncify); emscripten_get_exported_function
// finds a function by its JS name (`_name`) in this module or a library, as
// the same pointer each time, and NULL for a name no module defines;
// emscripten_lazy_load_code returns (there is nothing more to load).
#include <emscripten.h>
#include <emscripten/exports.h>
#include <stdio.h>

EMSCRIPTEN_KEEPALIVE int main_answer(void) { return 7; }
int lib_answer(void);

typedef int (*answer_fn)(void);

int main(void) {
  int local = 5;
  double t0 = emscripten_get_now();
  emscripten_sleep(40);
  double slept = emscripten_get_now() - t0;
  printf("sleep: at least 40 ms %s, local %d\n", slept >= 39.5 ? "yes" : "no", local);

  answer_fn m = (answer_fn)emscripten_get_exported_function("_main_answer");
  answer_fn l = (answer_fn)emscripten_get_exported_function("_lib_answer");
  answer_fn l2 = (answer_fn)emscripten_get_exported_function("_lib_answer");
  printf("exported: main_answer %d, lib_answer %d, same pointer %s, direct %d\n",
         m ? m() : -1, l ? l() : -1, l == l2 ? "yes" : "no", lib_answer());
  printf("exported: missing %s\n", emscripten_get_exported_function("_no_such_function") ? "found" : "NULL");

  emscripten_lazy_load_code();
  printf("lazy_load_code: returned\n");
  return 0;
}
