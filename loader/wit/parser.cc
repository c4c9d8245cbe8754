#include "loader/wit/parser.h"

#include <utility>

namespace lazylink::wit {

std::string UsePath::ToString() const {
  if (ns.empty()) return name;
  std::string s = Msg(ns, ":", package, "/", name);
  if (!version.empty()) s += "@" + version;
  return s;
}

std::string PackageName::ToString() const {
  std::string s = Msg(ns, ":", name);
  if (!version.empty()) s += "@" + version;
  return s;
}

namespace {

using cabi::TypeKind;

struct PrimName {
  const char* name;
  TypeKind kind;
};
constexpr PrimName kPrims[] = {
    {"bool", TypeKind::kBool}, {"s8", TypeKind::kS8},       {"u8", TypeKind::kU8},
    {"s16", TypeKind::kS16},   {"u16", TypeKind::kU16},     {"s32", TypeKind::kS32},
    {"u32", TypeKind::kU32},   {"s64", TypeKind::kS64},     {"u64", TypeKind::kU64},
    {"f32", TypeKind::kF32},   {"f64", TypeKind::kF64},     {"char", TypeKind::kChar},
    {"string", TypeKind::kString},
    // Older spellings still found in WIT files.
    {"float32", TypeKind::kF32}, {"float64", TypeKind::kF64},
};

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// semver: MAJOR.MINOR.PATCH with optional -pre and +build parts.
bool IsValidSemver(std::string_view v) {
  size_t end = v.find_first_of("-+");
  std::string_view core = v.substr(0, end);
  int parts = 0;
  size_t start = 0;
  while (true) {
    size_t dot = core.find('.', start);
    std::string_view num = core.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!IsDigits(num) || (num.size() > 1 && num[0] == '0')) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts != 3) return false;
  if (end == std::string_view::npos) return true;
  std::string_view rest = v.substr(end + 1);
  return !rest.empty() && rest.back() != '.' && rest.back() != '-' && rest.back() != '+';
}

class Parser {
 public:
  Parser(std::string_view file, std::string_view text, bool vector_syntax)
      : lex_(file, text), vector_syntax_(vector_syntax) {}

  Status Start() { return Advance(); }

  Expected<Document> ParseFile() {
    Document doc;
    doc.file = std::string(lex_.file());
    bool first_item = true;
    while (tok_.kind != TokenKind::kEof) {
      LL_CHECK(SkipGates());
      std::string docs = tok_.docs;
      if (IsKw("package")) {
        if (!first_item || doc.package)
          return Fail(tok_.pos, "the package declaration must come first, and only once");
        doc.package_pos = tok_.pos;
        LL_CHECK(Advance());
        LL_TRY(doc.package, ParsePackageName());
        if (tok_.kind == TokenKind::kLBrace)
          return Fail(tok_.pos, "nested package definitions ('package ... { }') are not supported");
        LL_CHECK(Expect(TokenKind::kSemicolon, "after the package name"));
      } else if (IsKw("use")) {
        TopUse use;
        use.pos = tok_.pos;
        LL_CHECK(Advance());
        LL_TRY(use.path, ParseUsePath());
        if (IsKw("as")) {
          LL_CHECK(Advance());
          LL_TRY(use.alias, ExpectId("a name after 'as'"));
        }
        LL_CHECK(Expect(TokenKind::kSemicolon, "after the top-level use"));
        doc.uses.push_back(std::move(use));
      } else if (IsKw("interface")) {
        Pos pos = tok_.pos;
        LL_CHECK(Advance());
        InterfaceDecl iface;
        iface.pos = pos;
        iface.docs = std::move(docs);
        LL_TRY(iface.name, ExpectId("an interface name"));
        LL_CHECK(ParseInterfaceBody(&iface));
        doc.interfaces.push_back(std::move(iface));
      } else if (IsKw("world")) {
        WorldDecl world;
        world.pos = tok_.pos;
        world.docs = std::move(docs);
        LL_CHECK(Advance());
        LL_TRY(world.name, ExpectId("a world name"));
        LL_CHECK(ParseWorldBody(&world));
        doc.worlds.push_back(std::move(world));
      } else {
        return Fail(tok_.pos, Msg("expected 'package', 'use', 'interface' or 'world', found ",
                                  Describe(tok_)));
      }
      first_item = false;
    }
    return doc;
  }

