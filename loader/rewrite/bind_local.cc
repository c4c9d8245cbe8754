// lazylink: BindLocal (see bind_local.h).
//
// Two passes over the module. The first reads its structure (the reader),
// picks the candidates (function imports the module also defines and
// exports under the same name, with the same type, not kept) and walks every
// place a function index can appear: instructions (call, return_call,
// ref.func), element segments, constant expressions, exports, the start
// function. Calls to a candidate will be redirected; any other use pins the
// import in place. The second pass writes the module again, section by
// section, replacing function indices and dropping the imports nothing uses
// any more; sections without function indices are copied byte for byte.
//
// Slot calls (BindLocalOptions::slot_calls) ride on the same two passes: a
// `call F` becomes `global.get GOT.func.F; call_indirect`, a GOT.func import
// (and the function table's import) is appended where the module has none,
// and since imported globals come first in the index space, every defined
// global is renumbered too.
//
// The instruction walker and the byte-patching helpers are in walk.h,
// shared with MoveGotToMemory (got_memory.cc).
#include "loader/rewrite/bind_local.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "loader/emit/wasm_writer.h"
#include "loader/rewrite/walk.h"
#include "loader/wasm/cursor.h"
#include "loader/wasm/reader.h"

namespace lazylink::rewrite {
namespace {

using emit::ByteWriter;
using wasm::Cursor;
using wasm::ExternalKind;
using walk::FuncRef;
using walk::GlobalRef;
using walk::LebSize;
using walk::Patcher;
using walk::RefKind;
using walk::SkipLocals;
using walk::WalkInstructions;
using walk::WriteCustom;
using walk::WriteSection;

constexpr uint32_t kNone = 0xffffffffu;

class Rewriter {
 public:
  Rewriter(const uint8_t* data, size_t size, const BindLocalOptions& opts)
      : data_(data), size_(size), opts_(opts) {}

  Expected<BindLocalResult> Run() {
    wasm::ReadOptions ro;
    ro.name = opts_.name;
    ro.read_names = false;
    LL_TRY(wasm::Module m, wasm::ReadModule(data_, size_, ro));
    m_ = std::move(m);
    LL_CHECK(walk::CheckRewritable(m_, opts_.name, "bind-local"));
    PickCandidates();
    PickSlotCalls();
    LL_CHECK(Scan());
    LL_CHECK(Decide());
    LL_TRY(std::vector<uint8_t> bytes, Write());
    result_.bytes = std::move(bytes);
    return std::move(result_);
  }

 private:
  // --- pass 1 -----------------------------------------------------------

  void PickCandidates() {
    const uint32_t nimp = m_.num_imported_funcs;
    target_.assign(nimp, kNone);
    result_.imports_before = nimp;
    if (!opts_.bind_weak) return;
    std::unordered_map<std::string_view, uint32_t> defined;  // export name -> defined func
    for (const wasm::Export& e : m_.exports) {
      if (e.kind == ExternalKind::kFunc && e.index >= nimp) defined.emplace(e.name, e.index);
    }
    for (uint32_t f = 0; f < nimp; f++) {
      const wasm::Import* imp = m_.ImportedFunction(f);
      auto it = defined.find(imp->field);
      if (it == defined.end()) continue;
      const wasm::FuncType* ti = m_.FunctionType(f);
      const wasm::FuncType* td = m_.FunctionType(it->second);
      if (!ti || !td || *ti != *td) continue;
      if (MatchesKeep(opts_.keep, imp->field)) {
        result_.kept++;
        continue;
      }
      target_[f] = it->second;
    }
  }

  bool IsCandidate(uint32_t f) const { return f < target_.size() && target_[f] != kNone; }

