// lazylink: C bindings for a world (`lazylink bindgen WORLD.wit --lang c`).
//
// Writes a header with the world's types as C structs/unions/enums laid out
// exactly as the Canonical ABI lays them out (wasm32), prototypes of the
// imports (callable) and of the exports (the user implements them), string
// helpers and free functions; and a C file with the glue: flat lowering and
// lifting, the core imports and exports under their Component Model names,
// cabi_realloc, post-return functions, and the `lazylink.wit` custom section
// that carries the world (as top-level assembly, so any object that links
// the bindings embeds it). Conventions are in docs/components.md.
//
//   LL_TRY(CBindings b, GenerateCBindings({"demo:plugins/plugin", files}));
//   write(dir / b.header_name, b.header); write(dir / b.source_name, b.source);
#ifndef LAZYLINK_COMPONENT_BINDGEN_C_H_
#define LAZYLINK_COMPONENT_BINDGEN_C_H_

#include <string>

#include "loader/component/wit_section.h"
#include "loader/support/expected.h"

namespace lazylink::component {

struct CBindings {
  std::string prefix;       // C identifier prefix of the world: "plugin"
  std::string header_name;  // "plugin.h"
  std::string header;
  std::string source_name;  // "plugin.c"
  std::string source;
};

// `wit.world` may be empty when the files define exactly one world.
Expected<CBindings> GenerateCBindings(const WitPackage& wit);

}  // namespace lazylink::component

#endif  // LAZYLINK_COMPONENT_BINDGEN_C_H_