  Expected<TypeExpr> ParseSingleType() {
    LL_TRY(TypeExpr t, ParseType(0));
    if (tok_.kind != TokenKind::kEof)
      return Fail(tok_.pos, Msg("expected end of type, found ", Describe(tok_)));
    return t;
  }

 private:
  // --- tokens -------------------------------------------------------------

  Status Advance() {
    LL_TRY(tok_, lex_.Next());
    return Ok{};
  }

  Error Fail(Pos pos, std::string message) const { return lex_.ErrorAt(pos, std::move(message)); }

  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case TokenKind::kEof: return "end of input";
      case TokenKind::kId:
        if (!t.explicit_id && IsKeyword(t.text)) return Msg("keyword '", t.text, "'");
        return Msg("'", t.explicit_id ? "%" : "", t.text, "'");
      case TokenKind::kInteger:
      case TokenKind::kVersion: return Msg("'", t.text, "'");
      default: return TokenKindName(t.kind);
    }
  }

  bool IsKw(const char* kw) const {
    return tok_.kind == TokenKind::kId && !tok_.explicit_id && tok_.text == kw;
  }

  Status Expect(TokenKind kind, std::string_view context) {
    if (tok_.kind != kind)
      return Fail(tok_.pos, Msg("expected ", TokenKindName(kind), " ", context, ", found ",
                                Describe(tok_)));
    return Advance();
  }

  Status ExpectKw(const char* kw, std::string_view context) {
    if (!IsKw(kw))
      return Fail(tok_.pos, Msg("expected '", kw, "' ", context, ", found ", Describe(tok_)));
    return Advance();
  }

  // An identifier that is not a bare keyword.
  Expected<std::string> ExpectId(std::string_view what) {
    if (tok_.kind != TokenKind::kId)
      return Fail(tok_.pos, Msg("expected ", what, ", found ", Describe(tok_)));
    if (!tok_.explicit_id && IsKeyword(tok_.text))
      return Fail(tok_.pos, Msg("expected ", what, ", found keyword '", tok_.text,
                                "' (write %", tok_.text, " to use it as a name)"));
    std::string name = tok_.text;
    LL_CHECK(Advance());
    return name;
  }

  // A label in the vector syntax may also be a number (tuples despecialize
  // to records labelled "0", "1", ...).
  Expected<std::string> ExpectLabel(std::string_view what) {
    if (vector_syntax_ && tok_.kind == TokenKind::kInteger) {
      std::string s = tok_.text;
      LL_CHECK(Advance());
      return s;
    }
    return ExpectId(what);
  }

  // `@since(...)`, `@unstable(...)`, `@deprecated(...)`: accepted and ignored.
  Status SkipGates() {
    while (tok_.kind == TokenKind::kAt) {
      Pos pos = tok_.pos;
      LL_CHECK(Advance());
      if (tok_.kind != TokenKind::kId)
        return Fail(pos, Msg("expected a gate name after '@', found ", Describe(tok_)));
      LL_CHECK(Advance());
      LL_CHECK(Expect(TokenKind::kLParen, "after the gate name"));
      while (tok_.kind != TokenKind::kRParen) {
        if (tok_.kind == TokenKind::kEof) return Fail(pos, "unterminated gate");
        LL_CHECK(Advance());
      }
      LL_CHECK(Advance());
    }
    return Ok{};
  }

  // --- names --------------------------------------------------------------

  Expected<PackageName> ParsePackageName() {
    Pos pos = tok_.pos;
    PackageName p;
    LL_TRY(p.ns, ExpectId("a package namespace"));
    LL_CHECK(Expect(TokenKind::kColon, "between package namespace and name"));
    LL_TRY(p.name, ExpectId("a package name"));
    if (tok_.kind == TokenKind::kColon || tok_.kind == TokenKind::kSlash)
      return Fail(tok_.pos, "nested package namespaces are not supported");
    if (tok_.kind == TokenKind::kAt) {
      LL_CHECK(Advance());
      LL_TRY(p.version, ExpectVersion());
    }
    (void)pos;
    return p;
  }

  Expected<std::string> ExpectVersion() {
    if (tok_.kind != TokenKind::kVersion || !IsValidSemver(tok_.text))
      return Fail(tok_.pos, Msg("expected a semantic version (1.2.3) after '@', found ",
                                Describe(tok_)));
    std::string v = tok_.text;
    LL_CHECK(Advance());
    return v;
  }

  Expected<UsePath> ParseUsePath() {
    UsePath path;
    path.pos = tok_.pos;
    LL_TRY(std::string first, ExpectId("an interface name or ns:package/interface"));
    if (tok_.kind != TokenKind::kColon) {
      path.name = std::move(first);
      return path;
    }
    path.ns = std::move(first);
    LL_CHECK(Advance());
    return ParseUsePathAfterNamespace(std::move(path));
  }

  // `pkg/iface@version`, after `ns:`.
  Expected<UsePath> ParseUsePathAfterNamespace(UsePath path) {
    LL_TRY(path.package, ExpectId("a package name"));
    if (tok_.kind == TokenKind::kColon)
      return Fail(tok_.pos, "nested package namespaces are not supported");
    LL_CHECK(Expect(TokenKind::kSlash, "between package and interface name"));
    LL_TRY(path.name, ExpectId("an interface name"));
    if (tok_.kind == TokenKind::kSlash)
      return Fail(tok_.pos, "nested interface paths are not supported");
    if (tok_.kind == TokenKind::kAt) {
      LL_CHECK(Advance());
      LL_TRY(path.version, ExpectVersion());
    }
    return path;
  }

  Expected<UseDecl> ParseUse() {
    UseDecl use;
    use.pos = tok_.pos;
    LL_CHECK(Advance());  // 'use'
    LL_TRY(use.path, ParseUsePath());
    LL_CHECK(Expect(TokenKind::kDot, "before the list of used names"));
    LL_CHECK(Expect(TokenKind::kLBrace, "to start the list of used names"));
    while (tok_.kind != TokenKind::kRBrace) {
      UseName n;
      n.pos = tok_.pos;
      LL_TRY(n.name, ExpectId("a type name to use"));
      if (IsKw("as")) {
        LL_CHECK(Advance());
        LL_TRY(n.alias, ExpectId("a name after 'as'"));
      }
      use.names.push_back(std::move(n));
      if (tok_.kind != TokenKind::kComma) break;
      LL_CHECK(Advance());
    }
    if (use.names.empty()) return Fail(tok_.pos, "a use needs at least one name");
    LL_CHECK(Expect(TokenKind::kRBrace, "to end the list of used names"));
    LL_CHECK(Expect(TokenKind::kSemicolon, "after use"));
    return use;
  }

  // --- types --------------------------------------------------------------

  Status OpenAngle(const char* what) {
    return Expect(TokenKind::kLAngle, Msg("after '", what, "'"));
  }
  Status CloseAngle(const char* what) {
    return Expect(TokenKind::kRAngle, Msg("to close ", what, "<...>"));
  }

  Expected<TypeExpr> ParseType(int depth) {
    if (depth > kMaxTypeNesting)
      return Fail(tok_.pos, Msg("types nested deeper than ", kMaxTypeNesting));
    TypeExpr t;
    t.pos = tok_.pos;
    if (tok_.kind != TokenKind::kId)
      return Fail(tok_.pos, Msg("expected a type, found ", Describe(tok_)));
    if (tok_.explicit_id) {
      t.kind = TypeExpr::Kind::kNamed;
      t.name = tok_.text;
      LL_CHECK(Advance());
      return t;
    }
    const std::string word = tok_.text;
    for (const PrimName& p : kPrims) {
      if (word == p.name) {
        t.kind = TypeExpr::Kind::kPrimitive;
        t.prim = p.kind;
        LL_CHECK(Advance());
        return t;
      }
    }
    if (word == "list") {
      t.kind = TypeExpr::Kind::kList;
      LL_CHECK(Advance());
      LL_CHECK(OpenAngle("list"));
      LL_TRY(TypeExpr e, ParseType(depth + 1));
      t.args.push_back(std::move(e));
      if (tok_.kind == TokenKind::kComma) {
        LL_CHECK(Advance());
        Pos len_pos = tok_.pos;
        if (tok_.kind != TokenKind::kInteger)
          return Fail(tok_.pos, Msg("expected the length of a fixed-length list, found ",
                                    Describe(tok_)));
        if (tok_.text.size() > 10 || std::stoull(tok_.text) == 0 ||
            std::stoull(tok_.text) > 0xffffffffull)
          return Fail(len_pos, Msg("fixed-length list length ", tok_.text,
                                   " is not in 1..4294967295"));
        t.length = static_cast<uint32_t>(std::stoull(tok_.text));
        LL_CHECK(Advance());
      }
      LL_CHECK(CloseAngle("list"));
      return t;
    }
    if (word == "option") {
      t.kind = TypeExpr::Kind::kOption;
      LL_CHECK(Advance());
      LL_CHECK(OpenAngle("option"));
      LL_TRY(TypeExpr e, ParseType(depth + 1));
      t.args.push_back(std::move(e));
      LL_CHECK(CloseAngle("option"));
      return t;
    }
    if (word == "result") {
      t.kind = TypeExpr::Kind::kResult;
      LL_CHECK(Advance());
      if (tok_.kind != TokenKind::kLAngle) return t;  // bare `result`
      LL_CHECK(Advance());
      t.args.resize(2);
      if (tok_.kind == TokenKind::kUnderscore) {
        LL_CHECK(Advance());
        if (tok_.kind != TokenKind::kComma && !vector_syntax_)
          return Fail(tok_.pos, "expected ',' after 'result<_' (write `result` for no types)");
      } else {
        LL_TRY(t.args[0], ParseType(depth + 1));
        t.has_ok = true;
      }
      if (tok_.kind == TokenKind::kComma) {
        LL_CHECK(Advance());
        if (tok_.kind == TokenKind::kUnderscore && vector_syntax_) {
          LL_CHECK(Advance());
        } else {
          LL_TRY(t.args[1], ParseType(depth + 1));
          t.has_err = true;
        }
      }
      LL_CHECK(CloseAngle("result"));
      return t;
    }
    if (word == "tuple") {
      t.kind = TypeExpr::Kind::kTuple;
      LL_CHECK(Advance());
      LL_CHECK(OpenAngle("tuple"));
      while (tok_.kind != TokenKind::kRAngle) {
        LL_TRY(TypeExpr e, ParseType(depth + 1));
        t.args.push_back(std::move(e));
        if (tok_.kind != TokenKind::kComma) break;
        LL_CHECK(Advance());
      }
      if (t.args.empty()) return Fail(tok_.pos, "a tuple needs at least one type");
      LL_CHECK(CloseAngle("tuple"));
      return t;
    }
    if (word == "map") {
      t.kind = TypeExpr::Kind::kMap;
      LL_CHECK(Advance());
      LL_CHECK(OpenAngle("map"));
      LL_TRY(TypeExpr k, ParseType(depth + 1));
      LL_CHECK(Expect(TokenKind::kComma, "between map key and value types"));
      LL_TRY(TypeExpr v, ParseType(depth + 1));
      t.args.push_back(std::move(k));
      t.args.push_back(std::move(v));
      LL_CHECK(CloseAngle("map"));
      return t;
    }
    if (word == "borrow" || word == "own") {
      t.kind = word == "borrow" ? TypeExpr::Kind::kBorrow : TypeExpr::Kind::kOwn;
      LL_CHECK(Advance());
      LL_CHECK(OpenAngle(word == "borrow" ? "borrow" : "own"));
      LL_TRY(t.name, ExpectId("a resource name"));
      LL_CHECK(CloseAngle(word == "borrow" ? "borrow" : "own"));
      return t;
    }
    if (word == "stream" || word == "future" || word == "error-context")
      return Fail(tok_.pos, Msg("'", word, "' (async) types are not supported"));
    if (vector_syntax_ &&
        (word == "record" || word == "variant" || word == "enum" || word == "flags")) {
      return ParseInlineCompound(word, depth);
    }
    if (IsKeyword(word))
      return Fail(tok_.pos, Msg("expected a type, found keyword '", word, "'"));
    t.kind = TypeExpr::Kind::kNamed;
    t.name = word;
    LL_CHECK(Advance());
    return t;
  }

  // record{x: u8}, variant{a(u8), b} or variant{a: u8, b}, enum{a}, flags{a}.
  Expected<TypeExpr> ParseInlineCompound(const std::string& word, int depth) {
    TypeExpr t;
    t.pos = tok_.pos;
    t.kind = word == "record"    ? TypeExpr::Kind::kRecord
             : word == "variant" ? TypeExpr::Kind::kVariant
             : word == "enum"    ? TypeExpr::Kind::kEnum
                                 : TypeExpr::Kind::kFlags;
    LL_CHECK(Advance());
    LL_CHECK(Expect(TokenKind::kLBrace, Msg("after '", word, "'")));
    while (tok_.kind != TokenKind::kRBrace) {
      TypeExpr::InlineField f;
      f.pos = tok_.pos;
      LL_TRY(f.label, ExpectLabel("a label"));
      if (t.kind == TypeExpr::Kind::kRecord) {
        LL_CHECK(Expect(TokenKind::kColon, "after the field name"));
        LL_TRY(f.type, ParseType(depth + 1));
      } else if (t.kind == TypeExpr::Kind::kVariant && tok_.kind == TokenKind::kLParen) {
        LL_CHECK(Advance());
        LL_TRY(f.type, ParseType(depth + 1));
        LL_CHECK(Expect(TokenKind::kRParen, "after the case type"));
      } else if (t.kind == TypeExpr::Kind::kVariant && tok_.kind == TokenKind::kColon) {
        LL_CHECK(Advance());
        LL_TRY(f.type, ParseType(depth + 1));
      }
      t.fields.push_back(std::move(f));
      if (tok_.kind != TokenKind::kComma) break;
      LL_CHECK(Advance());
    }
    LL_CHECK(Expect(TokenKind::kRBrace, Msg("to close ", word, "{...}")));
    return t;
  }

  // --- items --------------------------------------------------------------

  Expected<std::vector<FieldDecl>> ParseNamedTypeList(TokenKind close, const char* what) {
    std::vector<FieldDecl> list;
    while (tok_.kind != close) {
      FieldDecl f;
      f.pos = tok_.pos;
      f.docs = tok_.docs;
      LL_TRY(f.name, ExpectId(Msg("a ", what, " name")));
      LL_CHECK(Expect(TokenKind::kColon, Msg("after the ", what, " name")));
      LL_TRY(f.type, ParseType(0));
      list.push_back(std::move(f));
      if (tok_.kind != TokenKind::kComma) break;
      LL_CHECK(Advance());
    }
    return list;
  }

  // func-type after the name and ':' — `async`? `func (params) (-> results)?`
  Status ParseFuncType(FuncDecl* f) {
    if (IsKw("async")) return Fail(tok_.pos, "async functions are not supported");
    LL_CHECK(ExpectKw("func", "in a function type"));
    LL_CHECK(Expect(TokenKind::kLParen, "to start the parameters"));
    LL_TRY(f->params, ParseNamedTypeList(TokenKind::kRParen, "parameter"));
    LL_CHECK(Expect(TokenKind::kRParen, "after the parameters"));
    if (tok_.kind == TokenKind::kArrow) {
      LL_CHECK(Advance());
      if (tok_.kind == TokenKind::kLParen) {
        LL_CHECK(Advance());
        LL_TRY(f->results, ParseNamedTypeList(TokenKind::kRParen, "result"));
        LL_CHECK(Expect(TokenKind::kRParen, "after the results"));
      } else {
        FieldDecl r;
        r.pos = tok_.pos;
        LL_TRY(r.type, ParseType(0));
        f->results.push_back(std::move(r));
      }
    }
    return Ok{};
  }

  Status ParseLabels(TypeDecl* d, bool with_payload, bool with_type) {
    LL_CHECK(Expect(TokenKind::kLBrace, Msg("after the name of '", d->name, "'")));
    while (tok_.kind != TokenKind::kRBrace) {
      FieldDecl f;
      f.pos = tok_.pos;
      f.docs = tok_.docs;
      LL_TRY(f.name, ExpectId("a name"));
      if (with_type) {
        LL_CHECK(Expect(TokenKind::kColon, "after the field name"));
        LL_TRY(f.type, ParseType(0));
      } else if (with_payload && tok_.kind == TokenKind::kLParen) {
        LL_CHECK(Advance());
        LL_TRY(f.type, ParseType(0));
        LL_CHECK(Expect(TokenKind::kRParen, "after the case type"));
      }
      d->fields.push_back(std::move(f));
      if (tok_.kind != TokenKind::kComma) break;
      LL_CHECK(Advance());
    }
    return Expect(TokenKind::kRBrace, Msg("to close '", d->name, "'"));
  }

  // Resource methods, desugared as in WIT.md "Item: resource".
  Status ParseResourceBody(TypeDecl* d) {
    LL_CHECK(Advance());  // '{'
    while (tok_.kind != TokenKind::kRBrace) {
      LL_CHECK(SkipGates());
      FuncDecl f;
      f.pos = tok_.pos;
      f.docs = tok_.docs;
      FieldDecl self;
      self.pos = tok_.pos;
      self.name = "self";
      TypeExpr borrow;
      borrow.kind = TypeExpr::Kind::kBorrow;
      borrow.pos = tok_.pos;
      borrow.name = d->name;
      self.type = borrow;
      if (IsKw("constructor")) {
        LL_CHECK(Advance());
        f.name = "[constructor]" + d->name;
        LL_CHECK(Expect(TokenKind::kLParen, "after 'constructor'"));
        LL_TRY(f.params, ParseNamedTypeList(TokenKind::kRParen, "parameter"));
        LL_CHECK(Expect(TokenKind::kRParen, "after the parameters"));
        FieldDecl r;
        r.pos = f.pos;
        TypeExpr own;
        own.kind = TypeExpr::Kind::kOwn;
        own.pos = f.pos;
        own.name = d->name;
        r.type = own;
        f.results.push_back(std::move(r));
      } else {
        LL_TRY(std::string name, ExpectId("a method name"));
        LL_CHECK(Expect(TokenKind::kColon, "after the method name"));
        bool is_static = IsKw("static");
        if (is_static) { LL_CHECK(Advance()); }
        LL_CHECK(ParseFuncType(&f));
        f.name = Msg(is_static ? "[static]" : "[method]", d->name, ".", name);
        if (!is_static) f.params.insert(f.params.begin(), std::move(self));
      }
      LL_CHECK(Expect(TokenKind::kSemicolon, "after the resource function"));
      d->resource_funcs.push_back(std::move(f));
    }
    return Advance();
  }

  // One typedef, use or function of an interface or world. `*handled` is
  // false when the token starts none of them.
  Status ParseTypedefOrUse(std::vector<UseDecl>* uses, std::vector<TypeDecl>* types,
                           bool* handled) {
    *handled = true;
    std::string docs = tok_.docs;
    if (IsKw("use")) {
      LL_TRY(UseDecl u, ParseUse());
      uses->push_back(std::move(u));
      return Ok{};
    }
    TypeDecl d;
    d.pos = tok_.pos;
    d.docs = std::move(docs);
    if (IsKw("type")) {
      LL_CHECK(Advance());
      d.kind = TypeDecl::Kind::kAlias;
      LL_TRY(d.name, ExpectId("a type name"));
      LL_CHECK(Expect(TokenKind::kEquals, Msg("after 'type ", d.name, "'")));
      LL_TRY(d.alias, ParseType(0));
      LL_CHECK(Expect(TokenKind::kSemicolon, "after the type alias"));
    } else if (IsKw("record") || IsKw("variant") || IsKw("enum") || IsKw("flags")) {
      std::string kw = tok_.text;
      d.kind = kw == "record"    ? TypeDecl::Kind::kRecord
               : kw == "variant" ? TypeDecl::Kind::kVariant
               : kw == "enum"    ? TypeDecl::Kind::kEnum
                                 : TypeDecl::Kind::kFlags;
      LL_CHECK(Advance());
      LL_TRY(d.name, ExpectId(Msg("a ", kw, " name")));
      LL_CHECK(ParseLabels(&d, d.kind == TypeDecl::Kind::kVariant,
                           d.kind == TypeDecl::Kind::kRecord));
    } else if (IsKw("resource")) {
      LL_CHECK(Advance());
      d.kind = TypeDecl::Kind::kResource;
      LL_TRY(d.name, ExpectId("a resource name"));
      if (tok_.kind == TokenKind::kLBrace) {
        LL_CHECK(ParseResourceBody(&d));
      } else {
        LL_CHECK(Expect(TokenKind::kSemicolon, "after the resource name"));
      }
    } else {
      *handled = false;
      return Ok{};
    }
    types->push_back(std::move(d));
    return Ok{};
  }

  Status ParseInterfaceBody(InterfaceDecl* iface) {
    LL_CHECK(Expect(TokenKind::kLBrace, Msg("after 'interface ", iface->name, "'")));
    while (tok_.kind != TokenKind::kRBrace) {
      if (tok_.kind == TokenKind::kEof)
        return Fail(tok_.pos, Msg("expected '}' to close interface '", iface->name, "'"));
      LL_CHECK(SkipGates());
      bool handled = false;
      LL_CHECK(ParseTypedefOrUse(&iface->uses, &iface->types, &handled));
      if (handled) continue;
      FuncDecl f;
      f.pos = tok_.pos;
      f.docs = tok_.docs;
      LL_TRY(f.name, ExpectId("a function name, type definition or 'use'"));
      LL_CHECK(Expect(TokenKind::kColon, Msg("after '", f.name, "'")));
      LL_CHECK(ParseFuncType(&f));
      LL_CHECK(Expect(TokenKind::kSemicolon, "after the function type"));
      iface->funcs.push_back(std::move(f));
    }
    return Advance();
  }

  Status ParseWorldBody(WorldDecl* world) {
    LL_CHECK(Expect(TokenKind::kLBrace, Msg("after 'world ", world->name, "'")));
    while (tok_.kind != TokenKind::kRBrace) {
      if (tok_.kind == TokenKind::kEof)
        return Fail(tok_.pos, Msg("expected '}' to close world '", world->name, "'"));
      LL_CHECK(SkipGates());
      bool handled = false;
      LL_CHECK(ParseTypedefOrUse(&world->uses, &world->types, &handled));
      if (handled) continue;
      if (IsKw("include")) {
        IncludeDecl inc;
        inc.pos = tok_.pos;
        LL_CHECK(Advance());
        LL_TRY(inc.path, ParseUsePath());
        if (IsKw("with")) {
          LL_CHECK(Advance());
          LL_CHECK(Expect(TokenKind::kLBrace, "after 'with'"));
          while (tok_.kind != TokenKind::kRBrace) {
            UseName n;
            n.pos = tok_.pos;
            LL_TRY(n.name, ExpectId("a name to rename"));
            LL_CHECK(ExpectKw("as", "in 'include ... with'"));
            LL_TRY(n.alias, ExpectId("the new name"));
            inc.with.push_back(std::move(n));
            if (tok_.kind != TokenKind::kComma) break;
            LL_CHECK(Advance());
          }
          LL_CHECK(Expect(TokenKind::kRBrace, "to close 'with { ... }'"));
        }
        LL_CHECK(Expect(TokenKind::kSemicolon, "after include"));
        world->includes.push_back(std::move(inc));
        continue;
      }
      ExternDecl e;
      e.docs = tok_.docs;
      e.pos = tok_.pos;
      if (IsKw("import")) {
        e.is_import = true;
      } else if (IsKw("export")) {
        e.is_import = false;
      } else {
        return Fail(tok_.pos, Msg("expected 'import', 'export', 'use', 'include' or a type "
                                  "definition in world '", world->name, "', found ",
                                  Describe(tok_)));
      }
      LL_CHECK(Advance());
      LL_CHECK(ParseExtern(&e));
      world->externs.push_back(std::move(e));
    }
    return Advance();
  }

  // After 'import'/'export': `name: func...;`, `name: interface {...}` or
  // `path;`.
  Status ParseExtern(ExternDecl* e) {
    Pos pos = tok_.pos;
    UsePath path;
    path.pos = pos;
    LL_TRY(std::string first, ExpectId("an import or export name or ns:package/interface"));
    bool named = false;
    if (tok_.kind == TokenKind::kColon) {
      LL_CHECK(Advance());
      // `name: func ...` / `name: interface {...}`, else `ns:pkg/iface`.
      named = IsKw("func") || IsKw("async") || IsKw("interface");
      if (!named) {
        path.ns = first;
        LL_TRY(path, ParseUsePathAfterNamespace(std::move(path)));
      }
    } else {
      path.name = first;
    }
    if (named) {
      e->name = first;
      if (IsKw("interface")) {
        LL_CHECK(Advance());
        e->kind = ExternDecl::Kind::kInlineInterface;
        e->iface.name = e->name;
        e->iface.pos = pos;
        e->iface.docs = e->docs;
        return ParseInterfaceBody(&e->iface);
      }
      e->kind = ExternDecl::Kind::kFunc;
      e->func.name = e->name;
      e->func.pos = pos;
      e->func.docs = e->docs;
      LL_CHECK(ParseFuncType(&e->func));
      return Expect(TokenKind::kSemicolon, "after the function type");
    }
    e->kind = ExternDecl::Kind::kPath;
    e->path = std::move(path);
    return Expect(TokenKind::kSemicolon, Msg("after '", e->is_import ? "import " : "export ",
                                             e->path.ToString(), "'"));
  }

  Lexer lex_;
  Token tok_;
  bool vector_syntax_;
};

}  // namespace

Expected<Document> ParseDocument(std::string_view file, std::string_view text) {
  Parser p(file, text, /*vector_syntax=*/false);
  LL_CHECK(p.Start());
  return p.ParseFile();
}

Expected<TypeExpr> ParseValueTypeExpr(std::string_view file, std::string_view text) {
  Parser p(file, text, /*vector_syntax=*/true);
  LL_CHECK(p.Start());
  return p.ParseSingleType();
}

}  // namespace lazylink::wit
