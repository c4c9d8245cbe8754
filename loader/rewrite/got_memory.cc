// lazylink: MoveGotToMemory (see got_memory.h).
//
// Two passes, as BindLocal's (bind_local.cc): the first reads the module
// and walks every place a global index can appear (function bodies,
// constant expressions, exports) to find the GOT imports that can move; the
// second writes the module again section by section, replacing
// `global.get` of a moved import with a load from __memory_base and
// renumbering every other global index. Sections without global indices are
// copied byte for byte.
#include "loader/rewrite/got_memory.h"

#include <limits>

#include "loader/emit/wasm_writer.h"
#include "loader/rewrite/walk.h"
#include "loader/wasm/cursor.h"
#include "loader/wasm/reader.h"

namespace lazylink::rewrite {
namespace {

using emit::ByteWriter;
using walk::FuncRef;
using walk::GlobalRef;
using walk::Patcher;
using wasm::Cursor;
using wasm::ExternalKind;

constexpr uint32_t kNone = 0xffffffffu;
constexpr uint8_t kI32Load = 0x28;
constexpr uint32_t kI32Align = 2;  // log2: i32.load's natural alignment

void CopyRange(const uint8_t* data, uint64_t begin, uint64_t end, ByteWriter& out) {
  out.mutable_bytes().insert(out.mutable_bytes().end(), data + begin, data + end);
}

class GotMover {
 public:
  GotMover(const uint8_t* data, size_t size, const GotMemoryOptions& opts)
      : data_(data), size_(size), opts_(opts) {}

  Expected<GotMemoryResult> Run() {
    wasm::ReadOptions ro;
    ro.name = opts_.name;
    ro.read_names = false;
    LL_TRY(wasm::Module m, wasm::ReadModule(data_, size_, ro));
    m_ = std::move(m);
    LL_CHECK(walk::CheckRewritable(m_, opts_.name, "bind-local --got-in-memory"));
    for (const wasm::SectionInfo& s : m_.sections) {
      if (s.id != 0) continue;
      if (s.name == "lazylink.got") {
        return Error(opts_.name, "already has a lazylink.got section: its GOT is in memory already "
                                 "(--got-in-memory runs once)", s.header_offset);
      }
      if (s.name == "dylink") {
        return Error(opts_.name, "has a legacy \"dylink\" section: --got-in-memory needs dylink.0 "
                                 "(relink with a newer Emscripten)", s.header_offset);
      }
    }
    for (const wasm::Import& imp : m_.imports) {
      if (imp.IsGotMem() || imp.IsGotFunc()) result_.kept++;
    }
    if (!Applies()) return Unchanged();
    LL_CHECK(Scan());
    Pick();
    if (result_.moved == 0) return Unchanged();
    const uint64_t offset = (uint64_t{m_.dylink.mem_info.memory_size} + 3) & ~uint64_t{3};
    const uint64_t end = offset + uint64_t{4} * result_.moved;
    if (end > std::numeric_limits<uint32_t>::max()) {
      return Error(opts_.name, Msg("its GOT (", result_.moved, " entries after ", m_.dylink.mem_info.memory_size,
                                   " bytes of data) would not fit in a 32-bit memory"));
    }
    result_.offset = static_cast<uint32_t>(offset);
    LL_TRY(std::vector<uint8_t> bytes, Write());
    result_.bytes = std::move(bytes);
    return std::move(result_);
  }

 private:
  // --- pass 1 -----------------------------------------------------------

  // env.__memory_base (i32), MEM_INFO and a 32-bit memory 0 to load from.
  bool Applies() {
    for (uint32_t g = 0; g < m_.num_imported_globals; g++) {
      const wasm::Import* imp = m_.ImportedGlobal(g);
      if (imp && imp->module == "env" && imp->field == "__memory_base" && imp->global.type == wasm::ValType::kI32) {
        memory_base_ = g;
        break;
      }
    }
    if (memory_base_ == kNone || !m_.dylink.present || !m_.dylink.has_mem_info) return false;
    for (const wasm::Import& imp : m_.imports) {
      if (imp.kind == ExternalKind::kMemory) return !imp.memory.limits.is64;
    }
    return !m_.memories.empty() && !m_.memories[0].limits.is64;
  }

  Expected<GotMemoryResult> Unchanged() {
    result_.bytes.assign(data_, data_ + size_);
    result_.moved = 0;
    result_.offset = 0;
    return std::move(result_);
  }

  void Pin(uint32_t g) {
    if (g < pinned_.size()) pinned_[g] = true;
  }

