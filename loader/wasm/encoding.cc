#include "loader/wasm/encoding.h"

#include <cstdio>

#include "loader/wasm/limits.h"

namespace lazylink::wasm {
namespace {

std::string Hex(unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02x", value);
  return buf;
}

bool IsValType(uint8_t byte) {
  switch (byte) {
    case 0x7f: case 0x7e: case 0x7d: case 0x7c: case 0x7b: case 0x70: case 0x6f:
      return true;
    default:
      return false;
  }
}

}  // namespace

Expected<ValType> ReadValType(Cursor& c, const char* desc) {
  const uint64_t at = c.offset();
  LL_TRY(uint8_t byte, c.ReadU8(desc));
  if (!IsValType(byte)) return c.Fail(at, Msg(desc, ": unknown value type ", Hex(byte)));
  return static_cast<ValType>(byte);
}

Expected<ValType> ReadRefType(Cursor& c, const char* desc) {
  const uint64_t at = c.offset();
  LL_TRY(uint8_t byte, c.ReadU8(desc));
  if (byte != 0x70 && byte != 0x6f) {
    return c.Fail(at, Msg(desc, ": unknown reference type ", Hex(byte)));
  }
  return static_cast<ValType>(byte);
}

Expected<FuncType> ReadFuncType(Cursor& c) {
  const uint64_t at = c.offset();
  LL_TRY(uint8_t form, c.ReadU8("type form"));
  if (form != 0x60) {
    // 0x4e/0x50/0x4f (GC rec groups and subtypes) and anything else.
    return c.Fail(at, Msg("unsupported type form ", Hex(form), " (expected 0x60, func)"));
  }
  FuncType type;
  LL_TRY(uint32_t num_params, c.ReadCount("param", limits::kMaxParams));
  type.params.reserve(num_params);
  for (uint32_t i = 0; i < num_params; ++i) {
    LL_TRY(ValType t, ReadValType(c, "param type"));
    type.params.push_back(t);
  }
  LL_TRY(uint32_t num_results, c.ReadCount("result", limits::kMaxResults));
  type.results.reserve(num_results);
  for (uint32_t i = 0; i < num_results; ++i) {
    LL_TRY(ValType t, ReadValType(c, "result type"));
    type.results.push_back(t);
  }
  return type;
}

// Limits flags (spec 5.3.7, threads and memory64 proposals): bit 0 has a
// maximum, bit 1 shared, bit 2 64-bit index type.
Expected<Limits> ReadLimits(Cursor& c, bool is_memory) {
  const uint64_t at = c.offset();
  LL_TRY(uint8_t flags, c.ReadU8("limits flags"));
  const uint8_t allowed = is_memory ? 0x07 : 0x05;
  if (flags & ~allowed) return c.Fail(at, Msg("invalid limits flags ", Hex(flags)));
  Limits limits;
  limits.shared = flags & 0x02;
  limits.is64 = flags & 0x04;
  const uint64_t min_at = c.offset();
  if (limits.is64) {
    LL_TRY(limits.min, c.ReadU64Leb("minimum"));
  } else {
    LL_TRY(limits.min, c.ReadU32Leb("minimum"));
  }
  uint64_t max_at = min_at;
  if (flags & 0x01) {
    max_at = c.offset();
    uint64_t max;
    if (limits.is64) {
      LL_TRY(max, c.ReadU64Leb("maximum"));
    } else {
      LL_TRY(max, c.ReadU32Leb("maximum"));
    }
    limits.max = max;
  }
  if (limits.max && limits.min > *limits.max) {
    return c.Fail(min_at, Msg("minimum ", limits.min, " exceeds maximum ", *limits.max));
  }
  if (limits.shared && !limits.max) {
    return c.Fail(at, "shared memory must have a maximum");
  }
  if (is_memory && !limits.is64) {
    if (limits.min > limits::kMaxMemory32Pages) {
      return c.Fail(min_at, Msg("minimum of ", limits.min, " pages exceeds the limit of ",
                                limits::kMaxMemory32Pages));
    }
    if (limits.max && *limits.max > limits::kMaxMemory32Pages) {
      return c.Fail(max_at, Msg("maximum of ", *limits.max, " pages exceeds the limit of ",
                                limits::kMaxMemory32Pages));
    }
  }
  return limits;
}

Expected<TableType> ReadTableType(Cursor& c) {
  TableType type;
  if (c.remaining() > 0 && *c.pos() == 0x40) {
    // Function-references proposal: a table with an initialiser expression.
    return c.FailHere("tables with an initialiser expression are not supported");
  }
  LL_TRY(type.elem_type, ReadRefType(c, "element type"));
  LL_TRY(type.limits, ReadLimits(c, /*is_memory=*/false));
  return type;
}

Expected<MemoryType> ReadMemoryType(Cursor& c) {
  MemoryType type;
  LL_TRY(type.limits, ReadLimits(c, /*is_memory=*/true));
  return type;
}

Expected<GlobalType> ReadGlobalType(Cursor& c) {
  GlobalType type;
  LL_TRY(type.type, ReadValType(c, "global type"));
  const uint64_t at = c.offset();
  LL_TRY(uint8_t mut, c.ReadU8("mutability"));
  if (mut > 1) return c.Fail(at, Msg("invalid mutability ", Hex(mut)));
  type.is_mutable = mut == 1;
  return type;
}

Expected<ConstExpr> ReadConstExpr(Cursor& c, const char* desc) {
  ConstExpr e;
  e.offset = c.offset();
  int instructions = 0;
  for (;;) {
    const uint64_t at = c.offset();
    LL_TRY(uint8_t opcode, c.ReadU8(desc));
    if (opcode == 0x0b) break;  // end
    ++instructions;
    ConstExpr::Op op = ConstExpr::Op::kOther;
    int64_t value = 0;
    uint32_t index = 0;
    switch (opcode) {
      case 0x41: {  // i32.const
        op = ConstExpr::Op::kI32Const;
        LL_TRY(int32_t v, c.ReadS32Leb("i32.const value"));
        value = v;
        break;
      }
      case 0x42: {  // i64.const
        op = ConstExpr::Op::kI64Const;
        LL_TRY(value, c.ReadS64Leb("i64.const value"));
        break;
      }
      case 0x43: {  // f32.const
        op = ConstExpr::Op::kF32Const;
        LL_TRY(uint32_t bits, c.ReadU32Fixed("f32.const value"));
        value = bits;
        break;
      }
      case 0x44: {  // f64.const
        op = ConstExpr::Op::kF64Const;
        LL_TRY(uint64_t bits, c.ReadU64Fixed("f64.const value"));
        value = static_cast<int64_t>(bits);
        break;
      }
      case 0x23: {  // global.get
        op = ConstExpr::Op::kGlobalGet;
        LL_TRY(index, c.ReadU32Leb("global.get index"));
        break;
      }
      case 0xd0: {  // ref.null
        op = ConstExpr::Op::kRefNull;
        LL_TRY(ValType t, ReadRefType(c, "ref.null type"));
        value = static_cast<uint8_t>(t);
        break;
      }
      case 0xd2: {  // ref.func
        op = ConstExpr::Op::kRefFunc;
        LL_TRY(index, c.ReadU32Leb("ref.func index"));
        break;
      }
      // Extended constant expressions.
      case 0x6a: case 0x6b: case 0x6c:  // i32.add, i32.sub, i32.mul
      case 0x7c: case 0x7d: case 0x7e:  // i64.add, i64.sub, i64.mul
        break;
      case 0xfd: {  // v128.const
        const uint64_t sub_at = c.offset();
        LL_TRY(uint32_t sub, c.ReadU32Leb("SIMD opcode"));
        if (sub != 12) {
          return c.Fail(sub_at, Msg(desc, ": SIMD opcode ", sub,
                                    " is not allowed in a constant expression"));
        }
        LL_CHECK(c.Skip(16, "v128.const value"));
        break;
      }
      default:
        return c.Fail(at, Msg(desc, ": opcode ", Hex(opcode),
                              " is not allowed in a constant expression"));
    }
    if (instructions == 1) {
      e.op = op;
      e.value = value;
      e.index = index;
    }
  }
  if (instructions == 0) return c.Fail(e.offset, Msg(desc, ": empty constant expression"));
  if (instructions > 1) {
    e.op = ConstExpr::Op::kOther;
    e.value = 0;
    e.index = 0;
  }
  e.size = c.offset() - e.offset;
  return e;
}

Status CheckConstExpr(const Cursor& c, const Module& m, const ConstExpr& e, ValType expected,
                      const char* desc) {
  ValType actual = expected;
  switch (e.op) {
    case ConstExpr::Op::kI32Const: actual = ValType::kI32; break;
    case ConstExpr::Op::kI64Const: actual = ValType::kI64; break;
    case ConstExpr::Op::kF32Const: actual = ValType::kF32; break;
    case ConstExpr::Op::kF64Const: actual = ValType::kF64; break;
    case ConstExpr::Op::kRefNull: actual = static_cast<ValType>(e.value); break;
    case ConstExpr::Op::kRefFunc:
      if (e.index >= m.NumFunctions()) {
        return c.Fail(e.offset, Msg(desc, ": ref.func index ", e.index, " out of range (",
                                    m.NumFunctions(), " functions)"));
      }
      actual = ValType::kFuncRef;
      break;
    case ConstExpr::Op::kGlobalGet: {
      const GlobalType* g = m.GetGlobalType(e.index);
      if (!g) {
        return c.Fail(e.offset, Msg(desc, ": global.get index ", e.index, " out of range (",
                                    m.NumGlobals(), " globals)"));
      }
      if (g->is_mutable) {
        return c.Fail(e.offset, Msg(desc, ": global.get of mutable global ", e.index,
                                    " in a constant expression"));
      }
      actual = g->type;
      break;
    }
    case ConstExpr::Op::kOther:
      return Ok{};
  }
  if (actual != expected) {
    return c.Fail(e.offset, Msg(desc, ": constant expression has type ", ValTypeName(actual),
                                ", expected ", ValTypeName(expected)));
  }
  return Ok{};
}

}  // namespace lazylink::wasm
