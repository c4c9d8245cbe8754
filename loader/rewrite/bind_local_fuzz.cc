// libFuzzer target: BindLocal must never crash, hang or leak on any input;
// every error says where; and whatever it writes reads back as a module
// with the same exports (names and kinds), with or without immutable_got
// and slot calls. The same for MoveGotToMemory (got_memory.h), which also
// accounts for every import it removes, and for AddOwnSlots (own_slots.h),
// whose output keeps every element the segment had and sizes the table
// region to match.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "loader/rewrite/bind_local.h"
#include "loader/rewrite/got_memory.h"
#include "loader/rewrite/own_slots.h"
#include "loader/wasm/reader.h"

namespace {

void CheckGotMemory(const uint8_t* data, size_t size) {
  using namespace lazylink;
  Expected<rewrite::GotMemoryResult> r = rewrite::MoveGotToMemory(data, size, {"fuzz.wasm"});
  if (!r.ok()) {
    if (r.error().offset != kNoOffset && r.error().offset > size) __builtin_trap();
    return;
  }
  if (r->moved == 0) {
    if (r->bytes.size() != size || !std::equal(r->bytes.begin(), r->bytes.end(), data)) __builtin_trap();
    return;
  }
  Expected<wasm::Module> in = wasm::ReadModule(data, size, {"in.wasm"});
  Expected<wasm::Module> out = wasm::ReadModule(r->bytes.data(), r->bytes.size(), {"out.wasm"});
  if (!in.ok() || !out.ok()) __builtin_trap();
  if (out->imports.size() + r->moved != in->imports.size()) __builtin_trap();
  if (out->NumGlobals() + r->moved != in->NumGlobals() || out->NumFunctions() != in->NumFunctions()) __builtin_trap();
  if (r->offset % 4 != 0 || out->dylink.mem_info.memory_size != r->offset + 4 * r->moved) __builtin_trap();
  if (in->exports.size() != out->exports.size()) __builtin_trap();
  for (size_t i = 0; i < in->exports.size(); i++) {
    if (in->exports[i].name != out->exports[i].name || in->exports[i].kind != out->exports[i].kind) __builtin_trap();
  }
}

void CheckOwnSlots(const uint8_t* data, size_t size) {
  using namespace lazylink;
  Expected<rewrite::OwnSlotsResult> r = rewrite::AddOwnSlots(data, size, {"fuzz.wasm"});
  if (!r.ok()) {
    if (r.error().offset != kNoOffset && r.error().offset > size) __builtin_trap();
    return;
  }
  if (r->added == 0) {
    if (r->bytes.size() != size || !std::equal(r->bytes.begin(), r->bytes.end(), data)) __builtin_trap();
    return;
  }
  Expected<wasm::Module> in = wasm::ReadModule(data, size, {"in.wasm"});
  Expected<wasm::Module> out = wasm::ReadModule(r->bytes.data(), r->bytes.size(), {"out.wasm"});
  if (!in.ok() || !out.ok()) __builtin_trap();
  if (in->elements.size() != out->elements.size() || in->imports.size() != out->imports.size() ||
      in->exports.size() != out->exports.size() || in->NumFunctions() != out->NumFunctions()) {
    __builtin_trap();
  }
  if (out->dylink.mem_info.table_size != r->table_size ||
      r->table_size != in->dylink.mem_info.table_size + r->added) {
    __builtin_trap();
  }
  size_t grew = 0;
  for (size_t i = 0; i < in->elements.size(); i++) {
    const auto& a = in->elements[i].func_indices;
    const auto& b = out->elements[i].func_indices;
    if (b.size() < a.size() || !std::equal(a.begin(), a.end(), b.begin())) __builtin_trap();
    grew += b.size() - a.size();
  }
  if (grew != r->added) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lazylink;
  CheckGotMemory(data, size);
  CheckOwnSlots(data, size);
  // The input's last byte picks whether GOT imports are made immutable
  // (bit 0), whether every other import is called through its slot (bit 1)
  // and whether weak definitions are bound locally (bit 2 clear).
  rewrite::BindLocalOptions opts{"fuzz.wasm", {"keep*"}};
  const uint8_t pick = size > 0 ? data[size - 1] : 0;
  opts.immutable_got = pick & 1;
  if (pick & 2) opts.slot_calls = {"*"};
  opts.bind_weak = !(pick & 4);
  Expected<rewrite::BindLocalResult> r = rewrite::BindLocal(data, size, opts);
  if (!r.ok()) {
    if (r.error().offset != kNoOffset && r.error().offset > size) __builtin_trap();
    return 0;
  }
  Expected<wasm::Module> in = wasm::ReadModule(data, size, {"in.wasm"});
  Expected<wasm::Module> out = wasm::ReadModule(r->bytes.data(), r->bytes.size(), {"out.wasm"});
  if (!in.ok() || !out.ok()) __builtin_trap();
  if (in->exports.size() != out->exports.size()) __builtin_trap();
  for (size_t i = 0; i < in->exports.size(); i++) {
    if (in->exports[i].name != out->exports[i].name || in->exports[i].kind != out->exports[i].kind) __builtin_trap();
  }
  const size_t added = out->imports.size() + r->imports_removed + r->slot_imports_removed - in->imports.size();
  // At most one GOT.func import per slot-called function, plus the table.
  if (out->imports.size() + r->imports_removed + r->slot_imports_removed < in->imports.size() ||
      added > r->slot_functions + (r->slot_functions ? 1 : 0)) {
    __builtin_trap();
  }
  if (out->NumGlobals() < in->NumGlobals() || out->NumFunctions() + r->imports_removed + r->slot_imports_removed != in->NumFunctions()) {
    __builtin_trap();
  }
  if (opts.slot_calls.empty() && r->slot_functions != 0) __builtin_trap();
  if (!opts.immutable_got && r->got_frozen != 0) __builtin_trap();
  return 0;
}
