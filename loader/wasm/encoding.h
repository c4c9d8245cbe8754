// lazylink: decoders for the small encodings that recur across sections:
// value and reference types, limits, table/memory/global types, function
// types and constant expressions (spec 5.3 and 5.4.9).
//
//   LL_TRY(GlobalType type, ReadGlobalType(c));
//   LL_TRY(ConstExpr init, ReadConstExpr(c, "init"));
//   LL_CHECK(CheckConstExpr(c, module, init, type.type, "init"));
#ifndef LAZYLINK_WASM_ENCODING_H_
#define LAZYLINK_WASM_ENCODING_H_

#include "loader/support/expected.h"
#include "loader/wasm/cursor.h"
#include "loader/wasm/module.h"

namespace lazylink::wasm {

Expected<ValType> ReadValType(Cursor& c, const char* desc);
Expected<ValType> ReadRefType(Cursor& c, const char* desc);
Expected<FuncType> ReadFuncType(Cursor& c);
// `is_memory` selects the memory flags (shared, memory64) and the page limit.
Expected<Limits> ReadLimits(Cursor& c, bool is_memory);
Expected<TableType> ReadTableType(Cursor& c);
Expected<MemoryType> ReadMemoryType(Cursor& c);
Expected<GlobalType> ReadGlobalType(Cursor& c);

// Reads a constant expression up to and including its `end`. A single
// instruction is decoded into `op`/`value`/`index`; longer (extended-const)
// expressions are kept as kOther with their byte range.
Expected<ConstExpr> ReadConstExpr(Cursor& c, const char* desc);

// Validates the indices a decoded expression refers to against `m` as read
// so far, and that its type is `expected` (kOther expressions are not typed).
Status CheckConstExpr(const Cursor& c, const Module& m, const ConstExpr& e, ValType expected,
                      const char* desc);

}  // namespace lazylink::wasm

#endif  // LAZYLINK_WASM_ENCODING_H_
