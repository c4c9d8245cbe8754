// lazylink: what the rewrites of linked side modules share (bind_local.h,
// got_memory.h), at the instruction level: a walker over instruction
// sequences that reports every function and global index with its byte
// range, and helpers that copy a module's bytes with some of those ranges
// replaced. section_rewrite.h builds whole sections on them.
//
//   Cursor c(data, body_end, "function body");
//   LL_CHECK(c.Skip(body_begin, "body"));
//   LL_CHECK(walk::SkipLocals(c));
//   walk::Patcher patch(data, body_begin);
//   LL_CHECK(walk::WalkInstructions(c, [](const walk::FuncRef&) {}, [&](const walk::GlobalRef& g) {
//     patch.Replace(g.begin, g.end, NewIndex(g.index), out);
//   }));
//   patch.CopyTo(body_end, out);
#ifndef LAZYLINK_REWRITE_WALK_H_
#define LAZYLINK_REWRITE_WALK_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "loader/emit/wasm_writer.h"
#include "loader/support/expected.h"
#include "loader/wasm/cursor.h"

namespace lazylink::rewrite::walk {

// No index: an entry dropped, or none assigned.
constexpr uint32_t kNone = 0xffffffffu;

// "0x1f"
std::string Hex(unsigned v);

inline bool IsBlockType(uint8_t b) {
  // 0x40 (empty) or a value type; anything else is an s33 type index.
  return b == 0x40 || b == 0x7f || b == 0x7e || b == 0x7d || b == 0x7c || b == 0x7b ||
         b == 0x70 || b == 0x6f;
}

// Where a function index appears: code, a constant expression, or an
// element segment's plain list of functions (section_rewrite.h).
enum class RefKind { kCall, kRefFunc, kElem };

struct FuncRef {
  RefKind kind;
  uint8_t op;  // 0x10 call, 0x12 return_call, 0xd2 ref.func; 0 for kElem
  uint32_t index;
  uint64_t begin;  // offset of the index's LEB
  uint64_t end;
};

// Where a global index appears: global.get or global.set.
struct GlobalRef {
  bool set;
  uint32_t index;
  uint64_t begin;  // offset of the index's LEB (the one-byte opcode is just before)
  uint64_t end;
};

inline Status SkipU32(wasm::Cursor& c, const char* what) {
  LL_TRY(uint32_t v, c.ReadU32Leb(what));
  (void)v;
  return Ok{};
}

inline Status SkipMemArg(wasm::Cursor& c) {
  LL_TRY(uint32_t align, c.ReadU32Leb("memarg alignment"));
  if (align & 0x40) LL_CHECK(SkipU32(c, "memarg memory index"));
  LL_TRY(uint64_t offset, c.ReadU64Leb("memarg offset"));
  (void)offset;
  return Ok{};
}

// A function body's local declarations, up to its first instruction.
Status SkipLocals(wasm::Cursor& c);

// Bytes of `v` as a shortest unsigned LEB128.
inline uint64_t LebSize(uint32_t v) {
  uint64_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    n++;
  }
  return n;
}