  // Function imports named by slot_calls (not bound locally, not weak: a
  // weak undefined function has no slot), and what the module already has:
  // GOT.func imports and the function table's import.
  void PickSlotCalls() {
    const uint32_t nimp = m_.num_imported_funcs;
    slot_wanted_.assign(nimp, false);
    slot_pinned_.assign(nimp, false);
    slot_call_count_.assign(nimp, 0);
    slot_global_.assign(nimp, kNone);
    if (opts_.slot_calls.empty()) return;
    std::unordered_set<std::string_view> weak;
    for (const wasm::ImportInfo& ii : m_.dylink.import_info) {
      if (ii.module == "env" && (ii.flags & wasm::symflag::kBindingWeak)) weak.insert(ii.field);
    }
    uint32_t g = 0;
    uint32_t t = 0;
    for (const wasm::Import& imp : m_.imports) {
      if (imp.kind == ExternalKind::kGlobal) {
        if (imp.IsGotFunc() && imp.global.type == wasm::ValType::kI32) got_func_.emplace(imp.field, g);
        g++;
      } else if (imp.kind == ExternalKind::kTable) {
        if (imp.module == "env" && imp.field == "__indirect_function_table") table_index_ = t;
        t++;
      }
    }
    for (uint32_t f = 0; f < nimp; f++) {
      const wasm::Import* imp = m_.ImportedFunction(f);
      if (IsCandidate(f) || imp->module != "env" || weak.count(imp->field)) continue;
      if (MatchesKeep(opts_.slot_calls, imp->field)) slot_wanted_[f] = true;
    }
  }

  bool IsSlotCall(uint32_t f) const { return f < slot_global_.size() && slot_global_[f] != kNone; }

  void Pin(uint32_t f) {
    if (IsCandidate(f)) pinned_.push_back(f);
    if (f < slot_pinned_.size()) slot_pinned_[f] = true;
  }

  uint32_t MapGlobal(uint32_t g) const { return g >= m_.num_imported_globals ? g + added_globals() : g; }
  uint32_t added_globals() const { return static_cast<uint32_t>(added_got_.size()); }

  Status Scan() {
    written_globals_.assign(m_.num_imported_globals, false);
    for (size_t i = 0; i < m_.code.size(); i++) {
      const wasm::FunctionBody& b = m_.code[i];
      Cursor c(data_, b.offset + b.size, "function body");
      LL_CHECK(c.Skip(b.offset, "body"));
      c.set_context("code", static_cast<int64_t>(i));
      LL_CHECK(SkipLocals(c));
      LL_CHECK(WalkInstructions(
          c,
          [&](const FuncRef& r) {
            if (r.kind == RefKind::kCall) {
              if (IsCandidate(r.index)) result_.calls_bound++;
              if (r.index < slot_wanted_.size() && slot_wanted_[r.index]) slot_call_count_[r.index]++;
            } else {
              Pin(r.index);
            }
          },
          [&](const GlobalRef& g) {
            if (g.set && g.index < written_globals_.size()) written_globals_[g.index] = true;
          }));
      if (!c.at_end()) return c.FailHere("bytes after the function body's end");
    }
    for (const wasm::ElemSegment& s : m_.elements) {
      for (uint32_t f : s.func_indices) Pin(f);
    }
    for (const wasm::Global& g : m_.globals) {
      if (g.init.op == wasm::ConstExpr::Op::kRefFunc) Pin(g.init.index);
    }
    for (const wasm::Export& e : m_.exports) {
      if (e.kind == ExternalKind::kFunc) Pin(e.index);
      // A re-exported import's type is part of the export: left as it is.
      if (e.kind == ExternalKind::kGlobal && e.index < written_globals_.size()) written_globals_[e.index] = true;
    }
    if (m_.start) Pin(*m_.start);
    return Ok{};
  }

