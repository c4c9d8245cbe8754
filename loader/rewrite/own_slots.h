// lazylink: a side module's address-taken functions placed in its own
// element segment (`lazylink bind-local --own-slots`, and `lazylink pack`).
//
// A side module takes the address of a function it exports through a
// GOT.func import, and the loader gives that function a canonical table
// slot: one index, whichever module asks. Unless the function is already
// in the module's element segment, that slot is allocated on its own and
// written from JavaScript after the module is instantiated (libstd: about
// 600 of them, each needing the export's name). AddOwnSlots appends those
// functions to the module's element segment instead (its dylink.0
// MEM_INFO table size grows to match), and lazylink's linker takes a
// function's place in its module's segment as its canonical slot: the
// engine writes it at instantiation, with the rest of the segment.
//
// Appended: for each GOT.func entry (import, or entry of a lazylink.got
// section) naming a function the module exports (orig$NAME preferred, as
// the linker does), that function, once, unless the segment holds it
// already. Nothing changes (the bytes come back as they were) when the
// module has no dylink.0 MEM_INFO, no env.__table_base import, no single
// active segment `global.get __table_base` in the plain encoding (flags 0)
// that fills its whole table region, or nothing to append. Any loader can
// run the result: the extra slots are ordinary table entries.
//
//   Expected<OwnSlotsResult> r = AddOwnSlots(bytes, size, {"libstd.wasm"});
//   if (r.ok()) printf("%u functions added, table size %u\n", r->added, r->table_size);
#ifndef LAZYLINK_REWRITE_OWN_SLOTS_H_
#define LAZYLINK_REWRITE_OWN_SLOTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "loader/support/expected.h"

namespace lazylink::rewrite {

struct OwnSlotsOptions {
  std::string name;  // for error messages ("libstd.wasm")
  // Every function the module exports, not only those it takes the address
  // of: for a library whose functions other modules point at (libstd:
  // qsort comparators, SQLite's table of system calls, dlsym), so that
  // no module's GOT.func entry or dlsym result needs a slot written from
  // JavaScript.
  bool all_exported = false;
};

struct OwnSlotsResult {
  std::vector<uint8_t> bytes;
  uint32_t added = 0;       // functions appended to the element segment
  uint32_t already = 0;     // GOT.func targets the segment held before
  uint32_t table_size = 0;  // the module's table region now (MEM_INFO)
};

// Fails (with the byte offset where it applies) on relocatable objects and
// modules with debug information, as the other rewrites do, and on a
// module the reader rejects.
Expected<OwnSlotsResult> AddOwnSlots(const uint8_t* data, size_t size, const OwnSlotsOptions& opts);

}  // namespace lazylink::rewrite

#endif  // LAZYLINK_REWRITE_OWN_SLOTS_H_
