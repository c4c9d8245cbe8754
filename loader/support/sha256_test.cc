#include "loader/support/sha256.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace lazylink {
namespace {

std::string HexOf(const std::string& s) {
  return Sha256Hex(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string HexOf(const std::vector<uint8_t>& v) { return Sha256Hex(v.data(), v.size()); }

// Deterministic, not all one byte value, so that a misplaced block shows.
std::vector<uint8_t> Pattern(size_t n) {
  std::vector<uint8_t> out(n);
  uint32_t x = 0x12345678;
  for (auto& b : out) {
    x = x * 1103515245 + 12345;
    b = static_cast<uint8_t>(x >> 16);
  }
  return out;
}

// FIPS 180-4 examples published by NIST (SHA256.pdf, "Example Algorithm"
// documents): one block, two blocks, and the long message.
TEST(Sha256, NistOneBlockMessage) {
  EXPECT_EQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", HexOf("abc"));
}

TEST(Sha256, NistTwoBlockMessage) {
  EXPECT_EQ("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            HexOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
}

TEST(Sha256, Nist896BitMessage) {
  EXPECT_EQ("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
            HexOf("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                  "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"));
}

TEST(Sha256, EmptyMessage) {
  EXPECT_EQ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            Sha256Hex(nullptr, 0));
}

TEST(Sha256, NistMillionA) {
  const std::string a(1000000, 'a');
  const char* expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  EXPECT_EQ(expected, HexOf(a));
  // The same message fed in 1000-byte and in uneven pieces.
  Sha256Hasher even;
  for (size_t i = 0; i < a.size(); i += 1000) {
    even.Update(reinterpret_cast<const uint8_t*>(a.data()) + i, 1000);
  }
  EXPECT_EQ(expected, DigestToHex(even.Finish()));
  Sha256Hasher uneven;
  size_t at = 0;
  for (size_t piece = 1; at < a.size(); piece = piece * 3 % 1021 + 1) {
    const size_t n = std::min(piece, a.size() - at);
    uneven.Update(reinterpret_cast<const uint8_t*>(a.data()) + at, n);
    at += n;
  }
  EXPECT_EQ(expected, DigestToHex(uneven.Finish()));
}

// Lengths around the padding boundaries (55 bytes is the longest message
// whose padding fits in one block; 56 needs a second). Expected values
// computed with coreutils sha256sum.
TEST(Sha256, PaddingBoundaries) {
  struct Case {
    size_t length;
    const char* hex;
  };
  const Case cases[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
      {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
      {128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.hex, HexOf(std::string(c.length, 'a'))) << c.length << " bytes";
  }
  EXPECT_EQ("541b3e9daa09b20bf85fa273e5cbd3e80185aa4ec298e765db87742b70138a53",
            HexOf(std::vector<uint8_t>(1000, 0)));
  EXPECT_EQ("d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592",
            HexOf("The quick brown fox jumps over the lazy dog"));
}

// Every way of cutting a multi-block message in two, and in three, gives the
// one-shot digest.
TEST(Sha256, AnySplitMatchesOneShot) {
  const std::vector<uint8_t> msg = Pattern(200);
  const std::string whole = HexOf(msg);
  Sha256Hasher h;
  for (size_t cut = 0; cut <= msg.size(); ++cut) {
    h.Update(msg.data(), cut);
    h.Update(msg.data() + cut, msg.size() - cut);
    ASSERT_EQ(whole, DigestToHex(h.Finish())) << "cut at " << cut;
  }
  for (size_t first = 0; first <= msg.size(); first += 7) {
    for (size_t second = first; second <= msg.size(); second += 13) {
      h.Update(msg.data(), first);
      h.Update(msg.data() + first, second - first);
      h.Update(msg.data() + second, msg.size() - second);
      ASSERT_EQ(whole, DigestToHex(h.Finish())) << "cuts at " << first << ", " << second;
    }
  }
}

TEST(Sha256, ByteAtATime) {
  const std::vector<uint8_t> msg = Pattern(1000);
  Sha256Hasher h;
  for (uint8_t b : msg) h.Update(&b, 1);
  EXPECT_EQ(HexOf(msg), DigestToHex(h.Finish()));
}

TEST(Sha256, FinishResetsForReuse) {
  Sha256Hasher h;
  h.Update(reinterpret_cast<const uint8_t*>("ab"), 2);
  h.Update(nullptr, 0);
  h.Update(reinterpret_cast<const uint8_t*>("c"), 1);
  EXPECT_EQ(HexOf("abc"), DigestToHex(h.Finish()));
  EXPECT_EQ(HexOf(""), DigestToHex(h.Finish()));
  h.Update(reinterpret_cast<const uint8_t*>("abc"), 3);
  EXPECT_EQ(Sha256(reinterpret_cast<const uint8_t*>("abc"), 3), h.Finish());
}

TEST(Sha256, HexIsLowercaseAndMatchesDigest) {
  const auto digest = Sha256(reinterpret_cast<const uint8_t*>("abc"), 3);
  EXPECT_EQ(0xba, digest[0]);
  EXPECT_EQ(0xad, digest[31]);
  const std::string hex = DigestToHex(digest);
  ASSERT_EQ(64u, hex.size());
  EXPECT_EQ(std::string::npos, hex.find_first_not_of("0123456789abcdef"));
}

}  // namespace
}  // namespace lazylink
