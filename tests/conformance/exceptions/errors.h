// Exception types shared by `exceptions`' modules (their RTTI lives in the
// library).
#pragma once
#include <stdexcept>
#include <string>

struct LibError : std::logic_error {
  LibError(const std::string& what, int code) : std::logic_error(what), code(code) {}
  ~LibError() override;
  int code;
};

struct Base {
  virtual ~Base();
  int tag = 1;
};
struct Other {
  virtual ~Other();
  int other = 2;
};
struct Derived : Other, Base {  // Base is not at offset 0: pointer adjustment
  ~Derived() override;
};

void lib_throw_runtime(const char* what);
void lib_throw_custom(int code);
void lib_throw_derived_pointer();
int lib_catch_from(void (*fn)());           // calls fn, catches int/std::exception/... in the library
void lib_rethrow_wrapped(void (*fn)());     // catches and rethrows with `throw;`
std::exception_ptr lib_capture(void (*fn)());
int lib_uncaught_in_destructor(void (*fn)());
long long lib_checked_div(long long a, long long b);  // i64 through invoke_
long long lib_apply64(long long (*fn)(long long), long long x);
extern int lib_destructors_run;