  // Pins the imported globals that cannot move: written, exported, or read
  // by a constant expression.
  Status Scan() {
    pinned_.assign(m_.num_imported_globals, false);
    for (size_t i = 0; i < m_.code.size(); i++) {
      const wasm::FunctionBody& b = m_.code[i];
      Cursor c(data_, b.offset + b.size, "function body");
      LL_CHECK(c.Skip(b.offset, "body"));
      c.set_context("code", static_cast<int64_t>(i));
      LL_CHECK(walk::SkipLocals(c));
      LL_CHECK(walk::WalkInstructions(c, [](const FuncRef&) {}, [&](const GlobalRef& g) {
        if (g.set) Pin(g.index);
      }));
      if (!c.at_end()) return c.FailHere("bytes after the function body's end");
    }
    for (const wasm::SectionInfo& s : m_.sections) {
      if (s.id != 6 && s.id != 9 && s.id != 11) continue;
      std::vector<GlobalRef> refs;
      LL_CHECK(ConstExprGlobals(s, refs));
      for (const GlobalRef& g : refs) Pin(g.index);
    }
    for (const wasm::Export& e : m_.exports) {
      if (e.kind == ExternalKind::kGlobal) Pin(e.index);
    }
    return Ok{};
  }

  // Every global index in the constant expressions of a global (6),
  // element (9) or data (11) section, in file order.
  Status ConstExprGlobals(const wasm::SectionInfo& s, std::vector<GlobalRef>& out) const {
    auto add = [&](const GlobalRef& g) { out.push_back(g); };
    auto walk_at = [&](uint64_t at, const char* context, size_t entry) -> Status {
      Cursor c(data_, s.offset + s.size, "section");
      LL_CHECK(c.Skip(at, "expression"));
      c.set_context(context, static_cast<int64_t>(entry));
      return walk::WalkInstructions(c, [](const FuncRef&) {}, add);
    };
    if (s.id == 6) {
      for (size_t i = 0; i < m_.globals.size(); i++) LL_CHECK(walk_at(m_.globals[i].init.offset, "global", i));
      return Ok{};
    }
    if (s.id == 11) {
      for (size_t i = 0; i < m_.data.size(); i++) {
        if (m_.data[i].mode == wasm::SegmentMode::kActive) LL_CHECK(walk_at(m_.data[i].offset_expr.offset, "data", i));
      }
      return Ok{};
    }
    // Element segments: offsets, and elements in the expression encoding,
    // which the reader does not locate.
    Cursor c(data_, s.offset + s.size, "section");
    LL_CHECK(c.Skip(s.offset, "elements"));
    c.set_context("elem");
    LL_TRY(uint32_t n, c.ReadCount("segment count", 1000000, 2));
    for (uint32_t i = 0; i < n; i++) {
      c.set_entry(i);
      LL_TRY(uint32_t flags, c.ReadU32Leb("segment flags"));
      if (flags > 7) return c.FailHere(Msg("unknown element segment flags ", flags));
      if (flags == 2 || flags == 6) LL_CHECK(walk::SkipU32(c, "table index"));
      if ((flags & 1) == 0) LL_CHECK(walk::WalkInstructions(c, [](const FuncRef&) {}, add));
      if (flags & 3) LL_CHECK(c.Skip(1, "element kind"));
      LL_TRY(uint32_t count, c.ReadCount("element count", 10000000, 1));
      for (uint32_t k = 0; k < count; k++) {
        if (flags & 4) {
          LL_CHECK(walk::WalkInstructions(c, [](const FuncRef&) {}, add));
        } else {
          LL_CHECK(walk::SkipU32(c, "function index"));
        }
      }
    }
    return c.ExpectEnd();
  }

  // Slots in import order, and every global's new index.
  void Pick() {
    const uint32_t nimp = m_.num_imported_globals;
    slot_.assign(nimp, kNone);
    for (uint32_t g = 0; g < nimp; g++) {
      const wasm::Import* imp = m_.ImportedGlobal(g);
      if (!imp || !(imp->IsGotMem() || imp->IsGotFunc()) || imp->global.type != wasm::ValType::kI32 || pinned_[g]) {
        continue;
      }
      slot_[g] = result_.moved++;
      moved_.push_back(imp);
    }
    result_.kept -= result_.moved;
    // Imported globals shift down past the moved ones before them; defined
    // globals (and indices past the end, left to the validator) by all.
    new_index_.resize(nimp);
    uint32_t removed = 0;
    for (uint32_t g = 0; g < nimp; g++) {
      if (slot_[g] != kNone) {
        new_index_[g] = kNone;
        removed++;
      } else {
        new_index_[g] = g - removed;
      }
    }
  }

