// lazylink: two tiny generated modules the component edge needs.
//
// Trampolines: when a component is instantiated before the component whose
// export it imports (a cycle: host and plugin import from each other), its
// import is bound to a trampoline that calls through a table slot; the slot
// receives the adapter once the callee exists. Module "t":
//   imports  t.t (funcref table, `sigs.size()` slots)
//   exports  f<k>: sigs[k], calls slot k
//
// Re-exports: a JS function cannot go into a funcref table (there is no
// WebAssembly.Function); imported and re-exported by a module, it can.
//   imports  w.f<k> (sigs[k]);  exports  f<k>
#ifndef LAZYLINK_COMPONENT_TRAMPOLINE_H_
#define LAZYLINK_COMPONENT_TRAMPOLINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "loader/wasm/module.h"

namespace lazylink::component {

std::vector<uint8_t> EmitTrampolines(const std::vector<wasm::FuncType>& sigs);
std::vector<uint8_t> EmitReexports(const std::vector<wasm::FuncType>& sigs);

// "iii" style (result first, 'v' for none; i j f d) <-> FuncType; false on
// anything else (multi-value results are not expressible).
bool ParseSignature(const std::string& sig, wasm::FuncType* out);
std::string SignatureString(const wasm::FuncType& type);

}  // namespace lazylink::component

#endif  // LAZYLINK_COMPONENT_TRAMPOLINE_H_
