// The library half of `basics`: calls into main, main's data, constructors,
// weak definitions.
#include <stdio.h>

extern int main_counter;          // main's data, written by our constructor
int main_callback(int x);         // main's function, called from here
const char* who_wins(void);       // weak here, strong in main

int lib_value = 10;               // read by main
int lib_ctor_saw_main_counter = -1;

__attribute__((constructor)) static void lib_init(void) {
  // Dependencies' constructors run first: main's data is initialised (data
  // segments), main's constructors have not run yet.
  lib_ctor_saw_main_counter = main_counter;
  main_counter += 100;
  lib_value += 5;
}

int lib_add(int a, int b) { return a + b; }

int lib_calls_main(int x) { return main_callback(x) * 2; }

__attribute__((weak)) const char* who_wins(void) { return "lib"; }

const char* lib_asks_who_wins(void) { return who_wins(); }

__attribute__((weak)) extern int missing_weak_fn(void);
__attribute__((weak)) extern int missing_weak_data;

int lib_sees_weak_undefined(void) {
  return missing_weak_fn == 0 && &missing_weak_data == 0;
}

// An export whose name is an array index: JS objects list such properties
// before all others, so the loader cannot read export order off the
// instance's exports object for this module.
__attribute__((export_name("7"))) int lib_numbered(void) { return 7; }
