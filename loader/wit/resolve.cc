#include "loader/wit/resolve.h"

#include <map>
#include <set>

#include "loader/wit/parser.h"

namespace lazylink::wit {

std::string Interface::QualifiedName() const {
  if (!package) return name;
  std::string s = Msg(package->ns, ":", package->name, "/", name);
  if (!package->version.empty()) s += "@" + package->version;
  return s;
}

std::string World::QualifiedName() const {
  if (!package) return name;
  std::string s = Msg(package->ns, ":", package->name, "/", name);
  if (!package->version.empty()) s += "@" + package->version;
  return s;
}

namespace {

// Matches "ns:pkg/name" against a qualified name that may carry "@version".
bool NameMatches(std::string_view want, const std::string& name, const std::string& qualified) {
  if (want == name || want == qualified) return true;
  size_t at = qualified.find('@');
  return at != std::string::npos && want == std::string_view(qualified).substr(0, at);
}

}  // namespace

const World* Resolve::FindWorld(std::string_view name) const {
  const World* found = nullptr;
  for (const World& w : worlds) {
    if (NameMatches(name, w.name, w.QualifiedName())) {
      if (found) return nullptr;  // ambiguous
      found = &w;
    }
  }
  return found;
}

const Interface* Resolve::FindInterface(std::string_view name) const {
  const Interface* found = nullptr;
  for (const Interface& i : interfaces) {
    if (NameMatches(name, i.name, i.QualifiedName())) {
      if (found) return nullptr;
      found = &i;
    }
  }
  return found;
}

namespace {

using cabi::Field;
using cabi::TypeArena;
using cabi::TypeId;
using cabi::TypeKind;
using cabi::kNoType;

constexpr int kMaxResolveDepth = 1000;

struct Resolved {
  TypeId id = kNoType;
  bool is_resource = false;
  std::string resource;
};

struct Entry {
  const TypeDecl* decl = nullptr;
  const UseName* use = nullptr;
  const UsePath* path = nullptr;
  Pos pos;
  enum class State : uint8_t { kNew, kBusy, kDone } state = State::kNew;
  Resolved result;
};

struct Scope {
  size_t doc = 0;
  size_t package = 0;
  std::string label;  // "interface 'x'", for messages
  std::map<std::string, Entry> entries;
  std::vector<std::string> order;
};

struct PackageInfo {
  std::optional<PackageName> name;
  std::map<std::string, size_t> interfaces;  // -> slot
  std::map<std::string, std::pair<const WorldDecl*, size_t>> worlds;  // -> (decl, doc)
};

struct IfaceSlot {
  const InterfaceDecl* decl = nullptr;
  size_t doc = 0;
  size_t scope = 0;
  size_t out = 0;  // index in Resolve::interfaces
};

class Resolver {
 public:
  Resolver(const std::vector<Document>& docs, Resolve* out) : docs_(docs), out_(out) {}

  Status Run() {
    for (size_t d = 0; d < docs_.size(); ++d) {
      const Document& doc = docs_[d];
      size_t pkg = PackageIndex(doc.package);
      doc_package_.push_back(pkg);
      for (const InterfaceDecl& iface : doc.interfaces) {
        auto [it, fresh] = packages_[pkg].interfaces.emplace(iface.name, slots_.size());
        if (!fresh)
          return Fail(d, iface.pos, Msg("interface '", iface.name, "' is defined twice"));
        Interface out;
        out.name = iface.name;
        out.package = doc.package;
        out.docs = iface.docs;
        LL_CHECK(AddIfaceSlot(&iface, d, pkg, std::move(out)));
      }
      for (const WorldDecl& world : doc.worlds) {
        if (packages_[pkg].interfaces.count(world.name) || packages_[pkg].worlds.count(world.name))
          return Fail(d, world.pos, Msg("'", world.name, "' is defined twice"));
        packages_[pkg].worlds[world.name] = {&world, d};
      }
    }
    for (size_t s = 0; s < slots_.size(); ++s) LL_CHECK(ResolveInterface(s));
    for (size_t d = 0; d < docs_.size(); ++d)
      for (const WorldDecl& world : docs_[d].worlds) {
        LL_TRY(size_t w, ResolveWorld(&world, d));
        (void)w;
      }
    // Worlds in declaration order (ResolveWorld may have resolved an included
    // world earlier).
    std::vector<World> ordered;
    for (size_t d = 0; d < docs_.size(); ++d)
      for (const WorldDecl& world : docs_[d].worlds)
        ordered.push_back(out_->worlds[world_index_.at(&world)]);
    out_->worlds = std::move(ordered);
    return Ok{};
  }

