// C types for WIT types, with the Canonical ABI's layout (wasm32 C layout
// agrees with it for these shapes: a discriminant then a union aligned to its
// widest case is exactly the spec's variant layout), their free functions,
// and flat lifting/lowering written as C statements.
#include <cstdio>

#include "loader/component/bindgen_c_gen.h"

namespace lazylink::component::cgen {

namespace {

using cabi::TypeKind;
using cabi::TypeNode;

const char* const kCKeywords[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
    "union", "unsigned", "void", "volatile", "while", "bool", "true", "false", "class", "new",
    "delete", "this", "template", "typename", "namespace", "private", "public", "protected",
    "operator", "friend", "virtual", "ret", "errno", "NULL", "and", "or", "not", "xor"};

const char* PrimitiveC(TypeKind k) {
  switch (k) {
    case TypeKind::kBool: return "bool";
    case TypeKind::kS8: return "int8_t";
    case TypeKind::kU8: return "uint8_t";
    case TypeKind::kS16: return "int16_t";
    case TypeKind::kU16: return "uint16_t";
    case TypeKind::kS32: return "int32_t";
    case TypeKind::kU32: return "uint32_t";
    case TypeKind::kS64: return "int64_t";
    case TypeKind::kU64: return "uint64_t";
    case TypeKind::kF32: return "float";
    case TypeKind::kF64: return "double";
    case TypeKind::kChar: return "uint32_t";
    default: return nullptr;
  }
}

const char* DiscC(size_t cases) {
  switch (cabi::DiscriminantSize(cases)) {
    case 1: return "uint8_t";
    case 2: return "uint16_t";
    default: return "uint32_t";
  }
}

std::string Flags(size_t labels) {
  return labels <= 8 ? "uint8_t" : labels <= 16 ? "uint16_t" : "uint32_t";
}

// Own (case) core type -> joined core type, and back.
std::string ToJoined(CoreType own, CoreType joined, const std::string& v) {
  if (own == joined) return v;
  if (own == CoreType::kF32 && joined == CoreType::kI32) return "lz_f32_to_bits(" + v + ")";
  if (own == CoreType::kI32 && joined == CoreType::kI64) return "(int64_t)(uint32_t)(" + v + ")";
  if (own == CoreType::kF32 && joined == CoreType::kI64)
    return "(int64_t)(uint32_t)lz_f32_to_bits(" + v + ")";
  return "lz_f64_to_bits(" + v + ")";  // f64 -> i64
}

std::string FromJoined(CoreType joined, CoreType own, const std::string& v) {
  if (own == joined) return v;
  if (joined == CoreType::kI32 && own == CoreType::kF32) return "lz_bits_to_f32(" + v + ")";
  if (joined == CoreType::kI64 && own == CoreType::kI32) return "(int32_t)(" + v + ")";
  if (joined == CoreType::kI64 && own == CoreType::kF32)
    return "lz_bits_to_f32((int32_t)(" + v + "))";
  return "lz_bits_to_f64(" + v + ")";  // i64 -> f64
}

bool IsNamedKind(TypeKind k) {
  return k == TypeKind::kRecord || k == TypeKind::kVariant || k == TypeKind::kEnum ||
         k == TypeKind::kFlags;
}

}  // namespace

std::string Snake(const std::string& name) {
  std::string s;
  for (char c : name) s += (c == '-' || c == '.' || c == ':' || c == '/' || c == '@') ? '_' : c;
  for (const char* k : kCKeywords)
    if (s == k) return s + "_";
  if (!s.empty() && s[0] >= '0' && s[0] <= '9') s = "_" + s;
  return s;
}

std::string Upper(const std::string& s) {
  std::string u = s;
  for (char& c : u)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return u;
}

const char* CoreCType(CoreType t) {
  switch (t) {
    case CoreType::kI32: return "int32_t";
    case CoreType::kI64: return "int64_t";
    case CoreType::kF32: return "float";
    case CoreType::kF64: return "double";
  }
  return "int32_t";
}

TypeGen::TypeGen(const wit::Resolve& resolve, std::string world_prefix)
    : arena_(*resolve.arena), prefix_(std::move(world_prefix)) {
  for (const wit::Interface& iface : resolve.interfaces) {
    std::string ip = iface.package
                         ? Snake(iface.package->ns) + "_" + Snake(iface.package->name) + "_" +
                               Snake(iface.name)
                         : prefix_ + "_" + Snake(iface.name);
    for (const auto& [name, id] : iface.types) {
      bool used = false;
      for (const std::string& u : iface.used_types) used |= u == name;
      if (used || !arena_.Contains(id)) continue;
      const TypeNode& n = arena_.Get(id);
      if (!IsNamedKind(n.kind) || n.name != name || owner_.count(id)) continue;
      owner_[id] = ip + "_" + Snake(name);
      ++short_names_[name];
    }
  }
}

std::string TypeGen::NamedBase(TypeId t) const {
  auto it = owner_.find(t);
  if (it != owner_.end()) return it->second;
  const TypeNode& n = arena_.Get(t);
  if (IsNamedKind(n.kind) && !n.name.empty()) return prefix_ + "_" + Snake(n.name);
  return "";
}

std::string TypeGen::Mangle(TypeId t) {
  const TypeNode& n = arena_.Get(t);
  if (const char* p = PrimitiveC(n.kind)) {
    (void)p;
    return cabi::TypeKindName(n.kind);
  }
  if (n.kind == TypeKind::kString) return "string";
  std::string base = NamedBase(t);
  if (!base.empty()) {
    auto it = short_names_.find(n.name);
    return it != short_names_.end() && it->second > 1 ? base : Snake(n.name);
  }
  switch (n.kind) {
    case TypeKind::kList:
      return "list_" + Mangle(n.element) + (n.length ? "_" + std::to_string(n.length) : "");
    case TypeKind::kOption: return "option_" + Mangle(n.element);
    case TypeKind::kResult:
      return "result_" + (n.element == cabi::kNoType ? std::string("void") : Mangle(n.element)) +
             "_" + (n.second == cabi::kNoType ? std::string("void") : Mangle(n.second));
    case TypeKind::kMap: return "map_" + Mangle(n.element) + "_" + Mangle(n.second);
    case TypeKind::kTuple: {
      std::string s = "tuple" + std::to_string(n.fields.size());
      for (const cabi::Field& f : n.fields) s += "_" + Mangle(f.type);
      return s;
    }
    default: return "t" + std::to_string(t);
  }
}

bool TypeGen::ByValue(TypeId t) const {
  const TypeNode& n = arena_.Get(t);
  return PrimitiveC(n.kind) || n.kind == TypeKind::kEnum || n.kind == TypeKind::kFlags;
}

bool TypeGen::Owns(TypeId t) const {
  const TypeNode& n = arena_.Get(t);
  switch (n.kind) {
    case TypeKind::kString:
    case TypeKind::kMap:
      return true;
    case TypeKind::kList:
      return n.length == 0 || Owns(n.element);
    case TypeKind::kOption:
      return Owns(n.element);
    case TypeKind::kResult:
      return (n.element != cabi::kNoType && Owns(n.element)) ||
             (n.second != cabi::kNoType && Owns(n.second));
    case TypeKind::kRecord:
    case TypeKind::kTuple:
    case TypeKind::kVariant:
      for (const cabi::Field& f : n.fields)
        if (f.type != cabi::kNoType && Owns(f.type)) return true;
      return false;
    default:
      return false;
  }
}

std::string TypeGen::CType(TypeId t) {
  const TypeNode& n = arena_.Get(t);
  if (const char* p = PrimitiveC(n.kind)) return p;
  auto it = names_.find(t);
  if (it != names_.end()) return it->second;
  std::string base = NamedBase(t);
  std::string name = (base.empty() ? prefix_ + "_" + Mangle(t) : base) + "_t";
  names_[t] = name;
  if (declared_.insert(name).second) Declare(t, name);
  return name;
}

std::string TypeGen::FreeFn(TypeId t) {
  std::string name = CType(t);
  return name.substr(0, name.size() - 2) + "_free";
}

void TypeGen::Declare(TypeId t, const std::string& name) {
  const TypeNode& n = arena_.Get(t);
  const std::string base = name.substr(0, name.size() - 2);
  const std::string upper = Upper(base);
  std::string d;
  auto open = [&] { d += "typedef struct " + name + " {\n"; };
  auto close = [&] { d += "} " + name + ";\n"; };
  switch (n.kind) {
    case TypeKind::kString:
      open();
      d += "  uint8_t *ptr;\n  size_t len;\n";
      close();
      break;
    case TypeKind::kList:
      if (n.length) {
        std::string e = CType(n.element);
        open();
        d += "  " + e + " elems[" + std::to_string(n.length) + "];\n";
        close();
      } else {
        std::string e = CType(n.element);
        open();
        d += "  " + e + " *ptr;\n  size_t len;\n";
        close();
      }
      break;
    case TypeKind::kMap: {
      std::string k = CType(n.element), v = CType(n.second);
      d += "typedef struct " + base + "_entry_t {\n  " + k + " key;\n  " + v + " value;\n} " +
           base + "_entry_t;\n";
      open();
      d += "  " + base + "_entry_t *ptr;\n  size_t len;\n";
      close();
      break;
    }
    case TypeKind::kRecord:
    case TypeKind::kTuple: {
      std::vector<std::string> types;
      for (const cabi::Field& f : n.fields) types.push_back(CType(f.type));
      open();
      for (size_t i = 0; i < n.fields.size(); ++i)
        d += "  " + types[i] + " " +
             (n.kind == TypeKind::kRecord ? Snake(n.fields[i].label) : "f" + std::to_string(i)) +
             ";\n";
      close();
      break;
    }
    case TypeKind::kVariant: {
      std::vector<std::string> types;
      for (const cabi::Field& f : n.fields)
        types.push_back(f.type == cabi::kNoType ? "" : CType(f.type));
      for (size_t i = 0; i < n.fields.size(); ++i)
        d += "#define " + upper + "_" + Upper(Snake(n.fields[i].label)) + " " +
             std::to_string(i) + "\n";
      open();
      d += std::string("  ") + DiscC(n.fields.size()) + " tag;\n";
      bool any = false;
      for (const std::string& ty : types) any |= !ty.empty();
      if (any) {
        d += "  union {\n";
        for (size_t i = 0; i < n.fields.size(); ++i)
          if (!types[i].empty()) d += "    " + types[i] + " " + Snake(n.fields[i].label) + ";\n";
        d += "  } val;\n";
      }
      close();
      break;
    }
    case TypeKind::kEnum:
      d += std::string("typedef ") + DiscC(n.fields.size()) + " " + name + ";\n";
      for (size_t i = 0; i < n.fields.size(); ++i)
        d += "#define " + upper + "_" + Upper(Snake(n.fields[i].label)) + " " +
             std::to_string(i) + "\n";
      break;
    case TypeKind::kFlags:
      d += "typedef " + Flags(n.fields.size()) + " " + name + ";\n";
      for (size_t i = 0; i < n.fields.size(); ++i)
        d += "#define " + upper + "_" + Upper(Snake(n.fields[i].label)) + " (1u << " +
             std::to_string(i) + ")\n";
      break;
    case TypeKind::kOption: {
      std::string e = CType(n.element);
      open();
      d += "  bool is_some;\n  " + e + " val;\n";
      close();
      break;
    }
    case TypeKind::kResult: {
      std::string ok = n.element == cabi::kNoType ? "" : CType(n.element);
      std::string err = n.second == cabi::kNoType ? "" : CType(n.second);
      open();
      d += "  bool is_err;\n";
      if (!ok.empty() || !err.empty()) {
        d += "  union {\n";
        if (!ok.empty()) d += "    " + ok + " ok;\n";
        if (!err.empty()) d += "    " + err + " err;\n";
        d += "  } val;\n";
      }
      close();
      break;
    }
    default:
      d += "typedef int32_t " + name + ";  // unsupported: " + cabi::TypeKindName(n.kind) + "\n";
      break;
  }
  decls_ += d + "\n";
  if (n.kind != TypeKind::kString || name == prefix_ + "_string_t") {
    const cabi::AddrType a = cabi::AddrType::kI32;
    asserts_ += "_Static_assert(sizeof(" + name + ") == " +
                std::to_string(cabi::ElemSize(arena_, t, a)) + " && _Alignof(" + name +
                ") == " + std::to_string(cabi::Alignment(arena_, t, a)) + ", \"" + name +
                ": Canonical ABI layout\");\n";
  }
  if (Owns(t)) DefineFree(t, name);
}

std::string TypeGen::PayloadExpr(const TypeNode& n, size_t c, const std::string& expr) const {
  switch (n.kind) {
    case TypeKind::kOption: return "(" + expr + ").val";
    case TypeKind::kResult: return "(" + expr + ").val." + (c == 0 ? "ok" : "err");
    default: return "(" + expr + ").val." + Snake(n.fields[c].label);
  }
}

void TypeGen::DefineFree(TypeId t, const std::string& name) {
  const TypeNode& n = arena_.Get(t);
  const std::string fn = name.substr(0, name.size() - 2) + "_free";
  free_protos_ += "void " + fn + "(" + name + " *v);\n";
  std::string b = "void " + fn + "(" + name + " *v) {\n";
  auto free_child = [&](TypeId child, const std::string& ptr, const std::string& indent) {
    if (child != cabi::kNoType && Owns(child)) b += indent + FreeFn(child) + "(" + ptr + ");\n";
  };
  switch (n.kind) {
    case TypeKind::kString:
      b += "  if (v->len) free(v->ptr);\n";
      break;
    case TypeKind::kList:
      if (n.length) {
        b += "  for (size_t i = 0; i < " + std::to_string(n.length) + "; i++) " +
             FreeFn(n.element) + "(&v->elems[i]);\n";
        break;
      }
      if (Owns(n.element))
        b += "  for (size_t i = 0; i < v->len; i++) " + FreeFn(n.element) + "(&v->ptr[i]);\n";
      b += "  if (v->len) free(v->ptr);\n";
      break;
    case TypeKind::kMap:
      b += "  for (size_t i = 0; i < v->len; i++) {\n";
      free_child(n.element, "&v->ptr[i].key", "    ");
      free_child(n.second, "&v->ptr[i].value", "    ");
      b += "  }\n  if (v->len) free(v->ptr);\n";
      break;
    case TypeKind::kRecord:
    case TypeKind::kTuple:
      for (size_t i = 0; i < n.fields.size(); ++i)
        free_child(n.fields[i].type,
                   "&v->" + (n.kind == TypeKind::kRecord ? Snake(n.fields[i].label)
                                                         : "f" + std::to_string(i)),
                   "  ");
      break;
    case TypeKind::kVariant:
      b += "  switch (v->tag) {\n";
      for (size_t i = 0; i < n.fields.size(); ++i) {
        if (n.fields[i].type == cabi::kNoType || !Owns(n.fields[i].type)) continue;
        b += "    case " + std::to_string(i) + ":\n";
        free_child(n.fields[i].type, "&v->val." + Snake(n.fields[i].label), "      ");
        b += "      break;\n";
      }
      b += "    default: break;\n  }\n";
      break;
    case TypeKind::kOption:
      b += "  if (v->is_some) {\n";
      free_child(n.element, "&v->val", "    ");
      b += "  }\n";
      break;
    case TypeKind::kResult:
      b += "  if (!v->is_err) {\n";
      free_child(n.element, "&v->val.ok", "    ");
      b += "  } else {\n";
      free_child(n.second, "&v->val.err", "    ");
      b += "  }\n";
      break;
    default:
      break;
  }
  free_defs_ += b + "}\n\n";
}

std::string TypeGen::Temp() { return "t" + std::to_string(temps_++); }

void TypeGen::LowerFlat(TypeId t, const std::string& expr, const std::vector<FlatVar>& vars,
                        size_t first, const std::string& in, std::string* out) {
  const TypeNode& n = arena_.Get(t);
  const cabi::AddrType a = cabi::AddrType::kI32;
  const std::string& v = vars[first].name;
  switch (n.kind) {
    case TypeKind::kU64:
    case TypeKind::kS64:
      *out += in + v + " = (int64_t)(" + expr + ");\n";
      return;
    case TypeKind::kF32:
    case TypeKind::kF64:
      *out += in + v + " = " + expr + ";\n";
      return;
    case TypeKind::kString:
    case TypeKind::kMap:
      *out += in + v + " = (int32_t)(uintptr_t)(" + expr + ").ptr;\n";
      *out += in + vars[first + 1].name + " = (int32_t)(" + expr + ").len;\n";
      return;
    case TypeKind::kList: {
      if (!n.length) {
        *out += in + v + " = (int32_t)(uintptr_t)(" + expr + ").ptr;\n";
        *out += in + vars[first + 1].name + " = (int32_t)(" + expr + ").len;\n";
        return;
      }
      const size_t each = cabi::FlattenType(arena_, n.element, a).size();
      for (uint32_t i = 0; i < n.length; ++i)
        LowerFlat(n.element, "(" + expr + ").elems[" + std::to_string(i) + "]", vars,
                  first + i * each, in, out);
      return;
    }
    case TypeKind::kRecord:
    case TypeKind::kTuple: {
      size_t at = first;
      for (size_t i = 0; i < n.fields.size(); ++i) {
        const std::string field = n.kind == TypeKind::kRecord ? Snake(n.fields[i].label)
                                                              : "f" + std::to_string(i);
        LowerFlat(n.fields[i].type, "(" + expr + ")." + field, vars, at, in, out);
        at += cabi::FlattenType(arena_, n.fields[i].type, a).size();
      }
      return;
    }
    case TypeKind::kVariant:
    case TypeKind::kOption:
    case TypeKind::kResult: {
      const std::string tag = n.kind == TypeKind::kOption   ? "is_some"
                              : n.kind == TypeKind::kResult ? "is_err"
                                                            : "tag";
      *out += in + v + " = (int32_t)(" + expr + ")." + tag + ";\n";
      const std::vector<cabi::CaseView> cases = cabi::DespecializeCases(arena_, n);
      bool any = false;
      for (const auto& c : cases) any |= c.type != cabi::kNoType;
      if (!any) return;
      *out += in + "switch ((int)(" + expr + ")." + tag + ") {\n";
      for (size_t c = 0; c < cases.size(); ++c) {
        if (cases[c].type == cabi::kNoType) continue;
        *out += in + "  case " + std::to_string(c) + ": {\n";
        const std::vector<CoreType> own = cabi::FlattenType(arena_, cases[c].type, a);
        std::vector<FlatVar> own_vars;
        for (size_t i = 0; i < own.size(); ++i) {
          const FlatVar& joined = vars[first + 1 + i];
          if (own[i] == joined.type) {
            own_vars.push_back(joined);
          } else {
            own_vars.push_back({Temp(), own[i]});
            *out += in + "    " + CoreCType(own[i]) + " " + own_vars.back().name + " = 0;\n";
          }
        }
        LowerFlat(cases[c].type, PayloadExpr(n, c, expr), own_vars, 0, in + "    ", out);
        for (size_t i = 0; i < own.size(); ++i) {
          const FlatVar& joined = vars[first + 1 + i];
          if (own_vars[i].name != joined.name)
            *out += in + "    " + joined.name + " = " +
                    ToJoined(own[i], joined.type, own_vars[i].name) + ";\n";
        }
        *out += in + "    break;\n" + in + "  }\n";
      }
      *out += in + "  default: break;\n" + in + "}\n";
      return;
    }
    default:  // i32-like scalars: bool, integers, char, enum, flags
      *out += in + v + " = (int32_t)(" + expr + ");\n";
      return;
  }
}

void TypeGen::LiftFlat(TypeId t, const std::string& dest, const std::vector<FlatVar>& vars,
                       size_t first, const std::string& in, std::string* out) {
  const TypeNode& n = arena_.Get(t);
  const cabi::AddrType a = cabi::AddrType::kI32;
  const std::string& v = vars[first].name;
  switch (n.kind) {
    case TypeKind::kBool:
      *out += in + dest + " = " + v + " != 0;\n";
      return;
    case TypeKind::kF32:
    case TypeKind::kF64:
      *out += in + dest + " = " + v + ";\n";
      return;
    case TypeKind::kString:
      *out += in + dest + ".ptr = (uint8_t *)(uintptr_t)" + v + ";\n";
      *out += in + dest + ".len = (size_t)(uint32_t)" + vars[first + 1].name + ";\n";
      return;
    case TypeKind::kMap: {
      std::string name = CType(t);
      *out += in + dest + ".ptr = (" + name.substr(0, name.size() - 2) + "_entry_t *)(uintptr_t)" +
              v + ";\n";
      *out += in + dest + ".len = (size_t)(uint32_t)" + vars[first + 1].name + ";\n";
      return;
    }
    case TypeKind::kList: {
      if (!n.length) {
        *out += in + dest + ".ptr = (" + CType(n.element) + " *)(uintptr_t)" + v + ";\n";
        *out += in + dest + ".len = (size_t)(uint32_t)" + vars[first + 1].name + ";\n";
        return;
      }
      const size_t each = cabi::FlattenType(arena_, n.element, a).size();
      for (uint32_t i = 0; i < n.length; ++i)
        LiftFlat(n.element, dest + ".elems[" + std::to_string(i) + "]", vars, first + i * each, in,
                 out);
      return;
    }
    case TypeKind::kRecord:
    case TypeKind::kTuple: {
      size_t at = first;
      for (size_t i = 0; i < n.fields.size(); ++i) {
        const std::string field = n.kind == TypeKind::kRecord ? Snake(n.fields[i].label)
                                                              : "f" + std::to_string(i);
        LiftFlat(n.fields[i].type, dest + "." + field, vars, at, in, out);
        at += cabi::FlattenType(arena_, n.fields[i].type, a).size();
      }
      return;
    }
    case TypeKind::kVariant:
    case TypeKind::kOption:
    case TypeKind::kResult: {
      const bool boolean = n.kind != TypeKind::kVariant;
      const std::string tag = n.kind == TypeKind::kOption   ? "is_some"
                              : n.kind == TypeKind::kResult ? "is_err"
                                                            : "tag";
      *out += in + dest + "." + tag + " = " +
              (boolean ? v + " != 0" : "(" + std::string(DiscC(n.fields.size())) + ")" + v) +
              ";\n";
      const std::vector<cabi::CaseView> cases = cabi::DespecializeCases(arena_, n);
      bool any = false;
      for (const auto& c : cases) any |= c.type != cabi::kNoType;
      if (!any) return;
      *out += in + "switch ((int)" + v + ") {\n";
      for (size_t c = 0; c < cases.size(); ++c) {
        if (cases[c].type == cabi::kNoType) continue;
        *out += in + "  case " + std::to_string(c) + ": {\n";
        const std::vector<CoreType> own = cabi::FlattenType(arena_, cases[c].type, a);
        std::vector<FlatVar> own_vars;
        for (size_t i = 0; i < own.size(); ++i) {
          const FlatVar& joined = vars[first + 1 + i];
          if (own[i] == joined.type) {
            own_vars.push_back(joined);
            continue;
          }
          own_vars.push_back({Temp(), own[i]});
          *out += in + "    " + CoreCType(own[i]) + " " + own_vars.back().name + " = " +
                  FromJoined(joined.type, own[i], joined.name) + ";\n";
        }
        std::string payload = PayloadExpr(n, c, dest);
        LiftFlat(cases[c].type, payload, own_vars, 0, in + "    ", out);
        *out += in + "    break;\n" + in + "  }\n";
      }
      *out += in + "  default: break;\n" + in + "}\n";
      return;
    }
    default:
      *out += in + dest + " = (" + CType(t) + ")" + v + ";\n";
      return;
  }
}

}  // namespace lazylink::component::cgen
