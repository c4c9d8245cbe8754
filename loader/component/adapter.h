// lazylink: generated wasm adapters between two components' memories
// (docs/components.md, "Adapters").
//
// An adapter module joins one caller component to one callee component. It
// imports both memories (multi-memory) and, per linked function, the callee's
// core export and post-return; for each function it exports the core function
// the caller imports. Values move from memory to memory in wasm, by the
// Canonical ABI: lists of plain values and utf8->utf8 strings with
// memory.copy, everything else element by element; every spec trap is
// checked and reported through the imported `trap` function, which throws.
//
// Imports (module "a"):
//   trap   (fn: i32, code: i32, a: i64, b: i64) -> ()   throws (see TrapKind)
//   f<k>   the callee's export of function k (its lifted signature)
//   p<k>   the callee's post-return of function k (when it has one)
//   m0     the caller's memory (index 0);  m1  the callee's memory (index 1)
//   t      a funcref table: slot 0 the caller's cabi_realloc, slot 1 the callee's
// Exports: "f<k>", function k with the caller's lowered signature.
//
//   std::vector<AdapterFunction> fns = {{type, /*post_return=*/true, "render"}};
//   LL_TRY(std::vector<uint8_t> wasm, EmitAdapterModule(arena, fns, AdapterOptions{}));
#ifndef LAZYLINK_COMPONENT_ADAPTER_H_
#define LAZYLINK_COMPONENT_ADAPTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "loader/cabi/abi.h"
#include "loader/cabi/types.h"
#include "loader/support/expected.h"

namespace lazylink::component {

enum class StringEncoding : uint8_t { kUtf8, kUtf16, kLatin1Utf16 };
const char* StringEncodingName(StringEncoding e);  // "utf8", "utf16", "latin1+utf16"
bool ParseStringEncoding(const std::string& name, StringEncoding* out);

// One side's canonical options.
struct AdapterSide {
  cabi::AddrType addr = cabi::AddrType::kI32;
  StringEncoding encoding = StringEncoding::kUtf8;
};

struct AdapterFunction {
  cabi::FuncType type;
  bool post_return = false;
  std::string name;  // for the name section (stack traces)
};

struct AdapterOptions {
  AdapterSide caller;
  AdapterSide callee;
  // Use SIMD (v128) for the UTF-8 validation fast path.
  bool simd = true;
  // Use return_call when nothing is left to do after the callee returns
  // (results that pass through unchanged, no post-return): the callee then
  // returns straight to the caller.
  bool tail_calls = true;
};

// Table slots of the imported table `t`.
inline constexpr uint32_t kCallerReallocSlot = 0;
inline constexpr uint32_t kCalleeReallocSlot = 1;

// What the trap import's `code` says: kind + 16 * what + 256 * side (0: the
// pointer or value is in the caller's memory, 1: the callee's).
enum class TrapKind : uint32_t {
  kMisaligned = 1,        // a: pointer, b: alignment
  kOutOfBounds = 2,       // a: pointer, b: byte size
  kStringTooLong = 3,     // a: byte length
  kListTooLong = 4,       // a: element count, b: element size
  kInvalidUtf8 = 5,       // a: pointer, b: byte length
  kInvalidUtf16 = 6,      // a: pointer, b: byte length
  kCharTooBig = 7,        // a: value
  kCharSurrogate = 8,     // a: value
  kBadDiscriminant = 9,   // a: value, b: case count
  kReallocMisaligned = 10,// a: pointer, b: alignment
  kReallocOutOfBounds = 11,// a: pointer, b: byte size
};
// For kMisaligned / kOutOfBounds: what the pointer points at.
enum class TrapWhat : uint32_t { kString = 0, kList = 1, kValues = 2, kResult = 3, kMap = 4 };
// For kBadDiscriminant: the type's kind.
enum class DiscriminantOf : uint32_t { kVariant = 0, kEnum = 1, kOption = 2, kResult = 3 };

Expected<std::vector<uint8_t>> EmitAdapterModule(const cabi::TypeArena& arena,
                                                 const std::vector<AdapterFunction>& functions,
                                                 const AdapterOptions& options);

}  // namespace lazylink::component

#endif  // LAZYLINK_COMPONENT_ADAPTER_H_
