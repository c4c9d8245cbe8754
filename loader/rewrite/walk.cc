#include "loader/rewrite/walk.h"

#include <cstdio>

namespace lazylink::rewrite::walk {

std::string Hex(unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

Status SkipLocals(wasm::Cursor& c) {
  LL_TRY(uint32_t groups, c.ReadCount("local groups", 50000, 2));
  for (uint32_t g = 0; g < groups; g++) {
    LL_TRY(uint32_t n, c.ReadU32Leb("local count"));
    LL_TRY(uint8_t t, c.ReadU8("local type"));
    (void)n;
    (void)t;
  }
  return Ok{};
}

void WriteSection(emit::ByteWriter& out, uint8_t id, const emit::ByteWriter& payload) {
  out.U8(id);
  out.U32Leb(static_cast<uint32_t>(payload.size()));
  out.Bytes(payload.bytes());
}

void WriteCustom(emit::ByteWriter& out, std::string_view name, const emit::ByteWriter& body) {
  emit::ByteWriter payload;
  payload.Name(name);
  payload.Bytes(body.bytes());
  WriteSection(out, 0, payload);
}

}  // namespace lazylink::rewrite::walk
