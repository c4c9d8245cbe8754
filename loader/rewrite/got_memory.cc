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
#include <optional>

#include "loader/emit/wasm_writer.h"
#include "loader/rewrite/section_rewrite.h"
#include "loader/rewrite/walk.h"
#include "loader/wasm/cursor.h"

namespace lazylink::rewrite {
namespace {

using emit::ByteWriter;
using walk::FuncRef;
using walk::GlobalRef;
using walk::kNone;
using walk::Patcher;
using wasm::Cursor;
using wasm::ExternalKind;

constexpr uint8_t kI32Load = 0x28;
constexpr uint32_t kI32Align = 2;  // log2: i32.load's natural alignment

class GotMover {
 public:
  GotMover(const uint8_t* data, size_t size, const GotMemoryOptions& opts)
      : data_(data), size_(size), opts_(opts) {}

  Expected<GotMemoryResult> Run() {
    LL_TRY(wasm::Module m, walk::ReadRewritable(data_, size_, opts_.name, "bind-local --got-in-memory"));
    m_ = std::move(m);
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
    const std::optional<uint32_t> base = m_.FindImportedGlobal("env", "__memory_base");
    if (base && m_.ImportedGlobal(*base)->global.type == wasm::ValType::kI32) memory_base_ = *base;
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
    LL_CHECK(walk::ForEachBody(data_, m_, [&](const wasm::FunctionBody&, Cursor& c) {
      return walk::WalkInstructions(c, [](const FuncRef&) {}, [&](const GlobalRef& g) {
        if (g.set) Pin(g.index);
      });
    }));
    for (const wasm::SectionInfo& s : m_.sections) {
      if (s.id != 6 && s.id != 9 && s.id != 11) continue;
      LL_CHECK(walk::WalkConstExprs(data_, m_, s, nullptr, [&](const GlobalRef& g) { Pin(g.index); }));
    }
    for (const wasm::Export& e : m_.exports) {
      if (e.kind == ExternalKind::kGlobal) Pin(e.index);
    }
    return Ok{};
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
    walk::ModuleEdits edits;
    edits.patches.global = [this](const GlobalRef& g, Patcher& patch, ByteWriter& out) { PatchGlobal(g, patch, out); };
    // Moved globals lose their names; function indices do not change.
    edits.map_global = [this](uint32_t g) { return IsMoved(g) ? kNone : MapGlobal(g); };
    edits.patch_data = true;
    edits.imports = [this](const wasm::SectionInfo& s, ByteWriter& out) -> Status {
      WriteImports(out, s);
      return Ok{};
    };
    // dylink.0: MEM_INFO (1) grows to hold the GOT; the rest is copied.
    edits.dylink = [this](uint8_t id, Cursor&, ByteWriter& p) -> Expected<bool> {
      if (id != 1) return false;
      const wasm::MemInfo& mi = m_.dylink.mem_info;  // the reader has decoded it
      p.U32Leb(result_.offset + 4 * result_.moved);
      p.U32Leb(mi.memory_align > kI32Align ? mi.memory_align : kI32Align);
      p.U32Leb(mi.table_size);
      p.U32Leb(mi.table_align);
      return true;
    };
    ByteWriter out;
    LL_CHECK(walk::WriteModule(data_, m_, edits, out));
    WriteGotSection(out);
    return std::move(out.mutable_bytes());
  }

  void WriteImports(ByteWriter& out, const wasm::SectionInfo& s) const {
    ByteWriter p;
    p.U32Leb(static_cast<uint32_t>(m_.imports.size() - result_.moved));
    uint32_t global = 0;
    for (size_t i = 0; i < m_.imports.size(); i++) {
      const wasm::Import& imp = m_.imports[i];
      if (imp.kind == ExternalKind::kGlobal && IsMoved(global++)) continue;
      walk::CopyBytes(data_, imp.offset, walk::ImportEnd(m_, s, i), p);
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
    if (to != g.index) patch.Replace(g.begin, g.end, to, out);
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
