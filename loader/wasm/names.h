// lazylink: reader of the `name` custom section (spec 7.4.1 and the
// extended-name-section proposal's subsection ids).
//
// Decodes the module name, function names, global names and data segment
// names; other subsections (locals, labels, types, ...) are skipped. Name
// maps must be sorted by strictly increasing index and, for functions and
// globals, refer to indices that exist in `m`. The reader of the module turns
// a failure here into a warning and drops the section: names are for
// diagnostics only and must not make a module unreadable.
//
//   NameSection names;
//   Status s = ReadNameSection(payload, module, names);
//   if (!s.ok()) module.warnings.push_back(s.error());
#ifndef LAZYLINK_WASM_NAMES_H_
#define LAZYLINK_WASM_NAMES_H_

#include "loader/support/expected.h"
#include "loader/wasm/cursor.h"
#include "loader/wasm/module.h"

namespace lazylink::wasm {

Status ReadNameSection(Cursor& c, const Module& m, NameSection& out);

}  // namespace lazylink::wasm

#endif  // LAZYLINK_WASM_NAMES_H_
