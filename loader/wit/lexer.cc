#include "loader/wit/lexer.h"

#include <algorithm>
#include <cstring>

namespace lazylink::wit {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsLower(c) || IsUpper(c) || IsDigit(c); }

// WIT keywords (WIT.md "Keywords", including type names and the newer
// `map`, `async`, `stream`, `future`, `error-context`).
constexpr const char* kKeywords[] = {
    "as",     "async",  "bool",     "borrow",    "char",          "constructor", "enum",
    "export", "f32",    "f64",      "flags",     "from",          "func",        "future",
    "import", "include", "interface", "list",    "map",           "option",      "own",
    "package", "record", "resource", "result",   "s16",           "s32",         "s64",
    "s8",     "static", "stream",   "string",    "tuple",         "type",        "u16",
    "u32",    "u64",    "u8",       "use",       "variant",       "with",        "world",
    "error-context",
};

}  // namespace

const char* TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEof: return "end of input";
    case TokenKind::kId: return "identifier";
    case TokenKind::kInteger: return "integer";
    case TokenKind::kVersion: return "version";
    case TokenKind::kEquals: return "'='";
    case TokenKind::kComma: return "','";
    case TokenKind::kColon: return "':'";
    case TokenKind::kSemicolon: return "';'";
    case TokenKind::kLParen: return "'('";
    case TokenKind::kRParen: return "')'";
    case TokenKind::kLBrace: return "'{'";
    case TokenKind::kRBrace: return "'}'";
    case TokenKind::kLAngle: return "'<'";
    case TokenKind::kRAngle: return "'>'";
    case TokenKind::kStar: return "'*'";
    case TokenKind::kArrow: return "'->'";
    case TokenKind::kSlash: return "'/'";
    case TokenKind::kDot: return "'.'";
    case TokenKind::kAt: return "'@'";
    case TokenKind::kUnderscore: return "'_'";
  }
  return "?";
}

std::string FormatPos(std::string_view file, Pos pos) {
  return Msg(file, ":", pos.line, ":", pos.column);
}

bool IsKeyword(std::string_view name) {
  return std::any_of(std::begin(kKeywords), std::end(kKeywords),
                     [&](const char* k) { return name == k; });
}

bool IsValidLabel(std::string_view name) {
  if (name.empty()) return false;
  size_t start = 0;
  bool first = true;
  while (start <= name.size()) {
    size_t end = name.find('-', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view frag = name.substr(start, end - start);
    if (frag.empty()) return false;
    if (first && !IsLower(frag[0]) && !IsUpper(frag[0])) return false;
    bool has_lower = false, has_upper = false;
    for (char c : frag) {
      if (IsLower(c)) has_lower = true;
      else if (IsUpper(c)) has_upper = true;
      else if (!IsDigit(c)) return false;
    }
    if (has_lower && has_upper) return false;
    first = false;
    start = end + 1;
    if (end == name.size()) break;
  }
  return true;
}

void Lexer::Advance() {
  char c = text_[i_++];
  if (c == '\n') {
    ++pos_.line;
    pos_.column = 1;
  } else if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) {
    ++pos_.column;  // count code points, not UTF-8 continuation bytes
  }
}

Status Lexer::SkipSpaceAndComments(std::string* docs) {
  while (!AtEnd()) {
    char c = Peek();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      Advance();
      continue;
    }
    if (c == '/' && Peek(1) == '/') {
      bool doc = Peek(2) == '/' && Peek(3) != '/';
      size_t begin = i_ + (doc ? 3 : 2);
      while (!AtEnd() && Peek() != '\n') Advance();
      if (doc) {
        std::string_view line = text_.substr(begin, i_ - begin);
        if (!line.empty() && line[0] == ' ') line.remove_prefix(1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        docs->append(line);
        docs->push_back('\n');
      }
      continue;
    }
    if (c == '/' && Peek(1) == '*') {
      Pos start = pos_;
      bool doc = Peek(2) == '*' && Peek(3) != '*' && Peek(3) != '/';
      size_t begin = i_ + (doc ? 3 : 2);
      Advance();
      Advance();
      int depth = 1;  // block comments nest (WIT.md "Comments")
      while (depth > 0) {
        if (AtEnd()) return ErrorAt(start, "unterminated block comment");
        if (Peek() == '/' && Peek(1) == '*') {
          Advance();
          Advance();
          ++depth;
        } else if (Peek() == '*' && Peek(1) == '/') {
          Advance();
          Advance();
          --depth;
        } else {
          Advance();
        }
      }
      if (doc) {
        docs->append(text_.substr(begin, i_ - 2 - begin));
        docs->push_back('\n');
      }
      continue;
    }
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      const char* hex = "0123456789abcdef";
      return ErrorAt(pos_, Msg("control character 0x", hex[u >> 4], hex[u & 15], " in WIT text"));
    }
    break;
  }
  return Ok{};
}