  // For ParseValueType: no scope, inline compounds allowed.
  Expected<TypeId> ResolveFreeType(const TypeExpr& expr, std::string_view file) {
    free_file_ = std::string(file);
    return ResolveTypeExpr(nullptr, expr, 0);
  }

 private:
  std::string FileOf(size_t doc) const {
    return doc < docs_.size() ? docs_[doc].file : free_file_;
  }
  Error Fail(size_t doc, Pos pos, std::string message) const {
    return Error(FormatPos(FileOf(doc), pos), std::move(message));
  }

  size_t PackageIndex(const std::optional<PackageName>& name) {
    for (size_t i = 0; i < packages_.size(); ++i)
      if (packages_[i].name == name) return i;
    packages_.push_back({name, {}, {}});
    return packages_.size() - 1;
  }

  Expected<size_t> NewScope(size_t doc, size_t pkg, std::string label,
                            const std::vector<UseDecl>& uses, const std::vector<TypeDecl>& types) {
    auto scope = std::make_unique<Scope>();
    scope->doc = doc;
    scope->package = pkg;
    scope->label = std::move(label);
    auto add = [&](const std::string& name, Entry e) -> Status {
      auto [it, fresh] = scope->entries.emplace(name, e);
      if (!fresh)
        return Fail(doc, e.pos, Msg("'", name, "' is defined twice in ", scope->label,
                                    " (first at ", FormatPos(FileOf(doc), it->second.pos), ")"));
      scope->order.push_back(name);
      return Ok{};
    };
    for (const UseDecl& use : uses) {
      for (const UseName& n : use.names) {
        Entry e;
        e.use = &n;
        e.path = &use.path;
        e.pos = n.pos;
        LL_CHECK(add(n.alias.empty() ? n.name : n.alias, e));
      }
    }
    for (const TypeDecl& t : types) {
      Entry e;
      e.decl = &t;
      e.pos = t.pos;
      LL_CHECK(add(t.name, e));
    }
    scopes_.push_back(std::move(scope));
    return scopes_.size() - 1;
  }

  Status AddIfaceSlot(const InterfaceDecl* decl, size_t doc, size_t pkg, Interface out) {
    LL_TRY(size_t scope, NewScope(doc, pkg, Msg("interface '", decl->name, "'"), decl->uses,
                                  decl->types));
    IfaceSlot slot;
    slot.decl = decl;
    slot.doc = doc;
    slot.scope = scope;
    slot.out = out_->interfaces.size();
    out_->interfaces.push_back(std::move(out));
    slots_.push_back(slot);
    return Ok{};
  }

  // --- interface paths ----------------------------------------------------

