// Lazily loaded by eh_main: a plain function and one that throws.
#include <stdexcept>
#include <string>

int eh_a_value(int x) { return x * 7; }

void eh_a_throw(const char* what) { throw std::runtime_error(std::string(what) + " (lazy)"); }
