// EM_ASM, EM_JS and a JS library (--js-library library.js) in side modules
// that emcc would refuse to link: built with lazylink_add_module(... EM_JS)
// (emcc -c, then wasm-ld -shared), evaluated by the loader.
#include <emscripten.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lib_strlen(const char* s);
double lib_hypot(double a, double b);
void lib_greet(char* buf, int size, const char* who);
int lib_count(void);

// From library.js (a JS library, as for emcc --js-library).
int jslib_mul(int a, int b);
double jslib_mean3(double a, double b, double c);
int jslib_counter(void);

EM_JS(int, add_js, (int a, int b), { return a + b; });
EM_JS(double, scale_js, (double x, int k), { return x * k; });
EM_JS(void, shout_js, (const char* text), { out(UTF8ToString(text).toUpperCase()); });
EM_JS(int, no_args_js, (void), { return 42; });
// Returns a malloc'ed copy of a JS string.
EM_JS(char*, make_string_js, (int n), {
  var s = "x".repeat(n) + "|" + n;
  var size = lengthBytesUTF8(s) + 1;
  var p = _malloc(size);
  stringToUTF8(s, p, size);
  return p;
});

// Called from JavaScript by name (`_c_callback`), as Emscripten's exported
// functions are.
EMSCRIPTEN_KEEPALIVE int c_callback(int x) { return x * 10; }
EMSCRIPTEN_KEEPALIVE int c_data[4] = {7, 8, 9, 10};

int main(void) {
  // EM_ASM with ints, a string and a double; out() is stdout.
  EM_ASM(out('EM_ASM: ' + $0 + ' ' + UTF8ToString($1) + ' ' + $2), 7, "seven", 7.5);
  EM_ASM({ out('no arguments'); });
  // Under lazylink run (Node and --browser), as under Node: stdout.
  EM_ASM(console.log('console.log', $0), 1);
  int sum = EM_ASM_INT({ return $0 + $1 + $2; }, 1, 2, 3);
  double prod = EM_ASM_DOUBLE({ return $0 * $1; }, 1.25, 4.0);
  // Mixed i32 and f64 arguments: the doubles are 8-aligned in the buffer.
  double mixed = EM_ASM_DOUBLE({ return $0 + $1 + $2 + $3; }, 1, 0.5, 2, 0.25);
  printf("EM_ASM_INT %d, EM_ASM_DOUBLE %g, mixed %g\n", sum, prod, mixed);

  MAIN_THREAD_EM_ASM({ Module.answer = $0; }, 41);
  int answer = MAIN_THREAD_EM_ASM_INT({ return Module.answer + 1; });
  double half = MAIN_THREAD_EM_ASM_DOUBLE({ return $0 / 2; }, 5);
  MAIN_THREAD_ASYNC_EM_ASM({ Module.async = $0; }, 3);
  printf("MAIN_THREAD_EM_ASM %d %g %d\n", answer, half, EM_ASM_INT({ return Module.async; }));

  // Memory views stay valid when memory grows between calls.
  int* big = malloc(64 << 20);
  big[1000] = 1234;
  printf("after growth: %d\n", EM_ASM_INT({ return HEAP32[($0 >> 2) + 1000]; }, big));
  free(big);

  // The same block compiled once, called many times.
  int total = 0;
  for (int i = 0; i < 1000; i++) total += EM_ASM_INT({ return $0 * 2; }, i);
  printf("loop %d\n", total);

  // Symbols by their JS names.
  printf("callback %d, data %d\n", EM_ASM_INT({ return _c_callback($0); }, 5),
         EM_ASM_INT({ return HEAP32[(_c_data >> 2) + 3] + Module._c_callback(1); }));

  // EM_JS.
  printf("add_js %d, scale_js %g, no_args_js %d\n", add_js(20, 22), scale_js(1.5, 3), no_args_js());
  shout_js("quiet words");
  char* s = make_string_js(3);
  printf("make_string_js %s\n", s);
  free(s);

  // A library module's EM_JS and EM_ASM.
  char buf[32];
  lib_greet(buf, sizeof buf, "world");
  printf("lib: %d %g %s\n", lib_strlen("héllo"), lib_hypot(3, 4), buf);
  lib_greet(buf, 8, "truncated");
  printf("lib truncated: %s (%zu)\n", buf, strlen(buf));
  lib_count();
  printf("lib_count %d\n", lib_count());

  // The JS library.
  printf("jslib_mul %d, jslib_mean3 %g\n", jslib_mul(6, 7), jslib_mean3(1, 2, 4.5));
  jslib_counter();
  printf("jslib_counter %d\n", jslib_counter());
  fflush(stdout);
  return 0;
}
