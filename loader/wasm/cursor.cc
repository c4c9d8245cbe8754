#include "loader/wasm/cursor.h"

#include <cstring>

namespace lazylink::wasm {

std::string Cursor::ContextString() const {
  std::string out(context_);
  if (entry_ >= 0) {
    out += '[';
    out += std::to_string(entry_);
    out += ']';
  }
  return out;
}

Error Cursor::Fail(uint64_t offset, std::string message) const {
  return Error(ContextString(), std::move(message), offset);
}

Error Cursor::RunsPastEnd(uint64_t at, const char* desc, const char* what) const {
  return Fail(at, Msg(desc, ": ", what, " runs past the end of the ", region_));
}

Expected<uint8_t> Cursor::ReadU8(const char* desc) {
  if (pos_ >= end_) return RunsPastEnd(offset(), desc, "byte");
  return *pos_++;
}

Expected<uint32_t> Cursor::ReadU32Fixed(const char* desc) {
  if (remaining() < 4) return RunsPastEnd(offset(), desc, "4-byte value");
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | pos_[i];
  pos_ += 4;
  return v;
}

Expected<uint64_t> Cursor::ReadU64Fixed(const char* desc) {
  if (remaining() < 8) return RunsPastEnd(offset(), desc, "8-byte value");
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | pos_[i];
  pos_ += 8;
  return v;
}

// The LEB128 decoders share one shape: at most `max_bytes` bytes; the last
// allowed byte must not continue and must only carry bits that fit (for
// signed values: copies of the sign bit).
Expected<uint32_t> Cursor::ReadU32LebSlow(const char* desc) {
  const uint64_t start = offset();
  const uint8_t* p = pos_;
  uint32_t result = 0;
  for (int i = 0; i < 5; ++i) {
    if (p >= end_) return RunsPastEnd(start, desc, "LEB128");
    const uint8_t byte = *p++;
    if (i == 4) {
      if (byte & 0x80) return Fail(start, Msg(desc, ": LEB128 is longer than 5 bytes"));
      if (byte & 0x70) return Fail(start, Msg(desc, ": LEB128 value does not fit in 32 bits"));
    }
    result |= static_cast<uint32_t>(byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) break;
  }
  pos_ = p;
  return result;
}

Expected<uint64_t> Cursor::ReadU64Leb(const char* desc) {
  const uint64_t start = offset();
  const uint8_t* p = pos_;
  uint64_t result = 0;
  for (int i = 0; i < 10; ++i) {
    if (p >= end_) return RunsPastEnd(start, desc, "LEB128");
    const uint8_t byte = *p++;
    if (i == 9) {
      if (byte & 0x80) return Fail(start, Msg(desc, ": LEB128 is longer than 10 bytes"));
      if (byte & 0x7e) return Fail(start, Msg(desc, ": LEB128 value does not fit in 64 bits"));
    }
    result |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) break;
  }
  pos_ = p;
  return result;
}

Expected<int32_t> Cursor::ReadS32Leb(const char* desc) {
  const uint64_t start = offset();
  const uint8_t* p = pos_;
  uint32_t result = 0;
  int shift = 0;
  uint8_t byte = 0;
  for (int i = 0; i < 5; ++i) {
    if (p >= end_) return RunsPastEnd(start, desc, "LEB128");
    byte = *p++;
    if (i == 4) {
      if (byte & 0x80) return Fail(start, Msg(desc, ": LEB128 is longer than 5 bytes"));
      // Bits 4..6 must repeat the sign bit (bit 3, the value's bit 31).
      const uint8_t high = byte & 0x70;
      if (high != ((byte & 0x08) ? 0x70 : 0x00))
        return Fail(start, Msg(desc, ": LEB128 value does not fit in 32 bits"));
    }
    result |= static_cast<uint32_t>(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) break;
  }
  if (shift < 32 && (byte & 0x40)) result |= ~uint32_t{0} << shift;
  pos_ = p;
  return static_cast<int32_t>(result);
}

