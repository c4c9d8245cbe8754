// Strings in generated adapters: load_string_from_range (length limit,
// alignment, bounds, validation) fused with store_string_into_range and its
// transcoding functions, with the spec's exact realloc sequences
// (CanonicalABI.md "Loading" and "Storing": store_string_copy,
// store_string_to_utf8, store_utf8_to_utf16, store_string_to_latin1_or_utf16,
// store_probably_utf16_to_latin1_or_utf16).
#include "loader/component/adapter_gen.h"

namespace lazylink::component::internal {

namespace {

// v128.load from `s`'s memory (SIMD prefix, then a memarg like MemOp's).
void V128Load(FuncBuilder& f, const Side& s, uint32_t offset) {
  f.c().Op(op::kPrefixSimd).Idx(op::kV128Load);
  if (s.mem == 0) {
    f.c().Idx(0);
  } else {
    f.c().Idx(0x40).Idx(s.mem);
  }
  f.c().Idx(offset);
}

void AddI32(FuncBuilder& f, uint32_t local, int32_t v) {
  f.c().LocalGet(local).I32Const(v).Op(op::kI32Add).LocalSet(local);
}

}  // namespace

uint32_t Gen::Utf8Validator(const Side& s) {
  auto it = utf8_validators_.find(s.mem);
  if (it != utf8_validators_.end()) return it->second;
  const uint32_t self = m_.ReserveFunction(m_.AddType({{s.ptr(), ValType::kI32}, {}}));
  utf8_validators_[s.mem] = self;

  FuncBuilder f({s.ptr(), ValType::kI32});
  const uint32_t sp = 0, n = 1;
  const uint32_t i = f.Local(ValType::kI32), until = f.Local(ValType::kI32);
  const uint32_t b0 = f.Local(ValType::kI32), b = f.Local(ValType::kI32);
  const uint32_t lo = f.Local(ValType::kI32), hi = f.Local(ValType::kI32);
  auto byte_at = [&](uint32_t offset) {
    Addr(f, s, sp, i, 0);
    Load(f, s, op::kI32Load8U, 0, offset);
  };
  // br_if bad unless byte `offset` is a continuation byte in [lo, hi].
  auto in_range = [&](uint32_t offset, Label bad, bool ranged) {
    byte_at(offset);
    f.c().LocalSet(b);
    if (ranged) {
      f.c().LocalGet(b).LocalGet(lo).Op(op::kI32Sub).LocalGet(hi).LocalGet(lo).Op(op::kI32Sub);
      f.c().Op(op::kI32GtU);
    } else {
      f.c().LocalGet(b).I32Const(0xc0).Op(op::kI32And).I32Const(0x80).Op(op::kI32Ne);
    }
    f.BrIf(bad);
  };
  auto need = [&](int32_t extra, Label bad) {  // i + extra >= n -> bad
    f.c().LocalGet(i).I32Const(extra).Op(op::kI32Add).LocalGet(n).Op(op::kI32GeU);
    f.BrIf(bad);
  };

  Label ok = f.Block();
  Label bad = f.Block();
  Label top = f.Loop();
  {
    // Fast path: skip whole blocks of ASCII (64 bytes with SIMD, else 32),
    // except just after a block that was not all ASCII.
    const int32_t block = simd ? 64 : 32;
    f.c().LocalGet(i).LocalGet(until).Op(op::kI32GeU);
    f.If();
    Label nofast = f.Block();
    Label fast = f.Loop();
    f.c().LocalGet(i).I32Const(block).Op(op::kI32Add).LocalGet(n).Op(op::kI32GtU);
    f.BrIf(nofast);
    if (simd) {
      for (uint32_t k = 0; k < 4; ++k) {
        Addr(f, s, sp, i, 0);
        V128Load(f, s, 16 * k);
        if (k) f.c().Op(op::kPrefixSimd).Idx(op::kV128Or);
      }
      f.c().Op(op::kPrefixSimd).Idx(op::kI8x16Bitmask);
    } else {
      for (uint32_t k = 0; k < 4; ++k) {
        Addr(f, s, sp, i, 0);
        Load(f, s, op::kI64Load, 0, 8 * k);
        if (k) f.c().Op(op::kI64Or);
      }
      f.c().I64Const(static_cast<int64_t>(0x8080808080808080ull)).Op(op::kI64And);
      f.c().Op(op::kI64Eqz).Op(op::kI32Eqz);
    }
    f.If();
    f.c().LocalGet(i).I32Const(block).Op(op::kI32Add).LocalSet(until);
    f.Br(nofast);
    f.End();
    AddI32(f, i, block);
    f.Br(fast);
    f.End();
    f.End();
    f.End();
  }
  f.c().LocalGet(i).LocalGet(n).Op(op::kI32GeU);
  f.BrIf(ok);
  byte_at(0);
  f.c().LocalSet(b0);
  // One byte.
  f.c().LocalGet(b0).I32Const(0x80).Op(op::kI32LtU);
  f.If();
  AddI32(f, i, 1);
  f.Br(top);
  f.End();
  f.c().LocalGet(b0).I32Const(0xc2).Op(op::kI32LtU);
  f.BrIf(bad);
  // Two bytes: C2..DF 80..BF.
  f.c().LocalGet(b0).I32Const(0xe0).Op(op::kI32LtU);
  f.If();
  need(1, bad);
  in_range(1, bad, false);
  AddI32(f, i, 2);
  f.Br(top);
  f.End();
  // Three bytes: E0 A0..BF, E1..EC 80..BF, ED 80..9F, EE..EF 80..BF; then 80..BF.
  f.c().LocalGet(b0).I32Const(0xf0).Op(op::kI32LtU);
  f.If();
  need(2, bad);
  f.c().I32Const(0xa0).I32Const(0x80).LocalGet(b0).I32Const(0xe0).Op(op::kI32Eq).Op(op::kSelect);
  f.c().LocalSet(lo);
  f.c().I32Const(0x9f).I32Const(0xbf).LocalGet(b0).I32Const(0xed).Op(op::kI32Eq).Op(op::kSelect);
  f.c().LocalSet(hi);
  in_range(1, bad, true);
  in_range(2, bad, false);
  AddI32(f, i, 3);
  f.Br(top);
  f.End();
  // Four bytes: F0 90..BF, F1..F3 80..BF, F4 80..8F; then two of 80..BF.
  f.c().LocalGet(b0).I32Const(0xf5).Op(op::kI32LtU);
  f.If();
  need(3, bad);
  f.c().I32Const(0x90).I32Const(0x80).LocalGet(b0).I32Const(0xf0).Op(op::kI32Eq).Op(op::kSelect);
  f.c().LocalSet(lo);
  f.c().I32Const(0x8f).I32Const(0xbf).LocalGet(b0).I32Const(0xf4).Op(op::kI32Eq).Op(op::kSelect);
  f.c().LocalSet(hi);
  in_range(1, bad, true);
  in_range(2, bad, false);
  in_range(3, bad, false);
  AddI32(f, i, 4);
  f.Br(top);
  f.End();
  f.Br(bad);
  f.End();  // loop
  f.End();  // bad
  Trap(f, TrapKind::kInvalidUtf8, 0, s, [&](FuncBuilder& g) { PtrAsI64(g, s, sp); },
       [&](FuncBuilder& g) { g.c().LocalGet(n).Op(op::kI64ExtendI32U); });
  f.End();  // ok
  m_.SetBody(self, f.Finish());
  return self;
}

uint32_t Gen::Utf16Validator(const Side& s) {
  auto it = utf16_validators_.find(s.mem);
  if (it != utf16_validators_.end()) return it->second;
  const uint32_t self = m_.ReserveFunction(m_.AddType({{s.ptr(), ValType::kI32}, {}}));
  utf16_validators_[s.mem] = self;

  FuncBuilder f({s.ptr(), ValType::kI32});
  const uint32_t sp = 0, n = 1;
  const uint32_t i = f.Local(ValType::kI32), u = f.Local(ValType::kI32);
  Label ok = f.Block();
  Label bad = f.Block();
  Label top = f.Loop();
  f.c().LocalGet(i).LocalGet(n).Op(op::kI32GeU);
  f.BrIf(ok);
  Addr(f, s, sp, i, 1);
  Load(f, s, op::kI32Load16U, 1, 0);
  f.c().LocalTee(u).I32Const(0xf800).Op(op::kI32And).I32Const(0xd800).Op(op::kI32Ne);
  f.If();
  AddI32(f, i, 1);
  f.Br(top);
  f.End();
  // A surrogate: it must be a high one followed by a low one.
  f.c().LocalGet(u).I32Const(0xdc00).Op(op::kI32GeU);
  f.BrIf(bad);
  f.c().LocalGet(i).I32Const(1).Op(op::kI32Add).LocalGet(n).Op(op::kI32GeU);
  f.BrIf(bad);
  Addr(f, s, sp, i, 1);
  Load(f, s, op::kI32Load16U, 1, 2);
  f.c().I32Const(0xfc00).Op(op::kI32And).I32Const(0xdc00).Op(op::kI32Ne);
  f.BrIf(bad);
  AddI32(f, i, 2);
  f.Br(top);
  f.End();
  f.End();
  Trap(f, TrapKind::kInvalidUtf16, 0, s, [&](FuncBuilder& g) { PtrAsI64(g, s, sp); },
       [&](FuncBuilder& g) { g.c().LocalGet(n).Op(op::kI64ExtendI32U).I64Const(1).Op(op::kI64Shl); });
  f.End();
  m_.SetBody(self, f.Finish());
  return self;
}

uint32_t Gen::StringHelper(const Dir& d) {
  auto it = string_helpers_.find(d.src->mem);
  if (it != string_helpers_.end()) return it->second;
  const Side& s = *d.src;
  const ValType p = s.ptr();
  const uint32_t self = m_.ReserveFunction(m_.AddType({{p, p}, {p, p}}));
  string_helpers_[d.src->mem] = self;

  FuncBuilder f({p, p});
  const uint32_t sp = 0, tagged = 1;
  const uint32_t n64 = f.Local(ValType::kI64), bytes = f.Local(ValType::kI64);
  const uint32_t is16 = f.Local(ValType::kI32), n = f.Local(ValType::kI32);
  const uint32_t rp = f.Local(d.dst->ptr()), ru = f.Local(d.dst->ptr());
  uint32_t align = 1;
  switch (s.enc) {
    case StringEncoding::kUtf8:
      PtrAsI64(f, s, tagged);
      f.c().LocalTee(n64).LocalSet(bytes);
      break;
    case StringEncoding::kUtf16:
      align = 2;
      PtrAsI64(f, s, tagged);
      f.c().LocalTee(n64).I64Const(1).Op(op::kI64Shl).LocalSet(bytes);
      break;
    case StringEncoding::kLatin1Utf16: {
      // The UTF-16 tag is the top bit of the length (bit 31, or 63 for memory64).
      align = 2;
      const uint64_t tag = s.is64() ? uint64_t{1} << 63 : uint64_t{1} << 31;
      PtrAsI64(f, s, tagged);
      f.c().I64Const(static_cast<int64_t>(tag)).Op(op::kI64And).I64Const(0).Op(op::kI64Ne);
      f.c().LocalSet(is16);
      PtrAsI64(f, s, tagged);
      f.c().I64Const(static_cast<int64_t>(~tag & (s.is64() ? ~uint64_t{0} : 0xffffffffu)));
      f.c().Op(op::kI64And).LocalSet(n64);
      f.c().LocalGet(n64).I64Const(1).Op(op::kI64Shl).LocalGet(n64).LocalGet(is16);
      f.c().Op(op::kSelect).LocalSet(bytes);
      break;
    }
  }
  CheckLimit(f, s, bytes, kMaxStringBytes, TrapKind::kStringTooLong, Const64(0));
  CheckRange(f, s, sp, bytes, align, TrapWhat::kString);
  f.c().LocalGet(n64).Op(op::kI32WrapI64).LocalSet(n);
  switch (s.enc) {
    case StringEncoding::kUtf8:
      f.c().LocalGet(sp).LocalGet(n).Call(Utf8Validator(s));
      EmitStringStore(f, d, StringEncoding::kUtf8, false, false, sp, n, rp, ru);
      break;
    case StringEncoding::kUtf16:
      f.c().LocalGet(sp).LocalGet(n).Call(Utf16Validator(s));
      EmitStringStore(f, d, StringEncoding::kUtf16, false, false, sp, n, rp, ru);
      break;
    case StringEncoding::kLatin1Utf16:
      f.c().LocalGet(is16);
      f.If();
      f.c().LocalGet(sp).LocalGet(n).Call(Utf16Validator(s));
      EmitStringStore(f, d, StringEncoding::kUtf16, false, true, sp, n, rp, ru);
      f.Else();
      EmitStringStore(f, d, StringEncoding::kUtf8, true, true, sp, n, rp, ru);
      f.End();
      break;
  }
  f.c().LocalGet(rp).LocalGet(ru);
  m_.SetBody(self, f.Finish());
  return self;
}

namespace {

// Code-point decoders over a validated source; set cp and adv (code units).
struct Decoder {
  Gen* g;
  const Side* s;
  uint32_t sp;
  bool utf16;
  bool latin1;
  uint32_t cp, adv;

