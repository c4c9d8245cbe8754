// lazylink: compact JSON descriptors of types for the JS Canonical ABI.
//
// The browser side (web/cabi/) lifts and lowers values driven by these
// descriptors instead of parsing WIT itself. The format is documented in
// docs/type-descriptors.md: a type reference is either a primitive's name
// ("u8", "string") or an index into a table of compound types, in which
// children always come before their parents.
//
//   DescriptorBuilder d(arena);
//   std::string ref = d.Ref(point);           // "0"
//   std::string f = d.Func(func_type);        // {"params":[["p",0]],"results":[]}
//   std::string json = "{\"types\":" + d.Types() + ",\"f\":" + f + "}";
#ifndef LAZYLINK_CABI_DESCRIPTOR_H_
#define LAZYLINK_CABI_DESCRIPTOR_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "loader/cabi/types.h"

namespace lazylink::cabi {

// A JSON string literal, quoted and escaped.
std::string JsonString(std::string_view s);

class DescriptorBuilder {
 public:
  explicit DescriptorBuilder(const TypeArena& arena) : arena_(arena) {}

  // The JSON reference to `id`, adding it (and its children) to the table.
  std::string Ref(TypeId id);
  // {"params":[["name",ref],...],"results":[[null,ref]] or [["name",ref],...]}
  std::string Func(const FuncType& func);
  // The table: [entry, ...].
  std::string Types() const;
  size_t type_count() const { return entries_.size(); }

 private:
  std::string RefOrNull(TypeId id) { return id == kNoType ? "null" : Ref(id); }

  const TypeArena& arena_;
  std::unordered_map<TypeId, size_t> index_;
  std::vector<std::string> entries_;
};

}  // namespace lazylink::cabi

#endif  // LAZYLINK_CABI_DESCRIPTOR_H_