  Expected<size_t> FindIfaceSlot(size_t doc, size_t pkg, const UsePath& path, int depth = 0) {
    if (path.ns.empty()) {
      if (depth == 0 && doc < docs_.size()) {
        for (const TopUse& tu : docs_[doc].uses) {
          const std::string& local = tu.alias.empty() ? tu.path.name : tu.alias;
          if (local == path.name) return FindIfaceSlot(doc, pkg, tu.path, depth + 1);
        }
      }
      auto it = packages_[pkg].interfaces.find(path.name);
      if (it == packages_[pkg].interfaces.end()) {
        const auto& name = packages_[pkg].name;
        return Fail(doc, path.pos, Msg("no interface '", path.name, "' in ",
                                       name ? "package " + name->ToString() : "this package"));
      }
      return it->second;
    }
    std::optional<size_t> found;
    for (size_t i = 0; i < packages_.size(); ++i) {
      const auto& name = packages_[i].name;
      if (!name || name->ns != path.ns || name->name != path.package) continue;
      if (!path.version.empty() && name->version != path.version) continue;
      if (found)
        return Fail(doc, path.pos, Msg("package ", path.ns, ":", path.package,
                                       " is loaded in several versions; name one with '@'"));
      found = i;
    }
    if (!found)
      return Fail(doc, path.pos, Msg("package ", path.ns, ":", path.package,
                                     path.version.empty() ? "" : "@" + path.version,
                                     " is not loaded (needed for '", path.ToString(), "')"));
    auto it = packages_[*found].interfaces.find(path.name);
    if (it == packages_[*found].interfaces.end())
      return Fail(doc, path.pos, Msg("no interface '", path.name, "' in package ",
                                     packages_[*found].name->ToString()));
    return it->second;
  }

  // --- types --------------------------------------------------------------

  Expected<Resolved> ResolveName(size_t scope_index, const std::string& name, size_t err_doc,
                                 Pos err_pos, int depth) {
    if (depth > kMaxResolveDepth)
      return Fail(err_doc, err_pos, "type definitions are nested too deeply");
    Scope& scope = *scopes_[scope_index];
    auto it = scope.entries.find(name);
    if (it == scope.entries.end())
      return Fail(err_doc, err_pos, Msg("unknown type '", name, "' in ", scope.label));
    Entry& e = it->second;
    if (e.state == Entry::State::kDone) return e.result;
    if (e.state == Entry::State::kBusy)
      return Fail(scope.doc, e.pos, Msg("type '", name, "' refers to itself"));
    e.state = Entry::State::kBusy;
    Resolved r;
    if (e.use) {
      LL_TRY(size_t slot, FindIfaceSlot(scope.doc, scope.package, *e.path));
      LL_TRY(r, ResolveName(slots_[slot].scope, e.use->name, scope.doc, e.use->pos, depth + 1));
    } else {
      LL_TRY(r, ResolveDecl(scope_index, *e.decl, depth + 1));
    }
    e.result = r;
    e.state = Entry::State::kDone;
    return r;
  }

  Expected<Resolved> ResolveDecl(size_t scope_index, const TypeDecl& d, int depth) {
    size_t doc = scopes_[scope_index]->doc;
    Resolved r;
    TypeArena& arena = *out_->arena;
    auto wrap = [&](Expected<TypeId> id) -> Expected<TypeId> {
      if (!id.ok()) return Fail(doc, d.pos, Msg("'", d.name, "': ", id.error().message));
      return id;
    };
    switch (d.kind) {
      case TypeDecl::Kind::kAlias: {
        // An alias of a resource is that resource (`type r2 = r;`).
        if (d.alias->kind == TypeExpr::Kind::kNamed)
          return ResolveName(scope_index, d.alias->name, doc, d.alias->pos, depth);
        LL_TRY(r.id, ResolveTypeExpr(scopes_[scope_index].get(), *d.alias, depth));
        return r;
      }
      case TypeDecl::Kind::kResource: {
        LL_TRY(r.id, wrap(arena.AddHandle(TypeKind::kOwn, d.name)));
        r.is_resource = true;
        r.resource = d.name;
        return r;
      }
      default: break;
    }
    cabi::TypeNode node;
    node.name = d.name;
    node.kind = d.kind == TypeDecl::Kind::kRecord    ? TypeKind::kRecord
                : d.kind == TypeDecl::Kind::kVariant ? TypeKind::kVariant
                : d.kind == TypeDecl::Kind::kEnum    ? TypeKind::kEnum
                                                     : TypeKind::kFlags;
    for (const FieldDecl& f : d.fields) {
      Field field{f.name, kNoType};
      if (f.type) { LL_TRY(field.type, ResolveTypeExpr(scopes_[scope_index].get(), *f.type, depth)); }
      node.fields.push_back(std::move(field));
    }
    LL_TRY(r.id, wrap(arena.Add(std::move(node))));
    return r;
  }

