// Readers for the type, import, function, table, memory, tag, global, export
// and start sections (spec 5.5.4 - 5.5.11; tags: exception-handling proposal).
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#include "loader/wasm/encoding.h"
#include "loader/wasm/limits.h"
#include "loader/wasm/sections.h"

namespace lazylink::wasm {
namespace {

std::string Hex(unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02x", value);
  return buf;
}

Expected<uint32_t> ReadTypeIndex(Cursor& c, const Module& m) {
  const uint64_t at = c.offset();
  LL_TRY(uint32_t index, c.ReadU32Leb("type index"));
  if (index >= m.types.size()) {
    return c.Fail(at, Msg("type index ", index, " out of range (", m.types.size(), " types)"));
  }
  return index;
}

// A tag's attribute (0: exception) and its type, which must return nothing.
Expected<uint32_t> ReadTagType(Cursor& c, const Module& m) {
  const uint64_t at = c.offset();
  LL_TRY(uint8_t attribute, c.ReadU8("tag attribute"));
  if (attribute != 0) return c.Fail(at, Msg("unknown tag attribute ", Hex(attribute)));
  const uint64_t type_at = c.offset();
  LL_TRY(uint32_t type_index, ReadTypeIndex(c, m));
  if (!m.types[type_index].results.empty()) {
    return c.Fail(type_at, Msg("tag type ", type_index, " has results; tags take params only"));
  }
  return type_index;
}

// Export names must be unique (spec 3.4.10). A flat open-addressing set of
// views into the input: std::unordered_set allocates a node per insert,
// which was a fifth of the time of reading libstd.wasm.
class NameSet {
 public:
  explicit NameSet(size_t count) {
    size_t capacity = 16;
    while (capacity < 2 * count) capacity *= 2;
    slots_.assign(capacity, kEmpty);
    names_.reserve(count);
  }
  // False if `name` was already there.
  bool Insert(std::string_view name) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = Hash(name) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == kEmpty) {
        slots_[i] = static_cast<uint32_t>(names_.size());
        names_.push_back(name);
        return true;
      }
      if (names_[slots_[i]] == name) return false;
    }
  }

 private:
  static constexpr uint32_t kEmpty = ~uint32_t{0};
  // Eight bytes per step: libstd's export names average over 50 bytes.
  static size_t Hash(std::string_view s) {
    uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      h = (h ^ word) * 0xff51afd7ed558ccdull;
      h ^= h >> 29;
    }
    uint64_t tail = 0;
    if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
    return static_cast<size_t>(h ^ (h >> 32));
  }
  std::vector<uint32_t> slots_;
  std::vector<std::string_view> names_;
};

uint64_t CountOf(const Module& m, ExternalKind kind) {
  switch (kind) {
    case ExternalKind::kFunc: return m.NumFunctions();
    case ExternalKind::kTable: return uint64_t{m.num_imported_tables} + m.tables.size();
    case ExternalKind::kMemory: return uint64_t{m.num_imported_memories} + m.memories.size();
    case ExternalKind::kGlobal: return m.NumGlobals();
    case ExternalKind::kTag: return uint64_t{m.num_imported_tags} + m.tags.size();
  }
  return 0;
}

Status CheckTotal(const Cursor& c, uint64_t at, const char* what, uint64_t imported,
                  uint64_t defined, uint64_t limit) {
  if (imported + defined > limit) {
    return c.Fail(at, Msg(imported, " imported and ", defined, " defined ", what,
                          " exceed internal limit of ", limit));
  }
  return Ok{};
}

}  // namespace

const char* SectionName(uint8_t id) {
  switch (static_cast<SectionId>(id)) {
    case SectionId::kCustom: return "custom";
    case SectionId::kType: return "type";
    case SectionId::kImport: return "import";
    case SectionId::kFunction: return "function";
    case SectionId::kTable: return "table";
    case SectionId::kMemory: return "memory";
    case SectionId::kGlobal: return "global";
    case SectionId::kExport: return "export";
    case SectionId::kStart: return "start";
    case SectionId::kElement: return "elem";
    case SectionId::kCode: return "code";
    case SectionId::kData: return "data";
    case SectionId::kDataCount: return "datacount";
    case SectionId::kTag: return "tag";
  }
  return nullptr;
}

Status ReadTypeSection(Cursor& c, Module& m) {
  LL_TRY(uint32_t count, c.ReadCount("type", limits::kMaxTypes, 3));
  m.types.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    LL_TRY(FuncType type, ReadFuncType(c));
    m.types.push_back(std::move(type));
  }
  c.set_entry(-1);
  return c.ExpectEnd();
}

Status ReadImportSection(Cursor& c, Module& m) {
  LL_TRY(uint32_t count, c.ReadCount("import", limits::kMaxImports, 4));
  m.imports.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    Import imp;
    imp.offset = c.offset();
    LL_TRY(std::string_view module, c.ReadName("module name"));
    LL_TRY(std::string_view field, c.ReadName("field name"));
    imp.module.assign(module);
    imp.field.assign(field);
    const uint64_t kind_at = c.offset();
    LL_TRY(uint8_t kind, c.ReadU8("import kind"));
    switch (static_cast<ExternalKind>(kind)) {
      case ExternalKind::kFunc: {
        LL_TRY(imp.type_index, ReadTypeIndex(c, m));
        m.func_import_positions.push_back(static_cast<uint32_t>(m.imports.size()));
        ++m.num_imported_funcs;
        break;
      }
      case ExternalKind::kTable: {
        LL_TRY(imp.table, ReadTableType(c));
        ++m.num_imported_tables;
        break;
      }
      case ExternalKind::kMemory: {
        LL_TRY(imp.memory, ReadMemoryType(c));
        ++m.num_imported_memories;
        break;
      }
      case ExternalKind::kGlobal: {
        LL_TRY(imp.global, ReadGlobalType(c));
        m.global_import_positions.push_back(static_cast<uint32_t>(m.imports.size()));
        ++m.num_imported_globals;
        break;
      }
      case ExternalKind::kTag: {
        LL_TRY(imp.type_index, ReadTagType(c, m));
        ++m.num_imported_tags;
        break;
      }
      default:
        return c.Fail(kind_at, Msg("unknown import kind ", Hex(kind)));
    }
    imp.kind = static_cast<ExternalKind>(kind);
    m.imports.push_back(std::move(imp));
  }
  c.set_entry(-1);
  return c.ExpectEnd();
}

