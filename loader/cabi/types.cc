#include "loader/cabi/types.h"

#include <set>
#include <unordered_set>
#include <utility>

#include "loader/cabi/abi.h"

namespace lazylink::cabi {

const char* TypeKindName(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBool: return "bool";
    case TypeKind::kS8: return "s8";
    case TypeKind::kU8: return "u8";
    case TypeKind::kS16: return "s16";
    case TypeKind::kU16: return "u16";
    case TypeKind::kS32: return "s32";
    case TypeKind::kU32: return "u32";
    case TypeKind::kS64: return "s64";
    case TypeKind::kU64: return "u64";
    case TypeKind::kF32: return "f32";
    case TypeKind::kF64: return "f64";
    case TypeKind::kChar: return "char";
    case TypeKind::kString: return "string";
    case TypeKind::kList: return "list";
    case TypeKind::kRecord: return "record";
    case TypeKind::kTuple: return "tuple";
    case TypeKind::kVariant: return "variant";
    case TypeKind::kEnum: return "enum";
    case TypeKind::kFlags: return "flags";
    case TypeKind::kOption: return "option";
    case TypeKind::kResult: return "result";
    case TypeKind::kMap: return "map";
    case TypeKind::kOwn: return "own";
    case TypeKind::kBorrow: return "borrow";
  }
  return "?";
}

TypeArena::TypeArena() {
  for (int k = 0; k < kPrimitiveCount; ++k) {
    TypeNode node;
    node.kind = static_cast<TypeKind>(k);
    layouts_.push_back(ComputeLayout(*this, node));
    nodes_.push_back(std::move(node));
  }
}

Expected<TypeId> TypeArena::Add(TypeNode node) {
  const char* kind = TypeKindName(node.kind);
  auto child_ok = [&](TypeId id) { return id == kNoType || Contains(id); };
  if (IsPrimitive(node.kind)) return Primitive(node.kind);
  if (!child_ok(node.element) || !child_ok(node.second))
    return Error("", Msg(kind, " refers to an unknown type"));
  for (const Field& f : node.fields)
    if (!child_ok(f.type)) return Error("", Msg(kind, " refers to an unknown type"));

  bool needs_element = node.kind == TypeKind::kList || node.kind == TypeKind::kOption ||
                       node.kind == TypeKind::kMap;
  if (needs_element && node.element == kNoType) return Error("", Msg(kind, " needs a type"));
  if (node.kind == TypeKind::kMap && node.second == kNoType)
    return Error("", "map needs a value type");

  switch (node.kind) {
    case TypeKind::kRecord:
    case TypeKind::kTuple:
    case TypeKind::kVariant:
    case TypeKind::kEnum:
    case TypeKind::kFlags: {
      const char* what = node.kind == TypeKind::kRecord  ? "field"
                         : node.kind == TypeKind::kTuple ? "element"
                         : node.kind == TypeKind::kVariant ? "case"
                                                           : "label";
      if (node.fields.empty()) return Error("", Msg(kind, " needs at least one ", what));
      if (node.kind == TypeKind::kFlags && node.fields.size() > kMaxFlagsLabels)
        return Error("", Msg("flags with ", node.fields.size(), " labels: the Canonical ABI allows at most ",
                             kMaxFlagsLabels));
      if (node.kind == TypeKind::kTuple) {
        for (const Field& f : node.fields)
          if (f.type == kNoType) return Error("", "tuple element needs a type");
        break;
      }
      std::unordered_set<std::string_view> seen;
      for (const Field& f : node.fields) {
        if (f.label.empty()) return Error("", Msg(kind, " ", what, " needs a name"));
        if (!seen.insert(f.label).second)
          return Error("", Msg(kind, " ", what, " \"", f.label, "\" is defined twice"));
        if (node.kind == TypeKind::kRecord && f.type == kNoType)
          return Error("", Msg("record field \"", f.label, "\" needs a type"));
        if ((node.kind == TypeKind::kEnum || node.kind == TypeKind::kFlags) && f.type != kNoType)
          return Error("", Msg(kind, " label \"", f.label, "\" cannot have a payload"));
      }
      break;
    }
    case TypeKind::kOwn:
    case TypeKind::kBorrow:
      if (node.resource.empty()) return Error("", Msg(kind, " needs a resource name"));
      break;
    default: break;
  }

  NodeLayout layout = ComputeLayout(*this, node);
  if (layout.size[0] > kMaxTypeSize || layout.size[1] > kMaxTypeSize)
    return Error("", Msg(kind, " is larger than ", kMaxTypeSize, " bytes"));
  TypeId id = static_cast<TypeId>(nodes_.size());
  nodes_.push_back(std::move(node));
  layouts_.push_back(layout);
  return id;
}

