// Which modules must be eager, content-hashed names, and the manifest.
// The rules are documented in docs/manifest.md ("How the packer chooses").
#include "loader/manifest/pack.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <set>
#include <unordered_map>

#include "loader/link/side_module.h"
#include "loader/link/standard_library.h"
#include "loader/link/symbols.h"
#include "loader/rewrite/bind_local.h"
#include "loader/rewrite/got_memory.h"
#include "loader/rewrite/own_slots.h"
#include "loader/support/sha256.h"
#include "loader/wasm/json_writer.h"
#include "loader/wasm/reader.h"

namespace lazylink::manifest {

namespace {

using link::ModuleSymbol;
using link::SymbolIndex;
using link::SymbolKind;

// libstd.wasm, libstd-eh.wasm, and libstd-emmalloc.wasm (the allocator
// variant `pack --malloc emmalloc` adds; web/standard-library.mjs).
constexpr const char* kLibstdEmmalloc = "libstd-emmalloc.wasm";
bool IsStandardLibrary(const std::string& name) {
  return link::IsStandardLibrary(name) || name == kLibstdEmmalloc;
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Emscripten-style signature: result first ('v' for none), then params.
bool Signature(const wasm::FuncType& type, std::string* out) {
  auto code = [](wasm::ValType v) -> char {
    switch (v) {
      case wasm::ValType::kI32: return 'i';
      case wasm::ValType::kI64: return 'j';
      case wasm::ValType::kF32: return 'f';
      case wasm::ValType::kF64: return 'd';
      default: return 0;
    }
  };
  if (type.results.size() > 1) return false;
  std::string sig(1, type.results.empty() ? 'v' : code(type.results[0]));
  for (wasm::ValType p : type.params) sig += code(p);
  if (sig.find('\0') != std::string::npos) return false;
  *out = sig;
  return true;
}

std::string StripWasm(const std::string& name) {
  const std::string ext = ".wasm";
  if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
    return name.substr(0, name.size() - ext.size());
  }
  return name;
}

struct Input {
  const PackInput* in = nullptr;
  std::unique_ptr<wasm::Module> module;
  std::unique_ptr<SymbolIndex> symbols;
};

}  // namespace

const char* PolicyName(Policy p) {
  switch (p) {
    case Policy::kEager: return "eager";
    case Policy::kLazy: return "lazy";
    case Policy::kPrefetch: return "prefetch";
  }
  return "?";
}

bool ParsePolicy(const std::string& text, Policy* out) {
  if (text == "eager") *out = Policy::kEager;
  else if (text == "lazy") *out = Policy::kLazy;
  else if (text == "prefetch") *out = Policy::kPrefetch;
  else return false;
  return true;
}

Expected<PackResult> Pack(const std::vector<PackInput>& inputs, const PackOptions& options) {
  if (inputs.empty()) return Error("pack", "no modules given");
  std::vector<Input> mods(inputs.size());
  std::unordered_map<std::string, size_t> by_name;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!by_name.emplace(inputs[i].name, i).second) {
      return Error("pack", Msg("two modules are named ", inputs[i].name));
    }
    wasm::ReadOptions ro;
    ro.name = inputs[i].name;
    ro.read_names = false;
    auto parsed = wasm::ReadModule(inputs[i].bytes.data(), inputs[i].bytes.size(), ro);
    if (!parsed.ok()) return parsed.error();
    if (const char* why = link::NotASideModule(*parsed)) return Error(inputs[i].name, why);
    mods[i].in = &inputs[i];
    mods[i].module = std::make_unique<wasm::Module>(std::move(parsed).value());
    mods[i].symbols = std::make_unique<SymbolIndex>(SymbolIndex::Build(*mods[i].module));
  }
  for (const auto& [name, policy] : options.overrides) {
    (void)policy;
    if (!by_name.count(name)) return Error("pack", Msg("--policy names ", name, ", which is not being packed"));
  }

  // The main module: named, or the one module exporting main.
  size_t main = inputs.size();
  if (!options.main.empty()) {
    auto it = by_name.find(options.main);
    if (it == by_name.end()) return Error("pack", Msg("--main ", options.main, " is not being packed"));
    main = it->second;
  } else {
    std::vector<std::string> candidates;
    for (size_t i = 0; i < mods.size(); ++i) {
      const ModuleSymbol* m = mods[i].symbols->Find("main");
      if (!m) m = mods[i].symbols->Find("__main_argc_argv");
      if (m && m->kind == SymbolKind::kFunction) {
        main = i;
        candidates.push_back(inputs[i].name);
      }
    }
    if (candidates.empty()) {
      // A program of constructors (Emscripten runs a main module without
      // main: its constructors, then status 0): the one module, besides the
      // standard library, that no other input names in NEEDED.
      std::set<std::string> needed;
      for (const Input& m : mods) {
        for (const std::string& n : m.module->dylink.needed) needed.insert(n);
      }
      std::vector<std::string> roots;
      for (size_t i = 0; i < mods.size(); ++i) {
        if (IsStandardLibrary(inputs[i].name) || needed.count(inputs[i].name)) continue;
        main = i;
        roots.push_back(inputs[i].name);
      }
      if (roots.size() != 1) {
        std::string list;
        for (const auto& c : roots) list += (list.empty() ? "" : ", ") + c;
        return Error("pack", Msg("no module exports main, and ",
                                 roots.empty() ? std::string("no module is outside every NEEDED list")
                                               : Msg("several modules are needed by none (", list, ")"),
                                 ", so none is the program: name the main module with --main"));
      }
    }
    if (candidates.size() > 1) {
      std::string list;
      for (const auto& c : candidates) list += (list.empty() ? "" : ", ") + c;
      return Error("pack", Msg("several modules export main (", list, "); choose one with --main"));
    }
  }

  // The standard library: one of the inputs, or the variant the modules
  // need, added (as `lazylink run` adds it at load time).
  {
    std::string given;
    for (const PackInput& in : inputs) {
      if (IsStandardLibrary(in.name)) given = in.name;
    }
    std::string eh_module, eh_import;
    for (size_t i = 0; i < mods.size() && eh_module.empty(); ++i) {
      if (IsStandardLibrary(inputs[i].name)) continue;
      if (const wasm::Import* imp = link::JsExceptionImport(*mods[i].module)) {
        eh_module = inputs[i].name;
        eh_import = imp->field;
      }
    }
    if (options.emmalloc && !eh_module.empty()) {
      return Error("pack", Msg(eh_module, " imports ", eh_import, " (it was compiled with -fexceptions), which ",
                               kLibstdEmmalloc, " (--malloc emmalloc) does not support: pack without --malloc "
                               "emmalloc, or build without -fexceptions"));
    }
    const std::string wanted = !eh_module.empty() ? link::kLibstdExceptions
                                                  : options.emmalloc ? kLibstdEmmalloc : link::kLibstd;
    if (given.empty() && options.find_standard_library) {
      Expected<std::vector<uint8_t>> bytes = options.find_standard_library(wanted, inputs[main].name);
      if (!bytes.ok()) return bytes.error();
      std::vector<PackInput> with(inputs);
      with.push_back({wanted, std::move(bytes).value()});
      PackOptions again = options;
      again.find_standard_library = nullptr;
      again.main = inputs[main].name;
      Expected<PackResult> r = Pack(with, again);
      if (!r.ok()) return r;
      r->added_standard_library = wanted;
      for (PackedModule& m : r->modules) {
        if (m.name != wanted) continue;
        m.reason = eh_module.empty()
                       ? "the standard library (added: none was given)"
                       : Msg("the standard library with C++ exceptions (added: none was given, and ", eh_module,
                             " imports ", eh_import, ")");
      }
      return r;
    }
    if (given == link::kLibstd && !eh_module.empty()) {
      return Error("pack", Msg(eh_module, " imports ", eh_import, " (it was compiled with -fexceptions), so the app "
                               "needs ", link::kLibstdExceptions, ", but ", link::kLibstd, " was given: give ",
                               link::kLibstdExceptions, " instead, or leave the standard library out and pack adds "
                               "the right one"));
    }
  }

  // Search order as the loader sees it: main, its NEEDED breadth first, the
  // other modules by name, the standard library last.
  std::vector<size_t> order;
  {
    std::set<size_t> seen{main};
    std::deque<size_t> queue{main};
    while (!queue.empty()) {
      size_t i = queue.front();
      queue.pop_front();
      if (!IsStandardLibrary(inputs[i].name)) order.push_back(i);
      for (const std::string& n : mods[i].module->dylink.needed) {
        auto it = by_name.find(n);
        if (it != by_name.end() && seen.insert(it->second).second) queue.push_back(it->second);
      }
    }
    std::vector<size_t> rest;
    for (size_t i = 0; i < mods.size(); ++i) {
      if (!seen.count(i) && !IsStandardLibrary(inputs[i].name)) rest.push_back(i);
    }
    std::sort(rest.begin(), rest.end(), [&](size_t a, size_t b) { return inputs[a].name < inputs[b].name; });
    order.insert(order.end(), rest.begin(), rest.end());
    for (size_t i = 0; i < mods.size(); ++i) {
      if (IsStandardLibrary(inputs[i].name)) order.push_back(i);
    }
  }
  struct Def {
    size_t module;
    const ModuleSymbol* symbol;
  };
  std::unordered_map<std::string_view, Def> defs;
  for (size_t i : order) {
    for (const auto& [name, sym] : mods[i].symbols->all()) {
      auto it = defs.find(name);
      if (it == defs.end()) defs.emplace(name, Def{i, &sym});
      else if (it->second.symbol->weak && !sym.weak) it->second = Def{i, &sym};
    }
  }

  // What would break at run time: refused now, every problem at once.
  {
    std::vector<Error> errors;
    std::map<std::string, std::string> host_exact;  // "module.name" -> sig
    std::vector<std::pair<std::string, std::string>> host_prefix;
    if (options.host_functions) {
      for (const HostFunctionSpec& h : *options.host_functions) {
        const std::string key = h.module + "." + h.name;
        if (!key.empty() && key.back() == '*') host_prefix.emplace_back(key.substr(0, key.size() - 1), h.sig);
        else host_exact.emplace(key, h.sig);
      }
    }
    auto find_host = [&](const wasm::Import& imp) -> const std::string* {
      const std::string key = imp.module + "." + imp.field;
      auto it = host_exact.find(key);
      if (it != host_exact.end()) return &it->second;
      for (const auto& [prefix, sig] : host_prefix) {
        if (key.compare(0, prefix.size(), prefix) == 0) return &sig;
      }
      return nullptr;
    };
    const std::set<std::string> allowed(options.allow_undefined.begin(), options.allow_undefined.end());
    std::vector<Error> undefined;
    for (size_t i = 0; i < mods.size(); ++i) {
      const std::string& name = inputs[i].name;
      const wasm::Module& m = *mods[i].module;
      for (const std::string& n : m.dylink.needed) {
        if (!by_name.count(BaseName(n)) && !IsStandardLibrary(BaseName(n))) {
          errors.push_back(Error(name, Msg("needs ", n, " (a NEEDED entry of its dylink.0 section), which is not "
                                           "among the modules being packed: add it to the command line")));
        }
      }
      std::set<std::string> weak;
      for (const wasm::ImportInfo& info : m.dylink.import_info) {
        if (info.flags & wasm::symflag::kBindingWeak) weak.insert(info.field);
      }
      auto missing = [&](const wasm::Import& imp, const std::string& what) {
        if (weak.count(imp.field) || allowed.count(imp.field)) return;
        undefined.push_back(Error(name, Msg("undefined symbol ", imp.field, " (", what, ")")));
      };
      std::vector<const wasm::Import*> refs;
      for (const wasm::Import& imp : m.imports) refs.push_back(&imp);
      for (const wasm::Import& imp : m.memory_got.entries) refs.push_back(&imp);
      for (const wasm::Import* ref : refs) {
        const wasm::Import& imp = *ref;
        auto it = imp.module == "env" || imp.IsGotMem() || imp.IsGotFunc() ? defs.find(imp.field) : defs.end();
        const bool defined = it != defs.end();
        const ModuleSymbol* sym = defined ? it->second.symbol : nullptr;
        const std::string provider = defined ? inputs[it->second.module].name : "";
        if (imp.kind == wasm::ExternalKind::kFunc) {
          const wasm::FuncType& want = m.types[imp.type_index];
          // EM_JS: the module defines the function itself, in JavaScript
          // (its data symbol __em_js__NAME), which the loader evaluates.
          const ModuleSymbol* em_js = imp.module == "env" ? mods[i].symbols->Find("__em_js__" + imp.field) : nullptr;
          if (em_js && em_js->kind == SymbolKind::kData) continue;
          if (defined && sym->kind == SymbolKind::kFunction) {
            const ModuleSymbol* orig = mods[it->second.module].symbols->Find(std::string(link::kOrigPrefix) + imp.field);
            if (*sym->type != want && !(orig && *orig->type == want)) {
              errors.push_back(Error(name, Msg("imports ", imp.field, " as ", want.ToString(), ", but ", provider,
                                               " exports it as ", sym->type->ToString(), " (a signature mismatch: "
                                               "rebuild both against the same declaration)")));
            }
          } else if (defined) {
            errors.push_back(Error(name, Msg("calls ", imp.field, ", but ", provider, " defines it as ",
                                             link::SymbolKindName(sym->kind))));
          } else if (options.host_functions) {
            const std::string* host_sig = find_host(imp);
            std::string sig;
            if (host_sig && !host_sig->empty() && Signature(want, &sig) && sig != *host_sig) {
              errors.push_back(Error(name, Msg("imports ", imp.field, " as ", want.ToString(), ", but the host "
                                               "provides it with signature \"", *host_sig, "\"")));
            } else if (!host_sig) {
              missing(imp, Msg("function ", want.ToString(), imp.module == "env" ? "" : " from " + imp.module));
            }
          }
        } else if (imp.IsGotFunc()) {
          if (defined && sym->kind != SymbolKind::kFunction) {
            errors.push_back(Error(name, Msg("takes the address of ", imp.field, " as a function, but ", provider,
                                             " defines it as ", link::SymbolKindName(sym->kind))));
          } else if (!defined && options.host_functions) {
            wasm::Import as_func = imp;
            as_func.module = "env";
            const std::string* host_sig = find_host(as_func);
            if (host_sig && host_sig->empty()) {
              errors.push_back(Error(name, Msg("takes the address of host function ", imp.field,
                                               ", whose signature the host does not declare")));
            } else if (!host_sig) {
              missing(imp, "address of function");
            }
          }
        } else if (imp.kind == wasm::ExternalKind::kGlobal && (imp.IsGotMem() || imp.module == "env")) {
          static const std::set<std::string> kAbi = {"__stack_pointer", "__memory_base", "__table_base",
                                                     "__heap_base", "__data_end", "__stack_low", "__stack_high",
                                                     "__tls_base"};
          if (imp.module == "env" && kAbi.count(imp.field)) continue;
          if (imp.IsGotMem() && kAbi.count(imp.field)) continue;
          if (defined && sym->kind == SymbolKind::kFunction) {
            errors.push_back(Error(name, Msg("uses ", imp.field, " as data, but ", provider, " defines it as a function")));
          } else if (!defined && options.host_functions) {
            missing(imp, "data");
          }
        }
      }
    }
    // Sorted: the same inputs in any order give the same message.
    auto by_text = [](const Error& a, const Error& b) { return a.Format() < b.Format(); };
    std::sort(errors.begin(), errors.end(), by_text);
    std::sort(undefined.begin(), undefined.end(), by_text);
    if (!undefined.empty()) {
      std::string text = Msg(undefined.size(), " undefined symbol", undefined.size() == 1 ? "" : "s",
                             " (no module being packed, the standard library or the host defines ",
                             undefined.size() == 1 ? "it" : "them",
                             "; add the module that does, or pack with --allow-undefined NAME if the app provides "
                             "it at run time):");
      for (const Error& e : undefined) text += "\n  " + e.Format();
      errors.insert(errors.begin(), Error("", text));
    }
    if (errors.size() == 1) return Error("pack", errors[0].Format());
    if (!errors.empty()) {
      std::string text = Msg(errors.size(), " problems:");
      for (const Error& e : errors) text += "\n  " + e.Format();
      return Error("pack", text);
    }
  }

  // Eager closure.
  std::vector<bool> eager(mods.size(), false);
  std::vector<std::string> reason(mods.size());
  std::deque<size_t> work;
  auto make_eager = [&](size_t i, std::string why) {
    if (eager[i]) return;
    eager[i] = true;
    reason[i] = std::move(why);
    work.push_back(i);
  };
  make_eager(main, "the main module");
  for (size_t i = 0; i < mods.size(); ++i) {
    if (IsStandardLibrary(inputs[i].name) && i != main) make_eager(i, "the standard library");
    auto o = options.overrides.find(inputs[i].name);
    if (o != options.overrides.end() && o->second == Policy::kEager) make_eager(i, "set by the user");
  }
  while (!work.empty()) {
    const size_t e = work.front();
    work.pop_front();
    const wasm::Module& m = *mods[e].module;
    std::vector<const wasm::Import*> refs;  // imports, and GOT entries kept in memory (lazylink.got)
    refs.reserve(m.imports.size() + m.memory_got.entries.size());
    for (const wasm::Import& imp : m.imports) refs.push_back(&imp);
    for (const wasm::Import& imp : m.memory_got.entries) refs.push_back(&imp);
    for (const wasm::Import* ref : refs) {
      const wasm::Import& imp = *ref;
      const bool data_ref = imp.IsGotMem() || (imp.module == "env" && imp.kind == wasm::ExternalKind::kGlobal);
      const bool func_ref = imp.module == "env" && imp.kind == wasm::ExternalKind::kFunc;
      if (!data_ref && !func_ref && !imp.IsGotFunc()) continue;
      auto it = defs.find(imp.field);
      if (it == defs.end() || it->second.module == e) continue;
      const size_t p = it->second.module;
      const ModuleSymbol& sym = *it->second.symbol;
      if (data_ref && sym.kind != SymbolKind::kFunction) {
        make_eager(p, Msg(inputs[e].name, " reads its data ", imp.field));
      } else if (imp.IsGotFunc() && mods[p].symbols->Find(std::string(link::kOrigPrefix) + imp.field)) {
        make_eager(p, Msg(inputs[e].name, " takes the address of ", imp.field,
                          ", which has i64 in its signature (built without -sWASM_BIGINT)"));
      }
    }
  }
  for (const auto& [name, policy] : options.overrides) {
    const size_t i = by_name.at(name);
    if (policy != Policy::kEager && eager[i] && reason[i] != "set by the user") {
      return Error("pack", Msg(name, " cannot be ", PolicyName(policy), ": ", reason[i]));
    }
  }

  // Calls into modules that are not eager: through the callee's slot.
  // Only functions the lazy index will hold (the winning definition, the
  // import's exact type, a signature the index can spell).
  auto slot_call_names = [&](size_t i) {
    std::vector<std::string> names;
    const wasm::Module& m = *mods[i].module;
    for (const wasm::Import& imp : m.imports) {
      if (imp.kind != wasm::ExternalKind::kFunc || imp.module != "env") continue;
      auto it = defs.find(imp.field);
      if (it == defs.end() || it->second.module == i || eager[it->second.module]) continue;
      const ModuleSymbol& sym = *it->second.symbol;
      std::string sig;
      if (sym.kind != SymbolKind::kFunction || *sym.type != m.types[imp.type_index] || !Signature(*sym.type, &sig)) {
        continue;
      }
      names.push_back(imp.field);
    }
    return names;
  };

  PackResult result;
  result.main = inputs[main].name;
  for (size_t i = 0; i < mods.size(); ++i) {
    PackedModule pm;
    pm.name = inputs[i].name;
    pm.bytes = inputs[i].bytes;
    if (options.slot_calls) {
      rewrite::BindLocalOptions ro;
      ro.name = pm.name;
      ro.bind_weak = false;
      ro.slot_calls = slot_call_names(i);
      if (!ro.slot_calls.empty()) {
        Expected<rewrite::BindLocalResult> r = rewrite::BindLocal(pm.bytes.data(), pm.bytes.size(), ro);
        if (!r) {
          return Error("pack", Msg("rewriting ", pm.name, "'s calls into lazy modules failed (pack with "
                                   "--no-slot-calls to keep them as imports): ", r.error().Format()));
        }
        pm.slot_calls = r->slot_calls;
        pm.slot_functions = r->slot_functions;
        pm.bytes = std::move(r->bytes);
      }
    }
    if (options.own_slots) {
      Expected<rewrite::OwnSlotsResult> r = rewrite::AddOwnSlots(pm.bytes.data(), pm.bytes.size(), {pm.name});
      if (!r) {
        return Error("pack", Msg("adding ", pm.name, "'s address-taken functions to its element segment failed "
                                 "(pack with --no-own-slots to leave it alone): ", r.error().Format()));
      }
      pm.own_slots = r->added;
      pm.bytes = std::move(r->bytes);
    }
    if (options.got_in_memory && !mods[i].module->memory_got.present) {
      Expected<rewrite::GotMemoryResult> r = rewrite::MoveGotToMemory(pm.bytes.data(), pm.bytes.size(), {pm.name});
      if (!r) {
        return Error("pack", Msg("moving ", pm.name, "'s GOT into its memory failed (pack with "
                                 "--no-got-in-memory to keep it imported): ", r.error().Format()));
      }
      pm.got_in_memory = r->moved;
      pm.bytes = std::move(r->bytes);
    }
    pm.size = pm.bytes.size();
    pm.sha256 = Sha256Hex(pm.bytes.data(), pm.bytes.size());
    pm.url = StripWasm(pm.name) + "." + pm.sha256.substr(0, 16) + ".wasm";
    pm.needed = mods[i].module->dylink.needed;
    auto o = options.overrides.find(pm.name);
    if (eager[i]) {
      pm.policy = Policy::kEager;
      pm.reason = reason[i];
    } else if (o != options.overrides.end()) {
      pm.policy = o->second;
      pm.reason = "set by the user";
    } else {
      pm.policy = Policy::kLazy;
      pm.reason = "only its functions are used: it loads when one is first called";
    }
    for (const auto& [name, sym] : mods[i].symbols->all()) {
      if (name.rfind(link::kOrigPrefix, 0) == 0) continue;
      if (sym.kind != SymbolKind::kFunction && sym.kind != SymbolKind::kData) continue;
      pm.exports.emplace_back(name);
      if (pm.policy == Policy::kEager) continue;
      auto d = defs.find(name);
      if (d == defs.end() || d->second.module != i) continue;  // someone else's wins
      IndexedSymbol entry;
      entry.module = pm.name;
      if (sym.kind == SymbolKind::kFunction && !Signature(*sym.type, &entry.sig)) continue;
      result.symbols.emplace(std::string(name), std::move(entry));
    }
    std::sort(pm.exports.begin(), pm.exports.end());
    result.modules.push_back(std::move(pm));
  }
  std::sort(result.modules.begin(), result.modules.end(),
            [](const PackedModule& a, const PackedModule& b) { return a.name < b.name; });
  return result;
}

std::string PackResult::ManifestJson() const {
  wasm::JsonWriter w;
  w.BeginObject();
  w.Key("main");
  w.String(main);
  w.Key("modules");
  w.BeginObject();
  for (const PackedModule& m : modules) {
    w.Key(m.name);
    w.BeginObject();
    w.Key("exports");
    w.BeginArray();
    for (const std::string& e : m.exports) w.String(e);
    w.EndArray();
    w.Key("needed");
    w.BeginArray();
    for (const std::string& n : m.needed) w.String(n);
    w.EndArray();
    w.Key("policy");
    w.String(PolicyName(m.policy));
    w.Key("reason");
    w.String(m.reason);
    w.Key("sha256");
    w.String(m.sha256);
    w.Key("size");
    w.Uint(m.size);
    w.Key("url");
    w.String(m.url);
    w.EndObject();
  }
  w.EndObject();
  w.Key("schema");
  w.String("lazylink-manifest/1");
  w.Key("symbols");
  w.BeginObject();
  for (const auto& [name, sym] : symbols) {
    w.Key(name);
    w.BeginArray();
    w.String(sym.module);
    w.String(sym.sig);
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return w.Take();
}

}  // namespace lazylink::manifest
