// lazylink: the reader's named limits.
//
// Every count read from a module is checked against one of these *before*
// anything is allocated for it, so that a 5-byte LEB128 cannot make the
// reader reserve gigabytes. The figures follow the implementation limits that
// the WebAssembly JS API specification asks every browser to accept
// (https://webassembly.github.io/spec/js-api/#limits); anything a browser
// would load, lazylink reads.
//
//   LL_TRY(uint32_t n, c.ReadCount("import", limits::kMaxImports));
#ifndef LAZYLINK_WASM_LIMITS_H_
#define LAZYLINK_WASM_LIMITS_H_

#include <cstdint>

namespace lazylink::wasm::limits {

inline constexpr uint32_t kMaxTypes = 1000000;
inline constexpr uint32_t kMaxFunctions = 1000000;
inline constexpr uint32_t kMaxImports = 100000;
inline constexpr uint32_t kMaxExports = 100000;
inline constexpr uint32_t kMaxGlobals = 1000000;
inline constexpr uint32_t kMaxTags = 1000000;
inline constexpr uint32_t kMaxTables = 100000;
inline constexpr uint32_t kMaxMemories = 100;
inline constexpr uint32_t kMaxDataSegments = 100000;
inline constexpr uint32_t kMaxElemSegments = 10000000;
inline constexpr uint32_t kMaxTableSize = 10000000;  // elements per segment too
inline constexpr uint32_t kMaxParams = 1000;
inline constexpr uint32_t kMaxResults = 1000;
inline constexpr uint32_t kMaxFunctionSize = 7654321;
inline constexpr uint32_t kMaxStringLength = 100000;
inline constexpr uint64_t kMaxMemory32Pages = 65536;
inline constexpr uint64_t kMaxModuleSize = uint64_t{1} << 30;

// dylink.0 and name section entries (not in the JS API; generous).
inline constexpr uint32_t kMaxNeeded = 10000;
inline constexpr uint32_t kMaxRuntimePaths = 10000;
inline constexpr uint32_t kMaxSymbolInfos = 1000000;
inline constexpr uint32_t kMaxNames = 1000000;

}  // namespace lazylink::wasm::limits

#endif  // LAZYLINK_WASM_LIMITS_H_