  Status Decide() {
    const uint32_t nimp = m_.num_imported_funcs;
    std::vector<bool> pinned(nimp, false);
    for (uint32_t f : pinned_) pinned[f] = true;
    remove_.assign(nimp, false);
    for (uint32_t f = 0; f < nimp; f++) {
      if (!IsCandidate(f)) continue;
      if (pinned[f]) {
        result_.pinned++;
      } else {
        remove_[f] = true;
        result_.imports_removed++;
      }
    }
    // Slot calls: each called function gets its GOT.func global (the
    // module's own import, or a new one after the last imported global);
    // the function import goes if nothing else uses it.
    for (uint32_t f = 0; f < nimp; f++) {
      if (!slot_wanted_[f] || slot_call_count_[f] == 0) continue;
      const std::string& name = m_.ImportedFunction(f)->field;
      auto it = got_func_.find(name);
      if (it != got_func_.end()) {
        slot_global_[f] = it->second;
      } else {
        slot_global_[f] = m_.num_imported_globals + added_globals();
        added_got_.push_back(name);
      }
      result_.slot_calls += slot_call_count_[f];
      result_.slot_functions++;
      if (!slot_pinned_[f]) {
        remove_[f] = true;
        result_.slot_imports_removed++;
      }
    }
    if (result_.slot_functions && table_index_ == kNone) {
      if (m_.num_imported_tables || !m_.tables.empty()) {
        return Error(opts_.name, "has a function table other than env.__indirect_function_table: "
                                 "its calls cannot go through GOT.func slots");
      }
      add_table_ = true;
      table_index_ = 0;
    }
    // New index of every function.
    new_index_.resize(m_.NumFunctions());
    uint32_t removed = 0;
    for (uint32_t f = 0; f < m_.NumFunctions(); f++) {
      if (f < nimp && remove_[f]) {
        new_index_[f] = kNone;
        removed++;
      } else {
        new_index_[f] = f - removed;
      }
    }
    return Ok{};
  }

  // Where a reference to `f` points after the rewrite: calls follow the
  // redirection, everything else keeps its function (renumbered).
  uint32_t Map(uint32_t f, RefKind kind) const {
    if (kind == RefKind::kCall && IsCandidate(f)) f = target_[f];
    return f < new_index_.size() ? new_index_[f] : f;
  }

  // --- pass 2 -----------------------------------------------------------

  Expected<std::vector<uint8_t>> Write() {
    ByteWriter out;
    out.mutable_bytes().assign(data_, data_ + 8);
    for (const wasm::SectionInfo& s : m_.sections) {
      const uint64_t end = s.offset + s.size;
      switch (s.id) {
        case 2: LL_CHECK(WriteImports(out)); break;
        case 6: LL_CHECK(WriteGlobals(out, s)); break;
        case 7: WriteExports(out); break;
        case 8: {
          ByteWriter p;
          p.U32Leb(Map(*m_.start, RefKind::kRefFunc));
          WriteSection(out, 8, p);
          break;
        }
        case 9: LL_CHECK(WriteElements(out, s)); break;
        case 10: LL_CHECK(WriteCode(out, s)); break;
        case 11:
          if (added_globals()) {
            LL_CHECK(WriteData(out, s));
            break;
          }
          out.mutable_bytes().insert(out.mutable_bytes().end(), data_ + s.header_offset, data_ + end);
          break;
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
          out.mutable_bytes().insert(out.mutable_bytes().end(), data_ + s.header_offset, data_ + end);
      }
    }
    return std::move(out.mutable_bytes());
  }

  Status WriteImports(ByteWriter& out) {
    ByteWriter p;
    uint32_t count = 0;
    ByteWriter entries;
    uint32_t func = 0;
    const wasm::SectionInfo* sec = nullptr;
    for (const wasm::SectionInfo& s : m_.sections) {
      if (s.id == 2) sec = &s;
    }
    uint32_t global = 0;
    for (size_t i = 0; i < m_.imports.size(); i++) {
      const wasm::Import& imp = m_.imports[i];
      const uint64_t end = i + 1 < m_.imports.size() ? m_.imports[i + 1].offset : sec->offset + sec->size;
      bool drop = false;
      bool freeze = false;
      if (imp.kind == ExternalKind::kFunc) {
        drop = remove_[func];
        func++;
      } else if (imp.kind == ExternalKind::kGlobal) {
        freeze = opts_.immutable_got && (imp.IsGotMem() || imp.IsGotFunc()) && imp.global.is_mutable &&
                 !written_globals_[global];
        global++;
      }
      if (drop) continue;
      count++;
      entries.mutable_bytes().insert(entries.mutable_bytes().end(), data_ + imp.offset, data_ + end);
      if (freeze) {
        // The entry ends with the global type: value type, then mutability.
        if (entries.mutable_bytes().back() != 1) {
          return Error(opts_.name, Msg("import ", imp.module, ".", imp.field, ": unexpected global type encoding"),
                       imp.offset);
        }
        entries.mutable_bytes().back() = 0;
        result_.got_frozen++;
      }
    }
    for (const std::string& name : added_got_) {
      entries.Name("GOT.func");
      entries.Name(name);
      entries.U8(static_cast<uint8_t>(ExternalKind::kGlobal));
      entries.U8(0x7f);                          // i32
      entries.U8(0);     // immutable
      count++;
    }
    if (add_table_) {
      entries.Name("env");
      entries.Name("__indirect_function_table");
      entries.U8(static_cast<uint8_t>(ExternalKind::kTable));
      entries.U8(0x70);  // funcref
      entries.U8(0x00);  // no maximum
      entries.U32Leb(0);
      count++;
    }
    p.U32Leb(count);
    p.Bytes(entries.bytes());
    WriteSection(out, 2, p);
    return Ok{};
  }

