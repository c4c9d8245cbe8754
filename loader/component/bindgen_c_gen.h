// lazylink: internals of the C bindings generator (bindgen_c.cc: functions
// and files; bindgen_c_types.cc: type names, declarations, free functions,
// flat lifting and lowering in C). Not a public header.
#ifndef LAZYLINK_COMPONENT_BINDGEN_C_GEN_H_
#define LAZYLINK_COMPONENT_BINDGEN_C_GEN_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "loader/cabi/abi.h"
#include "loader/wit/resolve.h"

namespace lazylink::component::cgen {

using cabi::CoreType;
using cabi::TypeId;

// kebab-case WIT name -> a C identifier (snake_case, keywords escaped).
std::string Snake(const std::string& name);
std::string Upper(const std::string& s);

// A flat core value held in a C local.
struct FlatVar {
  std::string name;
  CoreType type;
};
const char* CoreCType(CoreType t);  // int32_t, int64_t, float, double

class TypeGen {
 public:
  TypeGen(const wit::Resolve& resolve, std::string world_prefix);

  const cabi::TypeArena& arena() const { return arena_; }
  const std::string& prefix() const { return prefix_; }

  // The C type of a value of type t ("uint32_t", "plugin_string_t", ...),
  // declaring it (and what it uses) on first use.
  std::string CType(TypeId t);
  // Passed by value (scalars, enums, flags) rather than by pointer.
  bool ByValue(TypeId t) const;
  // Has memory to free (a string or a list somewhere inside).
  bool Owns(TypeId t) const;
  // "NAME_free" for an owning type (declared with its type).
  std::string FreeFn(TypeId t);

  // Statements lowering the C value `expr` into vars[first...] (flat values,
  // possibly of joined types); `tmp` numbers temporaries.
  void LowerFlat(TypeId t, const std::string& expr, const std::vector<FlatVar>& vars,
                 size_t first, const std::string& indent, std::string* out);
  // Statements lifting vars[first...] into the C lvalue `dest`.
  void LiftFlat(TypeId t, const std::string& dest, const std::vector<FlatVar>& vars, size_t first,
                const std::string& indent, std::string* out);

  // Declarations and definitions accumulated so far.
  const std::string& declarations() const { return decls_; }
  const std::string& free_prototypes() const { return free_protos_; }
  const std::string& free_definitions() const { return free_defs_; }
  // _Static_assert lines checking each type's size and alignment (wasm32).
  const std::string& layout_asserts() const { return asserts_; }

 private:
  std::string Mangle(TypeId t);
  std::string NamedBase(TypeId t) const;  // C base name of a named type, or ""
  void Declare(TypeId t, const std::string& name);
  void DefineFree(TypeId t, const std::string& name);
  std::string Temp();
  std::string PayloadExpr(const cabi::TypeNode& n, size_t c, const std::string& expr) const;

  const cabi::TypeArena& arena_;
  std::string prefix_;
  std::map<TypeId, std::string> owner_;     // named type -> C base name
  std::map<std::string, int> short_names_;  // short name -> how many named types have it
  std::map<TypeId, std::string> names_;     // declared C type names
  std::set<std::string> declared_;          // by C name (structurally equal types share one)
  std::string decls_;
  std::string free_protos_;
  std::string free_defs_;
  std::string asserts_;
  int temps_ = 0;
};

}  // namespace lazylink::component::cgen

#endif  // LAZYLINK_COMPONENT_BINDGEN_C_GEN_H_
