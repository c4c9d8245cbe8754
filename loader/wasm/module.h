// lazylink: a parsed WebAssembly module as plain structs.
//
// This is the contract between the reader (reader.h), which fills it from
// bytes, and everything that plans, links or reports on modules. It holds
// the *shape* of a module: types, imports, exports, globals, segment shapes,
// code sizes, the dylink.0 section and the name section. Function bodies and
// data bytes are not copied; byte ranges into the input are kept instead.
//
//   Expected<wasm::Module> m = wasm::ReadModule(bytes, size, {"libfoo.wasm"});
//   if (!m.ok()) puts(m.error().Format().c_str());
//   for (const std::string& lib : m->dylink.needed) ...
//
// Offsets are absolute byte offsets into the module's bytes.
#ifndef LAZYLINK_WASM_MODULE_H_
#define LAZYLINK_WASM_MODULE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loader/support/expected.h"

namespace lazylink::wasm {

enum class ValType : uint8_t {
  kI32 = 0x7f,
  kI64 = 0x7e,
  kF32 = 0x7d,
  kF64 = 0x7c,
  kV128 = 0x7b,
  kFuncRef = 0x70,
  kExternRef = 0x6f,
};

// "i32", "funcref", ...
const char* ValTypeName(ValType type);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;

  bool operator==(const FuncType& other) const {
    return params == other.params && results == other.results;
  }
  bool operator!=(const FuncType& other) const { return !(*this == other); }
  // "(i32, i32) -> i32", "() -> nil" (as wasm-objdump prints them).
  std::string ToString() const;
};

enum class ExternalKind : uint8_t {
  kFunc = 0,
  kTable = 1,
  kMemory = 2,
  kGlobal = 3,
  kTag = 4,
};

// "func", "table", "memory", "global", "tag"
const char* ExternalKindName(ExternalKind kind);

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;
  bool is64 = false;  // memory64 / table64 index type
};

struct TableType {
  ValType elem_type = ValType::kFuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
};

struct GlobalType {
  ValType type = ValType::kI32;
  bool is_mutable = false;
};

// A constant expression (global initialisers, segment offsets). Simple
// expressions are decoded; extended-constant expressions (i32.add etc.) are
// kept as kOther with their byte range.
struct ConstExpr {
  enum class Op : uint8_t {
    kI32Const,
    kI64Const,
    kF32Const,  // value holds the bit pattern
    kF64Const,  // value holds the bit pattern
    kGlobalGet,
    kRefNull,
    kRefFunc,
    kOther,
  };
  Op op = Op::kI32Const;
  int64_t value = 0;   // i32/i64 constant, or float bits
  uint32_t index = 0;  // global.get / ref.func index
  uint64_t offset = 0; // of the first instruction
  uint64_t size = 0;   // bytes, including the final `end`
};

struct Import {
  std::string module;
  std::string field;
  ExternalKind kind = ExternalKind::kFunc;
  uint32_t type_index = 0;  // kFunc and kTag: index into Module::types
  TableType table;          // kTable
  MemoryType memory;        // kMemory
  GlobalType global;        // kGlobal
  uint64_t offset = 0;      // of the import entry

  // tool-conventions DynamicLinking.md: GOT entries are mutable i32 globals
  // imported from the pseudo-modules "GOT.mem" and "GOT.func".
  bool IsGotMem() const { return kind == ExternalKind::kGlobal && module == "GOT.mem"; }
  bool IsGotFunc() const { return kind == ExternalKind::kGlobal && module == "GOT.func"; }
};

struct Global {
  GlobalType type;
  ConstExpr init;
  uint64_t offset = 0;
};

struct Export {
  std::string name;
  ExternalKind kind = ExternalKind::kFunc;
  uint32_t index = 0;  // in the index space of `kind` (imports first)
  uint64_t offset = 0;
};

enum class SegmentMode : uint8_t { kActive, kPassive, kDeclarative };

