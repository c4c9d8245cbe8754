// lazylink: Canonical ABI layout and flattening of value and function types.
//
// One function per function of the spec (CanonicalABI.md, sections
// "Despecialization", "Alignment", "Element Size", "Flattening"), named after
// it. `AddrType` is the memory's address type (`ptr_type` in the spec): i32
// for wasm32, i64 for memory64.
//
//   uint32_t a = Alignment(arena, id, AddrType::kI32);
//   uint64_t s = ElemSize(arena, id, AddrType::kI64);
//   std::vector<CoreType> flat = FlattenType(arena, id, AddrType::kI32);
//   CoreFuncType core = FlattenFuncType(arena, func, AddrType::kI32,
//                                       FlattenContext::kLift);
//
// Alignment, ElemSize and FlatCount are O(1): the arena caches them per node.
#ifndef LAZYLINK_CABI_ABI_H_
#define LAZYLINK_CABI_ABI_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loader/cabi/types.h"

namespace lazylink::cabi {

enum class AddrType : uint8_t { kI32, kI64 };
enum class CoreType : uint8_t { kI32, kI64, kF32, kF64 };
enum class FlattenContext : uint8_t { kLift, kLower };

inline constexpr size_t kMaxFlatParams = 16;
inline constexpr size_t kMaxFlatResults = 1;

const char* CoreTypeName(CoreType type);  // "i32", ...
const char* AddrTypeName(AddrType type);  // "i32" / "i64"
inline uint32_t PtrSize(AddrType addr) { return addr == AddrType::kI32 ? 4 : 8; }
inline CoreType PtrType(AddrType addr) {
  return addr == AddrType::kI32 ? CoreType::kI32 : CoreType::kI64;
}

// despecialize(): the cases of a variant-like type (variant, enum, option,
// result) and the fields of a record-like type (record, tuple, whose fields
// are labelled "0", "1", ...). Labels point into the arena.
struct CaseView {
  std::string_view label;
  TypeId type;  // kNoType: no payload
};
std::vector<CaseView> DespecializeCases(const TypeArena& arena, const TypeNode& node);
std::vector<TypeId> DespecializeFieldTypes(const TypeNode& node);

// Alignment and size (`elem_size`), cached per node.
uint32_t Alignment(const TypeArena& arena, TypeId id, AddrType addr);
uint64_t ElemSize(const TypeArena& arena, TypeId id, AddrType addr);

// discriminant_type(): the byte size of the discriminant for n cases (1, 2, 4).
uint32_t DiscriminantSize(size_t case_count);
uint32_t MaxCaseAlignment(const TypeArena& arena, const std::vector<CaseView>& cases,
                          AddrType addr);
inline uint64_t AlignTo(uint64_t ptr, uint64_t alignment) {
  return (ptr + alignment - 1) / alignment * alignment;
}

// Computes a node's layout from its children's cached layouts; TypeArena::Add
// calls it. Sizes saturate at kMaxTypeSize + 1.
NodeLayout ComputeLayout(const TypeArena& arena, const TypeNode& node);

// How many core values FlattenType would produce (saturating); O(1).
uint64_t FlatCount(const TypeArena& arena, TypeId id);
std::vector<CoreType> FlattenType(const TypeArena& arena, TypeId id, AddrType addr);
std::vector<CoreType> FlattenTypes(const TypeArena& arena, const std::vector<TypeId>& ids,
                                   AddrType addr);
CoreType Join(CoreType a, CoreType b);

struct CoreFuncType {
  std::vector<CoreType> params;
  std::vector<CoreType> results;
  bool operator==(const CoreFuncType& o) const {
    return params == o.params && results == o.results;
  }
};
// "(i32, i32) -> (i32)"
std::string CoreFuncTypeToString(const CoreFuncType& type);

// flatten_functype() for synchronous functions: params beyond MAX_FLAT_PARAMS
// become one pointer; results beyond MAX_FLAT_RESULTS become a returned
// pointer (lift) or an extra pointer parameter (lower).
CoreFuncType FlattenFuncType(const TypeArena& arena, const FuncType& func, AddrType addr,
                             FlattenContext context);

}  // namespace lazylink::cabi

#endif  // LAZYLINK_CABI_ABI_H_
