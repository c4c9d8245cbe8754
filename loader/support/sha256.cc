// SHA-256 as specified in FIPS 180-4 (section numbers below refer to it).
#include "loader/support/sha256.h"

#include <algorithm>
#include <cstring>

namespace lazylink {
namespace {

// 4.2.2: the first 32 bits of the fractional parts of the cube roots of the
// first 64 primes.
constexpr uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// 5.3.3: the first 32 bits of the fractional parts of the square roots of
// the first 8 primes.
constexpr std::array<uint32_t, 8> kInitial = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

inline uint32_t RotR(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

// 4.1.2, (4.2)-(4.7).
inline uint32_t Ch(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (~x & z); }
inline uint32_t Maj(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (x & z) ^ (y & z); }
inline uint32_t BigSigma0(uint32_t x) { return RotR(x, 2) ^ RotR(x, 13) ^ RotR(x, 22); }
inline uint32_t BigSigma1(uint32_t x) { return RotR(x, 6) ^ RotR(x, 11) ^ RotR(x, 25); }
inline uint32_t SmallSigma0(uint32_t x) { return RotR(x, 7) ^ RotR(x, 18) ^ (x >> 3); }
inline uint32_t SmallSigma1(uint32_t x) { return RotR(x, 17) ^ RotR(x, 19) ^ (x >> 10); }

inline uint32_t LoadBigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

inline void StoreBigEndian32(uint32_t v, uint8_t* p) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

}  // namespace

void Sha256Hasher::Reset() {
  state_ = kInitial;
  pending_size_ = 0;
  message_size_ = 0;
}

// One round of 6.2.2 step 3. Rather than shifting eight working variables
// down each round, the callers rotate the names they pass: eight rounds in
// a row bring every variable back to its own name.
#define LAZYLINK_SHA256_ROUND(a, b, c, d, e, f, g, h, t)              \
  do {                                                               \
    const uint32_t t1 = h + BigSigma1(e) + Ch(e, f, g) + kRound[t] + w[t]; \
    d += t1;                                                         \
    h = t1 + BigSigma0(a) + Maj(a, b, c);                            \
  } while (0)

// 6.2.2: the hash computation, one 512-bit block at a time.
void Sha256Hasher::CompressBlocks(const uint8_t* blocks, size_t count) {
  uint32_t w[64];
  for (; count > 0; --count, blocks += kSha256BlockSize) {
    for (int t = 0; t < 16; ++t) w[t] = LoadBigEndian32(blocks + 4 * t);
    for (int t = 16; t < 64; ++t) {
      w[t] = SmallSigma1(w[t - 2]) + w[t - 7] + SmallSigma0(w[t - 15]) + w[t - 16];
    }
    uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
    uint32_t e = state_[4], f = state_[5], g = state_[6], h = state_[7];
    for (int t = 0; t < 64; t += 8) {
      LAZYLINK_SHA256_ROUND(a, b, c, d, e, f, g, h, t);
      LAZYLINK_SHA256_ROUND(h, a, b, c, d, e, f, g, t + 1);
      LAZYLINK_SHA256_ROUND(g, h, a, b, c, d, e, f, t + 2);
      LAZYLINK_SHA256_ROUND(f, g, h, a, b, c, d, e, t + 3);
      LAZYLINK_SHA256_ROUND(e, f, g, h, a, b, c, d, t + 4);
      LAZYLINK_SHA256_ROUND(d, e, f, g, h, a, b, c, t + 5);
      LAZYLINK_SHA256_ROUND(c, d, e, f, g, h, a, b, t + 6);
      LAZYLINK_SHA256_ROUND(b, c, d, e, f, g, h, a, t + 7);
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
    state_[4] += e;
    state_[5] += f;
    state_[6] += g;
    state_[7] += h;
  }
}

#undef LAZYLINK_SHA256_ROUND

void Sha256Hasher::Update(const uint8_t* data, size_t size) {
  if (size == 0) return;
  message_size_ += size;
  if (pending_size_ > 0) {
    const size_t take = std::min(size, kSha256BlockSize - pending_size_);
    std::memcpy(pending_.data() + pending_size_, data, take);
    pending_size_ += take;
    data += take;
    size -= take;
    if (pending_size_ < kSha256BlockSize) return;
    CompressBlocks(pending_.data(), 1);
    pending_size_ = 0;
  }
  // Whole blocks straight from the caller's buffer, no copy.
  const size_t whole = size / kSha256BlockSize;
  CompressBlocks(data, whole);
  data += whole * kSha256BlockSize;
  size -= whole * kSha256BlockSize;
  if (size > 0) {
    std::memcpy(pending_.data(), data, size);
    pending_size_ = size;
  }
}

std::array<uint8_t, kSha256DigestSize> Sha256Hasher::Finish() {
  // 5.1.1: a 1 bit, zeros up to 448 mod 512 bits, then the message length in
  // bits as a 64-bit big-endian integer.
  const uint64_t bit_length = message_size_ * 8;
  uint8_t tail[2 * kSha256BlockSize] = {};
  const size_t tail_size = pending_size_ < 56 ? kSha256BlockSize : 2 * kSha256BlockSize;
  std::memcpy(tail, pending_.data(), pending_size_);
  tail[pending_size_] = 0x80;
  for (int i = 0; i < 8; ++i) {
    tail[tail_size - 1 - i] = static_cast<uint8_t>(bit_length >> (8 * i));
  }
  CompressBlocks(tail, tail_size / kSha256BlockSize);

  std::array<uint8_t, kSha256DigestSize> digest;
  for (size_t i = 0; i < state_.size(); ++i) StoreBigEndian32(state_[i], digest.data() + 4 * i);
  Reset();
  return digest;
}

std::array<uint8_t, kSha256DigestSize> Sha256(const uint8_t* data, size_t size) {
  Sha256Hasher hasher;
  hasher.Update(data, size);
  return hasher.Finish();
}

std::string DigestToHex(const std::array<uint8_t, kSha256DigestSize>& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * digest.size(), '0');
  for (size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

std::string Sha256Hex(const uint8_t* data, size_t size) { return DigestToHex(Sha256(data, size)); }

}  // namespace lazylink
