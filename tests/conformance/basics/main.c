// basics: calls both ways, data symbols across modules (one changed by a
// constructor in the other), constructor order, weak definitions (main's
// wins) and weak undefined symbols (null), argc/argv.
#include <stdio.h>
#include <string.h>

extern int lib_value;
extern int lib_ctor_saw_main_counter;
int lib_add(int a, int b);
int lib_calls_main(int x);
const char* lib_asks_who_wins(void);
int lib_sees_weak_undefined(void);
__attribute__((import_module("env"), import_name("7"))) int lib_export_named_7(void);

int main_counter = 1;
static int main_ctor_saw_lib_value = -1;

int main_callback(int x) { return x + main_counter; }

const char* who_wins(void) { return "main"; }

__attribute__((weak)) extern int missing_weak_fn(void);

__attribute__((constructor)) static void main_init(void) {
  main_ctor_saw_lib_value = lib_value;
}

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "set");
  printf("lib_add(2, 3)=%d\n", lib_add(2, 3));
  printf("lib_calls_main(5)=%d\n", lib_calls_main(5));
  printf("lib_value=%d\n", lib_value);
  printf("lib constructor saw main_counter=%d\n", lib_ctor_saw_main_counter);
  printf("main constructor saw lib_value=%d\n", main_ctor_saw_lib_value);
  printf("main_counter=%d\n", main_counter);
  lib_value = 42;
  printf("after main writes lib_value: lib_add(lib_value, 0)=%d\n", lib_add(lib_value, 0));
  printf("who_wins from main: %s\n", who_wins());
  printf("who_wins from lib: %s\n", lib_asks_who_wins());
  printf("weak undefined is null in main: %d\n", missing_weak_fn == 0);
  printf("weak undefined is null in lib: %d\n", lib_sees_weak_undefined());
  printf("export named \"7\": %d\n", lib_export_named_7());
  return 0;
}
