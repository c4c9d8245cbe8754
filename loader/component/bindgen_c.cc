// C bindings: the header's prototypes and the C file's glue for each
// imported and exported function, cabi_realloc, string helpers, and the
// lazylink.wit section. Types are in bindgen_c_types.cc.
#include "loader/component/bindgen_c.h"

#include <cstdio>

#include "loader/component/bindgen_c_gen.h"
#include "loader/wit/world_descriptor.h"

namespace lazylink::component {

using cgen::FlatVar;
using cgen::Snake;
using cgen::TypeGen;

namespace {

using cabi::AddrType;
using cabi::CoreType;
using cabi::TypeId;

struct Func {
  const wit::Function* f;
  std::string prefix;         // C prefix of its interface ("demo_plugins_chart") or the world's
  std::string import_module;  // for imports
  std::string export_name;    // for exports
  std::string where;          // "ns:pkg/iface#f" for comments
};

// The asm that puts `bytes` into the custom section (top-level asm works
// with every wasm-ld, objects and side modules alike).
std::string SectionAsm(const std::vector<uint8_t>& bytes) {
  std::string out = "__asm__(\".section .custom_section." + std::string(kWitSectionName) +
                    ",\\\"\\\",@\\n\"\n";
  for (size_t i = 0; i < bytes.size(); i += 48) {
    out += "        \".ascii \\\"";
    for (size_t j = i; j < bytes.size() && j < i + 48; ++j) {
      const uint8_t b = bytes[j];
      char buf[8];
      if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\' && b != '?') {
        out += static_cast<char>(b);
      } else {
        // \\ooo in the C string is \ooo for the assembler.
        std::snprintf(buf, sizeof buf, "\\\\%03o", b);
        out += buf;
      }
    }
    out += "\\\"\\n\"\n";
  }
  out += "        \".text\\n\");\n";
  return out;
}

class Writer {
 public:
  Writer(const wit::Resolve& r, const wit::World& w, const WitPackage& pkg)
      : r_(r), w_(w), pkg_(pkg), prefix_(Snake(w.name)), types_(r, prefix_) {}

  Expected<CBindings> Run();

 private:
  std::string IfacePrefix(const wit::Interface& i) const {
    return i.package ? Snake(i.package->ns) + "_" + Snake(i.package->name) + "_" + Snake(i.name)
                     : prefix_ + "_" + Snake(i.name);
  }
  std::vector<Func> Functions(bool imports) const;
  // "void name(const a_t *x, uint32_t y, b_t *ret)"
  std::string Prototype(const Func& fn, const std::string& name);
  // Scalars in, at most one scalar out: the C function's own signature is the
  // core signature, so it is the core import or export itself (no glue, no
  // extra call).
  bool Direct(const Func& fn) const;
  void Import(const Func& fn);
  void Export(const Func& fn);
  std::vector<FlatVar> Vars(const std::vector<CoreType>& types, const std::string& stem,
                            std::string* decl, bool params);

