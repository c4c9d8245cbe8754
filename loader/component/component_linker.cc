#include "loader/component/component_linker.h"

#include <set>

#include "loader/cabi/abi.h"
#include "loader/cabi/descriptor.h"
#include "loader/wasm/reader.h"
#include "loader/wit/world_descriptor.h"

namespace lazylink::component {

namespace {

using cabi::AddrType;
using cabi::FlattenContext;
using cabi::TypeArena;
using cabi::TypeId;
using cabi::TypeKind;

wasm::ValType ToValType(cabi::CoreType t) {
  switch (t) {
    case cabi::CoreType::kI32: return wasm::ValType::kI32;
    case cabi::CoreType::kI64: return wasm::ValType::kI64;
    case cabi::CoreType::kF32: return wasm::ValType::kF32;
    case cabi::CoreType::kF64: return wasm::ValType::kF64;
  }
  return wasm::ValType::kI32;
}

wasm::FuncType CoreSignature(const TypeArena& arena, const cabi::FuncType& f,
                             FlattenContext context) {
  cabi::CoreFuncType core = cabi::FlattenFuncType(arena, f, AddrType::kI32, context);
  wasm::FuncType out;
  for (cabi::CoreType t : core.params) out.params.push_back(ToValType(t));
  for (cabi::CoreType t : core.results) out.results.push_back(ToValType(t));
  return out;
}

bool HasI64(const wasm::FuncType& t) {
  for (auto v : t.params)
    if (v == wasm::ValType::kI64) return true;
  for (auto v : t.results)
    if (v == wasm::ValType::kI64) return true;
  return false;
}

// True if a value of type `id` owns memory (a string or a list of variable
// length somewhere inside), so lowering it calls cabi_realloc.
bool NeedsRealloc(const TypeArena& arena, TypeId id) {
  const cabi::TypeNode& n = arena.Get(id);
  switch (n.kind) {
    case TypeKind::kString:
    case TypeKind::kMap:
      return true;
    case TypeKind::kList:
      return n.length == 0 || NeedsRealloc(arena, n.element);
    case TypeKind::kOption:
      return NeedsRealloc(arena, n.element);
    case TypeKind::kResult:
      return (n.element != cabi::kNoType && NeedsRealloc(arena, n.element)) ||
             (n.second != cabi::kNoType && NeedsRealloc(arena, n.second));
    case TypeKind::kRecord:
    case TypeKind::kTuple:
    case TypeKind::kVariant:
      for (const cabi::Field& f : n.fields)
        if (f.type != cabi::kNoType && NeedsRealloc(arena, f.type)) return true;
      return false;
    default:
      return false;
  }
}

bool ParamsNeedRealloc(const TypeArena& arena, const cabi::FuncType& f) {
  std::vector<TypeId> ids;
  for (const cabi::Field& p : f.params) ids.push_back(p.type);
  if (cabi::FlattenTypes(arena, ids, AddrType::kI32).size() > cabi::kMaxFlatParams) return true;
  for (TypeId id : ids)
    if (NeedsRealloc(arena, id)) return true;
  return false;
}

bool ResultsNeedRealloc(const TypeArena& arena, const cabi::FuncType& f) {
  for (const cabi::Field& r : f.results)
    if (NeedsRealloc(arena, r.type)) return true;
  return false;
}

bool IsIdentityType(const TypeArena& arena, TypeId id) {
  const cabi::TypeNode& n = arena.Get(id);
  switch (n.kind) {
    case TypeKind::kU32:
    case TypeKind::kS32:
    case TypeKind::kU64:
    case TypeKind::kS64:
      return true;
    case TypeKind::kList:
      return n.length != 0 && IsIdentityType(arena, n.element);
    case TypeKind::kRecord:
    case TypeKind::kTuple:
      for (const cabi::Field& f : n.fields)
        if (!IsIdentityType(arena, f.type)) return false;
      return true;
    default:
      return false;
  }
}

// The flat representation of these types is the value itself, in both
// directions: lift_flat then lower_flat is the identity, with no trap.
bool IsIdentityFunction(const TypeArena& arena, const cabi::FuncType& f) {
  std::vector<TypeId> params, results;
  for (const cabi::Field& p : f.params) params.push_back(p.type);
  for (const cabi::Field& r : f.results) results.push_back(r.type);
  if (cabi::FlattenTypes(arena, params, AddrType::kI32).size() > cabi::kMaxFlatParams) return false;
  if (cabi::FlattenTypes(arena, results, AddrType::kI32).size() > cabi::kMaxFlatResults) return false;
  for (TypeId t : params)
    if (!IsIdentityType(arena, t)) return false;
  for (TypeId t : results)
    if (!IsIdentityType(arena, t)) return false;
  return true;
}

std::string QualifiedFunc(const std::string& iface, const std::string& func) {
  return iface.empty() ? func : iface + "#" + func;
}

// One function of a world's imports or exports, flattened out of its items.
struct WorldFunction {
  std::string iface;  // qualified name, or "" for a world function
  std::string module; // core import module
  const wit::Function* function = nullptr;
};

std::vector<WorldFunction> Functions(const Component& c, bool imports) {
  std::vector<WorldFunction> out;
  const wit::World& w = c.World();
  for (const wit::WorldItem& item : imports ? w.imports : w.exports) {
    if (item.kind == wit::WorldItem::Kind::kFunction) {
      out.push_back({"", wit::kRootImportModule, &item.function});
      continue;
    }
    for (const wit::Function& f : c.resolve.interfaces[item.interface].functions)
      out.push_back({item.name, item.name, &f});
  }
  return out;
}

const wit::Function* FindExport(const Component& c, const std::string& iface,
                                 const std::string& func) {
  for (const WorldFunction& f : Functions(c, false))
    if (f.iface == iface && f.function->name == func) return f.function;
  return nullptr;
}

bool ExportsItem(const Component& c, const std::string& iface, const std::string& func) {
  for (const wit::WorldItem& item : c.World().exports) {
    if (iface.empty() && item.kind == wit::WorldItem::Kind::kFunction && item.name == func)
      return true;
    if (!iface.empty() && item.kind == wit::WorldItem::Kind::kInterface && item.name == iface)
      return true;
  }
  return false;
}

}  // namespace

CoreFunctions CoreFunctionsOf(const wasm::Module& module) {
  CoreFunctions out;
  std::vector<uint32_t> func_types;
  for (const wasm::Import& imp : module.imports) {
    if (imp.kind != wasm::ExternalKind::kFunc) continue;
    func_types.push_back(imp.type_index);
    if (imp.type_index < module.types.size())
      out.imports[{imp.module, imp.field}] = module.types[imp.type_index];
  }
  for (uint32_t t : module.functions) func_types.push_back(t);
  for (const wasm::Export& e : module.exports) {
    if (e.kind != wasm::ExternalKind::kFunc || e.index >= func_types.size()) continue;
    const uint32_t t = func_types[e.index];
    if (t < module.types.size()) out.exports[e.name] = module.types[t];
  }
  return out;
}

std::string Component::Describe() const {
  return source.empty() || source == name ? Msg("component \"", name, "\"")
                                          : Msg("component \"", name, "\" (", source, ")");
}

std::string LinkedFunction::Boundary(const std::vector<Component>& components) const {
  return Msg(components[caller].name, " -> ", components[callee].name, " ",
             QualifiedFunc(iface, func));
}

Status ComponentLinker::Add(Component c) {
  if (c.name.empty()) return Error("components", "a component needs a name");
  if (Find(c.name)) return Error("components", Msg("component \"", c.name, "\" is added twice"));
  auto resolved = wit::ParseWit(c.wit.files);
  if (!resolved.ok()) return std::move(resolved).error().Within(c.Describe());
  c.resolve = std::move(*resolved);
  const wit::World* w = c.resolve.FindWorld(c.wit.world);
  if (!w)
    return Error(c.Describe(), Msg("its WIT does not define world ", c.wit.world,
                                   " (or defines it more than once)"));
  c.world = static_cast<size_t>(w - c.resolve.worlds.data());
  components_.push_back(std::move(c));
  return Ok{};
}

Status ComponentLinker::AddModule(const std::string& name, const std::string& source,
                                  const uint8_t* bytes, size_t size,
                                  const std::optional<WitPackage>& wit) {
  Component c;
  c.name = name;
  c.source = source;
  wasm::ReadOptions opts;
  opts.name = source.empty() ? name : source;
  opts.read_names = false;
  LL_TRY(wasm::Module module, wasm::ReadModule(bytes, size, opts));
  if (wit) {
    c.wit = *wit;
  } else {
    auto section = ReadWitSection(module, bytes, size);
    if (!section.ok()) return std::move(section).error().Within(opts.name);
    if (!*section)
      return Error(c.Describe(),
                   Msg("the module has no ", kWitSectionName,
                       " section: build it with the bindings of `lazylink bindgen`, or give its "
                       "world explicitly"));
    c.wit = std::move(**section);
  }
  c.core = CoreFunctionsOf(module);
  return Add(std::move(c));
}

Status ComponentLinker::AddWorld(const std::string& name, const std::string& source,
                                 const WitPackage& wit) {
  Component c;
  c.name = name;
  c.source = source;
  c.wit = wit;
  return Add(std::move(c));
}

void ComponentLinker::Wire(const std::string& component, const std::string& import_name,
                           const std::string& exporter) {
  wiring_[{component, import_name}] = exporter;
}

std::optional<size_t> ComponentLinker::Find(const std::string& name) const {
  for (size_t i = 0; i < components_.size(); ++i)
    if (components_[i].name == name) return i;
  return std::nullopt;
}

Expected<LinkResult> ComponentLinker::Link() const {
  LinkResult out;
  std::vector<std::string> errors;
  const size_t n = components_.size();

  // The core export of a WIT export: checked against the lifted signature;
  // Emscripten without -sWASM_BIGINT legalizes i64 exports and keeps the
  // original as orig$NAME.
  auto core_export = [&](const Component& d, const std::string& iface,
                         const wit::Function& f) -> std::optional<std::string> {
    const std::string name = wit::CoreExportName(iface, f.name);
    if (!d.core) return name;
    const wasm::FuncType want = CoreSignature(d.Arena(), f.type, FlattenContext::kLift);
    auto it = d.core->exports.find(name);
    if (it == d.core->exports.end()) {
      errors.push_back(Msg(d.Describe(), ": its world exports ", QualifiedFunc(iface, f.name),
                           " but its module does not export \"", name, "\""));
      return std::nullopt;
    }
    if (it->second == want) return name;
    auto orig = d.core->exports.find("orig$" + name);
    if (orig != d.core->exports.end() && orig->second == want) return "orig$" + name;
    errors.push_back(Msg(d.Describe(), ": export \"", name, "\" is ", it->second.ToString(),
                         ", but the Canonical ABI of ", cabi::FuncTypeToString(d.Arena(), f.type),
                         " needs ", want.ToString()));
    return std::nullopt;
  };
  auto post_return = [&](const Component& d, const std::string& export_name,
                         const wit::Function& f) -> std::string {
    std::string base = export_name.rfind("orig$", 0) == 0 ? export_name.substr(5) : export_name;
    std::string name = wit::kPostReturnPrefix + base;
    if (!d.core) return name;
    auto it = d.core->exports.find(name);
    if (it == d.core->exports.end()) return "";
    wasm::FuncType want;
    want.params = CoreSignature(d.Arena(), f.type, FlattenContext::kLift).results;
    if (it->second != want)
      errors.push_back(Msg(d.Describe(), ": \"", name, "\" is ", it->second.ToString(),
                           ", but a post-return function of this export takes ",
                           want.ToString()));
    return name;
  };
  auto check_realloc = [&](const Component& c, const std::string& why) {
    if (!c.core) return;
    auto it = c.core->exports.find(wit::kReallocName);
    if (it == c.core->exports.end()) {
      errors.push_back(Msg(c.Describe(), " does not export cabi_realloc, which ", why, " needs"));
      return;
    }
    wasm::FuncType want{{4, wasm::ValType::kI32}, {wasm::ValType::kI32}};
    if (it->second != want)
      errors.push_back(Msg(c.Describe(), ": cabi_realloc is ", it->second.ToString(),
                           ", expected ", want.ToString()));
  };

  for (size_t ci = 0; ci < n; ++ci) {
    const Component& c = components_[ci];
    std::set<std::pair<std::string, std::string>> declared;
    for (const WorldFunction& wf : Functions(c, true)) {
      const wit::Function& f = *wf.function;
      const std::string what = QualifiedFunc(wf.iface, f.name);
      declared.insert({wf.module, f.name});
      if (auto handle = cabi::FindHandle(c.Arena(), f.type)) {
        errors.push_back(Msg(c.Describe(), " imports ", what, ", which uses resource handle ",
                             *handle, ": resources cannot cross component boundaries yet"));
        continue;
      }
      // The caller's core import, when its root module has it.
      if (c.core) {
        auto it = c.core->imports.find({wf.module, f.name});
        if (it != c.core->imports.end()) {
          const wasm::FuncType want = CoreSignature(c.Arena(), f.type, FlattenContext::kLower);
          if (it->second != want) {
            std::string hint;
            if (HasI64(want) && !HasI64(it->second))
              hint = " (built without -sWASM_BIGINT? components must pass i64 unsplit)";
            errors.push_back(Msg(c.Describe(), " imports ", wf.module, ".", f.name, " as ",
                                 it->second.ToString(), ", but the Canonical ABI of ",
                                 cabi::FuncTypeToString(c.Arena(), f.type), " needs ",
                                 want.ToString(), hint));
            continue;
          }
        }
      }
      if (ResultsNeedRealloc(c.Arena(), f.type)) check_realloc(c, Msg("importing ", what));

      // The exporter.
      const std::string key = wf.iface.empty() ? f.name : wf.iface;
      std::vector<size_t> candidates;
      auto wired = wiring_.find({c.name, key});
      if (wired != wiring_.end()) {
        auto d = Find(wired->second);
        if (!d || *d == ci) {
          errors.push_back(Msg(c.Describe(), ": ", key, " is wired to component \"",
                               wired->second, "\", which ", d ? "is itself" : "does not exist"));
          continue;
        }
        if (!ExportsItem(components_[*d], wf.iface, f.name)) {
          errors.push_back(Msg(c.Describe(), ": ", key, " is wired to ",
                               components_[*d].Describe(), ", which does not export it"));
          continue;
        }
        candidates.push_back(*d);
      } else {
        for (size_t di = 0; di < n; ++di)
          if (di != ci && ExportsItem(components_[di], wf.iface, f.name)) candidates.push_back(di);
      }
      if (candidates.empty()) {
        out.unresolved.push_back({ci, wf.module, f.name, wf.iface, f.name});
        continue;
      }
      if (candidates.size() > 1) {
        std::string names;
        for (size_t d : candidates) names += (names.empty() ? "" : ", ") + components_[d].name;
        errors.push_back(Msg(c.Describe(), " imports ", key, ", which several components export (",
                             names, "): choose one with wire()"));
        continue;
      }
      const Component& d = components_[candidates[0]];
      const wit::Function* g = FindExport(d, wf.iface, f.name);
      if (!g) {
        errors.push_back(Msg(c.Describe(), " imports ", what, " from ", d.Describe(),
                             ", which exports ", wf.iface, " without function \"", f.name, "\""));
        continue;
      }
      if (auto m = cabi::CompareFuncTypes(c.Arena(), f.type, d.Arena(), g->type)) {
        errors.push_back(Msg(c.Describe(), " imports ", what, " from ", d.Describe(),
                             ", but the types differ at ", m->Format(), " (", c.name, " vs ",
                             d.name, ")"));
        continue;
      }
      auto exported = core_export(d, wf.iface, *g);
      if (!exported) continue;
      if (ParamsNeedRealloc(d.Arena(), g->type)) check_realloc(d, Msg("receiving ", what));
      LinkedFunction lf;
      lf.caller = ci;
      lf.callee = candidates[0];
      lf.import_module = wf.module;
      lf.import_field = f.name;
      lf.iface = wf.iface;
      lf.func = f.name;
      lf.export_name = *exported;
      lf.post_return = post_return(d, *exported, *g);
      lf.type = f.type;
      lf.identity = lf.post_return.empty() && IsIdentityFunction(c.Arena(), f.type);
      out.functions.push_back(std::move(lf));
    }
    // Core imports from a world's import modules that the world does not declare.
    if (c.core) {
      std::set<std::string> modules;
      for (const auto& [module, field] : declared) modules.insert(module);
      for (const auto& [key, type] : c.core->imports)
        if (modules.count(key.first) && !declared.count(key))
          errors.push_back(Msg(c.Describe(), " imports ", key.first, ".", key.second,
                               ", which its world does not declare"));
    }
    // Exports, for JS callers (functions with handles stay listed; JS refuses them).
    for (const WorldFunction& wf : Functions(c, false)) {
      const wit::Function& f = *wf.function;
      if (cabi::FindHandle(c.Arena(), f.type)) continue;
      auto exported = core_export(c, wf.iface, f);
      if (!exported) continue;
      if (ParamsNeedRealloc(c.Arena(), f.type))
        check_realloc(c, Msg("exporting ", QualifiedFunc(wf.iface, f.name)));
      out.exports.push_back({ci, wf.iface, f.name, *exported, post_return(c, *exported, f)});
    }
  }
  if (!errors.empty()) {
    std::string all;
    std::set<std::string> seen;
    for (const std::string& e : errors)
      if (seen.insert(e).second) all += (all.empty() ? "" : "\n") + e;
    return Error("link", all);
  }
  return out;
}

std::string LinkResultToJson(const std::vector<Component>& components, const LinkResult& r) {
  using cabi::JsonString;
  auto opt = [](const std::string& s) { return s.empty() ? std::string("null") : JsonString(s); };
  std::string out = "{\"components\":[";
  for (size_t i = 0; i < components.size(); ++i) {
    const Component& c = components[i];
    out += (i ? "," : "") + std::string("{\"name\":") + JsonString(c.name) +
           ",\"source\":" + JsonString(c.source) +
           ",\"world\":" + wit::DescribeWorld(c.resolve, c.World()) + "}";
  }
  out += "],\"functions\":[";
  for (size_t i = 0; i < r.functions.size(); ++i) {
    const LinkedFunction& f = r.functions[i];
    out += (i ? "," : "") + Msg("{\"caller\":", f.caller, ",\"callee\":", f.callee) +
           ",\"module\":" + JsonString(f.import_module) + ",\"field\":" +
           JsonString(f.import_field) + ",\"iface\":" + JsonString(f.iface) +
           ",\"func\":" + JsonString(f.func) + ",\"export\":" + JsonString(f.export_name) +
           ",\"postReturn\":" + opt(f.post_return) +
           ",\"identity\":" + (f.identity ? "true" : "false") +
           ",\"boundary\":" + JsonString(f.Boundary(components)) + "}";
  }
  out += "],\"unresolved\":[";
  for (size_t i = 0; i < r.unresolved.size(); ++i) {
    const UnresolvedImport& u = r.unresolved[i];
    out += (i ? "," : "") + Msg("{\"component\":", u.component) +
           ",\"module\":" + JsonString(u.import_module) + ",\"field\":" +
           JsonString(u.import_field) + ",\"iface\":" + JsonString(u.iface) +
           ",\"func\":" + JsonString(u.func) + "}";
  }
  out += "],\"exports\":[";
  for (size_t i = 0; i < r.exports.size(); ++i) {
    const ExportedFunction& e = r.exports[i];
    out += (i ? "," : "") + Msg("{\"component\":", e.component) +
           ",\"iface\":" + JsonString(e.iface) + ",\"func\":" + JsonString(e.func) +
           ",\"export\":" + JsonString(e.export_name) + ",\"postReturn\":" + opt(e.post_return) +
           "}";
  }
  return out + "]}";
}

}  // namespace lazylink::component
