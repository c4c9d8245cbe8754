// lazylink: linking components (docs/components.md).
//
// A component is a group of modules sharing one application domain; its
// world (WIT) says what it imports and exports. Linking matches every
// function a component imports to the component that exports it, checks the
// two types structurally (names of fields, cases and parameters count, as in
// the Component Model) and the root module's core signatures against the
// Canonical ABI flattening, and refuses resource handles. The result lists
// one LinkedFunction per import to adapt (loader/component/adapter.h).
//
//   ComponentLinker linker;
//   LL_CHECK(linker.AddModule("plugin", "plugin.wasm", bytes, size));
//   LL_CHECK(linker.AddModule("host", "host.wasm", bytes2, size2));
//   LL_TRY(LinkResult r, linker.Link());
//   for (const LinkedFunction& f : r.functions) ...
//
// Errors name both components, the function and the first differing place:
//   component "host" imports demo:plugins/plugin@0.1.0#render from component
//   "plugin", but the types differ at param 1 "rows": list element: field
//   "value": f64 vs f32 (host vs plugin)
#ifndef LAZYLINK_COMPONENT_COMPONENT_LINKER_H_
#define LAZYLINK_COMPONENT_COMPONENT_LINKER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loader/cabi/types.h"
#include "loader/component/wit_section.h"
#include "loader/support/expected.h"
#include "loader/wasm/module.h"
#include "loader/wit/resolve.h"

namespace lazylink::component {

// The function imports and exports of a component's root module.
struct CoreFunctions {
  std::map<std::pair<std::string, std::string>, wasm::FuncType> imports;
  std::map<std::string, wasm::FuncType> exports;
};
CoreFunctions CoreFunctionsOf(const wasm::Module& module);

struct Component {
  std::string name;    // "plugin"
  std::string source;  // "plugin.wasm", for messages
  WitPackage wit;
  wit::Resolve resolve;
  size_t world = 0;    // index into resolve.worlds
  std::optional<CoreFunctions> core;

  const wit::World& World() const { return resolve.worlds[world]; }
  const cabi::TypeArena& Arena() const { return *resolve.arena; }
  // `component "plugin" (plugin.wasm)`
  std::string Describe() const;
};

// One function a component imports, joined to the component exporting it.
struct LinkedFunction {
  size_t caller = 0;
  size_t callee = 0;
  std::string import_module;  // the caller's core import: module and field
  std::string import_field;
  std::string iface;          // qualified interface name; "" for a function of the world
  std::string func;           // the WIT function name
  std::string export_name;    // the callee's core export (orig$NAME if legalized)
  std::string post_return;    // cabi_post_NAME, or "" when the callee has none
  cabi::FuncType type;        // in the caller's arena
  // Lifting and lowering would change nothing (only u32/s32/u64/s64, and
  // records/tuples of them, passed flat; no post-return): the import may be
  // bound to the export itself.
  bool identity = false;
  // "host -> plugin demo:plugins/plugin@0.1.0#render"
  std::string Boundary(const std::vector<Component>& components) const;
};

// An import no component exports: the host (JS) may provide it.
struct UnresolvedImport {
  size_t component = 0;
  std::string import_module;
  std::string import_field;
  std::string iface;
  std::string func;
};

// What a component exports, with the core names found in its root module.
struct ExportedFunction {
  size_t component = 0;
  std::string iface;
  std::string func;
  std::string export_name;
  std::string post_return;
};

struct LinkResult {
  std::vector<LinkedFunction> functions;
  std::vector<UnresolvedImport> unresolved;
  std::vector<ExportedFunction> exports;
};

class ComponentLinker {
 public:
  // A component from its root module's bytes: its world comes from the
  // `lazylink.wit` section (or from `wit` when given, e.g. by a manifest).
  Status AddModule(const std::string& name, const std::string& source, const uint8_t* bytes,
                   size_t size, const std::optional<WitPackage>& wit = std::nullopt);
  // A component known only by its world (no core checks).
  Status AddWorld(const std::string& name, const std::string& source, const WitPackage& wit);

  // Chooses the exporter of an import when several components export it.
  // `import_name` is the qualified interface name or the world function name.
  void Wire(const std::string& component, const std::string& import_name,
            const std::string& exporter);

  // Every error at once, one per line.
  Expected<LinkResult> Link() const;

  const std::vector<Component>& components() const { return components_; }
  std::optional<size_t> Find(const std::string& name) const;

 private:
  Status Add(Component c);

  std::vector<Component> components_;
  std::map<std::pair<std::string, std::string>, std::string> wiring_;
};

// The JSON the JS edge gets from a link (docs/components.md, "Link plan").
std::string LinkResultToJson(const std::vector<Component>& components, const LinkResult& r);

}  // namespace lazylink::component

#endif  // LAZYLINK_COMPONENT_COMPONENT_LINKER_H_
