// A library module with its own EM_JS functions and EM_ASM blocks: its
// strings live in its own data, at an address only the loader knows.
#include <emscripten.h>

EM_JS(int, lib_strlen_js, (const char* s), { return lengthBytesUTF8(UTF8ToString(s)); });
EM_JS(double, lib_hypot_js, (double a, double b), { return Math.hypot(a, b); });
// Writes a greeting into buf (malloc'ed by the caller) with stringToUTF8.
EM_JS(void, lib_greet_js, (char* buf, int size, const char* who), {
  stringToUTF8("hello, " + UTF8ToString(who) + "!", buf, size);
});

int lib_strlen(const char* s) { return lib_strlen_js(s); }
double lib_hypot(double a, double b) { return lib_hypot_js(a, b); }
void lib_greet(char* buf, int size, const char* who) { lib_greet_js(buf, size, who); }

// EM_ASM in a library: counts its calls in Module (shared by the domain).
int lib_count(void) {
  return EM_ASM_INT({
    Module.libCalls = (Module.libCalls || 0) + 1;
    return Module.libCalls;
  });
}
