// Throws and catches C++ exceptions (std::stoi on bad input throws
// std::invalid_argument): needs the standard library with exceptions.
#include <cstdio>
#include <stdexcept>
#include <string>

int pack_eh_parse(const char* text, int fallback) {
  try {
    return std::stoi(std::string(text));
  } catch (const std::invalid_argument& e) {
    std::printf("pack_eh_lib: caught invalid_argument for \"%s\"\n", text);
    return fallback;
  }
}
