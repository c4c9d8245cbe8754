// lazylink: the adapter generator's internals, shared by adapter.cc (module
// and function entry/exit), adapter_values.cc (moving values: flat and in
// memory, lists) and adapter_strings.cc (strings: validation, copies and the
// spec's transcoding algorithms). Not a public header.
//
// Conventions: a pointer or length of a side lives in a local of that side's
// address type (i32, or i64 for memory64); byte sizes computed by the
// generated code are i64 locals; string lengths, once checked against the
// 2^28 - 1 limit, are i32 code-unit counts.
#ifndef LAZYLINK_COMPONENT_ADAPTER_GEN_H_
#define LAZYLINK_COMPONENT_ADAPTER_GEN_H_

#include <cstdint>
#include <functional>
#include <map>
#include <tuple>
#include <vector>

#include "loader/cabi/abi.h"
#include "loader/component/adapter.h"
#include "loader/component/code_builder.h"

namespace lazylink::component::internal {

using cabi::CoreType;
using cabi::TypeArena;
using cabi::TypeId;

inline constexpr uint64_t kMaxStringBytes = (uint64_t{1} << 28) - 1;
inline constexpr uint64_t kMaxListBytes = (uint64_t{1} << 28) - 1;
inline constexpr uint32_t kNoLocal = ~0u;

struct Side {
  uint32_t mem = 0;  // memory index in the adapter: 0 caller, 1 callee
  cabi::AddrType addr = cabi::AddrType::kI32;
  StringEncoding enc = StringEncoding::kUtf8;
  uint32_t realloc_slot = 0;
  bool is64() const { return addr == cabi::AddrType::kI64; }
  ValType ptr() const { return is64() ? ValType::kI64 : ValType::kI32; }
};

// A move: from `src`'s memory to `dst`'s.
struct Dir {
  const Side* src;
  const Side* dst;
};

// One flat value: the local holding it and its (possibly joined) core type.
struct Slot {
  uint32_t local;
  CoreType type;
};

ValType ToValType(CoreType t);

class Gen {
 public:
  Gen(const TypeArena& arena, const AdapterOptions& options);

  const TypeArena& arena() const { return arena_; }
  ModuleBuilder& m() { return m_; }
  Side caller;
  Side callee;
  bool simd = true;
  bool tail_calls = true;

  // Module-level indices, set up by adapter.cc before any function is written.
  uint32_t trap_func = 0;
  uint32_t current_fn_global = 0;  // which adapter function is running (for traps)

  // --- small emitters ---------------------------------------------------------
  using Push = std::function<void(FuncBuilder&)>;
  static Push Const64(uint64_t v);
  static Push Local64(uint32_t local);  // an i64 local
  // Pushes a side's pointer local as an i64 (zero-extended).
  void PtrAsI64(FuncBuilder& f, const Side& s, uint32_t local);
  // Converts the i64 on the stack to the side's address type.
  void I64ToPtr(FuncBuilder& f, const Side& s);
  void PtrConst(FuncBuilder& f, const Side& s, uint64_t v);
  // Pushes base + (index << shift) in the side's address type (index: i32 local).
  void Addr(FuncBuilder& f, const Side& s, uint32_t base, uint32_t index, uint32_t shift);
  void Load(FuncBuilder& f, const Side& s, uint8_t opcode, uint32_t align_log2, uint64_t offset);
  void Store(FuncBuilder& f, const Side& s, uint8_t opcode, uint32_t align_log2,
             uint64_t offset);
  void LoadPtr(FuncBuilder& f, const Side& s, uint64_t offset);
  void StorePtr(FuncBuilder& f, const Side& s, uint64_t offset);

