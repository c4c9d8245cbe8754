// lazylink: the JSON descriptor of a world, for the JS side.
//
// Lists the world's imports and exports with the core names that standard
// bindings generators use (Component Model conventions):
//   import of interface function  module "ns:pkg/iface@1.0.0", field "f"
//   import of world function      module "$root", field "f"
//   export of interface function  "ns:pkg/iface@1.0.0#f"
//   export of world function      "f"
//   post-return                   "cabi_post_" + export name
//   allocator                     "cabi_realloc"
// and each function's type as a descriptor (loader/cabi/descriptor.h). The
// format is documented in docs/type-descriptors.md.
//
//   LL_TRY(Resolve r, ParseWit({{"plugin.wit", text}}));
//   std::string json = DescribeWorld(r, *r.FindWorld("plugin"));
#ifndef LAZYLINK_WIT_WORLD_DESCRIPTOR_H_
#define LAZYLINK_WIT_WORLD_DESCRIPTOR_H_

#include <string>

#include "loader/wit/resolve.h"

namespace lazylink::wit {

inline constexpr const char* kReallocName = "cabi_realloc";
inline constexpr const char* kPostReturnPrefix = "cabi_post_";
inline constexpr const char* kRootImportModule = "$root";

// The core export name of function `func` of interface `iface` ("" for a
// function of the world itself).
std::string CoreExportName(const std::string& iface, const std::string& func);

std::string DescribeWorld(const Resolve& resolve, const World& world);

}  // namespace lazylink::wit

#endif  // LAZYLINK_WIT_WORLD_DESCRIPTOR_H_