  bool IsMoved(uint32_t g) const { return g < slot_.size() && slot_[g] != kNone; }
  uint32_t MapGlobal(uint32_t g) const { return g < new_index_.size() ? new_index_[g] : g - result_.moved; }
  uint32_t SlotOffset(uint32_t g) const { return result_.offset + 4 * slot_[g]; }

  // --- pass 2 -----------------------------------------------------------

  Expected<std::vector<uint8_t>> Write() {
    ByteWriter out;
    out.mutable_bytes().assign(data_, data_ + 8);
    for (const wasm::SectionInfo& s : m_.sections) {
      switch (s.id) {
        case 2: WriteImports(out, s); break;
        case 6: case 9: case 11: LL_CHECK(WriteConstExprSection(out, s)); break;
        case 7: WriteExports(out); break;
        case 10: LL_CHECK(WriteCode(out)); break;
        case 0:
          if (s.name == "name") {
            LL_CHECK(WriteNames(out, s));
            break;
          }
          if (s.name == "dylink.0") {
            LL_CHECK(WriteDylink(out, s));
            break;
          }
          [[fallthrough]];
        default:
          CopyRange(data_, s.header_offset, s.offset + s.size, out);
      }
    }
    WriteGotSection(out);
    return std::move(out.mutable_bytes());
  }

  void WriteImports(ByteWriter& out, const wasm::SectionInfo& s) const {
    ByteWriter p;
    p.U32Leb(static_cast<uint32_t>(m_.imports.size() - result_.moved));
    uint32_t global = 0;
    for (size_t i = 0; i < m_.imports.size(); i++) {
      const wasm::Import& imp = m_.imports[i];
      const uint64_t end = i + 1 < m_.imports.size() ? m_.imports[i + 1].offset : s.offset + s.size;
      if (imp.kind == ExternalKind::kGlobal && IsMoved(global++)) continue;
      CopyRange(data_, imp.offset, end, p);
    }
    walk::WriteSection(out, 2, p);
  }

  // A global.get or global.set in code or a constant expression: moved
  // imports are loaded from memory (only code reads them), the rest renumbered.
  void PatchGlobal(const GlobalRef& g, Patcher& patch, ByteWriter& out) const {
    if (IsMoved(g.index)) {
      patch.CopyTo(g.begin, out);  // up to and with the global.get opcode
      out.U32Leb(new_index_[memory_base_]);
      out.U8(kI32Load);
      out.U32Leb(kI32Align);
      out.U32Leb(SlotOffset(g.index));
      patch.SkipTo(g.end);
      return;
    }
    const uint32_t to = MapGlobal(g.index);
    if (to == g.index) return;
    patch.CopyTo(g.begin, out);
    out.U32Leb(to);
    patch.SkipTo(g.end);
  }

  Status WriteConstExprSection(ByteWriter& out, const wasm::SectionInfo& s) const {
    std::vector<GlobalRef> refs;
    LL_CHECK(ConstExprGlobals(s, refs));
    ByteWriter p;
    Patcher patch(data_, s.offset);
    for (const GlobalRef& g : refs) PatchGlobal(g, patch, p);
    patch.CopyTo(s.offset + s.size, p);
    walk::WriteSection(out, s.id, p);
    return Ok{};
  }

  void WriteExports(ByteWriter& out) const {
    ByteWriter p;
    p.U32Leb(static_cast<uint32_t>(m_.exports.size()));
    for (const wasm::Export& e : m_.exports) {
      p.Name(e.name);
      p.U8(static_cast<uint8_t>(e.kind));
      p.U32Leb(e.kind == ExternalKind::kGlobal ? MapGlobal(e.index) : e.index);
    }
    walk::WriteSection(out, 7, p);
  }

  Status WriteCode(ByteWriter& out) const {
    ByteWriter p;
    p.U32Leb(static_cast<uint32_t>(m_.code.size()));
    ByteWriter body;
    for (size_t i = 0; i < m_.code.size(); i++) {
      const wasm::FunctionBody& b = m_.code[i];
      Cursor c(data_, b.offset + b.size, "function body");
      LL_CHECK(c.Skip(b.offset, "body"));
      c.set_context("code", static_cast<int64_t>(i));
      body.mutable_bytes().clear();
      Patcher patch(data_, b.offset);
      LL_CHECK(walk::SkipLocals(c));
      LL_CHECK(walk::WalkInstructions(c, [](const FuncRef&) {},
                                      [&](const GlobalRef& g) { PatchGlobal(g, patch, body); }));
      patch.CopyTo(b.offset + b.size, body);
      p.U32Leb(static_cast<uint32_t>(body.size()));
      p.Bytes(body.bytes());
    }
    walk::WriteSection(out, 10, p);
    return Ok{};
  }