  void WriteExports(ByteWriter& out) {
    ByteWriter p;
    p.U32Leb(static_cast<uint32_t>(m_.exports.size()));
    for (const wasm::Export& e : m_.exports) {
      p.Name(e.name);
      p.U8(static_cast<uint8_t>(e.kind));
      p.U32Leb(e.kind == ExternalKind::kFunc     ? Map(e.index, RefKind::kRefFunc)
               : e.kind == ExternalKind::kGlobal ? MapGlobal(e.index)
                                                 : e.index);
    }
    WriteSection(out, 7, p);
  }

  // Copies a constant expression at `c`, renumbering ref.func and global.get.
  Status CopyExpr(Cursor& c, ByteWriter& out) {
    const uint64_t begin = c.offset();
    Patcher patch(data_, begin);
    LL_CHECK(WalkInstructions(
        c,
        [&](const FuncRef& r) {
          patch.CopyTo(r.begin, out);
          out.U32Leb(Map(r.index, r.kind));
          patch.SkipTo(r.end);
        },
        [&](const GlobalRef& g) { PatchGlobal(g, patch, out); }));
    patch.CopyTo(c.offset(), out);
    return Ok{};
  }

  void PatchGlobal(const GlobalRef& g, Patcher& patch, ByteWriter& out) const {
    const uint32_t to = MapGlobal(g.index);
    if (to == g.index) return;
    patch.CopyTo(g.begin, out);
    out.U32Leb(to);
    patch.SkipTo(g.end);
  }

  // The data section when globals were renumbered: only active segments'
  // offset expressions can name a global.
  Status WriteData(ByteWriter& out, const wasm::SectionInfo& s) {
    ByteWriter p;
    Patcher patch(data_, s.offset);
    for (const wasm::DataSegment& d : m_.data) {
      if (d.mode != wasm::SegmentMode::kActive) continue;
      Cursor c(data_, s.offset + s.size, "section");
      LL_CHECK(c.Skip(d.offset_expr.offset, "data offset"));
      c.set_context("data");
      LL_CHECK(WalkInstructions(c, [](const FuncRef&) {}, [&](const GlobalRef& g) { PatchGlobal(g, patch, p); }));
    }
    patch.CopyTo(s.offset + s.size, p);
    WriteSection(out, 11, p);
    return Ok{};
  }

  Status WriteGlobals(ByteWriter& out, const wasm::SectionInfo& s) {
    Cursor c(data_, s.offset + s.size, "section");
    LL_CHECK(c.Skip(s.offset, "globals"));
    c.set_context("global");
    ByteWriter p;
    LL_TRY(uint32_t n, c.ReadCount("global count", 1000000, 3));
    p.U32Leb(n);
    for (uint32_t i = 0; i < n; i++) {
      c.set_entry(i);
      LL_TRY(uint8_t type, c.ReadU8("global type"));
      LL_TRY(uint8_t mut, c.ReadU8("global mutability"));
      p.U8(type);
      p.U8(mut);
      LL_CHECK(CopyExpr(c, p));
    }
    WriteSection(out, 6, p);
    return Ok{};
  }