  Expected<TypeId> ResolveTypeExpr(Scope* scope, const TypeExpr& t, int depth) {
    size_t doc = scope ? scope->doc : docs_.size();
    TypeArena& arena = *out_->arena;
    if (depth > kMaxResolveDepth) return Fail(doc, t.pos, "types are nested too deeply");
    auto wrap = [&](Expected<TypeId> id) -> Expected<TypeId> {
      if (!id.ok()) return Fail(doc, t.pos, id.error().message);
      return id;
    };
    auto arg = [&](size_t i) { return ResolveTypeExpr(scope, t.args[i], depth + 1); };
    switch (t.kind) {
      case TypeExpr::Kind::kPrimitive: return arena.Primitive(t.prim);
      case TypeExpr::Kind::kNamed:
      case TypeExpr::Kind::kOwn:
      case TypeExpr::Kind::kBorrow: {
        if (!scope) return Fail(doc, t.pos, Msg("unknown type '", t.name, "'"));
        size_t index = ScopeIndex(scope);
        LL_TRY(Resolved r, ResolveName(index, t.name, doc, t.pos, depth + 1));
        if (t.kind == TypeExpr::Kind::kNamed) return r.id;
        if (!r.is_resource)
          return Fail(doc, t.pos, Msg("'", t.name, "' is not a resource, so it cannot be ",
                                      t.kind == TypeExpr::Kind::kOwn ? "owned" : "borrowed"));
        if (t.kind == TypeExpr::Kind::kOwn) return r.id;
        return wrap(arena.AddHandle(TypeKind::kBorrow, r.resource));
      }
      case TypeExpr::Kind::kList: {
        LL_TRY(TypeId e, arg(0));
        return wrap(arena.AddList(e, t.length));
      }
      case TypeExpr::Kind::kOption: {
        LL_TRY(TypeId e, arg(0));
        return wrap(arena.AddOption(e));
      }
      case TypeExpr::Kind::kResult: {
        TypeId ok = kNoType, err = kNoType;
        if (t.has_ok) { LL_TRY(ok, arg(0)); }
        if (t.has_err) { LL_TRY(err, arg(1)); }
        return wrap(arena.AddResult(ok, err));
      }
      case TypeExpr::Kind::kTuple: {
        std::vector<TypeId> elems;
        for (size_t i = 0; i < t.args.size(); ++i) {
          LL_TRY(TypeId e, arg(i));
          elems.push_back(e);
        }
        return wrap(arena.AddTuple(elems));
      }
      case TypeExpr::Kind::kMap: {
        LL_TRY(TypeId k, arg(0));
        LL_TRY(TypeId v, arg(1));
        return wrap(arena.AddMap(k, v));
      }
      default: break;
    }
    cabi::TypeNode node;
    node.kind = t.kind == TypeExpr::Kind::kRecord    ? TypeKind::kRecord
                : t.kind == TypeExpr::Kind::kVariant ? TypeKind::kVariant
                : t.kind == TypeExpr::Kind::kEnum    ? TypeKind::kEnum
                                                     : TypeKind::kFlags;
    for (const TypeExpr::InlineField& f : t.fields) {
      Field field{f.label, kNoType};
      if (f.type) { LL_TRY(field.type, ResolveTypeExpr(scope, *f.type, depth + 1)); }
      node.fields.push_back(std::move(field));
    }
    return wrap(arena.Add(std::move(node)));
  }

  size_t ScopeIndex(const Scope* scope) const {
    for (size_t i = 0; i < scopes_.size(); ++i)
      if (scopes_[i].get() == scope) return i;
    return 0;
  }

