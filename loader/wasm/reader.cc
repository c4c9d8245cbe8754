#include "loader/wasm/reader.h"

#include <cstring>
#include <optional>

#include "loader/wasm/cursor.h"
#include "loader/wasm/dylink.h"
#include "loader/wasm/limits.h"
#include "loader/wasm/names.h"
#include "loader/wasm/sections.h"

namespace lazylink::wasm {
namespace {

// Position of each known section in the order the spec requires (5.5.2;
// the tag section sits between memory and global). 0: unknown id.
int OrderRank(uint8_t id) {
  switch (static_cast<SectionId>(id)) {
    case SectionId::kType: return 1;
    case SectionId::kImport: return 2;
    case SectionId::kFunction: return 3;
    case SectionId::kTable: return 4;
    case SectionId::kMemory: return 5;
    case SectionId::kTag: return 6;
    case SectionId::kGlobal: return 7;
    case SectionId::kExport: return 8;
    case SectionId::kStart: return 9;
    case SectionId::kElement: return 10;
    case SectionId::kDataCount: return 11;
    case SectionId::kCode: return 12;
    case SectionId::kData: return 13;
    case SectionId::kCustom: return 0;
  }
  return 0;
}

Status ReadKnownSection(uint8_t id, Cursor& c, Module& m) {
  switch (static_cast<SectionId>(id)) {
    case SectionId::kType: return ReadTypeSection(c, m);
    case SectionId::kImport: return ReadImportSection(c, m);
    case SectionId::kFunction: return ReadFunctionSection(c, m);
    case SectionId::kTable: return ReadTableSection(c, m);
    case SectionId::kMemory: return ReadMemorySection(c, m);
    case SectionId::kTag: return ReadTagSection(c, m);
    case SectionId::kGlobal: return ReadGlobalSection(c, m);
    case SectionId::kExport: return ReadExportSection(c, m);
    case SectionId::kStart: return ReadStartSection(c, m);
    case SectionId::kElement: return ReadElemSection(c, m);
    case SectionId::kDataCount: return ReadDataCountSection(c, m);
    case SectionId::kCode: return ReadCodeSection(c, m);
    case SectionId::kData: return ReadDataSection(c, m);
    case SectionId::kCustom: break;
  }
  return Ok{};
}

class ModuleReader {
 public:
  ModuleReader(const uint8_t* data, size_t size) : c_(data, size, "module") {}

  Expected<Module> Read(const ReadOptions& opts) {
    LL_CHECK(ReadHeader());
    while (!c_.at_end()) LL_CHECK(ReadSection());
    LL_CHECK(CheckEnd());
    if (opts.read_names && names_) ReadNames();
    m_.size = c_.end_offset();
    return std::move(m_);
  }

 private:
  Status ReadHeader() {
    c_.set_context("header");
    if (c_.end_offset() > limits::kMaxModuleSize) {
      return c_.Fail(0, Msg("module of ", c_.end_offset(), " bytes exceeds internal limit of ",
                            limits::kMaxModuleSize));
    }
    LL_TRY(std::string_view magic, c_.ReadBytes(4, "magic"));
    if (std::memcmp(magic.data(), "\0asm", 4) != 0) {
      return c_.Fail(0, "bad magic number (not a WebAssembly module)");
    }
    LL_TRY(uint32_t version, c_.ReadU32Fixed("version"));
    if (version != 1) {
      // Component-model binaries share the magic; their layer field is 1.
      if ((version >> 16) == 1) {
        return c_.Fail(4, "this is a component, not a core module");
      }
      return c_.Fail(4, Msg("unsupported version ", version, " (expected 1)"));
    }
    return Ok{};
  }

  Status ReadSection() {
    const uint64_t at = c_.offset();
    c_.set_context("module");
    LL_TRY(uint8_t id, c_.ReadU8("section id"));
    const char* name = SectionName(id);
    if (!name) return c_.Fail(at, Msg("unknown section id ", unsigned{id}));
    c_.set_context(name);
    LL_TRY(Cursor section, c_.ReadSized("section size", "section"));
    section.set_context(name);
    if (id == 0) return ReadCustomSection(section, at);

    const int rank = OrderRank(id);
    if (rank <= last_rank_) {
      if (rank == last_rank_) return c_.Fail(at, Msg("duplicate ", name, " section"));
      return c_.Fail(at, Msg("the ", name, " section must come before the ", last_name_,
                             " section"));
    }
    last_rank_ = rank;
    last_name_ = name;
    m_.sections.push_back(SectionInfo{id, {}, section.offset(), section.remaining(), at});
    if (id == static_cast<uint8_t>(SectionId::kCode)) has_code_ = true;
    if (id == static_cast<uint8_t>(SectionId::kData)) has_data_ = true;
    return ReadKnownSection(id, section, m_);
  }

