// Moving values between the two memories of an adapter: the spec's lifting
// (CanonicalABI.md "Loading", "Flat Lifting") fused with lowering ("Storing",
// "Flat Lowering") for one type at a time, with the same traps.
#include "loader/component/adapter_gen.h"

namespace lazylink::component::internal {

namespace {

using cabi::TypeKind;
using cabi::TypeNode;

uint32_t Log2(uint32_t v) {
  uint32_t r = 0;
  while (v > 1) {
    v >>= 1;
    ++r;
  }
  return r;
}

DiscriminantOf DiscriminantKind(TypeKind k) {
  switch (k) {
    case TypeKind::kEnum: return DiscriminantOf::kEnum;
    case TypeKind::kOption: return DiscriminantOf::kOption;
    case TypeKind::kResult: return DiscriminantOf::kResult;
    default: return DiscriminantOf::kVariant;
  }
}

// Converts a flat value from the joined type `have` to the case's own type
// `want` (lifting: the spec's CoerceValueIter) or back (lowering).
void CoerceForLift(FuncBuilder& f, CoreType have, CoreType want) {
  if (have == want) return;
  if (have == CoreType::kI32 && want == CoreType::kF32) f.c().Op(op::kF32ReinterpretI32);
  else if (have == CoreType::kI64 && want == CoreType::kI32) f.c().Op(op::kI32WrapI64);
  else if (have == CoreType::kI64 && want == CoreType::kF32)
    f.c().Op(op::kI32WrapI64).Op(op::kF32ReinterpretI32);
  else if (have == CoreType::kI64 && want == CoreType::kF64) f.c().Op(op::kF64ReinterpretI64);
}

void CoerceForLower(FuncBuilder& f, CoreType have, CoreType want) {
  if (have == want) return;
  if (have == CoreType::kF32 && want == CoreType::kI32) f.c().Op(op::kI32ReinterpretF32);
  else if (have == CoreType::kI32 && want == CoreType::kI64) f.c().Op(op::kI64ExtendI32U);
  else if (have == CoreType::kF32 && want == CoreType::kI64)
    f.c().Op(op::kI32ReinterpretF32).Op(op::kI64ExtendI32U);
  else if (have == CoreType::kF64 && want == CoreType::kI64) f.c().Op(op::kI64ReinterpretF64);
}

void ZeroOf(FuncBuilder& f, CoreType t) {
  switch (t) {
    case CoreType::kI32: f.c().I32Const(0); break;
    case CoreType::kI64: f.c().I64Const(0); break;
    case CoreType::kF32: f.c().Op(0x43).Raw(0).Raw(0).Raw(0).Raw(0); break;  // f32.const 0
    case CoreType::kF64:
      f.c().Op(0x44);
      for (int i = 0; i < 8; ++i) f.c().Raw(0);
      break;
  }
}

// The deterministic profile: NaNs become the canonical NaN (on the bits, so
// no float operation can change a payload on the way).
void CanonicalizeF32Bits(FuncBuilder& f, uint32_t bits) {
  f.c().LocalGet(bits).I32Const(0x7fffffff).Op(op::kI32And).I32Const(0x7f800000).Op(op::kI32GtU);
  f.If();
  f.c().I32Const(0x7fc00000).LocalSet(bits);
  f.End();
}

void CanonicalizeF64Bits(FuncBuilder& f, uint32_t bits) {
  f.c().LocalGet(bits).I64Const(0x7fffffffffffffff).Op(op::kI64And);
  f.c().I64Const(0x7ff0000000000000).Op(op::kI64GtU);
  f.If();
  f.c().I64Const(0x7ff8000000000000).LocalSet(bits);
  f.End();
}

}  // namespace

std::pair<uint64_t, uint32_t> Gen::TupleLayout(const std::vector<TypeId>& ts) const {
  const cabi::AddrType a = caller.addr;
  uint64_t size = 0;
  uint32_t align = 1;
  for (TypeId t : ts) {
    const uint32_t al = cabi::Alignment(arena_, t, a);
    size = cabi::AlignTo(size, al) + cabi::ElemSize(arena_, t, a);
    if (al > align) align = al;
  }
  return {cabi::AlignTo(size, align), align};
}

bool Gen::IsPlain(TypeId t) const {
  const TypeNode& n = arena_.Get(t);
  switch (n.kind) {
    case TypeKind::kU8:
    case TypeKind::kS8:
    case TypeKind::kU16:
    case TypeKind::kS16:
    case TypeKind::kU32:
    case TypeKind::kS32:
    case TypeKind::kU64:
    case TypeKind::kS64:
      return true;
    case TypeKind::kList:
      return n.length != 0 && IsPlain(n.element);
    case TypeKind::kRecord:
    case TypeKind::kTuple:
      for (const cabi::Field& fl : n.fields)
        if (!IsPlain(fl.type)) return false;
      return true;
    default:
      return false;
  }
}

bool Gen::CanTrap(TypeId t) const {
  const TypeNode& n = arena_.Get(t);
  switch (n.kind) {
    case TypeKind::kBool:
    case TypeKind::kU8:
    case TypeKind::kS8:
    case TypeKind::kU16:
    case TypeKind::kS16:
    case TypeKind::kU32:
    case TypeKind::kS32:
    case TypeKind::kU64:
    case TypeKind::kS64:
    case TypeKind::kF32:
    case TypeKind::kF64:
    case TypeKind::kFlags:
      return false;
    case TypeKind::kList:
      return n.length == 0 || CanTrap(n.element);
    case TypeKind::kRecord:
    case TypeKind::kTuple:
      for (const cabi::Field& fl : n.fields)
        if (CanTrap(fl.type)) return true;
      return false;
    default:
      return true;
  }
}

bool Gen::IsFlatIdentity(TypeId t) const {
  const TypeNode& n = arena_.Get(t);
  switch (n.kind) {
    case TypeKind::kU32:
    case TypeKind::kS32:
    case TypeKind::kU64:
    case TypeKind::kS64:
      return true;
    case TypeKind::kList:
      return n.length != 0 && IsFlatIdentity(n.element);
    case TypeKind::kRecord:
    case TypeKind::kTuple:
      for (const cabi::Field& fl : n.fields)
        if (!IsFlatIdentity(fl.type)) return false;
      return true;
    default:
      return false;
  }
}

void Gen::MoveFlat(FuncBuilder& f, TypeId t, const std::vector<Slot>& slots, size_t first,
                   const Dir& d) {
  const TypeNode& n = arena_.Get(t);
  const cabi::AddrType a = d.src->addr;
  const uint32_t v = slots[first].local;
  switch (n.kind) {
    case TypeKind::kBool:
      f.c().LocalGet(v).I32Const(0).Op(op::kI32Ne).LocalSet(v);
      return;
    case TypeKind::kU8:
      f.c().LocalGet(v).I32Const(0xff).Op(op::kI32And).LocalSet(v);
      return;
    case TypeKind::kS8:
      f.c().LocalGet(v).Op(op::kI32Extend8S).LocalSet(v);
      return;
    case TypeKind::kU16:
      f.c().LocalGet(v).I32Const(0xffff).Op(op::kI32And).LocalSet(v);
      return;
    case TypeKind::kS16:
      f.c().LocalGet(v).Op(op::kI32Extend16S).LocalSet(v);
      return;
    case TypeKind::kU32:
    case TypeKind::kS32:
    case TypeKind::kU64:
    case TypeKind::kS64:
      return;
    case TypeKind::kF32: {
      const uint32_t bits = f.Local(ValType::kI32);
      f.c().LocalGet(v).Op(op::kI32ReinterpretF32).LocalSet(bits);
      CanonicalizeF32Bits(f, bits);
      f.c().LocalGet(bits).Op(op::kF32ReinterpretI32).LocalSet(v);
      return;
    }
    case TypeKind::kF64: {
      const uint32_t bits = f.Local(ValType::kI64);
      f.c().LocalGet(v).Op(op::kI64ReinterpretF64).LocalSet(bits);
      CanonicalizeF64Bits(f, bits);
      f.c().LocalGet(bits).Op(op::kF64ReinterpretI64).LocalSet(v);
      return;
    }
    case TypeKind::kChar:
      CheckChar(f, v, *d.src);
      return;
    case TypeKind::kString:
    case TypeKind::kMap:
    case TypeKind::kList: {
      if (n.kind == TypeKind::kList && n.length != 0) {
        const size_t each = cabi::FlattenType(arena_, n.element, a).size();
        for (uint32_t i = 0; i < n.length; ++i) MoveFlat(f, n.element, slots, first + i * each, d);
        return;
      }
      const uint32_t len = slots[first + 1].local;
      const uint32_t helper =
          n.kind == TypeKind::kString ? StringHelper(d) : ListHelper(t, d);
      f.c().LocalGet(v).LocalGet(len).Call(helper).LocalSet(len).LocalSet(v);
      return;
    }
    case TypeKind::kRecord:
    case TypeKind::kTuple: {
      size_t at = first;
      for (const cabi::Field& fl : n.fields) {
        MoveFlat(f, fl.type, slots, at, d);
        at += cabi::FlattenType(arena_, fl.type, a).size();
      }
      return;
    }
    case TypeKind::kFlags:
      if (n.fields.size() < 32)
        f.c().LocalGet(v).I32Const(static_cast<int32_t>((1u << n.fields.size()) - 1))
            .Op(op::kI32And).LocalSet(v);
      return;
    case TypeKind::kEnum:
      CheckDiscriminant(f, v, static_cast<uint32_t>(n.fields.size()), DiscriminantOf::kEnum,
                        *d.src);
      return;
    case TypeKind::kVariant:
    case TypeKind::kOption:
    case TypeKind::kResult: {
      const std::vector<cabi::CaseView> cases = cabi::DespecializeCases(arena_, n);
      const uint32_t count = static_cast<uint32_t>(cases.size());
      CheckDiscriminant(f, v, count, DiscriminantKind(n.kind), *d.src);
      const std::vector<CoreType> joined = cabi::FlattenType(arena_, t, a);
      if (joined.size() == 1) return;
      Label done = f.Block();
      std::vector<Label> labels(count);
      for (uint32_t c = count; c-- > 0;) labels[c] = f.Block();
      f.c().LocalGet(v);
      f.BrTable(labels, labels[count - 1]);
      for (uint32_t c = 0; c < count; ++c) {
        f.End();  // case c's block: its code follows
        size_t used = 0;
        if (cases[c].type != cabi::kNoType) {
          const std::vector<CoreType> own = cabi::FlattenType(arena_, cases[c].type, a);
          std::vector<Slot> case_slots;
          for (size_t i = 0; i < own.size(); ++i) {
            const Slot& s = slots[first + 1 + i];
            if (own[i] == s.type) {
              case_slots.push_back({s.local, own[i]});
              continue;
            }
            const uint32_t tmp = f.Local(ToValType(own[i]));
            f.c().LocalGet(s.local);
            CoerceForLift(f, s.type, own[i]);
            f.c().LocalSet(tmp);
            case_slots.push_back({tmp, own[i]});
          }
          MoveFlat(f, cases[c].type, case_slots, 0, d);
          for (size_t i = 0; i < own.size(); ++i) {
            const Slot& s = slots[first + 1 + i];
            if (case_slots[i].local == s.local) continue;
            f.c().LocalGet(case_slots[i].local);
            CoerceForLower(f, own[i], s.type);
            f.c().LocalSet(s.local);
          }
          used = own.size();
        }
        // The spec lowers unused payload positions as zeros.
        for (size_t i = used; i + 1 < joined.size(); ++i) {
          ZeroOf(f, slots[first + 1 + i].type);
          f.c().LocalSet(slots[first + 1 + i].local);
        }
        f.Br(done);
      }
      f.End();
      return;
    }
    case TypeKind::kOwn:
    case TypeKind::kBorrow:
      f.c().Unreachable();  // refused before generation
      return;
  }
}

void Gen::MoveMem(FuncBuilder& f, TypeId t, uint32_t src, uint64_t soff, uint32_t dst,
                  uint64_t doff, const Dir& d) {
  const TypeNode& n = arena_.Get(t);
  const Side& s = *d.src;
  const Side& o = *d.dst;
  const cabi::AddrType a = s.addr;
  auto copy = [&](uint8_t load, uint8_t store, uint32_t align_log2) {
    f.c().LocalGet(dst).LocalGet(src);
    Load(f, s, load, align_log2, soff);
    Store(f, o, store, align_log2, doff);
  };
  switch (n.kind) {
    case TypeKind::kBool:
      f.c().LocalGet(dst).LocalGet(src);
      Load(f, s, op::kI32Load8U, 0, soff);
      f.c().I32Const(0).Op(op::kI32Ne);
      Store(f, o, op::kI32Store8, 0, doff);
      return;
    case TypeKind::kU8:
    case TypeKind::kS8:
      copy(op::kI32Load8U, op::kI32Store8, 0);
      return;
    case TypeKind::kU16:
    case TypeKind::kS16:
      copy(op::kI32Load16U, op::kI32Store16, 1);
      return;
    case TypeKind::kU32:
    case TypeKind::kS32:
      copy(op::kI32Load, op::kI32Store, 2);
      return;
    case TypeKind::kU64:
    case TypeKind::kS64:
      copy(op::kI64Load, op::kI64Store, 3);
      return;
    case TypeKind::kF32:
    case TypeKind::kChar:
    case TypeKind::kEnum:
    case TypeKind::kFlags: {
      uint32_t size = static_cast<uint32_t>(cabi::ElemSize(arena_, t, a));
      const uint8_t load = size == 1 ? op::kI32Load8U : size == 2 ? op::kI32Load16U : op::kI32Load;
      const uint8_t store = size == 1 ? op::kI32Store8 : size == 2 ? op::kI32Store16 : op::kI32Store;
      const uint32_t v = f.Local(ValType::kI32);
      f.c().LocalGet(src);
      Load(f, s, load, Log2(size), soff);
      f.c().LocalSet(v);
      if (n.kind == TypeKind::kF32) CanonicalizeF32Bits(f, v);
      if (n.kind == TypeKind::kChar) CheckChar(f, v, s);
      if (n.kind == TypeKind::kEnum)
        CheckDiscriminant(f, v, static_cast<uint32_t>(n.fields.size()), DiscriminantOf::kEnum, s);
      if (n.kind == TypeKind::kFlags && n.fields.size() < 32 && n.fields.size() != 8 * size)
        f.c().LocalGet(v).I32Const(static_cast<int32_t>((1u << n.fields.size()) - 1))
            .Op(op::kI32And).LocalSet(v);
      f.c().LocalGet(dst).LocalGet(v);
      Store(f, o, store, Log2(size), doff);
      return;
    }
    case TypeKind::kF64: {
      const uint32_t v = f.Local(ValType::kI64);
      f.c().LocalGet(src);
      Load(f, s, op::kI64Load, 3, soff);
      f.c().LocalSet(v);
      CanonicalizeF64Bits(f, v);
      f.c().LocalGet(dst).LocalGet(v);
      Store(f, o, op::kI64Store, 3, doff);
      return;
    }
    case TypeKind::kString:
    case TypeKind::kMap:
    case TypeKind::kList: {
      if (n.kind == TypeKind::kList && n.length != 0) {
        const uint64_t size = cabi::ElemSize(arena_, n.element, a);
        if (IsPlain(n.element)) {
          f.c().LocalGet(dst);
          if (doff) {
            PtrConst(f, o, doff);
            f.c().Op(o.is64() ? op::kI64Add : op::kI32Add);
          }
          f.c().LocalGet(src);
          if (soff) {
            PtrConst(f, s, soff);
            f.c().Op(s.is64() ? op::kI64Add : op::kI32Add);
          }
          PtrConst(f, s, size * n.length);
          f.c().MemoryCopy(o.mem, s.mem);
          return;
        }
        for (uint32_t i = 0; i < n.length; ++i)
          MoveMem(f, n.element, src, soff + i * size, dst, doff + i * size, d);
        return;
      }
      const uint32_t p = f.Local(s.ptr());
      const uint32_t l = f.Local(s.ptr());
      f.c().LocalGet(src);
      LoadPtr(f, s, soff);
      f.c().LocalSet(p).LocalGet(src);
      LoadPtr(f, s, soff + cabi::PtrSize(a));
      f.c().LocalSet(l);
      const uint32_t helper = n.kind == TypeKind::kString ? StringHelper(d) : ListHelper(t, d);
      f.c().LocalGet(p).LocalGet(l).Call(helper).LocalSet(l).LocalSet(p);
      f.c().LocalGet(dst).LocalGet(p);
      StorePtr(f, o, doff);
      f.c().LocalGet(dst).LocalGet(l);
      StorePtr(f, o, doff + cabi::PtrSize(a));
      return;
    }
    case TypeKind::kRecord:
    case TypeKind::kTuple: {
      uint64_t off = 0;
      for (const cabi::Field& fl : n.fields) {
        off = cabi::AlignTo(off, cabi::Alignment(arena_, fl.type, a));
        MoveMem(f, fl.type, src, soff + off, dst, doff + off, d);
        off += cabi::ElemSize(arena_, fl.type, a);
      }
      return;
    }
    case TypeKind::kVariant:
    case TypeKind::kOption:
    case TypeKind::kResult: {
      const std::vector<cabi::CaseView> cases = cabi::DespecializeCases(arena_, n);
      const uint32_t count = static_cast<uint32_t>(cases.size());
      const uint32_t disc_size = cabi::DiscriminantSize(cases.size());
      const uint8_t load =
          disc_size == 1 ? op::kI32Load8U : disc_size == 2 ? op::kI32Load16U : op::kI32Load;
      const uint8_t store =
          disc_size == 1 ? op::kI32Store8 : disc_size == 2 ? op::kI32Store16 : op::kI32Store;
      const uint32_t v = f.Local(ValType::kI32);
      f.c().LocalGet(src);
      Load(f, s, load, Log2(disc_size), soff);
      f.c().LocalSet(v);
      CheckDiscriminant(f, v, count, DiscriminantKind(n.kind), s);
      f.c().LocalGet(dst).LocalGet(v);
      Store(f, o, store, Log2(disc_size), doff);
      const uint64_t payload = cabi::AlignTo(disc_size, cabi::MaxCaseAlignment(arena_, cases, a));
      bool any = false;
      for (const cabi::CaseView& c : cases) any |= c.type != cabi::kNoType;
      if (!any) return;
      Label done = f.Block();
      std::vector<Label> labels(count);
      for (uint32_t c = count; c-- > 0;) labels[c] = f.Block();
      f.c().LocalGet(v);
      f.BrTable(labels, labels[count - 1]);
      for (uint32_t c = 0; c < count; ++c) {
        f.End();
        if (cases[c].type != cabi::kNoType)
          MoveMem(f, cases[c].type, src, soff + payload, dst, doff + payload, d);
        f.Br(done);
      }
      f.End();
      return;
    }
    case TypeKind::kOwn:
    case TypeKind::kBorrow:
      f.c().Unreachable();
      return;
  }
}

void Gen::MoveMemTuple(FuncBuilder& f, const std::vector<TypeId>& ts, uint32_t src, uint32_t dst,
                       const Dir& d) {
  const cabi::AddrType a = d.src->addr;
  uint64_t off = 0;
  for (TypeId t : ts) {
    off = cabi::AlignTo(off, cabi::Alignment(arena_, t, a));
    MoveMem(f, t, src, off, dst, off, d);
    off += cabi::ElemSize(arena_, t, a);
  }
}

uint32_t Gen::ListHelper(TypeId list, const Dir& d) {
  const TypeNode& n = arena_.Get(list);
  // A map<K, V> is a list<tuple<K, V>>: its element is laid out as a
  // two-field record; moving it field by field needs no arena node.
  const bool is_map = n.kind == TypeKind::kMap;
  const TrapWhat what = is_map ? TrapWhat::kMap : TrapWhat::kList;
  auto key = std::make_tuple(list, d.src->mem);
  auto it = list_helpers_.find(key);
  if (it != list_helpers_.end()) return it->second;
  const Side& s = *d.src;
  const Side& o = *d.dst;
  const cabi::AddrType a = s.addr;
  const ValType p = s.ptr();
  const uint32_t self = m_.ReserveFunction(m_.AddType({{p, p}, {p, p}}));
  list_helpers_[key] = self;

  std::vector<TypeId> elems = is_map ? std::vector<TypeId>{n.element, n.second}
                                     : std::vector<TypeId>{n.element};
  uint64_t size;
  uint32_t align;
  if (is_map) {
    std::tie(size, align) = TupleLayout(elems);
  } else {
    size = cabi::ElemSize(arena_, n.element, a);
    align = cabi::Alignment(arena_, n.element, a);
  }
  FuncBuilder f({p, p});
  const uint32_t sp = 0, len = 1;
  // load_list_from_range: trap_if(length * elem_size > MAX) — checked as
  // length > MAX / elem_size so the product cannot overflow.
  const uint32_t bytes = f.Local(ValType::kI64);
  PtrAsI64(f, s, len);
  f.c().I64Const(static_cast<int64_t>(kMaxListBytes / size)).Op(op::kI64GtU);
  f.If();
  Trap(f, TrapKind::kListTooLong, static_cast<uint32_t>(what), s,
       [&](FuncBuilder& g) { PtrAsI64(g, s, len); }, Const64(size));
  f.End();
  PtrAsI64(f, s, len);
  f.c().I64Const(static_cast<int64_t>(size)).Op(op::kI64Mul).LocalSet(bytes);
  CheckRange(f, s, sp, bytes, align, what);
  const uint32_t dp = Realloc(f, o, kNoLocal, kNoLocal, align, bytes);
  if (!is_map && IsPlain(n.element)) {
    f.c().LocalGet(dp).LocalGet(sp).LocalGet(bytes);
    I64ToPtr(f, s);
    f.c().MemoryCopy(o.mem, s.mem);
  } else {
    // Element by element, with running pointers.
    const uint32_t i = f.Local(p), sc = f.Local(p), dc = f.Local(p);
    f.c().LocalGet(sp).LocalSet(sc).LocalGet(dp).LocalSet(dc);
    PtrConst(f, s, 0);
    f.c().LocalSet(i);
    Label out = f.Block();
    Label top = f.Loop();
    f.c().LocalGet(i).LocalGet(len).Op(s.is64() ? op::kI64GeU : op::kI32GeU);
    f.BrIf(out);
    if (is_map) MoveMemTuple(f, elems, sc, dc, d);
    else MoveMem(f, n.element, sc, 0, dc, 0, d);
    for (uint32_t ptr : {sc, dc}) {
      f.c().LocalGet(ptr);
      PtrConst(f, s, size);
      f.c().Op(s.is64() ? op::kI64Add : op::kI32Add).LocalSet(ptr);
    }
    f.c().LocalGet(i);
    PtrConst(f, s, 1);
    f.c().Op(s.is64() ? op::kI64Add : op::kI32Add).LocalSet(i);
    f.Br(top);
    f.End();
    f.End();
  }
  f.c().LocalGet(dp).LocalGet(len);
  m_.SetBody(self, f.Finish());
  return self;
}

}  // namespace lazylink::component::internal