  // The name section: global names (7) lose the moved imports and follow
  // the renumbering; the rest is copied.
  Status WriteNames(ByteWriter& out, const wasm::SectionInfo& s) const {
    Cursor c(data_, s.offset + s.size, "section");
    LL_CHECK(c.Skip(s.offset, "name"));  // custom sections: after the name
    ByteWriter body;
    while (!c.at_end()) {
      const uint64_t sub_begin = c.offset();
      LL_TRY(uint8_t id, c.ReadU8("subsection id"));
      LL_TRY(Cursor sub, c.ReadSized("subsection size", "subsection"));
      if (id != 7) {
        CopyRange(data_, sub_begin, c.offset(), body);
        continue;
      }
      sub.set_context("name/global-names");
      LL_TRY(uint32_t n, sub.ReadCount("name count", 10000000, 2));
      uint32_t kept = 0;
      ByteWriter entries;
      for (uint32_t i = 0; i < n; i++) {
        LL_TRY(uint32_t g, sub.ReadU32Leb("global index"));
        const uint64_t name_begin = sub.offset();
        LL_TRY(std::string_view nm, sub.ReadName("name"));
        (void)nm;
        if (IsMoved(g)) continue;
        kept++;
        entries.U32Leb(MapGlobal(g));
        CopyRange(data_, name_begin, sub.offset(), entries);
      }
      LL_CHECK(sub.ExpectEnd());
      ByteWriter p;
      p.U32Leb(kept);
      p.Bytes(entries.bytes());
      body.U8(id);
      body.U32Leb(static_cast<uint32_t>(p.size()));
      body.Bytes(p.bytes());
    }
    walk::WriteCustom(out, "name", body);
    return Ok{};
  }

  // dylink.0: MEM_INFO (1) grows to hold the GOT; the rest is copied.
  Status WriteDylink(ByteWriter& out, const wasm::SectionInfo& s) const {
    Cursor c(data_, s.offset + s.size, "section");
    LL_CHECK(c.Skip(s.offset, "dylink.0"));  // after the name
    ByteWriter body;
    while (!c.at_end()) {
      const uint64_t sub_begin = c.offset();
      LL_TRY(uint8_t id, c.ReadU8("subsection id"));
      LL_TRY(Cursor sub, c.ReadSized("subsection size", "subsection"));
      if (id != 1) {
        CopyRange(data_, sub_begin, c.offset(), body);
        continue;
      }
      (void)sub;  // the reader has decoded it
      const wasm::MemInfo& mi = m_.dylink.mem_info;
      ByteWriter p;
      p.U32Leb(result_.offset + 4 * result_.moved);
      p.U32Leb(mi.memory_align > kI32Align ? mi.memory_align : kI32Align);
      p.U32Leb(mi.table_size);
      p.U32Leb(mi.table_align);
      body.U8(id);
      body.U32Leb(static_cast<uint32_t>(p.size()));
      body.Bytes(p.bytes());
    }
    walk::WriteCustom(out, "dylink.0", body);
    return Ok{};
  }

  void WriteGotSection(ByteWriter& out) const {
    ByteWriter body;
    body.U32Leb(1);  // version
    body.U32Leb(result_.offset);
    body.U32Leb(result_.moved);
    for (const wasm::Import* imp : moved_) {
      body.U8(imp->IsGotMem() ? 0 : 1);
      body.Name(imp->field);
    }
    walk::WriteCustom(out, "lazylink.got", body);
  }

  const uint8_t* data_;
  size_t size_;
  const GotMemoryOptions& opts_;
  wasm::Module m_;
  uint32_t memory_base_ = kNone;        // env.__memory_base's global index
  std::vector<bool> pinned_;            // imported globals: cannot move
  std::vector<uint32_t> slot_;          // imported globals: GOT slot, or kNone
  std::vector<uint32_t> new_index_;     // imported globals: new index, or kNone (moved)
  std::vector<const wasm::Import*> moved_;  // in slot order
  GotMemoryResult result_;
};

}  // namespace

Expected<GotMemoryResult> MoveGotToMemory(const uint8_t* data, size_t size, const GotMemoryOptions& opts) {
  GotMover mover(data, size, opts);
  return mover.Run();
}

}  // namespace lazylink::rewrite
