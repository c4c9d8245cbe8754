// lazylink: the syntax tree of one WIT file, before name resolution.
//
// The parser (parser.h) produces a Document per file; the resolver
// (resolve.h) turns documents into types in a cabi::TypeArena. Every node
// keeps its position so that resolution errors can name file:line:column.
#ifndef LAZYLINK_WIT_AST_H_
#define LAZYLINK_WIT_AST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loader/cabi/types.h"
#include "loader/wit/lexer.h"

namespace lazylink::wit {

// A type as written: `list<u8>`, `result<_, errno>`, `point`, and (only in
// the single-type syntax of the conformance vectors) `record{x: u8}`.
struct TypeExpr {
  enum class Kind : uint8_t {
    kPrimitive,  // prim
    kNamed,      // name
    kList,       // args[0], length (0 = list<T>)
    kOption,     // args[0]
    kResult,     // args: ok then err; has_ok/has_err say which are present
    kTuple,      // args
    kMap,        // args[0] key, args[1] value
    kOwn,        // name (a resource)
    kBorrow,     // name (a resource)
    kRecord,     // fields (inline, vector syntax)
    kVariant,    // fields, type optional
    kEnum,       // fields
    kFlags,      // fields
  };
  struct InlineField;

  Kind kind = Kind::kPrimitive;
  Pos pos;
  cabi::TypeKind prim = cabi::TypeKind::kBool;
  std::string name;
  std::vector<TypeExpr> args;
  uint32_t length = 0;
  bool has_ok = false;
  bool has_err = false;
  std::vector<InlineField> fields;
};

struct TypeExpr::InlineField {
  std::string label;
  Pos pos;
  std::optional<TypeExpr> type;
};

// A record field, variant case, enum/flags label, or function parameter.
struct FieldDecl {
  std::string name;
  Pos pos;
  std::optional<TypeExpr> type;
  std::string docs;
};

struct FuncDecl {
  std::string name;
  Pos pos;
  std::vector<FieldDecl> params;
  std::vector<FieldDecl> results;  // one unnamed entry for `-> T`
  std::string docs;
};

struct TypeDecl {
  enum class Kind : uint8_t { kAlias, kRecord, kVariant, kEnum, kFlags, kResource };
  Kind kind = Kind::kAlias;
  std::string name;
  Pos pos;
  std::optional<TypeExpr> alias;     // kAlias
  std::vector<FieldDecl> fields;     // record fields, cases, labels
  std::vector<FuncDecl> resource_funcs;  // desugared: [constructor]r, [method]r.f, [static]r.f
  std::string docs;
};

// `iface` or `ns:pkg/iface@1.2.3`.
struct UsePath {
  std::string ns;       // empty for a bare interface name
  std::string package;
  std::string name;
  std::string version;
  Pos pos;
  std::string ToString() const;
};

struct UseName {
  std::string name;
  std::string alias;  // empty: same as name
  Pos pos;
};

// `use iface.{a, b as c};` inside an interface or world.
struct UseDecl {
  UsePath path;
  std::vector<UseName> names;
  Pos pos;
};

struct InterfaceDecl {
  std::string name;
  Pos pos;
  std::vector<UseDecl> uses;
  std::vector<TypeDecl> types;
  std::vector<FuncDecl> funcs;
  std::string docs;
};

// One `import` or `export` of a world.
struct ExternDecl {
  enum class Kind : uint8_t { kFunc, kInlineInterface, kPath };
  bool is_import = true;
  Kind kind = Kind::kFunc;
  Pos pos;
  std::string name;       // kFunc, kInlineInterface
  FuncDecl func;          // kFunc
  InterfaceDecl iface;    // kInlineInterface
  UsePath path;           // kPath
  std::string docs;
};

struct IncludeDecl {
  UsePath path;
  std::vector<UseName> with;  // name as alias
  Pos pos;
};

struct WorldDecl {
  std::string name;
  Pos pos;
  std::vector<ExternDecl> externs;
  std::vector<UseDecl> uses;
  std::vector<TypeDecl> types;
  std::vector<IncludeDecl> includes;
  std::string docs;
};

struct PackageName {
  std::string ns;
  std::string name;
  std::string version;
  // "ns:name" or "ns:name@1.0.0"
  std::string ToString() const;
  bool operator==(const PackageName& o) const {
    return ns == o.ns && name == o.name && version == o.version;
  }
};

// A top-level `use ns:pkg/iface as name;`.
struct TopUse {
  UsePath path;
  std::string alias;
  Pos pos;
};

struct Document {
  std::string file;
  std::optional<PackageName> package;
  Pos package_pos;
  std::vector<TopUse> uses;
  std::vector<InterfaceDecl> interfaces;
  std::vector<WorldDecl> worlds;
};

}  // namespace lazylink::wit

#endif  // LAZYLINK_WIT_AST_H_
