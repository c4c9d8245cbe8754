// exceptions: C++ exceptions thrown in one module and caught in another,
// both ways: standard and custom types matched through RTTI across modules,
// base-class and pointer catches (with pointer adjustment), rethrow,
// std::exception_ptr, catch (...), destructors of unwound frames,
// std::uncaught_exceptions, and i64 values through invoke_. Built twice:
// here without WASM_BIGINT, and as exceptions_bigint with it.
#include <cstdio>
#include <exception>
#include <string>

#include "errors.h"

static void throw_int() { throw 42; }
static void throw_string() { throw std::string("a string"); }
static void throw_logic() { throw std::logic_error("from main"); }
static void call_lib_runtime() { lib_throw_runtime("via callback"); }
static void throw_custom() { lib_throw_custom(9); }
static long long throw_i64(long long x) {
  if (x > 100) throw x * 2;
  return x + 1;
}

int main() {
  try {
    lib_throw_runtime("thrown in lib");
  } catch (const std::exception& e) {
    std::printf("main caught std::exception: %s\n", e.what());
  }
  try {
    lib_throw_custom(7);
  } catch (const LibError& e) {
    std::printf("main caught LibError: %s code %d\n", e.what(), e.code);
  }
  try {
    lib_throw_custom(8);
  } catch (const std::logic_error& e) {
    std::printf("main caught LibError as std::logic_error: %s\n", e.what());
  }
  try {
    lib_throw_derived_pointer();
  } catch (Base* b) {
    // tag is 1 only if the pointer was adjusted to the Base subobject.
    Other* o = dynamic_cast<Other*>(b);
    std::printf("main caught Derived* as Base*: tag %d, cross-cast to Other %d\n", b->tag,
                o ? o->other : -1);
  }
  std::printf("lib catches main's int: %d\n", lib_catch_from(throw_int));
  std::printf("lib catches main's std::logic_error: %d\n", lib_catch_from(throw_logic));
  std::printf("lib catches std::string with catch (...): %d\n", lib_catch_from(throw_string));
  std::printf("lib catches its own, thrown through main: %d\n", lib_catch_from(call_lib_runtime));
  try {
    lib_rethrow_wrapped(throw_custom);
  } catch (const LibError& e) {
    std::printf("main caught the rethrown LibError: code %d\n", e.code);
  }
  std::exception_ptr p = lib_capture(throw_logic);
  try {
    std::rethrow_exception(p);
  } catch (const std::logic_error& e) {
    std::printf("main rethrew a captured exception_ptr: %s\n", e.what());
  }
  p = nullptr;
  std::printf("uncaught_exceptions during unwinding in lib: %d\n",
              lib_uncaught_in_destructor(throw_int));
  std::printf("destructors of unwound lib frames: %d\n", lib_destructors_run);
  // i64 arguments and results through invoke_ (split in halves without
  // WASM_BIGINT, BigInts with it: this program is built both ways).
  try {
    std::printf("i64 through invoke: %lld\n", lib_checked_div(-50000000000LL, 7));
    lib_checked_div(1, 0);
  } catch (const std::domain_error& e) {
    std::printf("main caught std::domain_error: %s\n", e.what());
  }
  std::printf("lib_apply64: %lld %lld\n", lib_apply64(throw_i64, 5), lib_apply64(throw_i64, 5000000000LL));
  std::printf("uncaught_exceptions at the end: %d\n", std::uncaught_exceptions());
  return 0;
}