  Expected<Function> ResolveFunction(size_t scope_index, const FuncDecl& f) {
    Scope* scope = scopes_[scope_index].get();
    Function out;
    out.name = f.name;
    out.docs = f.docs;
    out.where = FormatPos(FileOf(scope->doc), f.pos);
    std::set<std::string> names;
    for (const auto* list : {&f.params, &f.results}) {
      for (const FieldDecl& p : *list) {
        if (!p.name.empty() && !names.insert(p.name).second)
          return Fail(scope->doc, p.pos, Msg("'", p.name, "' is used twice in function '",
                                             f.name, "'"));
        LL_TRY(TypeId id, ResolveTypeExpr(scope, *p.type, 0));
        (list == &f.params ? out.type.params : out.type.results).push_back({p.name, id});
      }
    }
    return out;
  }

  Status ResolveInterfaceBody(size_t scope_index, const InterfaceDecl& decl, Interface* out) {
    Scope& scope = *scopes_[scope_index];
    for (const std::string& name : scope.order) {
      LL_TRY(Resolved r, ResolveName(scope_index, name, scope.doc, scope.entries[name].pos, 0));
      out->types.push_back({name, r.id});
      if (scope.entries[name].use) out->used_types.push_back(name);
      if (r.is_resource) out->resources.push_back(name);
    }
    std::set<std::string> names;
    auto add = [&](const FuncDecl& f) -> Status {
      if (!names.insert(f.name).second)
        return Fail(scope.doc, f.pos, Msg("function '", f.name, "' is defined twice in ",
                                          scope.label));
      LL_TRY(Function fn, ResolveFunction(scope_index, f));
      out->functions.push_back(std::move(fn));
      return Ok{};
    };
    for (const TypeDecl& t : decl.types)
      for (const FuncDecl& f : t.resource_funcs) LL_CHECK(add(f));
    for (const FuncDecl& f : decl.funcs) LL_CHECK(add(f));
    return Ok{};
  }

  Status ResolveInterface(size_t s) {
    const IfaceSlot& slot = slots_[s];
    Interface out = out_->interfaces[slot.out];
    LL_CHECK(ResolveInterfaceBody(slot.scope, *slot.decl, &out));
    out_->interfaces[slot.out] = std::move(out);
    return Ok{};
  }

  // --- worlds -------------------------------------------------------------

  Expected<size_t> ResolveWorld(const WorldDecl* decl, size_t doc) {
    auto done = world_index_.find(decl);
    if (done != world_index_.end()) return done->second;
    if (!busy_worlds_.insert(decl).second)
      return Fail(doc, decl->pos, Msg("world '", decl->name, "' includes itself"));
    size_t pkg = doc_package_[doc];
    World world;
    world.name = decl->name;
    world.package = docs_[doc].package;
    world.docs = decl->docs;
    LL_TRY(size_t scope, NewScope(doc, pkg, Msg("world '", decl->name, "'"), decl->uses,
                                  decl->types));
    for (const std::string& name : scopes_[scope]->order) {
      LL_TRY(Resolved r, ResolveName(scope, name, doc, scopes_[scope]->entries[name].pos, 0));
      (void)r;
    }

    auto add_item = [&](bool is_import, WorldItem item, Pos pos) -> Status {
      std::vector<WorldItem>& list = is_import ? world.imports : world.exports;
      for (const WorldItem& other : list)
        if (other.name == item.name)
          return Fail(doc, pos, Msg("world '", decl->name, "' ",
                                    is_import ? "imports '" : "exports '", item.name, "' twice"));
      list.push_back(std::move(item));
      return Ok{};
    };

    for (const IncludeDecl& inc : decl->includes) {
      LL_TRY(auto target, FindWorldDecl(doc, pkg, inc.path));
      LL_TRY(size_t index, ResolveWorld(target.first, target.second));
      World included = out_->worlds[index];
      std::set<std::string> renamed;
      for (const UseName& n : inc.with) {
        bool hit = false;
        for (auto* list : {&included.imports, &included.exports})
          for (WorldItem& item : *list)
            if (item.name == n.name) {
              item.name = n.alias;
              if (item.kind == WorldItem::Kind::kFunction) item.function.name = n.alias;
              hit = true;
            }
        if (!hit)
          return Fail(doc, n.pos, Msg("world '", included.name, "' has no import or export '",
                                      n.name, "' to rename"));
      }
      for (WorldItem& item : included.imports) LL_CHECK(add_item(true, std::move(item), inc.pos));
      for (WorldItem& item : included.exports) LL_CHECK(add_item(false, std::move(item), inc.pos));
    }

    for (const ExternDecl& e : decl->externs) {
      WorldItem item;
      switch (e.kind) {
        case ExternDecl::Kind::kFunc: {
          item.kind = WorldItem::Kind::kFunction;
          item.name = e.name;
          LL_TRY(item.function, ResolveFunction(scope, e.func));
          break;
        }
        case ExternDecl::Kind::kInlineInterface: {
          Interface out;
          out.name = e.name;
          out.docs = e.docs;
          LL_TRY(size_t iscope, NewScope(doc, pkg, Msg("interface '", e.name, "'"), e.iface.uses,
                                         e.iface.types));
          LL_CHECK(ResolveInterfaceBody(iscope, e.iface, &out));
          item.kind = WorldItem::Kind::kInterface;
          item.name = e.name;
          item.interface = out_->interfaces.size();
          out_->interfaces.push_back(std::move(out));
          break;
        }
        case ExternDecl::Kind::kPath: {
          LL_TRY(size_t slot, FindIfaceSlot(doc, pkg, e.path));
          item.kind = WorldItem::Kind::kInterface;
          item.interface = slots_[slot].out;
          item.name = out_->interfaces[item.interface].QualifiedName();
          break;
        }
      }
      LL_CHECK(add_item(e.is_import, std::move(item), e.pos));
    }
    busy_worlds_.erase(decl);
    out_->worlds.push_back(std::move(world));
    world_index_[decl] = out_->worlds.size() - 1;
    return out_->worlds.size() - 1;
  }

