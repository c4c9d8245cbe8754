// lazylink: Component Model value types as a resolved, acyclic type graph.
//
// A TypeArena owns the nodes; a type is a TypeId (an index), so a type is
// cheap to copy and to store. Children are always added before their parents
// (WIT types cannot be recursive), which lets the arena compute each node's
// Canonical ABI layout once, when the node is added (see abi.h).
//
//   TypeArena arena;
//   LL_TRY(TypeId bytes, arena.AddList(arena.Primitive(TypeKind::kU8)));
//   LL_TRY(TypeId point, arena.AddRecord({{"x", u32}, {"y", u32}}, "point"));
//   if (auto m = CompareTypes(arena, point, other_arena, other_point))
//     puts(m->Format().c_str());   // field "y": u32 vs u16
//
// Structural equality ignores type names (as the Component Model does) but
// not labels of fields, cases and parameters.
#ifndef LAZYLINK_CABI_TYPES_H_
#define LAZYLINK_CABI_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loader/support/expected.h"

namespace lazylink::cabi {

enum class TypeKind : uint8_t {
  // Primitives, in this order: TypeArena::Primitive(kind) == kind's value.
  kBool,
  kS8,
  kU8,
  kS16,
  kU16,
  kS32,
  kU32,
  kS64,
  kU64,
  kF32,
  kF64,
  kChar,
  kString,
  // Compound types.
  kList,     // list<T> or the fixed-length list<T, N>
  kRecord,
  kTuple,
  kVariant,
  kEnum,
  kFlags,
  kOption,
  kResult,
  kMap,      // map<K, V>: laid out as list<tuple<K, V>>
  kOwn,      // resource handles: kept so the linker can reject them by name
  kBorrow,
};
inline constexpr int kPrimitiveCount = static_cast<int>(TypeKind::kString) + 1;

// "u8", "list", "record", ...
const char* TypeKindName(TypeKind kind);
inline bool IsPrimitive(TypeKind kind) {
  return static_cast<int>(kind) < kPrimitiveCount;
}

using TypeId = uint32_t;
inline constexpr TypeId kNoType = ~TypeId{0};

// A record field, a tuple element (empty label), a variant case (type may be
// kNoType), or an enum/flags label (type is kNoType).
struct Field {
  std::string label;
  TypeId type = kNoType;
};

struct TypeNode {
  TypeKind kind = TypeKind::kBool;
  std::string name;          // WIT name of a named type; for messages only
  TypeId element = kNoType;  // list/option: T; result: ok; map: key
  TypeId second = kNoType;   // result: err; map: value
  uint32_t length = 0;       // list<T, N>: N (> 0); 0 for list<T>
  std::vector<Field> fields; // record, tuple, variant, enum, flags
  std::string resource;      // own/borrow: the resource's name
};

// Canonical ABI facts of a node, cached by the arena. Index 0 is wasm32
// (addr type i32), index 1 is memory64 (i64).
struct NodeLayout {
  uint64_t size[2] = {0, 0};
  uint32_t align[2] = {1, 1};
  uint64_t flat_count = 0;  // saturates at kMaxTypeSize
  bool has_handle = false;  // own/borrow anywhere inside
};

// Limits checked when a node is added. A value larger than 4 GiB cannot be
// stored in any wasm32 memory; limiting the size also bounds flattening.
inline constexpr uint64_t kMaxTypeSize = 0xffffffffu;
inline constexpr size_t kMaxFlagsLabels = 32;  // CanonicalABI.md: 0 < n <= 32

class TypeArena {
 public:
  TypeArena();

  TypeId Primitive(TypeKind kind) const { return static_cast<TypeId>(kind); }
  size_t size() const { return nodes_.size(); }
  bool Contains(TypeId id) const { return id < nodes_.size(); }
  const TypeNode& Get(TypeId id) const { return nodes_[id]; }
  const NodeLayout& LayoutOf(TypeId id) const { return layouts_[id]; }

  // Validates (children exist, labels unique and non-empty where required,
  // counts in range, size within kMaxTypeSize) and appends. Errors have no
  // context; callers add the place.
  Expected<TypeId> Add(TypeNode node);

  Expected<TypeId> AddList(TypeId element, uint32_t length = 0);
  Expected<TypeId> AddOption(TypeId element);
  Expected<TypeId> AddResult(TypeId ok, TypeId err);
  Expected<TypeId> AddTuple(const std::vector<TypeId>& elements);
  Expected<TypeId> AddRecord(std::vector<Field> fields, std::string name = "");
  Expected<TypeId> AddVariant(std::vector<Field> cases, std::string name = "");
  Expected<TypeId> AddEnum(const std::vector<std::string>& labels, std::string name = "");
  Expected<TypeId> AddFlags(const std::vector<std::string>& labels, std::string name = "");
  Expected<TypeId> AddMap(TypeId key, TypeId value);
  Expected<TypeId> AddHandle(TypeKind own_or_borrow, std::string resource);

 private:
  std::vector<TypeNode> nodes_;
  std::vector<NodeLayout> layouts_;
};

// A function type: named parameters; results are either empty, one unnamed
// result (`-> T`, label empty) or named results (`-> (a: T, b: U)`).
struct FuncType {
  std::vector<Field> params;
  std::vector<Field> results;
};

// WIT-like text of a type for messages: `list<u8>`, `record point`,
// `record{x: u8}` for anonymous records. Long output is cut with "...".
std::string TypeToString(const TypeArena& arena, TypeId id, size_t max_chars = 120);
std::string FuncTypeToString(const TypeArena& arena, const FuncType& func,
                             size_t max_chars = 240);

// The first place where two types differ: `path` is ": "-joined steps such
// as `param 2 "rows": list element: field "height"`, `detail` says how
// (`u16 vs u32`, `cases: 3 vs 2 (case "err" missing)`). The left side is
// written first in every "vs".
struct TypeMismatch {
  std::string path;
  std::string detail;
  std::string Format() const { return path.empty() ? detail : path + ": " + detail; }
};

std::optional<TypeMismatch> CompareTypes(const TypeArena& a, TypeId x, const TypeArena& b,
                                         TypeId y);
std::optional<TypeMismatch> CompareFuncTypes(const TypeArena& a, const FuncType& f,
                                             const TypeArena& b, const FuncType& g);

// The first own/borrow handle inside a type or function (for rejecting it by
// name), or nullopt.
std::optional<std::string> FindHandle(const TypeArena& arena, TypeId id);
std::optional<std::string> FindHandle(const TypeArena& arena, const FuncType& func);

}  // namespace lazylink::cabi

#endif  // LAZYLINK_CABI_TYPES_H_
