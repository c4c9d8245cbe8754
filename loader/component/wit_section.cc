#include "loader/component/wit_section.h"

#include "loader/emit/wasm_writer.h"
#include "loader/wasm/cursor.h"

namespace lazylink::component {

namespace {

constexpr uint32_t kMaxWitFiles = 1000;

Expected<WitPackage> DecodeRecord(wasm::Cursor& c) {
  WitPackage p;
  LL_TRY(uint8_t version, c.ReadU8("version"));
  if (version != kWitSectionVersion)
    return c.Fail(c.offset() - 1, Msg("version ", unsigned{version}, " is not supported (expected ",
                                      unsigned{kWitSectionVersion}, ")"));
  LL_TRY(std::string_view world, c.ReadName("world name"));
  if (world.empty()) return c.FailHere("the world name is empty");
  p.world = std::string(world);
  LL_TRY(uint32_t count, c.ReadCount("file count", kMaxWitFiles, 2));
  for (uint32_t i = 0; i < count; ++i) {
    LL_TRY(std::string_view path, c.ReadName("file name"));
    LL_TRY(std::string_view text, c.ReadName("file text"));
    p.files.push_back({std::string(path), std::string(text)});
  }
  return p;
}

}  // namespace

bool WitPackage::operator==(const WitPackage& o) const {
  if (world != o.world || files.size() != o.files.size()) return false;
  for (size_t i = 0; i < files.size(); ++i)
    if (files[i].file != o.files[i].file || files[i].text != o.files[i].text) return false;
  return true;
}

std::vector<uint8_t> EncodeWitSection(const WitPackage& package) {
  emit::ByteWriter w;
  w.U8(kWitSectionVersion);
  w.Name(package.world);
  w.U32Leb(static_cast<uint32_t>(package.files.size()));
  for (const wit::Source& f : package.files) {
    w.Name(f.file);
    w.Name(f.text);
  }
  return w.bytes();
}

Expected<WitPackage> DecodeWitSection(const uint8_t* data, size_t size, uint64_t base_offset) {
  wasm::Cursor c(data, size, "section");
  c.set_context(kWitSectionName);
  std::optional<WitPackage> first;
  while (!c.at_end()) {
    const uint64_t at = c.offset();
    auto record = DecodeRecord(c);
    if (!record.ok()) {
      Error e = std::move(record).error();
      if (e.offset != kNoOffset) e.offset += base_offset;
      return e;
    }
    if (!first) {
      first = std::move(*record);
    } else if (!(*first == *record)) {
      return Error(kWitSectionName,
                   Msg("the module embeds two different worlds (", first->world, " and ",
                       record->world, "); link only one component's bindings into it"),
                   base_offset + at);
    }
  }
  if (!first) return Error(kWitSectionName, "the section is empty", base_offset);
  return std::move(*first);
}

Expected<std::optional<WitPackage>> ReadWitSection(const wasm::Module& module,
                                                   const uint8_t* bytes, size_t size) {
  const wasm::SectionInfo* s = module.FindCustomSection(kWitSectionName);
  if (!s) return std::optional<WitPackage>();
  if (s->offset > size || s->size > size - s->offset)
    return Error(kWitSectionName, "the section lies outside the module's bytes", s->offset);
  LL_TRY(WitPackage p, DecodeWitSection(bytes + s->offset, s->size, s->offset));
  return std::optional<WitPackage>(std::move(p));
}

}  // namespace lazylink::component