  void Emit(FuncBuilder& f, uint32_t i) {
    if (latin1) {
      g->Addr(f, *s, sp, i, 0);
      g->Load(f, *s, op::kI32Load8U, 0, 0);
      f.c().LocalSet(cp).I32Const(1).LocalSet(adv);
      return;
    }
    if (utf16) {
      g->Addr(f, *s, sp, i, 1);
      g->Load(f, *s, op::kI32Load16U, 1, 0);
      f.c().LocalTee(cp).I32Const(0xfc00).Op(op::kI32And).I32Const(0xd800).Op(op::kI32Eq);
      f.If();
      f.c().LocalGet(cp).I32Const(0xd800).Op(op::kI32Sub).I32Const(10).Op(op::kI32Shl);
      g->Addr(f, *s, sp, i, 1);
      g->Load(f, *s, op::kI32Load16U, 1, 2);
      f.c().I32Const(0xdc00).Op(op::kI32Sub).Op(op::kI32Add).I32Const(0x10000).Op(op::kI32Add);
      f.c().LocalSet(cp).I32Const(2).LocalSet(adv);
      f.Else();
      f.c().I32Const(1).LocalSet(adv);
      f.End();
      return;
    }
    auto byte = [&](uint32_t k, int32_t mask, int32_t shift) {
      g->Addr(f, *s, sp, i, 0);
      g->Load(f, *s, op::kI32Load8U, 0, k);
      f.c().I32Const(mask).Op(op::kI32And);
      if (shift) f.c().I32Const(shift).Op(op::kI32Shl);
    };
    g->Addr(f, *s, sp, i, 0);
    g->Load(f, *s, op::kI32Load8U, 0, 0);
    f.c().LocalTee(cp).I32Const(0x80).Op(op::kI32LtU);
    f.If();
    f.c().I32Const(1).LocalSet(adv);
    f.Else();
    f.c().LocalGet(cp).I32Const(0xe0).Op(op::kI32LtU);
    f.If();
    byte(0, 0x1f, 6);
    byte(1, 0x3f, 0);
    f.c().Op(op::kI32Or).LocalSet(cp).I32Const(2).LocalSet(adv);
    f.Else();
    f.c().LocalGet(cp).I32Const(0xf0).Op(op::kI32LtU);
    f.If();
    byte(0, 0x0f, 12);
    byte(1, 0x3f, 6);
    f.c().Op(op::kI32Or);
    byte(2, 0x3f, 0);
    f.c().Op(op::kI32Or).LocalSet(cp).I32Const(3).LocalSet(adv);
    f.Else();
    byte(0, 0x07, 18);
    byte(1, 0x3f, 12);
    f.c().Op(op::kI32Or);
    byte(2, 0x3f, 6);
    f.c().Op(op::kI32Or);
    byte(3, 0x3f, 0);
    f.c().Op(op::kI32Or).LocalSet(cp).I32Const(4).LocalSet(adv);
    f.End();
    f.End();
    f.End();
  }
};

// Writes code point cp as UTF-8 at dp + o; advances o.
void EncodeUtf8(Gen& g, FuncBuilder& f, const Side& d, uint32_t dp, uint32_t o, uint32_t cp) {
  auto put = [&](uint32_t k, int32_t shift, int32_t mask, int32_t tag) {
    g.Addr(f, d, dp, o, 0);
    f.c().LocalGet(cp);
    if (shift) f.c().I32Const(shift).Op(op::kI32ShrU);
    if (mask) f.c().I32Const(mask).Op(op::kI32And);
    if (tag) f.c().I32Const(tag).Op(op::kI32Or);
    g.Store(f, d, op::kI32Store8, 0, k);
  };
  f.c().LocalGet(cp).I32Const(0x80).Op(op::kI32LtU);
  f.If();
  put(0, 0, 0, 0);
  AddI32(f, o, 1);
  f.Else();
  f.c().LocalGet(cp).I32Const(0x800).Op(op::kI32LtU);
  f.If();
  put(0, 6, 0, 0xc0);
  put(1, 0, 0x3f, 0x80);
  AddI32(f, o, 2);
  f.Else();
  f.c().LocalGet(cp).I32Const(0x10000).Op(op::kI32LtU);
  f.If();
  put(0, 12, 0, 0xe0);
  put(1, 6, 0x3f, 0x80);
  put(2, 0, 0x3f, 0x80);
  AddI32(f, o, 3);
  f.Else();
  put(0, 18, 0, 0xf0);
  put(1, 12, 0x3f, 0x80);
  put(2, 6, 0x3f, 0x80);
  put(3, 0, 0x3f, 0x80);
  AddI32(f, o, 4);
  f.End();
  f.End();
  f.End();
}

// Writes code point cp as UTF-16 at dp + 2u; advances u.
void EncodeUtf16(Gen& g, FuncBuilder& f, const Side& d, uint32_t dp, uint32_t u, uint32_t cp) {
  f.c().LocalGet(cp).I32Const(0x10000).Op(op::kI32LtU);
  f.If();
  g.Addr(f, d, dp, u, 1);
  f.c().LocalGet(cp);
  g.Store(f, d, op::kI32Store16, 1, 0);
  AddI32(f, u, 1);
  f.Else();
  g.Addr(f, d, dp, u, 1);
  f.c().LocalGet(cp).I32Const(0x10000).Op(op::kI32Sub).I32Const(10).Op(op::kI32ShrU);
  f.c().I32Const(0xd800).Op(op::kI32Or);
  g.Store(f, d, op::kI32Store16, 1, 0);
  g.Addr(f, d, dp, u, 1);
  f.c().LocalGet(cp).I32Const(0x3ff).Op(op::kI32And).I32Const(0xdc00).Op(op::kI32Or);
  g.Store(f, d, op::kI32Store16, 1, 2);
  AddI32(f, u, 2);
  f.End();
}

}  // namespace

void Gen::EmitStringStore(FuncBuilder& f, const Dir& d, StringEncoding simple, bool latin1,
                          bool from_latin1_utf16, uint32_t sp, uint32_t n, uint32_t rp,
                          uint32_t ru) {
  const Side& s = *d.src;
  const Side& o = *d.dst;
  const uint64_t tag = o.is64() ? uint64_t{1} << 63 : uint64_t{1} << 31;
  const uint32_t n64 = f.Local(ValType::kI64);
  f.c().LocalGet(n).Op(op::kI64ExtendI32U).LocalSet(n64);
  auto set_units = [&](uint32_t units_i32, bool tagged) {
    f.c().LocalGet(units_i32);
    if (o.is64()) f.c().Op(op::kI64ExtendI32U);
    if (tagged) {
      PtrConst(f, o, tag);
      f.c().Op(o.is64() ? op::kI64Or : op::kI32Or);
    }
    f.c().LocalSet(ru);
  };
  auto i64_of = [&](uint32_t i32_local, uint32_t scale_shift) {
    const uint32_t out = f.Local(ValType::kI64);
    f.c().LocalGet(i32_local).Op(op::kI64ExtendI32U);
    if (scale_shift) f.c().I64Const(scale_shift).Op(op::kI64Shl);
    f.c().LocalSet(out);
    return out;
  };
  auto times = [&](uint32_t factor) {
    const uint32_t out = f.Local(ValType::kI64);
    f.c().LocalGet(n64).I64Const(factor).Op(op::kI64Mul).LocalSet(out);
    return out;
  };
  // store_string_copy: same code units, a byte copy.
  auto copy = [&](uint32_t unit, uint32_t align) {
    const uint32_t size = times(unit);
    const uint32_t dp = Realloc(f, o, kNoLocal, kNoLocal, align, size);
    f.c().LocalGet(dp).LocalGet(sp).LocalGet(size);
    I64ToPtr(f, s);
    f.c().MemoryCopy(o.mem, s.mem);
    f.c().LocalGet(dp).LocalSet(rp);
    set_units(n, false);
  };
  Decoder dec{this, &s, sp, simple == StringEncoding::kUtf16 && !latin1, latin1,
              f.Local(ValType::kI32), f.Local(ValType::kI32)};
  const uint32_t i = f.Local(ValType::kI32);

  switch (o.enc) {
    case StringEncoding::kUtf8: {
      if (simple == StringEncoding::kUtf8 && !latin1) {
        copy(1, 1);
        return;
      }
      // store_string_to_utf8: optimistic ASCII copy, then the worst case, then shrink.
      const uint32_t worst = times(latin1 ? 2 : 3);
      const uint32_t dp = Realloc(f, o, kNoLocal, kNoLocal, 1, n64);
      Label end = f.Block();
      Label slow = f.Block();
      Label top = f.Loop();
      f.c().LocalGet(i).LocalGet(n).Op(op::kI32GeU);
      f.If();
      f.c().LocalGet(dp).LocalSet(rp);
      set_units(n, false);
      f.Br(end);
      f.End();
      Addr(f, s, sp, i, latin1 ? 0 : 1);
      if (latin1) Load(f, s, op::kI32Load8U, 0, 0);
      else Load(f, s, op::kI32Load16U, 1, 0);
      f.c().LocalTee(dec.cp).I32Const(0x80).Op(op::kI32GeU);
      f.BrIf(slow);
      Addr(f, o, dp, i, 0);
      f.c().LocalGet(dec.cp);
      Store(f, o, op::kI32Store8, 0, 0);
      AddI32(f, i, 1);
      f.Br(top);
      f.End();
      f.End();
      CheckLimit(f, o, worst, kMaxStringBytes, TrapKind::kStringTooLong, Const64(0));
      const uint32_t dp2 = Realloc(f, o, dp, n64, 1, worst);
      const uint32_t out = f.Local(ValType::kI32);
      f.c().LocalGet(i).LocalSet(out);
      Label done = f.Block();
      Label loop = f.Loop();
      f.c().LocalGet(i).LocalGet(n).Op(op::kI32GeU);
      f.BrIf(done);
      dec.Emit(f, i);
      f.c().LocalGet(i).LocalGet(dec.adv).Op(op::kI32Add).LocalSet(i);
      EncodeUtf8(*this, f, o, dp2, out, dec.cp);
      f.Br(loop);
      f.End();
      f.End();
      const uint32_t out64 = i64_of(out, 0);
      f.c().LocalGet(dp2).LocalSet(rp);
      f.c().LocalGet(worst).LocalGet(out64).Op(op::kI64GtU);
      f.If();
      const uint32_t dp3 = Realloc(f, o, dp2, worst, 1, out64);
      f.c().LocalGet(dp3).LocalSet(rp);
      f.End();
      set_units(out, false);
      f.End();
      return;
    }
    case StringEncoding::kUtf16: {
      if (latin1) {
        // store_string_copy to UTF-16: each Latin-1 byte becomes a code unit.
        const uint32_t size = times(2);
        const uint32_t dp = Realloc(f, o, kNoLocal, kNoLocal, 2, size);
        Label done = f.Block();
        Label loop = f.Loop();
        f.c().LocalGet(i).LocalGet(n).Op(op::kI32GeU);
        f.BrIf(done);
        Addr(f, o, dp, i, 1);
        Addr(f, s, sp, i, 0);
        Load(f, s, op::kI32Load8U, 0, 0);
        Store(f, o, op::kI32Store16, 1, 0);
        AddI32(f, i, 1);
        f.Br(loop);
        f.End();
        f.End();
        f.c().LocalGet(dp).LocalSet(rp);
        set_units(n, false);
        return;
      }
      if (simple == StringEncoding::kUtf16) {
        copy(2, 2);
        return;
      }
      // store_utf8_to_utf16: the worst case (2 bytes per UTF-8 byte), then shrink.
      const uint32_t worst = times(2);
      CheckLimit(f, o, worst, kMaxStringBytes, TrapKind::kStringTooLong, Const64(0));
      const uint32_t dp = Realloc(f, o, kNoLocal, kNoLocal, 2, worst);
      const uint32_t u = f.Local(ValType::kI32);
      Label done = f.Block();
      Label loop = f.Loop();
      f.c().LocalGet(i).LocalGet(n).Op(op::kI32GeU);
      f.BrIf(done);
      dec.Emit(f, i);
      f.c().LocalGet(i).LocalGet(dec.adv).Op(op::kI32Add).LocalSet(i);
      EncodeUtf16(*this, f, o, dp, u, dec.cp);
      f.Br(loop);
      f.End();
      f.End();
      const uint32_t size = i64_of(u, 1);
      f.c().LocalGet(dp).LocalSet(rp);
      f.c().LocalGet(size).LocalGet(worst).Op(op::kI64LtU);
      f.If();
      const uint32_t dp2 = Realloc(f, o, dp, worst, 2, size);
      f.c().LocalGet(dp2).LocalSet(rp);
      f.End();
      set_units(u, false);
      return;
    }
    case StringEncoding::kLatin1Utf16: {
      if (from_latin1_utf16 && latin1) {
        copy(1, 2);
        return;
      }
      if (from_latin1_utf16) {
        // store_probably_utf16_to_latin1_or_utf16: UTF-16 first, deflate if it fits.
        const uint32_t size = times(2);
        CheckLimit(f, o, size, kMaxStringBytes, TrapKind::kStringTooLong, Const64(0));
        const uint32_t dp = Realloc(f, o, kNoLocal, kNoLocal, 2, size);
        f.c().LocalGet(dp).LocalGet(sp).LocalGet(size);
        I64ToPtr(f, s);
        f.c().MemoryCopy(o.mem, s.mem);
        Label end = f.Block();
        Label deflate = f.Block();
        Label scan = f.Loop();
        f.c().LocalGet(i).LocalGet(n).Op(op::kI32GeU);
        f.BrIf(deflate);
        Addr(f, o, dp, i, 1);
        Load(f, o, op::kI32Load16U, 1, 0);
        f.c().I32Const(0x100).Op(op::kI32GeU);
        f.If();
        f.c().LocalGet(dp).LocalSet(rp);
        set_units(n, true);
        f.Br(end);
        f.End();
        AddI32(f, i, 1);
        f.Br(scan);
        f.End();
        f.End();
        f.c().I32Const(0).LocalSet(i);
        Label done = f.Block();
        Label loop = f.Loop();
        f.c().LocalGet(i).LocalGet(n).Op(op::kI32GeU);
        f.BrIf(done);
        Addr(f, o, dp, i, 0);
        Addr(f, o, dp, i, 1);
        Load(f, o, op::kI32Load8U, 0, 0);
        Store(f, o, op::kI32Store8, 0, 0);
        AddI32(f, i, 1);
        f.Br(loop);
        f.End();
        f.End();
        const uint32_t dp2 = Realloc(f, o, dp, size, 1, n64);
        f.c().LocalGet(dp2).LocalSet(rp);
        set_units(n, false);
        f.End();
        return;
      }
      // store_string_to_latin1_or_utf16: Latin-1 while it fits, then inflate.
      const uint32_t dp = Realloc(f, o, kNoLocal, kNoLocal, 2, n64);
      const uint32_t dbl = f.Local(ValType::kI32);
      Label end = f.Block();
      Label slow = f.Block();
      Label top = f.Loop();
      f.c().LocalGet(i).LocalGet(n).Op(op::kI32GeU);
      f.If();
      f.c().LocalGet(dp).LocalSet(rp);
      f.c().LocalGet(dbl).LocalGet(n).Op(op::kI32LtU);
      f.If();
      const uint32_t dbl64 = i64_of(dbl, 0);
      const uint32_t shrunk = Realloc(f, o, dp, n64, 2, dbl64);
      f.c().LocalGet(shrunk).LocalSet(rp);
      f.End();
      set_units(dbl, false);
      f.Br(end);
      f.End();
      dec.Emit(f, i);
      f.c().LocalGet(dec.cp).I32Const(0x100).Op(op::kI32GeU);
      f.BrIf(slow);
      Addr(f, o, dp, dbl, 0);
      f.c().LocalGet(dec.cp);
      Store(f, o, op::kI32Store8, 0, 0);
      AddI32(f, dbl, 1);
      f.c().LocalGet(i).LocalGet(dec.adv).Op(op::kI32Add).LocalSet(i);
      f.Br(top);
      f.End();
      f.End();
      // A code point outside Latin-1 at i (not consumed yet).
      const uint32_t worst = times(2);
      CheckLimit(f, o, worst, kMaxStringBytes, TrapKind::kStringTooLong, Const64(0));
      const uint32_t dp2 = Realloc(f, o, dp, n64, 2, worst);
      // Inflate the Latin-1 prefix in place, from the end.
      const uint32_t j = f.Local(ValType::kI32);
      f.c().LocalGet(dbl).LocalSet(j);
      Label inflated = f.Block();
      Label back = f.Loop();
      f.c().LocalGet(j).Op(op::kI32Eqz);
      f.BrIf(inflated);
      AddI32(f, j, -1);
      Addr(f, o, dp2, j, 1);
      Addr(f, o, dp2, j, 0);
      Load(f, o, op::kI32Load8U, 0, 0);
      Store(f, o, op::kI32Store16, 1, 0);
      f.Br(back);
      f.End();
      f.End();
      const uint32_t u = f.Local(ValType::kI32);
      f.c().LocalGet(dbl).LocalSet(u);
      Label done = f.Block();
      Label loop = f.Loop();
      f.c().LocalGet(i).LocalGet(n).Op(op::kI32GeU);
      f.BrIf(done);
      dec.Emit(f, i);
      f.c().LocalGet(i).LocalGet(dec.adv).Op(op::kI32Add).LocalSet(i);
      EncodeUtf16(*this, f, o, dp2, u, dec.cp);
      f.Br(loop);
      f.End();
      f.End();
      const uint32_t size = i64_of(u, 1);
      f.c().LocalGet(dp2).LocalSet(rp);
      f.c().LocalGet(worst).LocalGet(size).Op(op::kI64GtU);
      f.If();
      const uint32_t dp3 = Realloc(f, o, dp2, worst, 2, size);
      f.c().LocalGet(dp3).LocalSet(rp);
      f.End();
      set_units(u, true);
      f.End();
      return;
    }
  }
}

}  // namespace lazylink::component::internal
