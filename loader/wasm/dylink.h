// lazylink: reader of the `dylink.0` custom section and of its predecessor,
// the legacy `dylink` section (tool-conventions DynamicLinking.md).
//
// dylink.0 is a sequence of subsections {id: u8, size: u32, payload}. Each
// known subsection (MEM_INFO, NEEDED, EXPORT_INFO, IMPORT_INFO, RUNTIME_PATH)
// must fit in the section, be consumed exactly and appear at most once;
// unknown ones are kept as (id, byte range) in Dylink::unknown.
//
//   Cursor payload = ...;  // the custom section's payload, after its name
//   LL_CHECK(ReadDylinkSection(payload, module.dylink));
#ifndef LAZYLINK_WASM_DYLINK_H_
#define LAZYLINK_WASM_DYLINK_H_

#include "loader/support/expected.h"
#include "loader/wasm/cursor.h"
#include "loader/wasm/module.h"

namespace lazylink::wasm {

// "mem-info", "needed", "export-info", "import-info", "runtime-path";
// nullptr for an unknown id.
const char* DylinkSubsectionName(uint8_t id);

Status ReadDylinkSection(Cursor& c, Dylink& out);
Status ReadLegacyDylinkSection(Cursor& c, Dylink& out);

// The `lazylink.got` section (see MemoryGot): version 1, offset, count,
// then per entry a kind byte (0 GOT.mem, 1 GOT.func) and the symbol name.
// Its fit in the module's MEM_INFO is checked by the caller.
Status ReadMemoryGotSection(Cursor& c, MemoryGot& out);

}  // namespace lazylink::wasm

#endif  // LAZYLINK_WASM_DYLINK_H_
