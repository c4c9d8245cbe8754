#include "loader/cabi/abi.h"

#include <algorithm>

namespace lazylink::cabi {
namespace {

// Saturating arithmetic: sizes beyond kMaxTypeSize only need to be known to
// be too large.
constexpr uint64_t kSaturated = kMaxTypeSize + 1;
uint64_t SatAdd(uint64_t a, uint64_t b) { return std::min(a + b, kSaturated); }
uint64_t SatMul(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  if (a > kSaturated / b) return kSaturated;
  return std::min(a * b, kSaturated);
}

int Index(AddrType addr) { return addr == AddrType::kI32 ? 0 : 1; }

// alignment_record / elem_size_record over field types.
uint32_t AlignmentRecord(const TypeArena& arena, const std::vector<TypeId>& fields,
                         AddrType addr) {
  uint32_t a = 1;
  for (TypeId t : fields) a = std::max(a, Alignment(arena, t, addr));
  return a;
}

uint64_t ElemSizeRecord(const TypeArena& arena, const std::vector<TypeId>& fields,
                        AddrType addr) {
  uint64_t s = 0;
  for (TypeId t : fields) {
    s = AlignTo(s, Alignment(arena, t, addr));
    s = SatAdd(s, ElemSize(arena, t, addr));
  }
  return AlignTo(s, AlignmentRecord(arena, fields, addr));
}

uint32_t AlignmentVariant(const TypeArena& arena, const std::vector<CaseView>& cases,
                          AddrType addr) {
  return std::max(DiscriminantSize(cases.size()), MaxCaseAlignment(arena, cases, addr));
}

uint64_t ElemSizeVariant(const TypeArena& arena, const std::vector<CaseView>& cases,
                         AddrType addr) {
  uint64_t s = DiscriminantSize(cases.size());
  s = AlignTo(s, MaxCaseAlignment(arena, cases, addr));
  uint64_t cs = 0;
  for (const CaseView& c : cases) {
    if (c.type != kNoType) cs = std::max(cs, ElemSize(arena, c.type, addr));
  }
  s = SatAdd(s, cs);
  return AlignTo(s, AlignmentVariant(arena, cases, addr));
}

uint32_t AlignmentFlags(size_t n) { return n <= 8 ? 1 : n <= 16 ? 2 : 4; }
uint64_t ElemSizeFlags(size_t n) { return AlignmentFlags(n); }

// alignment_list / elem_size_list; a map is a list of (key, value) tuples.
uint32_t AlignmentList(const TypeArena& arena, const TypeNode& node, AddrType addr) {
  if (node.kind == TypeKind::kList && node.length != 0)
    return Alignment(arena, node.element, addr);
  return PtrSize(addr);
}

uint64_t ElemSizeList(const TypeArena& arena, const TypeNode& node, AddrType addr) {
  if (node.kind == TypeKind::kList && node.length != 0)
    return SatMul(node.length, ElemSize(arena, node.element, addr));
  return 2 * PtrSize(addr);
}

uint32_t AlignmentOf(const TypeArena& arena, const TypeNode& node, AddrType addr) {
  switch (node.kind) {
    case TypeKind::kBool:
    case TypeKind::kS8:
    case TypeKind::kU8: return 1;
    case TypeKind::kS16:
    case TypeKind::kU16: return 2;
    case TypeKind::kS32:
    case TypeKind::kU32: return 4;
    case TypeKind::kS64:
    case TypeKind::kU64: return 8;
    case TypeKind::kF32: return 4;
    case TypeKind::kF64: return 8;
    case TypeKind::kChar: return 4;
    case TypeKind::kString: return PtrSize(addr);
    case TypeKind::kList:
    case TypeKind::kMap: return AlignmentList(arena, node, addr);
    case TypeKind::kRecord:
    case TypeKind::kTuple: return AlignmentRecord(arena, DespecializeFieldTypes(node), addr);
    case TypeKind::kVariant:
    case TypeKind::kEnum:
    case TypeKind::kOption:
    case TypeKind::kResult:
      return AlignmentVariant(arena, DespecializeCases(arena, node), addr);
    case TypeKind::kFlags: return AlignmentFlags(node.fields.size());
    case TypeKind::kOwn:
    case TypeKind::kBorrow: return 4;
  }
  return 1;
}

uint64_t ElemSizeOf(const TypeArena& arena, const TypeNode& node, AddrType addr) {
  switch (node.kind) {
    case TypeKind::kBool:
    case TypeKind::kS8:
    case TypeKind::kU8: return 1;
    case TypeKind::kS16:
    case TypeKind::kU16: return 2;
    case TypeKind::kS32:
    case TypeKind::kU32: return 4;
    case TypeKind::kS64:
    case TypeKind::kU64: return 8;
    case TypeKind::kF32: return 4;
    case TypeKind::kF64: return 8;
    case TypeKind::kChar: return 4;
    case TypeKind::kString: return 2 * PtrSize(addr);
    case TypeKind::kList:
    case TypeKind::kMap: return ElemSizeList(arena, node, addr);
    case TypeKind::kRecord:
    case TypeKind::kTuple: return ElemSizeRecord(arena, DespecializeFieldTypes(node), addr);
    case TypeKind::kVariant:
    case TypeKind::kEnum:
    case TypeKind::kOption:
    case TypeKind::kResult:
      return ElemSizeVariant(arena, DespecializeCases(arena, node), addr);
    case TypeKind::kFlags: return ElemSizeFlags(node.fields.size());
    case TypeKind::kOwn:
    case TypeKind::kBorrow: return 4;
  }
  return 0;
}

uint64_t FlatCountOf(const TypeArena& arena, const TypeNode& node) {
  switch (node.kind) {
    case TypeKind::kString:
    case TypeKind::kMap: return 2;
    case TypeKind::kList:
      return node.length == 0 ? 2 : SatMul(node.length, FlatCount(arena, node.element));
    case TypeKind::kRecord:
    case TypeKind::kTuple: {
      uint64_t n = 0;
      for (const Field& f : node.fields) n = SatAdd(n, FlatCount(arena, f.type));
      return n;
    }
    case TypeKind::kVariant:
    case TypeKind::kEnum:
    case TypeKind::kOption:
    case TypeKind::kResult: {
      uint64_t n = 0;
      for (const CaseView& c : DespecializeCases(arena, node))
        if (c.type != kNoType) n = std::max(n, FlatCount(arena, c.type));
      return SatAdd(n, 1);
    }
    default: return 1;
  }
}

void FlattenInto(const TypeArena& arena, TypeId id, AddrType addr, std::vector<CoreType>* out);

// flatten_variant(): the discriminant, then each position joined over cases.
void FlattenVariant(const TypeArena& arena, const std::vector<CaseView>& cases, AddrType addr,
                    std::vector<CoreType>* out) {
  std::vector<CoreType> flat;
  std::vector<CoreType> payload;
  for (const CaseView& c : cases) {
    if (c.type == kNoType) continue;
    payload.clear();
    FlattenInto(arena, c.type, addr, &payload);
    for (size_t i = 0; i < payload.size(); ++i) {
      if (i < flat.size()) flat[i] = Join(flat[i], payload[i]);
      else flat.push_back(payload[i]);
    }
  }
  out->push_back(CoreType::kI32);  // every discriminant type flattens to i32
  out->insert(out->end(), flat.begin(), flat.end());
}

void FlattenInto(const TypeArena& arena, TypeId id, AddrType addr, std::vector<CoreType>* out) {
  const TypeNode& node = arena.Get(id);
  switch (node.kind) {
    case TypeKind::kS64:
    case TypeKind::kU64: out->push_back(CoreType::kI64); return;
    case TypeKind::kF32: out->push_back(CoreType::kF32); return;
    case TypeKind::kF64: out->push_back(CoreType::kF64); return;
    case TypeKind::kString:
    case TypeKind::kMap:
      out->push_back(PtrType(addr));
      out->push_back(PtrType(addr));
      return;
    case TypeKind::kList:  // flatten_list
      if (node.length == 0) {
        out->push_back(PtrType(addr));
        out->push_back(PtrType(addr));
      } else {
        for (uint32_t i = 0; i < node.length; ++i) FlattenInto(arena, node.element, addr, out);
      }
      return;
    case TypeKind::kRecord:  // flatten_record
    case TypeKind::kTuple:
      for (const Field& f : node.fields) FlattenInto(arena, f.type, addr, out);
      return;
    case TypeKind::kVariant:
    case TypeKind::kEnum:
    case TypeKind::kOption:
    case TypeKind::kResult: FlattenVariant(arena, DespecializeCases(arena, node), addr, out); return;
    default: out->push_back(CoreType::kI32); return;  // bool, ints, char, flags, handles
  }
}

}  // namespace

const char* CoreTypeName(CoreType type) {
  switch (type) {
    case CoreType::kI32: return "i32";
    case CoreType::kI64: return "i64";
    case CoreType::kF32: return "f32";
    case CoreType::kF64: return "f64";
  }
  return "?";
}

const char* AddrTypeName(AddrType type) { return type == AddrType::kI32 ? "i32" : "i64"; }

std::vector<CaseView> DespecializeCases(const TypeArena& arena, const TypeNode& node) {
  (void)arena;
  std::vector<CaseView> cases;
  switch (node.kind) {
    case TypeKind::kVariant:
      for (const Field& f : node.fields) cases.push_back({f.label, f.type});
      break;
    case TypeKind::kEnum:
      for (const Field& f : node.fields) cases.push_back({f.label, kNoType});
      break;
    case TypeKind::kOption:
      cases.push_back({"none", kNoType});
      cases.push_back({"some", node.element});
      break;
    case TypeKind::kResult:
      cases.push_back({"ok", node.element});
      cases.push_back({"error", node.second});
      break;
    default: break;
  }
  return cases;
}

std::vector<TypeId> DespecializeFieldTypes(const TypeNode& node) {
  std::vector<TypeId> types;
  types.reserve(node.fields.size());
  for (const Field& f : node.fields) types.push_back(f.type);
  return types;
}

uint32_t Alignment(const TypeArena& arena, TypeId id, AddrType addr) {
  return arena.LayoutOf(id).align[Index(addr)];
}

uint64_t ElemSize(const TypeArena& arena, TypeId id, AddrType addr) {
  return arena.LayoutOf(id).size[Index(addr)];
}

uint64_t FlatCount(const TypeArena& arena, TypeId id) { return arena.LayoutOf(id).flat_count; }

uint32_t DiscriminantSize(size_t case_count) {
  if (case_count <= (size_t{1} << 8)) return 1;
  if (case_count <= (size_t{1} << 16)) return 2;
  return 4;
}

uint32_t MaxCaseAlignment(const TypeArena& arena, const std::vector<CaseView>& cases,
                          AddrType addr) {
  uint32_t a = 1;
  for (const CaseView& c : cases)
    if (c.type != kNoType) a = std::max(a, Alignment(arena, c.type, addr));
  return a;
}

NodeLayout ComputeLayout(const TypeArena& arena, const TypeNode& node) {
  NodeLayout layout;
  for (AddrType addr : {AddrType::kI32, AddrType::kI64}) {
    layout.align[Index(addr)] = AlignmentOf(arena, node, addr);
    layout.size[Index(addr)] = ElemSizeOf(arena, node, addr);
  }
  layout.flat_count = FlatCountOf(arena, node);
  bool handle = node.kind == TypeKind::kOwn || node.kind == TypeKind::kBorrow;
  for (TypeId child : {node.element, node.second})
    if (child != kNoType) handle = handle || arena.LayoutOf(child).has_handle;
  for (const Field& f : node.fields)
    if (f.type != kNoType) handle = handle || arena.LayoutOf(f.type).has_handle;
  layout.has_handle = handle;
  return layout;
}

CoreType Join(CoreType a, CoreType b) {
  if (a == b) return a;
  if ((a == CoreType::kI32 && b == CoreType::kF32) || (a == CoreType::kF32 && b == CoreType::kI32))
    return CoreType::kI32;
  return CoreType::kI64;
}

std::vector<CoreType> FlattenType(const TypeArena& arena, TypeId id, AddrType addr) {
  std::vector<CoreType> out;
  FlattenInto(arena, id, addr, &out);
  return out;
}

std::vector<CoreType> FlattenTypes(const TypeArena& arena, const std::vector<TypeId>& ids,
                                   AddrType addr) {
  std::vector<CoreType> out;
  for (TypeId id : ids) FlattenInto(arena, id, addr, &out);
  return out;
}

CoreFuncType FlattenFuncType(const TypeArena& arena, const FuncType& func, AddrType addr,
                             FlattenContext context) {
  // Count first so that a huge fixed-length list is never materialized.
  auto flatten_limited = [&](const std::vector<Field>& fields, size_t max,
                             std::vector<CoreType>* out) {
    uint64_t n = 0;
    for (const Field& f : fields) n = SatAdd(n, FlatCount(arena, f.type));
    if (n > max) return false;
    for (const Field& f : fields) FlattenInto(arena, f.type, addr, out);
    return true;
  };
  CoreFuncType core;
  if (!flatten_limited(func.params, kMaxFlatParams, &core.params)) {
    core.params = {PtrType(addr)};
  }
  if (!flatten_limited(func.results, kMaxFlatResults, &core.results)) {
    core.results.clear();
    if (context == FlattenContext::kLift) core.results = {PtrType(addr)};
    else core.params.push_back(PtrType(addr));
  }
  return core;
}

std::string CoreFuncTypeToString(const CoreFuncType& type) {
  std::string out = "(";
  for (size_t i = 0; i < type.params.size(); ++i) {
    if (i) out += ", ";
    out += CoreTypeName(type.params[i]);
  }
  out += ") -> (";
  for (size_t i = 0; i < type.results.size(); ++i) {
    if (i) out += ", ";
    out += CoreTypeName(type.results[i]);
  }
  return out + ")";
}

}  // namespace lazylink::cabi
