// lazylink: the one bounds-checked reader of WebAssembly bytes.
//
// A Cursor reads forward through a window [pos, end) of a module's bytes.
// Every read names what it reads; that name becomes the error text, and every
// error carries the absolute byte offset where the failing item starts and
// the context path of the cursor ("import[3]", "dylink.0/mem-info").
// Windows only ever narrow, and only after checking that they fit.
//
//   Cursor c(bytes, size, "module");
//   LL_TRY(Cursor section, c.ReadSized("section size", "section"));
//   section.set_context("dylink.0/mem-info");
//   LL_TRY(uint32_t mem_size, section.ReadU32Leb("mem_size"));
//   LL_CHECK(section.ExpectEnd());
#ifndef LAZYLINK_WASM_CURSOR_H_
#define LAZYLINK_WASM_CURSOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "loader/support/expected.h"

namespace lazylink::wasm {

class Cursor {
 public:
  // A cursor over the whole input; offsets are relative to `data`.
  Cursor(const uint8_t* data, size_t size, const char* region)
      : base_(data), pos_(data), end_(data + size), region_(region) {}

  uint64_t offset() const { return static_cast<uint64_t>(pos_ - base_); }
  uint64_t end_offset() const { return static_cast<uint64_t>(end_ - base_); }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  bool at_end() const { return pos_ == end_; }
  const uint8_t* pos() const { return pos_; }
  const uint8_t* base() const { return base_; }

  // The context path for errors: "import", "dylink.0/needed". `entry` >= 0
  // appends "[entry]". The string must outlive the cursor (a literal or a
  // string owned by the caller).
  void set_context(std::string_view context, int64_t entry = -1) {
    context_ = context;
    entry_ = entry;
  }
  void set_entry(int64_t entry) { entry_ = entry; }
  std::string_view context() const { return context_; }
  std::string ContextString() const;

  // "module", "section", "subsection": used in "runs past the end of the ...".
  const char* region() const { return region_; }

  // Fixed-size reads.
  Expected<uint8_t> ReadU8(const char* desc);
  Expected<uint32_t> ReadU32Fixed(const char* desc);  // little-endian
  Expected<uint64_t> ReadU64Fixed(const char* desc);

  // LEB128 (spec 5.2.2). Three distinct failures: the bytes run past the end
  // of the window; the encoding is longer than ceil(N/7) bytes; the last byte
  // carries bits that do not fit in N bits.
  Expected<uint32_t> ReadU32Leb(const char* desc) {
    if (pos_ < end_ && *pos_ < 0x80) return static_cast<uint32_t>(*pos_++);
    return ReadU32LebSlow(desc);
  }
  Expected<uint64_t> ReadU64Leb(const char* desc);
  Expected<int32_t> ReadS32Leb(const char* desc);
  Expected<int64_t> ReadS64Leb(const char* desc);

  // A count of entries, checked against `limit` and against the bytes left
  // (each entry takes at least `min_entry_size` bytes) before the caller
  // allocates anything for it.
  Expected<uint32_t> ReadCount(const char* desc, uint32_t limit, size_t min_entry_size = 1);

  // Raw bytes.
  Expected<std::string_view> ReadBytes(size_t n, const char* desc);
  // A name (spec 5.2.4): u32 length, then that many bytes of valid UTF-8.
  Expected<std::string_view> ReadName(const char* desc);
  Status Skip(size_t n, const char* desc);

  // Reads a u32 size and returns a cursor over the next `size` bytes, named
  // `region`; this cursor moves past them. Fails if they do not fit.
  Expected<Cursor> ReadSized(const char* desc, const char* region);
  // The same for a size already read (at `size_offset`).
  Expected<Cursor> Narrow(uint64_t size, uint64_t size_offset, const char* region);

  // Succeeds only if the whole window has been consumed.
  Status ExpectEnd() const;

  // An error at `offset` in this cursor's context.
  Error Fail(uint64_t offset, std::string message) const;
  // An error at the current position.
  Error FailHere(std::string message) const { return Fail(offset(), std::move(message)); }

 private:
  Expected<uint32_t> ReadU32LebSlow(const char* desc);
  Error RunsPastEnd(uint64_t at, const char* desc, const char* what) const;

  const uint8_t* base_;
  const uint8_t* pos_;
  const uint8_t* end_;
  const char* region_;
  std::string_view context_;
  int64_t entry_ = -1;
};

// True if [data, data + size) is valid UTF-8 (no surrogates, no overlongs).
bool IsValidUtf8(const uint8_t* data, size_t size);

}  // namespace lazylink::wasm

#endif  // LAZYLINK_WASM_CURSOR_H_
