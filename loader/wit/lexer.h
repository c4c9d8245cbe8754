// lazylink: tokens of WIT text (WIT.md, "Lexical structure").
//
// Positions are 1-based lines and columns; columns count Unicode code points.
// Comments are skipped; doc comments (`///`, `/** */`) are attached to the
// next token so the parser can keep them with the item they document.
//
//   Lexer lex("plugin.wit", text);
//   LL_TRY(Token t, lex.Next());
//   if (t.kind == TokenKind::kId) ...
#ifndef LAZYLINK_WIT_LEXER_H_
#define LAZYLINK_WIT_LEXER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "loader/support/expected.h"

namespace lazylink::wit {

struct Pos {
  uint32_t line = 1;
  uint32_t column = 1;
};

enum class TokenKind : uint8_t {
  kEof,
  kId,          // a label or keyword; `explicit_id` when written with '%'
  kInteger,     // [0-9]+
  kVersion,     // the semver after '@' (lexed only right after '@')
  kEquals,      // =
  kComma,       // ,
  kColon,       // :
  kSemicolon,   // ;
  kLParen,      // (
  kRParen,      // )
  kLBrace,      // {
  kRBrace,      // }
  kLAngle,      // <
  kRAngle,      // >
  kStar,        // *
  kArrow,       // ->
  kSlash,       // /
  kDot,         // .
  kAt,          // @
  kUnderscore,  // _
};

const char* TokenKindName(TokenKind kind);  // "'>'", "identifier", ...

struct Token {
  TokenKind kind = TokenKind::kEof;
  std::string text;  // identifier (without '%'), integer or version text
  bool explicit_id = false;
  Pos pos;
  std::string docs;  // doc comments right before this token, one line each
};

// "file:line:col"
std::string FormatPos(std::string_view file, Pos pos);

class Lexer {
 public:
  Lexer(std::string_view file, std::string_view text) : file_(file), text_(text) {}

  Expected<Token> Next();
  std::string_view file() const { return file_; }
  Error ErrorAt(Pos pos, std::string message) const {
    return Error(FormatPos(file_, pos), std::move(message));
  }

 private:
  bool AtEnd() const { return i_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0';
  }
  void Advance();  // one byte, tracking line and column
  Status SkipSpaceAndComments(std::string* docs);

  std::string_view file_;
  std::string_view text_;
  size_t i_ = 0;
  Pos pos_;
  bool after_at_ = false;
};

// Is `name` a valid WIT label: kebab-case fragments, each all-lowercase or
// all-uppercase, the first starting with a letter? (Explainer.md, "label")
bool IsValidLabel(std::string_view name);
// Is `name` one of WIT's reserved words?
bool IsKeyword(std::string_view name);

}  // namespace lazylink::wit

#endif  // LAZYLINK_WIT_LEXER_H_
