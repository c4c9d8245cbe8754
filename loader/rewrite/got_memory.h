// lazylink: a side module's GOT moved into its own linear memory
// (`lazylink bind-local --got-in-memory`).
//
// An Emscripten side module imports one i32 global per symbol whose address
// it takes or whose data it reads: GOT.mem.X and GOT.func.X. libstd has
// about 1,400 of them, and building a JavaScript import object with that
// many entries costs milliseconds at start-up. MoveGotToMemory moves such
// entries into the module's own memory, like ELF's GOT: entry k lives at
// __memory_base + offset + 4 * k, right after the module's data (its
// dylink.0 MEM_INFO grows to cover it), and every `global.get` of one
// becomes `global.get __memory_base; i32.load offset=(offset + 4 * k)`.
// A custom section `lazylink.got`, appended at the end, lists the entries:
//   u32 version (1), u32 offset, u32 count,
//   count x (u8 kind: 0 GOT.mem, 1 GOT.func; name: the symbol)
// and the loader writes their values there before instantiating the module
// (one Int32Array.set): such a module needs lazylink's loader.
//
// Moved: GOT.mem / GOT.func imports of type i32 that the module never
// writes (global.set), never exports and never reads in a constant
// expression. The others stay imports. Every other global index is
// renumbered (the moved imports leave the index space); function indices
// do not change. Nothing is moved (the bytes come back unchanged) when the
// module does not import env.__memory_base as an i32, has no dylink.0
// MEM_INFO, has no 32-bit memory 0, or has no such GOT import.
//
//   Expected<GotMemoryResult> r = MoveGotToMemory(bytes, size, {"libstd.wasm"});
//   if (r.ok()) printf("%u entries at offset %u\n", r->moved, r->offset);
#ifndef LAZYLINK_REWRITE_GOT_MEMORY_H_
#define LAZYLINK_REWRITE_GOT_MEMORY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "loader/support/expected.h"

namespace lazylink::rewrite {

struct GotMemoryOptions {
  std::string name;  // for error messages ("libstd.wasm")
};

struct GotMemoryResult {
  std::vector<uint8_t> bytes;
  uint32_t moved = 0;   // GOT imports now in memory
  uint32_t kept = 0;    // GOT imports left imported
  uint32_t offset = 0;  // of the first entry, from __memory_base (a multiple of 4)
};

// Fails (with the byte offset where it applies) on relocatable objects, on
// modules with debug information, on a legacy "dylink" section, on a module
// that already has a lazylink.got section (the pass runs once) and on
// instructions the walker does not know.
Expected<GotMemoryResult> MoveGotToMemory(const uint8_t* data, size_t size, const GotMemoryOptions& opts);

}  // namespace lazylink::rewrite

#endif  // LAZYLINK_REWRITE_GOT_MEMORY_H_