  Expected<std::pair<const WorldDecl*, size_t>> FindWorldDecl(size_t doc, size_t pkg,
                                                              const UsePath& path) {
    size_t target = pkg;
    if (!path.ns.empty()) {
      bool found = false;
      for (size_t i = 0; i < packages_.size(); ++i) {
        const auto& name = packages_[i].name;
        if (name && name->ns == path.ns && name->name == path.package &&
            (path.version.empty() || path.version == name->version)) {
          target = i;
          found = true;
        }
      }
      if (!found)
        return Fail(doc, path.pos, Msg("package ", path.ns, ":", path.package, " is not loaded"));
    }
    auto it = packages_[target].worlds.find(path.name);
    if (it == packages_[target].worlds.end())
      return Fail(doc, path.pos, Msg("no world '", path.name, "' to include"));
    return it->second;
  }

  const std::vector<Document>& docs_;
  Resolve* out_;
  std::string free_file_;
  std::vector<size_t> doc_package_;
  std::vector<PackageInfo> packages_;
  std::vector<std::unique_ptr<Scope>> scopes_;
  std::vector<IfaceSlot> slots_;
  std::map<const WorldDecl*, size_t> world_index_;
  std::set<const WorldDecl*> busy_worlds_;
};

}  // namespace

Expected<Resolve> ResolveDocuments(const std::vector<Document>& docs) {
  Resolve out;
  Resolver r(docs, &out);
  LL_CHECK(r.Run());
  return out;
}

Expected<Resolve> ParseWit(const std::vector<Source>& sources) {
  std::vector<Document> docs;
  for (const Source& s : sources) {
    LL_TRY(Document d, ParseDocument(s.file, s.text));
    docs.push_back(std::move(d));
  }
  return ResolveDocuments(docs);
}

Expected<cabi::TypeId> ParseValueType(std::string_view text, cabi::TypeArena* arena,
                                      std::string_view file) {
  LL_TRY(TypeExpr expr, ParseValueTypeExpr(file, text));
  // The resolver writes into a Resolve's arena; lend it ours.
  Resolve out;
  std::shared_ptr<cabi::TypeArena> borrowed(arena, [](cabi::TypeArena*) {});
  out.arena = borrowed;
  std::vector<Document> none;
  Resolver r(none, &out);
  return r.ResolveFreeType(expr, file);
}

}  // namespace lazylink::wit