Expected<TypeId> TypeArena::AddList(TypeId element, uint32_t length) {
  TypeNode n;
  n.kind = TypeKind::kList;
  n.element = element;
  n.length = length;
  return Add(std::move(n));
}

Expected<TypeId> TypeArena::AddOption(TypeId element) {
  TypeNode n;
  n.kind = TypeKind::kOption;
  n.element = element;
  return Add(std::move(n));
}

Expected<TypeId> TypeArena::AddResult(TypeId ok, TypeId err) {
  TypeNode n;
  n.kind = TypeKind::kResult;
  n.element = ok;
  n.second = err;
  return Add(std::move(n));
}

Expected<TypeId> TypeArena::AddTuple(const std::vector<TypeId>& elements) {
  TypeNode n;
  n.kind = TypeKind::kTuple;
  for (TypeId t : elements) n.fields.push_back({"", t});
  return Add(std::move(n));
}

Expected<TypeId> TypeArena::AddRecord(std::vector<Field> fields, std::string name) {
  TypeNode n;
  n.kind = TypeKind::kRecord;
  n.fields = std::move(fields);
  n.name = std::move(name);
  return Add(std::move(n));
}

Expected<TypeId> TypeArena::AddVariant(std::vector<Field> cases, std::string name) {
  TypeNode n;
  n.kind = TypeKind::kVariant;
  n.fields = std::move(cases);
  n.name = std::move(name);
  return Add(std::move(n));
}

Expected<TypeId> TypeArena::AddEnum(const std::vector<std::string>& labels, std::string name) {
  TypeNode n;
  n.kind = TypeKind::kEnum;
  for (const std::string& l : labels) n.fields.push_back({l, kNoType});
  n.name = std::move(name);
  return Add(std::move(n));
}

Expected<TypeId> TypeArena::AddFlags(const std::vector<std::string>& labels, std::string name) {
  TypeNode n;
  n.kind = TypeKind::kFlags;
  for (const std::string& l : labels) n.fields.push_back({l, kNoType});
  n.name = std::move(name);
  return Add(std::move(n));
}

Expected<TypeId> TypeArena::AddMap(TypeId key, TypeId value) {
  TypeNode n;
  n.kind = TypeKind::kMap;
  n.element = key;
  n.second = value;
  return Add(std::move(n));
}

Expected<TypeId> TypeArena::AddHandle(TypeKind own_or_borrow, std::string resource) {
  TypeNode n;
  n.kind = own_or_borrow;
  n.resource = std::move(resource);
  if (own_or_borrow != TypeKind::kOwn && own_or_borrow != TypeKind::kBorrow)
    return Error("", "a handle is own or borrow");
  return Add(std::move(n));
}

// ---------------------------------------------------------------------------
// Printing

namespace {

class Printer {
 public:
  Printer(const TypeArena& arena, size_t max_chars) : arena_(arena), max_(max_chars) {}

  void Type(TypeId id, bool expand_named) {
    if (Full()) return;
    if (id == kNoType) {
      Put("_");
      return;
    }
    const TypeNode& n = arena_.Get(id);
    if (IsPrimitive(n.kind)) {
      Put(TypeKindName(n.kind));
      return;
    }
    if (!n.name.empty() && !expand_named) {
      Put(TypeKindName(n.kind));
      Put(" ");
      Put(n.name);
      return;
    }
    switch (n.kind) {
      case TypeKind::kList:
        Put("list<");
        Type(n.element, false);
        if (n.length != 0) Put(Msg(", ", n.length));
        Put(">");
        return;
      case TypeKind::kOption:
        Put("option<");
        Type(n.element, false);
        Put(">");
        return;
      case TypeKind::kResult:
        Put("result");
        if (n.element == kNoType && n.second == kNoType) return;
        Put("<");
        Type(n.element, false);
        if (n.second != kNoType) {
          Put(", ");
          Type(n.second, false);
        }
        Put(">");
        return;
      case TypeKind::kMap:
        Put("map<");
        Type(n.element, false);
        Put(", ");
        Type(n.second, false);
        Put(">");
        return;
      case TypeKind::kTuple:
        Put("tuple<");
        for (size_t i = 0; i < n.fields.size() && !Full(); ++i) {
          if (i) Put(", ");
          Type(n.fields[i].type, false);
        }
        Put(">");
        return;
      case TypeKind::kOwn:
      case TypeKind::kBorrow:
        Put(TypeKindName(n.kind));
        Put("<");
        Put(n.resource);
        Put(">");
        return;
      default: break;
    }
    // record / variant / enum / flags, anonymous: the vectors' syntax.
    Put(TypeKindName(n.kind));
    Put("{");
    for (size_t i = 0; i < n.fields.size() && !Full(); ++i) {
      if (i) Put(", ");
      Put(n.fields[i].label);
      if (n.kind == TypeKind::kRecord) {
        Put(": ");
        Type(n.fields[i].type, false);
      } else if (n.kind == TypeKind::kVariant && n.fields[i].type != kNoType) {
        Put("(");
        Type(n.fields[i].type, false);
        Put(")");
      }
    }
    Put("}");
  }

