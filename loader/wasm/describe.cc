// The model shared by the text and JSON descriptions of a module.
#include "loader/wasm/describe.h"

#include <cinttypes>
#include <cstdio>
#include <string_view>
#include <unordered_map>

namespace lazylink::wasm {

const char* ImportRoleName(ImportRole role) {
  switch (role) {
    case ImportRole::kEnvFunction: return "env-function";
    case ImportRole::kOtherFunction: return "function";
    case ImportRole::kGotMem: return "got-mem";
    case ImportRole::kGotFunc: return "got-func";
    case ImportRole::kMemory: return "memory";
    case ImportRole::kTable: return "table";
    case ImportRole::kGlobal: return "global";
    case ImportRole::kTag: return "tag";
  }
  return "?";
}

const char* ExportRoleName(ExportRole role) {
  switch (role) {
    case ExportRole::kFunction: return "function";
    case ExportRole::kData: return "data";
    case ExportRole::kGlobal: return "global";
    case ExportRole::kMemory: return "memory";
    case ExportRole::kTable: return "table";
    case ExportRole::kTag: return "tag";
  }
  return "?";
}

std::vector<std::string> SymbolFlagNames(uint32_t flags) {
  static const struct {
    uint32_t bit;
    const char* name;
  } kFlags[] = {
      {symflag::kBindingWeak, "weak"},     {symflag::kBindingLocal, "local"},
      {symflag::kVisibilityHidden, "hidden"}, {symflag::kUndefined, "undefined"},
      {symflag::kExported, "exported"},    {symflag::kExplicitName, "explicit-name"},
      {symflag::kNoStrip, "no-strip"},     {symflag::kTls, "tls"},
      {symflag::kAbsolute, "absolute"},
  };
  std::vector<std::string> out;
  uint32_t known = 0;
  for (const auto& f : kFlags) {
    known |= f.bit;
    if (flags & f.bit) out.emplace_back(f.name);
  }
  if (flags & ~known) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", flags & ~known);
    out.emplace_back(buf);
  }
  return out;
}

std::string ConstExprToString(const ConstExpr& e) {
  char buf[64];
  switch (e.op) {
    case ConstExpr::Op::kI32Const:
      std::snprintf(buf, sizeof buf, "i32.const %" PRId64, e.value);
      break;
    case ConstExpr::Op::kI64Const:
      std::snprintf(buf, sizeof buf, "i64.const %" PRId64, e.value);
      break;
    case ConstExpr::Op::kF32Const:
      std::snprintf(buf, sizeof buf, "f32.const bits 0x%08" PRIx32,
                    static_cast<uint32_t>(e.value));
      break;
    case ConstExpr::Op::kF64Const:
      std::snprintf(buf, sizeof buf, "f64.const bits 0x%016" PRIx64,
                    static_cast<uint64_t>(e.value));
      break;
    case ConstExpr::Op::kGlobalGet:
      std::snprintf(buf, sizeof buf, "global.get %" PRIu32, e.index);
      break;
    case ConstExpr::Op::kRefNull:
      std::snprintf(buf, sizeof buf, "ref.null %s", ValTypeName(static_cast<ValType>(e.value)));
      break;
    case ConstExpr::Op::kRefFunc:
      std::snprintf(buf, sizeof buf, "ref.func %" PRIu32, e.index);
      break;
    case ConstExpr::Op::kOther:
      std::snprintf(buf, sizeof buf, "expression of %" PRIu64 " bytes", e.size);
      break;
  }
  return buf;
}

ModuleSummary Summarize(const Module& m) {
  // EXPORT_INFO / IMPORT_INFO by symbol, for lookups per export and import.
  std::unordered_map<std::string_view, uint32_t> export_flags;
  for (const ExportInfo& info : m.dylink.export_info) export_flags[info.name] |= info.flags;
  std::unordered_map<std::string, uint32_t> import_flags;
  for (const ImportInfo& info : m.dylink.import_info) {
    import_flags[info.module + '\0' + info.field] |= info.flags;
  }

  ModuleSummary s;
  s.imports.reserve(m.imports.size());
  uint32_t counts[5] = {0, 0, 0, 0, 0};
  for (const Import& imp : m.imports) {
    ImportRow row;
    row.import = &imp;
    row.index = counts[static_cast<uint8_t>(imp.kind)]++;
    switch (imp.kind) {
      case ExternalKind::kFunc:
        row.role = imp.module == "env" ? ImportRole::kEnvFunction : ImportRole::kOtherFunction;
        break;
      case ExternalKind::kGlobal:
        row.role = imp.IsGotMem() ? ImportRole::kGotMem
                   : imp.IsGotFunc() ? ImportRole::kGotFunc
                                     : ImportRole::kGlobal;
        break;
      case ExternalKind::kMemory: row.role = ImportRole::kMemory; break;
      case ExternalKind::kTable: row.role = ImportRole::kTable; break;
      case ExternalKind::kTag: row.role = ImportRole::kTag; break;
    }
    if (!import_flags.empty()) {
      auto it = import_flags.find(imp.module + '\0' + imp.field);
      // IMPORT_INFO names the symbol (env.X); its GOT entries carry its flags.
      if (it == import_flags.end() &&
          (row.role == ImportRole::kGotMem || row.role == ImportRole::kGotFunc)) {
        it = import_flags.find(std::string("env") + '\0' + imp.field);
      }
      if (it != import_flags.end()) row.flags = it->second;
    }
    s.imports.push_back(row);
  }

  s.exports.reserve(m.exports.size());
  for (const Export& e : m.exports) {
    ExportRow row;
    row.exp = &e;
    switch (e.kind) {
      case ExternalKind::kFunc:
        row.role = ExportRole::kFunction;
        row.type = m.FunctionType(e.index);
        row.func_name = m.FunctionName(e.index);
        break;
      case ExternalKind::kGlobal:
        row.global = m.GetGlobalType(e.index);
        row.data_offset = m.DataSymbolOffset(e);
        row.role = row.data_offset ? ExportRole::kData : ExportRole::kGlobal;
        break;
      case ExternalKind::kMemory: row.role = ExportRole::kMemory; break;
      case ExternalKind::kTable: row.role = ExportRole::kTable; break;
      case ExternalKind::kTag: row.role = ExportRole::kTag; break;
    }
    if (!export_flags.empty()) {
      auto it = export_flags.find(e.name);
      if (it != export_flags.end()) row.flags = it->second;
    }
    s.exports.push_back(row);
  }
  return s;
}

}  // namespace lazylink::wasm