  // Calls trap and ends the block with `unreachable`.
  void Trap(FuncBuilder& f, TrapKind kind, uint32_t what, const Side& side, const Push& a,
            const Push& b);
  // trap_if(ptr != align_to(ptr, align)); trap_if(ptr + size > len(memory)).
  void CheckRange(FuncBuilder& f, const Side& s, uint32_t ptr, uint32_t size_i64, uint32_t align,
                  TrapWhat what);
  // ptr = realloc(old, old_size, align, new_size) in side `s`, with the spec's
  // checks of the result. Sizes are i64 locals; kNoLocal means 0.
  uint32_t Realloc(FuncBuilder& f, const Side& s, uint32_t old_ptr, uint32_t old_size_i64,
                   uint32_t align, uint32_t new_size_i64, bool check_align = true);
  // Traps if the i64 local exceeds `limit`.
  void CheckLimit(FuncBuilder& f, const Side& s, uint32_t value_i64, uint64_t limit,
                  TrapKind kind, const Push& b);
  void CheckDiscriminant(FuncBuilder& f, uint32_t value_i32, uint32_t count, DiscriminantOf of,
                         const Side& s);
  void CheckChar(FuncBuilder& f, uint32_t value_i32, const Side& s);

  // --- values (adapter_values.cc) ---------------------------------------------
  // Moves a value held in flat locals (slots[first...]) in place: validated,
  // normalized, and with pointers now into the destination memory.
  void MoveFlat(FuncBuilder& f, TypeId t, const std::vector<Slot>& slots, size_t first,
                const Dir& d);
  // Moves a value stored at src+soff to dst+doff.
  void MoveMem(FuncBuilder& f, TypeId t, uint32_t src, uint64_t soff, uint32_t dst,
               uint64_t doff, const Dir& d);
  // A tuple of types (a function's params or results) stored in memory.
  void MoveMemTuple(FuncBuilder& f, const std::vector<TypeId>& ts, uint32_t src, uint32_t dst,
                    const Dir& d);
  std::pair<uint64_t, uint32_t> TupleLayout(const std::vector<TypeId>& ts) const;  // size, align
  // (ptr, len) -> (ptr', len') for a list<T> (or map<K, V>) type.
  uint32_t ListHelper(TypeId list, const Dir& d);
  // True when a byte copy moves values of t exactly (no validation, no
  // normalization): integers, and records/tuples/fixed lists of them.
  bool IsPlain(TypeId t) const;
  // True when moving a value of type t can trap (a pointer, a char or a
  // discriminant to check); integers, floats, bools, flags and records of
  // them cannot.
  bool CanTrap(TypeId t) const;
  // True when the flat value passes through unchanged (u32, s32, u64, s64
  // and records/tuples/fixed lists of them).
  bool IsFlatIdentity(TypeId t) const;

  // --- strings (adapter_strings.cc) --------------------------------------------
  // (ptr, tagged code units) -> (ptr', tagged code units').
  uint32_t StringHelper(const Dir& d);

 private:
  uint32_t Utf8Validator(const Side& s);
  uint32_t Utf16Validator(const Side& s);
  // The store half of a string move (store_string_into_range): `simple` is
  // the source's simple encoding (utf8, utf16 or, for latin1+utf16 sources,
  // latin1 or utf16), `from_latin1_utf16` whether the source's option was
  // latin1+utf16. Sets out_ptr / out_units (destination address type).
  void EmitStringStore(FuncBuilder& f, const Dir& d, StringEncoding simple, bool latin1,
                       bool from_latin1_utf16, uint32_t sp, uint32_t n, uint32_t out_ptr,
                       uint32_t out_units);

  const TypeArena& arena_;
  ModuleBuilder m_;
  std::map<std::tuple<TypeId, uint32_t>, uint32_t> list_helpers_;
  std::map<uint32_t, uint32_t> string_helpers_;
  std::map<uint32_t, uint32_t> utf8_validators_;
  std::map<uint32_t, uint32_t> utf16_validators_;
};

}  // namespace lazylink::component::internal

#endif  // LAZYLINK_COMPONENT_ADAPTER_GEN_H_
