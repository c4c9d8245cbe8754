// lazylink: the `lazylink.wit` custom section, which carries a component's
// world as WIT text inside its root module (docs/components.md).
//
// Payload: one or more records, each
//   u8    version (1)
//   name  world             qualified world name, "demo:plugins/plugin@0.1.0"
//   u32   file count        (LEB128)
//   per file: name path, name text   (wasm `name` encoding: LEB128 length + UTF-8)
// wasm-ld concatenates custom sections of the same name from every object it
// links, so a module may hold several records; they must agree.
//
//   WitPackage p{"demo:plugins/plugin", {{"plugin.wit", text}}};
//   std::vector<uint8_t> payload = EncodeWitSection(p);
//   LL_TRY(std::optional<WitPackage> got, ReadWitSection(module, bytes, size));
#ifndef LAZYLINK_COMPONENT_WIT_SECTION_H_
#define LAZYLINK_COMPONENT_WIT_SECTION_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loader/support/expected.h"
#include "loader/wasm/module.h"
#include "loader/wit/resolve.h"

namespace lazylink::component {

inline constexpr const char* kWitSectionName = "lazylink.wit";
inline constexpr uint8_t kWitSectionVersion = 1;

// A world and the WIT files that define it (and the packages it uses).
struct WitPackage {
  std::string world;
  std::vector<wit::Source> files;
  bool operator==(const WitPackage& o) const;
};

std::vector<uint8_t> EncodeWitSection(const WitPackage& package);

// Decodes a payload; `base_offset` is where it starts in the module (for
// error offsets).
Expected<WitPackage> DecodeWitSection(const uint8_t* data, size_t size, uint64_t base_offset = 0);

// The module's `lazylink.wit` section, if it has one. `bytes` are the module's
// bytes that `module` was read from.
Expected<std::optional<WitPackage>> ReadWitSection(const wasm::Module& module,
                                                   const uint8_t* bytes, size_t size);

}  // namespace lazylink::component

#endif  // LAZYLINK_COMPONENT_WIT_SECTION_H_
