// lazylink: which module is the standard library, and which variant an app
// needs. One rule for the linker (the implicit NEEDED of every load), the
// packer (`lazylink pack` adds the variant when none is given) and the JS
// edge (web/domain.mjs adopts the instance whose name is one of these).
//
//   if (link::IsStandardLibrary(name)) ...            // "libstd.wasm", "libstd-eh.wasm"
//   const char* lib = link::UsesJsExceptions(module) ? link::kLibstdExceptions : link::kLibstd;
#ifndef LAZYLINK_LINK_STANDARD_LIBRARY_H_
#define LAZYLINK_LINK_STANDARD_LIBRARY_H_

#include <string_view>

#include "loader/wasm/module.h"

namespace lazylink::link {

// libc, dlmalloc, libc++ and libc++abi without exceptions (a throw aborts).
inline constexpr const char* kLibstd = "libstd.wasm";
// The same with Emscripten's JS-based C++ exceptions (runtime/libstd).
inline constexpr const char* kLibstdExceptions = "libstd-eh.wasm";

inline bool IsStandardLibrary(std::string_view name) {
  return name == kLibstd || name == kLibstdExceptions;
}

// The import a module compiled with -fexceptions makes, through which it
// needs the exceptions variant: throwing (__cxa_throw), catching
// (__cxa_begin_catch, __cxa_find_matching_catch_N, which every landing pad
// calls, cleanups included) or rethrowing (__resumeException). invoke_*
// alone is not enough: C code using setjmp/longjmp imports those too and
// runs with either variant.
inline bool IsJsExceptionImport(std::string_view field) {
  return field == "__cxa_throw" || field == "__cxa_begin_catch" || field == "__resumeException" ||
         field.substr(0, 26) == "__cxa_find_matching_catch_";
}

// The first function import from env that makes `module` need the
// exceptions variant, or nullptr.
inline const wasm::Import* JsExceptionImport(const wasm::Module& module) {
  for (const wasm::Import& imp : module.imports) {
    if (imp.kind == wasm::ExternalKind::kFunc && imp.module == "env" && IsJsExceptionImport(imp.field)) {
      return &imp;
    }
  }
  return nullptr;
}

inline bool UsesJsExceptions(const wasm::Module& module) { return JsExceptionImport(module) != nullptr; }

}  // namespace lazylink::link

#endif  // LAZYLINK_LINK_STANDARD_LIBRARY_H_