// Walks instructions from `c` to the `end` that closes the sequence (a
// function body's or a constant expression's), calling on_ref for every
// function index and on_global for every global.get's and global.set's
// global. Fails on opcodes it does not know, naming them.
template <typename OnRef, typename OnGlobal>
Status WalkInstructions(wasm::Cursor& c, OnRef on_ref, OnGlobal on_global) {
  uint32_t depth = 0;
  for (;;) {
    const uint64_t at = c.offset();
    LL_TRY(uint8_t op, c.ReadU8("opcode"));
    switch (op) {
      case 0x02: case 0x03: case 0x04: case 0x06: {  // block loop if try
        if (c.at_end()) return c.FailHere("block type runs past the end");
        if (IsBlockType(*c.pos())) {
          LL_CHECK(c.Skip(1, "block type"));
        } else {
          LL_TRY(int64_t t, c.ReadS64Leb("block type index"));
          (void)t;
        }
        depth++;
        break;
      }
      case 0x0b:  // end
        if (depth == 0) return Ok{};
        depth--;
        break;
      case 0x18:  // delegate: ends a try
        LL_CHECK(SkipU32(c, "delegate label"));
        if (depth == 0) return c.Fail(at, "delegate without a try");
        depth--;
        break;
      case 0x00: case 0x01: case 0x05: case 0x0f: case 0x19: case 0x1a: case 0x1b: case 0xd1:
        break;
      case 0x07: case 0x08: case 0x09: case 0x0c: case 0x0d:  // catch throw rethrow br br_if
      case 0x20: case 0x21: case 0x22: case 0x25: case 0x26: {
        LL_CHECK(SkipU32(c, "index"));
        break;
      }
      case 0x23: case 0x24: {  // global.get global.set
        const uint64_t begin = c.offset();
        LL_TRY(uint32_t g, c.ReadU32Leb("global index"));
        on_global(GlobalRef{op == 0x24, g, begin, c.offset()});
        break;
      }
      case 0x0e: {  // br_table
        LL_TRY(uint32_t n, c.ReadCount("br_table size", 0x7fffffff, 1));
        for (uint32_t i = 0; i <= n; i++) {
          LL_CHECK(SkipU32(c, "br_table label"));
        }
        break;
      }
      case 0x10: case 0x12: case 0xd2: {  // call return_call ref.func
        const uint64_t begin = c.offset();
        LL_TRY(uint32_t f, c.ReadU32Leb("function index"));
        on_ref(FuncRef{op == 0xd2 ? RefKind::kRefFunc : RefKind::kCall, op, f, begin, c.offset()});
        break;
      }
      case 0x11: case 0x13: {  // call_indirect return_call_indirect
        LL_TRY(uint32_t t, c.ReadU32Leb("type index"));
        LL_TRY(uint32_t tab, c.ReadU32Leb("table index"));
        (void)t;
        (void)tab;
        break;
      }
      case 0x1c: {  // select t*
        LL_TRY(uint32_t n, c.ReadCount("select types", 16, 1));
        LL_CHECK(c.Skip(n, "select types"));
        break;
      }
      case 0x3f: case 0x40: {  // memory.size memory.grow
        LL_CHECK(SkipU32(c, "memory index"));
        break;
      }
      case 0x41: {
        LL_TRY(int32_t v, c.ReadS32Leb("i32.const"));
        (void)v;
        break;
      }
      case 0x42: {
        LL_TRY(int64_t v, c.ReadS64Leb("i64.const"));
        (void)v;
        break;
      }
      case 0x43: LL_CHECK(c.Skip(4, "f32.const")); break;
      case 0x44: LL_CHECK(c.Skip(8, "f64.const")); break;
      case 0xd0: LL_CHECK(c.Skip(1, "ref.null type")); break;
      case 0xfc: {
        LL_TRY(uint32_t sub, c.ReadU32Leb("0xfc opcode"));
        switch (sub) {
          case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: break;
          case 8: case 10: case 12: case 14: {  // memory.init memory.copy table.init table.copy
            LL_TRY(uint32_t a, c.ReadU32Leb("index"));
            LL_TRY(uint32_t b, c.ReadU32Leb("index"));
            (void)a;
            (void)b;
            break;
          }
          case 9: case 11: case 13: case 15: case 16: case 17: {
            LL_CHECK(SkipU32(c, "index"));
            break;
          }
          default:
            return c.Fail(at, Msg("unknown instruction 0xfc ", sub));
        }
        break;
      }
      case 0xfd: {
        LL_TRY(uint32_t sub, c.ReadU32Leb("0xfd opcode"));
        if (sub <= 11 || sub == 92 || sub == 93) {
          LL_CHECK(SkipMemArg(c));
        } else if (sub >= 84 && sub <= 91) {
          LL_CHECK(SkipMemArg(c));
          LL_CHECK(c.Skip(1, "lane"));
        } else if (sub == 12 || sub == 13) {
          LL_CHECK(c.Skip(16, "v128 immediate"));
        } else if (sub >= 21 && sub <= 34) {
          LL_CHECK(c.Skip(1, "lane"));
        } else if (sub > 0x113) {
          return c.Fail(at, Msg("unknown instruction 0xfd ", sub));
        }
        break;
      }
      case 0xfe: {
        LL_TRY(uint32_t sub, c.ReadU32Leb("0xfe opcode"));
        if (sub == 3) {
          LL_CHECK(c.Skip(1, "atomic.fence"));
        } else if (sub <= 0x4e) {
          LL_CHECK(SkipMemArg(c));
        } else {
          return c.Fail(at, Msg("unknown instruction 0xfe ", sub));
        }
        break;
      }
      default:
        if (op >= 0x28 && op <= 0x3e) {
          LL_CHECK(SkipMemArg(c));
        } else if (op >= 0x45 && op <= 0xc4) {
          // numeric, no immediates
        } else {
          return c.Fail(at, Msg("unknown instruction ", Hex(op)));
        }
    }
  }
}

template <typename OnRef>
Status WalkInstructions(wasm::Cursor& c, OnRef on_ref) {
  return WalkInstructions(c, on_ref, [](const GlobalRef&) {});
}

// data[begin, end) appended to `out`.
inline void CopyBytes(const uint8_t* data, uint64_t begin, uint64_t end, emit::ByteWriter& out) {
  out.mutable_bytes().insert(out.mutable_bytes().end(), data + begin, data + end);
}

// Output built from the input with some byte ranges replaced.
class Patcher {
 public:
  Patcher(const uint8_t* src, uint64_t from) : src_(src), pos_(from) {}
  void CopyTo(uint64_t to, emit::ByteWriter& out) {
    CopyBytes(src_, pos_, to, out);
    pos_ = to;
  }
  void SkipTo(uint64_t to) { pos_ = to; }
  // The LEB at [begin, end) written as `v`.
  void Replace(uint64_t begin, uint64_t end, uint32_t v, emit::ByteWriter& out) {
    CopyTo(begin, out);
    out.U32Leb(v);
    SkipTo(end);
  }

 private:
  const uint8_t* src_;
  uint64_t pos_;
};

// A section: id, size, payload.
void WriteSection(emit::ByteWriter& out, uint8_t id, const emit::ByteWriter& payload);
// A custom section: its name, then `body`.
void WriteCustom(emit::ByteWriter& out, std::string_view name, const emit::ByteWriter& body);

}  // namespace lazylink::rewrite::walk

#endif  // LAZYLINK_REWRITE_WALK_H_