Expected<Token> Lexer::Next() {
  Token t;
  LL_CHECK(SkipSpaceAndComments(&t.docs));
  t.pos = pos_;
  bool version_next = after_at_;
  after_at_ = false;
  if (AtEnd()) return t;
  char c = Peek();

  if (version_next && IsDigit(c)) {
    // A semver after '@': digits, letters, '.', '-', '+'.
    size_t begin = i_;
    // '.', '-' and '+' only inside the version: `iface@1.0.0.{name}` ends at the '.'.
    while (!AtEnd() && (IsAlnum(Peek()) ||
                        ((Peek() == '.' || Peek() == '-' || Peek() == '+') && IsAlnum(Peek(1)))))
      Advance();
    t.kind = TokenKind::kVersion;
    t.text = std::string(text_.substr(begin, i_ - begin));
    return t;
  }
  if (IsDigit(c)) {
    size_t begin = i_;
    while (!AtEnd() && IsDigit(Peek())) Advance();
    if (!AtEnd() && (IsLower(Peek()) || IsUpper(Peek())))
      return ErrorAt(t.pos, "identifiers must start with a letter");
    t.kind = TokenKind::kInteger;
    t.text = std::string(text_.substr(begin, i_ - begin));
    return t;
  }
  if (c == '%' || IsLower(c) || IsUpper(c)) {
    if (c == '%') {
      t.explicit_id = true;
      Advance();
      if (AtEnd() || !(IsAlnum(Peek()) || Peek() == '[')) return ErrorAt(t.pos, "expected an identifier after '%'");
    }
    size_t begin = i_;
    // `%[method]r.f` style names are accepted after '%' for resource sugar.
    while (!AtEnd()) {
      char d = Peek();
      if (IsAlnum(d) || d == '_') {
        Advance();
      } else if (d == '-' && IsAlnum(Peek(1))) {
        Advance();
      } else if (t.explicit_id && (d == '[' || d == ']' || (d == '.' && IsAlnum(Peek(1))))) {
        Advance();
      } else {
        break;
      }
    }
    t.kind = TokenKind::kId;
    t.text = std::string(text_.substr(begin, i_ - begin));
    bool sugar = t.explicit_id && !t.text.empty() && t.text[0] == '[';
    if (!sugar && !IsValidLabel(t.text))
      return ErrorAt(t.pos, Msg("invalid identifier '", t.text,
                                "': use kebab-case words, each all lowercase or all uppercase"));
    return t;
  }
  Advance();
  switch (c) {
    case '=': t.kind = TokenKind::kEquals; return t;
    case ',': t.kind = TokenKind::kComma; return t;
    case ':': t.kind = TokenKind::kColon; return t;
    case ';': t.kind = TokenKind::kSemicolon; return t;
    case '(': t.kind = TokenKind::kLParen; return t;
    case ')': t.kind = TokenKind::kRParen; return t;
    case '{': t.kind = TokenKind::kLBrace; return t;
    case '}': t.kind = TokenKind::kRBrace; return t;
    case '<': t.kind = TokenKind::kLAngle; return t;
    case '>': t.kind = TokenKind::kRAngle; return t;
    case '*': t.kind = TokenKind::kStar; return t;
    case '/': t.kind = TokenKind::kSlash; return t;
    case '.': t.kind = TokenKind::kDot; return t;
    case '_': t.kind = TokenKind::kUnderscore; return t;
    case '@':
      t.kind = TokenKind::kAt;
      after_at_ = true;
      return t;
    case '-':
      if (Peek() == '>') {
        Advance();
        t.kind = TokenKind::kArrow;
        return t;
      }
      break;
    default: break;
  }
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x80) return ErrorAt(t.pos, "unexpected non-ASCII character");
  return ErrorAt(t.pos, Msg("unexpected character '", c, "'"));
}

}  // namespace lazylink::wit