  // `at`: where the section starts (its id byte).
  Status ReadCustomSection(Cursor& section, uint64_t at) {
    LL_TRY(std::string_view name, section.ReadName("custom section name"));
    const bool first = m_.sections.empty();
    m_.sections.push_back(
        SectionInfo{0, std::string(name), section.offset(), section.remaining(), at});
    if (name == "dylink.0" || name == "dylink") {
      if (m_.dylink.present) {
        return section.Fail(at, Msg("duplicate dylink section (\"", name, "\" after \"",
                                    m_.dylink.legacy ? "dylink" : "dylink.0", "\")"));
      }
      if (!first) {
        // Emscripten's loader only looks for it there.
        m_.warnings.emplace_back(
            std::string(name), "not the first section; DynamicLinking.md requires it first", at);
      }
      section.set_context(name == "dylink" ? "dylink" : "dylink.0");
      if (name == "dylink") return ReadLegacyDylinkSection(section, m_.dylink);
      return ReadDylinkSection(section, m_.dylink);
    }
    if (name == "lazylink.got") {
      if (m_.memory_got.present) return section.Fail(at, "duplicate lazylink.got section");
      m_.memory_got.section_offset = at;
      section.set_context("lazylink.got");
      return ReadMemoryGotSection(section, m_.memory_got);
    }
    if (name == "name") {
      if (names_) {
        m_.warnings.emplace_back("name", "duplicate name section ignored", at);
      } else {
        names_ = section;
      }
    }
    return Ok{};
  }

  // Checks that need the whole module.
  Status CheckEnd() {
    c_.set_context("module");
    if (!has_code_ && !m_.functions.empty()) {
      return c_.Fail(c_.end_offset(),
                     Msg("function and code section counts disagree: ", m_.functions.size(),
                         " functions declared, no code section"));
    }
    if (m_.memory_got.present) {
      // The entries live in the module's data region.
      const uint64_t end = uint64_t{m_.memory_got.offset} + 4 * uint64_t{m_.memory_got.entries.size()};
      const MemoryGot& got = m_.memory_got;
      if (!m_.dylink.has_mem_info || end > m_.dylink.mem_info.memory_size) {
        c_.set_context("lazylink.got");
        return c_.Fail(got.section_offset,
                       Msg("its ", got.entries.size(), " GOT entries at offset ", got.offset, " end at ", end,
                           ", past the module's data (dylink.0 memory size ",
                           m_.dylink.has_mem_info ? m_.dylink.mem_info.memory_size : 0, ")"));
      }
      if (m_.dylink.mem_info.memory_align < 2) {
        c_.set_context("lazylink.got");
        return c_.Fail(got.section_offset, "GOT entries need the module's data aligned to 4 (dylink.0 mem_align >= 2)");
      }
    }
    if (!has_data_ && m_.data_count && *m_.data_count != 0) {
      return c_.Fail(c_.end_offset(), Msg("the datacount section says ", *m_.data_count,
                                          " segments, but there is no data section"));
    }
    return Ok{};
  }

  // Read last, once every index space is known. A malformed name section
  // becomes a warning and is dropped.
  void ReadNames() {
    Cursor c = *names_;
    c.set_context("name");
    NameSection names;
    Status s = ReadNameSection(c, m_, names);
    if (!s.ok()) {
      Error e = std::move(s).error();
      e.message += "; name section ignored";
      m_.warnings.push_back(std::move(e));
      return;
    }
    m_.names = std::move(names);
  }

  Cursor c_;
  Module m_;
  int last_rank_ = 0;
  const char* last_name_ = "";
  bool has_code_ = false;
  bool has_data_ = false;
  std::optional<Cursor> names_;
};

}  // namespace

Expected<Module> ReadModule(const uint8_t* data, size_t size, const ReadOptions& opts) {
  static const uint8_t kEmpty[1] = {0};
  if (!data) {
    data = kEmpty;
    size = 0;
  }
  ModuleReader reader(data, size);
  Expected<Module> m = reader.Read(opts);
  if (!m.ok()) {
    m.error().Within(opts.name);
    return m;
  }
  for (Error& w : m->warnings) w.Within(opts.name);
  return m;
}

}  // namespace lazylink::wasm
