#include "loader/wit/lexer.h"

#include <vector>

#include <gtest/gtest.h>

namespace lazylink::wit {
namespace {

std::vector<Token> LexAll(std::string_view text) {
  Lexer lex("t.wit", text);
  std::vector<Token> out;
  for (;;) {
    auto t = lex.Next();
    EXPECT_TRUE(t.ok()) << t.error().Format();
    if (!t.ok() || t->kind == TokenKind::kEof) break;
    out.push_back(*t);
  }
  return out;
}

std::string LexError(std::string_view text) {
  Lexer lex("t.wit", text);
  for (;;) {
    auto t = lex.Next();
    if (!t.ok()) return t.error().Format();
    if (t->kind == TokenKind::kEof) return "";
  }
}

TEST(WitLexer, TracksLinesAndColumnsInCodePoints) {
  auto toks = LexAll("// é comment\n  /* ü */ foo-bar: %type ->");
  ASSERT_EQ(4u, toks.size());
  EXPECT_EQ("foo-bar", toks[0].text);
  EXPECT_EQ(2u, toks[0].pos.line);
  EXPECT_EQ(11u, toks[0].pos.column);
  EXPECT_EQ(TokenKind::kColon, toks[1].kind);
  EXPECT_TRUE(toks[2].explicit_id);
  EXPECT_EQ("type", toks[2].text);
  EXPECT_EQ(TokenKind::kArrow, toks[3].kind);
  EXPECT_EQ(26u, toks[3].pos.column);
}

TEST(WitLexer, NestedBlockCommentsAndDocComments) {
  auto toks = LexAll("/* a /* b */ c */ /// first\n/// second\n/** block */ x");
  ASSERT_EQ(1u, toks.size());
  EXPECT_EQ("first\nsecond\n block \n", toks[0].docs);
}

TEST(WitLexer, VersionsOnlyAfterAt) {
  auto toks = LexAll("a:b@1.2.3-rc.1+build 7");
  ASSERT_EQ(6u, toks.size());
  EXPECT_EQ(TokenKind::kVersion, toks[4].kind);
  EXPECT_EQ("1.2.3-rc.1+build", toks[4].text);
  EXPECT_EQ(TokenKind::kInteger, toks[5].kind);
}

TEST(WitLexer, RejectsBadInputWithPositions) {
  EXPECT_EQ("t.wit:1:3: unterminated block comment", LexError("x /* /* */"));
  EXPECT_EQ("t.wit:2:1: invalid identifier 'my_x': use kebab-case words, each all lowercase or all "
            "uppercase",
            LexError("a\nmy_x"));
  EXPECT_EQ("t.wit:1:1: invalid identifier 'fooBar': use kebab-case words, each all lowercase or "
            "all uppercase",
            LexError("fooBar"));
  EXPECT_EQ("t.wit:1:3: unexpected character '$'", LexError("a $"));
  EXPECT_EQ("t.wit:1:1: identifiers must start with a letter", LexError("2api"));
  EXPECT_EQ("t.wit:1:2: control character 0x01 in WIT text", LexError("a\x01"));
}

TEST(WitLexer, Labels) {
  EXPECT_TRUE(IsValidLabel("http-client"));
  EXPECT_TRUE(IsValidLabel("XML-parser"));
  EXPECT_TRUE(IsValidLabel("utf-8"));
  EXPECT_FALSE(IsValidLabel("a--b"));
  EXPECT_FALSE(IsValidLabel("a-"));
  EXPECT_FALSE(IsValidLabel("Ab"));
  EXPECT_TRUE(IsKeyword("interface"));
  EXPECT_FALSE(IsKeyword("point"));
}

}  // namespace
}  // namespace lazylink::wit