  void Put(std::string_view s) {
    if (Full()) return;
    out_.append(s);
  }
  bool Full() const { return out_.size() > max_; }
  std::string Take() {
    if (out_.size() > max_) {
      out_.resize(max_);
      out_ += "...";
    }
    return std::move(out_);
  }

 private:
  const TypeArena& arena_;
  size_t max_;
  std::string out_;
};

}  // namespace

std::string TypeToString(const TypeArena& arena, TypeId id, size_t max_chars) {
  Printer p(arena, max_chars);
  p.Type(id, false);
  return p.Take();
}

std::string FuncTypeToString(const TypeArena& arena, const FuncType& func, size_t max_chars) {
  Printer p(arena, max_chars);
  p.Put("func(");
  for (size_t i = 0; i < func.params.size(); ++i) {
    if (i) p.Put(", ");
    p.Put(func.params[i].label);
    p.Put(": ");
    p.Type(func.params[i].type, false);
  }
  p.Put(")");
  if (func.results.size() == 1 && func.results[0].label.empty()) {
    p.Put(" -> ");
    p.Type(func.results[0].type, false);
  } else if (!func.results.empty()) {
    p.Put(" -> (");
    for (size_t i = 0; i < func.results.size(); ++i) {
      if (i) p.Put(", ");
      p.Put(func.results[i].label);
      p.Put(": ");
      p.Type(func.results[i].type, false);
    }
    p.Put(")");
  }
  return p.Take();
}

// ---------------------------------------------------------------------------
// Structural comparison

namespace {

std::string Quote(std::string_view s) { return Msg("\"", s, "\""); }

class Comparer {
 public:
  Comparer(const TypeArena& a, const TypeArena& b) : a_(a), b_(b) {}

  std::optional<TypeMismatch> Compare(TypeId x, TypeId y) {
    if (x == kNoType || y == kNoType) {
      if (x == y) return std::nullopt;
      return Fail("", Msg(Str(a_, x), " vs ", Str(b_, y)));
    }
    if (&a_ == &b_ && x == y) return std::nullopt;
    if (equal_.count({x, y})) return std::nullopt;
    const TypeNode& n = a_.Get(x);
    const TypeNode& m = b_.Get(y);
    if (n.kind != m.kind) return Fail("", Msg(Str(a_, x), " vs ", Str(b_, y)));
    std::optional<TypeMismatch> r = CompareSameKind(n, m, x, y);
    if (!r) equal_.insert({x, y});
    return r;
  }

  static std::optional<TypeMismatch> Within(std::string step, std::optional<TypeMismatch> inner) {
    if (!inner) return inner;
    inner->path = inner->path.empty() ? step : step + ": " + inner->path;
    return inner;
  }

 private:
  static std::string Str(const TypeArena& arena, TypeId id) {
    return id == kNoType ? "none" : TypeToString(arena, id, 60);
  }

  static std::optional<TypeMismatch> Fail(std::string path, std::string detail) {
    return TypeMismatch{std::move(path), std::move(detail)};
  }

  // The first label present on one side only, for "(case "err" missing)".
  static std::string FirstMissing(const std::vector<Field>& more,
                                  const std::vector<Field>& fewer) {
    std::unordered_set<std::string_view> have;
    for (const Field& f : fewer) have.insert(f.label);
    for (const Field& f : more)
      if (!have.count(f.label)) return f.label;
    return "";
  }

  std::optional<TypeMismatch> CompareLabelled(const TypeNode& n, const TypeNode& m,
                                              const char* what) {
    const std::vector<Field>& f = n.fields;
    const std::vector<Field>& g = m.fields;
    if (f.size() != g.size()) {
      std::string missing = f.size() > g.size() ? FirstMissing(f, g) : FirstMissing(g, f);
      std::string detail = Msg(what, "s: ", f.size(), " vs ", g.size());
      if (!missing.empty()) detail += Msg(" (", what, " ", Quote(missing), " missing)");
      return Fail("", detail);
    }
    for (size_t i = 0; i < f.size(); ++i) {
      if (f[i].label != g[i].label)
        return Fail("", Msg(what, " ", i, ": ", Quote(f[i].label), " vs ", Quote(g[i].label)));
      if (f[i].type == kNoType && g[i].type == kNoType) continue;
      if (f[i].type == kNoType || g[i].type == kNoType)
        return Fail(Msg(what, " ", Quote(f[i].label)),
                    Msg(f[i].type == kNoType ? "no payload" : Str(a_, f[i].type), " vs ",
                        g[i].type == kNoType ? "no payload" : Str(b_, g[i].type)));
      if (auto r = Compare(f[i].type, g[i].type))
        return Within(Msg(what, " ", Quote(f[i].label)), r);
    }
    return std::nullopt;
  }

