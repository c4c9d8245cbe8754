// SHA-256 for the JS edge: `core.sha256Hex(uint8Array)` returns 64 lowercase
// hex digits. web/net uses it where WebCrypto cannot serve: synchronous
// loads, which must verify a module before instantiating it, and pages
// without a secure context (no crypto.subtle).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <string>
#include <vector>

#include "loader/support/sha256.h"

namespace lazylink {
namespace {

// Bytes are copied into wasm memory a window at a time, so hashing a large
// module does not double its footprint in the core's heap.
constexpr size_t kWindow = 256 * 1024;

std::string Sha256HexJs(const emscripten::val& bytes) {
  const size_t size = bytes["length"].as<size_t>();
  std::vector<uint8_t> window(std::min(size, kWindow));
  Sha256Hasher hasher;
  for (size_t at = 0; at < size;) {
    const size_t n = std::min(kWindow, size - at);
    // A fresh view every time: the heap may have grown (and moved) since.
    emscripten::val view(emscripten::typed_memory_view(n, window.data()));
    view.call<void>("set", bytes.call<emscripten::val>("subarray", at, at + n));
    hasher.Update(window.data(), n);
    at += n;
  }
  return DigestToHex(hasher.Finish());
}

EMSCRIPTEN_BINDINGS(lazylink_hash) {
  emscripten::function("sha256Hex", &Sha256HexJs);
}

}  // namespace
}  // namespace lazylink
