// lazylink: WIT text to syntax trees.
//
//   LL_TRY(Document doc, ParseDocument("plugin.wit", text));
//   // errors read: plugin.wit:3:17: expected '>' to close list<...>, found ';'
//
// ParseValueTypeExpr parses the single-type syntax of the Canonical ABI
// conformance vectors: the WIT type grammar plus anonymous
// `record{x: u8}`, `variant{a(u8), b}` (also `variant{a: u8, b}`),
// `enum{a, b}`, `flags{a, b}`, `result<_, _>` and numeric labels.
#ifndef LAZYLINK_WIT_PARSER_H_
#define LAZYLINK_WIT_PARSER_H_

#include <string_view>

#include "loader/support/expected.h"
#include "loader/wit/ast.h"

namespace lazylink::wit {

// Deeper type nesting is rejected (keeps recursion bounded on any input).
inline constexpr int kMaxTypeNesting = 100;

Expected<Document> ParseDocument(std::string_view file, std::string_view text);
Expected<TypeExpr> ParseValueTypeExpr(std::string_view file, std::string_view text);

}  // namespace lazylink::wit

#endif  // LAZYLINK_WIT_PARSER_H_
