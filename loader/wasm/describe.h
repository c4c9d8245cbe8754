// lazylink: what `lazylink inspect` prints about a module, as text for people
// and as JSON for programs (schema: docs/inspect-json.md). Platform neutral,
// so the browser edge can show the same thing.
//
// The view is the one a user debugging dynamic linking needs: the dylink.0
// section (memory and table size and alignment, NEEDED, runtime path, symbol
// flags), imports grouped by role (env functions with their signatures,
// GOT.mem, GOT.func, memory, table, globals), exports split into functions
// (with signatures) and data symbols (offset from __memory_base, or from
// __tls_base for TLS symbols), the start function and the name section.
//
//   Expected<Module> m = ReadModule(bytes, size, {"libfoo.wasm"});
//   std::string text = DescribeText(*m, {"libfoo.wasm"});
//   std::string json = DescribeJson(*m, {"libfoo.wasm"});
#ifndef LAZYLINK_WASM_DESCRIBE_H_
#define LAZYLINK_WASM_DESCRIBE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loader/wasm/json_writer.h"
#include "loader/wasm/module.h"

namespace lazylink::wasm {

struct DescribeOptions {
  std::string file_name;  // shown as is
  // Text only: list every named function (may be thousands of lines).
  bool list_function_names = true;
};

std::string DescribeText(const Module& m, const DescribeOptions& opts);
std::string DescribeJson(const Module& m, const DescribeOptions& opts);
// The same, streamed to `sink` in chunks (the CLI writes them to stdout).
void DescribeText(const Module& m, const DescribeOptions& opts, OutputSink sink, void* context);
void DescribeJson(const Module& m, const DescribeOptions& opts, OutputSink sink, void* context);

// The version tag written as "schema" in the JSON output.
inline constexpr const char* kInspectJsonSchema = "lazylink-inspect/1";

// --- The shared model behind both renderings -------------------------------

// How an import is used in dynamic linking.
enum class ImportRole : uint8_t {
  kEnvFunction,    // a function from "env": resolved against other modules
  kOtherFunction,  // a function from another module (e.g. WASI)
  kGotMem,         // GOT.mem.X: address of data symbol X
  kGotFunc,        // GOT.func.X: table index of function X
  kMemory,
  kTable,
  kGlobal,  // env.__memory_base, env.__stack_pointer, ...
  kTag,
};
const char* ImportRoleName(ImportRole role);  // "env-function", "got-mem", ...

enum class ExportRole : uint8_t {
  kFunction,
  kData,    // immutable i32 global with an i32.const init: a data symbol
  kGlobal,  // any other global
  kMemory,
  kTable,
  kTag,
};
const char* ExportRoleName(ExportRole role);  // "function", "data", ...

struct ImportRow {
  const Import* import = nullptr;
  uint32_t index = 0;  // in the index space of its kind
  ImportRole role = ImportRole::kEnvFunction;
  uint32_t flags = 0;  // dylink.0 IMPORT_INFO
};

struct ExportRow {
  const Export* exp = nullptr;
  ExportRole role = ExportRole::kFunction;
  const FuncType* type = nullptr;          // functions
  const std::string* func_name = nullptr;  // functions, from the name section
  const GlobalType* global = nullptr;      // globals
  std::optional<uint32_t> data_offset;     // data symbols
  uint32_t flags = 0;                      // dylink.0 EXPORT_INFO
};

struct ModuleSummary {
  std::vector<ImportRow> imports;  // in file order
  std::vector<ExportRow> exports;  // in file order
};

ModuleSummary Summarize(const Module& m);

// "weak", "local", "hidden", "undefined", "exported", "explicit-name",
// "no-strip", "tls", "absolute", and "0x..." for unknown bits.
std::vector<std::string> SymbolFlagNames(uint32_t flags);

// "i32.const 16", "global.get 1", "ref.func 3", "other (12 bytes)".
std::string ConstExprToString(const ConstExpr& e);

}  // namespace lazylink::wasm

#endif  // LAZYLINK_WASM_DESCRIBE_H_