struct ElemSegment {
  uint8_t flags = 0;  // the encoding, 0..7 (spec 5.5.12)
  SegmentMode mode = SegmentMode::kActive;
  uint32_t table_index = 0;
  ConstExpr offset_expr;  // active segments only
  ValType elem_type = ValType::kFuncRef;
  // Function index per element; kNullElement for ref.null entries.
  std::vector<uint32_t> func_indices;
  uint64_t offset = 0;  // of the segment entry
};
inline constexpr uint32_t kNullElement = 0xffffffffu;
// An element expression that is neither ref.func nor ref.null (global.get, or
// an extended-constant expression).
inline constexpr uint32_t kOtherElement = 0xfffffffeu;

struct DataSegment {
  uint8_t flags = 0;  // the encoding, 0..2
  SegmentMode mode = SegmentMode::kActive;  // never kDeclarative
  uint32_t memory_index = 0;
  ConstExpr offset_expr;  // active segments only
  uint32_t size = 0;      // bytes
  uint64_t data_offset = 0;  // where those bytes start in the input
  uint64_t offset = 0;       // of the segment entry
};

// A function body: only its size and place; instructions are not decoded.
struct FunctionBody {
  uint32_t size = 0;
  uint64_t offset = 0;  // of the body's first byte (its locals), after the size
};

// Where a section sits. `name` is set for custom sections.
struct SectionInfo {
  uint8_t id = 0;
  std::string name;
  uint64_t offset = 0;  // payload start (after id and size; for custom
                        // sections, after the name)
  uint64_t size = 0;    // payload size
  uint64_t header_offset = 0;  // of the section id byte
};

// --- dylink.0 (tool-conventions DynamicLinking.md) -------------------------

// Symbol flags shared with the linking section (Linking.md).
namespace symflag {
inline constexpr uint32_t kBindingWeak = 0x1;
inline constexpr uint32_t kBindingLocal = 0x2;
inline constexpr uint32_t kVisibilityHidden = 0x4;
inline constexpr uint32_t kUndefined = 0x10;
inline constexpr uint32_t kExported = 0x20;
inline constexpr uint32_t kExplicitName = 0x40;
inline constexpr uint32_t kNoStrip = 0x80;
inline constexpr uint32_t kTls = 0x100;
inline constexpr uint32_t kAbsolute = 0x200;
}  // namespace symflag

// dylink.0 subsection ids.
enum class DylinkSubsection : uint8_t {
  kMemInfo = 1,
  kNeeded = 2,
  kExportInfo = 3,
  kImportInfo = 4,
  kRuntimePath = 5,
};

struct MemInfo {
  uint32_t memory_size = 0;
  uint32_t memory_align = 0;  // log2
  uint32_t table_size = 0;
  uint32_t table_align = 0;  // log2
};

struct ExportInfo {
  std::string name;
  uint32_t flags = 0;
};

struct ImportInfo {
  std::string module;
  std::string field;
  uint32_t flags = 0;
};

// A dylink.0 subsection with an id this reader does not know: kept, not dropped.
struct UnknownSubsection {
  uint8_t id = 0;
  uint64_t offset = 0;  // payload start
  uint64_t size = 0;
};

struct Dylink {
  bool present = false;
  bool legacy = false;  // the pre-2021 "dylink" section (MEM_INFO fields + NEEDED only)
  bool has_mem_info = false;
  MemInfo mem_info;
  std::vector<std::string> needed;
  std::vector<ExportInfo> export_info;
  std::vector<ImportInfo> import_info;
  std::vector<std::string> runtime_path;
  std::vector<UnknownSubsection> unknown;
};

// --- name section (diagnostics only) ---------------------------------------

// Only the subsections the linker and `inspect` use are decoded (module,
// function, global, data segment names); any malformation makes the reader
// drop the whole section and record a warning in Module::warnings instead of
// failing, since names are for diagnostics only.
struct NameSection {
  bool present = false;
  std::string module_name;
  // Sorted by index, unique.
  std::vector<std::pair<uint32_t, std::string>> function_names;
  std::vector<std::pair<uint32_t, std::string>> global_names;
  std::vector<std::pair<uint32_t, std::string>> data_segment_names;
};

