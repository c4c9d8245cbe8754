// lazylink: readers for the known (non-custom) sections of a module.
//
// Each reader gets a cursor over exactly one section's payload, with its
// context set to the section's name, and fills its part of the Module. It
// validates what later readers and the linker index with (type, function,
// global, table and memory indices; counts against limits::) and requires
// the section to be consumed exactly. Section order is the caller's job.
//
//   Cursor section = ...;   // narrowed to the payload of section id 2
//   section.set_context("import");
//   LL_CHECK(ReadImportSection(section, module));
#ifndef LAZYLINK_WASM_SECTIONS_H_
#define LAZYLINK_WASM_SECTIONS_H_

#include "loader/support/expected.h"
#include "loader/wasm/cursor.h"
#include "loader/wasm/module.h"

namespace lazylink::wasm {

// Section ids (spec 5.5.2 and the exception-handling proposal's tag section).
enum class SectionId : uint8_t {
  kCustom = 0,
  kType = 1,
  kImport = 2,
  kFunction = 3,
  kTable = 4,
  kMemory = 5,
  kGlobal = 6,
  kExport = 7,
  kStart = 8,
  kElement = 9,
  kCode = 10,
  kData = 11,
  kDataCount = 12,
  kTag = 13,
};

// "type", "import", ..., "datacount", "tag"; nullptr for unknown ids.
const char* SectionName(uint8_t id);

// sections.cc
Status ReadTypeSection(Cursor& c, Module& m);
Status ReadImportSection(Cursor& c, Module& m);
Status ReadFunctionSection(Cursor& c, Module& m);
Status ReadTableSection(Cursor& c, Module& m);
Status ReadMemorySection(Cursor& c, Module& m);
Status ReadTagSection(Cursor& c, Module& m);
Status ReadGlobalSection(Cursor& c, Module& m);
Status ReadExportSection(Cursor& c, Module& m);
Status ReadStartSection(Cursor& c, Module& m);

// segments.cc
Status ReadElemSection(Cursor& c, Module& m);
Status ReadDataCountSection(Cursor& c, Module& m);
Status ReadCodeSection(Cursor& c, Module& m);
Status ReadDataSection(Cursor& c, Module& m);

}  // namespace lazylink::wasm

#endif  // LAZYLINK_WASM_SECTIONS_H_
