#include "loader/wasm/module.h"

namespace lazylink::wasm {

const char* ValTypeName(ValType type) {
  switch (type) {
    case ValType::kI32: return "i32";
    case ValType::kI64: return "i64";
    case ValType::kF32: return "f32";
    case ValType::kF64: return "f64";
    case ValType::kV128: return "v128";
    case ValType::kFuncRef: return "funcref";
    case ValType::kExternRef: return "externref";
  }
  return "<invalid>";
}

const char* ExternalKindName(ExternalKind kind) {
  switch (kind) {
    case ExternalKind::kFunc: return "func";
    case ExternalKind::kTable: return "table";
    case ExternalKind::kMemory: return "memory";
    case ExternalKind::kGlobal: return "global";
    case ExternalKind::kTag: return "tag";
  }
  return "<invalid>";
}

std::string FuncType::ToString() const {
  std::string out = "(";
  for (size_t i = 0; i < params.size(); ++i) {
    if (i) out += ", ";
    out += ValTypeName(params[i]);
  }
  out += ") -> ";
  if (results.empty()) {
    out += "nil";
  } else if (results.size() == 1) {
    out += ValTypeName(results[0]);
  } else {
    out += "(";
    for (size_t i = 0; i < results.size(); ++i) {
      if (i) out += ", ";
      out += ValTypeName(results[i]);
    }
    out += ")";
  }
  return out;
}

namespace {

// Binary search in a name map sorted by index.
const std::string* FindName(const std::vector<std::pair<uint32_t, std::string>>& names,
                            uint32_t index) {
  size_t lo = 0, hi = names.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (names[mid].first < index) lo = mid + 1;
    else hi = mid;
  }
  if (lo < names.size() && names[lo].first == index) return &names[lo].second;
  return nullptr;
}

}  // namespace

const FuncType* Module::FunctionType(uint32_t func_index) const {
  uint32_t type_index;
  if (func_index < num_imported_funcs) {
    if (func_index >= func_import_positions.size()) return nullptr;
    type_index = imports[func_import_positions[func_index]].type_index;
  } else {
    const uint64_t defined = uint64_t{func_index} - num_imported_funcs;
    if (defined >= functions.size()) return nullptr;
    type_index = functions[defined];
  }
  return type_index < types.size() ? &types[type_index] : nullptr;
}

const GlobalType* Module::GetGlobalType(uint32_t global_index) const {
  if (const Import* imp = ImportedGlobal(global_index)) return &imp->global;
  if (const Global* g = DefinedGlobal(global_index)) return &g->type;
  return nullptr;
}

const Import* Module::ImportedFunction(uint32_t func_index) const {
  if (func_index >= func_import_positions.size()) return nullptr;
  return &imports[func_import_positions[func_index]];
}

const Import* Module::ImportedGlobal(uint32_t global_index) const {
  if (global_index >= global_import_positions.size()) return nullptr;
  return &imports[global_import_positions[global_index]];
}

std::optional<uint32_t> Module::FindImportedGlobal(std::string_view module, std::string_view field) const {
  for (uint32_t g = 0; g < global_import_positions.size(); g++) {
    const Import& imp = imports[global_import_positions[g]];
    if (imp.module == module && imp.field == field) return g;
  }
  return std::nullopt;
}

const Global* Module::DefinedGlobal(uint32_t global_index) const {
  if (global_index < num_imported_globals) return nullptr;
  const uint64_t defined = uint64_t{global_index} - num_imported_globals;
  return defined < globals.size() ? &globals[defined] : nullptr;
}

const std::string* Module::FunctionName(uint32_t func_index) const {
  return FindName(names.function_names, func_index);
}

const std::string* Module::GlobalName(uint32_t global_index) const {
  return FindName(names.global_names, global_index);
}

const Export* Module::FindExport(std::string_view name) const {
  for (const Export& e : exports) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

const SectionInfo* Module::FindCustomSection(std::string_view name) const {
  for (const SectionInfo& s : sections) {
    if (s.id == 0 && s.name == name) return &s;
  }
  return nullptr;
}

std::optional<uint32_t> Module::DataSymbolOffset(const Export& e) const {
  if (e.kind != ExternalKind::kGlobal) return std::nullopt;
  const Global* g = DefinedGlobal(e.index);
  if (!g || g->type.type != ValType::kI32 || g->type.is_mutable ||
      g->init.op != ConstExpr::Op::kI32Const) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(g->init.value);
}

uint32_t Module::ExportFlags(std::string_view name) const {
  for (const ExportInfo& info : dylink.export_info) {
    if (info.name == name) return info.flags;
  }
  return 0;
}

uint32_t Module::ImportFlags(std::string_view module, std::string_view field) const {
  for (const ImportInfo& info : dylink.import_info) {
    if (info.module == module && info.field == field) return info.flags;
  }
  return 0;
}

}  // namespace lazylink::wasm
