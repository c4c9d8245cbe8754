// The library half of `exceptions`: throws, catches and rethrows across
// the module boundary, with destructors on the unwound frames.
#include <cstdio>
#include <exception>

#include "errors.h"

LibError::~LibError() {}
Base::~Base() {}
Other::~Other() {}
Derived::~Derived() {}

int lib_destructors_run = 0;
namespace {
struct Guard {
  ~Guard() { lib_destructors_run++; }
};
}  // namespace

void lib_throw_runtime(const char* what) {
  Guard g;
  throw std::runtime_error(what);
}

void lib_throw_custom(int code) {
  Guard g;
  throw LibError("custom failure", code);
}

static Derived the_derived;
void lib_throw_derived_pointer() { throw &the_derived; }

int lib_catch_from(void (*fn)()) {
  try {
    Guard g;
    fn();
  } catch (int n) {
    return n;
  } catch (const std::exception& e) {
    std::printf("lib caught std::exception: %s\n", e.what());
    return -1;
  } catch (...) {
    return -2;
  }
  return 0;
}

void lib_rethrow_wrapped(void (*fn)()) {
  try {
    fn();
  } catch (...) {
    std::printf("lib caught, rethrowing (uncaught_exceptions=%d)\n", std::uncaught_exceptions());
    throw;
  }
}

std::exception_ptr lib_capture(void (*fn)()) {
  try {
    fn();
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

namespace {
struct Probe {
  int* seen;
  ~Probe() { *seen = std::uncaught_exceptions(); }
};
}  // namespace

int lib_uncaught_in_destructor(void (*fn)()) {
  int seen = -1;
  try {
    Probe p{&seen};
    fn();
  } catch (...) {
  }
  return seen;
}

long long lib_checked_div(long long a, long long b) {
  if (b == 0) throw std::domain_error("division by zero");
  return a / b;
}

long long lib_apply64(long long (*fn)(long long), long long x) {
  try {
    return fn(x);
  } catch (long long v) {
    return -v;
  }
}
