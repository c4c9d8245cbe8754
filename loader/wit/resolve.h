// lazylink: WIT packages resolved into Component Model types.
//
// Resolution follows WIT.md "Name resolution": names may be used before they
// are defined, `use` brings types from other interfaces (of this package or
// of another loaded package, `ns:pkg/iface@1.0.0`), aliases are transparent,
// and types may not refer to themselves. Resource types and handles are kept
// (as own/borrow types, resource methods as `[method]r.f` functions) so the
// linker can reject them by name.
//
//   LL_TRY(Resolve r, ParseWit({{"plugin.wit", text}}));
//   const World* w = r.FindWorld("demo:img/plugin");
//   for (const WorldItem& imp : w->imports) ...
//
//   TypeArena arena;   // the conformance vectors' single-type syntax
//   LL_TRY(TypeId t, ParseValueType("record{x: u8, y: u16}", &arena));
#ifndef LAZYLINK_WIT_RESOLVE_H_
#define LAZYLINK_WIT_RESOLVE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loader/cabi/types.h"
#include "loader/support/expected.h"
#include "loader/wit/ast.h"

namespace lazylink::wit {

struct Function {
  std::string name;  // `f`, or `[method]r.f` for resource sugar
  cabi::FuncType type;
  std::string docs;
  std::string where;  // "file:line:col" of the declaration
};

struct Interface {
  std::string name;
  std::optional<PackageName> package;  // none for inline world interfaces
  std::vector<std::pair<std::string, cabi::TypeId>> types;  // own and used, in order
  std::vector<std::string> used_types;  // the names in `types` that a `use` brought in
  std::vector<std::string> resources;
  std::vector<Function> functions;
  std::string docs;
  // The Component Model name: "ns:pkg/name@1.0.0", or `name` when the
  // interface has no package (inline in a world, or a package-less file).
  std::string QualifiedName() const;
};

struct WorldItem {
  enum class Kind : uint8_t { kFunction, kInterface };
  Kind kind = Kind::kFunction;
  std::string name;  // function name, inline interface name, or qualified name
  Function function;     // kFunction
  size_t interface = 0;  // kInterface: index into Resolve::interfaces
};

struct World {
  std::string name;
  std::optional<PackageName> package;
  std::vector<WorldItem> imports;
  std::vector<WorldItem> exports;
  std::string docs;
  std::string QualifiedName() const;
};

struct Resolve {
  std::shared_ptr<cabi::TypeArena> arena = std::make_shared<cabi::TypeArena>();
  std::vector<Interface> interfaces;
  std::vector<World> worlds;

  // By plain name (if unique) or qualified name ("ns:pkg/w", "ns:pkg/w@1.0.0").
  const World* FindWorld(std::string_view name) const;
  const Interface* FindInterface(std::string_view name) const;
};

struct Source {
  std::string file;
  std::string text;
};

// Files with the same package name form one package; packages may refer to
// each other. Files without a package declaration form one anonymous package.
Expected<Resolve> ResolveDocuments(const std::vector<Document>& docs);
Expected<Resolve> ParseWit(const std::vector<Source>& sources);

// A type in the vectors' syntax (see parser.h), resolved into `arena`.
Expected<cabi::TypeId> ParseValueType(std::string_view text, cabi::TypeArena* arena,
                                      std::string_view file = "<type>");

}  // namespace lazylink::wit

#endif  // LAZYLINK_WIT_RESOLVE_H_
