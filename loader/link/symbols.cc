#include "loader/link/symbols.h"

#include <string>

namespace lazylink::link {

const char* SymbolKindName(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::kFunction: return "function";
    case SymbolKind::kData: return "data";
    case SymbolKind::kTls: return "tls";
    case SymbolKind::kGlobal: return "global";
  }
  return "?";
}

bool IsAbiExport(std::string_view name) {
  return name == "__wasm_call_ctors" || name == "__wasm_apply_data_relocs" ||
         name == "__wasm_init_tls" || name == "__tls_base" || name == "__tls_size" ||
         name == "__tls_align" || name == "__post_instantiate" ||
         name == "__wasm_apply_global_relocs" || name == "__dso_handle";
}

SymbolIndex SymbolIndex::Build(const wasm::Module& module) {
  SymbolIndex index;
  index.map_.reserve(module.exports.size());

  // EXPORT_INFO carries flags (weak, TLS) for exports that have any.
  std::unordered_map<std::string_view, uint32_t> flags;
  flags.reserve(module.dylink.export_info.size());
  for (const wasm::ExportInfo& info : module.dylink.export_info) flags[info.name] |= info.flags;

  for (uint32_t i = 0; i < module.exports.size(); ++i) {
    const wasm::Export& exp = module.exports[i];
    if (IsAbiExport(exp.name)) continue;
    ModuleSymbol sym;
    sym.export_index = i;
    sym.index = exp.index;
    auto f = flags.find(exp.name);
    const uint32_t sym_flags = f == flags.end() ? 0 : f->second;
    sym.weak = (sym_flags & wasm::symflag::kBindingWeak) != 0;
    if (exp.kind == wasm::ExternalKind::kFunc) {
      sym.kind = SymbolKind::kFunction;
      sym.type = module.FunctionType(exp.index);
      if (!sym.type) continue;  // the reader validated indices; be safe anyway
    } else if (exp.kind == wasm::ExternalKind::kGlobal) {
      // tool-conventions: a data symbol is exported as an immutable i32
      // global holding its offset from __memory_base (from __tls_base for TLS).
      sym.kind = SymbolKind::kGlobal;
      if (exp.index >= module.num_imported_globals) {
        const wasm::Global& g = module.globals[exp.index - module.num_imported_globals];
        if (!g.type.is_mutable && g.type.type == wasm::ValType::kI32 &&
            g.init.op == wasm::ConstExpr::Op::kI32Const) {
          sym.kind = (sym_flags & wasm::symflag::kTls) ? SymbolKind::kTls : SymbolKind::kData;
          sym.offset = static_cast<uint32_t>(g.init.value);
        }
      }
    } else {
      continue;  // tables, memories and tags are not symbols
    }
    index.map_.emplace(exp.name, sym);
  }
  return index;
}

}  // namespace lazylink::link
