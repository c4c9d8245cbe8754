// Throws what nobody catches.
#include <stdexcept>
void lib_fail() { throw std::runtime_error("boom"); }
