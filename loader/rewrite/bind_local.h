// lazylink: local binding of a side module's calls to its own weak
// definitions (`lazylink bind-local`).
//
// wasm-ld imports every weak function a shared library defines, and routes
// the library's own calls to it through that import, so that another module
// could interpose a definition. For a library like libstd (thousands of weak
// definitions: musl's aliases, C++ inline and template functions) this means
// thousands of imports the loader must bind back to the library itself, and
// because the library is not instantiated yet when its imports are bound,
// every one of them goes through a PLT trampoline and an indirect call.
//
// BindLocal rewrites such a module so that its calls to a function it both
// imports and defines (the same name, the same type) call the definition
// directly; an import no longer used by anything is removed, and every
// function index in the module is renumbered. What is left alone:
//   - imports named in `keep` (exact names, or prefixes ending in '*'):
//     functions the module must still allow others to replace, e.g. the
//     replaceable allocation functions (malloc, operator new);
//   - address-taking (ref.func, element segments, GOT.func): function
//     pointers keep their canonical identity through the loader;
//   - the exports, data, memory, table and every other section (but see
//     immutable_got and slot_calls).
//
// With `slot_calls`, the module's calls to the named imported functions go
// through each function's canonical table slot instead, the way ELF code
// built with -fno-plt calls through the GOT: `call F` becomes
// `global.get GOT.func.F; call_indirect`. lazylink's linker points a lazily
// bound function's GOT.func entry at the slot that holds its resolver, then
// the function itself, so such a call skips the PLT trampoline once bound
// (`lazylink pack` does this for calls into lazy modules).
//
//   Expected<BindLocalResult> r = BindLocal(bytes, size, {"libstd.wasm", {"malloc"}});
#ifndef LAZYLINK_REWRITE_BIND_LOCAL_H_
#define LAZYLINK_REWRITE_BIND_LOCAL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "loader/support/expected.h"

namespace lazylink::rewrite {

struct BindLocalOptions {
  std::string name;               // for error messages ("libstd.wasm")
  std::vector<std::string> keep;  // names or "prefix*" patterns left preemptible
  // GOT.mem / GOT.func imports the module never writes become immutable, so
  // that a loader whose GOT values are final at instantiation (lazylink's)
  // can pass plain numbers instead of one WebAssembly.Global per entry.
  // Such a module needs that kind of loader: Emscripten's own updates GOT
  // entries after instantiation and needs them mutable.
  bool immutable_got = false;
  // Bind calls to the module's own weak definitions (the main job); off
  // when only slot_calls is wanted.
  bool bind_weak = true;
  // Imported functions (names or "prefix*") called through their GOT.func
  // slot. Weak imports and functions bound locally are left alone; an
  // immutable GOT.func import (lazylink's GOT values are final at
  // instantiation) and the function table's import are added where the
  // module lacks them.
  std::vector<std::string> slot_calls = {};
};

struct BindLocalResult {
  std::vector<uint8_t> bytes;
  uint32_t imports_before = 0;   // function imports
  uint32_t imports_removed = 0;  // function imports no longer needed
  uint32_t calls_bound = 0;      // call / return_call instructions redirected
  uint32_t kept = 0;             // candidates left preemptible by `keep`
  uint32_t pinned = 0;           // candidates still imported: address taken
  uint32_t got_frozen = 0;       // GOT imports made immutable (immutable_got)
  uint32_t slot_functions = 0;   // functions now called through their slot (slot_calls)
  uint32_t slot_calls = 0;       // call / return_call instructions rewritten so
  uint32_t slot_imports_removed = 0;  // of those functions' imports, no longer used
};

// True if `name` matches one of `patterns` (exact, or prefix + '*').
bool MatchesKeep(const std::vector<std::string>& patterns, const std::string& name);

Expected<BindLocalResult> BindLocal(const uint8_t* data, size_t size, const BindLocalOptions& opts);

}  // namespace lazylink::rewrite

#endif  // LAZYLINK_REWRITE_BIND_LOCAL_H_
