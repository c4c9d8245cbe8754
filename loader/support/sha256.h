// lazylink: SHA-256 (FIPS 180-4), one-shot and incremental.
//
// The loader verifies every module against the manifest's hash before it is
// instantiated. WebCrypto does that on asynchronous paths, but it has no
// synchronous API, and the synchronous load path (workers, Node, lazy binding
// without JSPI) must verify before it instantiates; `lazylink pack` hashes
// natively too. Hence our own implementation, shared by both.
//
//   std::string hex = Sha256Hex(bytes.data(), bytes.size());  // 64 lowercase hex
//
//   Sha256Hasher h;
//   h.Update(chunk1, n1);
//   h.Update(chunk2, n2);
//   std::array<uint8_t, 32> digest = h.Finish();  // h is reset, ready for reuse
#ifndef LAZYLINK_SUPPORT_SHA256_H_
#define LAZYLINK_SUPPORT_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace lazylink {

inline constexpr size_t kSha256DigestSize = 32;
inline constexpr size_t kSha256BlockSize = 64;

// Hashes a message given in any number of pieces. Not thread safe.
class Sha256Hasher {
 public:
  Sha256Hasher() { Reset(); }

  // Appends `size` bytes; `data` may be null when `size` is 0.
  void Update(const uint8_t* data, size_t size);

  // Pads, returns the digest of everything appended since construction or
  // the last Finish(), and resets the hasher.
  [[nodiscard]] std::array<uint8_t, kSha256DigestSize> Finish();

  void Reset();

 private:
  void CompressBlocks(const uint8_t* blocks, size_t count);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, kSha256BlockSize> pending_;
  size_t pending_size_ = 0;
  uint64_t message_size_ = 0;  // bytes appended so far
};

[[nodiscard]] std::array<uint8_t, kSha256DigestSize> Sha256(const uint8_t* data, size_t size);

// The digest as 64 lowercase hex digits, the manifest's `sha256` spelling.
[[nodiscard]] std::string Sha256Hex(const uint8_t* data, size_t size);

[[nodiscard]] std::string DigestToHex(const std::array<uint8_t, kSha256DigestSize>& digest);

}  // namespace lazylink

#endif  // LAZYLINK_SUPPORT_SHA256_H_