Status ReadFunctionSection(Cursor& c, Module& m) {
  const uint64_t at = c.offset();
  LL_TRY(uint32_t count, c.ReadCount("function", limits::kMaxFunctions));
  LL_CHECK(CheckTotal(c, at, "functions", m.num_imported_funcs, count, limits::kMaxFunctions));
  m.functions.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    LL_TRY(uint32_t type_index, ReadTypeIndex(c, m));
    m.functions.push_back(type_index);
  }
  c.set_entry(-1);
  return c.ExpectEnd();
}

Status ReadTableSection(Cursor& c, Module& m) {
  const uint64_t at = c.offset();
  LL_TRY(uint32_t count, c.ReadCount("table", limits::kMaxTables, 3));
  LL_CHECK(CheckTotal(c, at, "tables", m.num_imported_tables, count, limits::kMaxTables));
  m.tables.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    LL_TRY(TableType type, ReadTableType(c));
    m.tables.push_back(type);
  }
  c.set_entry(-1);
  return c.ExpectEnd();
}

Status ReadMemorySection(Cursor& c, Module& m) {
  const uint64_t at = c.offset();
  LL_TRY(uint32_t count, c.ReadCount("memory", limits::kMaxMemories, 2));
  LL_CHECK(CheckTotal(c, at, "memories", m.num_imported_memories, count, limits::kMaxMemories));
  m.memories.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    LL_TRY(MemoryType type, ReadMemoryType(c));
    m.memories.push_back(type);
  }
  c.set_entry(-1);
  return c.ExpectEnd();
}

Status ReadTagSection(Cursor& c, Module& m) {
  const uint64_t at = c.offset();
  LL_TRY(uint32_t count, c.ReadCount("tag", limits::kMaxTags, 2));
  LL_CHECK(CheckTotal(c, at, "tags", m.num_imported_tags, count, limits::kMaxTags));
  m.tags.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    LL_TRY(uint32_t type_index, ReadTagType(c, m));
    m.tags.push_back(type_index);
  }
  c.set_entry(-1);
  return c.ExpectEnd();
}

Status ReadGlobalSection(Cursor& c, Module& m) {
  const uint64_t at = c.offset();
  LL_TRY(uint32_t count, c.ReadCount("global", limits::kMaxGlobals, 4));
  LL_CHECK(CheckTotal(c, at, "globals", m.num_imported_globals, count, limits::kMaxGlobals));
  m.globals.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    Global g;
    g.offset = c.offset();
    LL_TRY(g.type, ReadGlobalType(c));
    LL_TRY(g.init, ReadConstExpr(c, "init"));
    // Checked against the globals before this one (imports, and earlier
    // definitions as the extended-const and GC proposals allow).
    LL_CHECK(CheckConstExpr(c, m, g.init, g.type.type, "init"));
    m.globals.push_back(g);
  }
  c.set_entry(-1);
  return c.ExpectEnd();
}

Status ReadExportSection(Cursor& c, Module& m) {
  LL_TRY(uint32_t count, c.ReadCount("export", limits::kMaxExports, 3));
  m.exports.reserve(count);
  NameSet seen(count);
  for (uint32_t i = 0; i < count; ++i) {
    c.set_entry(i);
    Export e;
    e.offset = c.offset();
    LL_TRY(std::string_view name, c.ReadName("name"));
    const uint64_t kind_at = c.offset();
    LL_TRY(uint8_t kind, c.ReadU8("export kind"));
    if (kind > static_cast<uint8_t>(ExternalKind::kTag)) {
      return c.Fail(kind_at, Msg("unknown export kind ", Hex(kind)));
    }
    e.kind = static_cast<ExternalKind>(kind);
    const uint64_t index_at = c.offset();
    LL_TRY(e.index, c.ReadU32Leb("index"));
    const uint64_t limit = CountOf(m, e.kind);
    if (e.index >= limit) {
      return c.Fail(index_at, Msg(ExternalKindName(e.kind), " index ", e.index,
                                  " out of range (", limit, " in the module)"));
    }
    if (!seen.Insert(name)) {
      return c.Fail(e.offset, Msg("duplicate export name \"", name, "\""));
    }
    e.name.assign(name);
    m.exports.push_back(std::move(e));
  }
  c.set_entry(-1);
  return c.ExpectEnd();
}

Status ReadStartSection(Cursor& c, Module& m) {
  const uint64_t at = c.offset();
  LL_TRY(uint32_t index, c.ReadU32Leb("start function index"));
  const FuncType* type = m.FunctionType(index);
  if (!type) {
    return c.Fail(at, Msg("start function index ", index, " out of range (", m.NumFunctions(),
                          " functions)"));
  }
  if (!type->params.empty() || !type->results.empty()) {
    return c.Fail(at, Msg("start function ", index, " has type ", type->ToString(),
                          "; expected () -> nil"));
  }
  m.start = index;
  return c.ExpectEnd();
}

}  // namespace lazylink::wasm