  Status WriteElements(ByteWriter& out, const wasm::SectionInfo& s) {
    Cursor c(data_, s.offset + s.size, "section");
    LL_CHECK(c.Skip(s.offset, "elements"));
    c.set_context("elem");
    ByteWriter p;
    LL_TRY(uint32_t n, c.ReadCount("segment count", 1000000, 2));
    p.U32Leb(n);
    for (uint32_t i = 0; i < n; i++) {
      c.set_entry(i);
      LL_TRY(uint32_t flags, c.ReadU32Leb("segment flags"));
      if (flags > 7) return c.FailHere(Msg("unknown element segment flags ", flags));
      p.U32Leb(flags);
      if (flags == 2 || flags == 6) {
        LL_TRY(uint32_t table, c.ReadU32Leb("table index"));
        p.U32Leb(table);
      }
      if ((flags & 1) == 0) LL_CHECK(CopyExpr(c, p));  // active: offset
      if (flags & 3) {
        LL_TRY(uint8_t kind, c.ReadU8("element kind"));
        p.U8(kind);
      }
      LL_TRY(uint32_t count, c.ReadCount("element count", 10000000, 1));
      p.U32Leb(count);
      for (uint32_t k = 0; k < count; k++) {
        if (flags & 4) {
          LL_CHECK(CopyExpr(c, p));
        } else {
          LL_TRY(uint32_t f, c.ReadU32Leb("function index"));
          p.U32Leb(Map(f, RefKind::kRefFunc));
        }
      }
    }
    LL_CHECK(c.ExpectEnd());
    WriteSection(out, 9, p);
    return Ok{};
  }

  Status WriteCode(ByteWriter& out, const wasm::SectionInfo& s) {
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
      LL_CHECK(SkipLocals(c));
      LL_CHECK(WalkInstructions(
          c,
          [&](const FuncRef& r) {
            if (r.kind == RefKind::kCall && IsSlotCall(r.index)) {
              // call F -> global.get GOT.func.F; call_indirect (type of F)
              patch.CopyTo(r.begin - 1, body);  // up to the one-byte opcode
              body.U8(0x23);
              body.U32Leb(slot_global_[r.index]);
              body.U8(r.op == 0x12 ? 0x13 : 0x11);
              body.U32Leb(m_.ImportedFunction(r.index)->type_index);
              body.U32Leb(table_index_);
              patch.SkipTo(r.end);
              return;
            }
            const uint32_t to = Map(r.index, r.kind);
            if (to == r.index && r.end - r.begin == LebSize(to)) return;
            patch.CopyTo(r.begin, body);
            body.U32Leb(to);
            patch.SkipTo(r.end);
          },
          [&](const GlobalRef& g) { PatchGlobal(g, patch, body); }));
      patch.CopyTo(b.offset + b.size, body);
      p.U32Leb(static_cast<uint32_t>(body.size()));
      p.Bytes(body.bytes());
    }
    (void)s;
    WriteSection(out, 10, p);
    return Ok{};
  }

  // The name section: function names (1), local names (2) and labels (3)
  // are keyed by function index; the rest is copied.
  Status WriteNames(ByteWriter& out, const wasm::SectionInfo& s) {
    Cursor c(data_, s.offset + s.size, "section");
    LL_CHECK(c.Skip(s.offset, "name"));  // custom sections: after the name
    ByteWriter body;
    while (!c.at_end()) {
      const uint64_t sub_begin = c.offset();
      LL_TRY(uint8_t id, c.ReadU8("subsection id"));
      LL_TRY(Cursor sub, c.ReadSized("subsection size", "subsection"));
      if (id < 1 || (id > 3 && id != 7)) {
        body.mutable_bytes().insert(body.mutable_bytes().end(), data_ + sub_begin, data_ + c.offset());
        continue;
      }
      sub.set_context("name/subsection");
      ByteWriter p;
      LL_TRY(uint32_t n, sub.ReadCount("name count", 10000000, 2));
      uint32_t kept = 0;
      ByteWriter entries;
      for (uint32_t i = 0; i < n; i++) {
        LL_TRY(uint32_t f, sub.ReadU32Leb("function index"));
        const uint64_t rest = sub.offset();
        if (id == 1 || id == 7) {
          LL_TRY(std::string_view nm, sub.ReadName("name"));
          (void)nm;
        } else {
          LL_TRY(uint32_t m, sub.ReadCount("inner name count", 10000000, 2));
          for (uint32_t k = 0; k < m; k++) {
            LL_TRY(uint32_t idx, sub.ReadU32Leb("index"));
            LL_TRY(std::string_view nm, sub.ReadName("name"));
            (void)idx;
            (void)nm;
          }
        }
        const uint32_t to = id == 7 ? MapGlobal(f) : f < new_index_.size() ? new_index_[f] : f;
        if (to == kNone) continue;
        kept++;
        entries.U32Leb(to);
        entries.mutable_bytes().insert(entries.mutable_bytes().end(), data_ + rest, data_ + sub.offset());
      }
      LL_CHECK(sub.ExpectEnd());
      p.U32Leb(kept);
      p.Bytes(entries.bytes());
      body.U8(id);
      body.U32Leb(static_cast<uint32_t>(p.size()));
      body.Bytes(p.bytes());
    }
    WriteCustom(out, "name", body);
    return Ok{};
  }