  const wit::Resolve& r_;
  const wit::World& w_;
  const WitPackage& pkg_;
  std::string prefix_;
  TypeGen types_;
  std::string protos_imports_, protos_exports_, glue_;
};

std::vector<Func> Writer::Functions(bool imports) const {
  std::vector<Func> out;
  for (const wit::WorldItem& item : imports ? w_.imports : w_.exports) {
    if (item.kind == wit::WorldItem::Kind::kFunction) {
      out.push_back({&item.function, prefix_, wit::kRootImportModule,
                     wit::CoreExportName("", item.function.name), item.function.name});
      continue;
    }
    const wit::Interface& iface = r_.interfaces[item.interface];
    for (const wit::Function& f : iface.functions)
      out.push_back({&f, IfacePrefix(iface), item.name, wit::CoreExportName(item.name, f.name),
                     item.name + "#" + f.name});
  }
  return out;
}

std::string Writer::Prototype(const Func& fn, const std::string& name) {
  const cabi::FuncType& ft = fn.f->type;
  std::string params;
  auto add = [&](const std::string& p) { params += (params.empty() ? "" : ", ") + p; };
  for (const cabi::Field& p : ft.params) {
    const std::string ct = types_.CType(p.type);
    add(types_.ByValue(p.type) ? ct + " " + Snake(p.label) : "const " + ct + " *" + Snake(p.label));
  }
  std::string ret = "void";
  if (ft.results.size() == 1 && ft.results[0].label.empty()) {
    const std::string ct = types_.CType(ft.results[0].type);
    if (types_.ByValue(ft.results[0].type)) ret = ct;
    else add(ct + " *ret");
  } else {
    for (const cabi::Field& r : ft.results) add(types_.CType(r.type) + " *" + Snake(r.label));
  }
  return ret + " " + name + "(" + (params.empty() ? "void" : params) + ")";
}

std::vector<FlatVar> Writer::Vars(const std::vector<CoreType>& types, const std::string& stem,
                                  std::string* decl, bool params) {
  std::vector<FlatVar> vars;
  for (size_t i = 0; i < types.size(); ++i) {
    vars.push_back({stem + std::to_string(i), types[i]});
    if (!params) *decl += std::string("  ") + cgen::CoreCType(types[i]) + " " + vars.back().name + " = 0;\n";
    else *decl += (i ? ", " : "") + std::string(cgen::CoreCType(types[i])) + " " + vars.back().name;
  }
  return vars;
}

std::string CoreSig(const std::vector<CoreType>& params, const std::vector<CoreType>& results,
                    const std::string& name) {
  std::string s = std::string(results.empty() ? "void" : cgen::CoreCType(results[0])) + " " + name + "(";
  for (size_t i = 0; i < params.size(); ++i)
    s += (i ? ", " : "") + std::string(cgen::CoreCType(params[i])) + " a" + std::to_string(i);
  return s + (params.empty() ? "void)" : ")");
}

bool Writer::Direct(const Func& fn) const {
  const cabi::FuncType& ft = fn.f->type;
  // Too many parameters spill into memory: glue needed.
  if (ft.params.size() > cabi::kMaxFlatParams) return false;
  for (const cabi::Field& p : ft.params)
    if (!types_.ByValue(p.type)) return false;
  if (ft.results.empty()) return true;
  return ft.results.size() == 1 && ft.results[0].label.empty() && types_.ByValue(ft.results[0].type);
}

void Writer::Import(const Func& fn) {
  const cabi::FuncType& ft = fn.f->type;
  const cabi::TypeArena& arena = types_.arena();
  const std::string name = fn.prefix + "_" + Snake(fn.f->name);
  const std::string raw = "__wasm_import_" + name;
  if (Direct(fn)) {
    protos_imports_ += "// " + fn.where + "\n__attribute__((import_module(\"" + fn.import_module +
                       "\"), import_name(\"" + fn.f->name + "\")))\n" + Prototype(fn, name) + ";\n";
    return;
  }
  protos_imports_ += "// " + fn.where + "\n" + Prototype(fn, name) + ";\n";
  const cabi::CoreFuncType lower =
      cabi::FlattenFuncType(arena, ft, AddrType::kI32, cabi::FlattenContext::kLower);
  std::vector<TypeId> params, results;
  for (const auto& p : ft.params) params.push_back(p.type);
  for (const auto& r : ft.results) results.push_back(r.type);
  const auto flat_params = cabi::FlattenTypes(arena, params, AddrType::kI32);
  const auto flat_results = cabi::FlattenTypes(arena, results, AddrType::kI32);
  const bool single = ft.results.size() == 1 && ft.results[0].label.empty();

  std::string g = "__attribute__((import_module(\"" + fn.import_module + "\"), import_name(\"" +
                  fn.f->name + "\")))\nextern " + CoreSig(lower.params, lower.results, raw) +
                  ";\n\n" + Prototype(fn, name) + " {\n";
  std::vector<std::string> args;
  if (flat_params.size() <= cabi::kMaxFlatParams) {
    std::vector<FlatVar> vars = Vars(flat_params, "a", &g, false);
    size_t at = 0;
    for (const auto& p : ft.params) {
      const std::string e = types_.ByValue(p.type) ? Snake(p.label) : "*" + Snake(p.label);
      types_.LowerFlat(p.type, e, vars, at, "  ", &g);
      at += cabi::FlattenType(arena, p.type, AddrType::kI32).size();
    }
    for (const FlatVar& v : vars) args.push_back(v.name);
  } else {
    g += "  struct {\n";
    for (size_t i = 0; i < ft.params.size(); ++i)
      g += "    " + types_.CType(params[i]) + " f" + std::to_string(i) + ";\n";
    g += "  } args;\n";
    for (size_t i = 0; i < ft.params.size(); ++i)
      g += "  args.f" + std::to_string(i) + " = " +
           (types_.ByValue(params[i]) ? "" : "*") + Snake(ft.params[i].label) + ";\n";
    args.push_back("(int32_t)(uintptr_t)&args");
  }
  std::string call;
  for (size_t i = 0; i < args.size(); ++i) call += (i ? ", " : "") + args[i];
  if (flat_results.size() > cabi::kMaxFlatResults) {
    if (single) {
      g += "  " + raw + "(" + call + (call.empty() ? "" : ", ") + "(int32_t)(uintptr_t)ret);\n";
    } else {
      g += "  struct {\n";
      for (size_t i = 0; i < results.size(); ++i)
        g += "    " + types_.CType(results[i]) + " f" + std::to_string(i) + ";\n";
      g += "  } results;\n  " + raw + "(" + call + (call.empty() ? "" : ", ") +
           "(int32_t)(uintptr_t)&results);\n";
      for (size_t i = 0; i < results.size(); ++i)
        g += "  *" + Snake(ft.results[i].label) + " = results.f" + std::to_string(i) + ";\n";
    }
  } else if (!flat_results.empty()) {
    std::vector<FlatVar> r = {{"r0", flat_results[0]}};
    g += std::string("  ") + cgen::CoreCType(flat_results[0]) + " r0 = " + raw + "(" + call + ");\n";
    const TypeId t = results[0];
    if (single && types_.ByValue(t)) {
      g += "  " + types_.CType(t) + " out;\n";
      types_.LiftFlat(t, "out", r, 0, "  ", &g);
      g += "  return out;\n";
    } else {
      types_.LiftFlat(t, single ? "(*ret)" : "(*" + Snake(ft.results[0].label) + ")", r, 0, "  ",
                      &g);
    }
  } else {
    g += "  " + raw + "(" + call + ");\n";
  }
  glue_ += g + "}\n\n";
}

void Writer::Export(const Func& fn) {
  const cabi::FuncType& ft = fn.f->type;
  const cabi::TypeArena& arena = types_.arena();
  const std::string base = fn.prefix + "_" + Snake(fn.f->name);
  const std::string user = "exports_" + base;
  if (Direct(fn)) {
    protos_exports_ += "// " + fn.where + "\n__attribute__((export_name(\"" + fn.export_name +
                       "\")))\n" + Prototype(fn, user) + ";\n";
    return;
  }
  protos_exports_ += "// " + fn.where + "\n" + Prototype(fn, user) + ";\n";
  const cabi::CoreFuncType lift =
      cabi::FlattenFuncType(arena, ft, AddrType::kI32, cabi::FlattenContext::kLift);
  std::vector<TypeId> params, results;
  for (const auto& p : ft.params) params.push_back(p.type);
  for (const auto& r : ft.results) results.push_back(r.type);
  const auto flat_params = cabi::FlattenTypes(arena, params, AddrType::kI32);
  const auto flat_results = cabi::FlattenTypes(arena, results, AddrType::kI32);
  const bool single = ft.results.size() == 1 && ft.results[0].label.empty();
  const bool spilled_results = flat_results.size() > cabi::kMaxFlatResults;

  std::string g;
  // Where results go: a static area that post-return frees (spilled), or locals.
  std::string ret_type;
  if (spilled_results) {
    if (single) {
      ret_type = types_.CType(results[0]);
    } else {
      g += "typedef struct {\n";
      for (size_t i = 0; i < results.size(); ++i)
        g += "  " + types_.CType(results[i]) + " f" + std::to_string(i) + ";\n";
      g += "} " + base + "_results_t;\n";
      ret_type = base + "_results_t";
    }
    g += "static " + ret_type + " " + base + "_ret_area;\n\n";
  }
  std::string sig_params;
  std::vector<FlatVar> pvars = Vars(lift.params, "a", &sig_params, true);
  g += "__attribute__((export_name(\"" + fn.export_name + "\")))\n" +
       CoreSig(lift.params, lift.results, "__wasm_export_" + base) + " {\n";
  std::vector<std::string> call;  // arguments of the user function
  std::vector<std::string> frees;
  if (flat_params.size() <= cabi::kMaxFlatParams) {
    size_t at = 0;
    for (size_t i = 0; i < params.size(); ++i) {
      const std::string local = "p" + std::to_string(i);
      g += "  " + types_.CType(params[i]) + " " + local + ";\n";
      types_.LiftFlat(params[i], local, pvars, at, "  ", &g);
      at += cabi::FlattenType(arena, params[i], AddrType::kI32).size();
      call.push_back(types_.ByValue(params[i]) ? local : "&" + local);
      if (types_.Owns(params[i])) frees.push_back(types_.FreeFn(params[i]) + "(&" + local + ");");
    }
  } else {
    g += "  struct {\n";
    for (size_t i = 0; i < params.size(); ++i)
      g += "    " + types_.CType(params[i]) + " f" + std::to_string(i) + ";\n";
    g += "  } *args = (void *)(uintptr_t)a0;\n";
    for (size_t i = 0; i < params.size(); ++i) {
      const std::string field = "args->f" + std::to_string(i);
      call.push_back(types_.ByValue(params[i]) ? field : "&" + field);
      if (types_.Owns(params[i])) frees.push_back(types_.FreeFn(params[i]) + "(&" + field + ");");
    }
    frees.push_back("free(args);");
  }
  std::string out_expr;  // the single result's C value, when flat
  if (spilled_results) {
    if (single) {
      call.push_back("&" + base + "_ret_area");
    } else {
      for (size_t i = 0; i < results.size(); ++i)
        call.push_back("&" + base + "_ret_area.f" + std::to_string(i));
    }
  } else if (!results.empty()) {
    g += "  " + types_.CType(results[0]) + " result;\n";
    if (!(single && types_.ByValue(results[0]))) call.push_back("&result");
    out_expr = "result";
  }
  std::string args;
  for (size_t i = 0; i < call.size(); ++i) args += (i ? ", " : "") + call[i];
  if (!out_expr.empty() && single && types_.ByValue(results[0])) g += "  result = " + user + "(" + args + ");\n";
  else g += "  " + user + "(" + args + ");\n";
  for (const std::string& f : frees) g += "  " + f + "\n";
  if (spilled_results) {
    g += "  return (int32_t)(uintptr_t)&" + base + "_ret_area;\n}\n\n";
    // Post-return frees what the result owns.
    std::string post = "__attribute__((export_name(\"" + std::string(wit::kPostReturnPrefix) +
                       fn.export_name + "\")))\nvoid __wasm_post_" + base + "(int32_t p) {\n  (void)p;\n";
    bool owns = false;
    if (single) {
      if (types_.Owns(results[0])) {
        post += "  " + types_.FreeFn(results[0]) + "(&" + base + "_ret_area);\n";
        owns = true;
      }
    } else {
      for (size_t i = 0; i < results.size(); ++i)
        if (types_.Owns(results[i])) {
          post += "  " + types_.FreeFn(results[i]) + "(&" + base + "_ret_area.f" +
                  std::to_string(i) + ");\n";
          owns = true;
        }
    }
    if (owns) g += post + "}\n\n";
  } else if (!flat_results.empty()) {
    std::vector<FlatVar> r = {{"r0", flat_results[0]}};
    g += std::string("  ") + cgen::CoreCType(flat_results[0]) + " r0 = 0;\n";
    types_.LowerFlat(results[0], out_expr, r, 0, "  ", &g);
    g += "  return r0;\n}\n\n";
  } else {
    g += "}\n\n";
  }
  glue_ += g;
}

Expected<CBindings> Writer::Run() {
  std::vector<Func> imports = Functions(true), exports = Functions(false);
  for (const auto* list : {&imports, &exports})
    for (const Func& fn : *list)
      if (auto h = cabi::FindHandle(types_.arena(), fn.f->type))
        return Error("bindgen", Msg(fn.where, " uses resource handle ", *h,
                                    ": resources are not supported by lazylink's bindings"));
  // Every named type of the world's interfaces, then the functions' own types.
  for (const auto* items : {&w_.imports, &w_.exports})
    for (const wit::WorldItem& item : *items)
      if (item.kind == wit::WorldItem::Kind::kInterface)
        for (const auto& [name, id] : r_.interfaces[item.interface].types)
          if (!cabi::FindHandle(types_.arena(), id)) types_.CType(id);
  const std::string string_t = prefix_ + "_string_t";
  types_.CType(types_.arena().Primitive(cabi::TypeKind::kString));
  for (const Func& fn : imports) Import(fn);
  for (const Func& fn : exports) Export(fn);

  CBindings out;
  out.prefix = prefix_;
  out.header_name = prefix_ + ".h";
  out.source_name = prefix_ + ".c";
  const std::string guard = "LAZYLINK_BINDINGS_" + cgen::Upper(prefix_) + "_H_";
  const std::string world = w_.QualifiedName();
  std::string& h = out.header;
  h += "// C bindings of world " + world + ", generated by `lazylink bindgen`. Do not edit.\n";
  h += "//\n// Ownership (docs/components.md): arguments are borrowed for the duration of\n"
       "// a call; results of imports belong to the caller (free them with the\n"
       "// *_free functions); results of exports must be allocated with malloc\n"
       "// (e.g. " + prefix_ + "_string_dup) and are freed by the bindings after the call.\n";
  h += "#ifndef " + guard + "\n#define " + guard + "\n\n";
  h += "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n";
  h += "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  h += types_.declarations();
  h += "// Strings: _set borrows a NUL-terminated string, _dup copies it (malloc).\n";
  h += "void " + prefix_ + "_string_set(" + string_t + " *s, const char *cstr);\n";
  h += "void " + prefix_ + "_string_dup(" + string_t + " *s, const char *cstr);\n";
  h += "void " + prefix_ + "_string_dup_n(" + string_t + " *s, const char *bytes, size_t len);\n\n";
  h += "// Free functions: free what a value owns (not the value itself).\n";
  h += types_.free_prototypes() + "\n";
  h += "// Imports: call these.\n" + protos_imports_ + "\n";
  h += "// Exports: implement these.\n" + protos_exports_ + "\n";
  h += "// The allocator other components and the host use to pass values in.\n";
  h += "void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size);\n\n";
  h += "#ifdef __cplusplus\n}  // extern \"C\"\n#endif\n\n#endif  // " + guard + "\n";

  std::string& c = out.source;
  c += "// Glue of world " + world + ", generated by `lazylink bindgen`. Do not edit.\n";
  c += "#include \"" + out.header_name + "\"\n\n#include <stdlib.h>\n#include <string.h>\n\n";
  c += "// The world, for the loader: custom section \"" + std::string(kWitSectionName) +
       "\" (docs/components.md).\n";
  WitPackage embedded = pkg_;
  embedded.world = world;
  c += SectionAsm(EncodeWitSection(embedded)) + "\n";
  c += R"(__attribute__((unused)) static inline int32_t lz_f32_to_bits(float f) { int32_t i; memcpy(&i, &f, 4); return i; }
__attribute__((unused)) static inline float lz_bits_to_f32(int32_t i) { float f; memcpy(&f, &i, 4); return f; }
__attribute__((unused)) static inline int64_t lz_f64_to_bits(double f) { int64_t i; memcpy(&i, &f, 8); return i; }
__attribute__((unused)) static inline double lz_bits_to_f64(int64_t i) { double f; memcpy(&f, &i, 8); return f; }

// Memory for values other components and the host pass in. A size of 0
// allocates nothing (the pointer is only aligned), so free only what has a size.
__attribute__((used, visibility("default")))
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  if (new_size == 0) {
    if (ptr && old_size) free(ptr);
    return (void *)align;
  }
  void *out = realloc(old_size ? ptr : NULL, new_size);
  if (!out) abort();
  return out;
}

)";
  c += "void " + prefix_ + "_string_set(" + string_t +
       " *s, const char *cstr) {\n  s->ptr = (uint8_t *)cstr;\n  s->len = strlen(cstr);\n}\n\n";
  c += "void " + prefix_ + "_string_dup_n(" + string_t +
       " *s, const char *bytes, size_t len) {\n  s->len = len;\n"
       "  s->ptr = (uint8_t *)(len ? malloc(len) : NULL);\n  if (len) memcpy(s->ptr, bytes, len);\n}\n\n";
  c += "void " + prefix_ + "_string_dup(" + string_t + " *s, const char *cstr) {\n  " + prefix_ +
       "_string_dup_n(s, cstr, strlen(cstr));\n}\n\n";
  c += "#if defined(__wasm32__)\n" + types_.layout_asserts() + "#endif\n\n";
  c += types_.free_definitions();
  c += glue_;
  return out;
}

}  // namespace

Expected<CBindings> GenerateCBindings(const WitPackage& wit) {
  LL_TRY(wit::Resolve r, wit::ParseWit(wit.files));
  const wit::World* w = nullptr;
  if (wit.world.empty()) {
    if (r.worlds.size() != 1)
      return Error("bindgen", Msg("the WIT defines ", r.worlds.size(),
                                  " worlds: name one with --world"));
    w = &r.worlds[0];
  } else {
    w = r.FindWorld(wit.world);
    if (!w) return Error("bindgen", Msg("no world named ", wit.world, " (or more than one)"));
  }
  Writer writer(r, *w, wit);
  return writer.Run();
}

}  // namespace lazylink::component
