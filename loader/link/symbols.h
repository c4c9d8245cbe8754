// lazylink: what a module defines, in the linker's terms.
//
// A module's exports are classified once, after parsing: functions (with
// their type), data symbols (an exported immutable i32 global whose value is
// the symbol's offset from the module's __memory_base), TLS symbols (offset
// from __tls_base; EXPORT_INFO says TLS), and other globals. The ABI's own
// exports (__wasm_call_ctors, __wasm_apply_data_relocs, ...) are not symbols.
//
//   SymbolIndex index = SymbolIndex::Build(module);
//   if (const ModuleSymbol* s = index.Find("malloc")) ...
#ifndef LAZYLINK_LINK_SYMBOLS_H_
#define LAZYLINK_LINK_SYMBOLS_H_

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "loader/wasm/module.h"

namespace lazylink::link {

enum class SymbolKind : uint8_t { kFunction, kData, kTls, kGlobal };

const char* SymbolKindName(SymbolKind kind);

struct ModuleSymbol {
  SymbolKind kind = SymbolKind::kFunction;
  uint32_t export_index = 0;  // in Module::exports
  uint32_t index = 0;         // function or global index
  uint32_t offset = 0;        // kData: from __memory_base; kTls: from __tls_base
  bool weak = false;          // EXPORT_INFO: WASM_SYM_BINDING_WEAK
  const wasm::FuncType* type = nullptr;  // kFunction
};

class SymbolIndex {
 public:
  // The module must outlive the index (names are views into it).
  static SymbolIndex Build(const wasm::Module& module);

  const ModuleSymbol* Find(std::string_view name) const {
    auto it = map_.find(name);
    return it == map_.end() ? nullptr : &it->second;
  }
  size_t size() const { return map_.size(); }
  const std::unordered_map<std::string_view, ModuleSymbol>& all() const { return map_; }

 private:
  std::unordered_map<std::string_view, ModuleSymbol> map_;
};

// True for the dynamic-linking ABI's own exports, which are not symbols.
bool IsAbiExport(std::string_view name);

// Emscripten without -sWASM_BIGINT exports a function with i64 in its type
// twice: NAME in a "legalized" 32-bit form and "orig$NAME" unchanged.
inline constexpr std::string_view kOrigPrefix = "orig$";

// EM_JS(ret, NAME, ...) makes a module import env.NAME and export the data
// symbol __em_js__NAME: the address of "(params)<::>{ body }" in its data.
inline constexpr std::string_view kEmJsPrefix = "__em_js__";

}  // namespace lazylink::link

#endif  // LAZYLINK_LINK_SYMBOLS_H_
