// The adapter module and each adapter function's entry and exit: the spec's
// `canon lower` (caller side) fused with `canon lift` (callee side), see
// CanonicalABI.md "canon lift" / "canon lower". Values themselves move in
// adapter_values.cc and adapter_strings.cc.
#include "loader/component/adapter.h"

#include "loader/component/adapter_gen.h"

namespace lazylink::component {

using internal::Dir;
using internal::Gen;
using internal::Side;
using internal::Slot;
using cabi::CoreType;
using cabi::TypeId;

const char* StringEncodingName(StringEncoding e) {
  switch (e) {
    case StringEncoding::kUtf8: return "utf8";
    case StringEncoding::kUtf16: return "utf16";
    case StringEncoding::kLatin1Utf16: return "latin1+utf16";
  }
  return "?";
}

bool ParseStringEncoding(const std::string& name, StringEncoding* out) {
  if (name == "utf8") *out = StringEncoding::kUtf8;
  else if (name == "utf16") *out = StringEncoding::kUtf16;
  else if (name == "latin1+utf16") *out = StringEncoding::kLatin1Utf16;
  else return false;
  return true;
}

namespace internal {

ValType ToValType(CoreType t) {
  switch (t) {
    case CoreType::kI32: return ValType::kI32;
    case CoreType::kI64: return ValType::kI64;
    case CoreType::kF32: return ValType::kF32;
    case CoreType::kF64: return ValType::kF64;
  }
  return ValType::kI32;
}

Gen::Gen(const TypeArena& arena, const AdapterOptions& options) : arena_(arena) {
  caller = Side{0, options.caller.addr, options.caller.encoding, kCallerReallocSlot};
  callee = Side{1, options.callee.addr, options.callee.encoding, kCalleeReallocSlot};
  simd = options.simd;
  tail_calls = options.tail_calls;
}

Gen::Push Gen::Const64(uint64_t v) {
  return [v](FuncBuilder& f) { f.c().I64Const(static_cast<int64_t>(v)); };
}

Gen::Push Gen::Local64(uint32_t local) {
  return [local](FuncBuilder& f) { f.c().LocalGet(local); };
}

void Gen::PtrAsI64(FuncBuilder& f, const Side& s, uint32_t local) {
  f.c().LocalGet(local);
  if (!s.is64()) f.c().Op(op::kI64ExtendI32U);
}

void Gen::I64ToPtr(FuncBuilder& f, const Side& s) {
  if (!s.is64()) f.c().Op(op::kI32WrapI64);
}

void Gen::PtrConst(FuncBuilder& f, const Side& s, uint64_t v) {
  if (s.is64()) f.c().I64Const(static_cast<int64_t>(v));
  else f.c().I32Const(static_cast<int32_t>(v));
}

void Gen::Addr(FuncBuilder& f, const Side& s, uint32_t base, uint32_t index, uint32_t shift) {
  f.c().LocalGet(base).LocalGet(index);
  if (s.is64()) f.c().Op(op::kI64ExtendI32U);
  if (shift) {
    if (s.is64()) f.c().I64Const(shift).Op(op::kI64Shl);
    else f.c().I32Const(static_cast<int32_t>(shift)).Op(op::kI32Shl);
  }
  f.c().Op(s.is64() ? op::kI64Add : op::kI32Add);
}

void Gen::Load(FuncBuilder& f, const Side& s, uint8_t opcode, uint32_t align_log2,
               uint64_t offset) {
  f.c().MemOp(opcode, align_log2, static_cast<uint32_t>(offset), s.mem);
}

void Gen::Store(FuncBuilder& f, const Side& s, uint8_t opcode, uint32_t align_log2,
                uint64_t offset) {
  f.c().MemOp(opcode, align_log2, static_cast<uint32_t>(offset), s.mem);
}

void Gen::LoadPtr(FuncBuilder& f, const Side& s, uint64_t offset) {
  if (s.is64()) Load(f, s, op::kI64Load, 3, offset);
  else Load(f, s, op::kI32Load, 2, offset);
}

void Gen::StorePtr(FuncBuilder& f, const Side& s, uint64_t offset) {
  if (s.is64()) Store(f, s, op::kI64Store, 3, offset);
  else Store(f, s, op::kI32Store, 2, offset);
}

void Gen::Trap(FuncBuilder& f, TrapKind kind, uint32_t what, const Side& side, const Push& a,
               const Push& b) {
  const uint32_t code = static_cast<uint32_t>(kind) + 16 * what + 256 * side.mem;
  f.c().GlobalGet(current_fn_global).I32Const(static_cast<int32_t>(code));
  a(f);
  b(f);
  f.c().Call(trap_func).Unreachable();
}

void Gen::CheckRange(FuncBuilder& f, const Side& s, uint32_t ptr, uint32_t size_i64,
                     uint32_t align, TrapWhat what) {
  const uint32_t w = static_cast<uint32_t>(what);
  if (align > 1) {
    f.c().LocalGet(ptr);
    if (s.is64()) f.c().Op(op::kI32WrapI64);
    f.c().I32Const(static_cast<int32_t>(align - 1)).Op(op::kI32And);
    f.If();
    Trap(f, TrapKind::kMisaligned, w, s, [&](FuncBuilder& g) { PtrAsI64(g, s, ptr); },
         Const64(align));
    f.End();
  }
  // size > len(memory) || ptr > len(memory) - size, in i64 (no overflow).
  const uint32_t len = f.Local(ValType::kI64);
  f.c().Op(op::kMemorySize).Idx(s.mem);
  if (!s.is64()) f.c().Op(op::kI64ExtendI32U);
  f.c().I64Const(16).Op(op::kI64Shl).LocalSet(len);
  f.c().LocalGet(size_i64).LocalGet(len).Op(op::kI64GtU);
  PtrAsI64(f, s, ptr);
  f.c().LocalGet(len).LocalGet(size_i64).Op(op::kI64Sub).Op(op::kI64GtU).Op(op::kI32Or);
  f.If();
  Trap(f, TrapKind::kOutOfBounds, w, s, [&](FuncBuilder& g) { PtrAsI64(g, s, ptr); },
       Local64(size_i64));
  f.End();
}

uint32_t Gen::Realloc(FuncBuilder& f, const Side& s, uint32_t old_ptr, uint32_t old_size_i64,
                      uint32_t align, uint32_t new_size_i64, bool check_align) {
  const ValType p = s.ptr();
  if (old_ptr == kNoLocal) PtrConst(f, s, 0);
  else f.c().LocalGet(old_ptr);
  if (old_size_i64 == kNoLocal) {
    PtrConst(f, s, 0);
  } else {
    f.c().LocalGet(old_size_i64);
    I64ToPtr(f, s);
  }
  PtrConst(f, s, align);
  f.c().LocalGet(new_size_i64);
  I64ToPtr(f, s);
  f.c().I32Const(static_cast<int32_t>(s.realloc_slot));
  f.c().CallIndirect(m_.AddType({{p, p, p, p}, {p}}), 0);
  const uint32_t out = f.Local(p);
  f.c().LocalSet(out);
  if (check_align && align > 1) {
    f.c().LocalGet(out);
    if (s.is64()) f.c().Op(op::kI32WrapI64);
    f.c().I32Const(static_cast<int32_t>(align - 1)).Op(op::kI32And);
    f.If();
    Trap(f, TrapKind::kReallocMisaligned, 0, s, [&](FuncBuilder& g) { PtrAsI64(g, s, out); },
         Const64(align));
    f.End();
  }
  const uint32_t len = f.Local(ValType::kI64);
  f.c().Op(op::kMemorySize).Idx(s.mem);
  if (!s.is64()) f.c().Op(op::kI64ExtendI32U);
  f.c().I64Const(16).Op(op::kI64Shl).LocalSet(len);
  f.c().LocalGet(new_size_i64).LocalGet(len).Op(op::kI64GtU);
  PtrAsI64(f, s, out);
  f.c().LocalGet(len).LocalGet(new_size_i64).Op(op::kI64Sub).Op(op::kI64GtU).Op(op::kI32Or);
  f.If();
  Trap(f, TrapKind::kReallocOutOfBounds, 0, s, [&](FuncBuilder& g) { PtrAsI64(g, s, out); },
       Local64(new_size_i64));
  f.End();
  return out;
}

void Gen::CheckLimit(FuncBuilder& f, const Side& s, uint32_t value_i64, uint64_t limit,
                     TrapKind kind, const Push& b) {
  f.c().LocalGet(value_i64).I64Const(static_cast<int64_t>(limit)).Op(op::kI64GtU);
  f.If();
  Trap(f, kind, 0, s, Local64(value_i64), b);
  f.End();
}

void Gen::CheckDiscriminant(FuncBuilder& f, uint32_t value_i32, uint32_t count, DiscriminantOf of,
                            const Side& s) {
  f.c().LocalGet(value_i32).I32Const(static_cast<int32_t>(count)).Op(op::kI32GeU);
  f.If();
  Trap(f, TrapKind::kBadDiscriminant, static_cast<uint32_t>(of), s,
       [&](FuncBuilder& g) { g.c().LocalGet(value_i32).Op(op::kI64ExtendI32U); },
       Const64(count));
  f.End();
}

void Gen::CheckChar(FuncBuilder& f, uint32_t v, const Side& s) {
  auto value = [v](FuncBuilder& g) { g.c().LocalGet(v).Op(op::kI64ExtendI32U); };
  f.c().LocalGet(v).I32Const(0x110000).Op(op::kI32GeU);
  f.If();
  Trap(f, TrapKind::kCharTooBig, 0, s, value, Const64(0));
  f.End();
  f.c().LocalGet(v).I32Const(0xd800).Op(op::kI32Sub).I32Const(0x800).Op(op::kI32LtU);
  f.If();
  Trap(f, TrapKind::kCharSurrogate, 0, s, value, Const64(0));
  f.End();
}

}  // namespace internal

namespace {

std::vector<ValType> ValTypes(const std::vector<cabi::CoreType>& ts) {
  std::vector<ValType> out;
  for (cabi::CoreType t : ts) out.push_back(internal::ToValType(t));
  return out;
}

// One adapter function: the caller's lowered signature outside, the callee's
// lifted signature inside.
void EmitFunction(Gen& g, uint32_t index, uint32_t self, const AdapterFunction& fn,
                  uint32_t callee_func, int64_t post_func) {
  const cabi::TypeArena& arena = g.arena();
  const cabi::AddrType addr = g.caller.addr;
  const cabi::CoreFuncType lower =
      cabi::FlattenFuncType(arena, fn.type, addr, cabi::FlattenContext::kLower);
  const cabi::CoreFuncType lift =
      cabi::FlattenFuncType(arena, fn.type, addr, cabi::FlattenContext::kLift);
  std::vector<TypeId> params, results;
  for (const cabi::Field& p : fn.type.params) params.push_back(p.type);
  for (const cabi::Field& r : fn.type.results) results.push_back(r.type);
  const std::vector<CoreType> flat_params = cabi::FlattenTypes(arena, params, addr);
  const std::vector<CoreType> flat_results = cabi::FlattenTypes(arena, results, addr);
  const Dir in{&g.caller, &g.callee};
  const Dir out{&g.callee, &g.caller};

  const bool spill_params = flat_params.size() > cabi::kMaxFlatParams;
  const bool spill_results = flat_results.size() > cabi::kMaxFlatResults;
  bool params_trap = spill_params, results_trap = spill_results, results_identity = !spill_results;
  for (TypeId t : params) params_trap |= g.CanTrap(t);
  for (TypeId t : results) {
    results_trap |= g.CanTrap(t);
    results_identity &= g.IsFlatIdentity(t);
  }
  // Nothing to do after the call: the callee returns straight to the caller.
  const bool tail = g.tail_calls && results_identity && post_func < 0;

  FuncBuilder f(ValTypes(lower.params));
  // Which adapter function is running, for trap messages from shared helpers
  // (only where something can trap).
  if (params_trap) f.c().I32Const(static_cast<int32_t>(index)).GlobalSet(g.current_fn_global);

  // Arguments: in place when flat; else the tuple the caller points at is
  // copied into memory the callee allocates.
  std::vector<uint32_t> args;
  if (flat_params.size() <= cabi::kMaxFlatParams) {
    std::vector<Slot> slots;
    for (size_t i = 0; i < flat_params.size(); ++i)
      slots.push_back({static_cast<uint32_t>(i), flat_params[i]});
    size_t at = 0;
    for (TypeId t : params) {
      g.MoveFlat(f, t, slots, at, in);
      at += cabi::FlattenType(arena, t, addr).size();
    }
    for (const Slot& s : slots) args.push_back(s.local);
  } else {
    auto [size, align] = g.TupleLayout(params);
    const uint32_t size_local = f.Local(ValType::kI64);
    f.c().I64Const(static_cast<int64_t>(size)).LocalSet(size_local);
    g.CheckRange(f, g.caller, 0, size_local, align, TrapWhat::kValues);
    const uint32_t dst = g.Realloc(f, g.callee, internal::kNoLocal, internal::kNoLocal, align,
                                   size_local);
    g.MoveMemTuple(f, params, 0, dst, in);
    args.push_back(dst);
  }

  for (uint32_t a : args) f.c().LocalGet(a);
  if (tail) {
    f.c().Op(0x12).Idx(callee_func);  // return_call
    g.m().SetBody(self, f.Finish());
    return;
  }
  f.c().Call(callee_func);
  uint32_t raw = internal::kNoLocal;
  if (!lift.results.empty()) {
    raw = f.Local(internal::ToValType(lift.results[0]));
    f.c().LocalSet(raw);
  }
  // A call back into this adapter module may have changed the current function.
  if (results_trap) f.c().I32Const(static_cast<int32_t>(index)).GlobalSet(g.current_fn_global);

  uint32_t ret = internal::kNoLocal;
  if (flat_results.size() <= cabi::kMaxFlatResults) {
    if (raw != internal::kNoLocal) {
      ret = f.Local(internal::ToValType(flat_results[0]));
      f.c().LocalGet(raw).LocalSet(ret);
      std::vector<Slot> slots = {{ret, flat_results[0]}};
      g.MoveFlat(f, results[0], slots, 0, out);
    }
  } else {
    // The callee returned a pointer to its results; the caller passed the
    // address to store them at as its last parameter.
    auto [size, align] = g.TupleLayout(results);
    const uint32_t size_local = f.Local(ValType::kI64);
    f.c().I64Const(static_cast<int64_t>(size)).LocalSet(size_local);
    g.CheckRange(f, g.callee, raw, size_local, align, TrapWhat::kValues);
    const uint32_t out_ptr = static_cast<uint32_t>(lower.params.size() - 1);
    g.CheckRange(f, g.caller, out_ptr, size_local, align, TrapWhat::kResult);
    g.MoveMemTuple(f, results, raw, out_ptr, out);
  }
  if (post_func >= 0) {
    if (raw != internal::kNoLocal) f.c().LocalGet(raw);
    f.c().Call(static_cast<uint32_t>(post_func));
  }
  if (ret != internal::kNoLocal) f.c().LocalGet(ret);
  g.m().SetBody(self, f.Finish());
}

}  // namespace

Expected<std::vector<uint8_t>> EmitAdapterModule(const cabi::TypeArena& arena,
                                                 const std::vector<AdapterFunction>& functions,
                                                 const AdapterOptions& options) {
  if (options.caller.addr != options.callee.addr)
    return Error("adapter", "a caller and a callee with different address types (memory64 and "
                            "wasm32) are not supported");
  for (const AdapterFunction& fn : functions) {
    if (auto h = cabi::FindHandle(arena, fn.type))
      return Error("adapter", Msg(fn.name, ": resource handle ", *h,
                                  " cannot cross a component boundary"));
  }
  Gen g(arena, options);
  ModuleBuilder& m = g.m();
  const cabi::AddrType addr = options.caller.addr;
  g.trap_func = m.ImportFunction(
      "a", "trap", m.AddType({{ValType::kI32, ValType::kI32, ValType::kI64, ValType::kI64}, {}}));
  std::vector<uint32_t> callee_funcs;
  std::vector<int64_t> post_funcs;
  for (size_t k = 0; k < functions.size(); ++k) {
    const AdapterFunction& fn = functions[k];
    const cabi::CoreFuncType lift =
        cabi::FlattenFuncType(arena, fn.type, addr, cabi::FlattenContext::kLift);
    callee_funcs.push_back(m.ImportFunction(
        "a", Msg("f", k), m.AddType({ValTypes(lift.params), ValTypes(lift.results)})));
    if (fn.post_return) {
      post_funcs.push_back(
          m.ImportFunction("a", Msg("p", k), m.AddType({ValTypes(lift.results), {}})));
    } else {
      post_funcs.push_back(-1);
    }
  }
  m.ImportMemory("a", "m0", options.caller.addr == cabi::AddrType::kI64);
  m.ImportMemory("a", "m1", options.callee.addr == cabi::AddrType::kI64);
  m.ImportTable("a", "t", 2);
  g.current_fn_global = m.AddGlobal(ValType::kI32, true, -1);

  std::vector<uint32_t> selves;
  for (size_t k = 0; k < functions.size(); ++k) {
    const cabi::CoreFuncType lower =
        cabi::FlattenFuncType(arena, functions[k].type, addr, cabi::FlattenContext::kLower);
    selves.push_back(m.ReserveFunction(m.AddType({ValTypes(lower.params), ValTypes(lower.results)})));
    m.ExportFunction(Msg("f", k), selves.back());
    if (!functions[k].name.empty()) m.NameFunction(selves.back(), "adapter " + functions[k].name);
  }
  for (size_t k = 0; k < functions.size(); ++k)
    EmitFunction(g, static_cast<uint32_t>(k), selves[k], functions[k], callee_funcs[k],
                 post_funcs[k]);
  return m.Finish();
}

}  // namespace lazylink::component