  // dylink.0: the import-info subsection (4) loses the removed imports.
  Status WriteDylink(ByteWriter& out, const wasm::SectionInfo& s) {
    Cursor c(data_, s.offset + s.size, "section");
    LL_CHECK(c.Skip(s.offset, "dylink.0"));  // after the name
    std::unordered_set<std::string> removed;
    for (uint32_t f = 0; f < remove_.size(); f++) {
      if (!remove_[f]) continue;
      const wasm::Import* imp = m_.ImportedFunction(f);
      removed.insert(imp->module + '\0' + imp->field);
    }
    ByteWriter body;
    while (!c.at_end()) {
      const uint64_t sub_begin = c.offset();
      LL_TRY(uint8_t id, c.ReadU8("subsection id"));
      LL_TRY(Cursor sub, c.ReadSized("subsection size", "subsection"));
      if (id != 4) {
        body.mutable_bytes().insert(body.mutable_bytes().end(), data_ + sub_begin, data_ + c.offset());
        continue;
      }
      sub.set_context("dylink.0/import-info");
      LL_TRY(uint32_t n, sub.ReadCount("import info count", 10000000, 3));
      ByteWriter entries;
      uint32_t kept = 0;
      for (uint32_t i = 0; i < n; i++) {
        LL_TRY(std::string_view module, sub.ReadName("module name"));
        LL_TRY(std::string_view field, sub.ReadName("field name"));
        LL_TRY(uint32_t flags, sub.ReadU32Leb("flags"));
        std::string key(module);
        key += '\0';
        key += field;
        if (removed.count(key)) continue;
        kept++;
        entries.Name(module);
        entries.Name(field);
        entries.U32Leb(flags);
      }
      LL_CHECK(sub.ExpectEnd());
      ByteWriter p;
      p.U32Leb(kept);
      p.Bytes(entries.bytes());
      body.U8(id);
      body.U32Leb(static_cast<uint32_t>(p.size()));
      body.Bytes(p.bytes());
    }
    WriteCustom(out, "dylink.0", body);
    return Ok{};
  }

  const uint8_t* data_;
  size_t size_;
  const BindLocalOptions& opts_;
  wasm::Module m_;
  std::vector<uint32_t> target_;  // per imported function: the definition, or kNone
  std::vector<uint32_t> pinned_;
  std::vector<bool> remove_;
  std::vector<bool> written_globals_;  // imported globals: target of a global.set, or exported
  std::vector<uint32_t> new_index_;
  // Slot calls, per imported function.
  std::vector<bool> slot_wanted_;
  std::vector<bool> slot_pinned_;          // used other than by calls
  std::vector<uint32_t> slot_call_count_;
  std::vector<uint32_t> slot_global_;      // its GOT.func global, or kNone
  std::unordered_map<std::string_view, uint32_t> got_func_;  // GOT.func imports already there
  std::vector<std::string> added_got_;     // GOT.func imports to append
  uint32_t table_index_ = kNone;           // env.__indirect_function_table
  bool add_table_ = false;
  BindLocalResult result_;
};

}  // namespace

bool MatchesKeep(const std::vector<std::string>& patterns, const std::string& name) {
  for (const std::string& p : patterns) {
    if (!p.empty() && p.back() == '*') {
      if (name.compare(0, p.size() - 1, p, 0, p.size() - 1) == 0) return true;
    } else if (p == name) {
      return true;
    }
  }
  return false;
}

Expected<BindLocalResult> BindLocal(const uint8_t* data, size_t size, const BindLocalOptions& opts) {
  Rewriter r(data, size, opts);
  return r.Run();
}

}  // namespace lazylink::rewrite
