// Lazily loaded by eh_main: its first call throws.
#include <stdexcept>
#include <string>

int eh_b_throw_first(int x) {
  throw std::out_of_range("libeh_b refuses " + std::to_string(x));
}
