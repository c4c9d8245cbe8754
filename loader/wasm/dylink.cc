#include "loader/wasm/dylink.h"

#include "loader/wasm/limits.h"

namespace lazylink::wasm {
namespace {

// Context paths, static so that cursors can point at them.
const char* SubsectionContext(uint8_t id) {
  switch (static_cast<DylinkSubsection>(id)) {
    case DylinkSubsection::kMemInfo: return "dylink.0/mem-info";
    case DylinkSubsection::kNeeded: return "dylink.0/needed";
    case DylinkSubsection::kExportInfo: return "dylink.0/export-info";
    case DylinkSubsection::kImportInfo: return "dylink.0/import-info";
    case DylinkSubsection::kRuntimePath: return "dylink.0/runtime-path";
  }
  return "dylink.0/unknown";
}

// An alignment is a power of two given as its log2; a wasm32 address space
// cannot honour more than 2^31.
Status CheckAlign(const Cursor& c, uint64_t at, const char* desc, uint32_t log2) {
  if (log2 > 31) return c.Fail(at, Msg(desc, ": alignment of 2^", log2, " is too large"));
  return Ok{};
}

Expected<MemInfo> ReadMemInfo(Cursor& c) {
  MemInfo info;
  LL_TRY(info.memory_size, c.ReadU32Leb("mem_size"));
  uint64_t at = c.offset();
  LL_TRY(info.memory_align, c.ReadU32Leb("mem_align"));
  LL_CHECK(CheckAlign(c, at, "mem_align", info.memory_align));
  LL_TRY(info.table_size, c.ReadU32Leb("table_size"));
  at = c.offset();
  LL_TRY(info.table_align, c.ReadU32Leb("table_align"));
  LL_CHECK(CheckAlign(c, at, "table_align", info.table_align));
  return info;
}

// A vector of names: NEEDED and RUNTIME_PATH.
Status ReadNameList(Cursor& c, const char* desc, uint32_t limit, std::vector<std::string>& out) {
  LL_TRY(uint32_t count, c.ReadCount(desc, limit));
  out.reserve(out.size() + count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    LL_TRY(std::string_view name, c.ReadName(desc));
    out.emplace_back(name);
  }
  c.set_entry(-1);
  return Ok{};
}

Status ReadExportInfo(Cursor& c, std::vector<ExportInfo>& out) {
  LL_TRY(uint32_t count, c.ReadCount("export info", limits::kMaxSymbolInfos, 2));
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    ExportInfo info;
    LL_TRY(std::string_view name, c.ReadName("name"));
    info.name.assign(name);
    LL_TRY(info.flags, c.ReadU32Leb("flags"));
    out.push_back(std::move(info));
  }
  c.set_entry(-1);
  return Ok{};
}

Status ReadImportInfo(Cursor& c, std::vector<ImportInfo>& out) {
  LL_TRY(uint32_t count, c.ReadCount("import info", limits::kMaxSymbolInfos, 3));
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    ImportInfo info;
    LL_TRY(std::string_view module, c.ReadName("module name"));
    LL_TRY(std::string_view field, c.ReadName("field name"));
    info.module.assign(module);
    info.field.assign(field);
    LL_TRY(info.flags, c.ReadU32Leb("flags"));
    out.push_back(std::move(info));
  }
  c.set_entry(-1);
  return Ok{};
}

}  // namespace

const char* DylinkSubsectionName(uint8_t id) {
  switch (static_cast<DylinkSubsection>(id)) {
    case DylinkSubsection::kMemInfo: return "mem-info";
    case DylinkSubsection::kNeeded: return "needed";
    case DylinkSubsection::kExportInfo: return "export-info";
    case DylinkSubsection::kImportInfo: return "import-info";
    case DylinkSubsection::kRuntimePath: return "runtime-path";
  }
  return nullptr;
}

Status ReadDylinkSection(Cursor& c, Dylink& out) {
  out.present = true;
  out.legacy = false;
  uint32_t seen = 0;  // bit per known subsection id
  while (!c.at_end()) {
    const uint64_t at = c.offset();
    c.set_context("dylink.0");
    LL_TRY(uint8_t id, c.ReadU8("subsection id"));
    const char* name = DylinkSubsectionName(id);
    c.set_context(SubsectionContext(id));
    LL_TRY(Cursor sub, c.ReadSized("subsection size", "subsection"));
    if (name) {
      if (seen & (1u << id)) return c.Fail(at, Msg("duplicate ", name, " subsection"));
      seen |= 1u << id;
    }
    switch (static_cast<DylinkSubsection>(id)) {
      case DylinkSubsection::kMemInfo: {
        LL_TRY(out.mem_info, ReadMemInfo(sub));
        out.has_mem_info = true;
        break;
      }
      case DylinkSubsection::kNeeded:
        LL_CHECK(ReadNameList(sub, "needed", limits::kMaxNeeded, out.needed));
        break;
      case DylinkSubsection::kExportInfo:
        LL_CHECK(ReadExportInfo(sub, out.export_info));
        break;
      case DylinkSubsection::kImportInfo:
        LL_CHECK(ReadImportInfo(sub, out.import_info));
        break;
      case DylinkSubsection::kRuntimePath:
        LL_CHECK(ReadNameList(sub, "runtime path", limits::kMaxRuntimePaths, out.runtime_path));
        break;
      default:
        out.unknown.push_back(UnknownSubsection{id, sub.offset(), sub.remaining()});
        continue;  // kept, not decoded
    }
    LL_CHECK(sub.ExpectEnd());
  }
  c.set_context("dylink.0");
  return Ok{};
}

// The pre-2021 "dylink" section: the MEM_INFO fields, then NEEDED, with no
// subsection framing.
Status ReadLegacyDylinkSection(Cursor& c, Dylink& out) {
  out.present = true;
  out.legacy = true;
  c.set_context("dylink");
  LL_TRY(out.mem_info, ReadMemInfo(c));
  out.has_mem_info = true;
  LL_CHECK(ReadNameList(c, "needed", limits::kMaxNeeded, out.needed));
  return c.ExpectEnd();
}

Status ReadMemoryGotSection(Cursor& c, MemoryGot& out) {
  const uint64_t at = c.offset();
  LL_TRY(uint32_t version, c.ReadU32Leb("version"));
  if (version != 1) return c.Fail(at, Msg("version ", version, " (this loader reads version 1)"));
  const uint64_t offset_at = c.offset();
  LL_TRY(out.offset, c.ReadU32Leb("offset"));
  if (out.offset % 4 != 0) return c.Fail(offset_at, Msg("offset ", out.offset, " is not a multiple of 4"));
  LL_TRY(uint32_t count, c.ReadCount("entries", limits::kMaxImports, 2));
  out.entries.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    Import imp;
    imp.offset = c.offset();
    LL_TRY(uint8_t kind, c.ReadU8("kind"));
    if (kind > 1) return c.Fail(imp.offset, Msg("unknown kind ", static_cast<unsigned>(kind), " (0 GOT.mem, 1 GOT.func)"));
    LL_TRY(std::string_view name, c.ReadName("symbol name"));
    imp.module = kind == 0 ? "GOT.mem" : "GOT.func";
    imp.field.assign(name);
    imp.kind = ExternalKind::kGlobal;
    imp.global.type = ValType::kI32;
    imp.global.is_mutable = false;
    out.entries.push_back(std::move(imp));
  }
  c.set_entry(-1);
  LL_CHECK(c.ExpectEnd());
  out.present = true;
  return Ok{};
}

}  // namespace lazylink::wasm