Expected<int64_t> Cursor::ReadS64Leb(const char* desc) {
  const uint64_t start = offset();
  const uint8_t* p = pos_;
  uint64_t result = 0;
  int shift = 0;
  uint8_t byte = 0;
  for (int i = 0; i < 10; ++i) {
    if (p >= end_) return RunsPastEnd(start, desc, "LEB128");
    byte = *p++;
    if (i == 9) {
      if (byte & 0x80) return Fail(start, Msg(desc, ": LEB128 is longer than 10 bytes"));
      // Bits 1..6 must repeat the sign bit (bit 0, the value's bit 63).
      const uint8_t high = byte & 0x7e;
      if (high != ((byte & 0x01) ? 0x7e : 0x00))
        return Fail(start, Msg(desc, ": LEB128 value does not fit in 64 bits"));
    }
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) break;
  }
  if (shift < 64 && (byte & 0x40)) result |= ~uint64_t{0} << shift;
  pos_ = p;
  return static_cast<int64_t>(result);
}

Expected<uint32_t> Cursor::ReadCount(const char* desc, uint32_t limit, size_t min_entry_size) {
  const uint64_t start = offset();
  LL_TRY(uint32_t count, ReadU32Leb(desc));
  if (count > limit) {
    return Fail(start, Msg(desc, " count of ", count, " exceeds internal limit of ", limit));
  }
  if (min_entry_size > 0 && count > remaining() / min_entry_size) {
    return Fail(start, Msg(desc, " count of ", count, " cannot fit in the ", remaining(),
                           " bytes left in the ", region_));
  }
  return count;
}

Expected<std::string_view> Cursor::ReadBytes(size_t n, const char* desc) {
  if (n > remaining()) {
    return Fail(offset(), Msg(desc, ": ", n, " bytes run past the end of the ", region_, " (",
                              remaining(), " bytes left)"));
  }
  std::string_view out(reinterpret_cast<const char*>(pos_), n);
  pos_ += n;
  return out;
}

Expected<std::string_view> Cursor::ReadName(const char* desc) {
  const uint64_t start = offset();
  LL_TRY(uint32_t length, ReadU32Leb(desc));
  if (length > remaining()) {
    return Fail(start, Msg(desc, ": string of ", length, " bytes runs past the end of the ",
                           region_, " (", remaining(), " bytes left)"));
  }
  const uint8_t* bytes = pos_;
  if (!IsValidUtf8(bytes, length)) return Fail(start, Msg(desc, ": invalid UTF-8 encoding"));
  pos_ += length;
  return std::string_view(reinterpret_cast<const char*>(bytes), length);
}

Status Cursor::Skip(size_t n, const char* desc) {
  if (n > remaining()) {
    return Fail(offset(), Msg(desc, ": ", n, " bytes run past the end of the ", region_, " (",
                              remaining(), " bytes left)"));
  }
  pos_ += n;
  return Ok{};
}

Expected<Cursor> Cursor::ReadSized(const char* desc, const char* region) {
  const uint64_t start = offset();
  LL_TRY(uint32_t size, ReadU32Leb(desc));
  return Narrow(size, start, region);
}

Expected<Cursor> Cursor::Narrow(uint64_t size, uint64_t size_offset, const char* region) {
  if (size > remaining()) {
    return Fail(size_offset, Msg(region, " of ", size, " bytes runs past the end of the ",
                                 region_, " (", remaining(), " bytes left)"));
  }
  Cursor sub = *this;
  sub.end_ = pos_ + size;
  sub.region_ = region;
  pos_ += size;
  return sub;
}

Status Cursor::ExpectEnd() const {
  if (pos_ == end_) return Ok{};
  return Fail(offset(), Msg(remaining(), " unread bytes at the end of the ", region_));
}

bool IsValidUtf8(const uint8_t* p, size_t size) {
  const uint8_t* end = p + size;
  while (p < end) {
    // ASCII fast path, eight bytes at a time.
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if (word & 0x8080808080808080ull) break;
      p += 8;
    }
    if (p >= end) break;
    const uint8_t b0 = *p;
    if (b0 < 0x80) {
      ++p;
      continue;
    }
    // Table 3-7 of the Unicode standard: well-formed byte sequences.
    size_t n;
    uint8_t lo = 0x80, hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      n = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      n = 3;
      if (b0 == 0xe0) lo = 0xa0;
      if (b0 == 0xed) hi = 0x9f;  // no surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      n = 4;
      if (b0 == 0xf0) lo = 0x90;
      if (b0 == 0xf4) hi = 0x8f;
    } else {
      return false;
    }
    if (static_cast<size_t>(end - p) < n) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (size_t i = 2; i < n; ++i) {
      if (p[i] < 0x80 || p[i] > 0xbf) return false;
    }
    p += n;
  }
  return true;
}

}  // namespace lazylink::wasm