// The `lazylink.got` custom section (written by `lazylink bind-local
// --got-in-memory`): GOT entries the module reads from its own linear
// memory, at __memory_base + offset + 4 * k for entry k, instead of
// importing them as globals. The loader writes their values (the same a
// GOT.mem / GOT.func import would hold) before instantiating the module.
// Each entry is an Import of kind kGlobal (i32, immutable) from "GOT.mem"
// or "GOT.func"; its offset is the entry's byte offset in the section.
struct MemoryGot {
  bool present = false;
  uint32_t offset = 0;  // from __memory_base; a multiple of 4
  uint64_t section_offset = 0;
  std::vector<Import> entries;
};

struct Module {
  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<uint32_t> functions;  // type index of each defined function
  std::vector<TableType> tables;    // defined tables
  std::vector<MemoryType> memories; // defined memories
  std::vector<uint32_t> tags;       // type index of each defined tag
  std::vector<Global> globals;      // defined globals
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elements;
  std::optional<uint32_t> data_count;
  std::vector<FunctionBody> code;
  std::vector<DataSegment> data;
  Dylink dylink;
  MemoryGot memory_got;
  NameSection names;
  // Every section in file order, custom sections included (known or not).
  std::vector<SectionInfo> sections;
  // Problems that did not make the module unreadable (a malformed `name`
  // section, which is then ignored). Each carries its context and offset.
  std::vector<Error> warnings;

  // Counts of imports per kind: indices below these refer to imports.
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  uint32_t num_imported_tags = 0;
  // Position in `imports` of each imported function / global, by index.
  std::vector<uint32_t> func_import_positions;
  std::vector<uint32_t> global_import_positions;

  uint64_t size = 0;  // bytes of the whole module

  uint32_t NumFunctions() const {
    return num_imported_funcs + static_cast<uint32_t>(functions.size());
  }
  uint32_t NumGlobals() const {
    return num_imported_globals + static_cast<uint32_t>(globals.size());
  }
  // Type of a function in the function index space; nullptr if out of range.
  const FuncType* FunctionType(uint32_t func_index) const;
  // Type of a global in the global index space; nullptr if out of range.
  const GlobalType* GetGlobalType(uint32_t global_index) const;
  // The import behind an imported function / global index, or nullptr.
  const Import* ImportedFunction(uint32_t func_index) const;
  const Import* ImportedGlobal(uint32_t global_index) const;
  // The global index of the first imported global `module`.`field`, if any
  // (a side module's env.__table_base, env.__memory_base).
  std::optional<uint32_t> FindImportedGlobal(std::string_view module, std::string_view field) const;
  // Name from the name section, or nullptr.
  const std::string* FunctionName(uint32_t func_index) const;
  // First export with this name, or nullptr. Linear: build an index for bulk use.
  const Export* FindExport(std::string_view name) const;
  // First custom section with this name, or nullptr.
  const SectionInfo* FindCustomSection(std::string_view name) const;
  // Name from the name section for a global, or nullptr.
  const std::string* GlobalName(uint32_t global_index) const;
  // The defined global behind a global index, or nullptr (imported or out of range).
  const Global* DefinedGlobal(uint32_t global_index) const;
  // For an export that is a data symbol, its offset from __memory_base (or
  // from __tls_base for TLS symbols): tool-conventions DynamicLinking.md
  // exports data as an immutable i32 global initialised by i32.const.
  std::optional<uint32_t> DataSymbolOffset(const Export& e) const;
  // EXPORT_INFO / IMPORT_INFO flags for a symbol (0 if not listed).
  uint32_t ExportFlags(std::string_view name) const;
  uint32_t ImportFlags(std::string_view module, std::string_view field) const;
};

}  // namespace lazylink::wasm

#endif  // LAZYLINK_WASM_MODULE_H_