  std::optional<TypeMismatch> CompareSameKind(const TypeNode& n, const TypeNode& m, TypeId x,
                                              TypeId y) {
    switch (n.kind) {
      case TypeKind::kList:
        if (n.length != m.length) return Fail("", Msg(Str(a_, x), " vs ", Str(b_, y)));
        return Within("list element", Compare(n.element, m.element));
      case TypeKind::kOption: return Within("option", Compare(n.element, m.element));
      case TypeKind::kResult:
        if (auto r = Within("ok", Compare(n.element, m.element))) return r;
        return Within("err", Compare(n.second, m.second));
      case TypeKind::kMap:
        if (auto r = Within("map key", Compare(n.element, m.element))) return r;
        return Within("map value", Compare(n.second, m.second));
      case TypeKind::kTuple:
        if (n.fields.size() != m.fields.size())
          return Fail("", Msg("tuple elements: ", n.fields.size(), " vs ", m.fields.size()));
        for (size_t i = 0; i < n.fields.size(); ++i)
          if (auto r = Compare(n.fields[i].type, m.fields[i].type))
            return Within(Msg("tuple element ", i), r);
        return std::nullopt;
      case TypeKind::kRecord: return CompareLabelled(n, m, "field");
      case TypeKind::kVariant: return CompareLabelled(n, m, "case");
      case TypeKind::kEnum: return CompareLabelled(n, m, "case");
      case TypeKind::kFlags: return CompareLabelled(n, m, "flag");
      case TypeKind::kOwn:
      case TypeKind::kBorrow:
        if (n.resource != m.resource) return Fail("", Msg(Str(a_, x), " vs ", Str(b_, y)));
        return std::nullopt;
      default: return std::nullopt;  // same primitive kind
    }
  }

  const TypeArena& a_;
  const TypeArena& b_;
  std::set<std::pair<TypeId, TypeId>> equal_;

};

}  // namespace

std::optional<TypeMismatch> CompareTypes(const TypeArena& a, TypeId x, const TypeArena& b,
                                         TypeId y) {
  return Comparer(a, b).Compare(x, y);
}

std::optional<TypeMismatch> CompareFuncTypes(const TypeArena& a, const FuncType& f,
                                             const TypeArena& b, const FuncType& g) {
  Comparer c(a, b);
  if (f.params.size() != g.params.size())
    return TypeMismatch{"", Msg("params: ", f.params.size(), " vs ", g.params.size())};
  for (size_t i = 0; i < f.params.size(); ++i) {
    const Field& p = f.params[i];
    const Field& q = g.params[i];
    if (p.label != q.label)
      return TypeMismatch{"", Msg("param ", i, ": ", Quote(p.label), " vs ", Quote(q.label))};
    if (auto r = c.Compare(p.type, q.type))
      return Comparer::Within(Msg("param ", i, " ", Quote(p.label)), r);
  }
  if (f.results.size() != g.results.size())
    return TypeMismatch{"", Msg("results: ", f.results.size(), " vs ", g.results.size())};
  for (size_t i = 0; i < f.results.size(); ++i) {
    const Field& p = f.results[i];
    const Field& q = g.results[i];
    if (p.label != q.label)
      return TypeMismatch{"", Msg("result ", i, ": ", p.label.empty() ? "unnamed" : Quote(p.label),
                                  " vs ", q.label.empty() ? "unnamed" : Quote(q.label))};
    std::string step = p.label.empty() ? "result" : Msg("result ", Quote(p.label));
    if (auto r = c.Compare(p.type, q.type)) return Comparer::Within(step, r);
  }
  return std::nullopt;
}

std::optional<std::string> FindHandle(const TypeArena& arena, TypeId id) {
  if (id == kNoType || !arena.LayoutOf(id).has_handle) return std::nullopt;
  const TypeNode& n = arena.Get(id);
  if (n.kind == TypeKind::kOwn || n.kind == TypeKind::kBorrow)
    return TypeToString(arena, id);
  for (TypeId child : {n.element, n.second})
    if (auto h = FindHandle(arena, child)) return h;
  for (const Field& f : n.fields)
    if (auto h = FindHandle(arena, f.type)) return h;
  return std::nullopt;
}

std::optional<std::string> FindHandle(const TypeArena& arena, const FuncType& func) {
  for (const auto* list : {&func.params, &func.results})
    for (const Field& f : *list)
      if (auto h = FindHandle(arena, f.type)) return h;
  return std::nullopt;
}

}  // namespace lazylink::cabi
