// lazylink: helpers for building WebAssembly bytes by hand in tests.
//
//   Bytes m = ModuleBytes({
//       Custom("dylink.0", Subsection(kMemInfo, Cat(Leb(16), Leb(2), Leb(0), Leb(0)))),
//       Section(kType, Cat(Leb(1), FuncSig({}, {})))});
//   Expected<wasm::Module> r = Read(m);
//
// Test-only; not part of the library.
#ifndef LAZYLINK_WASM_TEST_BUILDER_H_
#define LAZYLINK_WASM_TEST_BUILDER_H_

#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "loader/wasm/module.h"
#include "loader/wasm/reader.h"

namespace lazylink::wasm::testing {

using Bytes = std::vector<uint8_t>;

// Section ids and dylink.0 subsection ids, short for tables of test bytes.
inline constexpr uint8_t kCustom = 0, kType = 1, kImport = 2, kFunction = 3, kTable = 4,
                         kMemory = 5, kGlobal = 6, kExport = 7, kStart = 8, kElem = 9,
                         kCode = 10, kData = 11, kDataCount = 12, kTag = 13;
inline constexpr uint8_t kMemInfo = 1, kNeeded = 2, kExportInfo = 3, kImportInfo = 4,
                         kRuntimePath = 5;
inline constexpr uint8_t kI32 = 0x7f, kI64 = 0x7e, kF32 = 0x7d, kF64 = 0x7c, kFuncRef = 0x70,
                         kExternRef = 0x6f, kEnd = 0x0b;

inline void Append(Bytes& out, const Bytes& part) { out.insert(out.end(), part.begin(), part.end()); }

// Concatenation of byte strings.
template <typename... Parts>
Bytes Cat(const Parts&... parts) {
  Bytes out;
  (Append(out, Bytes(parts)), ...);
  return out;
}

// Unsigned LEB128, shortest form, or padded to `width` bytes (overlong
// encodings are valid up to ceil(N/7) bytes).
inline Bytes Leb(uint64_t v, size_t width = 0) {
  Bytes out;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v || out.size() + 1 < width) b |= 0x80;
    out.push_back(b);
  } while (v || out.size() < width);
  return out;
}

// Signed LEB128, shortest form.
inline Bytes SLeb(int64_t v) {
  Bytes out;
  for (;;) {
    uint8_t b = v & 0x7f;
    v >>= 7;  // arithmetic
    const bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    out.push_back(done ? b : (b | 0x80));
    if (done) return out;
  }
}

// A name: LEB128 length, then the bytes.
inline Bytes Str(std::string_view s) {
  Bytes out = Leb(s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// A section: id, LEB128 size, payload.
inline Bytes Section(uint8_t id, const Bytes& payload) {
  return Cat(Bytes{id}, Leb(payload.size()), payload);
}
inline Bytes Custom(std::string_view name, const Bytes& payload) {
  return Section(kCustom, Cat(Str(name), payload));
}
// A dylink.0 or name subsection: id (u8), LEB128 size, payload.
inline Bytes Subsection(uint8_t id, const Bytes& payload) {
  return Cat(Bytes{id}, Leb(payload.size()), payload);
}

inline Bytes FuncSig(std::initializer_list<uint8_t> params,
                     std::initializer_list<uint8_t> results) {
  return Cat(Bytes{0x60}, Leb(params.size()), Bytes(params), Leb(results.size()),
             Bytes(results));
}

// Magic, version 1, then the sections.
inline Bytes ModuleBytes(std::initializer_list<Bytes> sections) {
  Bytes out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  for (const Bytes& s : sections) Append(out, s);
  return out;
}
inline constexpr size_t kHeaderSize = 8;

inline Expected<wasm::Module> Read(const Bytes& bytes, const std::string& name = "test.wasm") {
  return ReadModule(bytes.data(), bytes.size(), {name});
}

inline bool ReadFileBytes(const std::string& path, Bytes& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

inline bool WriteFileBytes(const std::string& path, const Bytes& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(f);
}

}  // namespace lazylink::wasm::testing

#endif  // LAZYLINK_WASM_TEST_BUILDER_H_
