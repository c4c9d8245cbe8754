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
// The instruction walker and the section writers are in walk.h and
// section_rewrite.h, shared with MoveGotToMemory (got_memory.cc).
#include "loader/rewrite/bind_local.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "loader/emit/wasm_writer.h"
#include "loader/rewrite/section_rewrite.h"
#include "loader/rewrite/walk.h"
#include "loader/wasm/cursor.h"

namespace lazylink::rewrite {
namespace {

using emit::ByteWriter;
using wasm::Cursor;
using wasm::ExternalKind;
using walk::FuncRef;
using walk::GlobalRef;
using walk::kNone;
using walk::LebSize;
using walk::Patcher;
using walk::RefKind;
using walk::WalkInstructions;
using walk::WriteSection;

class Rewriter {
 public:
  Rewriter(const uint8_t* data, size_t size, const BindLocalOptions& opts)
      : data_(data), size_(size), opts_(opts) {}

  Expected<BindLocalResult> Run() {
    LL_TRY(wasm::Module m, walk::ReadRewritable(data_, size_, opts_.name, "bind-local"));
    m_ = std::move(m);
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
    LL_CHECK(walk::ForEachBody(data_, m_, [&](const wasm::FunctionBody&, Cursor& c) {
      return WalkInstructions(
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
          });
    }));
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
    walk::ModuleEdits edits;
    edits.patches.func = [this](const FuncRef& r, Patcher& patch, ByteWriter& out) { PatchFunc(r, patch, out); };
    edits.patches.global = [this](const GlobalRef& g, Patcher& patch, ByteWriter& out) { PatchGlobal(g, patch, out); };
    edits.map_func = [this](uint32_t f) { return Map(f, RefKind::kRefFunc); };
    edits.map_global = [this](uint32_t g) { return MapGlobal(g); };
    edits.patch_data = added_globals() != 0;
    edits.imports = [this](const wasm::SectionInfo& s, ByteWriter& out) { return WriteImports(out, s); };
    edits.dylink = [this](uint8_t id, Cursor& sub, ByteWriter& p) { return WriteImportInfo(id, sub, p); };
    ByteWriter out;
    LL_CHECK(walk::WriteModule(data_, m_, edits, out));
    return std::move(out.mutable_bytes());
  }

  Status WriteImports(ByteWriter& out, const wasm::SectionInfo& s) {
    ByteWriter p;
    uint32_t count = 0;
    ByteWriter entries;
    uint32_t func = 0;
    uint32_t global = 0;
    for (size_t i = 0; i < m_.imports.size(); i++) {
      const wasm::Import& imp = m_.imports[i];
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
      walk::CopyBytes(data_, imp.offset, walk::ImportEnd(m_, s, i), entries);
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

  // A function index in code, a constant expression or an element segment:
  // slot calls go through the GOT.func slot, every other index follows Map
  // (padded LEBs, as wasm-ld leaves them in code, come out shortest).
  void PatchFunc(const FuncRef& r, Patcher& patch, ByteWriter& out) const {
    if (r.kind == RefKind::kCall && IsSlotCall(r.index)) {
      // call F -> global.get GOT.func.F; call_indirect (type of F)
      patch.CopyTo(r.begin - 1, out);  // up to the one-byte opcode
      out.U8(0x23);
      out.U32Leb(slot_global_[r.index]);
      out.U8(r.op == 0x12 ? 0x13 : 0x11);
      out.U32Leb(m_.ImportedFunction(r.index)->type_index);
      out.U32Leb(table_index_);
      patch.SkipTo(r.end);
      return;
    }
    const uint32_t to = Map(r.index, r.kind);
    if (to != r.index || r.end - r.begin != LebSize(to)) patch.Replace(r.begin, r.end, to, out);
  }

  void PatchGlobal(const GlobalRef& g, Patcher& patch, ByteWriter& out) const {
    const uint32_t to = MapGlobal(g.index);
    if (to != g.index) patch.Replace(g.begin, g.end, to, out);
  }

  // dylink.0: the import-info subsection (4) loses the removed imports;
  // the others are copied.
  Expected<bool> WriteImportInfo(uint8_t id, Cursor& sub, ByteWriter& p) const {
    if (id != 4) return false;
    std::unordered_set<std::string> removed;
    for (uint32_t f = 0; f < remove_.size(); f++) {
      if (!remove_[f]) continue;
      const wasm::Import* imp = m_.ImportedFunction(f);
      removed.insert(imp->module + '\0' + imp->field);
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
    p.U32Leb(kept);
    p.Bytes(entries.bytes());
    return true;
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
